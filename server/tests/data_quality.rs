//! The data-quality report on both databases: planted integrity errors are counted and
//! listed with their records, completeness and timeliness count what HUD counts, ages
//! follow the same rule as the rest of Hearth (a Feb 29 birthday turns on Mar 1), the
//! CSV matches, and who may read it.

mod common;

use app::features::data_quality::api::{DqRecordsPage, DqReport};
use common::households::*;
use common::workflow::*;

const FAMILY_SHELTER: &str = "Riverside Family Shelter";
const OUTREACH: &str = "Northside Street Outreach"; // auto-exit after 365 days

/// A second enrollment of the client of `member` in `project`, `days` ago.
async fn again(app: &common::TestApp, member: &(String, String), project: &str, days: i64) -> String {
    let project_id = project_id(app, project).await;
    let enrollment_id = app::db::new_id();
    let now = app.state.now();
    exec(
        app,
        "INSERT INTO enrollments (enrollment_id, personal_id, project_id, entry_date, household_id, \
         relationship_to_hoh, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
        vec![
            enrollment_id.clone().into(),
            member.0.clone().into(),
            project_id.into(),
            ago(app, days).into(),
            app::db::new_id().into(),
            now.into(),
            now.into(),
        ],
    )
    .await;
    enrollment_id
}

/// One count's records in one project, as the supervisor reads them.
async fn records(
    app: &common::TestApp,
    supervisor: &reqwest::Client,
    project: &str,
    check: &str,
) -> DqRecordsPage {
    ok_json(
        app.call_as(
            supervisor,
            "data_quality_records",
            &[("filter[project_id]", project), ("check", check)],
        )
        .await,
    )
    .await
}

on_both_databases!(the_report_counts_and_lists_planted_errors, |app| {
    app.seed_demo().await;
    let project = project_id(&app, FAMILY_SHELTER).await;
    // Exit recorded before the start.
    let backwards = household(&app, FAMILY_SHELTER, &[(1, 100)]).await;
    exit_on(&app, &backwards[0], 110, 30).await;
    // The same client twice in the project at once.
    let twice = household(&app, FAMILY_SHELTER, &[(1, 90)]).await;
    let second = again(&app, &twice[0], FAMILY_SHELTER, 40).await;
    // A household with no head.
    let headless = household(&app, FAMILY_SHELTER, &[(2, 30)]).await;
    // The head exited, the child stayed.
    let left = household(&app, FAMILY_SHELTER, &[(1, 60), (2, 60)]).await;
    exit_on(&app, &left[0], 20, 30).await;
    // A ten-year-old head of household.
    let young = household(&app, FAMILY_SHELTER, &[(1, 15)]).await;
    set_dob(
        &app,
        &young[0].0,
        app.state.today() - chrono::Duration::days(3653),
    )
    .await;
    // Open 500 days, never an annual.
    let long = household(&app, FAMILY_SHELTER, &[(1, 500)]).await;
    // Entered the day it started.
    let prompt = household(&app, FAMILY_SHELTER, &[(1, 0)]).await;

    let supervisor = app.signed_in("supervisor").await;
    let filter = [("filter[project_id]", project.as_str())];
    let report: DqReport = ok_json(app.call_as(&supervisor, "data_quality_report", &filter).await).await;
    // Every enrollment above is active in the period (the year to today).
    assert_eq!(report.enrollments, 9, "{:?}", report.counts);
    let count = |code: &str| report.count(code);
    assert_eq!(count("exit_before_entry"), 1);
    assert_eq!(count("overlapping"), 2);
    assert_eq!(count("heads_not_one"), 1);
    assert_eq!(count("head_exited_first"), 1);
    assert_eq!(count("child_head"), 1);
    assert_eq!(count("missing_annual"), 1);
    assert_eq!(count("past_auto_exit"), 0, "the shelter has no auto-exit setting");
    // Completeness: the planted clients have no SSN, date of birth (but one), sex or
    // disabling condition; the two exits have destination 30, which the APR counts as
    // missing; adults are those with a known age of 18 or more (none here).
    assert_eq!(count("ssn_all"), 9);
    assert_eq!(count("ssn_missing"), 9);
    assert_eq!(count("ssn_dkr"), 0);
    assert_eq!(count("dob_missing"), 8);
    assert_eq!(count("sex_missing"), 9);
    assert_eq!(count("name_missing"), 0);
    assert_eq!(count("race_missing"), 0);
    assert_eq!(count("disabling_missing"), 9);
    assert_eq!(count("veteran_all"), 0);
    assert_eq!(count("destination_all"), 2);
    assert_eq!(count("destination_missing"), 2);
    assert_eq!(count("income_exit_all"), 2, "heads who left");
    assert_eq!(count("income_exit_missing"), 2, "no exit assessment recorded");
    // Timeliness: one start entered the same day, the others 15 days or more later.
    assert_eq!(count("start_lag_0"), 1);
    assert_eq!(count("start_lag_4"), 7, "the 500-day start is before the period");
    assert_eq!(
        count("exit_lag_4"),
        2,
        "exits 20 and 110 days ago, both entered today"
    );
    assert_eq!(count("exit_lag_0"), 0);

    // Each count's records, with what is wrong.
    let records = |check: &'static str| records(&app, &supervisor, &project, check);
    let wrong = records("exit_before_entry").await;
    assert_eq!(wrong.title, "Exit before project start");
    assert_eq!(wrong.total, 1);
    assert_eq!(wrong.rows[0].personal_id, backwards[0].0);
    assert_eq!(wrong.rows[0].enrollment_id, backwards[0].1);
    assert_eq!(wrong.rows[0].name, "Test Sweep");
    assert_eq!(wrong.rows[0].project_name, FAMILY_SHELTER);
    assert!(
        wrong.rows[0].detail.starts_with("Exit date "),
        "{}",
        wrong.rows[0].detail
    );
    let overlapping: Vec<String> = records("overlapping")
        .await
        .rows
        .into_iter()
        .map(|r| r.enrollment_id)
        .collect();
    let mut expected = vec![twice[0].1.clone(), second];
    expected.sort();
    let mut got = overlapping.clone();
    got.sort();
    assert_eq!(got, expected);
    let heads = records("heads_not_one").await;
    assert_eq!(heads.rows[0].enrollment_id, headless[0].1);
    assert_eq!(heads.rows[0].detail, "0 heads of household in the household");
    assert_eq!(
        records("head_exited_first").await.rows[0].enrollment_id,
        left[1].1
    );
    assert_eq!(records("child_head").await.rows[0].enrollment_id, young[0].1);
    let annual = records("missing_annual").await;
    assert_eq!(annual.rows[0].enrollment_id, long[0].1);
    assert!(
        annual.rows[0].detail.starts_with("1 window(s) missed"),
        "{}",
        annual.rows[0].detail
    );
    let same_day = records("start_lag_0").await;
    assert_eq!(same_day.rows[0].enrollment_id, prompt[0].1);
    assert_eq!(same_day.rows[0].detail, "Entered 0 day(s) later");

    // The CSV of a count holds the same records; the summary CSV every count.
    let csv = supervisor
        .get(app.url(&format!(
            "/reports/data-quality.csv?project_id={project}&check=overlapping"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let body = csv.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines[0],
        "Check,PersonalID,Client,EnrollmentID,Project,StartDate,ExitDate,Detail"
    );
    let mut csv_enrollments: Vec<String> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(3).unwrap().to_string())
        .collect();
    csv_enrollments.sort();
    assert_eq!(csv_enrollments, expected);
    let summary = supervisor
        .get(app.url(&format!("/reports/data-quality.csv?project_id={project}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        summary.contains("Exit before project start,exit_before_entry,1"),
        "{summary}"
    );
    let actions = app.audit_actions().await;
    for action in ["data_quality.view", "data_quality.records", "data_quality.export"] {
        assert!(actions.contains(&action.to_string()), "{action}");
    }
});

on_both_databases!(households_past_their_auto_exit_age_are_counted, |app| {
    app.seed_demo().await;
    let stale = household(&app, OUTREACH, &[(1, 400)]).await;
    let seen = household(&app, OUTREACH, &[(1, 400)]).await;
    contact(&app, &seen[0], 30).await;
    let admin = app.signed_in("admin").await;
    let project = project_id(&app, OUTREACH).await;
    let report: DqReport = ok_json(
        app.call_as(
            &admin,
            "data_quality_report",
            &[("filter[project_id]", project.as_str())],
        )
        .await,
    )
    .await;
    assert_eq!(report.count("past_auto_exit"), 1);
    let page: DqRecordsPage = ok_json(
        app.call_as(
            &admin,
            "data_quality_records",
            &[
                ("filter[project_id]", project.as_str()),
                ("check", "past_auto_exit"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(page.rows[0].enrollment_id, stale[0].1);
    assert!(
        page.rows[0].detail.ends_with("the project exits after 365 days"),
        "{}",
        page.rows[0].detail
    );
});

on_both_databases!(ages_turn_on_the_same_day_in_both_databases, |app| {
    app.seed_demo().await;
    let project = project_id(&app, FAMILY_SHELTER).await;
    let today = app.state.today();
    // Heads born on Feb 29, 2008: under 18 on Feb 28, 2026; 18 on Mar 1, 2026.
    let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let days = |d: chrono::NaiveDate| (today - d).num_days();
    let child = household(&app, FAMILY_SHELTER, &[(1, days(date(2026, 2, 28)))]).await;
    let adult = household(&app, FAMILY_SHELTER, &[(1, days(date(2026, 3, 1)))]).await;
    for head in [&child[0], &adult[0]] {
        set_dob(&app, &head.0, date(2008, 2, 29)).await;
    }
    assert!(!app::domain::dates::is_adult_on(
        date(2008, 2, 29),
        date(2026, 2, 28)
    ));
    assert!(app::domain::dates::is_adult_on(
        date(2008, 2, 29),
        date(2026, 3, 1)
    ));
    let admin = app.signed_in("admin").await;
    let from = "2026-02-01".to_string();
    let page: DqRecordsPage = ok_json(
        app.call_as(
            &admin,
            "data_quality_records",
            &[
                ("filter[project_id]", project.as_str()),
                ("filter[from]", from.as_str()),
                ("check", "child_head"),
            ],
        )
        .await,
    )
    .await;
    let heads: Vec<&str> = page.rows.iter().map(|r| r.enrollment_id.as_str()).collect();
    assert_eq!(heads, [child[0].1.as_str()]);
    let report: DqReport = ok_json(
        app.call_as(
            &admin,
            "data_quality_report",
            &[
                ("filter[project_id]", project.as_str()),
                ("filter[from]", from.as_str()),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(
        report.count("veteran_all"),
        1,
        "the adult is in the veteran status universe"
    );
});

on_both_databases!(
    the_report_is_for_supervisors_and_admins_of_the_organization,
    |app| {
        app.seed_demo().await;
        let northside = organization_of(&app, OUTREACH).await;
        let outreach_project = project_id(&app, OUTREACH).await;
        // Case managers and CE staff do not read it.
        for who in ["casemanager", "outreach", "plm"] {
            let user = app.signed_in(who).await;
            assert_eq!(
                app.call_as(&user, "data_quality_report", &[]).await.status(),
                403,
                "{who}"
            );
            assert_eq!(
                app.call_as(&user, "data_quality_records", &[("check", "overlapping")])
                    .await
                    .status(),
                403,
                "{who}"
            );
        }
        assert_eq!(app.call("data_quality_report", &[]).await.status(), 401);
        assert_eq!(
            app.client
                .get(app.url("/reports/data-quality.csv"))
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
        // Another organization's projects are not the supervisor's.
        let supervisor = app.signed_in("supervisor").await;
        for form in [
            [("filter[organization_id]", northside.as_str())],
            [("filter[project_id]", outreach_project.as_str())],
        ] {
            assert_eq!(
                app.call_as(&supervisor, "data_quality_report", &form)
                    .await
                    .status(),
                403
            );
        }
        // Bad input: a clear message.
        refused(
            app.call_as(
                &supervisor,
                "data_quality_report",
                &[("filter[from]", "last year")],
            )
            .await,
            422,
            "Enter a date (YYYY-MM-DD).",
        )
        .await;
        refused(
            app.call_as(
                &supervisor,
                "data_quality_report",
                &[("filter[from]", "2026-06-01"), ("filter[to]", "2026-01-01")],
            )
            .await,
            422,
            "must not be after",
        )
        .await;
        refused(
            app.call_as(&supervisor, "data_quality_records", &[("check", "nonsense")])
                .await,
            422,
            "Choose a count",
        )
        .await;
        // Its own organization's report, and an HMIS admin's of any.
        let own: DqReport = ok_json(app.call_as(&supervisor, "data_quality_report", &[]).await).await;
        assert_eq!(own.enrollments, 0);
        assert!(
            own.organizations.is_empty(),
            "only HMIS admins choose an organization"
        );
        let admin = app.signed_in("admin").await;
        let theirs: DqReport = ok_json(
            app.call_as(
                &admin,
                "data_quality_report",
                &[("filter[organization_id]", northside.as_str())],
            )
            .await,
        )
        .await;
        assert!(!theirs.organizations.is_empty());
    }
);

on_both_databases!(
    timeliness_counts_days_in_the_coc_zone_whatever_the_season,
    |app| {
        use chrono::{TimeZone, Utc};
        app.seed_demo().await;
        // Today is a winter day (Chicago on standard time, UTC−6).
        let winter = Utc.with_ymd_and_hms(2030, 1, 15, 18, 0, 0).unwrap();
        app.state.clock.advance(winter - app.state.now());
        let project = project_id(&app, FAMILY_SHELTER).await;
        let entered = |y: i32, m: u32, d: u32| {
            let day = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            (app.state.today() - day).num_days()
        };
        // Started on 2029-06-10, entered at 00:30 on 2029-06-11 in Chicago (daylight time,
        // UTC−5): one day later. Read with today's offset it would be 23:30 the day before.
        let summer = household(&app, FAMILY_SHELTER, &[(1, entered(2029, 6, 10))]).await;
        // Started on 2029-02-14, entered at 23:30 that day (standard time): the same day.
        let february = household(&app, FAMILY_SHELTER, &[(1, entered(2029, 2, 14))]).await;
        for (member, at) in [
            (&summer[0], Utc.with_ymd_and_hms(2029, 6, 11, 5, 30, 0).unwrap()),
            (&february[0], Utc.with_ymd_and_hms(2029, 2, 15, 5, 30, 0).unwrap()),
        ] {
            exec(
                &app,
                "UPDATE enrollments SET created_at = ? WHERE enrollment_id = ?",
                vec![at.into(), member.1.clone().into()],
            )
            .await;
        }
        let supervisor = app.signed_in("supervisor").await;
        let enrollments = |check: &'static str| {
            let page = records(&app, &supervisor, &project, check);
            async move {
                page.await
                    .rows
                    .into_iter()
                    .map(|r| r.enrollment_id)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(enrollments("start_lag_0").await, [february[0].1.clone()]);
        assert_eq!(enrollments("start_lag_1").await, [summer[0].1.clone()]);
    }
);

/// Everything the report shows for these filters, as an HMIS admin reads it: the
/// counts, and the first page of records of every count (and the second of a count
/// with more), as JSON.
async fn everything(
    app: &common::TestApp,
    admin: &app::session::CurrentSession,
    filters: &[app::features::data_quality::api::DqFilter],
) -> Vec<String> {
    use app::features::data_quality::service;
    let mut out = Vec::new();
    for filter in filters {
        let report = service::report(&app.state, admin, filter).await.unwrap();
        for (code, n) in &report.counts {
            if *n == 0 {
                continue;
            }
            for page in 0..if *n > service::PAGE_SIZE { 2 } else { 1 } {
                let records = service::records_page(&app.state, admin, filter, code, page)
                    .await
                    .unwrap();
                assert_eq!(records.total, *n, "{code}: the records are the count's");
                out.push(serde_json::to_string(&records).unwrap());
            }
        }
        out.push(serde_json::to_string(&report).unwrap());
    }
    out
}

// The report is the same whether each enrollment's facts are worked out from the source
// rows or read from the kept rows (`dq_facts`), on generated data (households of
// several members, years of history), for the default period, an earlier one and one
// organization, counts and records alike: right after the facts are built, with
// households changed since by plain SQL (as any writer would: exits, a client's birth
// date, income records deleted, an exit's destination, an enrollment moved to another
// household, a second enrollment overlapping, an enrollment deleted, annuals deleted)
// — marked by the triggers and worked out from the source rows — and after the refresh.
on_both_databases!(the_kept_facts_answer_as_the_source_rows, |app| {
    use app::features::data_quality::{api::DqFilter, kept};
    use sea_orm::ConnectionTrait;

    let today = app.state.today();
    let admin = common::generated(&app, 800, 5, today).await;
    let day = |days: i64| Some((today - chrono::Duration::days(days)).to_string());
    let filters = [
        DqFilter::default(),
        DqFilter {
            from: day(3 * 365),
            to: day(365),
            ..Default::default()
        },
        DqFilter {
            organization_id: Some(organization_of(&app, FAMILY_SHELTER).await),
            ..Default::default()
        },
    ];
    assert!(
        !kept::built(&app.db).await.unwrap(),
        "demo data leaves them to the server"
    );
    // The generated households have every closed annual window settled: some annuals
    // deleted leave windows missed.
    let forget_annuals = |order: &str| {
        format!(
            "UPDATE assessment_events SET date_deleted = created_at WHERE assessment_event_id IN \
             (SELECT a.assessment_event_id FROM assessment_events a JOIN enrollments e ON e.enrollment_id = a.enrollment_id \
             WHERE a.data_collection_stage = 5 AND a.date_deleted IS NULL AND e.exit_date IS NULL \
             ORDER BY a.assessment_event_id {order} LIMIT 12)"
        )
    };
    app.db.execute_unprepared(&forget_annuals("ASC")).await.unwrap();
    let missed = || async {
        app::features::data_quality::service::report(&app.state, &admin, &DqFilter::default())
            .await
            .unwrap()
            .count("missing_annual")
    };
    let missed_before = missed().await;
    assert!(missed_before > 0, "annuals deleted leave windows missed");
    let rows = everything(&app, &admin, &filters).await;
    assert!(rows.len() > 60, "the generated data has records to list");

    let built = kept::refresh(&app.db, app.state.time_zone, today, None)
        .await
        .unwrap();
    assert!(built.rebuilt.is_some_and(|n| n > 1_000), "{built:?}");
    assert!(kept::built(&app.db).await.unwrap());
    assert_eq!(everything(&app, &admin, &filters).await, rows, "kept, just built");

    // A new seal of every SSN (a key rotation) changes no fact and marks nothing.
    app.db
        .execute_unprepared(
            "UPDATE clients SET ssn_encrypted = ssn_encrypted WHERE ssn_encrypted IS NOT NULL",
        )
        .await
        .unwrap();
    assert!(kept::marked(&app.db, 1).await.unwrap().is_empty());

    let yesterday = (today - chrono::Duration::days(1)).to_string();
    for sql in [
        format!(
            "UPDATE enrollments SET exit_date = '{yesterday}' WHERE enrollment_id IN (SELECT enrollment_id \
             FROM enrollments WHERE exit_date IS NULL ORDER BY enrollment_id LIMIT 3)"
        ),
        "UPDATE clients SET dob = NULL, dob_data_quality = 99 WHERE personal_id IN (SELECT personal_id \
         FROM enrollments WHERE exit_date IS NULL ORDER BY personal_id LIMIT 3)"
            .to_string(),
        "UPDATE income_benefits SET date_deleted = created_at WHERE income_benefits_id IN (SELECT income_benefits_id \
         FROM income_benefits WHERE data_collection_stage IN (1, 3) AND date_deleted IS NULL \
         ORDER BY income_benefits_id LIMIT 5)"
            .to_string(),
        "UPDATE exits SET destination = 99 WHERE exit_id IN (SELECT exit_id FROM exits ORDER BY exit_id LIMIT 3)"
            .to_string(),
        "UPDATE enrollments SET household_id = (SELECT MIN(household_id) FROM enrollments) WHERE enrollment_id = \
         (SELECT MAX(enrollment_id) FROM enrollments)"
            .to_string(),
        "UPDATE enrollments SET date_deleted = created_at WHERE enrollment_id = (SELECT MIN(enrollment_id) \
         FROM enrollments WHERE exit_date IS NULL)"
            .to_string(),
        forget_annuals("DESC"),
    ] {
        app.db.execute_unprepared(&sql).await.unwrap();
    }
    let open: (String, String) = (
        common::one(
            &app.db,
            "SELECT personal_id FROM enrollments WHERE exit_date IS NULL AND date_deleted IS NULL \
             ORDER BY enrollment_id DESC LIMIT 1",
        )
        .await,
        String::new(),
    );
    let project: String = common::one(
        &app.db,
        &format!(
            "SELECT p.project_name FROM projects p JOIN enrollments e ON e.project_id = p.project_id \
             WHERE e.personal_id = '{}' AND e.exit_date IS NULL AND e.date_deleted IS NULL LIMIT 1",
            open.0
        ),
    )
    .await;
    again(&app, &open, &project, 10).await;
    let stale = kept::marked(&app.db, 10_000).await.unwrap();
    assert!(
        stale.len() >= 10,
        "the triggers marked the households ({})",
        stale.len()
    );
    let changed = everything(&app, &admin, &filters).await;
    assert_ne!(changed, rows, "the writes changed the report");
    assert!(
        missed().await > missed_before,
        "more annuals deleted, more windows missed"
    );
    // The same, worked out whole from the source rows.
    app.db
        .execute_unprepared("UPDATE dq_facts_state SET built = 0")
        .await
        .unwrap();
    assert_eq!(
        everything(&app, &admin, &filters).await,
        changed,
        "from the source rows"
    );
    app.db
        .execute_unprepared("UPDATE dq_facts_state SET built = 1")
        .await
        .unwrap();

    let refreshed = kept::refresh(&app.db, app.state.time_zone, today, None)
        .await
        .unwrap();
    assert_eq!(refreshed.rebuilt, None);
    assert_eq!(refreshed.marked, stale.len());
    assert!(kept::marked(&app.db, 1).await.unwrap().is_empty());
    assert_eq!(
        everything(&app, &admin, &filters).await,
        changed,
        "after the refresh"
    );
});
