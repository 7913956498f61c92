//! Defects found by using Hearth as its users do (issue 19), pinned on both databases:
//! one page load runs its data once, a returning client with an SSN on file can be
//! enrolled, a client the user may not see answers 404, and signing in over a dead or
//! another user's session works at once.

mod common;

use common::workflow::*;

use app::db::entities::{audit_log, client, session};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// The audit rows written since `since` (an earlier count), by action.
async fn audit_since(app: &common::TestApp, since: usize) -> Vec<String> {
    app.audit_actions().await.split_off(since)
}

/// A plain page load (as a browser without JavaScript makes it): status and HTML.
async fn page(app: &common::TestApp, who: &reqwest::Client, path: &str) -> (u16, String) {
    let response = who
        .get(app.url(path))
        .header("Accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .expect("page request");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// A one-person household enrolled in the Riverside shelter by Casey; its PersonalID.
async fn enrolled_client(app: &common::TestApp, casey: &reqwest::Client, first: &str, last: &str) -> String {
    let (draft, ids) = intake(
        app,
        casey,
        &[(first, last, "1975-06-06", "1")],
        "Riverside Family Shelter",
        &today(app),
    )
    .await;
    ok_url(
        app.call_as(casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    ids[0].clone()
}

on_both_databases!(one_page_load_runs_its_data_once_and_audits_once, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let rene = enrolled_client(&app, &casey, "Rene", "Walker").await;
    let admin = app.signed_in("admin").await;
    let supervisor = app.signed_in("supervisor").await;
    let plm = app.signed_in("plm").await;
    let pages: [(&reqwest::Client, String, &str, &str); 6] = [
        (&casey, format!("/clients/{rene}"), "client.view", "Rene Walker"),
        (
            &admin,
            format!("/admin/audit?personal_id={rene}"),
            "audit_log_viewed",
            "Audit log",
        ),
        (&casey, "/annual-assessments".into(), "annual_tool.view", "Annual"),
        (
            &plm,
            "/coordinated-entry".into(),
            "ce_priority.view",
            "Priority List",
        ),
        (
            &supervisor,
            "/reports/data-quality".into(),
            "data_quality.view",
            "Data quality",
        ),
        (&supervisor, "/caseloads".into(), "caseloads.view", "Caseloads"),
    ];
    for (who, path, action, shows) in pages {
        let before = app.audit_actions().await.len();
        let (status, html) = page(&app, who, &path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(shows), "{path} shows {shows:?}");
        let written = audit_since(&app, before).await;
        assert_eq!(
            written,
            [action],
            "{path}: one load, one run of its data, one audit row"
        );
    }
});

/// Holds the database's write lock on the audit log (another connection's open
/// transaction) until the returned transaction ends.
async fn hold_audit_log(app: &common::TestApp) -> sea_orm::DatabaseTransaction {
    use sea_orm::ConnectionTrait;
    let other = app::db::connect(app.database_url())
        .await
        .expect("second connection");
    let txn = app::db::begin_write(&other).await.expect("write transaction");
    if matches!(app.backend, common::Backend::Postgres) {
        txn.execute_unprepared("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
            .await
            .expect("lock audit_log");
    }
    txn
}

on_both_databases!(
    a_view_is_audited_without_waiting_for_the_writer_and_a_clean_stop_writes_it,
    |app| {
        app.seed_demo().await;
        let casey = app.signed_in("casemanager").await;
        let rene = enrolled_client(&app, &casey, "Rene", "Walker").await;
        let before = app.audit_actions().await.len();
        // Another writer holds the database: the pages are still served at once; their
        // audit rows wait in the queue.
        let lock = hold_audit_log(&app).await;
        let path = format!("/clients/{rene}");
        let loads = (0..8).map(|_| page(&app, &casey, &path));
        for (status, html) in futures_util::future::join_all(loads).await {
            assert_eq!(status, 200);
            assert!(html.contains("Rene Walker"));
        }
        let written = audit_log::Entity::find().count(&app.db).await.unwrap() as usize;
        assert_eq!(written, before, "nothing written while the database is held");
        // A clean stop does not end before the queued views are written.
        let stopping = app.stop();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!stopping.is_finished(), "the server waits for its queued views");
        lock.rollback().await.expect("release");
        stopping
            .await
            .expect("server task")
            .expect("server stops cleanly");
        let views = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("client.view"))
            .filter(audit_log::Column::PersonalId.eq(&rene))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(views, 8, "every view audited, once");
    }
);

on_both_databases!(a_client_the_user_may_not_see_answers_404, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let (status, html) = page(&app, &casey, "/clients/no-such-client").await;
    assert_eq!(status, 404, "unknown client");
    assert!(html.contains("not found") || html.contains("Not found"), "{html}");
    let rene = enrolled_client(&app, &casey, "Rene", "Walker").await;
    let (status, _) = page(&app, &casey, &format!("/clients/{rene}")).await;
    assert_eq!(status, 200);
    // Another organization's case manager sees the shared demographics, but a client
    // known only to a victim service provider is invisible to everyone else.
    client::Entity::update_many()
        .col_expr(
            client::Column::DateDeleted,
            sea_orm::sea_query::Expr::value(app.state.now()),
        )
        .filter(client::Column::PersonalId.eq(&rene))
        .exec(&app.db)
        .await
        .unwrap();
    let (status, _) = page(&app, &casey, &format!("/clients/{rene}")).await;
    assert_eq!(status, 404, "a deleted client");
    // Signed out: the page sends the browser to sign in.
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (status, _) = page(&app, &anonymous, &format!("/clients/{rene}")).await;
    assert!(
        status == 302 || status == 303 || status == 307,
        "signed out: {status}"
    );
});

on_both_databases!(a_returning_client_with_an_ssn_on_file_can_be_enrolled, |app| {
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    // Dana's first intake records her full SSN.
    let draft = start_new(&app, &casey, "Dana", "Okafor").await;
    let dana = members(&app, &casey, &draft).await[0].clone();
    saved(
        &app,
        &casey,
        &draft,
        "household",
        &[(&format!("rel_{dana}"), "1")],
    )
    .await;
    let shelter = project_id(&app, "Riverside Family Shelter").await;
    let entry = days_ago(&app, 30);
    saved(
        &app,
        &casey,
        &draft,
        "enrollment",
        &[
            ("project_id", &shelter),
            ("entry_date", &entry),
            (&format!("enroll_{dana}"), "yes"),
        ],
    )
    .await;
    let mut answers = client_answers("Dana", "Okafor", "1979-03-03");
    answers.retain(|(k, _)| *k != "ssn_data_quality");
    answers.extend([("ssn_data_quality", "1"), ("ssn", "123-45-6789")]);
    saved(&app, &casey, &draft, &format!("client-{dana}"), &answers).await;
    saved(&app, &casey, &draft, &format!("entry-{dana}"), ADULT_ENTRY).await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    let sealed = client::Entity::find_by_id(dana.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .ssn_encrypted;
    assert!(sealed.is_some());

    // She left two days ago and comes back: the intake of a known client, SSN on file.
    let enrollment = enrollment_of(&app, &dana).await;
    common::households::exit_on(&app, &(dana.clone(), enrollment), 2, 1).await;

    let again = draft_of(
        &ok_url(
            app.call_as(&casey, "start_intake", &[("personal_id", &dana)])
                .await,
        )
        .await,
    );
    saved(
        &app,
        &casey,
        &again,
        "household",
        &[(&format!("rel_{dana}"), "1")],
    )
    .await;
    saved(
        &app,
        &casey,
        &again,
        "enrollment",
        &[
            ("project_id", &shelter),
            ("entry_date", &today(&app)),
            (&format!("enroll_{dana}"), "yes"),
        ],
    )
    .await;
    // "Save & Continue" with what the page shows (the SSN itself is never shown) …
    let step = format!("client-{dana}");
    let shown = shown(&app, &casey, &again, &step).await;
    assert!(
        shown.contains(&("ssn_data_quality".to_string(), "1".to_string())),
        "{shown:?}"
    );
    save_as_shown(&app, &casey, &again, &step).await;
    // … and "No Changes" (the same form, the other button) are both accepted.
    let mut form: Vec<(String, String)> = vec![
        ("draft_id".into(), again.clone()),
        ("step".into(), step.clone()),
        ("intent".into(), "no_changes".into()),
    ];
    form.extend(shown.iter().map(|(k, v)| (format!("answers[{k}]"), v.clone())));
    ok_url(
        casey
            .post(app.url("/api/save_workflow_step"))
            .header("Accept", "application/json")
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    saved(&app, &casey, &again, &format!("entry-{dana}"), ADULT_ENTRY).await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &again)])
            .await,
    )
    .await;
    let record = client::Entity::find_by_id(dana.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.ssn_encrypted, sealed, "the SSN on file is kept as it was");
    assert_eq!(record.ssn_last4.as_deref(), Some("6789"));
});

on_both_databases!(signing_in_over_a_dead_or_another_users_session, |app| {
    app.seed_demo().await;
    // A browser that still holds a cookie of a session that has ended.
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = |username: &'static str| {
        browser
            .post(app.url("/api/login"))
            .header("Accept", "application/json")
            .form(&[
                ("username", username),
                ("password", hearth_demo::accounts::DEMO_PASSWORD),
            ])
            .send()
    };
    assert_eq!(login("casemanager").await.unwrap().status(), 200);
    session::Entity::delete_many().exec(&app.db).await.unwrap();
    let response = login("casemanager").await.unwrap();
    assert_eq!(response.status(), 200);
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    assert_eq!(cookies.len(), 1, "one cookie, the new session's: {cookies:?}");
    assert!(!cookies[0].contains("Max-Age=0"), "{cookies:?}");
    // One sign-in was enough: the session works.
    let me = app.call_as(&browser, "search_clients", &[("q", "ren")]).await;
    assert_eq!(me.status(), 200, "signed in after one try");

    // Signing in as another user in the same browser ends the first user's session.
    assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 1);
    assert_eq!(login("supervisor").await.unwrap().status(), 200);
    let left: Vec<String> = session::Entity::find()
        .find_also_related(app::db::entities::user::Entity)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|(_, u)| u.map(|u| u.username))
        .collect();
    assert_eq!(left, ["supervisor"]);
    let replaced = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("logout"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(replaced, 1, "the ended session is audited");
});

on_both_databases!(members_who_exited_together_re_enter_together, |app| {
    use app::features::exits::api::ReEnterPreview;
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let (draft, ids) = intake(
        &app,
        &casey,
        &[
            ("Uma", "Reed", "1980-01-01", "1"),
            ("Vic", "Reed", "1981-02-02", "3"),
            ("Wes", "Reed", "2015-03-03", "2"),
        ],
        "Riverside Family Shelter",
        &days_ago(&app, 20),
    )
    .await;
    ok_url(
        app.call_as(&casey, "finish_workflow", &[("draft_id", &draft)])
            .await,
    )
    .await;
    let mut enrollments = Vec::new();
    for id in &ids {
        let e = enrollment_of(&app, id).await;
        common::households::exit_on(&app, &(id.clone(), e.clone()), 3, 1).await;
        enrollments.push(e);
    }
    let open = |app: &common::TestApp| {
        let ids = enrollments.clone();
        let db = app.db.clone();
        async move {
            let mut open = Vec::new();
            for e in ids {
                use app::db::entities::exit;
                let live = exit::Entity::find()
                    .filter(exit::Column::EnrollmentId.eq(e.clone()))
                    .filter(exit::Column::DateDeleted.is_null())
                    .count(&db)
                    .await
                    .unwrap();
                open.push(live == 0);
            }
            open
        }
    };
    // From the child's menu: the head and the spouse exited the same day.
    let preview: ReEnterPreview = ok_json(
        app.call_as(&casey, "get_re_enter", &[("enrollment_id", &enrollments[2])])
            .await,
    )
    .await;
    let offered: Vec<(&str, bool)> = preview
        .together
        .iter()
        .map(|m| (m.client_name.as_str(), m.head))
        .collect();
    assert_eq!(offered, [("Uma Reed", true), ("Vic Reed", false)]);
    // The child alone would leave the household without its head: refused, nothing changed.
    refused(
        app.call_as(
            &casey,
            "re_enter_enrollment",
            &[("enrollment_id", &enrollments[2])],
        )
        .await,
        409,
        "re-enter the head of household",
    )
    .await;
    assert_eq!(open(&app).await, [false, false, false]);
    // Someone outside the household, or another organization's user: refused.
    let stranger = enrolled_client(&app, &casey, "Xan", "Cole").await;
    let stranger_enrollment = enrollment_of(&app, &stranger).await;
    let key = app::features::exits::api::together_field(&stranger_enrollment);
    refused(
        app.call_as(
            &casey,
            "re_enter_enrollment",
            &[("enrollment_id", &enrollments[2]), (&key, "yes")],
        )
        .await,
        422,
        "exited on the same day",
    )
    .await;
    let olivia = app.signed_in("outreach").await;
    assert_eq!(
        app.call_as(
            &olivia,
            "re_enter_enrollment",
            &[("enrollment_id", &enrollments[0])]
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.call("re_enter_enrollment", &[("enrollment_id", &enrollments[0])])
            .await
            .status(),
        401
    );
    assert_eq!(open(&app).await, [false, false, false]);
    // The child with the head (the spouse left out): both open again, one transaction.
    let head = app::features::exits::api::together_field(&enrollments[0]);
    ok_url(
        app.call_as(
            &casey,
            "re_enter_enrollment",
            &[("enrollment_id", &enrollments[2]), (&head, "yes")],
        )
        .await,
    )
    .await;
    assert_eq!(open(&app).await, [true, false, true]);
    let re_entered = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|a| a == "enrollment.re_enter")
        .count();
    assert_eq!(re_entered, 2);
    // The spouse re-enters alone later: the head is open.
    ok_url(
        app.call_as(
            &casey,
            "re_enter_enrollment",
            &[("enrollment_id", &enrollments[1])],
        )
        .await,
    )
    .await;
    assert_eq!(open(&app).await, [true, true, true]);
});

on_both_databases!(times_people_read_are_in_the_coc_zone, |app| {
    use app::features::admin::api::AuditPage;
    use app::features::workflows::api::{MyDraft, WorkflowView};
    app.seed_demo().await;
    let casey = app.signed_in("casemanager").await;
    let draft = start_new(&app, &casey, "Tia", "Moss").await;
    let saved = app::db::entities::workflow_draft::Entity::find_by_id(draft.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .updated_at;
    // What a clock on the wall of the CoC says (America/Chicago unless configured).
    let local = |at: chrono::DateTime<chrono::Utc>, format: &str| {
        at.with_timezone(&app.state.time_zone).format(format).to_string()
    };
    let drafts: Vec<MyDraft> = ok_json(app.call_as(&casey, "my_drafts", &[]).await).await;
    assert_eq!(drafts[0].saved_at, local(saved, "%b %-d, %Y %-I:%M %p"));
    let w: WorkflowView = view(&app, &casey, &draft, "household").await;
    assert_eq!(w.saved_at, local(saved, "%b %-d, %Y %-I:%M %p"));
    assert!(!w.saved_at.contains("UTC"));
    let admin = app.signed_in("admin").await;
    let audit: AuditPage = ok_json(app.call_as(&admin, "search_audit_log", &[]).await).await;
    assert!(!audit.rows.is_empty());
    for row in &audit.rows {
        assert_eq!(row.when, local(row.at, "%b %-d, %Y %-I:%M:%S %p"));
    }
    // The page shows the same text (the server formats it; the browser knows no zone).
    let (status, html) = page(&app, &admin, "/admin/audit").await;
    assert_eq!(status, 200);
    assert!(html.contains(&audit.rows[0].when), "{}", audit.rows[0].when);
});
