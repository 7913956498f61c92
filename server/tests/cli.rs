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
    // The demo's street outreach, night shelter and services-only project auto-exit.
    let csv = dir.path().join("would-exit.csv");
    let dry = run(&["auto-exit", "--dry-run", "--csv", csv.to_str().unwrap()]);
    assert!(dry.contains("3 project(s): would exit"), "{dry}");
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
    // Every project had a setting for the run; the demo's three have theirs again.
    let after = run(&["auto-exit"]);
    assert!(after.contains("3 project(s): exited"), "{after}");
    let again = run(&["auto-exit"]);
    assert!(again.contains("exited 0 household(s)"), "{again}");
}

/// Issue 26 (the data key belongs to its database): a command started with another
/// data directory (a missing key) or another key is refused with one line and writes
/// nothing; no new key is made for a database that has one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_opens_only_with_its_own_data_key() {
    let dir = tempfile::tempdir().unwrap();
    let (home, elsewhere) = (dir.path().join("home"), dir.path().join("elsewhere"));
    let url = format!("sqlite://{}?mode=rwc", home.join("hearth.db").display());
    let ok = |output: std::process::Output| {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    ok(hearth()
        .arg("migrate")
        .arg("--data-dir")
        .arg(&home)
        .output()
        .unwrap());
    ok(hearth()
        .args(["demo-data", "--clients", "30", "--seed", "3", "--data-dir"])
        .arg(&home)
        .output()
        .unwrap());
    assert!(home.join("data.key").exists());

    // Started from another data directory against the same database.
    let out = dir.path().join("export.zip");
    let export_with = |data_dir: &std::path::Path| {
        let mut cmd = hearth();
        cmd.current_dir(dir.path())
            .args(["export", "--database-url", &url, "--data-dir"])
            .arg(data_dir)
            .arg("--out")
            .arg(&out);
        cmd
    };
    let refused = |cmd: &mut Command, says: &str| {
        let output = cmd.output().unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{stderr}");
        assert!(lines[0].contains(says), "{stderr}");
    };
    refused(
        &mut export_with(&elsewhere),
        &format!("not at {}", elsewhere.join("data.key").display()),
    );
    assert!(
        !elsewhere.join("data.key").exists(),
        "no new key for a database that has one"
    );
    assert!(!out.exists(), "nothing written");
    // With another key.
    let other = app::crypto::DataKey::generate().to_base64();
    refused(
        hearth()
            .env("HEARTH_DATA_KEY", &other)
            .args(["export", "--database-url", &url, "--out"])
            .arg(&out),
        "is not the one this database",
    );
    assert!(!out.exists());
    // With its own key, from anywhere.
    ok(export_with(&home).output().unwrap());
    assert!(out.exists());

    // A database sealed before key checks existed: its key is checked against what it
    // holds, then remembered; another key is refused.
    let db = app::db::connect(&url).await.unwrap();
    use sea_orm::ConnectionTrait as _;
    db.execute_unprepared("DELETE FROM settings WHERE key = 'data_key_check'")
        .await
        .unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("data.key"), &other).unwrap();
    refused(&mut export_with(&elsewhere), "is not the one this database");
    ok(export_with(&home).output().unwrap());
    let check = app::db::settings::get(&db, app::db::settings::DATA_KEY_CHECK)
        .await
        .unwrap();
    assert!(check.is_some(), "the key check is stored again");
}

/// The data key's default place is beside its SQLite database, whatever directory a
/// command starts in; `--data-key-file` names another place.
#[test]
fn the_data_key_lives_beside_its_sqlite_database() {
    let dir = tempfile::tempdir().unwrap();
    let (db_dir, one, two) = (
        dir.path().join("db"),
        dir.path().join("one"),
        dir.path().join("two"),
    );
    for d in [&db_dir, &one, &two] {
        std::fs::create_dir_all(d).unwrap();
    }
    let url = format!("sqlite://{}?mode=rwc", db_dir.join("hearth.db").display());
    let run = |cmd: &mut Command| cmd.output().unwrap();
    let output = run(hearth().current_dir(&one).args([
        "demo-data",
        "--clients",
        "10",
        "--seed",
        "4",
        "--database-url",
        &url,
    ]));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        db_dir.join("data.key").exists(),
        "the key is made beside the database"
    );
    assert!(
        !one.join("data/data.key").exists(),
        "not in the working directory"
    );
    let out = dir.path().join("export.zip");
    let output = run(hearth()
        .current_dir(&two)
        .args(["export", "--database-url", &url, "--out"])
        .arg(&out));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Another key file is refused, and none is made there.
    let elsewhere = dir.path().join("keys/data.key");
    let output = run(hearth()
        .args(["export", "--database-url", &url, "--data-key-file"])
        .arg(&elsewhere)
        .arg("--out")
        .arg(dir.path().join("other.zip")));
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains(&format!("not at {}", elsewhere.display())));
    assert!(!elsewhere.exists());
}

/// Issue 26: `hearth backup` says the key is not in the backup; `hearth restore` into a
/// new database is refused until the database's key is beside it, then opens every
/// sealed value; the restored database serves an export. The files a backup and a
/// restore killed halfway leave are cleared by the next run.
#[test]
fn a_backup_restores_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let (home, restored) = (dir.path().join("home"), dir.path().join("restored"));
    let url = |d: &std::path::Path| format!("sqlite://{}?mode=rwc", d.join("hearth.db").display());
    let run = |args: &[&str]| {
        let output = hearth().current_dir(dir.path()).args(args).output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    std::fs::create_dir_all(&home).unwrap();
    let (ok, _, err) = run(&[
        "demo-data",
        "--clients",
        "25",
        "--seed",
        "6",
        "--database-url",
        &url(&home),
    ]);
    assert!(ok, "{err}");
    let file = dir.path().join("nightly.backup");
    // What a backup and a restore killed halfway leave: never taken for a backup or a
    // database, and out of the way of the next run.
    std::fs::write(
        dir.path().join("nightly.backup.partial"),
        b"SQLite format 3\0cut short",
    )
    .unwrap();
    std::fs::create_dir_all(&restored).unwrap();
    std::fs::write(
        restored.join("hearth.db.restoring"),
        b"SQLite format 3\0cut short",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let (ok, said, err) = run(&["backup", "--database-url", &url(&home), "--out", file]);
    assert!(ok, "{err}");
    assert!(said.contains("the database as of one moment"), "{said}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "a backup is readable by its owner only");
    }
    assert!(
        said.contains(&format!(
            "data key at {}, which is not in the backup",
            home.join("data.key").display()
        )),
        "{said}"
    );
    // No key beside the new database: refused, nothing made.
    let (ok, _, err) = run(&["restore", "--database-url", &url(&restored), "--from", file]);
    assert!(!ok);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("not at {}", restored.join("data.key").display())),
        "{err}"
    );
    assert!(!restored.join("hearth.db").exists());
    assert!(!restored.join("data.key").exists(), "no new key");
    // With the database's key.
    std::fs::copy(home.join("data.key"), restored.join("data.key")).unwrap();
    let (ok, said, err) = run(&["restore", "--database-url", &url(&restored), "--from", file]);
    assert!(ok, "{err}");
    assert!(said.contains("25 clients"), "{said}");
    assert!(!dir.path().join("nightly.backup.partial").exists());
    assert!(!restored.join("hearth.db.restoring").exists());
    assert!(
        said.contains("sealed values (SSNs, two-step secrets) open with the data key"),
        "{said}"
    );
    // Not twice into the same database.
    let (ok, _, err) = run(&["restore", "--database-url", &url(&restored), "--from", file]);
    assert!(!ok);
    assert!(err.contains("is not empty"), "{err}");
    let out = dir.path().join("restored.zip");
    let (ok, _, err) = run(&[
        "export",
        "--database-url",
        &url(&restored),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
}
