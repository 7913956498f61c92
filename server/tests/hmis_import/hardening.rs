//! Import hardening (issue 20): hostile files are refused clearly, nothing is written,
//! memory stays flat.

use super::*;

/// This process's peak resident memory, from /proc (nextest runs each test in a
/// process of its own).
fn peak_memory_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kib * 1024
}

/// A zip of `files` with `name` replaced by `bytes` written raw (deflated, fastest).
fn zip_with_raw(files: &Files, name: &str, write: impl FnOnce(&mut dyn std::io::Write)) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .large_file(true);
    for (file, rows) in files.iter().filter(|(f, _)| f.as_str() != name) {
        zip.start_file(file.as_str(), options).unwrap();
        let mut csv = csv::Writer::from_writer(Vec::new());
        for row in rows {
            csv.write_record(row).unwrap();
        }
        zip.write_all(&csv.into_inner().unwrap()).unwrap();
    }
    zip.start_file(name, options).unwrap();
    write(&mut zip);
    zip.finish().unwrap();
    out.into_inner()
}

fn refusal(result: Result<hmis_csv::import::ImportSummary, hmis_csv::import::ImportError>) -> String {
    match result {
        Err(hmis_csv::import::ImportError::Refused(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The bombs are refused before anything is written, whatever the database: SQLite only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zip_bomb_is_refused_while_memory_stays_flat() {
    let app = common::spawn(common::Backend::Sqlite).await.expect("SQLite");
    app.seed_demo().await;
    let source = export(&app, &options(&app)).await;
    let before = counts(&app).await;
    // Client.csv: the header, then 1 GiB of one line (about 1 MB zipped).
    let bomb = zip_with_raw(&source, "Client.csv", |out| {
        let header = source["Client.csv"][0].join(",");
        out.write_all(format!("{header}\n").as_bytes()).unwrap();
        let chunk = vec![b'A'; 1 << 20];
        for _ in 0..1024 {
            out.write_all(&chunk).unwrap();
        }
    });
    assert!(bomb.len() < 4 << 20, "the bomb is small: {} bytes", bomb.len());
    let message = refusal(import(&app, bomb).await);
    assert!(message.contains("Client.csv"), "{message}");
    assert!(message.contains("longer than 64 KiB"), "{message}");
    assert_eq!(counts(&app).await, before, "nothing was written");
    // Many short lines instead: stopped by the compression ratio long before their end.
    let lines = zip_with_raw(&source, "Enrollment.csv", |out| {
        let header = source["Enrollment.csv"][0].join(",");
        out.write_all(format!("{header}\n").as_bytes()).unwrap();
        let chunk = b"\n".repeat(1 << 20);
        for _ in 0..256 {
            out.write_all(&chunk).unwrap();
        }
    });
    let message = refusal(import(&app, lines).await);
    assert!(
        message.contains("Enrollment.csv") && message.contains("200 times"),
        "{message}"
    );
    assert_eq!(counts(&app).await, before);
    let peak = peak_memory_bytes();
    assert!(peak < 300 << 20, "peak memory {} MiB", peak >> 20);
}

on_both_databases!(
    hostile_zip_names_and_files_are_refused_and_nothing_is_written,
    |app| {
        app.seed_demo().await;
        // A client inside the export's period.
        common::households::household(&app, "Riverside Rapid Re-Housing", &[(1, 400)]).await;
        let source = export(&app, &options(&app)).await;
        let before = counts(&app).await;
        let renamed = |from: &str, to: &str| {
            let mut files = source.clone();
            let rows = files.remove(from).unwrap();
            files.insert(to.to_string(), rows);
            zip_files(&files)
        };
        for (name, says) in [
            ("../Client.csv", "leaves its folder"),
            ("/tmp/Client.csv", "absolute path"),
            ("a/b/Client.csv", "more than one folder deep"),
        ] {
            let message = refusal(import(&app, renamed("Client.csv", name)).await);
            assert!(message.contains(says), "{name}: {message}");
        }
        // One folder is how many HMIS zip their export: accepted.
        let mut folder = Files::new();
        for (name, rows) in &source {
            folder.insert(format!("export/{name}"), rows.clone());
        }
        let mut twice = source.clone();
        twice.insert("copy/Client.csv".into(), source["Client.csv"].clone());
        let message = refusal(import(&app, zip_files(&twice)).await);
        assert!(message.contains("both"), "{message}");
        assert_eq!(counts(&app).await, before);

        // A NUL in a cell, and a cell that is not UTF-8: listed by file, line and
        // column, the cell stored empty (FirstName may be empty), the rest imported.
        let mut nul = source.clone();
        let at = nul["Client.csv"][0]
            .iter()
            .position(|h| h == "FirstName")
            .unwrap();
        nul.get_mut("Client.csv").unwrap()[1][at] = "Ana\0".into();
        let first_client = nul["Client.csv"][1][0].clone();
        assert_eq!(
            findings(import(&app, zip_files(&nul)).await),
            [finding(
                "Client.csv",
                2,
                "FirstName",
                FindingKind::ControlCharacter,
                FindingAction::StoredEmpty
            )]
        );
        assert_eq!(first_name(&app, &first_client).await, None);
        let latin1 = zip_with_raw(&source, "Client.csv", |out| {
            let mut csv = csv::Writer::from_writer(Vec::new());
            for row in &source["Client.csv"] {
                csv.write_record(row).unwrap();
            }
            let mut bytes = csv.into_inner().unwrap();
            let first = source["Client.csv"][1][at].as_bytes().to_vec();
            let start = bytes
                .windows(first.len())
                .position(|w| w == first.as_slice())
                .unwrap();
            bytes.splice(start..start + first.len(), [b'J', 0xF6, b'r', b'g']);
            out.write_all(&bytes).unwrap();
        });
        let summary = import(&app, latin1).await.expect("imported");
        let listed = summary.report.kept();
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(
            (
                listed[0].line,
                listed[0].column.as_deref(),
                listed[0].kind,
                listed[0].value.as_deref()
            ),
            (2, Some("FirstName"), FindingKind::NotUtf8, Some("J\u{fffd}rg"))
        );
        assert_eq!(counts(&app).await, before);

        // An empty file and a file that is no zip never open as archives; through the
        // upload they are refused clearly.
        assert!(zip::ZipArchive::new(std::io::Cursor::new(Vec::<u8>::new())).is_err());
        let admin = app.signed_in("admin").await;
        let response = upload(&app, &admin, "empty.zip", Vec::new()).await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert!(location.contains("error=The+file+is+empty"), "{location}");
        let response = upload(&app, &admin, "notes.zip", b"not a zip at all".to_vec()).await;
        assert_eq!(response.status(), 303);
        let jobs = finished_imports(&app, &admin).await;
        let job = jobs
            .iter()
            .find(|j| j.file_name == "notes.zip")
            .expect("the upload is a job");
        assert_eq!(job.state, app::features::hmis_import::api::JobState::Failed);
        let message = job.message.clone().unwrap_or_default();
        assert!(message.contains("not a zip"), "{message}");
        assert_eq!(counts(&app).await, before);
        // The folder zip imports (its rows are the demo's own: updated in place).
        import(&app, zip_files(&folder))
            .await
            .expect("one folder is accepted");
    }
);
