//! An HMIS CSV import's report on both databases: findings stored for a job (as the job
//! runner stores them, without running an import) read back a page at a time, filtered
//! by file and kind, and downloaded as CSV; the report and the imports list as a
//! browser loads them; who may read it (HMIS admins) and what is refused (another
//! workgroup, no session, an unknown job, a filter the report cannot use) — with
//! nothing audited for a refusal. Also the schema of migration 000020.

mod common;

use app::features::hmis_import::api::{
    FileCount, FindingAction, FindingCount, FindingKind, ImportFinding, ImportReportPage, ImportResult,
    REPORT_PAGE_SIZE,
};
use app::features::hmis_import::service::store_findings;
use common::households::exec;
use common::workflow::ok_json;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set};

/// The report's findings: 60 bad dates in Client.csv, 50 bad codes in Enrollment.csv,
/// 10 exits of unknown enrollments (rows left out), in that order.
fn findings() -> Vec<ImportFinding> {
    let mut out = Vec::new();
    for line in 2..62 {
        out.push(ImportFinding {
            file: "Client.csv".into(),
            line,
            column: Some("DOB".into()),
            // A value a spreadsheet would run, one with a comma and quotes, one with NUL.
            value: Some(match line {
                2 => "=1+1".into(),
                3 => "12/31/\"85\", maybe".into(),
                4 => "19\085-01-01".into(),
                _ => format!("85-{line:02}-01"),
            }),
            kind: FindingKind::NotADate,
            action: FindingAction::StoredEmpty,
            message: "Not a date written YYYY-MM-DD; stored empty.".into(),
        });
    }
    for line in 2..52 {
        out.push(ImportFinding {
            file: "Enrollment.csv".into(),
            line,
            column: Some("RelationshipToHoH".into()),
            value: Some("7".into()),
            kind: FindingKind::NotACode,
            action: FindingAction::StoredNotCollected,
            message: "7 is not a code of 3.15 RelationshipToHoH.".into(),
        });
    }
    for line in 2..12 {
        out.push(ImportFinding {
            file: "Exit.csv".into(),
            line,
            column: Some("EnrollmentID".into()),
            value: Some(format!("E{line}")),
            kind: FindingKind::UnknownReference,
            action: FindingAction::RowSkipped,
            message: "No enrollment has this EnrollmentID.".into(),
        });
    }
    out
}

/// The job's result, as the runner keeps it: 130 of its 200 findings listed.
fn result() -> ImportResult {
    let count = |file: &str, kind, action, count| FindingCount {
        file: file.into(),
        kind,
        action,
        count,
    };
    let file = |file: &str, read, imported, skipped| FileCount {
        file: file.into(),
        read,
        imported,
        skipped,
        kept_newer: 0,
        deleted: 0,
    };
    ImportResult {
        version: Some("2026".into()),
        files: vec![
            file("Client.csv", 300, 300, 0),
            file("Enrollment.csv", 400, 400, 0),
            file("Exit.csv", 100, 90, 10),
            // A file the export held no rows in: not listed.
            file("Funder.csv", 0, 0, 0),
        ],
        findings: vec![
            count(
                "Client.csv",
                FindingKind::NotADate,
                FindingAction::StoredEmpty,
                140,
            ),
            count(
                "Enrollment.csv",
                FindingKind::NotACode,
                FindingAction::StoredNotCollected,
                50,
            ),
            count(
                "Exit.csv",
                FindingKind::UnknownReference,
                FindingAction::RowSkipped,
                10,
            ),
        ],
        findings_total: 200,
        findings_kept: 120,
        ..Default::default()
    }
}

/// A finished import job of `kind` started by the demo HMIS admin, with the report's
/// findings stored. Answers its ID.
async fn job(app: &common::TestApp, kind: app::jobs::JobKind) -> String {
    let id = app::db::new_id();
    let admin = common::households::user_id(app, "admin").await;
    let mut row = app::jobs::NewJob {
        id: id.clone(),
        kind,
        status: app::jobs::JobState::Done,
        at: app.state.now(),
        total: Some(2),
        message: "Imported 790 of 800 rows (200 findings in the report).",
        created_by: Some(admin),
        params: r#"{"file_name":"dirty.zip"}"#.into(),
    }
    .row();
    row.result = Set(serde_json::to_string(&result()).ok());
    row.progress = Set(2);
    row.insert(&app.db).await.expect("job row");
    store_findings(&app.db, &id, &findings())
        .await
        .expect("findings stored");
    id
}

async fn report(app: &common::TestApp, who: &reqwest::Client, form: &[(&str, &str)]) -> ImportReportPage {
    ok_json(app.call_as(who, "import_report", form).await).await
}

fn lines(page: &ImportReportPage) -> Vec<(String, u64)> {
    page.rows.iter().map(|f| (f.file.clone(), f.line)).collect()
}

/// The report's audited actions so far.
async fn report_audits(app: &common::TestApp) -> Vec<String> {
    app.audit_actions()
        .await
        .into_iter()
        .filter(|a| a.starts_with("hmis_import.report"))
        .collect()
}

async fn stored(app: &common::TestApp) -> u64 {
    app::db::entities::import_finding::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

on_both_databases!(hmis_admins_page_through_a_report_by_file_and_kind, |app| {
    app.seed_demo().await;
    let id = job(&app, app::jobs::JobKind::HmisImport).await;
    let admin = app.signed_in("admin").await;
    // As stored: NUL as a sign for it (PostgreSQL holds no NUL).
    let all: Vec<ImportFinding> = findings()
        .into_iter()
        .map(|mut f| {
            f.value = f.value.map(|v| v.replace('\0', "\u{2400}"));
            f
        })
        .collect();

    let first = report(&app, &admin, &[("job_run_id", &id)]).await;
    assert_eq!(first.job.job_run_id, id);
    assert_eq!(first.job.file_name, "dirty.zip");
    assert_eq!(first.job.started_by.as_deref(), Some("admin"));
    assert_eq!(first.job.result, result());
    assert_eq!(first.matching, 120);
    assert_eq!(first.page, 0);
    assert!(first.has_more);
    assert_eq!(first.rows, all[..REPORT_PAGE_SIZE].to_vec());
    assert_eq!(first.files, ["Client.csv", "Enrollment.csv", "Exit.csv"]);
    assert_eq!(
        first.kinds,
        [
            FindingKind::NotACode,
            FindingKind::NotADate,
            FindingKind::UnknownReference
        ]
    );
    assert_eq!(first.rows[2].value.as_deref(), Some("19\u{2400}85-01-01"));

    let last = report(&app, &admin, &[("job_run_id", &id), ("page", "2")]).await;
    assert_eq!(last.rows, all[100..].to_vec());
    assert!(!last.has_more);
    let beyond = report(&app, &admin, &[("job_run_id", &id), ("page", "99")]).await;
    assert!(beyond.rows.is_empty() && !beyond.has_more);

    // One file: its findings only, all on one page.
    let enrollments = report(&app, &admin, &[("job_run_id", &id), ("file", "Enrollment.csv")]).await;
    assert_eq!(enrollments.matching, 50);
    assert!(!enrollments.has_more);
    assert_eq!(enrollments.rows, all[60..110].to_vec());
    // Its choices are still every file and kind of the job.
    assert_eq!(enrollments.files.len(), 3);
    assert_eq!(enrollments.kinds.len(), 3);

    // One kind: 60 bad dates, 50 then 10.
    let dates = report(&app, &admin, &[("job_run_id", &id), ("kind", "not_a_date")]).await;
    assert_eq!((dates.matching, dates.rows.len(), dates.has_more), (60, 50, true));
    let dates = report(
        &app,
        &admin,
        &[("job_run_id", &id), ("kind", "not_a_date"), ("page", "1")],
    )
    .await;
    assert_eq!(
        lines(&dates),
        (52..62)
            .map(|l| ("Client.csv".to_string(), l))
            .collect::<Vec<_>>()
    );
    assert!(!dates.has_more);

    // File and kind together; "any" (empty) is no filter.
    let skipped = report(
        &app,
        &admin,
        &[
            ("job_run_id", &id),
            ("file", "Exit.csv"),
            ("kind", "unknown_reference"),
        ],
    )
    .await;
    assert_eq!(skipped.rows, all[110..].to_vec());
    let none = report(
        &app,
        &admin,
        &[
            ("job_run_id", &id),
            ("file", "Client.csv"),
            ("kind", "not_a_code"),
        ],
    )
    .await;
    assert_eq!((none.matching, none.rows.len(), none.has_more), (0, 0, false));
    let any = report(&app, &admin, &[("job_run_id", &id), ("file", ""), ("kind", "")]).await;
    assert_eq!(any.matching, 120);

    // Each page read is one audited view, naming the job and never a value.
    assert_eq!(report_audits(&app).await, vec!["hmis_import.report_view"; 9]);
    use app::db::entities::audit_log;
    use sea_orm::{ColumnTrait, QueryFilter};
    let views = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("hmis_import.report_view"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(views.iter().all(|v| v.entity_id.as_deref() == Some(id.as_str())));
    assert!(
        views
            .iter()
            .any(|v| v.detail.as_deref().is_some_and(|d| d.contains("kind=not_a_date")))
    );
    assert!(
        !views
            .iter()
            .any(|v| v.detail.as_deref().is_some_and(|d| d.contains("85-")))
    );
});

on_both_databases!(the_report_downloads_as_csv_with_its_filter, |app| {
    app.seed_demo().await;
    let id = job(&app, app::jobs::JobKind::HmisImport).await;
    let admin = app.signed_in("admin").await;
    let get = |query: &str| {
        admin
            .get(app.url(&format!("{}{query}", app::routes::import_report_csv(&id))))
            .send()
    };

    let response = get("?file=Client.csv&kind=not_a_date").await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("import-report.csv")
    );
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "File,Line,Column,Value,Kind,Problem,Action");
    assert_eq!(lines.len(), 61, "the header and the 60 bad dates");
    // A formula is defused; a comma and quotes are quoted.
    assert_eq!(
        lines[1],
        "Client.csv,2,DOB,'=1+1,not_a_date,Not a date written YYYY-MM-DD; stored empty.,stored_empty"
    );
    assert!(lines[2].starts_with("Client.csv,3,DOB,\"12/31/\"\"85\"\", maybe\",not_a_date,"));

    // No filter: every kept finding, in report order.
    let body = get("").await.unwrap().text().await.unwrap();
    let rows: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).skip(1).collect();
    assert_eq!(rows.len(), 120);
    assert!(rows[119].starts_with("Exit.csv,11,EnrollmentID,E11,unknown_reference,"));
    assert!(rows[119].ends_with(",row_skipped"));

    assert_eq!(report_audits(&app).await, vec!["hmis_import.report_download"; 2]);
});

on_both_databases!(the_report_and_the_imports_list_render_for_a_browser, |app| {
    app.seed_demo().await;
    let id = job(&app, app::jobs::JobKind::HmisImport).await;
    let admin = app.signed_in("admin").await;
    let page = |path: String| admin.get(app.url(&path)).header("Accept", "text/html").send();

    let list = page(app::routes::ADMIN_IMPORTS.to_string()).await.unwrap();
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    assert!(
        list.contains("Imported 790 of 800 rows (200 findings in the report)."),
        "{list}"
    );
    assert!(list.contains(&format!("href=\"{}\"", app::routes::import_report(&id))));
    assert!(list.contains("data-testid=\"import-report-link\""));

    let html = page(format!("{}?kind=not_a_date", app::routes::import_report(&id)))
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    assert!(html.contains(r#"<th scope="row">Exit.csv</th>"#), "{html}");
    assert!(
        !html.contains(r#"<th scope="row">Funder.csv</th>"#),
        "a file without rows is not listed"
    );
    for text in [
        "Import report",
        "← HMIS CSV import",
        "dirty.zip",
        "Rows by file",
        "Row not imported",
        "Not a date (YYYY-MM-DD)",
        "The first 120 of 200 findings are listed",
        "data-testid=\"import-findings\"",
        "60 findings match.",
        "Download as CSV",
        "Next",
    ] {
        assert!(html.contains(text), "the report shows {text:?}");
    }
    // The download and the next page keep the filter.
    let csv = format!("{}?kind=not_a_date", app::routes::import_report_csv(&id));
    assert!(html.contains(&csv), "{csv}");
    let next = format!("{}?kind=not_a_date&page=1", app::routes::import_report(&id));
    assert!(
        html.contains(&next) || html.contains(&next.replace('&', "&amp;")),
        "{next}"
    );

    // A kind the report does not know: the page says what is wrong.
    let bad = page(format!("{}?kind=bogus", app::routes::import_report(&id)))
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("There is no such kind of problem")
    );
});

on_both_databases!(only_hmis_admins_read_a_report, |app| {
    app.seed_demo().await;
    let id = job(&app, app::jobs::JobKind::HmisImport).await;
    let csv = app::routes::import_report_csv(&id);
    for username in ["agencyadmin", "casemanager"] {
        let who = app.signed_in(username).await;
        let response = app.call_as(&who, "import_report", &[("job_run_id", &id)]).await;
        assert_eq!(response.status(), 403, "{username}");
        let response = who.get(app.url(&csv)).send().await.unwrap();
        assert_eq!(response.status(), 403, "{username} downloads");
    }
    let response = app.call("import_report", &[("job_run_id", &id)]).await;
    assert_eq!(response.status(), 401);
    let response = reqwest::Client::new().get(app.url(&csv)).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert!(report_audits(&app).await.is_empty());
});

on_both_databases!(unknown_jobs_and_unusable_filters_are_refused, |app| {
    app.seed_demo().await;
    let id = job(&app, app::jobs::JobKind::HmisImport).await;
    // Another kind of job with findings of its own is not an import.
    let export = job(&app, app::jobs::JobKind::HmisExport).await;
    let admin = app.signed_in("admin").await;
    for job_run_id in ["0190aaaaaaaaaaaaaaaaaaaaaaaaaaaa", export.as_str()] {
        let response = app
            .call_as(&admin, "import_report", &[("job_run_id", job_run_id)])
            .await;
        assert_eq!(response.status(), 404);
        let response = admin
            .get(app.url(&app::routes::import_report_csv(job_run_id)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
    }

    // A kind that does not exist: a clear message next to the kind.
    let response = app
        .call_as(&admin, "import_report", &[("job_run_id", &id), ("kind", "bogus")])
        .await;
    assert_eq!(response.status(), 422);
    let err: app::error::AppError = response.json().await.unwrap();
    let message = err.message_for("kind").expect("the kind is named");
    assert!(message.contains("no such kind of problem"), "{message}");
    let response = admin
        .get(app.url(&format!("{}?kind=bogus", app::routes::import_report_csv(&id))))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("no such kind of problem"));
    // A file name longer than any file's.
    let long = "Client".repeat(7);
    let response = app
        .call_as(&admin, "import_report", &[("job_run_id", &id), ("file", &long)])
        .await;
    assert_eq!(response.status(), 422);
    let err: app::error::AppError = response.json().await.unwrap();
    assert!(err.message_for("file").is_some(), "{err:?}");
    // A page that is not a number.
    let response = app
        .call_as(&admin, "import_report", &[("job_run_id", &id), ("page", "-1")])
        .await;
    assert_eq!(response.status(), 400);

    // Nothing read, nothing audited, nothing stored.
    assert!(report_audits(&app).await.is_empty());
    assert_eq!(stored(&app).await, 240);
});

on_both_databases!(findings_are_stored_afresh_and_go_with_their_job, |app| {
    app.seed_demo().await;
    let id = job(&app, app::jobs::JobKind::HmisImport).await;
    assert_eq!(stored(&app).await, 120);

    // Stored again (a job run again): replaced, numbered from 0, across several
    // INSERTs (more findings than one statement takes).
    let mut many = Vec::new();
    for _ in 0..60 {
        many.extend(findings());
    }
    assert_eq!(many.len(), 7_200);
    store_findings(&app.db, &id, &many).await.unwrap();
    assert_eq!(stored(&app).await, 7_200);
    let row = app
        .db
        .query_one_raw(app::db::statement(
            app.db.get_database_backend(),
            "SELECT MIN(seq) AS lo, MAX(seq) AS hi, COUNT(DISTINCT seq) AS n FROM import_findings WHERE job_run_id = ?",
            vec![id.clone().into()],
        ))
        .await
        .unwrap()
        .unwrap();
    let (lo, hi, n): (i64, i64, i64) = (
        row.try_get("", "lo").unwrap(),
        row.try_get("", "hi").unwrap(),
        row.try_get("", "n").unwrap(),
    );
    assert_eq!((lo, hi, n), (0, 7_199, 7_200));

    // Inside a caller's transaction, they are written with it or not at all.
    let txn = app::db::begin_write(&app.db).await.unwrap();
    store_findings(&txn, &id, &findings()).await.unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(stored(&app).await, 7_200);

    // The job's deletion takes its findings.
    exec(&app, "DELETE FROM job_runs WHERE job_run_id = ?", vec![id.into()]).await;
    assert_eq!(stored(&app).await, 0);
});

on_both_databases!(migration_000020_widens_names_and_adds_user_contact, |app| {
    app.seed_demo().await;
    // A hashed name (HashStatus 4): 64 hex digits in every name column.
    let member = common::households::household(&app, "Riverside Rapid Re-Housing", &[(1, 10)]).await;
    let hashed = "a".repeat(64);
    exec(
        &app,
        "UPDATE clients SET first_name = ?, middle_name = ?, last_name = ?, name_suffix = ? WHERE personal_id = ?",
        vec![
            hashed.clone().into(),
            hashed.clone().into(),
            hashed.clone().into(),
            hashed.clone().into(),
            member[0].0.clone().into(),
        ],
    )
    .await;
    // User.csv's phone, extension and DateDeleted.
    exec(
        &app,
        "UPDATE users SET phone = ?, phone_extension = ?, date_deleted = ? WHERE username = ?",
        vec![
            "5735550100".into(),
            "12345".into(),
            app.state.now().into(),
            "casemanager".into(),
        ],
    )
    .await;
    use app::db::entities::user;
    use sea_orm::{ColumnTrait, QueryFilter};
    let casey = user::Entity::find()
        .filter(user::Column::Username.eq("casemanager"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(casey.phone.as_deref(), Some("5735550100"));
    assert_eq!(casey.phone_extension.as_deref(), Some("12345"));
    assert!(casey.date_deleted.is_some());
});
