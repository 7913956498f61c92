//! The compiled browser assets (`pkg/`: the wasm, its JavaScript and the stylesheet),
//! served under an address that names their contents: `/pkg/<version>/…`, where
//! `<version>` is a hash of the files. A browser keeps them for a year without asking
//! again (`immutable`); a new build has a new version, so pages never load a stale
//! mix. The Brotli and gzip copies the build writes beside each file (`cargo leptos
//! build --precompress`) go to browsers that accept them.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;

/// The map of the bundle's chunks `cargo leptos build --split` writes.
const SPLIT_MANIFEST: &str = "__wasm_split_manifest.json";
/// How many earlier builds' copies of the chunk map stay (the newest ones).
const EARLIER_COPIES_KEPT: usize = 2;

/// How long a browser keeps a versioned asset.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The compiled assets of one site root.
#[derive(Clone, Debug)]
pub struct Assets {
    /// Where the build wrote them (`<site root>/pkg`).
    pub dir: PathBuf,
    /// The hash of their contents (16 hex digits).
    pub version: String,
}

impl Assets {
    /// The assets under `site_root`: hashed once, at start. A site root without them
    /// (tests of the server functions alone) has a version all the same.
    pub fn read(site_root: &Path) -> Self {
        let dir = site_root.join("pkg");
        let assets = Assets {
            version: version_of(&dir),
            dir,
        };
        assets.place_split_manifest();
        assets
    }

    /// Leptos reads the map of the bundle's chunks (which chunks each page needs, so
    /// the page can ask for them beside the main bundle) from
    /// `<site root>/<pkg dir>/__wasm_split_manifest.json`, and the pkg dir pages link to
    /// is `pkg/<version>`: a copy of the build's map goes there. Without it pages still
    /// work, each chunk asked for only once the main bundle runs.
    fn place_split_manifest(&self) {
        let built = self.dir.join(SPLIT_MANIFEST);
        if !built.is_file() {
            return;
        }
        let versioned = self.dir.join(&self.version);
        let placed = std::fs::create_dir_all(&versioned)
            .and_then(|()| std::fs::copy(&built, versioned.join(SPLIT_MANIFEST)));
        if let Err(err) = placed {
            tracing::warn!(
                dir = %versioned.display(),
                error = %err,
                "the bundle's chunk map could not be placed: pages load their chunks without preloading"
            );
        }
        // The copies placed for earlier builds go, but for the latest few: a server of
        // the build before may still be answering while this one starts.
        let mut earlier: Vec<_> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name != self.version && name.len() == 16 && name.chars().all(|c| c.is_ascii_hexdigit())
            })
            .map(|e| (e.metadata().and_then(|m| m.modified()).ok(), e.path()))
            .collect();
        earlier.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
        for (_, path) in earlier.into_iter().skip(EARLIER_COPIES_KEPT) {
            let _ = std::fs::remove_dir_all(path);
        }
    }

    /// The package directory pages link to, relative to the site root: `pkg/<version>`.
    pub fn pkg_dir(&self) -> String {
        format!("pkg/{}", self.version)
    }

    /// `/pkg/<version>/…` from the build's directory, precompressed copies preferred,
    /// successful answers kept by the browser for a year.
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        let files = ServeDir::new(&self.dir).precompressed_br().precompressed_gzip();
        Router::new()
            .nest_service(&format!("/{}", self.pkg_dir()), files)
            .layer(axum::middleware::map_response(keep_for_a_year))
    }
}

async fn keep_for_a_year(mut response: Response) -> Response {
    if response.status().is_success() {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    }
    response
}

/// A hash of every file in `dir` (names and contents, in name order), leaving out the
/// compressed copies: they follow from the files.
fn version_of(dir: &Path) -> String {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    names.retain(|p| p.is_file() && !matches!(p.extension().and_then(|e| e.to_str()), Some("br" | "gz")));
    names.sort();
    let mut hash = Sha256::new();
    for path in &names {
        hash.update(path.file_name().map(|n| n.as_encoded_bytes()).unwrap_or_default());
        match std::fs::read(path) {
            Ok(bytes) => hash.update(&bytes),
            Err(err) => tracing::warn!(path = %path.display(), error = %err, "an asset could not be read"),
        }
    }
    hash.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_the_contents_not_the_compressed_copies() {
        let site = tempfile::tempdir().expect("temp dir");
        let pkg = site.path().join("pkg");
        std::fs::create_dir(&pkg).expect("pkg dir");
        std::fs::write(pkg.join("hearth.js"), "one").expect("js");
        let first = Assets::read(site.path()).version;
        assert_eq!(first.len(), 16);
        std::fs::write(pkg.join("hearth.js.br"), "compressed").expect("br");
        assert_eq!(Assets::read(site.path()).version, first, "copies do not count");
        std::fs::write(pkg.join("hearth.js"), "two").expect("js");
        assert_ne!(
            Assets::read(site.path()).version,
            first,
            "new contents, new version"
        );
    }

    #[test]
    fn the_chunk_map_is_placed_where_leptos_reads_it() {
        let site = tempfile::tempdir().expect("temp dir");
        let pkg = site.path().join("pkg");
        std::fs::create_dir(&pkg).expect("pkg dir");
        std::fs::write(pkg.join("hearth.js"), "one").expect("js");
        let without = Assets::read(site.path());
        assert!(
            !pkg.join(&without.version).exists(),
            "nothing placed without a map"
        );
        std::fs::write(pkg.join(SPLIT_MANIFEST), r#"{"home":["chunk_0","home"]}"#).expect("map");
        let assets = Assets::read(site.path());
        let placed = std::fs::read_to_string(site.path().join(assets.pkg_dir()).join(SPLIT_MANIFEST));
        assert_eq!(placed.expect("placed"), r#"{"home":["chunk_0","home"]}"#);
        assert_eq!(
            Assets::read(site.path()).version,
            assets.version,
            "the copy is not hashed"
        );

        // Four older builds' copies, oldest first, then a new build: of the five earlier
        // copies the newest two stay (the build just before and the newest other).
        let hour = std::time::Duration::from_secs(3600);
        let now = std::time::SystemTime::now();
        let earlier = [
            "00000000000000a1",
            "00000000000000a2",
            "00000000000000a3",
            "00000000000000a4",
        ];
        for (age, name) in (1..=4u32).rev().zip(earlier) {
            let dir = pkg.join(name);
            std::fs::create_dir(&dir).expect("earlier copy");
            let stamp = std::fs::File::open(&dir).expect("open");
            stamp.set_modified(now - hour * age).expect("set time");
        }
        std::fs::write(pkg.join("hearth.js"), "two").expect("a new build");
        let next = Assets::read(site.path());
        let kept: Vec<bool> = earlier.iter().map(|name| pkg.join(name).exists()).collect();
        assert_eq!(
            kept,
            [false, false, false, true],
            "only the newest older copy stays"
        );
        assert!(pkg.join(&assets.version).exists(), "the build just before stays");
        assert!(
            pkg.join(next.pkg_dir().trim_start_matches("pkg/"))
                .join(SPLIT_MANIFEST)
                .is_file()
        );
    }
}
