//! Clients and the intake workflow on both databases: search, the draft that keeps
//! every answer, Finish committing a household in one transaction (and nothing when it
//! fails), the household rules, and who may see or change what.

mod common;

use common::workflow::*;

use app::db::entities::{
    assessment_event, case_assignment, client, disability, enrollment, health_and_dv, income_benefit,
    workflow_draft,
};
use app::features::client_search::api::SearchResults;
use app::features::clients::api::ClientDashboard;
use app::features::workflows::api::StepBody;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

on_both_databases!(intake_of_a_new_household_commits_every_row_at_finish, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let people = [
        ("Alicia", "Ramírez", "1988-04-02", "1"),
        ("Marco", "Ramírez", "1986-09-12", "3"),
        ("Sofia", "Ramírez", "2017-01-20", "2"),
    ];
    let entry = today(&app);
    let (draft, ids) = intake(&app, &casey, &people, "Riverside Family Shelter", &entry).await;

    // Every step is saved, and nothing is in the HUD tables yet.
    let w = view(&app, &casey, &draft, "review").await;
    assert!(
        w.steps.iter().take(w.steps.len() - 1).all(|s| s.done),
        "{:?}",
        w.steps
    );
    assert_eq!(count(&app, client::Entity).await, 0);
    assert_eq!(count(&app, enrollment::Entity).await, 0);

    let url = ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    assert_eq!(url, format!("/clients/{}", ids[0]));
    assert_eq!(count(&app, client::Entity).await, 3);
    let enrollments = enrollment::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(enrollments.len(), 3);
    assert!(
        enrollments
            .iter()
            .all(|e| e.household_id == enrollments[0].household_id)
    );
    assert_eq!(
        enrollments
            .iter()
            .filter(|e| e.relationship_to_hoh == Some(1))
            .count(),
        1
    );
    assert!(enrollments.iter().all(|e| e.entry_date == app.state.today()));
    let head = enrollments
        .iter()
        .find(|e| e.relationship_to_hoh == Some(1))
        .unwrap();
    assert_eq!(
        head.enrollment_coc.as_deref(),
        Some("MO-500"),
        "3.16 for the head of household"
    );
    assert!(
        enrollments
            .iter()
            .filter(|e| e.relationship_to_hoh != Some(1))
            .all(|e| e.enrollment_coc.is_none())
    );
    let events = assessment_event::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(events.len(), 3);
    assert!(
        events
            .iter()
            .all(|e| e.data_collection_stage == 1 && e.information_date == app.state.today())
    );
    let incomes = income_benefit::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(incomes.len(), 3);
    let head_income = incomes.iter().find(|i| i.personal_id == ids[0]).unwrap();
    assert_eq!(head_income.earned, Some(1));
    assert_eq!(head_income.earned_amount, Some(850.5));
    assert_eq!(head_income.total_monthly_income, Some(850.5));
    assert_eq!(head_income.snap, Some(1));
    assert_eq!(head_income.medicaid, Some(1));
    let child_income = incomes.iter().find(|i| i.personal_id == ids[2]).unwrap();
    assert_eq!(
        child_income.income_from_any_source, None,
        "income is not asked of children"
    );
    assert_eq!(child_income.schip, Some(1));
    // DV for the two adults only; six disability rows each.
    assert_eq!(count(&app, health_and_dv::Entity).await, 2);
    assert_eq!(count(&app, disability::Entity).await, 18);
    assert_eq!(count(&app, case_assignment::Entity).await, 3);
    assert_eq!(count(&app, workflow_draft::Entity).await, 0);
    let stored = client::Entity::find_by_id(ids[0].clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.last_name_key.as_deref(), Some("ramirez"));
    assert!(app.audit_actions().await.contains(&"workflow.finish".to_string()));

    // Found by "first three + first three", accent-insensitive, and by ID.
    let response = app.call_as(&casey, "search_clients", &[("q", "ali RAM")]).await;
    let found: SearchResults = response.json().await.unwrap();
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].name, "Alicia Ramírez");
    assert_eq!(found.hits[0].enrollments, ["Riverside Family Shelter"]);
    let response = app.call_as(&casey, "search_clients", &[("q", &ids[1])]).await;
    let found: SearchResults = response.json().await.unwrap();
    assert_eq!(found.exact.as_deref(), Some(ids[1].as_str()));
    // ... and by the short ID the dashboard shows ("9C21-A27D"), unique in the household
    // though its members were entered in the same second.
    let short = app::domain::dedup::short_client_id(&ids[1]);
    assert_eq!(short.len(), 9, "{short}");
    let response = app.call_as(&casey, "search_clients", &[("q", &short)]).await;
    let found: SearchResults = response.json().await.unwrap();
    assert_eq!(found.hits.len(), 1, "{short}: {found:?}");
    assert_eq!(found.exact.as_deref(), Some(ids[1].as_str()));
    let response = app
        .call_as(&casey, "search_clients", &[("q", "ram 1/20/2017")])
        .await;
    let found: SearchResults = response.json().await.unwrap();
    assert_eq!(
        found.hits.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(),
        ["Sofia Ramírez"]
    );

    // The dashboard: the enrollment, its household of three, the case manager; audited.
    let response = app
        .call_as(&casey, "get_client_dashboard", &[("personal_id", &ids[0])])
        .await;
    let dashboard: ClientDashboard = response.json().await.unwrap();
    assert_eq!(dashboard.enrollments.len(), 1);
    assert_eq!(dashboard.enrollments[0].household.len(), 3);
    assert!(dashboard.enrollments[0].editable);
    assert_eq!(dashboard.case_managers, ["Casey Manning"]);
    assert!(app.audit_actions().await.contains(&"client.view".to_string()));
});

on_both_databases!(finish_is_all_or_nothing, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let entry = today(&app);
    // Dana is on record from an earlier intake.
    let (first, _) = intake(
        &app,
        &casey,
        &[("Dana", "Okafor", "1979-03-03", "1")],
        "Riverside Transitional Living",
        &entry,
    )
    .await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &first)])
            .await,
    )
    .await;
    let dana = client::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .personal_id;

    // A new household with Dana as its last member.
    let draft = start_new(&app, &casey, "Lee", "Okafor").await;
    ok_url(
        app.call_as(
            &casey,
            "add_household_member",
            &[("draft_id", &draft), ("personal_id", &dana)],
        )
        .await,
    )
    .await;
    let ids = members(&app, &casey, &draft).await;
    assert_eq!(ids[1], dana);
    saved(
        &app,
        &casey,
        &draft,
        "household",
        &[(&format!("rel_{}", ids[0]), "1"), (&format!("rel_{dana}"), "3")],
    )
    .await;
    let project = project_id(&app, "Riverside Rapid Re-Housing").await;
    saved(
        &app,
        &casey,
        &draft,
        "enrollment",
        &[
            ("project_id", &project),
            ("entry_date", &entry),
            (&format!("enroll_{}", ids[0]), "yes"),
            (&format!("enroll_{dana}"), "yes"),
        ],
    )
    .await;
    saved(
        &app,
        &casey,
        &draft,
        &format!("client-{}", ids[0]),
        &client_answers("Lee", "Okafor", "1980-05-05"),
    )
    .await;
    saved(
        &app,
        &casey,
        &draft,
        &format!("client-{dana}"),
        &client_answers("Dana", "Okafor", "1979-03-03"),
    )
    .await;
    saved(&app, &casey, &draft, &format!("entry-{}", ids[0]), ADULT_ENTRY).await;
    saved(&app, &casey, &draft, &format!("entry-{dana}"), ADULT_ENTRY).await;

    // A failure injected at the last member's last rows.
    let backend = app.db.get_database_backend();
    let statements: Vec<String> = match backend {
        sea_orm::DatabaseBackend::Postgres => vec![
            format!(
                "CREATE FUNCTION fail_last() RETURNS trigger AS $$ BEGIN IF NEW.personal_id = '{dana}' THEN \
                 RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER fail_last BEFORE INSERT ON disabilities FOR EACH ROW EXECUTE FUNCTION fail_last()".into(),
        ],
        _ => vec![format!(
            "CREATE TRIGGER fail_last BEFORE INSERT ON disabilities WHEN NEW.personal_id = '{dana}' \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )],
    };
    for sql in statements {
        app.db.execute_unprepared(&sql).await.unwrap();
    }
    let clients_before = count(&app, client::Entity).await;
    let enrollments_before = count(&app, enrollment::Entity).await;
    let response = app
        .call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
        .await;
    assert_eq!(response.status(), 500);
    assert_eq!(
        count(&app, client::Entity).await,
        clients_before,
        "Lee was not created"
    );
    assert_eq!(
        count(&app, enrollment::Entity).await,
        enrollments_before,
        "no enrollment rows"
    );
    assert_eq!(count(&app, assessment_event::Entity).await, 1);
    assert_eq!(count(&app, case_assignment::Entity).await, 1);
    assert!(
        workflow_draft::Entity::find_by_id(draft.clone())
            .one(&app.db)
            .await
            .unwrap()
            .is_some(),
        "the draft is kept for another try"
    );
});

on_both_databases!(
    bad_input_is_refused_with_a_clear_message_and_nothing_stored,
    |app| {
        app.seed_demo().await;
        let casey = app.signed_in("casemanager").await;
        let entry = today(&app);
        let draft = start_new(&app, &casey, "Jo", "Park").await;
        ok_url(
            app.call_as(
                &casey,
                "add_household_member",
                &[("draft_id", &draft), ("first_name", "Kim"), ("last_name", "Park")],
            )
            .await,
        )
        .await;
        let ids = members(&app, &casey, &draft).await;

        // Two heads of household.
        let response = save(
            &app,
            &casey,
            &draft,
            "household",
            &[
                (&format!("rel_{}", ids[0]), "1"),
                (&format!("rel_{}", ids[1]), "1"),
            ],
        )
        .await;
        assert_eq!(response.status(), 422);
        let body = response.text().await.unwrap();
        assert!(body.contains("exactly one head of household"), "{body}");

        // A bad code, and an SSN that is not nine digits (never kept in the draft).
        let mut bad = client_answers("Jo", "Park", "1990-01-01");
        bad.retain(|(k, _)| *k != "name_data_quality");
        bad.push(("name_data_quality", "7"));
        bad.push(("ssn", "12345"));
        let response = save(&app, &casey, &draft, &format!("client-{}", ids[0]), &bad).await;
        assert_eq!(response.status(), 422);
        let body = response.text().await.unwrap();
        assert!(
            body.contains("name_data_quality") || body.contains("ssn"),
            "{body}"
        );
        let mut good = client_answers("Jo", "Park", "1990-01-01");
        good.push(("ssn", "123-45-6789"));
        good.retain(|(k, _)| *k != "ssn_data_quality");
        good.push(("ssn_data_quality", "1"));
        saved(&app, &casey, &draft, &format!("client-{}", ids[0]), &good).await;
        let payload = workflow_draft::Entity::find_by_id(draft.clone())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .payload;
        assert!(
            !payload.contains("123456789") && !payload.contains("123-45-6789"),
            "the SSN is sealed in the draft"
        );
        assert!(payload.contains("6789"), "its last four are kept");

        // A start date in the future.
        let project = project_id(&app, "Riverside Family Shelter").await;
        let tomorrow = (app.state.today() + chrono::Duration::days(1))
            .format("%Y-%m-%d")
            .to_string();
        let response = save(
            &app,
            &casey,
            &draft,
            "enrollment",
            &[
                ("project_id", &project),
                ("entry_date", &tomorrow),
                (&format!("enroll_{}", ids[0]), "yes"),
            ],
        )
        .await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains("cannot be in the future"));

        // Another organization's project.
        let outreach = project_id(&app, "Northside Street Outreach").await;
        let response = save(
            &app,
            &casey,
            &draft,
            "enrollment",
            &[
                ("project_id", &outreach),
                ("entry_date", &entry),
                (&format!("enroll_{}", ids[0]), "yes"),
            ],
        )
        .await;
        assert_eq!(response.status(), 422);

        // Finish before every step is saved.
        let response = app
            .call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await;
        assert_eq!(response.status(), 409);
        assert!(response.text().await.unwrap().contains("Complete every step"));
        assert_eq!(count(&app, client::Entity).await, 0);

        // An overlapping enrollment: Dana is already in the shelter.
        let (first, _) = intake(
            &app,
            &casey,
            &[("Dana", "Okafor", "1979-03-03", "1")],
            "Riverside Family Shelter",
            &entry,
        )
        .await;
        ok_url(
            app.call_as(&casey, "finish_workflow", &[("draft_id", &first)])
                .await,
        )
        .await;
        let dana = client::Entity::find()
            .filter(client::Column::FirstName.eq("Dana"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .personal_id;
        let again = ok_url(
            app.call_as(&casey, "start_intake", &[("personal_id", &dana)])
                .await,
        )
        .await;
        let again = draft_of(&again);
        saved(
            &app,
            &casey,
            &again,
            "household",
            &[(&format!("rel_{dana}"), "1")],
        )
        .await;
        let response = save(
            &app,
            &casey,
            &again,
            "enrollment",
            &[
                ("project_id", &project),
                ("entry_date", &entry),
                (&format!("enroll_{dana}"), "yes"),
            ],
        )
        .await;
        assert_eq!(response.status(), 422);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("already has an enrollment in this project")
        );
        assert_eq!(count(&app, enrollment::Entity).await, 1);
    }
);

on_both_databases!(permissions_on_clients_and_drafts, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let entry = today(&app);
    let (done, ids) = intake(
        &app,
        &casey,
        &[("Rene", "Walker", "1975-06-06", "1")],
        "Riverside Family Shelter",
        &entry,
    )
    .await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &done)])
            .await,
    )
    .await;
    let rene = ids[0].clone();
    let draft = start_new(&app, &casey, "Pat", "Open").await;

    // No session.
    for (endpoint, form) in [
        ("search_clients", vec![("q", "ren wal")]),
        ("get_client_dashboard", vec![("personal_id", rene.as_str())]),
        ("start_intake", vec![("first_name", "A"), ("last_name", "B")]),
        ("get_workflow", vec![("draft_id", draft.as_str())]),
        ("finish_workflow", vec![("draft_id", draft.as_str())]),
        ("discard_workflow", vec![("draft_id", draft.as_str())]),
    ] {
        let response = app.call(endpoint, &form).await;
        assert_eq!(response.status(), 401, "{endpoint}");
    }

    // Another organization sees the client, read-only.
    let olivia = app.signed_in("outreach").await;
    let response = app.call_as(&olivia, "search_clients", &[("q", "ren wal")]).await;
    let found: SearchResults = response.json().await.unwrap();
    assert_eq!(found.hits.len(), 1);
    let response = app
        .call_as(&olivia, "get_client_dashboard", &[("personal_id", &rene)])
        .await;
    let dashboard: ClientDashboard = response.json().await.unwrap();
    let e = &dashboard.enrollments[0];
    assert!(!e.editable);
    assert!(
        e.menu.iter().filter(|i| i.action.writes()).all(|i| i
            .unavailable
            .as_deref()
            .unwrap()
            .contains("Read-only"))
    );
    // … and cannot touch Casey's draft (wrong organization and not the owner).
    let response = app
        .call_as(&olivia, "get_workflow", &[("draft_id", &draft)])
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .call_as(&olivia, "discard_workflow", &[("draft_id", &draft)])
        .await;
    assert_eq!(response.status(), 403);
    let response = saved_as(&app, &olivia, &draft).await;
    assert_eq!(response, 403);

    // The supervisor of the same organization may not discard it (not an admin); the
    // agency admin may.
    let sam = app.signed_in("supervisor").await;
    let response = app
        .call_as(&sam, "discard_workflow", &[("draft_id", &draft)])
        .await;
    assert_eq!(response.status(), 403);
    let ada = app.signed_in("agencyadmin").await;
    ok_url(
        app.call_as(&ada, "discard_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    assert_eq!(count(&app, workflow_draft::Entity).await, 0);

    // A client known only to a victim service provider is invisible to everyone else.
    let harbor = project_id(&app, "Safe Harbor Emergency Shelter").await;
    let now = app.state.now();
    let hidden = app::db::new_id();
    client::ActiveModel {
        personal_id: sea_orm::Set(hidden.clone()),
        first_name: sea_orm::Set(Some("Renata".into())),
        last_name: sea_orm::Set(Some("Walsh".into())),
        first_name_key: sea_orm::Set(Some("renata".into())),
        last_name_key: sea_orm::Set(Some("walsh".into())),
        name_data_quality: sea_orm::Set(1),
        ssn_data_quality: sea_orm::Set(99),
        dob_data_quality: sea_orm::Set(99),
        am_ind_ak_native: sea_orm::Set(0),
        asian: sea_orm::Set(0),
        black_af_american: sea_orm::Set(0),
        hispanic_latinao: sea_orm::Set(0),
        mid_east_n_african: sea_orm::Set(0),
        native_hi_pacific: sea_orm::Set(0),
        white: sea_orm::Set(1),
        veteran_status: sea_orm::Set(0),
        created_at: sea_orm::Set(now),
        updated_at: sea_orm::Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    enrollment::ActiveModel {
        enrollment_id: sea_orm::Set(app::db::new_id()),
        personal_id: sea_orm::Set(hidden.clone()),
        project_id: sea_orm::Set(harbor),
        entry_date: sea_orm::Set(app.state.today()),
        household_id: sea_orm::Set(app::db::new_id()),
        relationship_to_hoh: sea_orm::Set(Some(1)),
        created_at: sea_orm::Set(now),
        updated_at: sea_orm::Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let response = app.call_as(&casey, "search_clients", &[("q", "ren w")]).await;
    let found: SearchResults = response.json().await.unwrap();
    assert_eq!(
        found.hits.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(),
        ["Rene Walker"]
    );
    let response = app
        .call_as(&casey, "get_client_dashboard", &[("personal_id", &hidden)])
        .await;
    assert_eq!(response.status(), 404);
    let admin = app.signed_in("admin").await;
    let response = app
        .call_as(&admin, "get_client_dashboard", &[("personal_id", &hidden)])
        .await;
    assert_eq!(response.status(), 404, "not even HMIS admins outside the VSP");
});

/// Saves the household step of `draft` as `who`; answers the status.
async fn saved_as(app: &common::TestApp, who: &reqwest::Client, draft: &str) -> u16 {
    save(app, who, draft, "household", &[]).await.status().as_u16()
}

on_both_databases!(
    a_draft_keeps_every_answer_and_default_last_fills_from_records,
    |app| {
        app.seed_demo().await;
        let casey = app.signed_in("casemanager").await;
        let entry = today(&app);
        let (first, ids) = intake(
            &app,
            &casey,
            &[("Ivy", "Stone", "1990-02-02", "1")],
            "Riverside Family Shelter",
            &entry,
        )
        .await;
        ok_url(
            app.call_as(&casey, "finish_workflow", &[("draft_id", &first)])
                .await,
        )
        .await;
        let ivy = ids[0].clone();

        // A new intake of Ivy into another project: the dashboard offers to resume it.
        let url = ok_url(
            app.call_as(&casey, "start_intake", &[("personal_id", &ivy)])
                .await,
        )
        .await;
        let draft = draft_of(&url);
        saved(&app, &casey, &draft, "household", &[(&format!("rel_{ivy}"), "1")]).await;
        let response = app
            .call_as(&casey, "get_client_dashboard", &[("personal_id", &ivy)])
            .await;
        let dashboard: ClientDashboard = response.json().await.unwrap();
        assert_eq!(dashboard.drafts.len(), 1);
        assert!(dashboard.drafts[0].mine);
        assert!(
            dashboard
                .alerts
                .iter()
                .any(|a| a.starts_with("Intake in progress"))
        );

        // A second device (a new sign-in) opens the draft where it was left.
        let other_device = app.signed_in("casemanager").await;
        let w = view(&app, &other_device, &draft, "").await;
        assert_eq!(
            w.step.id,
            format!("client-{ivy}"),
            "resumes at the first unsaved step"
        );
        assert!(w.steps.iter().find(|s| s.id == "household").unwrap().done);

        // Default Last fills the entry assessment from Ivy's records.
        let project = project_id(&app, "Riverside Rapid Re-Housing").await;
        saved(
            &app,
            &other_device,
            &draft,
            "enrollment",
            &[
                ("project_id", &project),
                ("entry_date", &entry),
                (&format!("enroll_{ivy}"), "yes"),
            ],
        )
        .await;
        let step = format!("entry-{ivy}");
        let response = other_device
            .post(app.url("/api/save_workflow_step"))
            .header("Accept", "application/json")
            .form(&[
                ("draft_id", draft.as_str()),
                ("step", step.as_str()),
                ("intent", "default_last"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let w = view(&app, &other_device, &draft, &step).await;
        assert!(w.step.default_last);
        let StepBody::Form(fields) = w.step.body else {
            panic!("a form")
        };
        let value = |name: &str| {
            fields
                .iter()
                .find(|f| f.name == name)
                .map(|f| f.value.clone())
                .unwrap_or_default()
        };
        assert_eq!(value("living_situation"), "116");
        assert_eq!(value("income_Earned"), "850.50");
        assert_eq!(value("benefit_SNAP"), "yes");
        assert_eq!(value("insurance_Medicaid"), "yes");
        assert_eq!(value("disability_9"), "0");
    }
);
