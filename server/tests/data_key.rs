//! Issue 26: the data key belongs to its database, on both databases. Every command
//! that reads or writes sealed values, started with the key missing (another data
//! directory) or another key, is refused with one line and writes nothing: no row, no
//! key file, no output file.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use sea_orm::DatabaseConnection;

fn hearth(database: &str, data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
    cmd.env_remove("HEARTH_CONFIG")
        .env_remove("HEARTH_DATA_KEY")
        .env("HEARTH_AUTO_EXIT_AT", "off")
        .env("DATABASE_URL", database)
        .env("HEARTH_DATA_DIR", data_dir)
        .env("RUST_LOG", "off");
    cmd
}

/// Every table's row count and every setting (what a refused command must not change).
async fn state(db: &DatabaseConnection) -> (BTreeMap<String, u64>, Vec<(String, String)>) {
    let settings = app::db::settings::with_prefix(db, "").await.unwrap();
    (common::table_counts(db).await, settings)
}

fn succeeds(cmd: &mut Command) {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

on_both_backends!(every_command_refuses_a_missing_or_other_key, |backend| {
    let Some(database) = common::TestDatabase::create(backend).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (home, elsewhere) = (dir.path().join("home"), dir.path().join("elsewhere"));
    std::fs::create_dir_all(&elsewhere).unwrap();
    succeeds(hearth(&database.url, &home).args(["demo-data", "--clients", "40", "--seed", "9"]));
    let export = dir.path().join("made-with-the-key.zip");
    succeeds(
        hearth(&database.url, &home)
            .args(["export", "--out"])
            .arg(&export),
    );
    let db = app::db::connect(&database.url).await.unwrap();
    let before = state(&db).await;
    let out = dir.path().join("out");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let commands: Vec<Vec<String>> = vec![
        vec!["serve".into(), "--addr".into(), format!("127.0.0.1:{port}")],
        vec!["export".into(), "--out".into(), out.display().to_string()],
        vec!["import".into(), export.display().to_string()],
        vec!["rotate-key".into()],
        vec!["bench".into(), "search".into(), "--samples".into(), "1".into()],
        vec![
            "copy".into(),
            "--to".into(),
            "postgres://postgres@127.0.0.1:5432/never_made".into(),
        ],
    ];
    let other = dir.path().join("other.key");
    std::fs::write(&other, app::crypto::DataKey::generate().to_base64()).unwrap();
    for args in &commands {
        for (how, says) in [("missing", "not at"), ("other", "is not the one")] {
            let mut cmd = hearth(&database.url, &elsewhere);
            if how == "other" {
                cmd.env("HEARTH_DATA_KEY_FILE", &other);
            }
            let output = cmd.args(args).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!output.status.success(), "{args:?} with the key {how}");
            let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
            assert_eq!(lines.len(), 1, "{args:?}, key {how}: {stderr}");
            assert!(lines[0].contains(says), "{args:?}, key {how}: {stderr}");
            assert!(!elsewhere.join("data.key").exists(), "{args:?}: no key made");
            assert!(!out.exists(), "{args:?}: no file written");
            assert_eq!(state(&db).await, before, "{args:?}, key {how}: nothing written");
        }
    }
});
