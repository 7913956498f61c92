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
    use sea_orm::{ActiveModelTrait, Set};
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let ids = enrolled(&app, &casey, "Fairbanks", "Riverside Family Shelter", 358).await;
    assert_eq!(due(&app, &casey, &[]).await.total, 2);
    let head = enrollment_of(&app, &ids[0]).await;
    for id in &ids {
        app::db::entities::exit::ActiveModel {
            exit_id: Set(app::db::new_id()),
            enrollment_id: Set(enrollment_of(&app, id).await),
            personal_id: Set(id.clone()),
            exit_date: Set(app.state.today()),
            destination: Set(410),
            exit_method: Set("manual".into()),
            created_at: Set(app.state.now()),
            updated_at: Set(app.state.now()),
            date_deleted: Set(None),
            ..Default::default()
        }
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
