//! Projects administration on both databases: HMIS admins manage every project, agency
//! admins their organization's; CoC rows and funders; bad input is explained and stores
//! nothing; other workgroups and strangers are refused.

mod common;

use app::error::AppError;
use app::features::projects::api::{ProjectDetail, ProjectList};

async fn list(app: &common::TestApp, client: &reqwest::Client) -> ProjectList {
    let response = app.call_as(client, "list_projects", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn detail(app: &common::TestApp, client: &reqwest::Client, id: &str) -> ProjectDetail {
    let response = app.call_as(client, "get_project", &[("project_id", id)]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn organization_id(list: &ProjectList, name: &str) -> String {
    list.organizations
        .iter()
        .find(|o| o.organization_name == name)
        .unwrap_or_else(|| panic!("{name} offered"))
        .organization_id
        .clone()
}

fn project_id(list: &ProjectList, name: &str) -> String {
    list.projects
        .iter()
        .find(|p| p.project_name == name)
        .unwrap_or_else(|| panic!("{name} listed"))
        .project_id
        .clone()
}

on_both_databases!(hmis_admins_create_projects_with_coc_and_funders, |app| {
    app.seed_demo().await;
    let admin = app.signed_in("admin").await;
    let before = list(&app, &admin).await;
    assert_eq!(before.projects.len(), hearth_demo::accounts::DEMO_PROJECTS.len());
    assert_eq!(before.organizations.len(), 5, "HMIS admins add projects anywhere");
    let outreach = before
        .projects
        .iter()
        .find(|p| p.project_name == "Northside Street Outreach")
        .unwrap();
    assert_eq!(outreach.project_type, Some(4));
    assert_eq!(outreach.coc_codes, ["MO-500"]);
    assert_eq!(outreach.funders, 1);

    let northside = organization_id(&before, "Northside Street Outreach");
    let response = app
        .call_as(
            &admin,
            "save_project",
            &[
                ("organization_id", northside.as_str()),
                ("project_name", "  Northside Safe Haven "),
                ("project_type", "8"),
                ("housing_type", "1"),
                ("rrh_sub_type", ""),
                ("target_population", ""),
                ("continuum_project", "on"),
                ("operating_start_date", "2024-10-01"),
                ("operating_end_date", ""),
                ("auto_alert_days", "30"),
                ("auto_exit_days", "60"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let id: String = response.json().await.unwrap();
    let project = detail(&app, &admin, &id).await;
    assert_eq!(project.fields.project_name, "Northside Safe Haven");
    assert_eq!(project.fields.project_type, Some(8));
    assert_eq!(project.fields.housing_type, Some(1));
    assert!(project.fields.continuum_project && !project.fields.ce_participating);
    assert_eq!(project.fields.auto_exit_days, Some(60));
    assert_eq!(project.organization_name, "Northside Street Outreach");

    // Edit: an unticked box clears, an emptied number clears.
    let response = app
        .call_as(
            &admin,
            "save_project",
            &[
                ("project_id", id.as_str()),
                ("organization_id", northside.as_str()),
                ("project_name", "Northside Safe Haven"),
                ("project_type", "8"),
                ("housing_type", "2"),
                ("operating_start_date", "2024-10-01"),
                ("operating_end_date", "2026-09-30"),
                ("auto_alert_days", ""),
                ("auto_exit_days", "60"),
                ("ce_participating", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let project = detail(&app, &admin, &id).await;
    assert_eq!(project.fields.housing_type, Some(2));
    assert!(!project.fields.continuum_project && project.fields.ce_participating);
    // HUD 2.09: a CE participation period receiving referrals opens today.
    let periods: Vec<app::db::entities::ce_participation::Model> = {
        use sea_orm::EntityTrait;
        app::db::entities::ce_participation::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
    };
    let period = periods
        .iter()
        .find(|p| p.project_id == id)
        .expect("a CE participation period");
    assert_eq!(period.receives_referrals, Some(1));
    assert_eq!(period.ce_participation_status_start_date, app.state.today());
    assert_eq!(period.ce_participation_status_end_date, None);
    assert_eq!(project.fields.auto_alert_days, None);
    assert_eq!(
        project.fields.operating_end_date,
        chrono::NaiveDate::from_ymd_opt(2026, 9, 30)
    );

    let response = app
        .call_as(
            &admin,
            "add_project_coc",
            &[
                ("project_id", id.as_str()),
                ("coc_code", "MO-500"),
                ("geocode", "299189"),
                ("city", "Clayton"),
                ("state_code", "mo"),
                ("zip", "63105"),
                ("geography_type", "2"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let response = app
        .call_as(
            &admin,
            "add_funder",
            &[
                ("project_id", id.as_str()),
                ("funder", "46"),
                ("other_funder", "County general fund"),
                ("grant_id", "STL-2025-014"),
                ("funder_start_date", "2025-01-01"),
                ("funder_end_date", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let project = detail(&app, &admin, &id).await;
    assert_eq!(project.cocs.len(), 1);
    assert_eq!(project.cocs[0].state.as_deref(), Some("MO"));
    assert_eq!(project.funders.len(), 1);
    assert_eq!(
        project.funders[0].other_funder.as_deref(),
        Some("County general fund")
    );

    // Removing keeps the rows as deleted (for the export) and hides them.
    let funder_id = project.funders[0].funder_id.clone();
    let coc_id = project.cocs[0].project_coc_id.clone();
    assert_eq!(
        app.call_as(&admin, "remove_funder", &[("funder_id", funder_id.as_str())])
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call_as(
            &admin,
            "remove_project_coc",
            &[("project_coc_id", coc_id.as_str())]
        )
        .await
        .status(),
        200
    );
    let project = detail(&app, &admin, &id).await;
    assert!(project.funders.is_empty() && project.cocs.is_empty());
    use sea_orm::{EntityTrait, PaginatorTrait};
    let removed = app::db::entities::funder::Entity::find_by_id(funder_id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the removed funder is kept");
    assert!(removed.date_deleted.is_some());

    let actions = app.audit_actions().await;
    for action in [
        "project_created",
        "project_updated",
        "project_coc_added",
        "funder_added",
        "funder_removed",
        "project_coc_removed",
    ] {
        assert!(
            actions.contains(&action.to_string()),
            "{action} audited: {actions:?}"
        );
    }
    assert_eq!(
        app::db::entities::project::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        hearth_demo::accounts::DEMO_PROJECTS.len() as u64 + 1
    );
});

on_both_databases!(bad_project_input_is_explained_and_stores_nothing, |app| {
    app.seed_demo().await;
    let admin = app.signed_in("admin").await;
    let before = list(&app, &admin).await;
    let riverside = organization_id(&before, "Riverside Family Shelter");
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case] = &[
        (
            &[
                ("project_name", " "),
                ("project_type", "4"),
                ("operating_start_date", "2025-01-01"),
            ],
            "project_name",
            "Enter the project's name.",
        ),
        (
            &[
                ("project_name", "X"),
                ("project_type", ""),
                ("operating_start_date", "2025-01-01"),
            ],
            "project_type",
            "Choose the HUD project type.",
        ),
        (
            &[
                ("project_name", "X"),
                ("project_type", "5"),
                ("operating_start_date", "2025-01-01"),
            ],
            "project_type",
            "Choose a project type from the list.",
        ),
        (
            &[
                ("project_name", "X"),
                ("project_type", "0"),
                ("operating_start_date", "2025-01-01"),
            ],
            "housing_type",
            "Choose the housing type.",
        ),
        (
            &[
                ("project_name", "X"),
                ("project_type", "13"),
                ("housing_type", "1"),
                ("operating_start_date", "2025-01-01"),
            ],
            "rrh_sub_type",
            "Choose the Rapid Re-Housing subtype.",
        ),
        (
            &[
                ("project_name", "X"),
                ("project_type", "4"),
                ("operating_start_date", ""),
            ],
            "operating_start_date",
            "Enter the date the project started operating.",
        ),
        (
            &[
                ("project_name", "X"),
                ("project_type", "4"),
                ("operating_start_date", "01/02/2025"),
            ],
            "operating_start_date",
            "Enter a date (YYYY-MM-DD).",
        ),
        (
            &[
                ("project_name", "X"),
                ("project_type", "4"),
                ("operating_start_date", "2025-01-01"),
                ("operating_end_date", "2024-12-31"),
            ],
            "operating_end_date",
            "The end date cannot be before the start date.",
        ),
        (
            &[
                ("project_name", "X"),
                ("project_type", "4"),
                ("operating_start_date", "2025-01-01"),
                ("auto_exit_days", "30"),
                ("auto_alert_days", "45"),
            ],
            "auto_alert_days",
            "The alert must come before the auto-exit: use fewer days.",
        ),
        (
            &[
                ("project_name", "X"),
                ("project_type", "4"),
                ("operating_start_date", "2025-01-01"),
                ("auto_exit_days", "ninety"),
            ],
            "auto_exit_days",
            "Enter a whole number.",
        ),
    ];
    for (form, field, message) in cases {
        let mut form = form.to_vec();
        form.push(("organization_id", riverside.as_str()));
        let response = app.call_as(&admin, "save_project", &form).await;
        assert_eq!(response.status(), 422, "{form:?}");
        let error: AppError = response.json().await.unwrap();
        assert_eq!(error.message_for(field), Some(*message), "{form:?}");
    }
    let missing_org = app
        .call_as(
            &admin,
            "save_project",
            &[
                ("project_name", "X"),
                ("project_type", "4"),
                ("operating_start_date", "2025-01-01"),
            ],
        )
        .await;
    assert_eq!(missing_org.status(), 422);

    let outreach = project_id(&before, "Northside Street Outreach");
    for (form, field, message) in [
        (
            vec![
                ("funder", "46"),
                ("grant_id", "G1"),
                ("funder_start_date", "2025-01-01"),
            ],
            "other_funder",
            "Name the local or other funding source.",
        ),
        (
            vec![
                ("funder", "2"),
                ("grant_id", " "),
                ("funder_start_date", "2025-01-01"),
            ],
            "grant_id",
            "Enter the grant identifier.",
        ),
        (
            vec![
                ("funder", "2"),
                ("grant_id", "G1"),
                ("funder_start_date", "2025-01-01"),
                ("funder_end_date", "2024-01-01"),
            ],
            "funder_end_date",
            "The end date cannot be before the start date.",
        ),
    ] {
        let mut form = form;
        form.push(("project_id", outreach.as_str()));
        let response = app.call_as(&admin, "add_funder", &form).await;
        assert_eq!(response.status(), 422, "{form:?}");
        let error: AppError = response.json().await.unwrap();
        assert_eq!(error.message_for(field), Some(message));
    }
    for (form, field) in [
        (vec![("coc_code", "ZZ-999"), ("geocode", "299189")], "coc_code"),
        (vec![("coc_code", "MO-501"), ("geocode", "2991")], "geocode"),
        (vec![("coc_code", "MO-500"), ("geocode", "299189")], "coc_code"),
        (
            vec![("coc_code", "MO-501"), ("geocode", "299189"), ("zip", "6310")],
            "zip",
        ),
    ] {
        let mut form = form;
        form.push(("project_id", outreach.as_str()));
        let response = app.call_as(&admin, "add_project_coc", &form).await;
        assert_eq!(response.status(), 422, "{form:?}");
        let error: AppError = response.json().await.unwrap();
        assert!(error.message_for(field).is_some(), "{form:?}: {error:?}");
    }
    assert_eq!(
        app.call_as(&admin, "get_project", &[("project_id", "nope")])
            .await
            .status(),
        404
    );

    let after = list(&app, &admin).await;
    assert_eq!(after.projects.len(), before.projects.len());
    let outreach_after = after.projects.iter().find(|p| p.project_id == outreach).unwrap();
    assert_eq!(outreach_after.funders, 1);
    assert_eq!(outreach_after.coc_codes, ["MO-500"]);
});

on_both_databases!(agency_admins_manage_only_their_projects, |app| {
    app.seed_demo().await;
    let admin = app.signed_in("admin").await;
    let all = list(&app, &admin).await;
    let northside = organization_id(&all, "Northside Street Outreach");
    let outreach = project_id(&all, "Northside Street Outreach");
    let riverside_shelter = project_id(&all, "Riverside Family Shelter");

    let agency = app.signed_in("agencyadmin").await;
    let own = list(&app, &agency).await;
    assert_eq!(own.organizations.len(), 1);
    assert!(
        own.projects
            .iter()
            .all(|p| p.organization_name == "Riverside Family Shelter")
    );
    assert_eq!(own.projects.len(), 5);
    let riverside = own.organizations[0].organization_id.clone();

    let ok = app
        .call_as(
            &agency,
            "save_project",
            &[
                ("organization_id", riverside.as_str()),
                ("project_name", "Riverside Day Center"),
                ("project_type", "11"),
                ("operating_start_date", "2025-03-01"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(
        detail(&app, &agency, &riverside_shelter).await.organization_name,
        "Riverside Family Shelter"
    );

    // Another organization's project, or a new project there, is refused.
    let form = [
        ("organization_id", northside.as_str()),
        ("project_name", "Mine now"),
        ("project_type", "4"),
        ("operating_start_date", "2025-01-01"),
    ];
    assert_eq!(app.call_as(&agency, "save_project", &form).await.status(), 403);
    let mut edit = form.to_vec();
    edit.push(("project_id", outreach.as_str()));
    assert_eq!(app.call_as(&agency, "save_project", &edit).await.status(), 403);
    // Moving their own project to another organization is refused too.
    let own_shelter = [
        ("project_id", riverside_shelter.as_str()),
        ("organization_id", northside.as_str()),
        ("project_name", "Riverside Family Shelter"),
        ("project_type", "0"),
        ("housing_type", "1"),
        ("operating_start_date", "2019-07-01"),
    ];
    assert_eq!(
        app.call_as(&agency, "save_project", &own_shelter).await.status(),
        403
    );
    assert_eq!(
        app.call_as(&agency, "get_project", &[("project_id", outreach.as_str())])
            .await
            .status(),
        403
    );
    let northside_detail = detail(&app, &admin, &outreach).await;
    let funder_id = northside_detail.funders[0].funder_id.clone();
    let coc_id = northside_detail.cocs[0].project_coc_id.clone();
    assert_eq!(
        app.call_as(&agency, "remove_funder", &[("funder_id", funder_id.as_str())])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call_as(
            &agency,
            "remove_project_coc",
            &[("project_coc_id", coc_id.as_str())]
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.call_as(
            &agency,
            "add_funder",
            &[
                ("project_id", outreach.as_str()),
                ("funder", "2"),
                ("grant_id", "G"),
                ("funder_start_date", "2025-01-01")
            ]
        )
        .await
        .status(),
        403
    );

    // Other workgroups and strangers.
    let casemanager = app.signed_in("casemanager").await;
    let every_argument = [
        ("project_id", outreach.as_str()),
        ("organization_id", northside.as_str()),
        ("project_name", "Mine now"),
        ("project_type", "4"),
        ("operating_start_date", "2025-01-01"),
        ("funder", "2"),
        ("grant_id", "G"),
        ("funder_start_date", "2025-01-01"),
        ("coc_code", "MO-501"),
        ("geocode", "299189"),
        ("funder_id", funder_id.as_str()),
        ("project_coc_id", coc_id.as_str()),
    ];
    for endpoint in [
        "list_projects",
        "get_project",
        "save_project",
        "add_funder",
        "remove_funder",
        "add_project_coc",
        "remove_project_coc",
    ] {
        assert_eq!(
            app.call_as(&casemanager, endpoint, &every_argument)
                .await
                .status(),
            403,
            "{endpoint}"
        );
        assert_eq!(
            app.call(endpoint, &every_argument).await.status(),
            401,
            "{endpoint}"
        );
    }
    let still = detail(&app, &admin, &outreach).await;
    assert_eq!(still.fields.project_name, "Northside Street Outreach");
    assert_eq!(still.funders.len(), 1);
    assert_eq!(list(&app, &admin).await.projects.len(), all.projects.len() + 1);
});
