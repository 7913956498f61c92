//! Import from the browser: HMIS admins upload an export and read the report.

use super::*;

on_both_databases!(hmis_admins_import_an_upload_or_read_why_not, |app| {
    use app::features::hmis_import::api::JobState;
    app.seed_demo().await;
    let source = export(&app, &options(&app)).await;
    let target = common::spawn(app.backend).await.unwrap();
    target.seed_demo().await;
    let admin = target.signed_in("admin").await;

    // An export that cannot be read as one: refused with the line, nothing written.
    let mut bad = source.clone();
    let i = bad["Project.csv"][0]
        .iter()
        .position(|h| h == "OperatingStartDate")
        .unwrap();
    for row in bad.get_mut("Project.csv").unwrap() {
        row.remove(i);
    }
    let response = upload(&target, &admin, "bad.zip", zip_files(&bad)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], app::routes::ADMIN_IMPORTS);
    let jobs = finished_imports(&target, &admin).await;
    assert_eq!(jobs[0].state, JobState::Failed);
    assert_eq!(jobs[0].file_name, "bad.zip");
    assert_eq!(jobs[0].result.total, 1);
    let problem = &jobs[0].result.problems[0];
    assert_eq!(
        (problem.file.as_str(), problem.line, problem.column.as_deref()),
        ("Project.csv", Some(1), Some("OperatingStartDate"))
    );
    let before = counts(&target).await;

    // The good file imports: the source's projects are now in the target too.
    let response = upload(&target, &admin, "good.zip", zip_files(&source)).await;
    assert_eq!(response.status(), 303);
    let jobs = finished_imports(&target, &admin).await;
    assert_eq!(
        jobs[0].state,
        JobState::Done,
        "{:?} {:?} {}",
        jobs[0].message,
        jobs[0].result.problems,
        jobs.len()
    );
    assert_eq!(jobs[0].started_by.as_deref(), Some("admin"));
    assert_eq!(
        target.state.jobs.live.get(&jobs[0].job_run_id),
        None,
        "the progress in memory goes with the job"
    );
    // The report says where the export came from and what it holds.
    let from = jobs[0].result.source.clone().unwrap_or_default();
    assert!(
        from.ends_with(&format!("ImplementationID {}", app.implementation_id)),
        "{from}"
    );
    assert_eq!(
        jobs[0].result.scope.as_deref(),
        Some("Full refresh, 2025-10-01 to 2026-09-30")
    );
    let report = target
        .page(&admin, &app::routes::import_report(&jobs[0].job_run_id))
        .await;
    assert!(
        report.contains("Full refresh, 2025-10-01 to 2026-09-30"),
        "{report}"
    );
    let after = counts(&target).await;
    assert_eq!(after[1], before[1] + exported_projects() as u64);
    assert!(
        std::fs::read_dir(target.files.path().join("jobs"))
            .unwrap()
            .count()
            == 0,
        "uploads are not kept"
    );
    assert!(
        target
            .audit_actions()
            .await
            .contains(&"hmis_import_started".to_string())
    );

    // A dirty file imports, and the job keeps its report.
    let mut dirty = source.clone();
    set(&mut dirty, "Project.csv", 1, "OperatingEndDate", "11-05-09");
    let response = upload(&target, &admin, "dirty.zip", zip_files(&dirty)).await;
    assert_eq!(response.status(), 303);
    let jobs = finished_imports(&target, &admin).await;
    assert_eq!(jobs[0].state, JobState::Done, "{:?}", jobs[0].message);
    assert_eq!(jobs[0].result.findings_total, 1);
    assert_eq!(jobs[0].result.findings_kept, 1);
    assert_eq!(jobs[0].result.findings[0].kind, FindingKind::NotADate);
    let projects = jobs[0]
        .result
        .files
        .iter()
        .find(|f| f.file == "Project.csv")
        .unwrap();
    let rows = dirty["Project.csv"].len() as u64 - 1;
    assert_eq!(
        (projects.read, projects.imported, projects.skipped),
        (rows, rows, 0)
    );
    assert!(
        jobs[0].message.as_deref().unwrap_or("").contains("1 finding"),
        "{:?}",
        jobs[0].message
    );

    // Not a zip, nobody else, no session, another site.
    let response = upload(&target, &admin, "notes.txt", b"hello".to_vec()).await;
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .contains("error=")
    );
    for username in ["agencyadmin", "casemanager"] {
        let other = target.signed_in(username).await;
        assert_eq!(
            upload(&target, &other, "good.zip", zip_files(&source))
                .await
                .status(),
            403
        );
        assert_eq!(target.call_as(&other, "list_imports", &[]).await.status(), 403);
    }
    assert_eq!(
        upload(&target, &target.client, "good.zip", zip_files(&source))
            .await
            .status(),
        401
    );
    let part = reqwest::multipart::Part::bytes(zip_files(&source)).file_name("good.zip");
    let cross_site = admin
        .post(target.url(app::routes::ADMIN_IMPORTS))
        .header("Origin", "https://evil.example")
        .header("Sec-Fetch-Site", "cross-site")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    assert_eq!(
        finished_imports(&target, &admin).await.len(),
        3,
        "no other import was queued"
    );
    assert_eq!(counts(&target).await, after);
});
