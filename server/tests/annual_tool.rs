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

    // Each view's audit detail: the filter, if any, then the count ("6 rows").
    use app::db::entities::audit_log;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let details: Vec<String> = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("annual_tool.view"))
        .all(&app.db)
        .await
        .expect("audit log")
        .into_iter()
        .filter_map(|row| row.detail)
        .collect();
    assert!(details.iter().any(|d| d == "6 rows"), "{details:?}");
    assert!(
        details
            .iter()
            .any(|d| d.starts_with("mine=yes; ") && d.ends_with(" rows")),
        "{details:?}"
    );
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
    let said = response.text().await.unwrap();
    assert!(
        said.contains(r#""field":"due""#) && said.contains("Enter a date (YYYY-MM-DD)."),
        "{said}"
    );
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

/// The open members due on `due` in the projects `in_scope`, worked out whole from
/// every enrollment, exit and annual assessment in the database.
async fn due_by_the_rules(
    app: &common::TestApp,
    due_date: chrono::NaiveDate,
    in_scope: &std::collections::HashSet<&str>,
) -> Vec<String> {
    use std::collections::{HashMap, HashSet};

    use app::db::entities::{assessment_event, enrollment, exit};
    use app::domain::annual::window_containing;
    use sea_orm::EntityTrait;

    let enrollments = enrollment::Entity::find().all(&app.db).await.unwrap();
    let exited: HashSet<String> = exit::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|x| x.date_deleted.is_none())
        .map(|x| x.enrollment_id)
        .collect();
    let mut annuals: HashMap<String, Vec<chrono::NaiveDate>> = HashMap::new();
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
    expected.sort();
    expected.dedup();
    expected
}

/// Checks the tool against the rules for each due date: the rows, in order and page by
/// page, the CSV, and a list cut short. Answers how many rows were due in all.
async fn agrees_with_the_rules(
    app: &common::TestApp,
    admin: &app::session::CurrentSession,
    dues: &[&str],
    when: &str,
) -> usize {
    use std::collections::HashSet;

    use app::features::annual::api::{AnnualFilter, PAGE_SIZE};
    use app::features::annual::service::{due_list, export, page};
    use chrono::NaiveDate;

    let mut checked = 0;
    for due in dues {
        let due_date = NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap();
        let filter = AnnualFilter {
            due: Some(due.to_string()),
            ..Default::default()
        };
        let first = page(&app.state, admin, &filter, 0).await.unwrap();
        let in_scope: HashSet<&str> = first.projects.iter().map(|p| p.value.as_str()).collect();
        let expected = due_by_the_rules(app, due_date, &in_scope).await;
        let all = export(&app.state, admin, &filter).await.unwrap();
        let mut listed: Vec<String> = all.iter().map(|r| r.enrollment_id.clone()).collect();
        listed.sort();
        assert_eq!(listed, expected, "due on {due} ({when})");
        assert!(
            all.windows(2).all(|w| w[0].days_left <= w[1].days_left),
            "most urgent first on {due} ({when})"
        );
        let shown = |p: &AnnualDuePage| p.rows.iter().map(|r| r.enrollment_id.clone()).collect::<Vec<_>>();
        let firsts: Vec<String> = all
            .iter()
            .take(PAGE_SIZE)
            .map(|r| r.enrollment_id.clone())
            .collect();
        assert_eq!(shown(&first), firsts, "first page on {due} ({when})");
        assert_eq!((first.total, first.more), (all.len(), false));
        assert_eq!(first.has_more, all.len() > PAGE_SIZE);
        if first.has_more {
            let second = page(&app.state, admin, &filter, 1).await.unwrap();
            let seconds: Vec<String> = all
                .iter()
                .skip(PAGE_SIZE)
                .take(PAGE_SIZE)
                .map(|r| r.enrollment_id.clone())
                .collect();
            assert_eq!(shown(&second), seconds, "second page on {due} ({when})");
        }
        // Cut short: at least the number asked for, the most urgent, in order.
        if all.len() > 3 {
            let cut = due_list(&app.state, admin, &filter, Some(3), None).await.unwrap();
            assert!(cut.rows.len() >= 3);
            let prefix: Vec<&str> = all
                .iter()
                .take(cut.rows.len())
                .map(|r| r.enrollment_id.as_str())
                .collect();
            let read: Vec<&str> = cut.rows.iter().map(|r| r.enrollment_id.as_str()).collect();
            assert_eq!(read, prefix, "cut short on {due} ({when})");
            assert_eq!(cut.complete, cut.rows.len() == all.len());
        }
        checked += all.len();
    }
    checked
}

// The list is the list the rules give when worked out whole, however it is read: on
// generated data (households of several members, years of history), for due dates
// around the year — a common year's Feb 28 and a leap day included — the tool's rows,
// in order and page by page, are exactly the open members with no annual in their head
// of household's window; a list cut short holds the most urgent first. Read one
// anniversary day at a time (no kept rows), from the kept owed anniversaries, with
// households changed since (marked, worked out from the source rows), after the
// refresh, and after the kept rows rolled forward from an earlier day.
on_both_databases!(the_tool_agrees_with_the_rules_on_generated_data, |app| {
    use app::features::annual::stored;
    use chrono::NaiveDate;

    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let admin = common::generated(&app, 1_500, 11, today).await;
    // 2026-11-30 to 2027-09-30 are answered by kept rows built for 2026-11-30; the
    // leap day of 2028 is read day by day whatever is kept.
    let dues = [
        "2026-11-30",
        "2026-12-31",
        "2027-02-28",
        "2028-02-29",
        "2027-06-15",
    ];
    assert_eq!(
        stored::as_of(&app.db).await.unwrap(),
        Some(today),
        "demo data builds the kept rows"
    );
    assert!(stored::marked(&app.db, 1).await.unwrap().is_empty());
    let kept = agrees_with_the_rules(&app, &admin, &dues, "kept").await;
    assert!(kept > 20, "the generated data has members due ({kept})");
    stored::forget(&app.db).await.unwrap();
    assert_eq!(stored::as_of(&app.db).await.unwrap(), None);
    assert_eq!(
        agrees_with_the_rules(&app, &admin, &dues, "day by day").await,
        kept
    );

    // Kept rows built for an earlier day, rolled forward to today. The generated
    // households have every closed window settled; annuals of the summer deleted leave
    // windows that close before today unsettled — the rows a roll recomputes.
    use sea_orm::{ActiveModelTrait, ConnectionTrait};
    app.db
        .execute_unprepared(
            "UPDATE assessment_events SET date_deleted = created_at WHERE assessment_event_id IN \
             (SELECT a.assessment_event_id FROM assessment_events a JOIN enrollments e ON e.enrollment_id = a.enrollment_id \
             WHERE a.data_collection_stage = 5 AND a.date_deleted IS NULL AND e.exit_date IS NULL \
             AND a.information_date BETWEEN '2026-06-15' AND '2026-09-30' ORDER BY a.assessment_event_id LIMIT 25)",
        )
        .await
        .unwrap();
    let earlier = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    stored::rebuild(&app.db, earlier, None).await.unwrap();
    let rolled = stored::refresh(&app.db, today, None).await.unwrap();
    assert!(rolled.rolled > 0, "windows closed between June and November");
    assert_eq!(stored::as_of(&app.db).await.unwrap(), Some(today));
    let after_roll = agrees_with_the_rules(&app, &admin, &dues, "rolled").await;
    stored::forget(&app.db).await.unwrap();
    assert_eq!(
        agrees_with_the_rules(&app, &admin, &dues, "day by day, rolled").await,
        after_roll
    );
    stored::rebuild(&app.db, today, None).await.unwrap();

    // Changes by plain SQL (as any writer would): households exited, an annual
    // deleted, a head's start date moved. The triggers mark them; until the refresh
    // they are worked out from the source rows.
    let filter = app::features::annual::api::AnnualFilter::default();
    let due_now = app::features::annual::service::export(&app.state, &admin, &filter)
        .await
        .unwrap();
    assert!(due_now.len() > 4);
    for row in due_now.iter().take(2) {
        common::households::manual_exit(&app, &row.personal_id, &row.enrollment_id, today)
            .insert(&app.db)
            .await
            .unwrap();
    }
    app.db
        .execute_unprepared(
            "UPDATE assessment_events SET date_deleted = created_at WHERE assessment_event_id IN \
             (SELECT a.assessment_event_id FROM assessment_events a JOIN enrollments e ON e.enrollment_id = a.enrollment_id \
             WHERE a.data_collection_stage = 5 AND a.date_deleted IS NULL AND e.exit_date IS NULL \
             ORDER BY a.information_date DESC LIMIT 3)",
        )
        .await
        .unwrap();
    let head = &due_now[3].head_personal_id;
    app.db
        .execute_unprepared(&format!(
            "UPDATE enrollments SET entry_date = '2025-12-20' WHERE personal_id = '{head}' \
             AND relationship_to_hoh = 1 AND exit_date IS NULL"
        ))
        .await
        .unwrap();
    let marked = stored::marked(&app.db, 100).await.unwrap();
    assert!(
        marked.len() >= 3,
        "the households changed are marked ({})",
        marked.len()
    );
    let with_marks = agrees_with_the_rules(&app, &admin, &dues, "marked").await;
    let done = stored::refresh(&app.db, today, None).await.unwrap();
    assert_eq!(done.marked, marked.len());
    assert!(stored::marked(&app.db, 1).await.unwrap().is_empty());
    assert_eq!(
        agrees_with_the_rules(&app, &admin, &dues, "refreshed").await,
        with_marks
    );
});

/// Waits (up to 30 s) until the server's keeper has built the kept rows for today and
/// recomputed every marked household.
async fn kept_up_to_date(app: &common::TestApp) {
    use app::features::annual::stored;
    for _ in 0..300 {
        let built = stored::as_of(&app.db).await.unwrap() == Some(app.state.today());
        let facts = app::features::data_quality::kept::built(&app.db).await.unwrap();
        if built
            && facts
            && stored::marked(&app.db, 1).await.unwrap().is_empty()
            && app::features::data_quality::kept::marked(&app.db, 1)
                .await
                .unwrap()
                .is_empty()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the keepers did not bring the annual assessments due and the data-quality facts up to date in 30 s"
    );
}

// The server keeps the owed anniversaries (and the data-quality facts) itself: it builds
// them on a database that has none (the demo seed), and recomputes a household an
// intake marked within seconds;
// the tool lists the same members read from the source rows, from the kept rows, and
// with the new household once it is kept.
on_both_databases!(the_server_keeps_the_owed_anniversaries_up_to_date, |app| {
    use sea_orm::ConnectionTrait;
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    assert_eq!(app::features::annual::stored::as_of(&app.db).await.unwrap(), None);
    let before = due(&app, &casey, &[]).await;
    hearth_server::jobs::spawn_keepers(app.state.clone());
    kept_up_to_date(&app).await;
    let kept = due(&app, &casey, &[]).await;
    assert_eq!(people(&kept), people(&before), "read from the kept rows");
    assert_eq!(kept.total, before.total);

    let ids = enrolled(&app, &casey, "Keeperton", "Riverside Family Shelter", 360).await;
    kept_up_to_date(&app).await;
    let rows = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!(
                "SELECT COUNT(*) AS n FROM annual_due WHERE personal_id IN ('{}', '{}')",
                ids[0], ids[1]
            ),
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rows.try_get::<i64>("", "n").unwrap(), 2, "both members kept");
    let facts: i64 = common::one(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM dq_facts WHERE personal_id IN ('{}', '{}')",
            ids[0], ids[1]
        ),
    )
    .await;
    assert_eq!(facts, 2, "both members' data-quality facts kept");
    let after = due(&app, &casey, &[]).await;
    assert_eq!(after.total, before.total + 2);
    assert!(
        ids.iter().all(|id| people(&after).contains(id)),
        "the new household is due"
    );
});
