//! Issue 20: the holes found by probing Hearth as an attacker, each closed, on both
//! databases: parallel guessing against the account lock and the per-address limit, an
//! agency admin taking over a user who also works elsewhere, a temporary password that
//! opened the server functions, and hostile values reaching the database.

mod common;

use app::error::AppError;
use app::features::admin::api::UserPage;
use futures_util::future::join_all;
use hearth_demo::accounts::DEMO_PASSWORD;

fn fresh_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

async fn login(
    app: &common::TestApp,
    client: &reqwest::Client,
    username: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/login"))
        .header("Accept", "application/json")
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .expect("login request")
}

/// An administrator's reset of `user_id`'s password to `Temporary-42x`.
async fn reset_password(app: &common::TestApp, admin: &reqwest::Client, user_id: &str) -> reqwest::Response {
    app.call_as(
        admin,
        "reset_password",
        &[("user_id", user_id), ("temporary_password", "Temporary-42x")],
    )
    .await
}

/// `create_user` for a Riverside case manager `jblake` named `first_name`.
async fn create_user(
    app: &common::TestApp,
    admin: &reqwest::Client,
    org: &str,
    first_name: &str,
) -> reqwest::Response {
    app.call_as(
        admin,
        "create_user",
        &[
            ("username", "jblake"),
            ("first_name", first_name),
            ("last_name", "Blake"),
            ("organization_id", org),
            ("workgroup", "case_manager"),
            ("temporary_password", "Temporary-42x"),
        ],
    )
    .await
}

fn count(actions: &[String], action: &str) -> usize {
    actions.iter().filter(|a| *a == action).count()
}

on_both_databases!(parallel_wrong_passwords_cannot_outrun_the_account_lock, |app| {
    app.seed_demo().await;
    let guesses = (0..12).map(|n| {
        let app = &app;
        async move {
            let password = format!("Wrong-guess-{n}");
            login(app, &fresh_client(), "casemanager", &password)
                .await
                .status()
        }
    });
    let statuses = join_all(guesses).await;
    assert!(statuses.iter().all(|s| *s == 409), "{statuses:?}");
    let actions = app.audit_actions().await;
    // Exactly five passwords were checked; the rest waited for the lock.
    assert_eq!(count(&actions, "login_failed"), 5, "{actions:?}");
    assert_eq!(count(&actions, "login_refused_locked"), 7, "{actions:?}");
    assert_eq!(count(&actions, "account_locked"), 1, "{actions:?}");
    // Locked: even the right password is refused.
    let response = login(&app, &fresh_client(), "casemanager", DEMO_PASSWORD).await;
    assert_eq!(response.status(), 409);
    let error: AppError = response.json().await.unwrap();
    assert!(error.to_string().contains("locked"), "{error}");
    // Fifteen minutes later the right password works, and the count starts again.
    app.state.clock.advance(chrono::Duration::minutes(16));
    let response = login(&app, &fresh_client(), "casemanager", DEMO_PASSWORD).await;
    assert_eq!(response.status(), 200);
});

on_both_databases!(parallel_guesses_from_one_address_cannot_outrun_its_limit, |app| {
    app.seed_demo().await;
    let limit = app.state.security.login_ip_max_failures as usize;
    // Unknown usernames, so no account lock plays a part; all from 127.0.0.1.
    let guesses = (0..limit * 3).map(|n| {
        let app = &app;
        async move {
            let username = format!("nobody{n}");
            login(app, &fresh_client(), &username, "Wrong-pass-1")
                .await
                .status()
        }
    });
    let statuses = join_all(guesses).await;
    let refused = statuses.iter().filter(|s| **s == 429).count();
    let checked = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((checked, refused), (limit, 2 * limit), "{statuses:?}");
    let actions = app.audit_actions().await;
    assert_eq!(count(&actions, "login_failed"), limit);
    assert_eq!(count(&actions, "login_rate_limited"), 2 * limit);
    // A right password from the address waits too, until the window ends.
    let response = login(&app, &fresh_client(), "casemanager", DEMO_PASSWORD).await;
    assert_eq!(response.status(), 429);
    app.state.clock.advance(chrono::Duration::minutes(11));
    let response = login(&app, &fresh_client(), "casemanager", DEMO_PASSWORD).await;
    assert_eq!(response.status(), 200);
});

on_both_databases!(right_passwords_do_not_use_up_the_address_limit, |app| {
    app.seed_demo().await;
    let limit = app.state.security.login_ip_max_failures as usize;
    for _ in 0..limit + 5 {
        let response = login(&app, &fresh_client(), "casemanager", DEMO_PASSWORD).await;
        assert_eq!(response.status(), 200);
    }
});

on_both_databases!(
    an_agency_admin_cannot_take_over_a_user_who_also_works_elsewhere,
    |app| {
        app.seed_demo().await;
        let agency = app.signed_in("agencyadmin").await;
        let multi = common::households::user_id(&app, "multi").await;
        let casemanager = common::households::user_id(&app, "casemanager").await;
        let before = app.audit_actions().await.len();
        for (endpoint, form) in [
            (
                "reset_password",
                vec![
                    ("user_id", multi.as_str()),
                    ("temporary_password", "Temporary-42x"),
                ],
            ),
            (
                "set_user_active",
                vec![("user_id", multi.as_str()), ("active", "false")],
            ),
            ("end_user_sessions", vec![("user_id", multi.as_str())]),
            ("reset_user_two_step", vec![("user_id", multi.as_str())]),
        ] {
            let response = app.call_as(&agency, endpoint, &form).await;
            assert_eq!(response.status(), 403, "{endpoint}");
        }
        assert_eq!(app.audit_actions().await.len(), before, "nothing was done");
        // multi still signs in with their own password, and is still enabled.
        app.signed_in("multi").await;

        // The list says which accounts the agency admin may act on, and the page shows why
        // not for multi.
        let page: UserPage = app
            .call_as(&agency, "list_users", &[("search", "")])
            .await
            .json()
            .await
            .unwrap();
        let managed = |name: &str| {
            page.users
                .iter()
                .find(|u| u.username == name)
                .unwrap()
                .account_managed
        };
        assert!(!managed("multi"));
        assert!(managed("casemanager"));
        let html = agency
            .get(app.url(app::routes::ADMIN_USERS))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Also works for another organization"), "{html}");

        // The agency admin still manages their own organization's people …
        let response = reset_password(&app, &agency, &casemanager).await;
        assert_eq!(response.status(), 200);
        // … and the HMIS admin manages multi.
        let hmis = app.signed_in("admin").await;
        let response = reset_password(&app, &hmis, &multi).await;
        assert_eq!(response.status(), 200);
    }
);

on_both_databases!(a_temporary_password_opens_nothing_but_changing_it, |app| {
    app.seed_demo().await;
    let agency = app.signed_in("agencyadmin").await;
    let casemanager = common::households::user_id(&app, "casemanager").await;
    let response = reset_password(&app, &agency, &casemanager).await;
    assert_eq!(response.status(), 200);
    let user = fresh_client();
    assert_eq!(
        login(&app, &user, "casemanager", "Temporary-42x").await.status(),
        200
    );

    // Every server function but changing the password refuses, with a clear message.
    for (endpoint, form) in [
        ("search_clients", vec![("q", "Smith")]),
        ("access_options", vec![]),
        ("list_users", vec![]),
        ("start_two_step", vec![]),
    ] {
        let response = app.call_as(&user, endpoint, &form).await;
        assert_eq!(response.status(), 403, "{endpoint}");
        let error: AppError = response.json().await.unwrap();
        assert_eq!(error, AppError::PasswordChangeRequired, "{endpoint}");
        assert!(error.to_string().contains("Change your temporary password"));
    }
    // Downloads too.
    let response = user
        .get(app.url(app::routes::ANNUAL_ASSESSMENTS_CSV))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // The session itself can be read (the page sends the user to change it) …
    let session: Option<app::session::SessionInfo> =
        app.call_as(&user, "session", &[]).await.json().await.unwrap();
    assert!(session.unwrap().must_change_password);
    // … and changing it opens everything.
    let response = app
        .call_as(
            &user,
            "change_password",
            &[
                ("current_password", "Temporary-42x"),
                ("new_password", "Riverbend-77"),
                ("confirm_password", "Riverbend-77"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let after = fresh_client();
    assert_eq!(
        login(&app, &after, "casemanager", "Riverbend-77").await.status(),
        200
    );
    assert_eq!(
        app.call_as(&after, "search_clients", &[("q", "Smith")])
            .await
            .status(),
        200
    );
});

on_both_databases!(
    hostile_values_are_refused_at_the_boundary_on_both_databases,
    |app| {
        use app::db::entities::user;
        app.seed_demo().await;
        // A 1,000-character username is a failed sign-in like any other, and audited.
        let long = "u".repeat(1000);
        let response = login(&app, &fresh_client(), &long, "Wrong-pass-1").await;
        assert_eq!(response.status(), 409);
        assert_eq!(
            app.audit_actions().await.last().map(String::as_str),
            Some("login_failed")
        );

        let admin = app.signed_in("admin").await;
        let agency = app.signed_in("agencyadmin").await;
        let users = common::workflow::count(&app, user::Entity).await;
        let org = common::households::organization_of(&app, "Riverside Rapid Re-Housing").await;
        // NUL, another control character, invalid UTF-8: refused by field, nothing stored.
        for first_name in ["Jor\0dan", "Jor\u{1b}dan"] {
            let response = create_user(&app, &agency, &org, first_name).await;
            assert_eq!(response.status(), 422);
            let error: AppError = response.json().await.unwrap();
            assert!(
                error.message_for("first_name").unwrap().contains("NUL"),
                "{error:?}"
            );
        }
        let response = agency
            .post(app.url("/api/create_user"))
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("username=jblake&first_name=%FF%FE&last_name=Blake")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let error: AppError = response.json().await.unwrap();
        assert!(error.message_for("first_name").unwrap().contains("UTF-8"));
        assert_eq!(common::workflow::count(&app, user::Entity).await, users);

        // Longer than its column (first names hold 50 characters): refused the same on both
        // databases, though SQLite would store it.
        let long_name = "J".repeat(51);
        let response = create_user(&app, &agency, &org, long_name.as_str()).await;
        assert_eq!(response.status(), 422);
        let error: AppError = response.json().await.unwrap();
        assert_eq!(
            error.message_for("first_name"),
            Some("This field is longer than 50 characters.")
        );
        assert_eq!(common::workflow::count(&app, user::Entity).await, users);

        // A date at year 0 (PostgreSQL has none) or 9999: refused before the report runs.
        for from in ["0000-01-01", "9999-12-31"] {
            let response = app
                .call_as(&admin, "data_quality_report", &[("filter[from]", from)])
                .await;
            assert_eq!(response.status(), 422, "{from}");
            let error: AppError = response.json().await.unwrap();
            assert!(error.message_for("filter[from]").unwrap().contains("1900"));
        }
        // The same on the page's address (no JavaScript): a 400 page, not a 500.
        let response = admin
            .get(app.url(&format!("{}?from=0000-01-01", app::routes::DATA_QUALITY)))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("must be a date between 1900 and 2100")
        );
        // A value of the wrong shape for its argument is the request's fault: 400.
        let response = app
            .call_as(&admin, "search_clients", &[("q", "Smith"), ("page", "many")])
            .await;
        assert_eq!(response.status(), 400);
        let error: AppError = response.json().await.unwrap();
        assert!(matches!(error, AppError::BadInput(_)), "{error:?}");
    }
);

/// Pages link the compiled assets under a directory named for their contents, which a
/// browser keeps for a year and gets as the build's Brotli copy when it accepts one;
/// pages and server functions are compressed as they are sent and kept by no cache.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_are_versioned_and_precompressed_and_pages_are_kept_nowhere() {
    let site = tempfile::tempdir().expect("temp dir");
    let pkg = site.path().join("pkg");
    std::fs::create_dir(&pkg).expect("pkg dir");
    let script = "export default function init() { return 1; }\n".repeat(50);
    std::fs::write(pkg.join("hearth.js"), &script).expect("js");
    std::fs::write(pkg.join("hearth.js.br"), "the build's Brotli copy").expect("br");
    std::fs::write(pkg.join("hearth.css"), "body { margin: 0 }\n").expect("css");
    let app = common::spawn_site(common::Backend::Sqlite, |_| {}, site.path().to_path_buf())
        .await
        .expect("SQLite is always available");
    let browser = reqwest::Client::new();
    let get = |path: String, encoding: &'static str| {
        let request = browser.get(app.url(&path));
        let request = if encoding.is_empty() {
            request
        } else {
            request.header("Accept-Encoding", encoding)
        };
        async move { request.send().await.expect("the server answers") }
    };
    let header = |response: &reqwest::Response, name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap_or_default().to_string())
    };

    // The sign-in page: kept nowhere, linking the assets under their version.
    let page = get("/login".into(), "").await;
    assert_eq!(page.status(), 200);
    assert_eq!(header(&page, "cache-control").as_deref(), Some("no-store"));
    let html = page.text().await.expect("html");
    let at = html.find("/pkg/").expect("the page links the assets");
    let version: String = html[at + 5..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(
        version.len(),
        16,
        "a 16-digit version after /pkg/: {}",
        &html[at..at + 40]
    );
    assert!(
        html.contains(&format!("/pkg/{version}/hearth.css")),
        "the stylesheet"
    );
    assert!(html.contains(&format!("/pkg/{version}/hearth.js")), "the script");

    // The versioned script: kept a year; the Brotli copy to a browser that takes it.
    let js = format!("/pkg/{version}/hearth.js");
    let brotli = get(js.clone(), "br, gzip").await;
    assert_eq!(brotli.status(), 200);
    assert_eq!(header(&brotli, "content-encoding").as_deref(), Some("br"));
    assert_eq!(
        header(&brotli, "cache-control").as_deref(),
        Some(hearth_server::assets::IMMUTABLE)
    );
    assert_eq!(brotli.text().await.expect("body"), "the build's Brotli copy");
    let plain = get(js, "").await;
    assert_eq!(header(&plain, "content-encoding"), None);
    assert_eq!(plain.text().await.expect("body"), script);
    // Another version is not there; the unversioned name is checked again before use.
    let stale = get("/pkg/0000000000000000/hearth.js".into(), "").await;
    assert_eq!(stale.status(), 404);
    let unversioned = get("/pkg/hearth.css".into(), "").await;
    assert_eq!(unversioned.status(), 200);
    assert_eq!(header(&unversioned, "cache-control").as_deref(), Some("no-cache"));

    // Pages and server functions are compressed on the way out, and kept nowhere.
    let compressed = get("/login".into(), "br").await;
    assert_eq!(header(&compressed, "content-encoding").as_deref(), Some("br"));
    let bytes = compressed.bytes().await.expect("body").len();
    assert!(
        bytes < html.len() / 2,
        "{bytes} compressed bytes of {}",
        html.len()
    );
    let session = browser
        .post(app.url("/api/session"))
        .header("Accept", "application/json")
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .expect("the server answers");
    assert_eq!(session.status(), 200);
    assert_eq!(header(&session, "cache-control").as_deref(), Some("no-store"));
}
