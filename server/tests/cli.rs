//! The `hearth` binary as an operator meets it.

use std::process::Command;

fn hearth() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("HEARTH_CONFIG")
        .env("RUST_LOG", "off");
    cmd
}

#[test]
fn a_bad_database_url_is_one_clear_line_and_a_failure() {
    for url in [
        "mysql://root:secret@localhost/hmis",
        "postgres://nobody:pw@127.0.0.1:1/none",
        "sqlite:///nonexistent-dir/x/y.db",
    ] {
        let output = hearth()
            .args(["migrate", "--database-url", url])
            .output()
            .unwrap();
        assert!(!output.status.success(), "{url} must fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "one line for {url}, got: {stderr}");
        assert!(lines[0].starts_with("error: "), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            !stderr.contains("secret") && !stderr.contains(":pw@"),
            "passwords are never printed: {stderr}"
        );
    }
}

#[test]
fn migrate_creates_the_default_sqlite_database_in_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let output = hearth()
        .current_dir(dir.path())
        .args(["migrate", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(data.join("hearth.db").exists());
    assert!(String::from_utf8_lossy(&output.stdout).contains("up to date"));
    // Running it again is a no-op, not an error.
    let again = hearth()
        .current_dir(dir.path())
        .args(["migrate", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(again.status.success());
}

#[test]
fn an_unknown_time_zone_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = hearth()
        .current_dir(dir.path())
        .args(["migrate", "--time-zone", "Mars/Olympus"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Mars/Olympus"));
}

#[test]
fn bench_search_reports_every_kind_of_search_against_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let empty = hearth()
        .current_dir(dir.path())
        .args(["bench", "search", "--samples", "5", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(!empty.status.success(), "an empty database has nothing to search");
    assert!(String::from_utf8_lossy(&empty.stderr).contains("demo-data"));
    let filled = hearth()
        .current_dir(dir.path())
        .args(["demo-data", "--clients", "40", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        filled.status.success(),
        "{}",
        String::from_utf8_lossy(&filled.stderr)
    );
    let output = hearth()
        .current_dir(dir.path())
        .args(["bench", "search", "--samples", "5", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("with 40 clients"), "{stdout}");
    for kind in [
        "Client ID",
        "First three + first three",
        "Date of birth",
        "SSN last four",
        "baseline",
    ] {
        assert!(stdout.contains(kind), "{kind} in {stdout}");
    }
    // The name search walks the name index, not the table.
    assert!(stdout.contains("ix_clients_name_keys"), "{stdout}");
}

#[test]
fn auto_exit_runs_from_the_command_line_and_its_benchmark_puts_the_settings_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let run = |args: &[&str]| {
        let output = hearth()
            .current_dir(dir.path())
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).to_string()
    };
    run(&["demo-data", "--clients", "60"]);
    // The demo's street outreach and night shelter auto-exit.
    let csv = dir.path().join("would-exit.csv");
    let dry = run(&["auto-exit", "--dry-run", "--csv", csv.to_str().unwrap()]);
    assert!(dry.contains("2 project(s): would exit"), "{dry}");
    // Each household it would exit or skip is listed: a table here, the same in the CSV.
    let count = |after: &str| -> usize {
        let rest = &dry[dry.find(after).unwrap() + after.len()..];
        rest.split_whitespace().next().unwrap().parse().unwrap()
    };
    let would_exit = count("would exit ");
    let table: Vec<&str> = dry
        .lines()
        .skip_while(|l| !l.starts_with("Project"))
        .take_while(|l| !l.contains("project(s):") && !l.starts_with("Wrote"))
        .collect();
    assert!(
        table[0].contains("Head of household") && table[0].contains("Exit date"),
        "{dry}"
    );
    assert!(table.len() > would_exit, "a line per household: {dry}");
    let file = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        file.lines().count(),
        table.len(),
        "the CSV has the same households: {file}"
    );
    assert!(
        file.starts_with("Project,Head of household,Head PersonalID,Members"),
        "{file}"
    );
    assert!(
        dry.contains(&format!("Wrote {} household(s)", table.len() - 1)),
        "{dry}"
    );
    let bench = run(&["bench", "auto-exit", "--exit-days", "30", "--write"]);
    assert!(
        bench.contains("every project set to exit after 30 days"),
        "{bench}"
    );
    for kind in ["Dry run (read only)", "Sweep (exits written)"] {
        assert!(bench.contains(kind), "{kind} in {bench}");
    }
    // Every project had a setting for the run; the demo's two have theirs again.
    let after = run(&["auto-exit"]);
    assert!(after.contains("2 project(s): exited"), "{after}");
    let again = run(&["auto-exit"]);
    assert!(again.contains("exited 0 household(s)"), "{again}");
}
