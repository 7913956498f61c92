//! The foundation end to end over HTTP: server functions, pages, health checks,
//! errors — on SQLite and PostgreSQL.

mod common;

use app::features::home::api::SystemStatus;

on_both_databases!(system_status_is_read_from_the_database, |app| {
    let response = app.call("system_status", &[]).await;
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
    let status: SystemStatus = app.call("system_status", &[]).await.json().await.unwrap();
    assert_eq!(status.coc_name, "Riverside County CoC");
});

on_both_databases!(home_page_is_rendered_on_the_server, |app| {
    let response = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Hearth Continuum of Care"),
        "SSR shows the CoC name read from the database"
    );
    assert!(html.contains("System status"));
    assert!(html.contains("/pkg/hearth.js"), "hydration scripts are linked");
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

on_both_databases!(coming_soon_areas_say_so, |app| {
    for path in [
        "/clients",
        "/annual-assessments",
        "/coordinated-entry",
        "/reports",
        "/admin",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("Coming soon"), "{path} is marked as coming");
    }
});

on_both_databases!(plain_form_posts_redirect_back_to_the_page, |app| {
    // Without JavaScript, the "Check database again" button posts a form: the server
    // runs the function and sends the browser back where it came from.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .post(app.url("/api/system_status"))
        .header("Accept", "text/html")
        .header("Referer", app.url("/"))
        .form(&[] as &[(&str, &str)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert_eq!(
        location.trim_end_matches('?'),
        app.url("/"),
        "back to the page, with no error attached"
    );
});
