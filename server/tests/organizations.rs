//! Organizations administration on both databases: HMIS admins create and edit with
//! the VSP and CE flags; agency admins rename only their own; others are refused; bad
//! input stores nothing.

mod common;

use app::error::AppError;
use app::features::organizations::api::OrganizationList;

async fn list(app: &common::TestApp, client: &reqwest::Client) -> OrganizationList {
    let response = app.call_as(client, "list_organizations", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn id_of(list: &OrganizationList, name: &str) -> String {
    list.organizations
        .iter()
        .find(|o| o.organization_name == name)
        .unwrap_or_else(|| panic!("{name} listed"))
        .organization_id
        .clone()
}

on_both_databases!(hmis_admins_create_and_edit_organizations, |app| {
    app.seed_demo().await;
    let admin = app.signed_in("admin").await;
    let before = list(&app, &admin).await;
    assert!(before.may_create);
    assert_eq!(before.organizations.len(), 5);
    let riverside = before
        .organizations
        .iter()
        .find(|o| o.organization_name == "Riverside Family Shelter")
        .unwrap();
    assert_eq!(riverside.users, 4, "casemanager, supervisor, agencyadmin, multi");

    let response = app
        .call_as(
            &admin,
            "save_organization",
            &[
                ("organization_name", "  Hope House  "),
                ("victim_service_provider", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let after = list(&app, &admin).await;
    let hope = after
        .organizations
        .iter()
        .find(|o| o.organization_name == "Hope House")
        .expect("created, name trimmed");
    assert!(hope.victim_service_provider && !hope.coordinated_entry);

    // Making Hope House the CE organization moves the flag: the CoC has one.
    let hope_id = hope.organization_id.clone();
    let response = app
        .call_as(
            &admin,
            "save_organization",
            &[
                ("organization_id", hope_id.as_str()),
                ("organization_name", "Hope House"),
                ("coordinated_entry", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let after = list(&app, &admin).await;
    let ce: Vec<_> = after
        .organizations
        .iter()
        .filter(|o| o.coordinated_entry)
        .collect();
    assert_eq!(ce.len(), 1);
    assert_eq!(ce[0].organization_id, hope_id);
    assert!(!ce[0].victim_service_provider, "an unticked box clears the flag");
    let actions = app.audit_actions().await;
    for action in [
        "organization_created",
        "organization_updated",
        "coordinated_entry_moved",
    ] {
        assert!(
            actions.contains(&action.to_string()),
            "{action} audited: {actions:?}"
        );
    }
});

on_both_databases!(bad_organization_input_is_explained_and_stores_nothing, |app| {
    app.seed_demo().await;
    let admin = app.signed_in("admin").await;
    for (name, expected) in [
        ("   ", "Enter the organization's name."),
        (
            "riverside family shelter",
            "Another organization already has that name.",
        ),
    ] {
        let response = app
            .call_as(&admin, "save_organization", &[("organization_name", name)])
            .await;
        assert_eq!(response.status(), 422);
        let error: AppError = response.json().await.unwrap();
        assert_eq!(error.message_for("organization_name"), Some(expected));
    }
    let long = "x".repeat(201);
    let response = app
        .call_as(
            &admin,
            "save_organization",
            &[("organization_name", long.as_str())],
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = app
        .call_as(
            &admin,
            "save_organization",
            &[("organization_id", "nope"), ("organization_name", "Ghost")],
        )
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(list(&app, &admin).await.organizations.len(), 5);
});

on_both_databases!(agency_admins_rename_only_their_own_organization, |app| {
    app.seed_demo().await;
    let admin = app.signed_in("admin").await;
    let all = list(&app, &admin).await;
    let riverside = id_of(&all, "Riverside Family Shelter");
    let northside = id_of(&all, "Northside Street Outreach");

    let agency = app.signed_in("agencyadmin").await;
    let own = list(&app, &agency).await;
    assert!(!own.may_create);
    assert_eq!(own.organizations.len(), 1);
    assert_eq!(own.organizations[0].organization_id, riverside);

    // Renaming their own works; the flags they send are ignored.
    let response = app
        .call_as(
            &agency,
            "save_organization",
            &[
                ("organization_id", riverside.as_str()),
                ("organization_name", "Riverside Family Center"),
                ("coordinated_entry", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let own = list(&app, &agency).await;
    assert_eq!(own.organizations[0].organization_name, "Riverside Family Center");
    assert!(!own.organizations[0].coordinated_entry);

    // Another organization, a new one, other workgroups and strangers are refused.
    let other = app
        .call_as(
            &agency,
            "save_organization",
            &[
                ("organization_id", northside.as_str()),
                ("organization_name", "Mine now"),
            ],
        )
        .await;
    assert_eq!(other.status(), 403);
    let new = app
        .call_as(
            &agency,
            "save_organization",
            &[("organization_name", "Agency Made")],
        )
        .await;
    assert_eq!(new.status(), 403);
    let casemanager = app.signed_in("casemanager").await;
    assert_eq!(
        app.call_as(&casemanager, "list_organizations", &[])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call_as(&casemanager, "save_organization", &[("organization_name", "X")])
            .await
            .status(),
        403
    );
    assert_eq!(app.call("list_organizations", &[]).await.status(), 401);
    assert_eq!(
        app.call("save_organization", &[("organization_name", "X")])
            .await
            .status(),
        401
    );
    assert_eq!(list(&app, &admin).await.organizations.len(), 5);
});
