//! Two-step sign-in (TOTP), per-address rate limiting and access rows, over HTTP on
//! both databases: allowed, refused (no session, wrong organization or workgroup) and
//! bad input.

mod common;

use app::error::AppError;
use app::features::access::api::{Next, TotpEnrollment};
use app::features::admin::api::UserRow;
use app::session::SessionInfo;
use hearth_demo::accounts::DEMO_PASSWORD;
use sea_orm::EntityTrait;

/// A client that keeps cookies and does not follow redirects.
fn fresh_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn session_of(app: &common::TestApp, client: &reqwest::Client) -> Option<SessionInfo> {
    app.call_as(client, "session", &[]).await.json().await.unwrap()
}

/// The code an authenticator app shows now for the enrolment's secret.
fn code_now(app: &common::TestApp, enrollment: &TotpEnrollment, offset_seconds: i64) -> String {
    let totp = totp_rs::Totp::from_url(&enrollment.otpauth_url).expect("a valid otpauth URL");
    let at = app.state.now().timestamp() + offset_seconds;
    totp.generate(u64::try_from(at).unwrap()).to_string()
}

/// Enrols `username` (signed in on `client`) and returns the enrolment.
async fn enrol(app: &common::TestApp, client: &reqwest::Client) -> TotpEnrollment {
    let response = app.call_as(client, "start_two_step", &[]).await;
    assert_eq!(response.status(), 200);
    let enrollment: TotpEnrollment = response.json().await.unwrap();
    let code = code_now(app, &enrollment, 0);
    let response = app.call_as(client, "confirm_two_step", &[("code", &code)]).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    enrollment
}

async fn password_step(app: &common::TestApp, client: &reqwest::Client, username: &str) -> Next {
    let response = app
        .call_as(
            client,
            "login",
            &[("username", username), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

on_both_databases!(enrolling_needs_a_right_code_and_seals_the_secret, |app| {
    app.seed_demo().await;
    let client = app.signed_in("casemanager").await;
    let response = app.call_as(&client, "start_two_step", &[]).await;
    let enrollment: TotpEnrollment = response.json().await.unwrap();
    assert!(
        enrollment
            .otpauth_url
            .starts_with("otpauth://totp/Hearth:casemanager?")
    );
    assert!(enrollment.qr_svg.starts_with("<svg"));
    // Asking again (e.g. the page re-rendered after a wrong code) shows the same secret.
    let again: TotpEnrollment = app
        .call_as(&client, "start_two_step", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.secret, enrollment.secret);

    // A wrong code: nothing changes.
    let wrong = app
        .call_as(&client, "confirm_two_step", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status(), 422);
    let error: AppError = wrong.json().await.unwrap();
    assert!(error.message_for("code").unwrap().contains("not right"));
    assert!(!session_of(&app, &client).await.unwrap().second_factor);

    let code = code_now(&app, &enrollment, 0);
    let response = app.call_as(&client, "confirm_two_step", &[("code", &code)]).await;
    assert_eq!(response.status(), 200);
    assert!(session_of(&app, &client).await.unwrap().second_factor);
    assert!(
        app.audit_actions()
            .await
            .contains(&"second_factor_enabled".to_string())
    );

    // The database holds the secret sealed, not in base32 or raw.
    let stored = app::db::entities::user::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username == "casemanager")
        .unwrap();
    let sealed = stored.totp_secret.expect("enrolled");
    assert!(sealed.starts_with("v1."));
    assert!(!sealed.contains(&enrollment.secret.replace(' ', "")));
    assert_eq!(stored.totp_pending_secret, None);

    // Enrolling twice is refused; without a session, everything is.
    let twice = app.call_as(&client, "start_two_step", &[]).await;
    assert_eq!(twice.status(), 409);
    assert_eq!(app.call("start_two_step", &[]).await.status(), 401);
    assert_eq!(
        app.call("confirm_two_step", &[("code", "123456")]).await.status(),
        401
    );
    assert_eq!(
        app.call("turn_off_two_step", &[("password", DEMO_PASSWORD)])
            .await
            .status(),
        401
    );
});

on_both_databases!(signing_in_with_two_step_needs_the_code_once, |app| {
    app.seed_demo().await;
    let setup = app.signed_in("casemanager").await;
    let enrollment = enrol(&app, &setup).await;
    app.state.clock.advance(chrono::Duration::seconds(60));

    let client = fresh_client();
    let next = password_step(&app, &client, "casemanager").await;
    assert_eq!(next.path, "/login/code");
    // The password alone opens nothing.
    assert_eq!(session_of(&app, &client).await, None);
    assert_eq!(app.call_as(&client, "system_status", &[]).await.status(), 401);
    let pending: bool = app
        .call_as(&client, "login_pending", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(pending);

    let wrong = app.call_as(&client, "login_code", &[("code", "12345")]).await;
    assert_eq!(wrong.status(), 422);
    let empty = app.call_as(&client, "login_code", &[("code", " ")]).await;
    assert_eq!(empty.status(), 422);

    let code = code_now(&app, &enrollment, 0);
    let right = app.call_as(&client, "login_code", &[("code", &code)]).await;
    assert_eq!(right.status(), 200);
    let next: Next = right.json().await.unwrap();
    assert_eq!(next.path, "/");
    let session = session_of(&app, &client).await.expect("signed in");
    assert!(session.second_factor);
    let actions = app.audit_actions().await;
    assert!(
        actions.ends_with(&[
            "login_code_required".to_string(),
            "login_code_failed".to_string(),
            "login".to_string()
        ]),
        "{actions:?}"
    );

    // The same code does not work twice.
    let other = fresh_client();
    password_step(&app, &other, "casemanager").await;
    let reused = app.call_as(&other, "login_code", &[("code", &code)]).await;
    assert_eq!(reused.status(), 422);

    // A code without a password step is refused.
    assert_eq!(app.call("login_code", &[("code", &code)]).await.status(), 409);
});

on_both_databases!(wrong_codes_lock_the_account_and_pending_sign_ins_expire, |app| {
    app.seed_demo().await;
    let setup = app.signed_in("outreach").await;
    let enrollment = enrol(&app, &setup).await;

    let client = fresh_client();
    password_step(&app, &client, "outreach").await;
    for attempt in 1..=5 {
        let response = app.call_as(&client, "login_code", &[("code", "000000")]).await;
        let error: AppError = response.json().await.unwrap();
        if attempt < 5 {
            assert!(
                error.message_for("code").is_some(),
                "attempt {attempt}: {error:?}"
            );
        } else {
            assert!(error.to_string().contains("locked"), "{error}");
        }
    }
    // The waiting sign-in is gone and the account is locked, even with a right code.
    let pending: bool = app
        .call_as(&client, "login_pending", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(!pending);
    let response = app
        .call_as(
            &client,
            "login",
            &[("username", "outreach"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 409);
    assert!(app.audit_actions().await.contains(&"account_locked".to_string()));

    // After the lockout, a sign-in that waits more than five minutes for its code lapses.
    app.state.clock.advance(chrono::Duration::minutes(15));
    let late = fresh_client();
    password_step(&app, &late, "outreach").await;
    app.state.clock.advance(chrono::Duration::minutes(6));
    let code = code_now(&app, &enrollment, 0);
    let response = app.call_as(&late, "login_code", &[("code", &code)]).await;
    assert_eq!(response.status(), 409);
    let error: AppError = response.json().await.unwrap();
    assert!(error.to_string().contains("timed out"), "{error}");
});

on_both_databases!(two_step_is_turned_off_by_the_user_or_an_admin, |app| {
    app.seed_demo().await;
    let user = app.signed_in("casemanager").await;
    enrol(&app, &user).await;

    // The user needs their password.
    let wrong = app
        .call_as(&user, "turn_off_two_step", &[("password", "not-it-1")])
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(session_of(&app, &user).await.unwrap().second_factor);
    let right = app
        .call_as(&user, "turn_off_two_step", &[("password", DEMO_PASSWORD)])
        .await;
    assert_eq!(right.status(), 200);
    assert!(!session_of(&app, &user).await.unwrap().second_factor);
    enrol(&app, &user).await;

    let user_id = app::db::entities::user::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username == "casemanager")
        .unwrap()
        .user_id;
    // A case manager, an agency admin of another organization, and nobody are refused.
    let peer = app.signed_in("supervisor").await;
    assert_eq!(
        app.call_as(&peer, "reset_user_two_step", &[("user_id", &user_id)])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call("reset_user_two_step", &[("user_id", &user_id)])
            .await
            .status(),
        401
    );
    let agency = app.signed_in("agencyadmin").await;
    let response = app
        .call_as(&agency, "reset_user_two_step", &[("user_id", &user_id)])
        .await;
    assert_eq!(response.status(), 200);
    let row: UserRow = app
        .call_as(&agency, "get_user", &[("user_id", &user_id)])
        .await
        .json()
        .await
        .unwrap();
    assert!(!row.second_factor);
    assert!(
        app.audit_actions()
            .await
            .contains(&"second_factor_reset".to_string())
    );
    // The password alone signs in again.
    let next = password_step(&app, &fresh_client(), "casemanager").await;
    assert_eq!(next.path, "/");
    // Unknown users are not found.
    let response = app
        .call_as(&agency, "reset_user_two_step", &[("user_id", "nope")])
        .await;
    assert_eq!(response.status(), 404);
});

on_both_databases!(many_failures_from_one_address_are_slowed_down, |app| {
    app.seed_demo().await;
    // Twenty wrong passwords spread over many usernames (no account locks) …
    for n in 0..20 {
        let username = format!("guess{n}");
        let response = app
            .client
            .post(app.url("/api/login"))
            .header("Accept", "application/json")
            // A client-supplied X-Forwarded-For is ignored unless a proxy is trusted.
            .header("X-Forwarded-For", format!("198.51.100.{n}"))
            .form(&[("username", username.as_str()), ("password", "Wrong-pass-1")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 409);
    }
    // … and the address must wait, even with a right password.
    let response = app
        .call(
            "login",
            &[("username", "casemanager"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 429);
    let error: AppError = response.json().await.unwrap();
    assert!(error.to_string().contains("Wait 10 minutes"), "{error}");
    assert_eq!(
        app.audit_actions().await.last().map(String::as_str),
        Some("login_rate_limited")
    );

    app.state.clock.advance(chrono::Duration::minutes(11));
    let response = app
        .call(
            "login",
            &[("username", "casemanager"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 200);
});

on_both_databases!(admins_add_and_remove_access_rows, |app| {
    app.seed_demo().await;
    let user_id = |username: &'static str| {
        let db = app.db.clone();
        async move {
            app::db::entities::user::Entity::find()
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .find(|u| u.username == username)
                .unwrap()
                .user_id
        }
    };
    let org_id = |name: &'static str| {
        let db = app.db.clone();
        async move {
            app::db::entities::organization::Entity::find()
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .find(|o| o.organization_name == name)
                .unwrap()
                .organization_id
        }
    };
    let casemanager = user_id("casemanager").await;
    let riverside = org_id("Riverside Family Shelter").await;
    let northside = org_id("Northside Street Outreach").await;

    // Agency admin (Riverside): may add Riverside rows, not other organizations, not HMIS admin.
    let agency = app.signed_in("agencyadmin").await;
    let add = |org: String, workgroup: &'static str| {
        vec![
            ("user_id".to_string(), casemanager.clone()),
            ("organization_id".to_string(), org),
            ("workgroup".to_string(), workgroup.to_string()),
        ]
    };
    let call = |client: &reqwest::Client, endpoint: &'static str, fields: Vec<(String, String)>| {
        let request = client
            .post(app.url(&format!("/api/{endpoint}")))
            .header("Accept", "application/json")
            .form(&fields);
        async move { request.send().await.unwrap() }
    };
    assert_eq!(
        call(&agency, "add_user_access", add(northside.clone(), "case_manager"))
            .await
            .status(),
        403
    );
    assert_eq!(
        call(&agency, "add_user_access", add(riverside.clone(), "hmis_admin"))
            .await
            .status(),
        403
    );
    assert_eq!(
        call(&agency, "add_user_access", add(riverside.clone(), "wizard"))
            .await
            .status(),
        422
    );
    assert_eq!(
        call(&agency, "add_user_access", add("nope".into(), "supervisor"))
            .await
            .status(),
        403
    );
    assert_eq!(
        call(&agency, "add_user_access", add(riverside.clone(), "case_manager"))
            .await
            .status(),
        409
    );
    assert_eq!(
        call(&agency, "add_user_access", add(riverside.clone(), "supervisor"))
            .await
            .status(),
        200
    );
    let row: UserRow = app
        .call_as(&agency, "get_user", &[("user_id", &casemanager)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(row.access.len(), 2);

    // The user now has two contexts; while acting as supervisor, removal signs them out.
    let user = app.signed_in("casemanager").await;
    let options: Vec<app::features::access::api::AccessOption> = app
        .call_as(&user, "access_options", &[])
        .await
        .json()
        .await
        .unwrap();
    let supervisor = options
        .iter()
        .find(|o| o.workgroup == app::domain::access::Workgroup::Supervisor)
        .unwrap()
        .user_access_id
        .clone();
    assert_eq!(
        app.call_as(&user, "set_context", &[("user_access_id", &supervisor)])
            .await
            .status(),
        200
    );
    // Not for case managers, other organizations' admins or strangers.
    let peer = app.signed_in("outreach").await;
    assert_eq!(
        app.call_as(&peer, "remove_user_access", &[("user_access_id", &supervisor)])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call("remove_user_access", &[("user_access_id", &supervisor)])
            .await
            .status(),
        401
    );
    assert_eq!(
        call(&peer, "add_user_access", add(riverside.clone(), "supervisor"))
            .await
            .status(),
        403
    );
    let response = app
        .call_as(&agency, "remove_user_access", &[("user_access_id", &supervisor)])
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        session_of(&app, &user).await,
        None,
        "the session acting in it ended"
    );
    let row: UserRow = app
        .call_as(&agency, "get_user", &[("user_id", &casemanager)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(row.access.len(), 1);
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"access_granted".to_string()));
    assert!(actions.contains(&"access_revoked".to_string()));

    // The HMIS admin may add anywhere; nobody removes their own access.
    let admin = app.signed_in("admin").await;
    assert_eq!(
        call(&admin, "add_user_access", add(northside.clone(), "case_manager"))
            .await
            .status(),
        200
    );
    let own: UserRow = app
        .call_as(&admin, "get_user", &[("user_id", &user_id("admin").await)])
        .await
        .json()
        .await
        .unwrap();
    let response = app
        .call_as(
            &admin,
            "remove_user_access",
            &[("user_access_id", &own.access[0].user_access_id)],
        )
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(
        app.call_as(&admin, "remove_user_access", &[("user_access_id", "nope")])
            .await
            .status(),
        404
    );
});
