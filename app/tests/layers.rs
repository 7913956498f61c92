//! The layers of `app/src` (docs/ARCHITECTURE.md), checked from the source:
//!
//! - the shared layer (`domain`, `db`, `ui`, `session`, `report`, `jobs`, `error`,
//!   `state`, `crypto`) imports no feature;
//! - a feature reaches another feature only through its public face: its `api` module
//!   (wire types, server functions, paths) or what its `mod.rs` re-exports — never its
//!   `service`, `pages` or other internals;
//! - the features import each other without a cycle.
//!
//! Only `lib.rs`, `routes.rs` (the route table), `shell.rs` (the page frame) and
//! `kept.rs` (the summaries features keep) sit above the features and may put several
//! of them together.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Files above the features.
const TOP: &[&str] = &["lib.rs", "routes.rs", "shell.rs", "kept.rs"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without `//` comments (doc comments name paths freely).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string ("http://") is kept with the rest of its line.
            Some(at) if line[..at].matches('"').count() % 2 == 0 => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path written after `crate::features::`, grouped imports expanded:
/// `crate::features::{a::b, c::{D, e}}` gives `a::b`, `c::D`, `c::e`.
fn feature_paths(code: &str) -> Vec<String> {
    const PREFIX: &str = "crate::features::";
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(PREFIX) {
        rest = &rest[at + PREFIX.len()..];
        let (paths, _) = tree(rest);
        out.extend(paths);
    }
    out
}

/// Reads one use tree at the start of `text`: the full paths it names and how many bytes
/// it took.
fn tree(text: &str) -> (Vec<String>, usize) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut prefix = String::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'{' {
            i += 1;
            let mut paths = Vec::new();
            loop {
                while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'}' {
                    i += 1;
                    break;
                }
                let (inner, used) = tree(&text[i..]);
                i += used.max(1);
                paths.extend(inner.into_iter().map(|p| format!("{prefix}{p}")));
            }
            return (paths, i);
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        prefix.push_str(&text[start..i]);
        if text[i..].starts_with("::") {
            prefix.push_str("::");
            i += 2;
        } else {
            // `a::b as c`: the alias does not change what is reached.
            let trimmed = text[i..].trim_start();
            if let Some(after) = trimmed.strip_prefix("as ") {
                let skipped = text[i..].len() - after.len();
                i += skipped;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
            }
            return (vec![prefix.trim_end_matches("::").to_string()], i);
        }
    }
}

/// The feature a file belongs to (`features/<name>/…` or `features/<name>.rs`).
fn feature_of(relative: &Path) -> Option<String> {
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    if parts.next()? != "features" {
        return None;
    }
    let name = parts.next()?;
    Some(name.trim_end_matches(".rs").to_string())
}

/// A feature's modules below its root (`service`, `pages`, …; `api` among them).
fn submodules(feature: &str) -> BTreeSet<String> {
    let dir = src().join("features").join(feature);
    let mut names = BTreeSet::new();
    if let Ok(entries) = fs::read_dir(&dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if name != "mod" {
                names.insert(name);
            }
        }
    }
    names
}

struct Use {
    file: String,
    path: String,
}

fn uses() -> Vec<(Option<String>, Use)> {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut out = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap().to_path_buf();
        let text = fs::read_to_string(&file).unwrap();
        for path in feature_paths(&code(&text)) {
            out.push((
                feature_of(&relative),
                Use {
                    file: relative.display().to_string(),
                    path,
                },
            ));
        }
    }
    out
}

#[test]
fn the_shared_layer_imports_no_feature() {
    let wrong: Vec<String> = uses()
        .into_iter()
        .filter(|(feature, u)| feature.is_none() && !TOP.contains(&u.file.as_str()))
        .map(|(_, u)| format!("{} imports crate::features::{}", u.file, u.path))
        .collect();
    assert!(
        wrong.is_empty(),
        "the shared layer must not import a feature (move what both need below the features):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn features_reach_each_other_only_through_their_public_face() {
    let mut wrong = Vec::new();
    for (feature, u) in uses() {
        let Some(from) = feature else { continue };
        let mut segments = u.path.split("::");
        let to = segments.next().unwrap_or_default().to_string();
        if to == from {
            continue;
        }
        if let Some(second) = segments.next()
            && second != "api"
            && submodules(&to).contains(second)
        {
            wrong.push(format!("{} imports crate::features::{}", u.file, u.path));
        }
    }
    assert!(
        wrong.is_empty(),
        "a feature may use another's `api` or what its mod.rs re-exports, not its internals \
         (move shared code to the shared layer, or re-export it as part of the feature's face):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn features_import_each_other_without_a_cycle() {
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (feature, u) in uses() {
        let Some(from) = feature else { continue };
        let to = u.path.split("::").next().unwrap_or_default().to_string();
        if to != from {
            graph.entry(from).or_default().entry(to).or_insert(u.file);
        }
    }
    // Depth-first search; a back edge is a cycle, reported with the files that close it.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeMap<String, String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for (next, file) in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap_or(0);
                    cycles.push(format!(
                        "{} → {next} (closed in {file})",
                        stack[from..].join(" → ")
                    ));
                }
                Some(_) => {}
                None => visit(next, graph, state, stack, cycles),
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
    }
    let mut state = BTreeMap::new();
    let mut cycles = Vec::new();
    for node in graph.keys() {
        if !state.contains_key(node) {
            visit(node, &graph, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(
        cycles.is_empty(),
        "features import each other in a cycle:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_reader_expands_grouped_imports() {
    let code = code(
        "use crate::features::{a::b, c::{D, e as f}};\n\
         // use crate::features::hidden::x;\n\
         let x = crate::features::g::api::h(\"http://x\");",
    );
    assert_eq!(feature_paths(&code), vec!["a::b", "c::D", "c::e", "g::api::h"]);
}
