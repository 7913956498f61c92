//! Every screen has something to show on a demo population, read as the demo users read
//! it, through the app's server functions: each demo case manager's caseload and the
//! supervisor's charts, a priority list of distinct scores that are the points of the
//! recorded answers, households approaching and past auto-exit in the services-only
//! project, annual assessments due today, the data-quality problems the report counts,
//! and a client of two organizations seen from both.

use super::*;

use app::domain::access::Workgroup;
use app::domain::data_quality::{
    Column, ELEMENTS, LAG_BUCKETS, LagOf, MISSING_ANNUAL, PAST_AUTO_EXIT, element_code, lag_code,
};
use app::features::access::api::AccessOption;
use app::features::annual::api::AnnualDuePage;
use app::features::auto_exit::api::ApproachingPage;
use app::features::caseload::api::{CaseloadDashboard, CaseloadRow, ManagerLoad};
use app::features::clients::api::ClientDashboard;
use app::features::coordinated_entry::api::{PriorityPage, QuestionRow};
use app::features::data_quality::api::DqReport;
use common::workflow::ok_json;
use hearth_demo::accounts::{DEMO_ORGANIZATIONS, DEMO_USERS};
use sea_orm::{ColumnTrait, QueryFilter};

const SERVICES_ONLY: &str = "Riverside Community Case Management";
const RIVERSIDE: &str = "Riverside Family Shelter";
const NORTHSIDE: &str = "Northside Street Outreach";

/// A demo user signed in, acting in `organization` as `workgroup` (chosen among their
/// contexts when they have several).
async fn acting(
    app: &common::TestApp,
    username: &str,
    organization: &str,
    workgroup: Workgroup,
) -> reqwest::Client {
    let client = app.signed_in(username).await;
    let options: Vec<AccessOption> = ok_json(app.call_as(&client, "access_options", &[]).await).await;
    if options.len() > 1 {
        let option = options
            .iter()
            .find(|o| o.organization_name == organization && o.workgroup == workgroup)
            .unwrap_or_else(|| panic!("{username} works as {workgroup:?} at {organization}"));
        let response = app
            .call_as(
                &client,
                "set_context",
                &[("user_access_id", &option.user_access_id)],
            )
            .await;
        assert_eq!(response.status(), 200, "{username} chooses {organization}");
    }
    client
}

on_both_databases!(every_screen_has_something_to_show, |app| {
    let today = app.state.today();
    common::generated(&app, CLIENTS, 42, today).await;

    // 1. Every demo case manager has cases in each organization they take cases in, and
    //    the supervisor's charts count them.
    for (username, _, _, access) in DEMO_USERS {
        for (org, workgroup) in access.iter().filter(|(_, w)| *w == Workgroup::CaseManager) {
            let organization = DEMO_ORGANIZATIONS[*org].0;
            let who = acting(&app, username, organization, *workgroup).await;
            let rows: Vec<CaseloadRow> = ok_json(app.call_as(&who, "my_case_assignments", &[]).await).await;
            assert!(!rows.is_empty(), "{username} has cases at {organization}");
            assert!(
                rows.iter()
                    .all(|r| r.exit_date.is_none() && r.project_name.is_some())
            );
        }
    }
    let supervisor = app.signed_in("supervisor").await;
    let dashboard: CaseloadDashboard =
        ok_json(app.call_as(&supervisor, "caseload_dashboard", &[]).await).await;
    for name in ["Casey Manning", "Morgan Ellis"] {
        assert!(
            dashboard
                .managers
                .iter()
                .any(|m| m.name == name && m.active_clients > 0 && m.households > 0),
            "{name}: {dashboard:?}"
        );
    }
    let total = |count: fn(&ManagerLoad) -> usize| dashboard.managers.iter().map(count).sum::<usize>();
    assert!(total(|m| m.annuals_due) > 0, "annuals due: {dashboard:?}");
    assert!(total(|m| m.exits_due) > 0, "exits due: {dashboard:?}");
    assert!(total(|m| m.dq_errors) > 0, "data-quality errors: {dashboard:?}");

    // 2. The priority list ranks households by scores of several values, each the points
    //    of the answers recorded with the assessment it comes from.
    let plm = app.signed_in("plm").await;
    let list: PriorityPage = ok_json(app.call_as(&plm, "priority_list", &[]).await).await;
    let scores: HashSet<i32> = list.rows.iter().map(|r| r.score).filter(|s| *s > 0).collect();
    assert!(list.total >= 5 && scores.len() >= 3, "{:?}", list.rows);
    let admin = app.signed_in("admin").await;
    let questions: Vec<QuestionRow> = ok_json(app.call_as(&admin, "ce_questions", &[]).await).await;
    for row in &list.rows {
        let entry = app::db::entities::ce_priority::Entity::find_by_id(row.enrollment_id.clone())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let answers = assessment_question::Entity::find()
            .filter(assessment_question::Column::AssessmentId.eq(entry.assessment_id))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(answers.len(), questions.len(), "every question answered");
        let points: i32 = answers
            .iter()
            .map(|a| {
                let question = questions
                    .iter()
                    .find(|q| Some(&q.question) == a.assessment_question.as_ref())
                    .expect("one of the CoC's questions");
                let label = a.assessment_answer.as_deref();
                question
                    .choices
                    .iter()
                    .find(|c| Some(c.label.as_str()) == label)
                    .unwrap()
                    .points
            })
            .sum();
        assert_eq!(row.score, points, "{row:?}");
    }

    // 3. A services-only project, with households the report warns about and some past
    //    the auto-exit age.
    let services_only = project::Entity::find()
        .filter(project::Column::ProjectName.eq(SERVICES_ONLY))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the services-only project");
    assert_eq!(services_only.project_type, Some(ProjectType::ServicesOnly.code()));
    let (exit_days, alert_days) = (
        services_only.auto_exit_days.unwrap(),
        services_only.auto_alert_days.unwrap(),
    );
    let casey = app.signed_in("casemanager").await;
    let approaching: ApproachingPage = ok_json(app.call_as(&casey, "approaching_auto_exit", &[]).await).await;
    let inactive: Vec<i64> = approaching
        .rows
        .iter()
        .filter(|r| r.project_name == SERVICES_ONLY)
        .map(|r| r.days_inactive)
        .collect();
    let (exit_days, alert_days) = (i64::from(exit_days), i64::from(alert_days));
    assert!(
        inactive.iter().any(|d| (alert_days..exit_days).contains(d)),
        "approaching: {inactive:?}"
    );
    assert!(inactive.iter().any(|d| *d >= exit_days), "past: {inactive:?}");

    // 4. The Annual Assessment Tool lists members due today.
    let due: AnnualDuePage = ok_json(app.call_as(&casey, "annual_due", &[]).await).await;
    assert_eq!(due.due, today);
    assert!(!due.rows.is_empty(), "annual assessments due today");
    assert!(
        due.rows.iter().all(|r| r.opens <= today && today <= r.closes),
        "{:?}",
        due.rows
    );

    // 5. The data-quality report (its default period, the past year) counts the planted
    //    problems.
    let report: DqReport = ok_json(app.call_as(&admin, "data_quality_report", &[]).await).await;
    let element = |key: &str, column: Column| {
        let element = ELEMENTS.iter().find(|e| e.key == key).unwrap();
        report.count(&element_code(element, column))
    };
    for (key, column) in [
        ("dob", Column::DontKnowRefused),
        ("dob", Column::Missing),
        ("destination", Column::Missing),
        ("income_entry", Column::Missing),
    ] {
        assert!(element(key, column) > 0, "{key} {column:?}: {:?}", report.counts);
    }
    let late = lag_code(LagOf::Start, LAG_BUCKETS.len() - 1);
    for code in [MISSING_ANNUAL, PAST_AUTO_EXIT, late.as_str()] {
        assert!(report.count(code) > 0, "{code}: {:?}", report.counts);
    }

    // 6. A client of two organizations: each sees the client's enrollments with both,
    //    and may edit only its own.
    let organizations: HashMap<String, String> = organization::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.organization_id, o.organization_name))
        .collect();
    let projects: HashMap<String, String> = project::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.project_id, organizations[&p.organization_id].clone()))
        .collect();
    let mut clients_of: HashMap<String, HashSet<String>> = HashMap::new();
    for e in enrollment::Entity::find()
        .order_by_asc(enrollment::Column::PersonalId)
        .all(&app.db)
        .await
        .unwrap()
    {
        clients_of
            .entry(e.personal_id)
            .or_default()
            .insert(projects[&e.project_id].clone());
    }
    let shared = clients_of
        .iter()
        .filter(|(_, orgs)| orgs.contains(RIVERSIDE) && orgs.contains(NORTHSIDE))
        .map(|(id, _)| id.clone())
        .min()
        .expect("a client of Riverside and Northside");
    let outreach = app.signed_in("outreach").await;
    for (who, own) in [(&casey, RIVERSIDE), (&outreach, NORTHSIDE)] {
        let seen: ClientDashboard = ok_json(
            app.call_as(who, "get_client_dashboard", &[("personal_id", &shared)])
                .await,
        )
        .await;
        let seen_at: HashSet<&str> = seen
            .enrollments
            .iter()
            .map(|e| e.organization_name.as_str())
            .collect();
        assert!(
            seen_at.contains(RIVERSIDE) && seen_at.contains(NORTHSIDE),
            "{own}: {seen_at:?}"
        );
        for e in &seen.enrollments {
            assert_eq!(e.editable, e.organization_name == own, "{own}: {e:?}");
        }
    }
});
