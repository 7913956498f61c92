//! Administrative exits on both databases: the candidates (households without activity,
//! grouped), a preview that writes nothing, the job writing exactly the previewed rows
//! (and leaving a household that changed after the preview), the agency admin's list,
//! who may do what, and bad input.

mod common;

use std::collections::BTreeMap;

use app::db::entities::{exit_reason, job_run};
use app::features::admin_exits::api::{AdminExitPlanView, AdminExitsDonePage, CandidatePage, pick_field};
use app::jobs::JobState;
use chrono::NaiveDate;
use common::households::*;
use common::workflow::*;
use sea_orm::EntityTrait;

const FAMILY_SHELTER: &str = "Riverside Family Shelter"; // Riverside (organization 1), no auto-exit

async fn household_of(app: &common::TestApp, member: &(String, String)) -> String {
    use app::db::entities::enrollment;
    enrollment::Entity::find_by_id(member.1.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .household_id
}

/// The plan ID in a plan page's address.
fn plan_of(url: String) -> String {
    assert!(url.starts_with("/admin/admin-exits/"), "{url}");
    url.rsplit('/').next().unwrap().to_string()
}

async fn plan(app: &common::TestApp, admin: &reqwest::Client, plan_id: &str) -> AdminExitPlanView {
    ok_json(
        app.call_as(admin, "admin_exit_plan", &[("plan_id", plan_id)])
            .await,
    )
    .await
}

/// Waits (bounded) for the plan's job to finish.
async fn finished(app: &common::TestApp, admin: &reqwest::Client, plan_id: &str) -> AdminExitPlanView {
    for _ in 0..200 {
        let view = plan(app, admin, plan_id).await;
        if !view.state.busy() && view.state != JobState::Planned {
            return view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the administrative exit finishes");
}

on_both_databases!(admins_preview_and_run_exactly_the_previewed_rows, |app| {
    app.seed_demo().await;
    let project = project_id(&app, FAMILY_SHELTER).await;
    // A parent and child: the child's service 150 days ago is the household's last.
    let pair = household(&app, FAMILY_SHELTER, &[(1, 200), (2, 200)]).await;
    service(&app, &pair[1], 150, 1).await;
    // Never seen since entering 120 days ago.
    let silent = household(&app, FAMILY_SHELTER, &[(1, 120)]).await;
    // Seen 10 days ago: not a candidate.
    let active = household(&app, FAMILY_SHELTER, &[(1, 300)]).await;
    contact(&app, &active[0], 10).await;
    // Held by a CE referral.
    let referred = household(&app, FAMILY_SHELTER, &[(1, 200)]).await;
    open_referral(&app, &referred[0].0).await;
    // Picked, then seen again before the exit runs.
    let late = household(&app, FAMILY_SHELTER, &[(1, 130)]).await;
    // A candidate nobody picks.
    let unpicked = household(&app, FAMILY_SHELTER, &[(1, 400)]).await;

    let admin = app.signed_in("admin").await;
    let filter = [("filter[project_id]", project.as_str()), ("filter[days]", "100")];
    let page: CandidatePage = ok_json(app.call_as(&admin, "admin_exit_candidates", &filter).await).await;
    assert_eq!(page.days, 100);
    let heads: Vec<&str> = page
        .rows
        .iter()
        .map(|r| r.members[0].personal_id.as_str())
        .collect();
    // Oldest activity first; the active household is not listed.
    assert_eq!(
        heads,
        [
            unpicked[0].0.as_str(),
            referred[0].0.as_str(),
            pair[0].0.as_str(),
            late[0].0.as_str(),
            silent[0].0.as_str()
        ]
    );
    assert_eq!((page.total_households, page.total_enrollments), (5, 6));
    let family = page.rows.iter().find(|r| r.members.len() == 2).unwrap();
    assert!(family.members[0].head && !family.members[1].head);
    assert_eq!(
        (family.last_activity, family.exit_date),
        (ago(&app, 150), ago(&app, 150))
    );
    assert_eq!(family.days_inactive, 150);
    assert_eq!(family.members[0].name, "Test Sweep");
    assert_eq!(family.organization_name, "Riverside Family Shelter");
    assert!(
        page.rows
            .iter()
            .find(|r| r.members[0].personal_id == referred[0].0)
            .unwrap()
            .held_by_referral
    );

    // The preview keeps exactly what will change, and changes nothing.
    let picks: Vec<String> = vec![
        pick_field(&household_of(&app, &pair[0]).await),
        pick_field(&household_of(&app, &silent[0]).await),
        pick_field(&household_of(&app, &referred[0]).await),
        pick_field(&household_of(&app, &late[0]).await),
    ];
    let mut form: Vec<(&str, &str)> = filter.to_vec();
    form.extend(picks.iter().map(|p| (p.as_str(), "yes")));
    let plan_id = plan_of(ok_json(app.call_as(&admin, "preview_admin_exit", &form).await).await);
    assert!(exits(&app).await.is_empty(), "a preview exits nobody");
    let view = plan(&app, &admin, &plan_id).await;
    assert_eq!(view.state, JobState::Planned, "waiting for confirmation");
    let planned: BTreeMap<String, NaiveDate> = view
        .plan
        .households
        .iter()
        .flat_map(|h| {
            h.members
                .iter()
                .map(move |m| (m.enrollment_id.clone(), h.exit_date))
        })
        .collect();
    let expected: BTreeMap<String, NaiveDate> = [
        (pair[0].1.clone(), ago(&app, 150)),
        (pair[1].1.clone(), ago(&app, 150)),
        (silent[0].1.clone(), ago(&app, 120)),
        (late[0].1.clone(), ago(&app, 130)),
    ]
    .into_iter()
    .collect();
    assert_eq!(planned, expected);
    assert_eq!(view.plan.skipped.len(), 1);
    assert_eq!(view.plan.skipped[0].head_personal_id, referred[0].0);
    assert!(view.plan.skipped[0].reason.contains("Coordinated Entry referral"));
    assert_eq!(view.previewed_by.as_deref(), Some("admin"));

    // Seen again after the preview: the job leaves that household.
    service(&app, &late[0], 1, 1).await;
    let started: String = ok_json(
        app.call_as(&admin, "run_admin_exit", &[("plan_id", &plan_id)])
            .await,
    )
    .await;
    assert_eq!(started, plan_id);
    let done = finished(&app, &admin, &plan_id).await;
    assert_eq!(done.state, JobState::Done, "{:?}", done.message);
    assert_eq!((done.progress, done.total), (3, 3));
    let result = done.result.expect("a result");
    assert_eq!((result.households_exited, result.enrollments_exited), (2, 3));
    assert_eq!(result.not_exited.len(), 1);
    assert_eq!(result.not_exited[0].head_personal_id, late[0].0);
    assert!(
        result.not_exited[0].reason.contains("after the preview"),
        "{:?}",
        result.not_exited
    );

    // Exactly the previewed rows of the households that still matched.
    let written = exits(&app).await;
    let mut want = expected.clone();
    want.remove(&late[0].1);
    assert_eq!(
        written.keys().cloned().collect::<Vec<_>>(),
        want.keys().cloned().collect::<Vec<_>>()
    );
    for (enrollment, date) in &want {
        let (on, destination, reason, method) = &written[enrollment];
        assert_eq!(on, date);
        assert_eq!(*destination, 30);
        assert_eq!(reason.as_deref(), Some(exit_reason::ADMINISTRATIVE_EXIT));
        assert_eq!(method, "admin");
    }
    // Once only.
    refused(
        app.call_as(&admin, "run_admin_exit", &[("plan_id", &plan_id)])
            .await,
        409,
        "already started",
    )
    .await;
    let actions = app.audit_actions().await;
    for action in [
        "admin_exit.candidates",
        "admin_exit.preview",
        "admin_exit.start",
        "enrollment.admin_exit",
    ] {
        assert!(actions.contains(&action.to_string()), "{action}");
    }
    assert_eq!(
        actions.iter().filter(|a| *a == "enrollment.admin_exit").count(),
        3
    );

    // The agency admin sees the administrative exits done in the organization.
    let agency = app.signed_in("agencyadmin").await;
    let listed: AdminExitsDonePage = ok_json(app.call_as(&agency, "admin_exits_done", &[]).await).await;
    assert_eq!(listed.total, 3);
    let mut listed_clients: Vec<&str> = listed.rows.iter().map(|r| r.personal_id.as_str()).collect();
    listed_clients.sort();
    let mut exited_clients = vec![pair[0].0.as_str(), pair[1].0.as_str(), silent[0].0.as_str()];
    exited_clients.sort();
    assert_eq!(listed_clients, exited_clients);
    assert!(
        listed
            .rows
            .iter()
            .all(|r| r.project_name == FAMILY_SHELTER && r.name == "Test Sweep")
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"admin_exits.view".to_string())
    );
    // Another organization's list is not theirs; an HMIS admin chooses any.
    let northside = organization_of(&app, "Northside Street Outreach").await;
    assert_eq!(
        app.call_as(
            &agency,
            "admin_exits_done",
            &[("filter[organization_id]", &northside)]
        )
        .await
        .status(),
        403
    );
    let theirs: AdminExitsDonePage = ok_json(
        app.call_as(
            &admin,
            "admin_exits_done",
            &[("filter[organization_id]", &northside)],
        )
        .await,
    )
    .await;
    assert_eq!(theirs.total, 0);
    let casey = app.signed_in("casemanager").await;
    assert_eq!(app.call_as(&casey, "admin_exits_done", &[]).await.status(), 403);
    assert_eq!(app.call("admin_exits_done", &[]).await.status(), 401);
});

on_both_databases!(
    administrative_exits_are_for_hmis_admins_and_refuse_bad_input,
    |app| {
        app.seed_demo().await;
        let project = project_id(&app, FAMILY_SHELTER).await;
        let parent = household(&app, FAMILY_SHELTER, &[(1, 200)]).await;
        service(&app, &parent[0], 150, 1).await;
        let admin = app.signed_in("admin").await;
        let filter = [("filter[project_id]", project.as_str()), ("filter[days]", "100")];
        let page: CandidatePage = ok_json(app.call_as(&admin, "admin_exit_candidates", &filter).await).await;
        let household_id = page.rows[0].household_id.clone();
        let pick = pick_field(&household_id);

        // Others: not theirs, whatever the organization.
        for who in ["casemanager", "supervisor", "agencyadmin", "outreach", "plm"] {
            let user = app.signed_in(who).await;
            assert_eq!(
                app.call_as(&user, "admin_exit_candidates", &filter)
                    .await
                    .status(),
                403,
                "{who}"
            );
            let mut form = filter.to_vec();
            form.push((pick.as_str(), "yes"));
            refused(
                app.call_as(&user, "preview_admin_exit", &form).await,
                403,
                "Forbidden",
            )
            .await;
        }
        assert_eq!(app.call("admin_exit_candidates", &filter).await.status(), 401);
        assert_eq!(app.call("preview_admin_exit", &filter).await.status(), 401);
        assert_eq!(
            app.call("run_admin_exit", &[("plan_id", "x")]).await.status(),
            401
        );
        assert_eq!(
            app.call("admin_exit_plan", &[("plan_id", "x")]).await.status(),
            401
        );

        // Bad input: a clear message, nothing stored.
        for (days, says) in [
            ("abc", "whole number"),
            ("0", "whole number"),
            ("99999", "whole number"),
        ] {
            refused(
                app.call_as(&admin, "admin_exit_candidates", &[("filter[days]", days)])
                    .await,
                422,
                says,
            )
            .await;
        }
        refused(
            app.call_as(&admin, "preview_admin_exit", &filter).await,
            422,
            "Choose at least one household",
        )
        .await;
        let tomorrow = (app.state.today() + chrono::Duration::days(1))
            .format("%Y-%m-%d")
            .to_string();
        let before_activity = ago(&app, 160).format("%Y-%m-%d").to_string();
        for (date, says) in [
            ("12/01/2026", "Enter a date (YYYY-MM-DD)."),
            (tomorrow.as_str(), "cannot be in the future"),
            (
                before_activity.as_str(),
                "before the household's last service or contact",
            ),
        ] {
            let mut form = filter.to_vec();
            form.push((pick.as_str(), "yes"));
            form.push(("exit_date", date));
            refused(app.call_as(&admin, "preview_admin_exit", &form).await, 422, says).await;
        }
        assert_eq!(
            common::workflow::count(&app, job_run::Entity).await,
            0,
            "no plan stored"
        );
        for (k, v) in [("plan_id", "no-such-plan")] {
            assert_eq!(
                app.call_as(&admin, "admin_exit_plan", &[(k, v)]).await.status(),
                404
            );
            assert_eq!(
                app.call_as(&admin, "run_admin_exit", &[(k, v)]).await.status(),
                404
            );
        }

        // A chosen date that fits, for all matching: every household takes it.
        let chosen = ago(&app, 40);
        let chosen_text = chosen.format("%Y-%m-%d").to_string();
        let mut form = filter.to_vec();
        form.push(("all", "yes"));
        form.push(("exit_date", chosen_text.as_str()));
        let plan_id = plan_of(ok_json(app.call_as(&admin, "preview_admin_exit", &form).await).await);
        let view = plan(&app, &admin, &plan_id).await;
        assert_eq!(view.plan.chosen_date, Some(chosen));
        assert_eq!(view.plan.households.len(), 1);
        assert_eq!(view.plan.households[0].exit_date, chosen);
        // Other users cannot read or run it.
        let agency = app.signed_in("agencyadmin").await;
        assert_eq!(
            app.call_as(&agency, "admin_exit_plan", &[("plan_id", &plan_id)])
                .await
                .status(),
            403
        );
        assert_eq!(
            app.call_as(&agency, "run_admin_exit", &[("plan_id", &plan_id)])
                .await
                .status(),
            403
        );
        // A preview a day old must be made again.
        app.state.clock.advance(chrono::Duration::hours(25));
        let admin = app.signed_in("admin").await;
        refused(
            app.call_as(&admin, "run_admin_exit", &[("plan_id", &plan_id)])
                .await,
            409,
            "preview the exit again",
        )
        .await;
        assert!(exits(&app).await.is_empty());
    }
);
