//! Coordinated Entry on both databases: CE assessments score the local questions and
//! rank the household on the priority list (score, then time homeless, then the
//! earliest assessment); referrals and their results; "housed" once the receiving
//! project enrolls the household; the CE exit kept to priority list managers and
//! taking the household off the list in the exit's transaction; who may see what;
//! bad input stores nothing.

mod common;

use app::db::entities::{
    assessment, assessment_question, assessment_result, ce_priority, ce_question, event,
};
use app::features::coordinated_entry::api::{
    CeAssessmentView, CeEventsView, IncomingReferral, PriorityPage, QuestionRow,
};
use common::workflow::*;
use sea_orm::{ConnectionTrait, EntityTrait};

const CE_PROJECT: &str = "CoC Coordinated Entry";

/// A one-adult household taken into the CE project by `who`; answers (personal ID,
/// CE enrollment ID). `homeless_since` is the 3.917 approximate start date.
async fn ce_household(
    app: &common::TestApp,
    who: &reqwest::Client,
    last: &str,
    homeless_since: Option<&str>,
) -> (String, String) {
    let people = [("Rosa", last, "1979-03-02", "1")];
    let (draft, ids) = intake(app, who, &people, CE_PROJECT, &days_ago(app, 30)).await;
    if let Some(since) = homeless_since {
        let mut answers: Vec<(&str, &str)> = ADULT_ENTRY.to_vec();
        answers.push(("date_to_street_essh", since));
        answers.push(("times_homeless_past_three_years", "1"));
        answers.push(("months_homeless_past_three_years", "101"));
        saved(app, who, &draft, &format!("entry-{}", ids[0]), &answers).await;
    }
    ok_url(app.call_as(who, "finish_workflow", &[("draft_id", &draft)]).await).await;
    let enrollment = enrollment_of(app, &ids[0]).await;
    (ids[0].clone(), enrollment)
}

/// The active questions' field names and, for each, the choice index scoring
/// `points` (the demo questions).
async fn questions(app: &common::TestApp) -> Vec<QuestionRow> {
    let admin = app.signed_in("admin").await;
    ok_json(app.call_as(&admin, "ce_questions", &[]).await).await
}

/// A CE assessment whose answers are the `picks` (choice index per question, in order).
async fn assess(
    app: &common::TestApp,
    who: &reqwest::Client,
    enrollment: &str,
    date: &str,
    picks: &[usize],
    status: &str,
) -> reqwest::Response {
    let qs = questions(app).await;
    let mut form: Vec<(String, String)> = vec![
        ("enrollment_id".into(), enrollment.into()),
        ("answers[assessment_date]".into(), date.into()),
        ("answers[location]".into(), "Downtown access point".into()),
        ("answers[assessment_type]".into(), "3".into()),
        ("answers[assessment_level]".into(), "2".into()),
        ("answers[prioritization_status]".into(), status.into()),
        ("answers[sought]".into(), "13".into()),
    ];
    for (q, pick) in qs.iter().filter(|q| q.active).zip(picks) {
        form.push((format!("answers[q_{}]", q.question_id), pick.to_string()));
    }
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_as(who, "record_ce_assessment", &refs).await
}

async fn list(app: &common::TestApp, who: &reqwest::Client, filter: &[(&str, &str)]) -> PriorityPage {
    let form: Vec<(String, String)> = filter
        .iter()
        .map(|(k, v)| (format!("filter[{k}]"), v.to_string()))
        .collect();
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ok_json(app.call_as(who, "priority_list", &refs).await).await
}

fn ranked(page: &PriorityPage) -> Vec<String> {
    page.rows.iter().map(|r| r.personal_id.clone()).collect()
}

on_both_databases!(assessments_rank_households_by_score_then_tie_breakers, |app| {
    app.seed_demo().await;
    let plm = app.signed_in("plm").await;
    let assessor = app.signed_in("assessor").await;
    // Demo questions: sleeping place (3/2/1/0), times homeless (3/2/0), health (2/0),
    // emergency room (1/0).
    let (low, low_e) = ce_household(&app, &assessor, "Lowmark", None).await;
    let (tie_early, tie_early_e) = ce_household(&app, &assessor, "Earlyton", None).await;
    let (tie_long, tie_long_e) = ce_household(&app, &assessor, "Longfield", Some(&days_ago(&app, 800))).await;
    let (top, top_e) = ce_household(&app, &assessor, "Topham", None).await;
    ok_url_unit(assess(&app, &assessor, &low_e, &days_ago(&app, 3), &[3, 2, 1, 1], "1").await).await; // 0
    ok_url_unit(
        assess(
            &app,
            &assessor,
            &tie_early_e,
            &days_ago(&app, 10),
            &[1, 1, 0, 0],
            "1",
        )
        .await,
    )
    .await; // 7
    ok_url_unit(
        assess(
            &app,
            &assessor,
            &tie_long_e,
            &days_ago(&app, 2),
            &[1, 1, 0, 0],
            "1",
        )
        .await,
    )
    .await; // 7
    ok_url_unit(assess(&app, &plm, &top_e, &days_ago(&app, 1), &[0, 0, 0, 0], "1").await).await; // 9
    let page = list(&app, &plm, &[]).await;
    assert_eq!(
        ranked(&page),
        vec![top.clone(), tie_long.clone(), tie_early.clone(), low.clone()]
    );
    let scores: Vec<i32> = page.rows.iter().map(|r| r.score).collect();
    assert_eq!(scores, vec![9, 7, 7, 0]);
    assert_eq!(page.rows[0].rank, 1);
    assert!(page.manages);
    assert!(!list(&app, &assessor, &[]).await.manages);
    // Recorded as HUD rows: the assessment, one question row per question, the score.
    let top_assessment = assessment::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.enrollment_id == top_e)
        .unwrap();
    assert_eq!(top_assessment.prioritization_status, 1);
    let questions_recorded = assessment_question::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|q| q.assessment_id == top_assessment.assessment_id)
        .count();
    assert_eq!(questions_recorded, 4);
    let score = assessment_result::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| {
            r.assessment_id == top_assessment.assessment_id
                && r.assessment_result_type.as_deref() == Some("Total score")
        })
        .unwrap();
    assert_eq!(score.assessment_result.as_deref(), Some("9"));
    // A newer assessment replaces the entry: not placed takes the household off.
    ok_url_unit(assess(&app, &assessor, &low_e, &days_ago(&app, 0), &[0, 0, 0, 0], "2").await).await;
    assert_eq!(
        ranked(&list(&app, &plm, &[]).await),
        vec![top.clone(), tie_long.clone(), tie_early.clone()]
    );
    // Filters: project type sought, chronic (none: no disabling condition), age band.
    assert_eq!(list(&app, &plm, &[("sought", "13")]).await.total, 3);
    assert_eq!(list(&app, &plm, &[("sought", "3")]).await.total, 0);
    assert_eq!(list(&app, &plm, &[("chronic", "yes")]).await.total, 0);
    assert_eq!(list(&app, &plm, &[("age_band", "25-54")]).await.total, 3);
    assert_eq!(list(&app, &plm, &[("age_band", "62+")]).await.total, 0);
    assert_eq!(list(&app, &plm, &[("household_type", "1")]).await.total, 3);
    refused(
        app.call_as(&plm, "priority_list", &[("filter[age_band]", "old")])
            .await,
        422,
        "age band",
    )
    .await;
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"ce_assessment.create".to_string()));
    assert!(actions.contains(&"ce_priority.view".to_string()));
});

/// A `()` server function's success.
async fn ok_url_unit(response: reqwest::Response) {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
}

on_both_databases!(bad_assessments_store_nothing_and_others_are_refused, |app| {
    app.seed_demo().await;
    let assessor = app.signed_in("assessor").await;
    let (_, enrollment) = ce_household(&app, &assessor, "Badwell", None).await;
    // A missing answer, a future date, an unknown code: 422, nothing stored.
    refused(
        assess(&app, &assessor, &enrollment, &today(&app), &[0, 0, 0], "1").await,
        422,
        "Choose an answer",
    )
    .await;
    let tomorrow = (app.state.today() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    refused(
        assess(&app, &assessor, &enrollment, &tomorrow, &[0, 0, 0, 0], "1").await,
        422,
        "future",
    )
    .await;
    refused(
        assess(&app, &assessor, &enrollment, &today(&app), &[0, 0, 0, 0], "7").await,
        422,
        "prioritization",
    )
    .await;
    assert_eq!(count(&app, assessment::Entity).await, 0);
    assert_eq!(count(&app, ce_priority::Entity).await, 0);
    // Case managers of other organizations: 403 for the assessment, the list, events.
    let casey = app.signed_in("casemanager").await;
    assert_eq!(
        assess(&app, &casey, &enrollment, &today(&app), &[0, 0, 0, 0], "1")
            .await
            .status(),
        403
    );
    refused(app.call_as(&casey, "priority_list", &[]).await, 403, "Forbidden").await;
    let view: CeAssessmentView = ok_json(
        app.call_as(&casey, "ce_assessment", &[("enrollment_id", &enrollment)])
            .await,
    )
    .await;
    assert!(view.fields.is_empty() && view.refused.is_some());
    // No session: 401.
    assert_eq!(app.call("priority_list", &[]).await.status(), 401);
    assert_eq!(
        app.call("record_ce_assessment", &[("enrollment_id", &enrollment)])
            .await
            .status(),
        401
    );
    // An HMIS admin acting in the lead agency does not see the list either.
    let admin = app.signed_in("admin").await;
    assert_eq!(app.call_as(&admin, "priority_list", &[]).await.status(), 403);
    // A CE assessment on a non-CE enrollment is refused.
    let (draft, ids) = intake(
        &app,
        &casey,
        &[("Nora", "Shelterby", "1980-01-01", "1")],
        "Riverside Family Shelter",
        &today(&app),
    )
    .await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    let shelter = enrollment_of(&app, &ids[0]).await;
    refused(
        app.call_as(&casey, "ce_assessment", &[("enrollment_id", &shelter)])
            .await,
        409,
        "not a Coordinated Entry",
    )
    .await;
    assert_eq!(count(&app, assessment::Entity).await, 0);
});

on_both_databases!(referral_result_housed_and_the_ce_exit, |app| {
    app.seed_demo().await;
    let plm = app.signed_in("plm").await;
    let assessor = app.signed_in("assessor").await;
    let casey = app.signed_in("casemanager").await;
    let (person, enrollment) = ce_household(&app, &plm, "Referton", None).await;
    ok_url_unit(assess(&app, &plm, &enrollment, &today(&app), &[0, 0, 0, 0], "1").await).await;
    let rrh = project_id(&app, "Riverside Rapid Re-Housing").await;
    let refer = |who: &reqwest::Client, event: &'static str, project: String| {
        let who = who.clone();
        let enrollment = enrollment.clone();
        let date = today(&app);
        let app = &app;
        async move {
            app.call_as(
                &who,
                "record_ce_event",
                &[
                    ("enrollment_id", enrollment.as_str()),
                    ("answers[event_date]", date.as_str()),
                    ("answers[event]", event),
                    ("answers[project_id]", project.as_str()),
                ],
            )
            .await
        }
    };
    // An assessor may not refer; a referral needs a project taking CE referrals.
    refused(
        refer(&assessor, "13", rrh.clone()).await,
        422,
        "priority list managers",
    )
    .await;
    let shelter = project_id(&app, "Riverside Family Shelter").await;
    refused(refer(&plm, "13", shelter).await, 422, "takes CE referrals").await;
    refused(refer(&plm, "13", String::new()).await, 422, "Choose the project").await;
    assert_eq!(count(&app, event::Entity).await, 0);
    ok_url_unit(refer(&plm, "13", rrh.clone()).await).await;
    let page = list(&app, &plm, &[]).await;
    assert_eq!(page.rows[0].status(), "Referred to Riverside Rapid Re-Housing");
    // The receiving organization sees it, and records the result.
    let incoming: Vec<IncomingReferral> = ok_json(app.call_as(&casey, "incoming_referrals", &[]).await).await;
    assert_eq!(incoming.len(), 1);
    assert_eq!(incoming[0].personal_id, person);
    assert!(!incoming[0].enrolled);
    let outreach = app.signed_in("outreach").await;
    let none: Vec<IncomingReferral> = ok_json(app.call_as(&outreach, "incoming_referrals", &[]).await).await;
    assert!(none.is_empty());
    let event_id = incoming[0].event_id.clone();
    refused(
        app.call_as(
            &outreach,
            "record_referral_result",
            &[
                ("event_id", &event_id),
                ("result", "1"),
                ("result_date", &today(&app)),
            ],
        )
        .await,
        403,
        "Forbidden",
    )
    .await;
    refused(
        app.call_as(
            &casey,
            "record_referral_result",
            &[
                ("event_id", &event_id),
                ("result", "9"),
                ("result_date", &today(&app)),
            ],
        )
        .await,
        422,
        "result",
    )
    .await;
    ok_url_unit(
        app.call_as(
            &casey,
            "record_referral_result",
            &[
                ("event_id", &event_id),
                ("result", "1"),
                ("result_date", &today(&app)),
            ],
        )
        .await,
    )
    .await;
    let page = list(&app, &plm, &[]).await;
    assert_eq!(
        page.rows[0].status(),
        "Successful referral: client accepted (Riverside Rapid Re-Housing)"
    );
    // The housing agency enrolls the client: "housed — exit CE".
    let draft = intake_existing(&app, &casey, &person).await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    let page = list(&app, &plm, &[]).await;
    assert_eq!(page.rows[0].status(), "Housed — exit CE");
    let events: CeEventsView = ok_json(
        app.call_as(&plm, "ce_events", &[("enrollment_id", &enrollment)])
            .await,
    )
    .await;
    assert_eq!(events.events.len(), 1);
    // Only the priority list manager exits the CE enrollment.
    for who in [&assessor, &casey] {
        assert_eq!(
            app.call_as(
                who,
                "start_workflow",
                &[("enrollment_id", &enrollment), ("kind", "exit")]
            )
            .await
            .status(),
            403
        );
    }
    let url = start_workflow(&app, &plm, &enrollment, "exit").await;
    let draft = draft_of(&url);
    saved(
        &app,
        &plm,
        &draft,
        "exit",
        &[
            ("exit_date", &today(&app)),
            ("destination", "410"),
            (&format!("exit_{person}"), "yes"),
        ],
    )
    .await;
    default_last_and_save(&app, &plm, &draft, &format!("exit-{person}")).await;
    assert_eq!(list(&app, &plm, &[]).await.total, 1, "still listed until Finish");
    // An exit that fails at its last row leaves the household on the list.
    let failing: Vec<String> = match app.db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => vec![
            "CREATE FUNCTION fail_exit() RETURNS trigger AS $$ BEGIN IF NEW.data_collection_stage = 3 \
             THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
                .into(),
            "CREATE TRIGGER fail_exit BEFORE INSERT ON disabilities FOR EACH ROW EXECUTE FUNCTION fail_exit()".into(),
        ],
        _ => vec![
            "CREATE TRIGGER fail_exit BEFORE INSERT ON disabilities WHEN NEW.data_collection_stage = 3 \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
                .into(),
        ],
    };
    for sql in failing {
        app.db.execute_unprepared(&sql).await.unwrap();
    }
    assert_eq!(
        app.call_as(&plm, "finish_workflow", &[("draft_id", &draft)])
            .await
            .status(),
        500
    );
    assert_eq!(
        list(&app, &plm, &[]).await.total,
        1,
        "a failed exit keeps the household listed"
    );
    app.db
        .execute_unprepared("DROP TRIGGER fail_exit ON disabilities")
        .await
        .ok();
    app.db.execute_unprepared("DROP TRIGGER fail_exit").await.ok();
    ok_url(
        app.call_as(&plm, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    // Off the list in the same transaction as the exit; the entry stays for the record.
    assert_eq!(list(&app, &plm, &[]).await.total, 0);
    assert_eq!(count(&app, ce_priority::Entity).await, 1);
    let actions = app.audit_actions().await;
    for action in [
        "ce_referral.create",
        "ce_referral.result",
        "ce_referrals.view",
        "ce_events.view",
    ] {
        assert!(actions.contains(&action.to_string()), "{action}");
    }
});

/// An intake of an existing client (the referred head of household) into Riverside
/// Rapid Re-Housing by a case manager; answers the draft, ready to finish.
async fn intake_existing(app: &common::TestApp, who: &reqwest::Client, person: &str) -> String {
    let url = ok_url(app.call_as(who, "start_intake", &[("personal_id", person)]).await).await;
    let draft = draft_of(&url);
    let ids = members(app, who, &draft).await;
    saved(
        app,
        who,
        &draft,
        "household",
        &[(&format!("rel_{}", ids[0]), "1")],
    )
    .await;
    let project = project_id(app, "Riverside Rapid Re-Housing").await;
    saved(
        app,
        who,
        &draft,
        "enrollment",
        &[
            ("project_id", &project),
            ("entry_date", &today(app)),
            (&format!("enroll_{}", ids[0]), "yes"),
        ],
    )
    .await;
    save_as_shown(app, who, &draft, &format!("client-{}", ids[0])).await;
    saved(app, who, &draft, &format!("entry-{}", ids[0]), ADULT_ENTRY).await;
    draft
}

on_both_databases!(hmis_admins_keep_the_questions, |app| {
    app.seed_demo().await;
    let admin = app.signed_in("admin").await;
    let before = count(&app, ce_question::Entity).await;
    assert_eq!(before, 4, "the demo questions");
    let response = app
        .call_as(
            &admin,
            "save_ce_question",
            &[
                ("question", "Is anyone pregnant?"),
                ("choices", "Yes = 2\nNo = 0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let qs = questions(&app).await;
    let added = qs.iter().find(|q| q.question == "Is anyone pregnant?").unwrap();
    assert_eq!(added.position, 5);
    assert_eq!(added.choices.len(), 2);
    // Retire it: no longer asked.
    let response = app
        .call_as(
            &admin,
            "save_ce_question",
            &[
                ("question_id", &added.question_id),
                ("question", "Is anyone pregnant?"),
                ("choices", "Yes = 2\nNo = 0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        !questions(&app)
            .await
            .iter()
            .find(|q| q.question_id == added.question_id)
            .unwrap()
            .active
    );
    // Bad input: nothing stored.
    refused(
        app.call_as(
            &admin,
            "save_ce_question",
            &[("question", "One choice"), ("choices", "Yes = 1")],
        )
        .await,
        422,
        "two",
    )
    .await;
    refused(
        app.call_as(
            &admin,
            "save_ce_question",
            &[("question", ""), ("choices", "Yes = 1\nNo = 0")],
        )
        .await,
        422,
        "question",
    )
    .await;
    assert_eq!(count(&app, ce_question::Entity).await, 5);
    // Others: 403; no session: 401.
    let plm = app.signed_in("plm").await;
    assert_eq!(
        app.call_as(
            &plm,
            "save_ce_question",
            &[("question", "Q"), ("choices", "a = 1\nb = 0")]
        )
        .await
        .status(),
        403
    );
    assert_eq!(app.call_as(&plm, "ce_questions", &[]).await.status(), 403);
    assert_eq!(app.call("ce_questions", &[]).await.status(), 401);
    assert_eq!(count(&app, ce_question::Entity).await, 5);
});

on_both_databases!(the_coc_decides_who_exits_ce_enrollments, |app| {
    use app::domain::access::Workgroup;
    use app::domain::enrollment::EnrollmentAction;
    use app::features::clients::api::ClientDashboard;
    use app::features::coordinated_entry::api::CeExitSetting;
    app.seed_demo().await;
    let plm = app.signed_in("plm").await;
    let assessor = app.signed_in("assessor").await;
    let admin = app.signed_in("admin").await;
    let (person, enrollment) = ce_household(&app, &plm, "Tate", None).await;
    async fn exit_reason(app: &common::TestApp, who: &reqwest::Client, person: &str) -> Option<String> {
        let d: ClientDashboard = ok_json(
            app.call_as(who, "get_client_dashboard", &[("personal_id", person)])
                .await,
        )
        .await;
        d.enrollments[0]
            .menu
            .iter()
            .find(|i| i.action == EnrollmentAction::ExitEnrollment)
            .and_then(|i| i.unavailable.clone())
    }
    async fn start_exit(app: &common::TestApp, who: &reqwest::Client, enrollment: &str) -> reqwest::Response {
        app.call_as(
            who,
            "start_workflow",
            &[("enrollment_id", enrollment), ("kind", "exit")],
        )
        .await
    }
    // The default: priority list managers and HMIS admins.
    let setting: CeExitSetting = ok_json(app.call_as(&admin, "ce_exit_setting", &[]).await).await;
    assert_eq!(
        setting.allowed,
        [Workgroup::PriorityListManager, Workgroup::HmisAdmin]
    );
    assert_eq!(exit_reason(&app, &plm, &person).await, None);
    let refused_text = "In this CoC only Priority List Managers and HMIS Admins exit Coordinated Entry enrollments: ask your priority list manager.";
    assert_eq!(
        exit_reason(&app, &assessor, &person).await.as_deref(),
        Some(refused_text)
    );
    assert_eq!(start_exit(&app, &assessor, &enrollment).await.status(), 403);

    // Only HMIS admins see or change the setting.
    for who in [&plm, &assessor] {
        assert_eq!(app.call_as(who, "ce_exit_setting", &[]).await.status(), 403);
        let response = app
            .call_as(who, "save_ce_exit_setting", &[("workgroups[ce_assessor]", "yes")])
            .await;
        assert_eq!(response.status(), 403);
    }
    assert_eq!(app.call("ce_exit_setting", &[]).await.status(), 401);
    assert_eq!(
        app.call("save_ce_exit_setting", &[("workgroups[ce_assessor]", "yes")])
            .await
            .status(),
        401
    );
    // Bad input: a clear message, nothing stored.
    refused(
        app.call_as(&admin, "save_ce_exit_setting", &[]).await,
        422,
        "at least one",
    )
    .await;
    refused(
        app.call_as(&admin, "save_ce_exit_setting", &[("workgroups[janitor]", "yes")])
            .await,
        422,
        "Choose from the workgroups listed",
    )
    .await;
    let setting: CeExitSetting = ok_json(app.call_as(&admin, "ce_exit_setting", &[]).await).await;
    assert_eq!(
        setting.allowed,
        [Workgroup::PriorityListManager, Workgroup::HmisAdmin]
    );
    assert!(
        !app.audit_actions()
            .await
            .contains(&"settings.ce_exit_workgroups".to_string())
    );

    // This CoC lets its CE assessors (and HMIS admins) exit, not the list managers.
    let response = app
        .call_as(
            &admin,
            "save_ce_exit_setting",
            &[
                ("workgroups[hmis_admin]", "yes"),
                ("workgroups[ce_assessor]", "yes"),
            ],
        )
        .await;
    assert_eq!(
        response.status(),
        200,
        "{}",
        response.text().await.unwrap_or_default()
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"settings.ce_exit_workgroups".to_string())
    );
    let setting: CeExitSetting = ok_json(app.call_as(&admin, "ce_exit_setting", &[]).await).await;
    assert_eq!(setting.allowed, [Workgroup::CeAssessor, Workgroup::HmisAdmin]);
    assert_eq!(exit_reason(&app, &assessor, &person).await, None);
    assert_eq!(
        exit_reason(&app, &plm, &person).await.as_deref(),
        Some(
            "In this CoC only CE Assessors and HMIS Admins exit Coordinated Entry enrollments: ask your priority list manager."
        )
    );
    assert_eq!(start_exit(&app, &plm, &enrollment).await.status(), 403);
    let page = list(&app, &plm, &[]).await;
    assert!(page.exit_refused.is_some_and(|r| r.contains("CE Assessors")));
    let page = list(&app, &assessor, &[]).await;
    assert_eq!(page.exit_refused, None);
    let url = ok_url(start_exit(&app, &assessor, &enrollment).await).await;
    assert!(url.ends_with("/exit"), "{url}");
});
