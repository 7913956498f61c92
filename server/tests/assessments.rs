//! Update/Annual Assessment on both databases: an annual inside the window for a whole
//! household, Annual refused outside the window (and a second one in the same window)
//! while Update is allowed, Edit Existing, the Program Enrollment page, the missed
//! assessment of an exited enrollment, and who may do it.

mod common;

use app::db::entities::{assessment_event, enrollment, health_and_dv, income_benefit};
use app::features::workflows::api::{StepBody, WorkflowView};
use common::workflow::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};

/// A household entered `days` days ago in `project`: member IDs and the HoH's
/// enrollment.
async fn household(
    app: &common::TestApp,
    who: &reqwest::Client,
    last: &str,
    project: &str,
    days: i64,
) -> (Vec<String>, String) {
    let people = [
        ("Rosa", last, "1984-03-08", "1"),
        ("Tomas", last, "2016-07-19", "2"),
    ];
    let (draft, ids) = intake(app, who, &people, project, &days_ago(app, days)).await;
    ok_url(app.call_as(who, "finish_workflow", &[("draft_id", &draft)]).await).await;
    let enrollment = enrollment_of(app, &ids[0]).await;
    (ids, enrollment)
}

async fn start(app: &common::TestApp, who: &reqwest::Client, enrollment: &str) -> String {
    let url = start_workflow(app, who, enrollment, "assessment").await;
    assert!(url.ends_with("/program"), "{url}");
    draft_of(&url)
}

/// The choices of a step's select field.
async fn choices(
    app: &common::TestApp,
    who: &reqwest::Client,
    draft: &str,
    step: &str,
    field: &str,
) -> Vec<String> {
    let w: WorkflowView = view(app, who, draft, step).await;
    let StepBody::Form(fields) = w.step.body else {
        panic!("a form")
    };
    let f = fields.into_iter().find(|f| f.name == field).expect("the field");
    match f.kind {
        app::ui::fields::FieldKind::Select(choices) => choices.into_iter().map(|c| c.value).collect(),
        other => panic!("a select, got {other:?}"),
    }
}

/// Live master assessments of a stage: (personal ID, information date).
async fn events(app: &common::TestApp, stage: i32) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = assessment_event::Entity::find()
        .filter(assessment_event::Column::DataCollectionStage.eq(stage))
        .filter(assessment_event::Column::DateDeleted.is_null())
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.personal_id, e.information_date.format("%Y-%m-%d").to_string()))
        .collect();
    out.sort();
    out
}

on_both_databases!(an_annual_inside_the_window_for_the_household, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    // Entered 360 days ago: the anniversary is in 5 days, today is inside the window.
    let (ids, head) = household(&app, &casey, "Amberly", "Riverside Rapid Re-Housing", 360).await;
    let draft = start(&app, &casey, &head).await;

    // The Program Enrollment page of a rapid re-housing project asks the move-in date.
    refused(
        save(
            &app,
            &casey,
            &draft,
            "program",
            &[("move_in_date", &days_ago(&app, 400))],
        )
        .await,
        422,
        "On or after the project start date",
    )
    .await;
    let next = ok_url(
        save(
            &app,
            &casey,
            &draft,
            "program",
            &[("move_in_date", &days_ago(&app, 300))],
        )
        .await,
    )
    .await;
    assert!(
        next.ends_with("/date"),
        "no recorded assessments: no New/Edit step ({next})"
    );
    refused(
        save(
            &app,
            &casey,
            &draft,
            "date",
            &[("information_date", &days_ago(&app, -1))],
        )
        .await,
        422,
        "never in the future",
    )
    .await;
    saved(
        &app,
        &casey,
        &draft,
        "date",
        &[("information_date", &today(&app))],
    )
    .await;
    assert_eq!(
        choices(&app, &casey, &draft, "type", "stage").await,
        vec!["2", "5"]
    );
    let next = ok_url(save(&app, &casey, &draft, "type", &[("stage", "5")]).await).await;
    assert!(next.ends_with(&format!("/assess-{}", ids[0])), "{next}");
    for id in &ids {
        default_last_and_save(&app, &casey, &draft, &format!("assess-{id}")).await;
    }
    let url = ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    assert_eq!(url, format!("/clients/{}", ids[0]));

    let mut expected: Vec<(String, String)> = ids.iter().map(|id| (id.clone(), today(&app))).collect();
    expected.sort();
    assert_eq!(events(&app, 5).await, expected);
    let annual_income = income_benefit::Entity::find()
        .filter(income_benefit::Column::DataCollectionStage.eq(5))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(annual_income.len(), 2);
    assert!(
        annual_income.iter().any(|r| r.earned_amount == Some(850.5)),
        "Default Last carried the entry income"
    );
    let recorded = enrollment::Entity::find_by_id(head.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        recorded.move_in_date.map(|d| d.format("%Y-%m-%d").to_string()),
        Some(days_ago(&app, 300))
    );
    let actions = app.audit_actions().await;
    assert_eq!(actions.iter().filter(|a| *a == "assessment.create").count(), 2);
    assert!(actions.contains(&"enrollment.update".to_string()));

    // A second assessment: New or Edit Existing is asked; Annual is no longer offered in
    // this window (and refused when posted), Update is.
    let draft = start(&app, &casey, &head).await;
    let next = no_changes(&app, &casey, &draft, "program").await;
    assert!(next.ends_with("/choose"), "{next}");
    saved(&app, &casey, &draft, "choose", &[("which", "new")]).await;
    saved(
        &app,
        &casey,
        &draft,
        "date",
        &[("information_date", &today(&app))],
    )
    .await;
    assert_eq!(choices(&app, &casey, &draft, "type", "stage").await, vec!["2"]);
    refused(
        save(&app, &casey, &draft, "type", &[("stage", "5")]).await,
        422,
        "already recorded in this window",
    )
    .await;
    saved(&app, &casey, &draft, "type", &[("stage", "2")]).await;
    for id in &ids {
        no_changes(&app, &casey, &draft, &format!("assess-{id}")).await;
    }
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    assert_eq!(events(&app, 2).await, expected);
    assert_eq!(events(&app, 5).await, expected, "the annual is untouched");
});

on_both_databases!(annual_is_refused_outside_the_window_and_update_allowed, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let (ids, head) = household(&app, &casey, "Brightwater", "Riverside Family Shelter", 200).await;
    let draft = start(&app, &casey, &head).await;
    // A family shelter has no project-specific enrollment elements.
    let w: WorkflowView = view(&app, &casey, &draft, "program").await;
    assert_eq!(w.step.body, StepBody::Form(Vec::new()));
    no_changes(&app, &casey, &draft, "program").await;
    refused(
        save(
            &app,
            &casey,
            &draft,
            "date",
            &[("information_date", &days_ago(&app, 201))],
        )
        .await,
        422,
        "falls within the enrollment",
    )
    .await;
    saved(
        &app,
        &casey,
        &draft,
        "date",
        &[("information_date", &today(&app))],
    )
    .await;
    assert_eq!(choices(&app, &casey, &draft, "type", "stage").await, vec!["2"]);
    let w: WorkflowView = view(&app, &casey, &draft, "type").await;
    assert!(
        w.step
            .intro
            .as_deref()
            .unwrap_or_default()
            .contains("outside the annual window"),
        "{:?}",
        w.step.intro
    );
    refused(
        save(&app, &casey, &draft, "type", &[("stage", "5")]).await,
        422,
        "outside the annual window",
    )
    .await;
    saved(&app, &casey, &draft, "type", &[("stage", "2")]).await;
    // The child's page is incomplete: Finish names it and nothing is stored.
    default_last_and_save(&app, &casey, &draft, &format!("assess-{}", ids[0])).await;
    refused(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
        409,
        "is not saved yet",
    )
    .await;
    refused(
        save(&app, &casey, &draft, &format!("assess-{}", ids[1]), &[]).await,
        422,
        "",
    )
    .await;
    assert!(events(&app, 2).await.is_empty(), "nothing stored");
    default_last_and_save(&app, &casey, &draft, &format!("assess-{}", ids[1])).await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    assert_eq!(events(&app, 2).await.len(), 2);
    assert!(events(&app, 5).await.is_empty());
});

on_both_databases!(edit_existing_changes_a_recorded_update, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let (ids, head) = household(&app, &casey, "Corvino", "Riverside Family Shelter", 100).await;
    let draft = start(&app, &casey, &head).await;
    no_changes(&app, &casey, &draft, "program").await;
    saved(
        &app,
        &casey,
        &draft,
        "date",
        &[("information_date", &days_ago(&app, 10))],
    )
    .await;
    saved(&app, &casey, &draft, "type", &[("stage", "2")]).await;
    for id in &ids {
        default_last_and_save(&app, &casey, &draft, &format!("assess-{id}")).await;
    }
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;

    // Edit Existing: the recorded update is listed with its type and date, and fills
    // the date, the type and each member's page.
    let draft = start(&app, &casey, &head).await;
    no_changes(&app, &casey, &draft, "program").await;
    let group = format!("2:{}", days_ago(&app, 10));
    assert_eq!(
        choices(&app, &casey, &draft, "choose", "which").await,
        vec!["new".to_string(), group.clone()]
    );
    saved(&app, &casey, &draft, "choose", &[("which", &group)]).await;
    let w: WorkflowView = view(&app, &casey, &draft, "date").await;
    let StepBody::Form(fields) = w.step.body else {
        panic!("a form")
    };
    assert_eq!(fields[0].value, days_ago(&app, 10));
    saved(
        &app,
        &casey,
        &draft,
        "date",
        &[("information_date", &days_ago(&app, 7))],
    )
    .await;
    saved(&app, &casey, &draft, "type", &[("stage", "2")]).await;
    // The head's income changes; the child's page is kept as recorded.
    let head_step = format!("assess-{}", ids[0]);
    let mut answers = shown(&app, &casey, &draft, &head_step).await;
    answers.retain(|(k, _)| !k.starts_with("income_"));
    answers.push(("income_from_any_source".into(), "1".into()));
    answers.push(("income_Earned".into(), "1200".into()));
    let refs: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    saved(&app, &casey, &draft, &head_step, &refs).await;
    no_changes(&app, &casey, &draft, &format!("assess-{}", ids[1])).await;
    let child_event = assessment_event::Entity::find()
        .filter(assessment_event::Column::PersonalId.eq(&ids[1]))
        .filter(assessment_event::Column::DataCollectionStage.eq(2))
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

    let mut expected: Vec<(String, String)> = ids.iter().map(|id| (id.clone(), days_ago(&app, 7))).collect();
    expected.sort();
    assert_eq!(
        events(&app, 2).await,
        expected,
        "one update per member, moved to the new date"
    );
    let child_now = assessment_event::Entity::find_by_id(child_event)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        child_now.date_deleted.is_none(),
        "No Changes kept the child's assessment"
    );
    let head_income = income_benefit::Entity::find()
        .filter(income_benefit::Column::PersonalId.eq(&ids[0]))
        .filter(income_benefit::Column::DataCollectionStage.eq(2))
        .filter(income_benefit::Column::DateDeleted.is_null())
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(head_income.len(), 1);
    assert_eq!(head_income[0].earned_amount, Some(1200.0), "the corrected income");
    assert_eq!(
        head_income[0].information_date.format("%Y-%m-%d").to_string(),
        days_ago(&app, 7)
    );
    let actions = app.audit_actions().await;
    assert_eq!(actions.iter().filter(|a| *a == "assessment.update").count(), 2);
});

on_both_databases!(a_missed_assessment_is_dated_within_the_exited_enrollment, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    // Entered 400 days ago (anniversary 35 days ago), exited 20 days ago.
    let (ids, head) = household(&app, &casey, "Dunmore", "Riverside Family Shelter", 400).await;
    let exit_date = app.state.today() - chrono::Duration::days(20);
    for id in &ids {
        let enrollment_id = enrollment_of(&app, id).await;
        common::households::manual_exit(&app, id, &enrollment_id, exit_date)
            .insert(&app.db)
            .await
            .unwrap();
    }
    let draft = start(&app, &casey, &head).await;
    let w: WorkflowView = view(&app, &casey, &draft, "date").await;
    let StepBody::Form(fields) = w.step.body else {
        panic!("a form")
    };
    assert_eq!(fields[0].value, days_ago(&app, 20), "starts at the exit date");
    no_changes(&app, &casey, &draft, "program").await;
    refused(
        save(
            &app,
            &casey,
            &draft,
            "date",
            &[("information_date", &days_ago(&app, 5))],
        )
        .await,
        422,
        "falls within the enrollment",
    )
    .await;
    saved(
        &app,
        &casey,
        &draft,
        "date",
        &[("information_date", &days_ago(&app, 30))],
    )
    .await;
    saved(&app, &casey, &draft, "type", &[("stage", "5")]).await;
    for id in &ids {
        default_last_and_save(&app, &casey, &draft, &format!("assess-{id}")).await;
    }
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    let mut expected: Vec<(String, String)> = ids.iter().map(|id| (id.clone(), days_ago(&app, 30))).collect();
    expected.sort();
    assert_eq!(events(&app, 5).await, expected);
});

on_both_databases!(only_the_owning_organization_assesses, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let (_, head) = household(&app, &casey, "Ellery", "Riverside Family Shelter", 50).await;
    let form = [("enrollment_id", head.as_str()), ("kind", "assessment")];
    // Another organization (a case manager, a priority list manager), no session.
    for user in ["outreach", "plm"] {
        let other = app.signed_in(user).await;
        refused(app.call_as(&other, "start_workflow", &form).await, 403, "").await;
    }
    refused(app.call("start_workflow", &form).await, 401, "").await;
    refused(
        app.call_as(
            &casey,
            "start_workflow",
            &[("enrollment_id", "nope"), ("kind", "assessment")],
        )
        .await,
        404,
        "",
    )
    .await;
    refused(
        app.call_as(
            &casey,
            "start_workflow",
            &[("enrollment_id", &head), ("kind", "intake")],
        )
        .await,
        422,
        "Choose an enrollment workflow",
    )
    .await;
    // The draft is the starter's: another user of the same organization cannot open or
    // finish it; starting again resumes it.
    let draft = start(&app, &casey, &head).await;
    assert_eq!(start(&app, &casey, &head).await, draft);
    let sam = app.signed_in("supervisor").await;
    refused(
        app.call_as(&sam, "get_workflow", &[("draft_id", &draft)]).await,
        403,
        "",
    )
    .await;
    refused(
        app.call_as(&sam, "finish_workflow", &[("draft_id", &draft)])
            .await,
        403,
        "",
    )
    .await;
    assert!(events(&app, 2).await.is_empty());
});

/// `ADULT_ENTRY` with some answers replaced or added.
fn adult_entry_with<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut answers: Vec<(&str, &str)> = ADULT_ENTRY
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .copied()
        .collect();
    answers.extend_from_slice(changes);
    answers
}

on_both_databases!(
    dependent_questions_count_only_when_their_answer_asks_them,
    |app| {
        app.seed_demo().await;
        let casey = app.signed_in("casemanager").await;
        let people = [("Iris", "Dependent", "1980-02-02", "1")];
        // Transitional housing asks 3.917's break-in-homelessness questions.
        let project = "Riverside Transitional Living";
        let (draft, ids) = intake(&app, &casey, &people, project, &today(&app)).await;
        let step = format!("entry-{}", ids[0]);
        let w: WorkflowView = view(&app, &casey, &draft, &step).await;
        let StepBody::Form(fields) = w.step.body else {
            panic!("a form")
        };
        assert!(fields.iter().any(|f| f.name == "previous_street_essh"));

        // Income "No": an amount still typed under it (hidden on the page) is not kept.
        saved(
            &app,
            &casey,
            &draft,
            &step,
            &adult_entry_with(&[("income_from_any_source", "0"), ("income_Earned", "500")]),
        )
        .await;
        let kept = shown(&app, &casey, &draft, &step).await;
        assert!(
            kept.contains(&("income_from_any_source".into(), "0".into())),
            "{kept:?}"
        );
        assert!(!kept.iter().any(|(k, _)| k == "income_Earned"), "{kept:?}");

        // A disability answered Yes asks whether it is long-continuing: required then only.
        refused(
            save(
                &app,
                &casey,
                &draft,
                &step,
                &adult_entry_with(&[("disability_5", "1")]),
            )
            .await,
            422,
            "\"field\":\"indefinite_5\"",
        )
        .await;
        // A survivor is asked when it happened and whether fleeing.
        let survivor = save(
            &app,
            &casey,
            &draft,
            &step,
            &adult_entry_with(&[("domestic_violence_survivor", "1")]),
        )
        .await;
        let body = survivor.text().await.unwrap();
        assert!(body.contains("\"field\":\"when_occurred\""), "{body}");
        assert!(body.contains("\"field\":\"currently_fleeing\""), "{body}");

        // A short hospital stay after a night in shelter keeps the homeless history;
        // after a night housed (a break in homelessness) it is not asked, and what is
        // sent anyway is dropped.
        for (night_before, history_kept) in [("1", true), ("0", false)] {
            let answers = adult_entry_with(&[
                ("living_situation", "206"),
                ("length_of_stay", "10"),
                ("los_under_threshold", "1"),
                ("previous_street_essh", night_before),
                ("months_homeless_past_three_years", "101"),
            ]);
            saved(&app, &casey, &draft, &step, &answers).await;
            let kept = shown(&app, &casey, &draft, &step).await;
            let months = ("months_homeless_past_three_years".to_string(), "101".to_string());
            assert_eq!(kept.contains(&months), history_kept, "{night_before}: {kept:?}");
        }

        // Not a survivor: the follow-ups sent anyway are dropped, and the step saves.
        saved(
            &app,
            &casey,
            &draft,
            &step,
            &adult_entry_with(&[
                ("income_from_any_source", "0"),
                ("income_Earned", "500"),
                ("domestic_violence_survivor", "0"),
                ("when_occurred", "1"),
                ("currently_fleeing", "1"),
                // From a place not meant for habitation: the break-in-homelessness
                // questions (after an institutional, temporary or permanent stay) do
                // not apply.
                ("los_under_threshold", "1"),
                ("previous_street_essh", "1"),
            ]),
        )
        .await;
        let kept = shown(&app, &casey, &draft, &step).await;
        for dropped in [
            "when_occurred",
            "currently_fleeing",
            "los_under_threshold",
            "previous_street_essh",
        ] {
            assert!(!kept.iter().any(|(k, _)| k == dropped), "{dropped}: {kept:?}");
        }
        ok_url(
            app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
                .await,
        )
        .await;

        // What the HMIS holds: no income, no earned amount, no "when" for a non-survivor.
        let income = income_benefit::Entity::find()
            .filter(income_benefit::Column::PersonalId.eq(ids[0].as_str()))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the entry's income record");
        assert_eq!(income.income_from_any_source, Some(0));
        assert_eq!(income.earned_amount, None);
        let dv = health_and_dv::Entity::find()
            .filter(health_and_dv::Column::PersonalId.eq(ids[0].as_str()))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the entry's DV record");
        assert_eq!(dv.domestic_violence_survivor, Some(0));
        assert_eq!(dv.when_occurred, None);
    }
);
