//! User administration, password changes and the audit log, on both databases:
//! allowed, refused (no session, wrong workgroup, wrong organization), bad input.

mod common;

use app::error::AppError;
use app::features::admin::api::{AuditPage, UserFormChoices, UserPage};
use app::session::SessionInfo;

async fn users(app: &common::TestApp, client: &reqwest::Client, search: &str) -> UserPage {
    let response = app.call_as(client, "list_users", &[("search", search)]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn user_id(app: &common::TestApp, admin: &reqwest::Client, username: &str) -> String {
    users(app, admin, username)
        .await
        .users
        .into_iter()
        .find(|u| u.username == username)
        .expect(username)
        .user_id
}

on_both_databases!(agency_admins_see_and_manage_only_their_organization, |app| {
    app.seed_demo().await;
    let agency = app.signed_in("agencyadmin").await;
    let listed: Vec<String> = users(&app, &agency, "")
        .await
        .users
        .into_iter()
        .map(|u| u.username)
        .collect();
    // Riverside Family Shelter's people only.
    assert_eq!(listed, ["agencyadmin", "casemanager", "multi", "supervisor"]);

    let hmis = app.signed_in("admin").await;
    assert_eq!(users(&app, &hmis, "").await.users.len(), 8);
    let outreach = user_id(&app, &hmis, "outreach").await;
    let admin_id = user_id(&app, &hmis, "admin").await;

    // Another organization's user, and an HMIS admin, are off limits.
    for target in [&outreach, &admin_id] {
        let response = app
            .call_as(&agency, "end_user_sessions", &[("user_id", target)])
            .await;
        assert_eq!(response.status(), 403);
        let response = app
            .call_as(
                &agency,
                "reset_password",
                &[("user_id", target), ("temporary_password", "Temporary-42")],
            )
            .await;
        assert_eq!(response.status(), 403);
    }
    let choices: UserFormChoices = app
        .call_as(&agency, "user_form_options", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(choices.organizations.len(), 1);
    assert!(
        !choices
            .workgroups
            .contains(&app::domain::access::Workgroup::HmisAdmin)
    );
});

on_both_databases!(case_managers_and_strangers_cannot_administer, |app| {
    app.seed_demo().await;
    let cm = app.signed_in("casemanager").await;
    for (endpoint, form) in [
        ("list_users", vec![]),
        ("user_form_options", vec![]),
        ("end_user_sessions", vec![("user_id", "x")]),
        ("set_user_active", vec![("user_id", "x"), ("active", "false")]),
        ("search_audit_log", vec![]),
    ] {
        assert_eq!(
            app.call_as(&cm, endpoint, &form).await.status(),
            403,
            "{endpoint} as a case manager"
        );
        assert_eq!(
            app.call(endpoint, &form).await.status(),
            401,
            "{endpoint} signed out"
        );
    }
    // Agency admins may not read the audit log either.
    let agency = app.signed_in("agencyadmin").await;
    assert_eq!(app.call_as(&agency, "search_audit_log", &[]).await.status(), 403);
});

on_both_databases!(a_new_user_must_change_the_temporary_password, |app| {
    app.seed_demo().await;
    let agency = app.signed_in("agencyadmin").await;
    let choices: UserFormChoices = app
        .call_as(&agency, "user_form_options", &[])
        .await
        .json()
        .await
        .unwrap();
    let org = choices.organizations[0].organization_id.clone();
    let form = |username: &'static str, password: &'static str, workgroup: &'static str| {
        vec![
            ("username", username),
            ("first_name", "Jordan"),
            ("last_name", "Blake"),
            ("organization_id", org.as_str()),
            ("workgroup", workgroup),
            ("temporary_password", password),
        ]
    };
    // Bad input: a weak password, a taken username; nothing is stored.
    let weak = app
        .call_as(
            &agency,
            "create_user",
            &form("jblake", "password1", "case_manager"),
        )
        .await;
    assert_eq!(weak.status(), 422);
    let weak: AppError = weak.json().await.unwrap();
    assert!(
        weak.message_for("temporary_password")
            .unwrap()
            .contains("too common")
    );
    let taken = app
        .call_as(
            &agency,
            "create_user",
            &form("casemanager", "Temporary-42", "case_manager"),
        )
        .await;
    assert_eq!(
        taken.json::<AppError>().await.unwrap().message_for("username"),
        Some("That username is taken.")
    );
    // An agency admin cannot create an HMIS admin.
    let escalate = app
        .call_as(
            &agency,
            "create_user",
            &form("boss", "Temporary-42", "hmis_admin"),
        )
        .await;
    assert_eq!(escalate.status(), 403);
    assert_eq!(users(&app, &agency, "").await.users.len(), 4);

    let created = app
        .call_as(
            &agency,
            "create_user",
            &form("jblake", "Temporary-42", "case_manager"),
        )
        .await;
    assert_eq!(created.status(), 200);

    // The new user signs in and is told to change the password first.
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = app
        .call_as(
            &client,
            "login",
            &[("username", "jblake"), ("password", "Temporary-42")],
        )
        .await;
    assert_eq!(login.status(), 200);
    let session: SessionInfo = app.call_as(&client, "session", &[]).await.json().await.unwrap();
    assert!(session.must_change_password);

    let wrong = app
        .call_as(
            &client,
            "change_password",
            &[
                ("current_password", "nope"),
                ("new_password", "Riverbend-77"),
                ("confirm_password", "Riverbend-77"),
            ],
        )
        .await;
    assert_eq!(
        wrong
            .json::<AppError>()
            .await
            .unwrap()
            .message_for("current_password"),
        Some("That is not your current password.")
    );
    let mismatch = app
        .call_as(
            &client,
            "change_password",
            &[
                ("current_password", "Temporary-42"),
                ("new_password", "Riverbend-77"),
                ("confirm_password", "Riverbend-78"),
            ],
        )
        .await;
    assert_eq!(
        mismatch
            .json::<AppError>()
            .await
            .unwrap()
            .message_for("confirm_password"),
        Some("The two new passwords differ.")
    );
    let changed = app
        .call_as(
            &client,
            "change_password",
            &[
                ("current_password", "Temporary-42"),
                ("new_password", "Riverbend-77"),
                ("confirm_password", "Riverbend-77"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200);
    let session: SessionInfo = app.call_as(&client, "session", &[]).await.json().await.unwrap();
    assert!(!session.must_change_password);
    let actions = app.audit_actions().await;
    assert!(
        actions.contains(&"user_created".to_string()) && actions.contains(&"password_changed".to_string())
    );
});

on_both_databases!(changing_a_password_signs_out_every_other_session, |app| {
    app.seed_demo().await;
    let tablet = app.signed_in("casemanager").await;
    let laptop = app.signed_in("casemanager").await;
    let pw = hearth_demo::accounts::DEMO_PASSWORD;
    let response = app
        .call_as(
            &tablet,
            "change_password",
            &[
                ("current_password", pw),
                ("new_password", "Riverbend-77"),
                ("confirm_password", "Riverbend-77"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        app.call_as(&tablet, "session", &[])
            .await
            .json::<Option<SessionInfo>>()
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        app.call_as(&laptop, "session", &[])
            .await
            .json::<Option<SessionInfo>>()
            .await
            .unwrap()
            .is_none()
    );
});

on_both_databases!(admins_reset_disable_and_end_sessions, |app| {
    app.seed_demo().await;
    let hmis = app.signed_in("admin").await;
    let victim = app.signed_in("supervisor").await;
    let id = user_id(&app, &hmis, "supervisor").await;
    assert_eq!(users(&app, &hmis, "supervisor").await.users[0].open_sessions, 1);

    let ended = app.call_as(&hmis, "end_user_sessions", &[("user_id", &id)]).await;
    assert_eq!(ended.json::<u64>().await.unwrap(), 1);
    assert!(
        app.call_as(&victim, "session", &[])
            .await
            .json::<Option<SessionInfo>>()
            .await
            .unwrap()
            .is_none()
    );

    let disabled = app
        .call_as(&hmis, "set_user_active", &[("user_id", &id), ("active", "false")])
        .await;
    assert_eq!(disabled.status(), 200);
    let refused = app
        .call(
            "login",
            &[
                ("username", "supervisor"),
                ("password", hearth_demo::accounts::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status(), 409, "a disabled account cannot sign in");
    app.call_as(&hmis, "set_user_active", &[("user_id", &id), ("active", "true")])
        .await;

    let bad = app
        .call_as(
            &hmis,
            "reset_password",
            &[("user_id", &id), ("temporary_password", "short")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let reset = app
        .call_as(
            &hmis,
            "reset_password",
            &[("user_id", &id), ("temporary_password", "Temporary-42")],
        )
        .await;
    assert_eq!(reset.status(), 200);
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    app.call_as(
        &client,
        "login",
        &[("username", "supervisor"), ("password", "Temporary-42")],
    )
    .await;
    let session: SessionInfo = app.call_as(&client, "session", &[]).await.json().await.unwrap();
    assert!(session.must_change_password);

    let me = user_id(&app, &hmis, "admin").await;
    let own = app
        .call_as(&hmis, "set_user_active", &[("user_id", &me), ("active", "false")])
        .await;
    assert_eq!(own.status(), 409, "no one disables their own account");
    let missing = app
        .call_as(&hmis, "end_user_sessions", &[("user_id", "nope")])
        .await;
    assert_eq!(missing.status(), 404);
});

on_both_databases!(the_audit_log_is_searchable_and_downloadable, |app| {
    app.seed_demo().await;
    let _ = app.signed_in("casemanager").await;
    let _ = app
        .call(
            "login",
            &[("username", "casemanager"), ("password", "Wrong-pass-1")],
        )
        .await;
    let hmis = app.signed_in("admin").await;
    let page: AuditPage = app
        .call_as(&hmis, "search_audit_log", &[("filter[username]", "casemanager")])
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = page.rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["login_failed", "login"], "newest first, only that user");
    assert!(page.rows.iter().all(|r| r.ip.as_deref() == Some("127.0.0.1")));

    let today = app.state.today();
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let empty: AuditPage = app
        .call_as(&hmis, "search_audit_log", &[("filter[from]", tomorrow.as_str())])
        .await
        .json()
        .await
        .unwrap();
    assert!(empty.rows.is_empty());
    let bad = app
        .call_as(&hmis, "search_audit_log", &[("filter[from]", "yesterday")])
        .await;
    assert_eq!(bad.status(), 422);

    let csv = hmis
        .get(app.url("/admin/audit.csv?username=casemanager"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let body = csv.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines[0],
        "At,Username,IP,OrganizationID,Workgroup,Action,EntityType,EntityID,PersonalID,Detail"
    );
    assert_eq!(lines.len(), 3);
    assert!(lines[1].contains(",login_failed,"));

    let cm = app.signed_in("casemanager").await;
    assert_eq!(
        cm.get(app.url("/admin/audit.csv")).send().await.unwrap().status(),
        403
    );
    assert_eq!(
        app.client
            .get(app.url("/admin/audit.csv"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let actions = app.audit_actions().await;
    assert!(
        actions.contains(&"audit_log_viewed".to_string())
            && actions.contains(&"audit_log_exported".to_string())
    );
});

on_both_databases!(
    a_deleted_account_cannot_sign_in_until_an_admin_enables_it,
    |app| {
        use sea_orm::ConnectionTrait;
        app.seed_demo().await;
        let hmis = app.signed_in("admin").await;
        let kept = app.signed_in("supervisor").await;
        let id = user_id(&app, &hmis, "supervisor").await;
        // As an imported User.csv row with a DateDeleted leaves it.
        app.db
            .execute_unprepared(&format!(
                "UPDATE users SET date_deleted = updated_at WHERE user_id = '{id}'"
            ))
            .await
            .unwrap();

        let session = app.call_as(&kept, "session", &[]).await;
        assert!(
            session.json::<Option<SessionInfo>>().await.unwrap().is_none(),
            "the deleted account's open session ends"
        );
        let login = [
            ("username", "supervisor"),
            ("password", hearth_demo::accounts::DEMO_PASSWORD),
        ];
        assert_eq!(app.call("login", &login).await.status(), 409);
        let listed = users(&app, &hmis, "supervisor").await.users;
        assert!(!listed[0].is_active, "the admin list shows it as disabled");
        assert!(app.audit_actions().await.contains(&"login_failed".to_string()));

        let enabled = app
            .call_as(&hmis, "set_user_active", &[("user_id", &id), ("active", "true")])
            .await;
        assert_eq!(enabled.status(), 200);
        assert_eq!(app.call("login", &login).await.status(), 200);
        assert!(users(&app, &hmis, "supervisor").await.users[0].is_active);
    }
);
