//! Dirty cells and rows are imported as the report says; FY2024 and hashed exports.

use super::*;

on_both_databases!(dirty_cells_and_rows_are_imported_and_listed, |app| {
    let good = generated(&app).await;
    assert!(good["Client.csv"].len() > 3 && good["Exit.csv"].len() > 1 && good["Funder.csv"].len() > 2);
    let mut files = good.clone();
    // A two-digit year in a column that may be empty: stored empty, never the year 0021.
    set(&mut files, "Client.csv", 1, "DOB", "03-11-21");
    // A bad code in a required column whose list has 99: stored as 99.
    set(&mut files, "Client.csv", 2, "VeteranStatus", "7");
    // A bad date in a required column: the row is left out.
    set(&mut files, "Funder.csv", 2, "StartDate", "2025-13-01");
    // A repeated FunderID: the second row is left out.
    let copy = files["Funder.csv"][1].clone();
    files.get_mut("Funder.csv").unwrap().push(copy);
    let repeated_line = files["Funder.csv"].len();
    // An exit of an enrollment no one has, and a second exit of an exited enrollment.
    let mut orphan = files["Exit.csv"][1].clone();
    let mut second = files["Exit.csv"][1].clone();
    files
        .get_mut("Exit.csv")
        .unwrap()
        .push(std::mem::take(&mut orphan));
    let orphan_line = files["Exit.csv"].len();
    set(&mut files, "Exit.csv", orphan_line - 1, "ExitID", "x-orphan");
    set(
        &mut files,
        "Exit.csv",
        orphan_line - 1,
        "EnrollmentID",
        "no-such-enrollment",
    );
    second[0] = "x-second".into();
    files.get_mut("Exit.csv").unwrap().push(second);
    let second_line = files["Exit.csv"].len();
    // A spring-forward time that does not exist in Chicago: kept, read with CST.
    set(&mut files, "Client.csv", 3, "DateCreated", "2023-03-12 02:30:00");
    // A date and time without seconds: kept and noted.
    set(&mut files, "Client.csv", 3, "DateUpdated", "2024-05-01 10:15");
    // HUD's test CoC code and a retired funding source (ESG-CV): imported as they are.
    set(&mut files, "ProjectCoC.csv", 1, "CoCCode", "XX-500");
    set(&mut files, "Funder.csv", 1, "Funder", "47");
    // Destination 435 asks for the subsidy type: listed, the exit imported as it is.
    set(&mut files, "Exit.csv", 1, "Destination", "435");
    set(&mut files, "Exit.csv", 1, "DestinationSubsidyType", "");

    let target = common::spawn(app.backend).await.unwrap();
    let found = findings(import(&target, zip_files(&files)).await);
    use FindingAction::*;
    use FindingKind::*;
    let mut expected = vec![
        finding("Client.csv", 2, "DOB", NotADate, StoredEmpty),
        finding("Client.csv", 3, "VeteranStatus", NotACode, StoredNotCollected),
        finding("Client.csv", 4, "DateUpdated", InexactTimestamp, Kept),
        finding("Funder.csv", 3, "StartDate", NotADate, RowSkipped),
        finding("Funder.csv", repeated_line, "FunderID", DuplicateKey, RowSkipped),
        finding(
            "Exit.csv",
            orphan_line,
            "EnrollmentID",
            UnknownReference,
            RowSkipped,
        ),
        finding("Exit.csv", second_line, "ExitID", SecondExit, RowSkipped),
        finding("Exit.csv", 2, "DestinationSubsidyType", MissingWhen, Kept),
    ];
    let mut found_sorted = found.clone();
    found_sorted.sort();
    expected.sort();
    assert_eq!(found_sorted, expected);

    let client = |row: usize| get(&files, "Client.csv", row, "PersonalID").to_string();
    assert_eq!(
        scalar(
            &target,
            "SELECT CAST(dob AS TEXT) FROM clients WHERE personal_id = ?",
            &client(1)
        )
        .await,
        None
    );
    assert_eq!(
        number(
            &target,
            "SELECT veteran_status FROM clients WHERE personal_id = ?",
            &client(2)
        )
        .await,
        Some(99)
    );
    // 02:30 does not exist on 2023-03-12 in Chicago: 08:30 UTC (03:30 CDT).
    let created = {
        use sea_orm::EntityTrait;
        app::db::entities::client::Entity::find_by_id(client(3))
            .one(&target.db)
            .await
            .unwrap()
            .unwrap()
            .created_at
    };
    assert_eq!(created.to_rfc3339(), "2023-03-12T08:30:00+00:00");
    let funder = get(&files, "Funder.csv", 2, "FunderID").to_string();
    assert_eq!(
        scalar(
            &target,
            "SELECT funder_id FROM funders WHERE funder_id = ?",
            &funder
        )
        .await,
        None
    );
    let coc = get(&files, "ProjectCoC.csv", 1, "ProjectCoCID").to_string();
    assert_eq!(
        scalar(
            &target,
            "SELECT coc_code FROM project_cocs WHERE project_coc_id = ?",
            &coc
        )
        .await
        .as_deref(),
        Some("XX-500")
    );
    assert_eq!(
        scalar(&target, "SELECT exit_id FROM exits WHERE exit_id = ?", "x-second").await,
        None
    );
    assert_eq!(
        number(
            &target,
            "SELECT destination FROM exits WHERE exit_id = ?",
            get(&files, "Exit.csv", 1, "ExitID")
        )
        .await,
        Some(435),
        "an exit missing what its destination asks for is imported"
    );

    // Importing the same export again changes nothing and finds the same.
    let before = counts(&target).await;
    let again = findings(import(&target, zip_files(&files)).await);
    assert_eq!(again.len(), found.len());
    assert_eq!(counts(&target).await, before);
});

on_both_databases!(
    only_an_unreadable_export_is_refused_and_then_nothing_is_written,
    |app| {
        app.seed_demo().await;
        let good = export(&app, &options(&app)).await;
        let target = common::spawn(app.backend).await.unwrap();
        let empty = counts(&target).await;

        // A missing required column.
        let mut files = good.clone();
        let i = files["Project.csv"][0]
            .iter()
            .position(|h| h == "OperatingStartDate")
            .unwrap();
        for row in files.get_mut("Project.csv").unwrap() {
            row.remove(i);
        }
        assert_eq!(
            problems(import(&target, zip_files(&files)).await),
            ["Project.csv line 1, column OperatingStartDate: a required column is missing"]
        );

        // Two Export rows; a file missing from a full export.
        let mut files = good.clone();
        let export_row = files["Export.csv"][1].clone();
        files.get_mut("Export.csv").unwrap().push(export_row);
        assert_eq!(
            problems(import(&target, zip_files(&files)).await),
            ["Export.csv: an export has exactly one Export row, this one has 2"]
        );
        let mut files = good.clone();
        files.remove("Inventory.csv");
        let found = problems(import(&target, zip_files(&files)).await);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("Inventory.csv: the file is missing from the zip"),
            "{found:?}"
        );

        // An FY2022 export is refused naming its version.
        let mut files = good.clone();
        set(&mut files, "Export.csv", 1, "CSVVersion", "FY2022");
        let found = problems(import(&target, zip_files(&files)).await);
        assert!(found[0].contains("this is an FY2022 export"), "{found:?}");
        assert_eq!(counts(&target).await, empty, "nothing written");

        // A delta export (ExportDirective 1) need not hold every file.
        let mut files = good.clone();
        files.remove("Inventory.csv");
        set(&mut files, "Export.csv", 1, "ExportDirective", "1");
        import(&target, zip_files(&files))
            .await
            .expect("a delta export imports");
        assert!(counts(&target).await[1] > empty[1]);
    }
);

on_both_databases!(fy2024_exports_and_hashed_exports_import, |app| {
    let good = generated(&app).await;

    // FY2024: HispanicLatinaeo, no Sex, the gender columns, sexual orientation
    // (FY2026 retired both: kept as written, shown on the records).
    let mut files = good.clone();
    set(&mut files, "Export.csv", 1, "CSVVersion", "2024 v1.3");
    let clients = files.get_mut("Client.csv").unwrap();
    let sex = clients[0].iter().position(|h| h == "Sex").unwrap();
    for (n, row) in clients.iter_mut().enumerate() {
        row.remove(sex);
        let genders = match n {
            0 => ["Woman", "Transgender", "GenderNone"],
            1 => ["1", "1", ""],
            _ => ["0", "0", "99"],
        };
        row.extend(genders.map(String::from));
    }
    let hispanic = clients[0].iter().position(|h| h == "HispanicLatinao").unwrap();
    clients[0][hispanic] = "HispanicLatinaeo".into();
    let latinx: Vec<String> = clients[1..].iter().map(|r| r[hispanic].clone()).collect();
    let enrollments = files.get_mut("Enrollment.csv").unwrap();
    for (n, row) in enrollments.iter_mut().enumerate() {
        let orientation = match n {
            0 => ["SexualOrientation", "SexualOrientationOther"],
            1 => ["6", "Pansexual"],
            _ => ["", ""],
        };
        row.extend(orientation.map(String::from));
    }
    let first_client = get(&files, "Client.csv", 1, "PersonalID").to_string();
    let first_enrollment = get(&files, "Enrollment.csv", 1, "EnrollmentID").to_string();
    let enrolled = get(&files, "Enrollment.csv", 1, "PersonalID").to_string();
    let client_rows = files["Client.csv"].len() as i64 - 1;
    let target = common::spawn(app.backend).await.unwrap();
    let summary = import(&target, zip_files(&files)).await.expect("FY2024 imports");
    assert_eq!(summary.version, "2024 v1.3");
    assert_eq!(summary.report.total(), 0, "{:?}", summary.report.kept());
    let again = export(&target, &everything(&target)).await;
    let mut read_back: Vec<&str> = column(&again["Client.csv"], "HispanicLatinao");
    assert!(read_back.len() > 10, "the generated clients are exported again");
    let mut written: Vec<&str> = latinx.iter().map(String::as_str).collect();
    read_back.sort_unstable();
    written.sort_unstable();
    assert_eq!(read_back, written);
    assert!(column(&again["Client.csv"], "Sex").iter().all(|s| s.is_empty()));
    let kept = |table: &str| format!("SELECT COUNT(*) FROM {table}");
    assert_eq!(
        total(&target, &kept("retired_client_elements")).await,
        client_rows
    );
    assert_eq!(
        total(&target, &kept("retired_enrollment_elements")).await,
        1,
        "only the enrollment with values"
    );
    assert_eq!(
        scalar(
            &target,
            "SELECT elements FROM retired_enrollment_elements WHERE enrollment_id = ?",
            &first_enrollment
        )
        .await
        .as_deref(),
        Some(r#"{"SexualOrientation":"6","SexualOrientationOther":"Pansexual"}"#)
    );
    assert!(
        !again.values().flatten().flatten().any(|cell| cell == "Pansexual"),
        "never exported"
    );
    // The source's own records, read back from its FY2024 export, show them.
    import(&app, zip_files(&files))
        .await
        .expect("FY2024 into its source");
    let admin = app.signed_in("admin").await;
    let dashboard = |id: String| {
        let admin = &admin;
        let app = &app;
        async move {
            let response = app
                .call_as(admin, "get_client_dashboard", &[("personal_id", &id)])
                .await;
            assert_eq!(response.status(), 200);
            response
                .json::<app::features::clients::api::ClientDashboard>()
                .await
                .unwrap()
        }
    };
    let shown = dashboard(first_client).await;
    assert_eq!(
        shown.client.retired,
        [(
            "Gender".to_string(),
            "Woman (Girl, if child); Transgender".to_string()
        )]
    );
    let shown = dashboard(enrolled).await;
    let enrollment = shown
        .enrollments
        .iter()
        .find(|e| e.enrollment_id == first_enrollment)
        .expect("the enrollment");
    assert_eq!(
        enrollment.retired[0],
        ("Sexual orientation".into(), "Other".into())
    );
    assert_eq!(
        enrollment.retired[1],
        ("Sexual orientation, other".into(), "Pansexual".into())
    );

    // Hearth's own hashed export: 64 hexadecimal characters for names and SSNs.
    let source = common::spawn(app.backend).await.unwrap();
    generated(&source).await;
    let mut hashed = options(&source);
    hashed.from = None;
    hashed.hash_pii = true;
    let hashed = export(&source, &hashed).await;
    let ssns = column(&hashed["Client.csv"], "SSN");
    assert!(ssns.iter().any(|s| s.len() == 64), "{ssns:?}");
    let target = common::spawn(app.backend).await.unwrap();
    let summary = import(&target, zip_files(&hashed))
        .await
        .expect("hashed export imports");
    assert_eq!(summary.report.total(), 0, "{:?}", summary.report.kept());
    let mut everything = options(&target);
    everything.from = None;
    let again = export(&target, &everything).await;
    let names = column(&again["Client.csv"], "FirstName");
    assert!(
        !names.is_empty() && names.iter().filter(|n| !n.is_empty()).all(|n| n.len() == 64),
        "{names:?}"
    );
    let mut read_back = column(&again["Client.csv"], "SSN");
    let mut written = ssns.clone();
    read_back.sort_unstable();
    written.sort_unstable();
    assert_eq!(read_back, written, "hashed SSNs kept as they came");
});
