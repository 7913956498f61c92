//! The Client Milestone Age Status report on both databases: clients who turned 18
//! since entry (or will within the days asked), what they still need as adults, the
//! CSV, who may see it, bad input.

mod common;

use app::features::reports::api::MilestonePage;
use common::workflow::*;

/// A date of birth that makes someone 18 `days` days from today (negative: ago).
fn turning_18_in(app: &common::TestApp, days: i64) -> String {
    let birthday = app.state.today() + chrono::Duration::days(days);
    birthday
        .checked_sub_months(chrono::Months::new(12 * 18))
        .unwrap()
        .format("%Y-%m-%d")
        .to_string()
}

async fn report(app: &common::TestApp, who: &reqwest::Client, filter: &[(&str, &str)]) -> MilestonePage {
    let mut form: Vec<(String, String)> = Vec::new();
    for (k, v) in filter {
        form.push((format!("filter[{k}]"), v.to_string()));
    }
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ok_json(app.call_as(who, "milestone_report", &refs).await).await
}

fn listed(page: &MilestonePage) -> Vec<String> {
    page.rows.iter().map(|r| r.personal_id.clone()).collect()
}

on_both_databases!(the_report_lists_clients_who_turned_18, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let turned = turning_18_in(&app, -50);
    let soon = turning_18_in(&app, 20);
    let people = [
        ("Greta", "Lindqvist", "1979-05-05", "1"),
        ("Hanna", "Lindqvist", turned.as_str(), "2"),
        ("Ivo", "Lindqvist", soon.as_str(), "2"),
    ];
    let (draft, ids) = intake(
        &app,
        &casey,
        &people,
        "Riverside Family Shelter",
        &days_ago(&app, 100),
    )
    .await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;

    // Hanna turned 18 fifty days ago: listed with what adults answer; the head (an
    // adult at entry) and Ivo (not 18 yet) are not.
    let page = report(&app, &casey, &[]).await;
    assert_eq!(listed(&page), vec![ids[1].clone()]);
    let hanna = &page.rows[0];
    assert_eq!(hanna.turns_18.format("%Y-%m-%d").to_string(), days_ago(&app, 50));
    assert!(
        hanna
            .needs
            .contains(&"Prior living situation (3.917)".to_string()),
        "{:?}",
        hanna.needs
    );
    assert!(
        hanna
            .needs
            .contains(&"Income and benefits (4.02–4.03)".to_string())
    );
    // Within 30 days, Ivo too, in birthday order.
    let page = report(&app, &casey, &[("within_days", "30")]).await;
    assert_eq!(listed(&page), vec![ids[1].clone(), ids[2].clone()]);

    // An update records Hanna's income as an adult: income is no longer listed.
    let head = enrollment_of(&app, &ids[0]).await;
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
    saved(&app, &casey, &draft, "type", &[("stage", "2")]).await;
    for id in &ids {
        let step = format!("assess-{id}");
        let mut answers = {
            let response = casey
                .post(app.url("/api/save_workflow_step"))
                .header("Accept", "application/json")
                .form(&[
                    ("draft_id", draft.as_str()),
                    ("step", step.as_str()),
                    ("intent", "default_last"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            shown(&app, &casey, &draft, &step).await
        };
        for key in [
            "income_from_any_source",
            "benefits_from_any_source",
            "domestic_violence_survivor",
        ] {
            if !answers.iter().any(|(k, _)| k == key) {
                answers.push((key.into(), "0".into()));
            }
        }
        let refs: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        saved(&app, &casey, &draft, &step, &refs).await;
    }
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    let page = report(&app, &casey, &[]).await;
    assert_eq!(page.rows[0].personal_id, ids[1]);
    assert!(
        !page.rows[0].needs.iter().any(|n| n.starts_with("Income")),
        "{:?}",
        page.rows[0].needs
    );

    // The CSV holds the same rows.
    let body = casey
        .get(app.url("/reports/milestones.csv?within_days=30"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert!(lines[0].starts_with("PersonalID,Client,DOB,Turns18"));
    let csv_ids: Vec<String> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(csv_ids, vec![ids[1].clone(), ids[2].clone()]);
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"milestone_report.view".to_string()));
    assert!(actions.contains(&"milestone_report.export".to_string()));

    // Another organization sees none of them, and may not ask for Riverside's project.
    let olivia = app.signed_in("outreach").await;
    assert!(
        report(&app, &olivia, &[("within_days", "30")])
            .await
            .rows
            .is_empty()
    );
    let shelter = project_id(&app, "Riverside Family Shelter").await;
    let response = app
        .call_as(&olivia, "milestone_report", &[("filter[project_id]", &shelter)])
        .await;
    assert_eq!(response.status(), 403);
    // No session; bad input.
    assert_eq!(
        app.call("milestone_report", &[("filter[within_days]", "")])
            .await
            .status(),
        401
    );
    let anonymous = reqwest::Client::new();
    assert_eq!(
        anonymous
            .get(app.url("/reports/milestones.csv"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let response = app
        .call_as(&casey, "milestone_report", &[("filter[within_days]", "soon")])
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("number of days"));
});
