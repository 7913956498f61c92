//! The Annual Assessment Tool on both databases: exactly the household members whose
//! annual is due on the chosen date, most urgent first, by project, funding source,
//! client and case assignment; the CSV matches the screen; the home counts; who may see
//! what; bad input.

mod common;

use app::features::annual::api::{AnnualCounts, AnnualDuePage};
use common::workflow::*;

type Ids = Vec<String>;

async fn enrolled(app: &common::TestApp, who: &reqwest::Client, last: &str, project: &str, days: i64) -> Ids {
    let people = [
        ("Vera", last, "1980-01-15", "1"),
        ("Milo", last, "2014-04-04", "2"),
    ];
    let (draft, ids) = intake(app, who, &people, project, &days_ago(app, days)).await;
    ok_url(app.call_as(who, "finish_workflow", &[("draft_id", &draft)]).await).await;
    ids
}

async fn due(app: &common::TestApp, who: &reqwest::Client, filter: &[(&str, &str)]) -> AnnualDuePage {
    let mut form: Vec<(String, String)> = Vec::new();
    for (k, v) in filter {
        form.push((format!("filter[{k}]"), v.to_string()));
    }
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ok_json(app.call_as(who, "annual_due", &refs).await).await
}

fn people(page: &AnnualDuePage) -> Vec<String> {
    page.rows.iter().map(|r| r.personal_id.clone()).collect()
}

on_both_databases!(the_tool_lists_exactly_the_members_due, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    // Due: started 360 days ago (anniversary in 5 days: 35 days left) and 370 days ago
    // in rapid re-housing (anniversary 5 days ago: 25 days left). Not due: 200 days ago.
    let shelter = enrolled(&app, &casey, "Ashgrove", "Riverside Family Shelter", 360).await;
    let rrh = enrolled(&app, &casey, "Birchall", "Riverside Rapid Re-Housing", 370).await;
    enrolled(&app, &casey, "Cobbley", "Riverside Family Shelter", 200).await;
    // The household's annual recorded: not due any more.
    let settled = enrolled(&app, &casey, "Dunhollow", "Riverside Family Shelter", 361).await;
    let head = enrollment_of(&app, &settled[0]).await;
    let url = ok_url(
        app.call_as(
            &casey,
            "start_workflow",
            &[("enrollment_id", &head), ("kind", "assessment")],
        )
        .await,
    )
    .await;
    let draft = draft_of(&url);
    saved(&app, &casey, &draft, "program", &[]).await;
    saved(
        &app,
        &casey,
        &draft,
        "date",
        &[("information_date", &today(&app))],
    )
    .await;
    saved(&app, &casey, &draft, "type", &[("stage", "5")]).await;
    for id in &settled {
        default_last_and_save(&app, &casey, &draft, &format!("assess-{id}")).await;
    }
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;

    // Another organization's household, due as well.
    let olivia = app.signed_in("outreach").await;
    let theirs = enrolled(&app, &olivia, "Elmstead", "Northside Night Shelter", 360).await;

    // Everyone due in Riverside, most urgent first.
    let page = due(&app, &casey, &[]).await;
    assert_eq!(page.total, 4);
    let mut expected: Vec<String> = rrh.clone();
    expected.extend(shelter.clone());
    let mut got = people(&page);
    got[..2].sort();
    got[2..].sort();
    let mut want = expected.clone();
    want[..2].sort();
    want[2..].sort();
    assert_eq!(got, want);
    assert_eq!(page.rows[0].days_left, 25);
    assert_eq!(page.rows[3].days_left, 35);
    assert!(
        page.rows
            .iter()
            .all(|r| r.opens <= page.due && page.due <= r.closes)
    );
    assert!(
        page.organizations.is_empty(),
        "only HMIS admins choose the organization"
    );

    // By project, by funding source (rapid re-housing has funder 3), by client.
    let shelter_id = project_id(&app, "Riverside Family Shelter").await;
    let page = due(&app, &casey, &[("project_id", &shelter_id)]).await;
    let mut got = people(&page);
    got.sort();
    let mut want = shelter.clone();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(people(&due(&app, &casey, &[("funder", "3")]).await).len(), 2);
    assert_eq!(due(&app, &casey, &[("funder", "2")]).await.total, 0);
    assert_eq!(
        people(&due(&app, &casey, &[("personal_id", &shelter[1])]).await),
        vec![shelter[1].clone()]
    );
    // Another due date: 40 days on, the rapid re-housing window has closed and the
    // 200-day household is not due yet.
    let later = (app.state.today() + chrono::Duration::days(40))
        .format("%Y-%m-%d")
        .to_string();
    let page = due(&app, &casey, &[("due", &later)]).await;
    assert!(page.rows.iter().all(|r| !rrh.contains(&r.personal_id)));
    // My case assignments: Casey's; none for the supervisor.
    assert_eq!(due(&app, &casey, &[("mine", "yes")]).await.total, 4);
    let sam = app.signed_in("supervisor").await;
    assert_eq!(due(&app, &sam, &[("mine", "yes")]).await.total, 0);
    assert_eq!(due(&app, &sam, &[]).await.total, 4);

    // The home counts link to the same lists.
    let counts: Option<AnnualCounts> = ok_json(app.call_as(&casey, "annual_due_counts", &[]).await).await;
    let counts = counts.expect("counts for a case manager");
    assert_eq!((counts.organization, counts.mine), (4, 4));
    // An HMIS admin's card counts their acting organization's (none due there).
    let admin = app.signed_in("admin").await;
    let admin_counts: Option<AnnualCounts> =
        ok_json(app.call_as(&admin, "annual_due_counts", &[]).await).await;
    assert_eq!(admin_counts.map(|c| c.organization), Some(0));

    // The CSV holds the screen's rows in the screen's order.
    let page = due(&app, &casey, &[("project_id", &shelter_id)]).await;
    let csv = casey
        .get(app.url(&format!("/annual-assessments.csv?project_id={shelter_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let body = csv.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert!(lines[0].starts_with("PersonalID,Client,HeadOfHousehold,Project"));
    let csv_ids: Vec<String> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(csv_ids, people(&page));

    // The HMIS admin sees every organization's, and may choose one.
    let page = due(&app, &admin, &[]).await;
    assert_eq!(page.total, 6);
    assert!(page.rows.iter().any(|r| theirs.contains(&r.personal_id)));
    assert!(!page.organizations.is_empty());

    let actions = app.audit_actions().await;
    assert!(actions.contains(&"annual_tool.view".to_string()));
    assert!(actions.contains(&"annual_tool.export".to_string()));
});

on_both_databases!(the_tool_refuses_other_organizations_and_bad_input, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let olivia = app.signed_in("outreach").await;
    let shelter_id = project_id(&app, "Riverside Family Shelter").await;
    let riverside: String = {
        use app::db::entities::project;
        use sea_orm::EntityTrait;
        project::Entity::find_by_id(shelter_id.clone())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .organization_id
    };
    // Another organization, another organization's project: refused.
    for (k, v) in [
        ("filter[organization_id]", riverside.as_str()),
        ("filter[project_id]", shelter_id.as_str()),
    ] {
        let response = app.call_as(&olivia, "annual_due", &[(k, v)]).await;
        assert_eq!(response.status(), 403);
    }
    let csv = olivia
        .get(app.url(&format!("/annual-assessments.csv?project_id={shelter_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 403);
    // No session.
    assert_eq!(
        app.call("annual_due", &[("filter[mine]", "")]).await.status(),
        401
    );
    let anonymous = reqwest::Client::new();
    let csv = anonymous
        .get(app.url("/annual-assessments.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 401);
    // Bad input: clear messages.
    let response = app
        .call_as(&casey, "annual_due", &[("filter[due]", "next week")])
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("due date"));
    let response = app
        .call_as(&casey, "annual_due", &[("filter[funder]", "9999")])
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("funding source"));
});

// The open/exited state the tool reads is kept on the enrollment by triggers on
// `exits`: an exit takes the household off the list, a re-enter brings it back.
on_both_databases!(an_exit_leaves_the_list_and_a_re_enter_brings_it_back, |app| {
    use common::households::manual_exit;
    use sea_orm::ActiveModelTrait;
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let ids = enrolled(&app, &casey, "Fairbanks", "Riverside Family Shelter", 358).await;
    assert_eq!(due(&app, &casey, &[]).await.total, 2);
    let head = enrollment_of(&app, &ids[0]).await;
    for id in &ids {
        manual_exit(&app, id, &enrollment_of(&app, id).await, app.state.today())
            .insert(&app.db)
            .await
            .unwrap();
    }
    assert_eq!(due(&app, &casey, &[]).await.total, 0, "exited: off the list");
    ok_url(
        app.call_as(&casey, "re_enter_enrollment", &[("enrollment_id", &head)])
            .await,
    )
    .await;
    let page = due(&app, &casey, &[]).await;
    assert_eq!(people(&page), vec![ids[0].clone()], "the re-entered head is back");
});

// The list read one anniversary day at a time is the list the rules give when worked
// out whole: on generated data (households of several members, years of history), for
// due dates around the year — a common year's Feb 28 and a leap day included — the
// tool's rows, in order and page by page, are exactly the open members with no annual
// in their head of household's window; a list cut short holds the most urgent first.
on_both_databases!(the_tool_agrees_with_the_rules_on_generated_data, |app| {
    use std::collections::{HashMap, HashSet};

    use app::db::entities::{assessment_event, enrollment, exit};
    use app::domain::annual::window_containing;
    use app::features::annual::api::{AnnualFilter, PAGE_SIZE};
    use app::features::annual::service::{due_list, export, page};
    use chrono::NaiveDate;
    use sea_orm::EntityTrait;

    let options = hearth_server::demo_data::Options {
        clients: 1_500,
        seed: 11,
        today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        progress: false,
    };
    hearth_server::demo_data::run(&app.db, &options, &app.state.data_key)
        .await
        .expect("demo data is written");
    let admin = hearth_server::bench::bench_session(&app.state, app::domain::access::Workgroup::HmisAdmin)
        .await
        .unwrap();
    let enrollments = enrollment::Entity::find().all(&app.db).await.unwrap();
    let exited: HashSet<String> = exit::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|x| x.date_deleted.is_none())
        .map(|x| x.enrollment_id)
        .collect();
    let mut annuals: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    for a in assessment_event::Entity::find().all(&app.db).await.unwrap() {
        if a.data_collection_stage == 5 && a.date_deleted.is_none() {
            annuals
                .entry(a.enrollment_id)
                .or_default()
                .push(a.information_date);
        }
    }
    let open: Vec<&enrollment::Model> = enrollments
        .iter()
        .filter(|e| e.date_deleted.is_none() && !exited.contains(&e.enrollment_id))
        .collect();
    let mut checked = 0;
    for due in [
        "2026-11-30",
        "2026-12-31",
        "2027-02-28",
        "2028-02-29",
        "2027-06-15",
    ] {
        let due_date = NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap();
        let filter = AnnualFilter {
            due: Some(due.into()),
            ..Default::default()
        };
        let first = page(&app.state, &admin, &filter, 0).await.unwrap();
        let in_scope: HashSet<&str> = first.projects.iter().map(|p| p.value.as_str()).collect();
        // Worked out whole from every open enrollment.
        let mut expected: Vec<String> = Vec::new();
        for head in open
            .iter()
            .filter(|h| h.relationship_to_hoh == Some(1) && in_scope.contains(h.project_id.as_str()))
        {
            let Some(w) = window_containing(head.entry_date, due_date) else {
                continue;
            };
            for m in open
                .iter()
                .filter(|m| m.household_id == head.household_id && m.entry_date <= due_date)
            {
                let settled = annuals
                    .get(&m.enrollment_id)
                    .is_some_and(|dates| dates.iter().any(|d| w.contains(*d)));
                if !settled {
                    expected.push(m.enrollment_id.clone());
                }
            }
        }
        let all = export(&app.state, &admin, &filter).await.unwrap();
        let mut listed: Vec<String> = all.iter().map(|r| r.enrollment_id.clone()).collect();
        listed.sort();
        expected.sort();
        expected.dedup();
        assert_eq!(listed, expected, "due on {due}");
        assert!(
            all.windows(2).all(|w| w[0].days_left <= w[1].days_left),
            "most urgent first on {due}"
        );
        let shown = |p: &AnnualDuePage| p.rows.iter().map(|r| r.enrollment_id.clone()).collect::<Vec<_>>();
        let firsts: Vec<String> = all
            .iter()
            .take(PAGE_SIZE)
            .map(|r| r.enrollment_id.clone())
            .collect();
        assert_eq!(shown(&first), firsts, "first page on {due}");
        assert_eq!((first.total, first.more), (all.len(), false));
        assert_eq!(first.has_more, all.len() > PAGE_SIZE);
        if first.has_more {
            let second = page(&app.state, &admin, &filter, 1).await.unwrap();
            let seconds: Vec<String> = all
                .iter()
                .skip(PAGE_SIZE)
                .take(PAGE_SIZE)
                .map(|r| r.enrollment_id.clone())
                .collect();
            assert_eq!(shown(&second), seconds, "second page on {due}");
        }
        // Cut short: at least the number asked for, the most urgent, in order.
        if all.len() > 3 {
            let cut = due_list(&app.state, &admin, &filter, Some(3)).await.unwrap();
            assert!(cut.rows.len() >= 3);
            let prefix: Vec<&str> = all
                .iter()
                .take(cut.rows.len())
                .map(|r| r.enrollment_id.as_str())
                .collect();
            let read: Vec<&str> = cut.rows.iter().map(|r| r.enrollment_id.as_str()).collect();
            assert_eq!(read, prefix, "cut short on {due}");
            assert_eq!(cut.complete, cut.rows.len() == all.len());
        }
        checked += all.len();
    }
    assert!(checked > 20, "the generated data has members due ({checked})");
});
