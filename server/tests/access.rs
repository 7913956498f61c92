//! Access over HTTP on both databases: sign-in, lockout, sessions, context, Back
//! Date, sign-out, CSRF and security headers — allowed, denied and bad input.

mod common;

use app::error::AppError;
use app::features::access::api::{AccessOption, Next};
use app::session::SessionInfo;
use hearth_demo::accounts::DEMO_PASSWORD;

async fn session_of(app: &common::TestApp, client: &reqwest::Client) -> Option<SessionInfo> {
    let response = app.call_as(client, "session", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

on_both_databases!(sign_in_with_one_access_row_goes_straight_in, |app| {
    app.seed_demo().await;
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let response = app
        .call_as(
            &client,
            "login",
            &[("username", "CaseManager "), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("hearth_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let next: Next = response.json().await.unwrap();
    assert_eq!(next.path, "/");

    let session = session_of(&app, &client).await.expect("signed in");
    assert_eq!(session.username, "casemanager");
    assert_eq!(session.initials, "CM");
    let context = session.context.expect("the only context is chosen");
    assert_eq!(context.organization_name, "Riverside Family Shelter");
    assert_eq!(context.workgroup, app::domain::access::Workgroup::CaseManager);
    assert_eq!(app.audit_actions().await, ["login"]);
});

on_both_databases!(wrong_password_and_unknown_user_get_the_same_answer, |app| {
    app.seed_demo().await;
    let wrong = app
        .call(
            "login",
            &[("username", "casemanager"), ("password", "Nope-2026-x")],
        )
        .await;
    assert_eq!(wrong.status(), 409);
    let wrong: AppError = wrong.json().await.unwrap();
    let unknown = app
        .call("login", &[("username", "nobody"), ("password", "Nope-2026-x")])
        .await;
    assert_eq!(unknown.status(), 409);
    let unknown: AppError = unknown.json().await.unwrap();
    assert_eq!(wrong, unknown);
    assert_eq!(wrong.to_string(), "Username or password is incorrect.");
    assert_eq!(app.audit_actions().await, ["login_failed", "login_failed"]);

    let empty = app.call("login", &[("username", ""), ("password", "")]).await;
    assert_eq!(empty.status(), 422);
    let empty: AppError = empty.json().await.unwrap();
    assert_eq!(empty.message_for("username"), Some("Required."));
    assert_eq!(empty.message_for("password"), Some("Required."));
});

on_both_databases!(five_failures_lock_the_account_for_fifteen_minutes, |app| {
    app.seed_demo().await;
    for attempt in 1..=5 {
        let response = app
            .call("login", &[("username", "outreach"), ("password", "Wrong-pass-1")])
            .await;
        let error: AppError = response.json().await.unwrap();
        if attempt < 5 {
            assert_eq!(
                error.to_string(),
                "Username or password is incorrect.",
                "attempt {attempt}"
            );
        } else {
            assert!(error.to_string().contains("locked for 15 minutes"), "{error}");
        }
    }
    // Locked: even the right password is refused.
    let response = app
        .call("login", &[("username", "outreach"), ("password", DEMO_PASSWORD)])
        .await;
    let error: AppError = response.json().await.unwrap();
    assert!(error.to_string().contains("locked"), "{error}");
    let actions = app.audit_actions().await;
    assert_eq!(actions.iter().filter(|a| *a == "login_failed").count(), 5);
    assert!(actions.contains(&"account_locked".to_string()));
    assert_eq!(actions.last().map(String::as_str), Some("login_refused_locked"));

    // Fifteen minutes later the right password works again.
    app.state.clock.advance(chrono::Duration::minutes(15));
    let response = app
        .call("login", &[("username", "outreach"), ("password", DEMO_PASSWORD)])
        .await;
    assert_eq!(response.status(), 200);
});

on_both_databases!(sessions_end_after_thirty_idle_minutes, |app| {
    app.seed_demo().await;
    let client = app.signed_in("casemanager").await;
    app.state.clock.advance(chrono::Duration::minutes(29));
    let session = session_of(&app, &client)
        .await
        .expect("29 minutes idle: still signed in");
    assert_eq!(session.idle_seconds, 1800);
    assert_eq!(session.seconds_left, 60);
    // Reading the session (the idle watcher's poll) is not activity …
    app.state.clock.advance(chrono::Duration::seconds(59));
    assert_eq!(session_of(&app, &client).await.unwrap().seconds_left, 1);
    // … but any other request is, and so is "Stay signed in".
    assert_eq!(app.call_as(&client, "system_status", &[]).await.status(), 200);
    assert_eq!(session_of(&app, &client).await.unwrap().seconds_left, 1800);
    app.state.clock.advance(chrono::Duration::minutes(29));
    let kept: SessionInfo = app
        .call_as(&client, "keep_alive", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept.seconds_left, 1800);
    app.state.clock.advance(chrono::Duration::minutes(30));
    let response = app.call_as(&client, "session", &[]).await;
    let cleared = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_string());
    assert!(
        cleared.is_some_and(|c| c.contains("Max-Age=0")),
        "the ended session's cookie is cleared"
    );
    assert_eq!(response.json::<Option<SessionInfo>>().await.unwrap(), None);
    assert!(app.audit_actions().await.contains(&"session_expired".to_string()));
    assert_eq!(
        app.call_as(&client, "keep_alive", &[]).await.status(),
        401,
        "too late to stay signed in"
    );
});

on_both_databases!(sessions_end_twelve_hours_after_sign_in, |app| {
    app.seed_demo().await;
    let client = app.signed_in("casemanager").await;
    for _ in 0..24 {
        app.state
            .clock
            .advance(chrono::Duration::minutes(30) - chrono::Duration::seconds(2));
        assert_eq!(app.call_as(&client, "keep_alive", &[]).await.status(), 200);
    }
    // 24 × 29m58s = 11h59m12s: still inside the 12 hours, however active.
    assert_eq!(session_of(&app, &client).await.unwrap().seconds_left, 48);
    app.state.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(session_of(&app, &client).await, None);
});

on_both_databases!(server_functions_refuse_without_a_session, |app| {
    for (endpoint, form) in [
        ("access_options", vec![]),
        ("set_context", vec![("user_access_id", "x")]),
        ("list_locations", vec![]),
        ("set_location", vec![("project_id", "x")]),
        ("set_back_date", vec![("back_date", "2026-11-01")]),
        ("clear_back_date", vec![]),
        ("keep_alive", vec![]),
        ("system_status", vec![]),
    ] {
        let response = app.call(endpoint, &form).await;
        assert_eq!(response.status(), 401, "{endpoint}");
        assert_eq!(
            response.json::<AppError>().await.unwrap(),
            AppError::Unauthorized,
            "{endpoint}"
        );
    }
    assert!(app.audit_actions().await.is_empty());
});

on_both_databases!(a_user_with_several_contexts_chooses_one, |app| {
    app.seed_demo().await;
    let client = app.signed_in("multi").await;
    let session = session_of(&app, &client).await.unwrap();
    assert_eq!(session.context, None, "several access rows: the user chooses");

    let options: Vec<AccessOption> = app
        .call_as(&client, "access_options", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(options.len(), 3);
    let supervisor = options
        .iter()
        .find(|o| o.workgroup == app::domain::access::Workgroup::Supervisor)
        .expect("supervisor row");
    let response = app
        .call_as(
            &client,
            "set_context",
            &[("user_access_id", &supervisor.user_access_id)],
        )
        .await;
    assert_eq!(response.status(), 200);
    let context = session_of(&app, &client).await.unwrap().context.unwrap();
    assert_eq!(context.organization_name, "Northside Street Outreach");
    assert_eq!(context.workgroup, app::domain::access::Workgroup::Supervisor);
    assert!(app.audit_actions().await.contains(&"context_changed".to_string()));

    // Someone else's access row is refused, and the context stays as it was.
    let other = app.signed_in("plm").await;
    let theirs: Vec<AccessOption> = app
        .call_as(&other, "access_options", &[])
        .await
        .json()
        .await
        .unwrap();
    let response = app
        .call_as(
            &client,
            "set_context",
            &[("user_access_id", &theirs[0].user_access_id)],
        )
        .await;
    assert_eq!(response.status(), 422);
    let error: AppError = response.json().await.unwrap();
    assert_eq!(
        error.message_for("user_access_id"),
        Some("Choose one of your contexts.")
    );
    assert_eq!(
        session_of(&app, &client)
            .await
            .unwrap()
            .context
            .unwrap()
            .workgroup,
        context.workgroup
    );
});

on_both_databases!(back_date_is_set_checked_and_cleared, |app| {
    app.seed_demo().await;
    let client = app.signed_in("casemanager").await;
    let today = app.state.today();
    let tomorrow = today.succ_opt().unwrap().to_string();
    let response = app
        .call_as(&client, "set_back_date", &[("back_date", &tomorrow)])
        .await;
    assert_eq!(response.status(), 422);
    let error: AppError = response.json().await.unwrap();
    assert_eq!(
        error.message_for("back_date"),
        Some("The back date cannot be in the future.")
    );
    let response = app
        .call_as(&client, "set_back_date", &[("back_date", "11/01/2026")])
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        session_of(&app, &client).await.unwrap().back_date,
        None,
        "nothing stored"
    );

    let earlier = today - chrono::Duration::days(10);
    let response = app
        .call_as(&client, "set_back_date", &[("back_date", &earlier.to_string())])
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(session_of(&app, &client).await.unwrap().back_date, Some(earlier));
    let response = app.call_as(&client, "clear_back_date", &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(session_of(&app, &client).await.unwrap().back_date, None);
    let actions = app.audit_actions().await;
    assert!(
        actions.contains(&"back_date_set".to_string()) && actions.contains(&"back_date_cleared".to_string())
    );
});

on_both_databases!(sign_out_ends_the_session, |app| {
    app.seed_demo().await;
    let client = app.signed_in("casemanager").await;
    let response = app.call_as(&client, "logout", &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(session_of(&app, &client).await, None);
    assert_eq!(app.audit_actions().await, ["login", "logout"]);
});

on_both_databases!(cross_site_writes_are_refused_before_routing, |app| {
    app.seed_demo().await;
    for (path, header, value) in [
        ("/api/login", "Origin", "https://evil.example"),
        ("/api/logout", "Sec-Fetch-Site", "cross-site"),
        ("/no/such/path", "Origin", "https://evil.example"),
    ] {
        let response = app
            .client
            .post(app.url(path))
            .header(header, value)
            .form(&[("username", "casemanager"), ("password", DEMO_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{path}");
    }
    let put = app
        .client
        .put(app.url("/api/login"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 403);
    assert!(
        app.audit_actions().await.is_empty(),
        "nothing reached a server function"
    );
    // The same post from the page itself works.
    let response = app
        .client
        .post(app.url("/api/login"))
        .header("Origin", app.base_url.as_str())
        .header("Accept", "application/json")
        .form(&[("username", "casemanager"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
});

on_both_databases!(pages_carry_a_csp_with_a_fresh_nonce, |app| {
    let first = app.client.get(app.url("/login")).send().await.unwrap();
    let headers = first.headers().clone();
    let csp = headers["content-security-policy"].to_str().unwrap().to_string();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap()
        .to_string();
    let html = first.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration scripts carry the nonce"
    );
    assert!(!csp.contains("unsafe-inline"));

    let second = app.client.get(app.url("/login")).send().await.unwrap();
    let csp2 = second.headers()["content-security-policy"].to_str().unwrap();
    assert!(!csp2.contains(&nonce), "each response has its own nonce");

    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(
        health.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
});

on_both_databases!(oversized_bodies_are_refused, |app| {
    let big = "x".repeat(hearth_server::router::MAX_BODY_BYTES + 1);
    let response = app
        .call("login", &[("username", big.as_str()), ("password", "x")])
        .await;
    assert_eq!(response.status(), 413);
});

on_both_databases!(the_context_can_carry_a_location_of_its_organization, |app| {
    use app::features::access::api::LocationOption;
    app.seed_demo().await;
    let client = app.signed_in("multi").await;
    // No context yet: no location either.
    assert_eq!(app.call_as(&client, "list_locations", &[]).await.status(), 409);
    let options: Vec<AccessOption> = app
        .call_as(&client, "access_options", &[])
        .await
        .json()
        .await
        .unwrap();
    let riverside = options
        .iter()
        .find(|o| o.organization_name == "Riverside Family Shelter")
        .unwrap();
    let northside = options
        .iter()
        .find(|o| o.organization_name == "Northside Street Outreach")
        .unwrap();
    app.call_as(
        &client,
        "set_context",
        &[("user_access_id", &riverside.user_access_id)],
    )
    .await;
    let locations: Vec<LocationOption> = app
        .call_as(&client, "list_locations", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(locations.len(), 5, "Riverside's projects");
    let rrh = locations
        .iter()
        .find(|l| l.project_name == "Riverside Rapid Re-Housing")
        .unwrap()
        .project_id
        .clone();
    let response = app
        .call_as(&client, "set_location", &[("project_id", rrh.as_str())])
        .await;
    assert_eq!(response.status(), 200);
    let context = session_of(&app, &client).await.unwrap().context.unwrap();
    assert_eq!(context.location_project_id.as_deref(), Some(rrh.as_str()));
    assert_eq!(
        context.label(),
        "Case Manager · Riverside Family Shelter · Riverside Rapid Re-Housing"
    );

    // Another organization's project is not a location here.
    app.call_as(
        &client,
        "set_context",
        &[("user_access_id", &northside.user_access_id)],
    )
    .await;
    let context = session_of(&app, &client).await.unwrap().context.unwrap();
    assert_eq!(
        context.location_name, None,
        "a new context starts without a location"
    );
    let response = app
        .call_as(&client, "set_location", &[("project_id", rrh.as_str())])
        .await;
    assert_eq!(response.status(), 422);
    let error: AppError = response.json().await.unwrap();
    assert_eq!(
        error.message_for("project_id"),
        Some("Choose a location from the list.")
    );
    assert_eq!(
        session_of(&app, &client)
            .await
            .unwrap()
            .context
            .unwrap()
            .location_name,
        None
    );

    // Clearing.
    app.call_as(
        &client,
        "set_context",
        &[("user_access_id", &riverside.user_access_id)],
    )
    .await;
    app.call_as(&client, "set_location", &[("project_id", rrh.as_str())])
        .await;
    let response = app.call_as(&client, "set_location", &[("project_id", "")]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        session_of(&app, &client)
            .await
            .unwrap()
            .context
            .unwrap()
            .location_name,
        None
    );
    let actions = app.audit_actions().await;
    for action in ["location_changed", "location_cleared"] {
        assert!(actions.contains(&action.to_string()), "{action} audited");
    }
});
