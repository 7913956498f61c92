//! The foundation end to end over HTTP: server functions, pages, health checks,
//! errors — on SQLite and PostgreSQL.

mod common;

use app::features::home::api::SystemStatus;

on_both_databases!(system_status_is_read_from_the_database, |app| {
    app.seed_demo().await;
    let client = app.signed_in("casemanager").await;
    let response = app.call_as(&client, "system_status", &[]).await;
    assert_eq!(response.status(), 200);
    let status: SystemStatus = response.json().await.expect("JSON body");
    assert_eq!(status.coc_name, "Hearth Continuum of Care");
    let expected = match app.backend {
        common::Backend::Sqlite => "SQLite",
        common::Backend::Postgres => "PostgreSQL",
    };
    assert_eq!(status.database, expected);
    assert!(status.migrations_applied >= 1);
    assert_eq!(status.time_zone, "America/Chicago");
});

on_both_databases!(system_status_reflects_a_changed_setting, |app| {
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("UPDATE settings SET value = 'Riverside County CoC' WHERE key = 'coc_name'")
        .await
        .unwrap();
    app.seed_demo().await;
    let client = app.signed_in("casemanager").await;
    let status: SystemStatus = app
        .call_as(&client, "system_status", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status.coc_name, "Riverside County CoC");
});

on_both_databases!(system_status_needs_a_session, |app| {
    let response = app.call("system_status", &[]).await;
    assert_eq!(response.status(), 401);
    let error: app::error::AppError = response.json().await.unwrap();
    assert_eq!(error, app::error::AppError::Unauthorized);
});

on_both_databases!(home_page_is_rendered_on_the_server, |app| {
    app.seed_demo().await;
    let client = app.signed_in("casemanager").await;
    let response = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Hearth Continuum of Care"),
        "SSR shows the CoC name read from the database"
    );
    assert!(
        !html.contains("System status"),
        "a case manager's home does not show the system's state"
    );
    let admin = app.signed_in("admin").await;
    let admin_home = app.page(&admin, "/").await;
    assert!(admin_home.contains("System status"), "an HMIS admin's home does");
    // The hydration script, under the compiled assets' version (`assets`).
    let version = hearth_server::assets::Assets::read(std::path::Path::new("../target/site")).version;
    assert!(
        html.contains(&format!("/pkg/{version}/hearth.js")),
        "hydration scripts are linked under /pkg/{version}/"
    );
});

on_both_databases!(readiness_follows_the_database, |app| {
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    app.db.clone().close().await.unwrap();
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
});

on_both_databases!(unknown_pages_answer_404_with_a_way_home, |app| {
    let response = app.client.get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("Page not found"));
    assert!(html.contains("Go to the home page"));
});

on_both_databases!(every_area_renders_on_the_server, |app| {
    app.seed_demo().await;
    let client = app.signed_in("casemanager").await;
    let page = |path: &'static str| {
        let client = client.clone();
        let url = app.url(path);
        async move {
            let response = client.get(url).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            response.text().await.unwrap()
        }
    };
    // The priority list tells a case manager outside the CE organization whose it is.
    let ce = client.get(app.url("/coordinated-entry")).send().await.unwrap();
    assert_eq!(ce.status(), 403);
    let ce = ce.text().await.unwrap();
    assert!(
        ce.contains("The priority list is for priority list managers and CE assessors"),
        "{ce}"
    );
    // Built areas render on the server.
    for (path, heading) in [
        ("/coordinated-entry/referrals", "Incoming referrals"),
        ("/annual-assessments", "Annual Assessment Tool"),
        ("/reports", "Client Milestone Age Status"),
        ("/reports/milestones", "Client Milestone Age Status"),
    ] {
        let html = page(path).await;
        assert!(!html.contains("Coming soon") && html.contains(heading), "{path}");
    }
    // Clients is built: its search page renders on the server.
    let html = client
        .get(app.url("/clients"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("Coming soon") && html.contains("Intake"),
        "/clients is the search page"
    );
});

on_both_databases!(plain_form_posts_redirect_back_to_the_page, |app| {
    // Without JavaScript, the "Check database again" button posts a form: the server
    // runs the function and sends the browser back where it came from.
    app.seed_demo().await;
    let client = app.signed_in("casemanager").await;
    let post = |client: reqwest::Client| {
        let url = app.url("/api/system_status");
        let referer = app.url("/");
        async move {
            client
                .post(url)
                .header("Accept", "text/html")
                .header("Referer", referer)
                .form(&[] as &[(&str, &str)])
                .send()
                .await
                .unwrap()
        }
    };
    let response = post(client).await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert_eq!(
        location.trim_end_matches('?'),
        app.url("/"),
        "back to the page, with no error attached"
    );

    // Signed out, the same post comes back with the error for the form to show.
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = post(anonymous).await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(location.contains("__err="), "{location}");
});

on_both_databases!(signed_out_visitors_are_sent_to_sign_in, |app| {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for path in ["/", "/clients", "/settings"] {
        // As a browser asks for a page.
        let response = client
            .get(app.url(path))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302, "{path}");
        assert_eq!(response.headers()["location"], "/login", "{path}");
    }
    let login = client.get(app.url("/login")).send().await.unwrap();
    assert_eq!(login.status(), 200);
    assert!(login.text().await.unwrap().contains("Sign in to Hearth"));
});
