//! Edit Project Entry on both databases: a changed start date moves every entry-stage
//! record with it in one transaction, corrected entry answers replace the entry
//! assessment, start dates after recorded activity (or before the head's, or in the
//! future) are refused with nothing changed, and who may do it.

mod common;

use app::db::entities::{assessment_event, enrollment, income_benefit, service};
use app::features::workflows::api::{StepBody, WorkflowView};
use common::workflow::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

async fn start(app: &common::TestApp, who: &reqwest::Client, enrollment: &str) -> String {
    let url = start_workflow(app, who, enrollment, "edit_entry").await;
    assert!(url.ends_with("/dates"), "{url}");
    draft_of(&url)
}

/// Each member's (start date, live entry-stage information dates of the master
/// assessment and of the income rows).
async fn entry_dates(app: &common::TestApp, ids: &[String]) -> Vec<(String, Vec<String>, Vec<String>)> {
    let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let mut out = Vec::new();
    for id in ids {
        let e = enrollment::Entity::find()
            .filter(enrollment::Column::PersonalId.eq(id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let events = assessment_event::Entity::find()
            .filter(assessment_event::Column::PersonalId.eq(id))
            .filter(assessment_event::Column::DataCollectionStage.eq(1))
            .filter(assessment_event::Column::DateDeleted.is_null())
            .all(&app.db)
            .await
            .unwrap();
        let income = income_benefit::Entity::find()
            .filter(income_benefit::Column::PersonalId.eq(id))
            .filter(income_benefit::Column::DataCollectionStage.eq(1))
            .filter(income_benefit::Column::DateDeleted.is_null())
            .all(&app.db)
            .await
            .unwrap();
        out.push((
            iso(e.entry_date),
            events.into_iter().map(|x| iso(x.information_date)).collect(),
            income.into_iter().map(|x| iso(x.information_date)).collect(),
        ));
    }
    out
}

on_both_databases!(a_new_start_date_moves_every_entry_record, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let people = [
        ("Ines", "Harlow", "1981-02-11", "1"),
        ("Pablo", "Harlow", "2015-05-05", "2"),
    ];
    let (draft, ids) = intake(
        &app,
        &casey,
        &people,
        "Riverside Family Shelter",
        &days_ago(&app, 30),
    )
    .await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    let head = enrollment_of(&app, &ids[0]).await;
    let before = entry_dates(&app, &ids).await;
    let was = days_ago(&app, 30);
    assert_eq!(before[0], (was.clone(), vec![was.clone()], vec![was.clone()]));

    let draft = start(&app, &casey, &head).await;
    let head_key = format!("entry_{}", ids[0]);
    let child_key = format!("entry_{}", ids[1]);
    // Refused: in the future; the child before the head.
    refused(
        save(
            &app,
            &casey,
            &draft,
            "dates",
            &[(&head_key, &days_ago(&app, -2)), (&child_key, &was)],
        )
        .await,
        422,
        "cannot be in the future",
    )
    .await;
    refused(
        save(
            &app,
            &casey,
            &draft,
            "dates",
            &[
                (&head_key, &days_ago(&app, 20)),
                (&child_key, &days_ago(&app, 25)),
            ],
        )
        .await,
        422,
        "on or after the head of household",
    )
    .await;
    let moved = days_ago(&app, 40);
    saved(
        &app,
        &casey,
        &draft,
        "dates",
        &[(&head_key, &moved), (&child_key, &moved)],
    )
    .await;
    // The head's entry page is prefilled with what was recorded; the living situation
    // is corrected. The child's is kept.
    let head_step = format!("entry-{}", ids[0]);
    let mut answers = shown(&app, &casey, &draft, &head_step).await;
    assert!(
        answers.contains(&("living_situation".into(), "116".into())),
        "{answers:?}"
    );
    answers.retain(|(k, _)| k != "living_situation");
    answers.push(("living_situation".into(), "101".into()));
    let refs: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    saved(&app, &casey, &draft, &head_step, &refs).await;
    no_changes(&app, &casey, &draft, &format!("entry-{}", ids[1])).await;
    // The review lists what changes.
    let w: WorkflowView = view(&app, &casey, &draft, "review").await;
    let StepBody::Review(sections) = w.step.body else {
        panic!("the review")
    };
    let child = sections.iter().find(|s| s.heading.starts_with("Pablo")).unwrap();
    assert!(
        child
            .lines
            .iter()
            .any(|(k, v)| k == "Project start date" && v.contains('→')),
        "{child:?}"
    );
    assert!(
        child
            .lines
            .iter()
            .any(|(k, v)| k == "Entry assessment records" && v.contains("move to")),
        "{child:?}"
    );
    assert!(child.lines.iter().any(|(_, v)| v == "No changes"));
    let child_event = assessment_event::Entity::find()
        .filter(assessment_event::Column::PersonalId.eq(&ids[1]))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .assessment_event_id;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;

    let after = entry_dates(&app, &ids).await;
    for member in &after {
        assert_eq!(member, &(moved.clone(), vec![moved.clone()], vec![moved.clone()]));
    }
    let head_row = enrollment::Entity::find_by_id(head.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(head_row.living_situation, Some(101), "the corrected answer");
    let kept = assessment_event::Entity::find_by_id(child_event)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        kept.date_deleted.is_none(),
        "No Changes moved the child's records, not replaced them"
    );
    let actions = app.audit_actions().await;
    assert_eq!(
        actions.iter().filter(|a| *a == "enrollment.entry_edit").count(),
        2
    );
});

on_both_databases!(a_start_date_after_recorded_activity_is_refused, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let people = [("Jun", "Okafor", "1990-08-08", "1")];
    let (draft, ids) = intake(
        &app,
        &casey,
        &people,
        "Riverside Family Shelter",
        &days_ago(&app, 30),
    )
    .await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    let head = enrollment_of(&app, &ids[0]).await;
    service::ActiveModel {
        services_id: Set(app::db::new_id()),
        enrollment_id: Set(head.clone()),
        personal_id: Set(ids[0].clone()),
        date_provided: Set(app.state.today() - chrono::Duration::days(20)),
        record_type: Set(200),
        type_provided: Set(1),
        created_at: Set(app.state.now()),
        updated_at: Set(app.state.now()),
        date_deleted: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let draft = start(&app, &casey, &head).await;
    let key = format!("entry_{}", ids[0]);
    refused(
        save(&app, &casey, &draft, "dates", &[(&key, &days_ago(&app, 15))]).await,
        422,
        "cannot be after a service recorded on",
    )
    .await;
    // The start date is checked again at Finish: a service recorded meanwhile stops it.
    saved(&app, &casey, &draft, "dates", &[(&key, &days_ago(&app, 25))]).await;
    no_changes(&app, &casey, &draft, &format!("entry-{}", ids[0])).await;
    service::ActiveModel {
        services_id: Set(app::db::new_id()),
        enrollment_id: Set(head.clone()),
        personal_id: Set(ids[0].clone()),
        date_provided: Set(app.state.today() - chrono::Duration::days(28)),
        record_type: Set(200),
        type_provided: Set(1),
        created_at: Set(app.state.now()),
        updated_at: Set(app.state.now()),
        date_deleted: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    refused(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
        409,
        "needs attention",
    )
    .await;
    let unchanged = entry_dates(&app, &ids).await;
    assert_eq!(unchanged[0].0, days_ago(&app, 30), "nothing changed");
    assert_eq!(unchanged[0].1, vec![days_ago(&app, 30)]);

    // Another organization, a priority list manager elsewhere, no session: refused.
    for user in ["outreach", "plm"] {
        let other = app.signed_in(user).await;
        refused(
            app.call_as(
                &other,
                "start_workflow",
                &[("enrollment_id", &head), ("kind", "edit_entry")],
            )
            .await,
            403,
            "",
        )
        .await;
        refused(
            app.call_as(&other, "finish_workflow", &[("draft_id", &draft)])
                .await,
            403,
            "",
        )
        .await;
    }
    refused(
        app.call(
            "start_workflow",
            &[("enrollment_id", &head), ("kind", "edit_entry")],
        )
        .await,
        401,
        "",
    )
    .await;
});
