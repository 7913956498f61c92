//! The supervisor's caseload dashboard on both databases: each case manager's active
//! clients, households, annuals overdue, drafts and data-quality errors; the counts
//! after an exit and after a reassignment; the drill-down; who may look.

mod common;

use app::features::caseload::api::{CaseloadDashboard, CaseloadDetail, ManagerLoad};
use common::households::*;
use common::workflow::*;

const FAMILY_SHELTER: &str = "Riverside Family Shelter";

async fn load_of(app: &common::TestApp, who: &reqwest::Client, name: &str) -> ManagerLoad {
    let dashboard: CaseloadDashboard = ok_json(app.call_as(who, "caseload_dashboard", &[]).await).await;
    dashboard
        .managers
        .into_iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{name} is listed"))
}

on_both_databases!(supervisors_see_each_case_managers_load_change, |app| {
    app.seed_demo().await;
    let riverside = organization_of(&app, FAMILY_SHELTER).await;
    let casey = user_id(&app, "casemanager").await;
    // A parent and child entered 20 days ago, both Casey's.
    let family = household(&app, FAMILY_SHELTER, &[(1, 20), (2, 20)]).await;
    for m in &family {
        assign(&app, m, &casey, &riverside, app.state.today()).await;
    }
    // A ten-year-old head of household entered 400 days ago with no annual assessment:
    // an annual overdue, and two data-quality errors (a child as head, a missed annual).
    let young = household(&app, FAMILY_SHELTER, &[(1, 400)]).await;
    set_dob(
        &app,
        &young[0].0,
        app.state.today() - chrono::Duration::days(3653),
    )
    .await;
    assign(&app, &young[0], &casey, &riverside, app.state.today()).await;
    // An intake Casey left halfway.
    let casey_client = app.signed_in("casemanager").await;
    ok_url(
        app.call_as(
            &casey_client,
            "start_intake",
            &[("first_name", "Half"), ("last_name", "Done")],
        )
        .await,
    )
    .await;

    let supervisor = app.signed_in("supervisor").await;
    let dashboard: CaseloadDashboard =
        ok_json(app.call_as(&supervisor, "caseload_dashboard", &[]).await).await;
    assert_eq!(dashboard.organization_name, "Riverside Family Shelter");
    assert!(
        dashboard.organizations.is_empty(),
        "supervisors see their organization"
    );
    let names: Vec<&str> = dashboard.managers.iter().map(|m| m.name.as_str()).collect();
    assert!(
        names.contains(&"Casey Manning") && names.contains(&"Sam Porter"),
        "{names:?}"
    );
    let load = load_of(&app, &supervisor, "Casey Manning").await;
    assert_eq!(
        (
            load.active_clients,
            load.households,
            load.annuals_due,
            load.annuals_overdue,
            load.exits_due,
            load.open_drafts,
            load.dq_errors
        ),
        (3, 2, 0, 1, 0, 1, 2),
        "{load:?}"
    );

    // The family exits: Casey's counts drop.
    for m in &family {
        exit_on(&app, m, 0, 1).await;
    }
    let after = load_of(&app, &supervisor, "Casey Manning").await;
    assert_eq!((after.active_clients, after.households), (1, 1), "{after:?}");

    // The drill-down lists Casey's clients; a reassignment moves one to Sam.
    let detail: CaseloadDetail = ok_json(
        app.call_as(&supervisor, "caseload_of", &[("user_id", casey.as_str())])
            .await,
    )
    .await;
    assert_eq!(detail.load, after);
    assert!(detail.rows.iter().any(|r| r.personal_id == young[0].0));
    assert!(detail.options.iter().any(|o| o.name == "Sam Porter"));
    let sam = user_id(&app, "supervisor").await;
    ok_url(
        app.call_as(
            &supervisor,
            "reassign_case",
            &[("personal_id", young[0].0.as_str()), ("user_id", sam.as_str())],
        )
        .await,
    )
    .await;
    assert_eq!(
        load_of(&app, &supervisor, "Casey Manning").await.active_clients,
        0
    );
    let moved = load_of(&app, &supervisor, "Sam Porter").await;
    assert_eq!(
        (moved.active_clients, moved.annuals_overdue, moved.dq_errors),
        (1, 1, 2)
    );
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"caseloads.view".to_string()));
    assert!(actions.contains(&"caseload.view".to_string()));

    // An agency admin sees the same; an HMIS admin chooses the organization.
    let agency = app.signed_in("agencyadmin").await;
    assert_eq!(load_of(&app, &agency, "Sam Porter").await, moved);
    let admin = app.signed_in("admin").await;
    let chosen: CaseloadDashboard = ok_json(
        app.call_as(
            &admin,
            "caseload_dashboard",
            &[("filter[organization_id]", riverside.as_str())],
        )
        .await,
    )
    .await;
    assert!(
        chosen
            .managers
            .iter()
            .any(|m| m.name == "Sam Porter" && m.active_clients == 1)
    );
    assert!(!chosen.organizations.is_empty());
});

on_both_databases!(
    caseloads_are_for_supervisors_and_admins_of_the_organization,
    |app| {
        app.seed_demo().await;
        let northside = organization_of(&app, "Northside Street Outreach").await;
        let olivia = user_id(&app, "outreach").await;
        let casey = user_id(&app, "casemanager").await;
        for who in ["casemanager", "outreach", "plm"] {
            let user = app.signed_in(who).await;
            assert_eq!(
                app.call_as(&user, "caseload_dashboard", &[]).await.status(),
                403,
                "{who}"
            );
            assert_eq!(
                app.call_as(&user, "caseload_of", &[("user_id", casey.as_str())])
                    .await
                    .status(),
                403,
                "{who}"
            );
        }
        assert_eq!(app.call("caseload_dashboard", &[]).await.status(), 401);
        assert_eq!(
            app.call("caseload_of", &[("user_id", casey.as_str())])
                .await
                .status(),
            401
        );
        let supervisor = app.signed_in("supervisor").await;
        // Another organization, or its case manager: not this supervisor's.
        assert_eq!(
            app.call_as(
                &supervisor,
                "caseload_dashboard",
                &[("filter[organization_id]", northside.as_str())]
            )
            .await
            .status(),
            403
        );
        assert_eq!(
            app.call_as(&supervisor, "caseload_of", &[("user_id", olivia.as_str())])
                .await
                .status(),
            404
        );
        assert_eq!(
            app.call_as(&supervisor, "caseload_of", &[("user_id", "")])
                .await
                .status(),
            404
        );
        // An unknown organization is not found, for an HMIS admin too.
        let admin = app.signed_in("admin").await;
        assert_eq!(
            app.call_as(
                &admin,
                "caseload_dashboard",
                &[("filter[organization_id]", "nope")]
            )
            .await
            .status(),
            404
        );
        // Reassigning to someone outside the organization stores nothing.
        let family = household(&app, FAMILY_SHELTER, &[(1, 5)]).await;
        let riverside = organization_of(&app, FAMILY_SHELTER).await;
        assign(&app, &family[0], &casey, &riverside, app.state.today()).await;
        refused(
            app.call_as(
                &supervisor,
                "reassign_case",
                &[
                    ("personal_id", family[0].0.as_str()),
                    ("user_id", olivia.as_str()),
                ],
            )
            .await,
            422,
            "Choose a case manager",
        )
        .await;
        assert_eq!(
            load_of(&app, &supervisor, "Casey Manning").await.active_clients,
            1
        );
    }
);
