//! The auto-exit sweep on both databases: exactly the households due exit, together,
//! on the right dates (the morning after the last bed night in a night-by-night
//! shelter); open CE referrals are skipped; a second sweep changes nothing; a sweep
//! stopped halfway is finished by the next; two sweeps at once do the work once; the
//! admin page's server functions and who may use them.

mod common;

use std::collections::BTreeMap;

use app::db::entities::{case_assignment, job_run};
use app::features::auto_exit::api::{AutoExitOverview, DryRunPage};
use app::features::auto_exit::sweep::{SweepError, SweepOptions, SweepReport, sweep};
use chrono::NaiveDate;
use common::households::*;
use common::workflow::*;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

const OUTREACH: &str = "Northside Street Outreach"; // exit after 365 days
const NIGHT_SHELTER: &str = "Northside Night Shelter"; // exit after 45 days, night by night
const FAMILY_SHELTER: &str = "Riverside Family Shelter"; // no setting
const SERVICES_ONLY: &str = "Riverside Community Case Management"; // exit after 90 days

async fn run(app: &common::TestApp, options: SweepOptions) -> Result<SweepReport, SweepError> {
    let clock = || app.state.now();
    let actor = app::db::audit::Actor::system("test sweep");
    sweep(&app.db, app.state.today(), &clock, &actor, &options, &mut |_| {}).await
}

/// The households of the scenario, and the exits the sweep should write.
struct Scenario {
    expected: BTreeMap<String, NaiveDate>,
    referred_head: String,
    assigned_enrollment: String,
    /// (PersonalID, EnrollmentID) of the two-member household and the sleeper.
    pair: Vec<(String, String)>,
    sleeper: (String, String),
}

async fn scenario(app: &common::TestApp) -> Scenario {
    let mut expected = BTreeMap::new();
    // Two members with different last activity: both leave on the later one.
    let pair = household(app, OUTREACH, &[(1, 500), (3, 500)]).await;
    service(app, &pair[0], 400, 1).await;
    contact(app, &pair[1], 380).await;
    for m in &pair {
        expected.insert(m.1.clone(), ago(app, 380));
    }
    // Seen 100 days ago: stays.
    let seen = household(app, OUTREACH, &[(1, 500)]).await;
    service(app, &seen[0], 100, 1).await;
    // Never seen since entering 370 days ago: leaves on the start date.
    let silent = household(app, OUTREACH, &[(1, 370)]).await;
    expected.insert(silent[0].1.clone(), ago(app, 370));
    // Entered 364 days ago: one day short.
    household(app, OUTREACH, &[(1, 364)]).await;
    // Night by night: the morning after the last bed night, 60 days ago.
    let sleeper = household(app, NIGHT_SHELTER, &[(1, 100)]).await;
    service(app, &sleeper[0], 61, 200).await;
    service(app, &sleeper[0], 60, 200).await;
    expected.insert(sleeper[0].1.clone(), ago(app, 59));
    // Referred by Coordinated Entry, waiting for the result: skipped.
    let referred = household(app, OUTREACH, &[(1, 400)]).await;
    open_referral(app, &referred[0].0).await;
    // A project without a setting: never touched.
    household(app, FAMILY_SHELTER, &[(1, 900)]).await;
    // The silent client's case assignment ends with the exit.
    let organization = organization_of(app, OUTREACH).await;
    assign(app, &silent[0], "hearth-system", &organization, ago(app, 370)).await;
    Scenario {
        expected,
        referred_head: referred[0].0.clone(),
        assigned_enrollment: silent[0].1.clone(),
        sleeper: sleeper[0].clone(),
        pair,
    }
}

fn dates(exits: &BTreeMap<String, (NaiveDate, i32, Option<String>, String)>) -> BTreeMap<String, NaiveDate> {
    exits.iter().map(|(k, v)| (k.clone(), v.0)).collect()
}

on_both_databases!(the_sweep_exits_exactly_the_households_due, |app| {
    app.seed_demo().await;
    let s = scenario(&app).await;
    // A dry run counts, lists whom it would exit (and skip) and why, and changes nothing.
    let dry = run(
        &app,
        SweepOptions {
            dry_run: true,
            keep_listed: 100,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((dry.households_exited, dry.enrollments_exited), (3, 4), "{dry:?}");
    assert!(exits(&app).await.is_empty());
    assert_eq!(
        dry.listed.len(),
        4,
        "three to exit, one skipped: {:?}",
        dry.listed
    );
    let listed = |head: &str| {
        dry.listed
            .iter()
            .find(|l| l.head_personal_id == head)
            .unwrap_or_else(|| panic!("{head} listed"))
    };
    let pair = listed(&s.pair[0].0);
    assert_eq!(
        pair.member_ids,
        [s.pair[0].0.clone(), s.pair[1].0.clone()],
        "head first"
    );
    assert_eq!(pair.last_service, Some(ago(&app, 400)));
    assert_eq!(pair.last_contact, Some(ago(&app, 380)));
    assert_eq!(pair.last_bed_night, None);
    assert_eq!(
        (pair.exit_date, pair.skipped.as_deref()),
        (Some(ago(&app, 380)), None)
    );
    let sleeper = listed(&s.sleeper.0);
    assert_eq!(sleeper.last_bed_night, Some(ago(&app, 60)));
    assert_eq!(sleeper.exit_date, Some(ago(&app, 59)));
    assert_eq!(sleeper.project_name, NIGHT_SHELTER);
    let referred = listed(&s.referred_head);
    assert_eq!(referred.exit_date, None);
    assert_eq!(
        referred.skipped.as_deref(),
        Some("open Coordinated Entry referral")
    );
    for l in &dry.listed {
        if let Some(on) = l.exit_date {
            let enrollment = s.expected.iter().find(|(_, d)| **d == on);
            assert!(enrollment.is_some(), "{l:?} exits on an expected date");
        }
    }
    // A dry run that keeps no list still counts.
    let counted = run(
        &app,
        SweepOptions {
            dry_run: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((counted.households_exited, counted.listed.len()), (3, 0));
    let report = run(&app, SweepOptions::default()).await.unwrap();
    assert_eq!(
        (report.households_exited, report.enrollments_exited),
        (3, 4),
        "{report:?}"
    );
    assert_eq!(report.skipped_count, 1);
    assert_eq!(report.skipped[0].head_personal_id, s.referred_head);
    let written = exits(&app).await;
    assert_eq!(dates(&written), s.expected);
    for (_, destination, reason, method) in written.values() {
        assert_eq!(*destination, 30);
        assert_eq!(reason.as_deref(), Some(app::db::entities::exit_reason::AUTO_EXIT));
        assert_eq!(method, "auto");
    }
    // The enrollment's exit date follows (the trigger), and the case assignment ended.
    let assignment = case_assignment::Entity::find()
        .filter(case_assignment::Column::EnrollmentId.eq(&s.assigned_enrollment))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        assignment.end_date,
        s.expected.get(&s.assigned_enrollment).copied()
    );
    let audited = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|a| a == "enrollment.auto_exit")
        .count();
    assert_eq!(audited, 4);
    // Idempotent: the next sweep finds nothing more.
    let again = run(&app, SweepOptions::default()).await.unwrap();
    assert_eq!((again.households_exited, again.skipped_count), (0, 1));
    assert_eq!(dates(&exits(&app).await), s.expected);
    // One project only.
    let night = run(
        &app,
        SweepOptions {
            dry_run: true,
            project_id: Some(project_id(&app, NIGHT_SHELTER).await),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((night.projects, night.households_exited), (1, 0));
});

on_both_databases!(a_sweep_stopped_halfway_is_finished_by_the_next, |app| {
    app.seed_demo().await;
    let s = scenario(&app).await;
    // The silent outreach household (swept last: the night shelter comes first by
    // name, then heads by start date) cannot be written.
    let on = ago(&app, 370);
    let failing: Vec<String> = match app.db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => vec![
            format!(
                "CREATE FUNCTION fail_exit() RETURNS trigger AS $$ BEGIN IF NEW.exit_date = DATE '{on}' \
                 THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER fail_exit BEFORE INSERT ON exits FOR EACH ROW EXECUTE FUNCTION fail_exit()"
                .into(),
        ],
        _ => vec![format!(
            "CREATE TRIGGER fail_exit BEFORE INSERT ON exits WHEN NEW.exit_date = '{on}' \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )],
    };
    for sql in failing {
        app.db.execute_unprepared(&sql).await.unwrap();
    }
    let stopped = run(&app, SweepOptions::default()).await;
    assert!(stopped.is_err(), "{stopped:?}");
    let halfway = dates(&exits(&app).await);
    assert_eq!(
        halfway.len(),
        3,
        "the night shelter's and the pair's: {halfway:?}"
    );
    // Whole households only: both members of the pair, or neither.
    for (enrollment, on) in &halfway {
        assert_eq!(s.expected.get(enrollment), Some(on));
    }
    let drop = match app.db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "DROP TRIGGER fail_exit ON exits",
        _ => "DROP TRIGGER fail_exit",
    };
    app.db.execute_unprepared(drop).await.unwrap();
    // The lease was given back: the next sweep runs and finishes the work.
    let rest = run(&app, SweepOptions::default()).await.unwrap();
    assert_eq!(rest.households_exited, 1, "{rest:?}");
    assert_eq!(dates(&exits(&app).await), s.expected);
});

on_both_databases!(two_sweeps_at_once_do_the_work_once, |app| {
    app.seed_demo().await;
    let s = scenario(&app).await;
    let (a, b) = tokio::join!(
        run(&app, SweepOptions::default()),
        run(&app, SweepOptions::default())
    );
    let exited: u64 = [&a, &b]
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|r| r.enrollments_exited)
        .sum();
    assert_eq!(exited, 4, "{a:?} {b:?}");
    for r in [&a, &b] {
        assert!(matches!(r, Ok(_) | Err(SweepError::Busy)), "{r:?}");
    }
    assert_eq!(dates(&exits(&app).await), s.expected);
    // A lease renewed just now by another server: this sweep does nothing.
    let now = app.state.now();
    exec(
        &app,
        "INSERT INTO sweep_locks (name, holder, acquired_at, renewed_at) VALUES ('auto_exit', 'elsewhere', ?, ?)",
        vec![now.into(), now.into()],
    )
    .await;
    assert!(matches!(
        run(&app, SweepOptions::default()).await,
        Err(SweepError::Busy)
    ));
    // Its server stopped renewing it: after ten minutes the lease is taken over.
    app.state.clock.advance(chrono::Duration::minutes(11));
    assert!(run(&app, SweepOptions::default()).await.is_ok());
});

/// PostgreSQL only (SQLite has one writer, so nothing can exit a household between the
/// sweep's read and its write): a case manager's exit of a household, still uncommitted
/// when the sweep writes its group of households, makes the group's statement wait and
/// then fail; the sweep then writes household by household — that one is left to the
/// case manager (counted as already exited), every other one exits, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exit_saved_during_the_sweep_leaves_that_household_to_it_on_postgresql() {
    use sea_orm::{ActiveModelTrait, TransactionTrait};
    let Some(app) = common::spawn(common::Backend::Postgres).await else {
        return;
    };
    app.seed_demo().await;
    let s = scenario(&app).await;
    // The case manager exits the two-member household, and has not committed yet.
    let theirs = app.db.begin().await.unwrap();
    for (personal_id, enrollment_id) in &s.pair {
        manual_exit(&app, personal_id, enrollment_id, app.state.today())
            .insert(&theirs)
            .await
            .unwrap();
    }
    let swept = tokio::spawn({
        let state = app.state.clone();
        async move {
            let clock = || state.now();
            let actor = app::db::audit::Actor::system("test sweep");
            sweep(
                &state.db,
                state.today(),
                &clock,
                &actor,
                &SweepOptions::default(),
                &mut |_| {},
            )
            .await
        }
    });
    // The sweep's write waits for the case manager's uncommitted exits.
    let mut waited = false;
    for _ in 0..400 {
        let waiting: i64 = common::one(
            &app.db,
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
             AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO exits%'",
        )
        .await;
        if waiting > 0 {
            waited = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(waited, "the sweep's exits waited for the case manager's");
    theirs.commit().await.unwrap();
    let report = swept.await.unwrap().expect("the sweep finishes");
    assert_eq!(report.already_exited, 1, "{report:?}");
    assert_eq!(report.households_exited, 2, "{report:?}");
    let exits = exits(&app).await;
    for (_, enrollment_id) in &s.pair {
        assert_eq!(exits[enrollment_id].3, "manual", "the case manager's exit stands");
    }
    let mut expected = s.expected.clone();
    for (_, enrollment_id) in &s.pair {
        expected.insert(enrollment_id.clone(), app.state.today());
    }
    assert_eq!(dates(&exits), expected);
}

async fn overview(app: &common::TestApp, who: &reqwest::Client) -> AutoExitOverview {
    ok_json(app.call_as(who, "auto_exit_overview", &[]).await).await
}

on_both_databases!(hmis_admins_run_sweeps_from_the_page, |app| {
    app.seed_demo().await;
    let s = scenario(&app).await;
    let admin = app.signed_in("admin").await;
    let listed = overview(&app, &admin).await;
    let names: Vec<&str> = listed.projects.iter().map(|p| p.project_name.as_str()).collect();
    assert_eq!(names, [NIGHT_SHELTER, OUTREACH, SERVICES_ONLY]);
    // Bad input: clear messages, nothing queued.
    refused(
        app.call_as(&admin, "start_auto_exit", &[("project_id", "nope")])
            .await,
        422,
        "Choose a project from the list.",
    )
    .await;
    let family = project_id(&app, FAMILY_SHELTER).await;
    refused(
        app.call_as(&admin, "start_auto_exit", &[("project_id", &family)])
            .await,
        422,
        "no auto-exit setting",
    )
    .await;
    assert_eq!(count(&app, job_run::Entity).await, 0);
    // Others may not: a case manager, an agency admin, nobody signed in.
    for who in ["casemanager", "agencyadmin"] {
        let user = app.signed_in(who).await;
        assert_eq!(
            app.call_as(&user, "start_auto_exit", &[]).await.status(),
            403,
            "{who}"
        );
        assert_eq!(
            app.call_as(&user, "auto_exit_overview", &[]).await.status(),
            403,
            "{who}"
        );
    }
    assert_eq!(app.call("start_auto_exit", &[]).await.status(), 401);
    assert_eq!(app.call("auto_exit_overview", &[]).await.status(), 401);
    assert_eq!(count(&app, job_run::Entity).await, 0);
    // A dry run first: its page lists every household it would exit or skip.
    let dry = ok_json::<String>(app.call_as(&admin, "start_auto_exit", &[("dry_run", "on")]).await).await;
    let mut done = false;
    for _ in 0..100 {
        if overview(&app, &admin)
            .await
            .runs
            .first()
            .is_some_and(|r| !r.state.busy())
        {
            done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(done, "the dry run finished");
    assert!(exits(&app).await.is_empty(), "a dry run changes nothing");
    let page: DryRunPage = ok_json(
        app.call_as(&admin, "auto_exit_dry_run", &[("job_run_id", &dry)])
            .await,
    )
    .await;
    assert_eq!(
        (page.would_exit, page.enrollments, page.skipped, page.listed),
        (3, 4, 1, 4)
    );
    assert!(!page.has_more);
    let pair = page
        .rows
        .iter()
        .find(|r| r.head_personal_id == s.pair[0].0)
        .expect("the pair is listed");
    assert_eq!(pair.members.len(), 2);
    assert_eq!(pair.exit_date, Some(ago(&app, 380)));
    let referred = page
        .rows
        .iter()
        .find(|r| r.head_personal_id == s.referred_head)
        .expect("the referred household is listed");
    assert_eq!(
        referred.skipped.as_deref(),
        Some("open Coordinated Entry referral")
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"auto_exit.dry_run_view".to_string())
    );
    // The page itself, as a browser loads it.
    let html = admin
        .get(app.url(&format!("/admin/auto-exit/runs/{dry}")))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    assert!(html.contains(&pair.head_name) && html.contains("Skipped: open Coordinated Entry referral"));
    // Others may not see it; an unknown run is not found.
    let casey = app.signed_in("casemanager").await;
    refused(
        app.call_as(&casey, "auto_exit_dry_run", &[("job_run_id", &dry)])
            .await,
        403,
        "",
    )
    .await;
    refused(
        app.call("auto_exit_dry_run", &[("job_run_id", &dry)]).await,
        401,
        "",
    )
    .await;
    refused(
        app.call_as(&admin, "auto_exit_dry_run", &[("job_run_id", "nope")])
            .await,
        404,
        "",
    )
    .await;
    // The admin's sweep runs in the background; the page shows its counts and skips.
    let response = app.call_as(&admin, "start_auto_exit", &[]).await;
    assert_eq!(
        response.status(),
        200,
        "{}",
        response.text().await.unwrap_or_default()
    );
    let mut run = None;
    for _ in 0..100 {
        let listed = overview(&app, &admin).await;
        if let Some(r) = listed.runs.first().filter(|r| !r.state.busy()) {
            run = Some(r.clone());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let run = run.expect("the sweep finished");
    assert_eq!(run.state, app::jobs::JobState::Done, "{run:?}");
    assert_eq!(run.started_by.as_deref(), Some("admin"));
    assert!(
        run.message
            .as_deref()
            .unwrap_or("")
            .contains("exited 3 household(s) (4 enrollment(s))"),
        "{run:?}"
    );
    assert_eq!(run.skipped.len(), 1);
    assert_eq!(run.skipped[0].head_personal_id, s.referred_head);
    assert_eq!(dates(&exits(&app).await), s.expected);
    assert!(app.audit_actions().await.contains(&"auto_exit.start".to_string()));
    // A sweep that ran for real has no dry-run list.
    let real = run.job_run_id.clone();
    refused(
        app.call_as(&admin, "auto_exit_dry_run", &[("job_run_id", &real)])
            .await,
        404,
        "",
    )
    .await;
});

on_both_databases!(the_daily_sweep_is_queued_once_a_day, |app| {
    use app::features::auto_exit::service::queue_daily;
    let today = app.state.today();
    assert!(queue_daily(&app.state, today).await.unwrap());
    assert!(
        !queue_daily(&app.state, today).await.unwrap(),
        "a second server finds it queued"
    );
    assert!(queue_daily(&app.state, today.succ_opt().unwrap()).await.unwrap());
});

on_both_databases!(case_workers_see_households_approaching_auto_exit, |app| {
    use app::features::auto_exit::api::{ApproachingCounts, ApproachingPage};
    app.seed_demo().await;
    let s = scenario(&app).await;
    // Past the outreach project's alert age (300 days), not yet its exit age.
    let alerting = household(&app, OUTREACH, &[(1, 320)]).await;
    let olivia = app.signed_in("outreach").await;
    let olivia_id = user_id(&app, "outreach").await;
    let organization = organization_of(&app, OUTREACH).await;
    assign(&app, &alerting[0], &olivia_id, &organization, ago(&app, 320)).await;
    let page: ApproachingPage = ok_json(app.call_as(&olivia, "approaching_auto_exit", &[]).await).await;
    // Due (the pair, the silent one, the night shelter's, the referred one) and past
    // the alert (364 and 320 days), soonest exit first; the one seen 100 days ago is not.
    assert_eq!(page.rows.len(), 6, "{:?}", page.rows);
    let exits: Vec<NaiveDate> = page.rows.iter().map(|r| r.exits_on).collect();
    let mut sorted = exits.clone();
    sorted.sort();
    assert_eq!(exits, sorted);
    let last = page.rows.last().unwrap();
    assert_eq!(last.head_personal_id, alerting[0].0);
    assert_eq!((last.days_inactive, last.exits_on), (320, ago(&app, 320 - 365)));
    assert_eq!(last.head_name, "Test Sweep");
    let held: Vec<&str> = page
        .rows
        .iter()
        .filter(|r| r.held_by_referral)
        .map(|r| r.head_personal_id.as_str())
        .collect();
    assert_eq!(held, [s.referred_head.as_str()]);
    let pair = page.rows.iter().find(|r| r.members == 2).expect("the pair");
    assert_eq!(pair.last_activity, ago(&app, 380));
    // Only my case assignments.
    let mine: ApproachingPage = ok_json(
        app.call_as(&olivia, "approaching_auto_exit", &[("filter[mine]", "yes")])
            .await,
    )
    .await;
    assert_eq!(mine.rows.len(), 1);
    let counts: Option<ApproachingCounts> =
        ok_json(app.call_as(&olivia, "approaching_auto_exit_counts", &[]).await).await;
    let counts = counts.expect("a case manager sees the card");
    assert_eq!((counts.organization, counts.mine), (6, 1));
    // The CSV matches the screen.
    let csv = olivia
        .get(app.url("/reports/approaching-auto-exit.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let body = csv.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert!(
        lines[0].starts_with("HeadPersonalID,HeadOfHousehold"),
        "{}",
        lines[0]
    );
    let csv_heads: Vec<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap()).collect();
    let screen_heads: Vec<&str> = page.rows.iter().map(|r| r.head_personal_id.as_str()).collect();
    assert_eq!(csv_heads, screen_heads);
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"auto_exit_alerts.view".to_string()));
    assert!(actions.contains(&"auto_exit_alerts.export".to_string()));
    // After the sweep only those not due yet, and the held one, remain.
    run(&app, SweepOptions::default()).await.unwrap();
    let after: ApproachingPage = ok_json(app.call_as(&olivia, "approaching_auto_exit", &[]).await).await;
    assert_eq!(after.rows.len(), 3, "{:?}", after.rows);
    // Another organization's case manager: not this organization's households.
    let casey = app.signed_in("casemanager").await;
    let theirs = app
        .call_as(
            &casey,
            "approaching_auto_exit",
            &[("filter[organization_id]", &organization)],
        )
        .await;
    assert_eq!(theirs.status(), 403);
    let outreach_project = project_id(&app, OUTREACH).await;
    let their_project = app
        .call_as(
            &casey,
            "approaching_auto_exit",
            &[("filter[project_id]", &outreach_project)],
        )
        .await;
    assert_eq!(their_project.status(), 403, "another organization's project");
    let unknown: ApproachingPage = ok_json(
        app.call_as(
            &olivia,
            "approaching_auto_exit",
            &[("filter[project_id]", "no-such-project")],
        )
        .await,
    )
    .await;
    assert!(unknown.rows.is_empty(), "an unknown project lists nothing");
    let own: ApproachingPage = ok_json(app.call_as(&casey, "approaching_auto_exit", &[]).await).await;
    assert!(own.rows.is_empty(), "{:?}", own.rows);
    let none: Option<ApproachingCounts> =
        ok_json(app.call_as(&casey, "approaching_auto_exit_counts", &[]).await).await;
    assert_eq!(none.map(|c| c.organization), Some(0));
    // An HMIS admin: the card counts the acting organization (the lead agency runs no
    // project), the report the whole CoC.
    let admin = app.signed_in("admin").await;
    let lead: Option<ApproachingCounts> =
        ok_json(app.call_as(&admin, "approaching_auto_exit_counts", &[]).await).await;
    assert_eq!(lead.map(|c| c.organization), Some(0));
    let coc: ApproachingPage = ok_json(app.call_as(&admin, "approaching_auto_exit", &[]).await).await;
    assert_eq!(coc.rows.len(), 3);
    // Nobody signed in.
    assert_eq!(app.call("approaching_auto_exit", &[]).await.status(), 401);
    assert_eq!(
        app.client
            .get(app.url("/reports/approaching-auto-exit.csv"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
});
