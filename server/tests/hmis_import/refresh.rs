//! Importing again: progress by file and row, Hearth's newer copies kept, soft deletes
//! and the full refresh.

use super::*;

on_both_databases!(
    two_systems_with_the_same_ids_stay_apart_and_each_updates_its_own,
    |app| {
        let generated = generated(&app).await;
        let target = common::spawn(app.backend).await.unwrap();
        let empty = records(&target).await;
        // Two systems whose IDs are the same (as two vendors' counters are): other people.
        let mut a = generated.clone();
        set(&mut a, "Export.csv", 1, "ImplementationID", "system-a");
        let mut b = generated.clone();
        set(&mut b, "Export.csv", 1, "ImplementationID", "system-b");
        for row in 1..b["Client.csv"].len() {
            set(&mut b, "Client.csv", row, "FirstName", &format!("Bee{row}"));
        }
        let first_id = get(&a, "Client.csv", 1, "PersonalID").to_string();
        let a_name = get(&a, "Client.csv", 1, "FirstName").to_string();

        import(&target, zip_files(&a)).await.expect("system A imports");
        let after_a = records(&target).await;
        // System A's IDs were free: kept as they are.
        assert_eq!(first_name(&target, &first_id).await, Some(a_name.clone()));
        import(&target, zip_files(&b)).await.expect("system B imports");
        let after_b = records(&target).await;
        // Nothing of A's was overwritten: every record of B is a new one, households too.
        for i in 0..5 {
            assert_eq!(
                after_b[i] - after_a[i],
                after_a[i] - empty[i],
                "kind {i}: {after_b:?}"
            );
        }
        assert_eq!(first_name(&target, &first_id).await, Some(a_name.clone()));
        assert_eq!(
            total(
                &target,
                "SELECT COUNT(*) FROM clients WHERE first_name LIKE 'Bee%'"
            )
            .await,
            (b["Client.csv"].len() - 1) as i64
        );
        // Each record names its own system's records, and no household mixes systems.
        let crossed = "SELECT COUNT(*) FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id \
                   JOIN projects p ON p.project_id = e.project_id \
                   WHERE e.import_source_id <> c.import_source_id OR e.import_source_id <> p.import_source_id";
        assert_eq!(total(&target, crossed).await, 0);
        let exits = "SELECT COUNT(*) FROM exits x JOIN enrollments e ON e.enrollment_id = x.enrollment_id \
                 WHERE x.import_source_id <> e.import_source_id OR x.personal_id <> e.personal_id";
        assert_eq!(total(&target, exits).await, 0);
        let mixed = "SELECT COUNT(*) FROM (SELECT household_id FROM enrollments GROUP BY household_id \
                 HAVING COUNT(DISTINCT import_source_id) > 1) h";
        assert_eq!(total(&target, mixed).await, 0);

        // A system's next import finds its own records: B's first client renamed, nothing
        // doubles, A's client untouched; A again changes nothing.
        set(&mut b, "Client.csv", 1, "FirstName", "Renamed");
        import(&target, zip_files(&b))
            .await
            .expect("system B imports again");
        import(&target, zip_files(&a))
            .await
            .expect("system A imports again");
        assert_eq!(records(&target).await, after_b);
        assert_eq!(
            total(
                &target,
                "SELECT COUNT(*) FROM clients WHERE first_name = 'Renamed'"
            )
            .await,
            1
        );
        assert_eq!(first_name(&target, &first_id).await, Some(a_name));

        // A third system's delta naming a client only the others have: the row is left out.
        let mut c = Files::new();
        c.insert("Export.csv".into(), a["Export.csv"].clone());
        set(&mut c, "Export.csv", 1, "ImplementationID", "system-c");
        set(&mut c, "Export.csv", 1, "ExportDirective", "1");
        c.insert("Enrollment.csv".into(), a["Enrollment.csv"][..2].to_vec());
        let found = findings(import(&target, zip_files(&c)).await);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found
                .iter()
                .all(|f| f.3 == FindingKind::UnknownReference && f.4 == FindingAction::RowSkipped),
            "{found:?}"
        );
        assert_eq!(records(&target).await, after_b);

        // Hearth's own export comes back as it is: its IDs are Hearth's.
        let mut everything = options(&target);
        everything.from = None;
        everything.to = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let own = export(&target, &everything).await;
        import(&target, zip_files(&own))
            .await
            .expect("its own export imports");
        assert_eq!(records(&target).await, after_b);
        let sources = total(&target, "SELECT COUNT(*) FROM import_sources").await;
        assert_eq!(sources, 3, "A, B and C; Hearth's own export is none");
    }
);

on_both_databases!(an_import_tells_its_progress_by_file_and_row, |app| {
    // Each file the zip holds is told as it starts and as its rows are written, in the
    // spec's order, the bytes done only growing to the total.
    let files = generated(&app).await;
    let target = common::spawn(app.backend).await.unwrap();
    target.seed_demo().await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_files(&files))).unwrap();
    let options = hmis_csv::import::ImportOptions {
        time_zone: chrono_tz::America::Chicago,
        data_key: target.state.data_key.clone(),
    };
    let mut told: Vec<hmis_csv::import::ImportProgress> = Vec::new();
    let summary = hmis_csv::import::import(&target.db, &mut archive, &options, &mut |p| told.push(p.clone()))
        .await
        .expect("imports");
    let held = files.len() - 1; // all but Export.csv
    assert!(told.iter().all(|p| p.files == held), "{:?}", told[0]);
    let total = told[0].total_bytes;
    assert!(total > 0);
    assert!(
        told.windows(2)
            .all(|w| w[0].done_bytes <= w[1].done_bytes && w[0].file_number <= w[1].file_number)
    );
    let last = told.last().unwrap();
    assert_eq!(
        (last.done_bytes, last.permille(), last.file_number),
        (total, 1000, held)
    );
    // Each file's last word has its rows.
    for count in summary.files.iter().filter(|f| f.read > 0) {
        let said = told.iter().rfind(|p| p.file == count.file).unwrap();
        assert_eq!(said.rows, count.read, "{}", count.file);
        let message = said.message();
        assert!(
            message.starts_with(&format!("Importing {} (file ", count.file))
                && message.ends_with(&format!("): {} rows read", count.read)),
            "{message}"
        );
    }
    assert!(told.iter().any(|p| p.permille() > 0 && p.permille() < 1000));

    // A running import's page shows the progress its server holds in memory (the job's
    // row cannot: on SQLite the import holds the one writer).
    let admin = target.signed_in("admin").await;
    let id = app::db::new_id();
    let mut row = app::jobs::NewJob {
        id: id.clone(),
        kind: app::jobs::JobKind::HmisImport,
        status: app::jobs::JobState::Running,
        at: target.state.now(),
        total: Some(app::features::hmis_import::service::STEPS),
        message: "Reading and importing every file",
        created_by: None,
        params: r#"{"file_name":"big.zip"}"#.into(),
    }
    .row();
    // Its worker alive for the length of the test.
    row.worker = sea_orm::Set(Some(target.state.jobs.worker.clone()));
    row.heartbeat_at = sea_orm::Set(Some(chrono::Utc::now() + chrono::Duration::hours(1)));
    sea_orm::ActiveModelTrait::insert(row, &target.db).await.unwrap();
    let live = hmis_csv::import::ImportProgress {
        file: "Enrollment.csv".into(),
        file_number: 12,
        files: 23,
        rows: 120_000,
        done_bytes: 250,
        total_bytes: 1000,
    };
    target.state.jobs.live.set(
        &id,
        app::jobs::LiveProgress {
            progress: live.permille(),
            total: 1000,
            message: live.message(),
        },
    );
    let page = target.page(&admin, app::routes::ADMIN_IMPORTS).await;
    assert!(
        page.contains("Importing Enrollment.csv (file 12 of 23): 120000 rows read"),
        "{page}"
    );
    assert!(page.contains(r#"max="1000" value="250""#), "{page}");
    // Done, the row speaks again.
    target.state.jobs.live.clear(&id);
    let page = target.page(&admin, app::routes::ADMIN_IMPORTS).await;
    assert!(page.contains("Reading and importing every file"), "{page}");
});

on_both_databases!(a_later_import_keeps_hearths_newer_copy_and_soft_deletes, |app| {
    let mut files = generated(&app).await;
    set(&mut files, "Export.csv", 1, "ImplementationID", "system-a");
    let target = common::spawn(app.backend).await.unwrap();
    import(&target, zip_files(&files)).await.expect("imports");
    let before = records(&target).await;

    // A case manager corrects a name in Hearth after the import.
    let edited = get(&files, "Client.csv", 1, "PersonalID").to_string();
    {
        use sea_orm::ConnectionTrait;
        let sql = "UPDATE clients SET first_name = 'Corrected', updated_at = ? WHERE personal_id = ?";
        let values = vec![chrono::Utc::now().into(), edited.clone().into()];
        target
            .db
            .execute_raw(app::db::statement(target.db.get_database_backend(), sql, values))
            .await
            .unwrap();
    }
    // The same export again, that client's name changed in it but not its DateUpdated:
    // Hearth's newer copy stays, the rest is written as it was (nothing changes).
    let mut again = files.clone();
    set(&mut again, "Client.csv", 1, "FirstName", "Stale");
    // The source deleted an enrollment and a client since (DateDeleted, DateUpdated later).
    let enrollment = get(&files, "Enrollment.csv", 1, "EnrollmentID").to_string();
    set(
        &mut again,
        "Enrollment.csv",
        1,
        "DateDeleted",
        "2026-10-02 09:00:00",
    );
    set(
        &mut again,
        "Enrollment.csv",
        1,
        "DateUpdated",
        "2026-10-02 09:00:00",
    );
    let deleted_client = get(&files, "Client.csv", 2, "PersonalID").to_string();
    set(&mut again, "Client.csv", 2, "DateDeleted", "2026-10-02 09:00:00");
    set(&mut again, "Client.csv", 2, "DateUpdated", "2026-10-02 09:00:00");
    let summary = import(&target, zip_files(&again)).await.expect("imports again");
    let clients = summary.files.iter().find(|f| f.file == "Client.csv").unwrap();
    assert_eq!(
        (clients.kept_newer, clients.imported, clients.skipped),
        (1, clients.read - 1, 0),
        "{clients:?}"
    );
    assert_eq!(first_name(&target, &edited).await, Some("Corrected".into()));
    // Deleted at the source: kept in Hearth as deleted, gone from what Hearth shows.
    assert!(
        scalar(
            &target,
            "SELECT personal_id FROM clients WHERE personal_id = ? AND date_deleted IS NOT NULL",
            &deleted_client
        )
        .await
        .is_some()
    );
    assert!(
        scalar(
            &target,
            "SELECT enrollment_id FROM enrollments WHERE enrollment_id = ? AND date_deleted IS NOT NULL",
            &enrollment
        )
        .await
        .is_some()
    );
    assert_eq!(
        records(&target).await,
        before,
        "nothing doubles, nothing is removed"
    );
    let mut everything = options(&target);
    everything.from = None;
    everything.to = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let exported = export(&target, &everything).await;
    assert!(!column(&exported["Enrollment.csv"], "EnrollmentID").contains(&enrollment.as_str()));
});

on_both_databases!(a_full_refresh_deletes_what_its_system_no_longer_holds, |app| {
    let mut files = generated(&app).await;
    set(&mut files, "Export.csv", 1, "ImplementationID", "system-a");
    let target = common::spawn(app.backend).await.unwrap();
    import(&target, zip_files(&files)).await.expect("imports");
    // The system deleted an enrollment (and its records), one funder and one
    // disability record of another enrollment, and exports a full refresh again.
    let mut again = files.clone();
    let gone = get(&files, "Enrollment.csv", 1, "EnrollmentID").to_string();
    let mut removed: std::collections::BTreeMap<String, i64> = Default::default();
    for (name, rows) in again.iter_mut() {
        let Some(at) = rows[0].iter().position(|h| h == "EnrollmentID") else {
            continue;
        };
        let before = rows.len();
        rows.retain(|row| row[at] != gone);
        removed.insert(name.clone(), (before - rows.len()) as i64);
    }
    let funder = get(&files, "Funder.csv", 1, "FunderID").to_string();
    again.get_mut("Funder.csv").unwrap().remove(1);
    let disabilities = again.get_mut("Disabilities.csv").unwrap();
    let disability = disabilities[1][0].clone();
    disabilities.remove(1);
    *removed.get_mut("Disabilities.csv").unwrap() += 1;
    let client = get(&files, "Enrollment.csv", 1, "PersonalID").to_string();
    let live = |table: &str| format!("SELECT COUNT(*) FROM {table} WHERE date_deleted IS NULL");
    let live_before = total(&target, &live("enrollments")).await;

    let summary = import(&target, zip_files(&again)).await.expect("full refresh");
    let deleted = |file: &str| {
        summary
            .files
            .iter()
            .find(|f| f.file == file)
            .map_or(0, |f| f.deleted as i64)
    };
    assert_eq!(deleted("Enrollment.csv"), 1);
    assert_eq!(deleted("Funder.csv"), 1);
    for (file, n) in &removed {
        if file != "Client.csv" {
            assert_eq!(deleted(file), *n, "{file}");
        }
    }
    assert_eq!(deleted("Client.csv"), 0, "a client is never deleted by absence");
    assert_eq!(total(&target, &live("enrollments")).await, live_before - 1);
    let is_deleted = |table: &str, key: &str| {
        format!("SELECT {key} FROM {table} WHERE {key} = ? AND date_deleted IS NOT NULL")
    };
    assert!(
        scalar(&target, &is_deleted("enrollments", "enrollment_id"), &gone)
            .await
            .is_some()
    );
    assert!(
        scalar(&target, &is_deleted("funders", "funder_id"), &funder)
            .await
            .is_some()
    );
    assert!(
        scalar(
            &target,
            &is_deleted("disabilities", "disabilities_id"),
            &disability
        )
        .await
        .is_some()
    );
    assert!(
        scalar(&target, &is_deleted("clients", "personal_id"), &client)
            .await
            .is_none()
    );
    let exported = export(&target, &everything(&target)).await;
    assert!(!column(&exported["Enrollment.csv"], "EnrollmentID").contains(&gone.as_str()));

    // A delta (ExportDirective 1) holds only what changed: nothing is deleted by it.
    let mut delta = again.clone();
    set(&mut delta, "Export.csv", 1, "ExportDirective", "1");
    delta.get_mut("Enrollment.csv").unwrap().truncate(2);
    let summary = import(&target, zip_files(&delta)).await.expect("delta");
    assert!(
        summary.files.iter().all(|f| f.deleted == 0),
        "{:?}",
        summary.files
    );
    assert_eq!(total(&target, &live("enrollments")).await, live_before - 1);
});
