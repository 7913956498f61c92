//! The exit workflows on both databases: a household's exit committed at Finish in
//! one transaction (and nothing when it fails), the HUD household rules, dates and
//! destinations refused with clear messages, Edit Exit, "No exit interview
//! completed", and who may do it.

mod common;

use app::db::entities::{
    assessment_event, audit_log, case_assignment, enrollment, exit, income_benefit, service, workflow_draft,
};
use app::features::clients::api::ClientDashboard;
use common::workflow::*;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

const COMPLETED_PROGRAM: &str = "exitreason0000000000000000000003";

/// A household of three entered 30 days ago: (HoH, spouse, child) IDs and the HoH's
/// enrollment.
async fn household_of_three(
    app: &common::TestApp,
    who: &reqwest::Client,
    last: &str,
) -> (Vec<String>, String) {
    let people = [
        ("Alicia", last, "1988-04-02", "1"),
        ("Marco", last, "1986-09-12", "3"),
        ("Sofia", last, "2017-01-20", "2"),
    ];
    let (draft, ids) = intake(app, who, &people, "Riverside Family Shelter", &days_ago(app, 30)).await;
    ok_url(app.call_as(who, "finish_workflow", &[("draft_id", &draft)]).await).await;
    let enrollment = enrollment_of(app, &ids[0]).await;
    (ids, enrollment)
}

async fn start_exit(app: &common::TestApp, who: &reqwest::Client, enrollment: &str) -> String {
    let url = ok_url(
        app.call_as(
            who,
            "start_workflow",
            &[("enrollment_id", enrollment), ("kind", "exit")],
        )
        .await,
    )
    .await;
    assert!(url.ends_with("/exit"), "{url}");
    draft_of(&url)
}

async fn field_message(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn live_exits(app: &common::TestApp) -> u64 {
    exit::Entity::find()
        .filter(exit::Column::DateDeleted.is_null())
        .count(&app.db)
        .await
        .unwrap()
}

async fn exit_events(app: &common::TestApp) -> u64 {
    assessment_event::Entity::find()
        .filter(assessment_event::Column::DataCollectionStage.eq(3))
        .filter(assessment_event::Column::DateDeleted.is_null())
        .count(&app.db)
        .await
        .unwrap()
}

on_both_databases!(a_household_exit_commits_every_member_at_finish, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let (ids, head_enrollment) = household_of_three(&app, &casey, "Quill").await;
    let mine: Vec<app::features::caseload::api::CaseloadRow> =
        ok_json(app.call_as(&casey, "my_case_assignments", &[]).await).await;
    assert!(mine.iter().any(|r| r.personal_id == ids[0]), "assigned at intake");
    let draft = start_exit(&app, &casey, &head_enrollment).await;
    // Starting again resumes the same draft.
    assert_eq!(start_exit(&app, &casey, &head_enrollment).await, draft);

    let shown_first = shown(&app, &casey, &draft, "exit").await;
    for id in &ids {
        assert!(
            shown_first.contains(&(format!("exit_{id}"), "yes".into())),
            "everyone is ticked to exit by default"
        );
    }
    // One member leaves three days before the others (a back-dated exit date).
    saved(
        &app,
        &casey,
        &draft,
        "exit",
        &[
            ("exit_date", &days_ago(&app, 2)),
            (&format!("date_{}", ids[2]), &days_ago(&app, 5)),
            ("destination", "410"),
            ("reason", COMPLETED_PROGRAM),
            (&format!("exit_{}", ids[0]), "yes"),
            (&format!("exit_{}", ids[1]), "yes"),
            (&format!("exit_{}", ids[2]), "yes"),
            ("end_case_assignment", "yes"),
            ("service", "141:4"),
        ],
    )
    .await;
    for id in &ids {
        default_last_and_save(&app, &casey, &draft, &format!("exit-{id}")).await;
    }
    let w = view(&app, &casey, &draft, "review").await;
    assert!(
        w.steps.iter().take(w.steps.len() - 1).all(|s| s.done),
        "{:?}",
        w.steps
    );
    assert_eq!(live_exits(&app).await, 0, "nothing is exited before Finish");

    // A failure injected at the last member's last row: nothing is written.
    let child = &ids[2];
    let statements: Vec<String> = match app.db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => vec![
            format!(
                "CREATE FUNCTION fail_last() RETURNS trigger AS $$ BEGIN IF NEW.personal_id = '{child}' \
                 AND NEW.data_collection_stage = 3 THEN RAISE EXCEPTION 'injected failure'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER fail_last BEFORE INSERT ON disabilities FOR EACH ROW EXECUTE FUNCTION fail_last()".into(),
        ],
        _ => vec![format!(
            "CREATE TRIGGER fail_last BEFORE INSERT ON disabilities \
             WHEN NEW.personal_id = '{child}' AND NEW.data_collection_stage = 3 \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )],
    };
    for sql in statements {
        app.db.execute_unprepared(&sql).await.unwrap();
    }
    let response = app
        .call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
        .await;
    assert_eq!(response.status(), 500);
    assert_eq!(live_exits(&app).await, 0);
    assert_eq!(exit_events(&app).await, 0);
    assert_eq!(count(&app, service::Entity).await, 0);
    let open_assignments = case_assignment::Entity::find()
        .filter(case_assignment::Column::EndDate.is_null())
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(open_assignments, 3, "case assignments untouched");
    app.db
        .execute_unprepared("DROP TRIGGER fail_last ON disabilities")
        .await
        .ok();
    app.db.execute_unprepared("DROP TRIGGER fail_last").await.ok();

    let url = ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    assert_eq!(url, format!("/clients/{}", ids[0]));
    let exits = exit::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(exits.len(), 3);
    for x in &exits {
        assert_eq!(x.destination, 410);
        assert_eq!(x.exit_method, "manual");
        assert_eq!(x.exit_reason_id.as_deref(), Some(COMPLETED_PROGRAM));
        let expected = if &x.personal_id == child {
            days_ago(&app, 5)
        } else {
            days_ago(&app, 2)
        };
        assert_eq!(x.exit_date.format("%Y-%m-%d").to_string(), expected);
    }
    assert_eq!(exit_events(&app).await, 3);
    let exit_income = income_benefit::Entity::find()
        .filter(income_benefit::Column::DataCollectionStage.eq(3))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(exit_income.len(), 3);
    // Default Last carried the entry answers (an adult's earned income).
    assert!(exit_income.iter().any(|r| r.earned_amount == Some(850.5)));
    assert_eq!(count(&app, service::Entity).await, 1);
    let open_assignments = case_assignment::Entity::find()
        .filter(case_assignment::Column::EndDate.is_null())
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(open_assignments, 0, "End Case Assignment ended them");
    let mine: Vec<app::features::caseload::api::CaseloadRow> =
        ok_json(app.call_as(&casey, "my_case_assignments", &[]).await).await;
    assert!(
        mine.iter().all(|r| !ids.contains(&r.personal_id)),
        "the household left My Case Assignments"
    );
    assert!(
        workflow_draft::Entity::find_by_id(draft)
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    let actions = app.audit_actions().await;
    assert_eq!(actions.iter().filter(|a| *a == "enrollment.exit").count(), 3);
    assert!(actions.contains(&"case_assignment.end".to_string()));

    let dashboard: ClientDashboard = ok_json(
        app.call_as(&casey, "get_client_dashboard", &[("personal_id", &ids[0])])
            .await,
    )
    .await;
    assert!(dashboard.enrollments[0].exit_date.is_some());
    assert!(
        dashboard.enrollments[0]
            .household
            .iter()
            .all(|m| m.exit_date.is_some())
    );

    // The enrollment is exited: a second exit is refused, Edit Exit is offered.
    let response = app
        .call_as(
            &casey,
            "start_workflow",
            &[("enrollment_id", &head_enrollment), ("kind", "exit")],
        )
        .await;
    assert_eq!(response.status(), 409);
});

on_both_databases!(household_rules_dates_and_destinations_are_enforced, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let (ids, head_enrollment) = household_of_three(&app, &casey, "Rook").await;
    let draft = start_exit(&app, &casey, &head_enrollment).await;
    let base = |date: String| -> Vec<(String, String)> {
        vec![
            ("exit_date".into(), date),
            ("destination".into(), "410".into()),
            ("end_case_assignment".into(), "yes".into()),
        ]
    };
    let attempt = |answers: Vec<(String, String)>| {
        let app = &app;
        let casey = &casey;
        let draft = draft.clone();
        async move {
            let refs: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            field_message(save(app, casey, &draft, "exit", &refs).await).await
        }
    };
    let tick = |a: &mut Vec<(String, String)>, who: &[&String]| {
        for id in who {
            a.push((format!("exit_{id}"), "yes".into()));
        }
    };

    // The head of household alone: refused, everyone stays.
    let mut a = base(days_ago(&app, 1));
    tick(&mut a, &[&ids[0]]);
    let (status, body) = attempt(a).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("head of household cannot exit before the rest"),
        "{body}"
    );
    // Before the project start date, in the future.
    let mut a = base(days_ago(&app, 31));
    tick(&mut a, &[&ids[0], &ids[1], &ids[2]]);
    let (status, body) = attempt(a).await;
    assert_eq!(status, 422);
    assert!(body.contains("before the project start date"), "{body}");
    let mut a = base(days_ago(&app, -1));
    tick(&mut a, &[&ids[0], &ids[1], &ids[2]]);
    let (status, body) = attempt(a).await;
    assert_eq!(status, 422);
    assert!(body.contains("cannot be in the future"), "{body}");
    // No destination; a subsidized rental without its subsidy type.
    let mut a = vec![("exit_date".to_string(), days_ago(&app, 1))];
    tick(&mut a, &[&ids[0], &ids[1], &ids[2]]);
    let (status, body) = attempt(a.clone()).await;
    assert_eq!(status, 422);
    assert!(body.contains("Choose the destination"), "{body}");
    a.push(("destination".into(), "435".into()));
    let (status, body) = attempt(a).await;
    assert_eq!(status, 422);
    assert!(body.contains("subsidy"), "{body}");
    // A member's exit date after the head's.
    let mut a = base(days_ago(&app, 3));
    tick(&mut a, &[&ids[0], &ids[1], &ids[2]]);
    a.push((format!("date_{}", ids[1]), days_ago(&app, 1)));
    let (status, body) = attempt(a).await;
    assert_eq!(status, 422);
    assert!(body.contains("after the head of household"), "{body}");
    // Finish refuses while the first step is not saved; nothing was written.
    let response = app
        .call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(live_exits(&app).await, 0);
    assert!(!app.audit_actions().await.contains(&"enrollment.exit".to_string()));

    // Another organization, another user, no session: refused.
    let olivia = app.signed_in("outreach").await;
    let response = app
        .call_as(
            &olivia,
            "start_workflow",
            &[("enrollment_id", &head_enrollment), ("kind", "exit")],
        )
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .call_as(&olivia, "finish_workflow", &[("draft_id", &draft)])
        .await;
    assert_eq!(response.status(), 403);
    let sam = app.signed_in("supervisor").await;
    let response = app.call_as(&sam, "get_workflow", &[("draft_id", &draft)]).await;
    assert_eq!(response.status(), 403);
    let response = app
        .call(
            "start_workflow",
            &[("enrollment_id", &head_enrollment), ("kind", "exit")],
        )
        .await;
    assert_eq!(response.status(), 401);
    let response = app
        .call_as(
            &casey,
            "start_workflow",
            &[("enrollment_id", "nope"), ("kind", "exit")],
        )
        .await;
    assert_eq!(response.status(), 404);

    // The child alone (a non-HoH member may leave alone): done, the others stay.
    let mut a = base(days_ago(&app, 1));
    tick(&mut a, &[&ids[2]]);
    let refs: Vec<(&str, &str)> = a.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    saved(&app, &casey, &draft, "exit", &refs).await;
    let w = view(&app, &casey, &draft, "review").await;
    let members: Vec<_> = w.steps.iter().filter_map(|s| s.member.clone()).collect();
    assert_eq!(
        members,
        vec![format!("Sofia Rook")],
        "only the child's exit assessment is asked"
    );
    default_last_and_save(&app, &casey, &draft, &format!("exit-{}", ids[2])).await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    assert_eq!(live_exits(&app).await, 1);
    let dashboard: ClientDashboard = ok_json(
        app.call_as(&casey, "get_client_dashboard", &[("personal_id", &ids[0])])
            .await,
    )
    .await;
    assert_eq!(dashboard.enrollments[0].exit_date, None);
    assert_eq!(dashboard.enrollments[0].partial_exit(), Some((1, 3)));

    // The head exits and the spouse stays as the new head of household.
    let draft = start_exit(&app, &casey, &head_enrollment).await;
    let shown_first = shown(&app, &casey, &draft, "exit").await;
    assert!(
        !shown_first.iter().any(|(k, _)| k == &format!("exit_{}", ids[2])),
        "the child has exited"
    );
    saved(
        &app,
        &casey,
        &draft,
        "exit",
        &[
            ("exit_date", &days_ago(&app, 1)),
            ("destination", "422"),
            (&format!("exit_{}", ids[0]), "yes"),
            ("new_head", &ids[1]),
        ],
    )
    .await;
    default_last_and_save(&app, &casey, &draft, &format!("exit-{}", ids[0])).await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    let spouse = enrollment::Entity::find_by_id(enrollment_of(&app, &ids[1]).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(spouse.relationship_to_hoh, Some(1));
    assert_eq!(live_exits(&app).await, 2);
    let open_assignments = case_assignment::Entity::find()
        .filter(case_assignment::Column::EndDate.is_null())
        .count(&app.db)
        .await
        .unwrap();
    // The child's assignment ended with the child's exit; this time the box was not
    // ticked, so the head's and the spouse's stay.
    assert_eq!(open_assignments, 2, "End Case Assignment was not ticked");
});

on_both_databases!(no_exit_interview_prefills_and_edit_exit_corrects, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let (ids, head_enrollment) = household_of_three(&app, &casey, "Stone").await;
    let draft = start_exit(&app, &casey, &head_enrollment).await;
    let mut first = vec![
        ("exit_date".to_string(), days_ago(&app, 1)),
        ("destination".to_string(), "30".to_string()),
    ];
    for id in &ids {
        first.push((format!("exit_{id}"), "yes".into()));
    }
    let refs: Vec<(&str, &str)> = first.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    saved(&app, &casey, &draft, "exit", &refs).await;
    // Every exit page is filled from the latest records: confirming is enough.
    for id in &ids {
        let step = format!("exit-{id}");
        let values = shown(&app, &casey, &draft, &step).await;
        assert!(
            values.iter().any(|(k, _)| k == "insurance_from_any_source"),
            "{values:?}"
        );
        save_as_shown(&app, &casey, &draft, &step).await;
    }
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    assert_eq!(live_exits(&app).await, 3);

    // Edit Exit: prefilled with what was recorded; the destination and the exit date
    // are corrected, the assessments kept with No Changes.
    let url = ok_url(
        app.call_as(
            &casey,
            "start_workflow",
            &[("enrollment_id", &head_enrollment), ("kind", "edit_exit")],
        )
        .await,
    )
    .await;
    let edit = draft_of(&url);
    let values = shown(&app, &casey, &edit, "exit").await;
    assert!(
        values.contains(&("destination".into(), "30".into())),
        "{values:?}"
    );
    saved(
        &app,
        &casey,
        &edit,
        "exit",
        &[("exit_date", &days_ago(&app, 3)), ("destination", "422")],
    )
    .await;
    // Out of the rules: an exit date before entry is refused as at exit.
    let (status, body) = field_message(
        save(
            &app,
            &casey,
            &edit,
            "exit",
            &[("exit_date", &days_ago(&app, 40)), ("destination", "422")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("before the project start date"), "{body}");
    saved(
        &app,
        &casey,
        &edit,
        "exit",
        &[("exit_date", &days_ago(&app, 3)), ("destination", "422")],
    )
    .await;
    for id in &ids {
        let response = casey
            .post(app.url("/api/save_workflow_step"))
            .header("Accept", "application/json")
            .form(&[
                ("draft_id", edit.as_str()),
                ("step", &format!("exit-{id}")),
                ("intent", "no_changes"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    }
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &edit)])
            .await,
    )
    .await;
    let exits = exit::Entity::find()
        .filter(exit::Column::DateDeleted.is_null())
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(exits.len(), 3);
    assert!(exits.iter().all(|x| x.destination == 422));
    let events = assessment_event::Entity::find()
        .filter(assessment_event::Column::DataCollectionStage.eq(3))
        .filter(assessment_event::Column::DateDeleted.is_null())
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 3, "the exit assessments were kept, not doubled");
    let moved = days_ago(&app, 3);
    assert!(
        events
            .iter()
            .all(|e| e.information_date.format("%Y-%m-%d").to_string() == moved)
    );
    let exit_income = income_benefit::Entity::find()
        .filter(income_benefit::Column::DataCollectionStage.eq(3))
        .filter(income_benefit::Column::DateDeleted.is_null())
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        exit_income
            .iter()
            .all(|r| r.information_date.format("%Y-%m-%d").to_string() == moved)
    );
    let edits = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("enrollment.exit_edit"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(edits, 3);

    // Edit Exit of an open enrollment, or from another organization: refused.
    let olivia = app.signed_in("outreach").await;
    let response = app
        .call_as(
            &olivia,
            "start_workflow",
            &[("enrollment_id", &head_enrollment), ("kind", "edit_exit")],
        )
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .call(
            "start_workflow",
            &[("enrollment_id", &head_enrollment), ("kind", "edit_exit")],
        )
        .await;
    assert_eq!(response.status(), 401);
    ok_url(
        app.call_as(
            &casey,
            "re_enter_enrollment",
            &[("enrollment_id", &head_enrollment)],
        )
        .await,
    )
    .await;
    let response = app
        .call_as(
            &casey,
            "start_workflow",
            &[("enrollment_id", &head_enrollment), ("kind", "edit_exit")],
        )
        .await;
    assert_eq!(response.status(), 409);
});
