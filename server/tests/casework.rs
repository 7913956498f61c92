//! Case work on an enrolled client, on both databases: "My Case Assignments" and
//! reassignment, services and contacts on an enrollment, the client profile with its
//! history — each with the allowed path, the denials and bad input.

mod common;

use common::workflow::*;

use app::db::entities::{case_assignment, current_living_situation, service};
use app::features::caseload::api::CaseloadRow;
use app::features::clients::api::ClientDashboard;
use app::features::profile::api::{ClientProfile, ProfileKind};
use app::features::services::api::EnrollmentServices;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Enrolls one new adult in `project_name` as `who` today; answers (personal ID,
/// enrollment ID).
async fn enroll(
    app: &common::TestApp,
    who: &reqwest::Client,
    first: &str,
    last: &str,
    project_name: &str,
) -> (String, String) {
    let draft = start_new(app, who, first, last).await;
    let id = members(app, who, &draft).await.remove(0);
    let project = project_id(app, project_name).await;
    let entry = today(app);
    saved(app, who, &draft, "household", &[(&format!("rel_{id}"), "1")]).await;
    saved(
        app,
        who,
        &draft,
        "enrollment",
        &[
            ("project_id", &project),
            ("entry_date", &entry),
            (&format!("enroll_{id}"), "yes"),
            ("assign_to_me", "yes"),
        ],
    )
    .await;
    saved(
        app,
        who,
        &draft,
        &format!("client-{id}"),
        &client_answers(first, last, "1970-01-01"),
    )
    .await;
    saved(app, who, &draft, &format!("entry-{id}"), ADULT_ENTRY).await;
    if project_name == "Northside Street Outreach" {
        // Street outreach asks where to find the head of household before Finish.
        let response = app.call_as(who, "finish_workflow", &[("draft_id", &draft)]).await;
        assert_eq!(response.status(), 409);
        assert!(response.text().await.unwrap().contains("Outreach information"));
        saved(
            app,
            who,
            &draft,
            &format!("outreach-{id}"),
            &[
                ("last_known_location", "Riverfront park"),
                ("best_time_to_find", "mornings"),
            ],
        )
        .await;
    }
    ok_url(app.call_as(who, "finish_workflow", &[("draft_id", &draft)]).await).await;
    let dashboard: ClientDashboard = ok_json(
        app.call_as(who, "get_client_dashboard", &[("personal_id", &id)])
            .await,
    )
    .await;
    (id, dashboard.enrollments[0].enrollment_id.clone())
}

on_both_databases!(case_assignments_and_reassignment, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let (id, _) = enroll(&app, &casey, "Nia", "Brooks", "Riverside Family Shelter").await;
    let rows: Vec<CaseloadRow> = ok_json(app.call_as(&casey, "my_case_assignments", &[]).await).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].name, "Nia Brooks");
    assert_eq!(rows[0].project_name.as_deref(), Some("Riverside Family Shelter"));
    assert!(
        rows[0].due.is_empty(),
        "a new enrollment has nothing due: {:?}",
        rows[0].due
    );

    // A case manager may not reassign; nor may a stranger.
    let response = app
        .call_as(&casey, "reassign_case", &[("personal_id", &id), ("user_id", "x")])
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .call("reassign_case", &[("personal_id", &id), ("user_id", "x")])
        .await;
    assert_eq!(response.status(), 401);

    // The supervisor sees the options and reassigns to themself.
    let sam = app.signed_in("supervisor").await;
    let dashboard: ClientDashboard = ok_json(
        app.call_as(&sam, "get_client_dashboard", &[("personal_id", &id)])
            .await,
    )
    .await;
    let options = dashboard.reassign_options.expect("supervisors may reassign");
    let sam_id = options
        .iter()
        .find(|o| o.name == "Sam Porter")
        .unwrap()
        .user_id
        .clone();
    assert!(options.iter().any(|o| o.name == "Casey Manning"));
    assert!(
        !options.iter().any(|o| o.name == "Olivia Reyes"),
        "only this organization's staff"
    );
    // Someone outside the organization is refused, and nothing changes.
    let olivia_id = app::db::entities::user::Entity::find()
        .filter(app::db::entities::user::Column::Username.eq("outreach"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .user_id;
    let response = app
        .call_as(
            &sam,
            "reassign_case",
            &[("personal_id", &id), ("user_id", &olivia_id)],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(case_assignment::Entity::find().count(&app.db).await.unwrap(), 1);

    let _: String = ok_json(
        app.call_as(
            &sam,
            "reassign_case",
            &[("personal_id", &id), ("user_id", &sam_id)],
        )
        .await,
    )
    .await;
    let rows: Vec<CaseloadRow> = ok_json(app.call_as(&casey, "my_case_assignments", &[]).await).await;
    assert!(rows.is_empty(), "the client left Casey's caseload");
    let rows: Vec<CaseloadRow> = ok_json(app.call_as(&sam, "my_case_assignments", &[]).await).await;
    assert_eq!(rows.len(), 1);
    let dashboard: ClientDashboard = ok_json(
        app.call_as(&sam, "get_client_dashboard", &[("personal_id", &id)])
            .await,
    )
    .await;
    assert_eq!(dashboard.case_managers, ["Sam Porter"]);
    assert!(
        app.audit_actions()
            .await
            .contains(&"case_assignment.reassign".to_string())
    );

    // A supervisor of another organization may not reassign Riverside's client.
    let multi = app.signed_in("multi").await;
    let response = app
        .call_as(
            &multi,
            "reassign_case",
            &[("personal_id", &id), ("user_id", &sam_id)],
        )
        .await;
    assert!(
        response.status() == 403 || response.status() == 409,
        "{}",
        response.status()
    );
});

on_both_databases!(services_and_contacts_on_an_enrollment, |app| {
    app.seed_demo().await;
    let olivia = app.signed_in("outreach").await;
    let (_, enrollment) = enroll(&app, &olivia, "Jay", "Ortiz", "Northside Street Outreach").await;
    let today = app.state.today().format("%Y-%m-%d").to_string();

    let page: EnrollmentServices = ok_json(
        app.call_as(
            &olivia,
            "get_enrollment_services",
            &[("enrollment_id", &enrollment)],
        )
        .await,
    )
    .await;
    assert!(page.editable && page.records_contacts);
    assert!(page.service_choices.iter().any(|c| c.value == "200:200"));

    let _: () = ok_json(
        app.call_as(
            &olivia,
            "add_service",
            &[
                ("enrollment_id", &enrollment),
                ("date_provided", &today),
                ("service", "141:4"),
            ],
        )
        .await,
    )
    .await;
    let _: () = ok_json(
        app.call_as(
            &olivia,
            "add_contact",
            &[
                ("enrollment_id", &enrollment),
                ("information_date", &today),
                ("current_living_situation", "116"),
                ("location_details", "Under the 5th St bridge"),
            ],
        )
        .await,
    )
    .await;
    let page: EnrollmentServices = ok_json(
        app.call_as(
            &olivia,
            "get_enrollment_services",
            &[("enrollment_id", &enrollment)],
        )
        .await,
    )
    .await;
    assert_eq!(page.services.len(), 1);
    assert_eq!(page.services[0].record_type, "PATH Service");
    assert_eq!(page.contacts.len(), 1);
    assert_eq!(
        page.contacts[0].location_details.as_deref(),
        Some("Under the 5th St bridge")
    );

    // Bad input: a date before the start, a service not in the record type's list.
    let response = app
        .call_as(
            &olivia,
            "add_service",
            &[
                ("enrollment_id", &enrollment),
                ("date_provided", "2001-01-01"),
                ("service", "200:1"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("date_provided") && body.contains("service"),
        "{body}"
    );
    let response = app
        .call_as(
            &olivia,
            "add_contact",
            &[
                ("enrollment_id", &enrollment),
                ("information_date", &today),
                ("current_living_situation", "5"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(service::Entity::find().count(&app.db).await.unwrap(), 1);
    assert_eq!(
        current_living_situation::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );

    // Another organization reads but cannot record; no session is refused.
    let casey = app.signed_in("casemanager").await;
    let page: EnrollmentServices = ok_json(
        app.call_as(
            &casey,
            "get_enrollment_services",
            &[("enrollment_id", &enrollment)],
        )
        .await,
    )
    .await;
    assert!(!page.editable);
    let response = app
        .call_as(
            &casey,
            "add_service",
            &[
                ("enrollment_id", &enrollment),
                ("date_provided", &today),
                ("service", "141:4"),
            ],
        )
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .call("get_enrollment_services", &[("enrollment_id", &enrollment)])
        .await;
    assert_eq!(response.status(), 401);
    assert_eq!(service::Entity::find().count(&app.db).await.unwrap(), 1);
    assert!(app.audit_actions().await.contains(&"services.view".to_string()));
});

on_both_databases!(client_profile_records_with_history, |app| {
    app.seed_demo().await;
    let olivia = app.signed_in("outreach").await;
    let (id, _) = enroll(&app, &olivia, "Lou", "Grant", "Northside Street Outreach").await;

    // The street outreach intake recorded where to find Lou.
    let profile: ClientProfile = ok_json(
        app.call_as(&olivia, "get_client_profile", &[("personal_id", &id)])
            .await,
    )
    .await;
    let outreach = profile
        .sections
        .iter()
        .find(|s| s.kind == ProfileKind::OutreachInformation)
        .unwrap();
    assert!(outreach.required_notice.is_none());
    assert_eq!(outreach.records.len(), 1);
    assert_eq!(
        outreach.records[0]
            .values
            .get("last_known_location")
            .map(String::as_str),
        Some("Riverfront park")
    );

    let save = |kind: &'static str, record: Option<String>, answers: Vec<(&'static str, &'static str)>| {
        let mut form = vec![
            ("personal_id".to_string(), id.clone()),
            ("kind".to_string(), kind.to_string()),
            ("record_id".to_string(), record.unwrap_or_default()),
        ];
        form.extend(
            answers
                .into_iter()
                .map(|(k, v)| (format!("answers[{k}]"), v.to_string())),
        );
        form
    };
    let post = |who: &reqwest::Client, form: Vec<(String, String)>| {
        who.post(app.url("/api/save_profile_record"))
            .header("Accept", "application/json")
            .form(&form)
            .send()
    };
    let response = post(
        &olivia,
        save(
            "contact",
            None,
            vec![
                ("phone", "(314) 555-0199"),
                ("state", "mo"),
                ("ok_to_leave_message", "yes"),
            ],
        ),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 200);

    // Bad input is explained and stores nothing.
    let response = post(
        &olivia,
        save(
            "contact",
            None,
            vec![("phone", "12"), ("zip", "abc"), ("email", "nope")],
        ),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("phone") && body.contains("zip") && body.contains("email"),
        "{body}"
    );
    let response = post(&olivia, save("note", None, vec![("note", "No date")]))
        .await
        .unwrap();
    assert_eq!(response.status(), 422);

    // Edit keeps the earlier version as history.
    let profile: ClientProfile = ok_json(
        app.call_as(&olivia, "get_client_profile", &[("personal_id", &id)])
            .await,
    )
    .await;
    let outreach = profile
        .sections
        .iter()
        .find(|s| s.kind == ProfileKind::OutreachInformation)
        .unwrap();
    assert!(outreach.required_notice.is_none());
    let record = outreach.records[0].record_id.clone();
    let response = post(
        &olivia,
        save(
            "outreach",
            Some(record.clone()),
            vec![("last_known_location", "Library steps")],
        ),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    let profile: ClientProfile = ok_json(
        app.call_as(&olivia, "get_client_profile", &[("personal_id", &id)])
            .await,
    )
    .await;
    let outreach = profile
        .sections
        .iter()
        .find(|s| s.kind == ProfileKind::OutreachInformation)
        .unwrap();
    assert_eq!(outreach.records.len(), 2);
    let current: Vec<_> = outreach
        .records
        .iter()
        .filter(|r| r.replaced_at.is_none())
        .collect();
    assert_eq!(current.len(), 1);
    assert_eq!(
        current[0].values.get("last_known_location").map(String::as_str),
        Some("Library steps")
    );
    // The replaced version cannot be edited again.
    let response = post(
        &olivia,
        save("outreach", Some(record), vec![("last_known_location", "x")]),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 409);
    let contact = profile
        .sections
        .iter()
        .find(|s| s.kind == ProfileKind::ContactInformation)
        .unwrap();
    assert_eq!(
        contact.records[0].values.get("state").map(String::as_str),
        Some("MO")
    );

    // Notes are shared across agencies; contact information is not.
    let response = post(
        &olivia,
        save(
            "note",
            None,
            vec![("note_date", "2026-01-05"), ("note", "Prefers Spanish.")],
        ),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    let casey = app.signed_in("casemanager").await;
    let profile: ClientProfile = ok_json(
        app.call_as(&casey, "get_client_profile", &[("personal_id", &id)])
            .await,
    )
    .await;
    let notes = profile
        .sections
        .iter()
        .find(|s| s.kind == ProfileKind::Note)
        .unwrap();
    assert_eq!(notes.records.len(), 1);
    assert!(
        !notes.records[0].editable,
        "only the recording organization edits"
    );
    let contact = profile
        .sections
        .iter()
        .find(|s| s.kind == ProfileKind::ContactInformation)
        .unwrap();
    assert!(contact.records.is_empty());
    // Casey cannot edit Olivia's note.
    let note = notes.records[0].record_id.clone();
    let response = post(
        &casey,
        save(
            "note",
            Some(note),
            vec![("note_date", "2026-01-05"), ("note", "Changed")],
        ),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 403);
    let response = app.call("get_client_profile", &[("personal_id", &id)]).await;
    assert_eq!(response.status(), 401);
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"profile.update".to_string()) && actions.contains(&"profile.view".to_string()));
});

on_both_databases!(annual_assessments_due_show_on_the_caseload_and_dashboard, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let (id, _) = enroll(&app, &casey, "Rosa", "Delgado", "Riverside Family Shelter").await;

    // Eleven and a half months later the window is open.
    app.state.clock.advance(chrono::Duration::days(350));
    let casey = app.signed_in("casemanager").await;
    let rows: Vec<CaseloadRow> = ok_json(app.call_as(&casey, "my_case_assignments", &[]).await).await;
    assert!(
        rows[0]
            .due
            .iter()
            .any(|d| d.starts_with("Annual assessment due by")),
        "{:?}",
        rows[0].due
    );
    let dashboard: ClientDashboard = ok_json(
        app.call_as(&casey, "get_client_dashboard", &[("personal_id", &id)])
            .await,
    )
    .await;
    assert!(
        dashboard
            .alerts
            .iter()
            .any(|a| a.starts_with("Annual assessment due by") && a.contains("Riverside Family Shelter")),
        "{:?}",
        dashboard.alerts
    );

    // Past the window without an annual: overdue.
    app.state.clock.advance(chrono::Duration::days(50));
    let casey = app.signed_in("casemanager").await;
    let rows: Vec<CaseloadRow> = ok_json(app.call_as(&casey, "my_case_assignments", &[]).await).await;
    assert!(
        rows[0]
            .due
            .iter()
            .any(|d| d.starts_with("Annual assessment overdue")),
        "{:?}",
        rows[0].due
    );
});

/// Records an exit (and its exit-stage income record) directly, as an earlier exit
/// workflow or an import would have.
async fn exit_directly(
    app: &common::TestApp,
    enrollment_id: &str,
    personal_id: &str,
    date: chrono::NaiveDate,
) {
    use app::db::entities::{assessment_event, exit, income_benefit};
    use sea_orm::{ActiveModelTrait, Set};
    let now = app.state.now();
    exit::ActiveModel {
        exit_id: Set(app::db::new_id()),
        enrollment_id: Set(enrollment_id.into()),
        personal_id: Set(personal_id.into()),
        exit_date: Set(date),
        destination: Set(410),
        created_at: Set(now),
        updated_at: Set(now),
        exit_method: Set("manual".into()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let event = app::db::new_id();
    assessment_event::ActiveModel {
        assessment_event_id: Set(event.clone()),
        enrollment_id: Set(enrollment_id.into()),
        personal_id: Set(personal_id.into()),
        data_collection_stage: Set(3),
        information_date: Set(date),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(None),
        date_deleted: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap();
    income_benefit::ActiveModel {
        income_benefits_id: Set(app::db::new_id()),
        enrollment_id: Set(enrollment_id.into()),
        personal_id: Set(personal_id.into()),
        information_date: Set(date),
        data_collection_stage: Set(Some(3)),
        income_from_any_source: Set(Some(0)),
        created_at: Set(now),
        updated_at: Set(now),
        assessment_event_id: Set(event),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

on_both_databases!(re_entering_an_exited_enrollment, |app| {
    use app::features::exits::api::ReEnterPreview;
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let (id, enrollment) = enroll(&app, &casey, "Vera", "Stone", "Riverside Family Shelter").await;

    // An open enrollment has nothing to re-enter.
    let response = app
        .call_as(&casey, "re_enter_enrollment", &[("enrollment_id", &enrollment)])
        .await;
    assert_eq!(response.status(), 409);
    assert!(response.text().await.unwrap().contains("open"));

    exit_directly(&app, &enrollment, &id, app.state.today()).await;
    let preview: ReEnterPreview = ok_json(
        app.call_as(&casey, "get_re_enter", &[("enrollment_id", &enrollment)])
            .await,
    )
    .await;
    assert_eq!(preview.exit_stage_records, 1);
    assert!(preview.refused.is_none());

    // Another organization, and no session, are refused; nothing changes.
    let olivia = app.signed_in("outreach").await;
    let response = app
        .call_as(&olivia, "re_enter_enrollment", &[("enrollment_id", &enrollment)])
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .call("re_enter_enrollment", &[("enrollment_id", &enrollment)])
        .await;
    assert_eq!(response.status(), 401);

    // Within 90 days the case manager re-enters it: the exit and its records are gone.
    let url: String = ok_json(
        app.call_as(&casey, "re_enter_enrollment", &[("enrollment_id", &enrollment)])
            .await,
    )
    .await;
    assert_eq!(url, format!("/clients/{id}"));
    let dashboard: ClientDashboard = ok_json(
        app.call_as(&casey, "get_client_dashboard", &[("personal_id", &id)])
            .await,
    )
    .await;
    assert_eq!(dashboard.enrollments[0].exit_date, None);
    assert!(
        app.audit_actions()
            .await
            .contains(&"enrollment.re_enter".to_string())
    );
    let live_income = app::db::entities::income_benefit::Entity::find()
        .filter(app::db::entities::income_benefit::Column::DateDeleted.is_null())
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(live_income, 1, "only the entry record remains");

    // An exit more than 90 days old: refused for the case manager, done by an admin.
    exit_directly(&app, &enrollment, &id, app.state.today()).await;
    app.state.clock.advance(chrono::Duration::days(100));
    let casey = app.signed_in("casemanager").await;
    let preview: ReEnterPreview = ok_json(
        app.call_as(&casey, "get_re_enter", &[("enrollment_id", &enrollment)])
            .await,
    )
    .await;
    assert!(preview.refused.as_deref().unwrap().contains("HMIS administrator"));
    let response = app
        .call_as(&casey, "re_enter_enrollment", &[("enrollment_id", &enrollment)])
        .await;
    assert_eq!(response.status(), 409);
    let admin = app.signed_in("admin").await;
    let _: String = ok_json(
        app.call_as(&admin, "re_enter_enrollment", &[("enrollment_id", &enrollment)])
            .await,
    )
    .await;
    let dashboard: ClientDashboard = ok_json(
        app.call_as(&casey, "get_client_dashboard", &[("personal_id", &id)])
            .await,
    )
    .await;
    assert_eq!(dashboard.enrollments[0].exit_date, None);
});
