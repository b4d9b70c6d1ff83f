//! Signup, login, refresh rotation and reuse, logout, rate limits, immediate refusal.

use gmao_db::TenantTx;
use gmao_domain::{TenantId, TenantStatus};
use gmao_tests::client::{PASSWORD, person_from};
use gmao_tests::{TestApp, test_settings, unique};
use reqwest::Method;
use serde_json::json;

fn signup_body(slug: &str, email: &str, password: &str) -> serde_json::Value {
    json!({
        "company_name": "Fonderie du Rhône",
        "tenant_slug": slug,
        "full_name": "Anne Martin",
        "email": email,
        "password": password,
        "locale": "en",
    })
}

#[tokio::test]
async fn signup_creates_the_company_and_logs_the_admin_in() {
    let app = TestApp::spawn().await;
    let slug = unique("fonderie");
    let email = format!("{}@Example.com", unique("Anne"));
    let reply = app
        .call(
            Method::POST,
            "/auth/signup",
            None,
            Some(signup_body(&slug, &email, PASSWORD)),
        )
        .await
        .expect(201);
    assert_eq!(reply.body["token_type"], "Bearer");
    assert!(reply.body["expires_in"].as_i64().is_some_and(|s| s > 0));
    assert_eq!(reply.body["tenant"]["slug"], slug.as_str());
    assert_eq!(reply.body["user"]["email"], email.to_lowercase().as_str());
    assert_eq!(reply.body["user"]["locale"], "en");
    let token = reply.body["access_token"].as_str().unwrap_or_default();

    let me = app.get(token, "/me").await.expect(200);
    assert_eq!(me.body["tenant"]["slug"], slug.as_str());
    assert_eq!(me.body["role"]["key"], "admin");
    assert_eq!(me.body["role"]["name"], "Administrator");
    assert!(me.body["site_scope"].is_null());
    let permissions = me.body["permissions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for expected in ["sites:manage", "users:manage", "roles:manage", "audit:read"] {
        assert!(
            permissions.iter().any(|p| p == expected),
            "admin lacks {expected}"
        );
    }

    // The five built-in roles were provisioned with the schema.
    let roles = app.get(token, "/roles").await.expect(200);
    let keys: Vec<_> = roles.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["key"].as_str())
        .collect();
    assert_eq!(
        keys,
        vec!["admin", "supervisor", "technician", "operator", "viewer"]
    );
}

#[tokio::test]
async fn signup_rejects_each_bad_field_with_its_own_code() {
    let app = TestApp::spawn().await;
    let email = format!("{}@example.com", unique("x"));
    let cases = [
        (
            signup_body("ab", &email, PASSWORD),
            422,
            "invalid_slug",
            "tenant_slug",
        ),
        (
            signup_body("Fonderie", &email, PASSWORD),
            422,
            "invalid_slug",
            "tenant_slug",
        ),
        (
            signup_body("admin", &email, PASSWORD),
            422,
            "reserved_slug",
            "tenant_slug",
        ),
        (
            signup_body(&unique("ok"), "not-an-email", PASSWORD),
            422,
            "invalid_email",
            "email",
        ),
        (
            signup_body(&unique("ok"), &email, "short1"),
            422,
            "weak_password",
            "password",
        ),
        (
            signup_body(&unique("ok"), &email, "azerty1234"),
            422,
            "weak_password",
            "password",
        ),
        (
            signup_body(&unique("ok"), &email, "Fonderie-2026!"),
            422,
            "weak_password",
            "password",
        ),
    ];
    for (body, status, code, field) in cases {
        let reply = app
            .call(Method::POST, "/auth/signup", None, Some(body))
            .await
            .expect_error(status, code);
        assert_eq!(
            reply.body["details"]["fields"][field]["code"], code,
            "{:#}",
            reply.body
        );
    }
    // Several bad fields at once: all are reported.
    let reply = app
        .call(
            Method::POST,
            "/auth/signup",
            None,
            Some(signup_body("x", "nope", "short")),
        )
        .await
        .expect_error(422, "validation_failed");
    let fields = reply.body["details"]["fields"]
        .as_object()
        .map(|f| f.len())
        .unwrap_or(0);
    assert_eq!(fields, 3, "{:#}", reply.body);

    // A taken slug is a conflict, and nothing of the second signup remains.
    let company = app.signup().await;
    let other_email = format!("{}@example.com", unique("y"));
    app.call(
        Method::POST,
        "/auth/signup",
        None,
        Some(signup_body(&company.slug, &other_email, PASSWORD)),
    )
    .await
    .expect_error(409, "slug_taken");
    app.login(&other_email, PASSWORD, None)
        .await
        .expect_error(401, "invalid_credentials");
}

#[tokio::test]
async fn wrong_credentials_do_not_say_which_part_was_wrong() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let wrong_password = app
        .login(&company.admin.email, "Not-the-password-1", None)
        .await
        .expect_error(401, "invalid_credentials");
    let unknown_email = app
        .login("nobody@example.com", PASSWORD, None)
        .await
        .expect_error(401, "invalid_credentials");
    let wrong_tenant = app
        .login(&company.admin.email, PASSWORD, Some("no-such-company"))
        .await
        .expect_error(401, "invalid_credentials");
    assert_eq!(wrong_password.body, unknown_email.body);
    assert_eq!(wrong_password.body, wrong_tenant.body);
    app.login(&company.admin.email, PASSWORD, Some(&company.slug))
        .await
        .expect(200);
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_whole_session() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let first = company.admin.refresh_token.clone();

    let rotated = app
        .call(
            Method::POST,
            "/auth/refresh",
            None,
            Some(json!({"refresh_token": first})),
        )
        .await
        .expect(200);
    let second = person_from(&rotated.body);
    assert_ne!(second.refresh_token, first);
    assert_eq!(rotated.body["tenant"]["slug"], company.slug.as_str());
    app.get(&second.token, "/me").await.expect(200);

    // The first token again: someone replayed it. The session ends for everyone.
    app.call(
        Method::POST,
        "/auth/refresh",
        None,
        Some(json!({"refresh_token": first})),
    )
    .await
    .expect_error(401, "refresh_token_reused");
    app.call(
        Method::POST,
        "/auth/refresh",
        None,
        Some(json!({"refresh_token": second.refresh_token})),
    )
    .await
    .expect_error(401, "invalid_refresh_token");
    app.get(&second.token, "/me")
        .await
        .expect_error(401, "session_ended");
    app.call(
        Method::POST,
        "/auth/refresh",
        None,
        Some(json!({"refresh_token": "made-up"})),
    )
    .await
    .expect_error(401, "invalid_refresh_token");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin;
    app.call(Method::POST, "/auth/logout", Some(&admin.token), None)
        .await
        .expect(204);
    app.get(&admin.token, "/me")
        .await
        .expect_error(401, "session_ended");
    app.call(
        Method::POST,
        "/auth/refresh",
        None,
        Some(json!({"refresh_token": admin.refresh_token})),
    )
    .await
    .expect_error(401, "invalid_refresh_token");
    // Other sessions of the same person are untouched.
    let again = app.login(&admin.email, PASSWORD, None).await.expect(200);
    app.get(
        again.body["access_token"].as_str().unwrap_or_default(),
        "/me",
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_per_account() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    for _ in 0..5 {
        app.login(&company.admin.email, "Wrong-password-9", None)
            .await
            .expect_error(401, "invalid_credentials");
    }
    // Even the right password waits now.
    let reply = app
        .login(&company.admin.email, PASSWORD, None)
        .await
        .expect_error(429, "too_many_attempts");
    let retry_after: i64 = reply
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(
        retry_after > 0 && retry_after <= 900,
        "retry-after {retry_after}"
    );
    assert_eq!(
        reply.body["details"]["retry_after_seconds"].as_i64(),
        Some(retry_after)
    );
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_per_client_address() {
    let mut settings = test_settings();
    settings.trust_forwarded_for = true;
    settings.limits.login_per_address = gmao_api::Rate::new(3, std::time::Duration::from_secs(900));
    let app = TestApp::spawn_with(settings).await;
    let address = format!("198.51.100.{}", rand_octet());
    let attempt = |email: String| {
        let request = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", format!("203.0.113.9, {address}"))
            .json(&json!({"email": email, "password": "Wrong-password-9"}));
        app.send(request)
    };
    for _ in 0..3 {
        attempt(format!("{}@example.com", unique("guess")))
            .await
            .expect_error(401, "invalid_credentials");
    }
    attempt(format!("{}@example.com", unique("guess")))
        .await
        .expect_error(429, "too_many_attempts");
}

fn rand_octet() -> u8 {
    uuid::Uuid::new_v4().as_bytes()[0]
}

#[tokio::test]
async fn a_suspended_tenant_is_refused_at_once_even_with_a_live_token() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    app.get(&company.admin.token, "/me").await.expect(200);
    let tenant_id = TenantId(company.tenant_id.parse().unwrap_or_default());
    let mut conn = app.pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
    gmao_db::tenants::set_status(&mut conn, tenant_id, TenantStatus::Suspended)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    app.get(&company.admin.token, "/me")
        .await
        .expect_error(403, "tenant_suspended");
    app.get(&company.admin.token, "/sites")
        .await
        .expect_error(403, "tenant_suspended");
    app.login(&company.admin.email, PASSWORD, None)
        .await
        .expect_error(403, "tenant_suspended");
    gmao_db::tenants::set_status(&mut conn, tenant_id, TenantStatus::Active)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    app.get(&company.admin.token, "/me").await.expect(200);
}

#[tokio::test]
async fn a_deactivated_member_is_refused_at_once() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let tech = app.add_member(&company, "technician", None).await;
    app.get(&tech.token, "/sites").await.expect(200);
    app.patch(
        &company.admin.token,
        &format!("/users/{}", tech.id),
        json!({"active": false}),
    )
    .await
    .expect(200);
    app.get(&tech.token, "/sites")
        .await
        .expect_error(401, "session_ended");
    app.login(&tech.email, PASSWORD, Some(&company.slug))
        .await
        .expect_error(403, "account_disabled");
    app.call(
        Method::POST,
        "/auth/refresh",
        None,
        Some(json!({"refresh_token": tech.refresh_token})),
    )
    .await
    .expect_error(401, "invalid_refresh_token");
    // Reactivated, they can log in again.
    app.patch(
        &company.admin.token,
        &format!("/users/{}", tech.id),
        json!({"active": true}),
    )
    .await
    .expect(200);
    app.login(&tech.email, PASSWORD, Some(&company.slug))
        .await
        .expect(200);
}

#[tokio::test]
async fn me_updates_profile_and_password_change_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin;
    let other = person_from(
        &app.login(&admin.email, PASSWORD, None)
            .await
            .expect(200)
            .body,
    );

    let me = app
        .patch(
            &admin.token,
            "/me",
            json!({"full_name": "Alice Dupont", "locale": "fr"}),
        )
        .await
        .expect(200);
    assert_eq!(me.body["user"]["full_name"], "Alice Dupont");
    assert_eq!(me.body["role"]["name"], "Administrateur");

    app.post(
        &admin.token,
        "/me/password",
        json!({"current_password": "Wrong-one-123", "new_password": "Nouveau-mot-2027"}),
    )
    .await
    .expect_error(422, "wrong_password");
    app.post(
        &admin.token,
        "/me/password",
        json!({"current_password": PASSWORD, "new_password": "short"}),
    )
    .await
    .expect_error(422, "weak_password");
    app.post(
        &admin.token,
        "/me/password",
        json!({"current_password": PASSWORD, "new_password": "Nouveau-mot-2027"}),
    )
    .await
    .expect(204);
    app.get(&admin.token, "/me").await.expect(200);
    app.get(&other.token, "/me")
        .await
        .expect_error(401, "session_ended");
    app.login(&admin.email, PASSWORD, None)
        .await
        .expect_error(401, "invalid_credentials");
    app.login(&admin.email, "Nouveau-mot-2027", None)
        .await
        .expect(200);
}

#[tokio::test]
async fn tenant_transactions_never_leak_their_search_path() {
    // A pool of one connection: the tenant transaction and the next borrower share it.
    let pool = gmao_tests::pool(1).await;
    let app = TestApp::spawn_on(pool.clone(), test_settings()).await;
    let company = app.signup().await;
    let tenant_id = TenantId(company.tenant_id.parse().unwrap_or_default());
    let mut tx = TenantTx::begin(&pool, tenant_id, gmao_db::Actor::system())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let inside: String = sqlx_scalar(tx.conn(), "SHOW search_path").await;
    assert!(
        inside.contains(&tenant_id.schema().name().to_owned()),
        "{inside}"
    );
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
    let mut conn = pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
    let after: String = sqlx_scalar(&mut conn, "SHOW search_path").await;
    assert!(
        !after.contains("t_"),
        "search_path leaked to the next borrower: {after}"
    );
}

async fn sqlx_scalar(conn: &mut gmao_db::sqlx::PgConnection, sql: &'static str) -> String {
    gmao_db::sqlx::query_scalar(sql)
        .fetch_one(conn)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn a_member_of_several_companies_lists_and_switches_them() {
    let app = TestApp::spawn().await;
    let first = app.signup().await;
    let second = app.signup().await;
    // The first company's administrator joins the second by invitation. Their address was
    // never proven: accepting proves it, with a password chosen then, and ends older sessions.
    let viewer = app.role_id(&second, "viewer").await;
    app.post(
        &second.admin.token,
        "/users",
        json!({"email": first.admin.email, "full_name": "X", "role_id": viewer}),
    )
    .await
    .expect(201);
    app.accept_invitation(&first.admin.email, "Nouveau-mot-2-passe")
        .await
        .expect(200);
    app.get(&first.admin.token, "/me")
        .await
        .expect_error(401, "session_ended");
    let login = app
        .login(&first.admin.email, "Nouveau-mot-2-passe", Some(&first.slug))
        .await
        .expect(200);
    let first = gmao_tests::Company {
        admin: person_from(&login.body),
        ..first
    };
    let mine = app.get(&first.admin.token, "/me/tenants").await.expect(200);
    assert_eq!(mine.body["total"], 2);
    let current: Vec<_> = mine.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["current"] == true)
        .filter_map(|t| t["slug"].as_str())
        .collect();
    assert_eq!(current, vec![first.slug.as_str()]);

    let switched = app
        .call(
            Method::POST,
            "/auth/switch",
            Some(&first.admin.token),
            Some(json!({"tenant_slug": second.slug})),
        )
        .await
        .expect(200);
    assert_eq!(switched.body["tenant"]["slug"], second.slug.as_str());
    let token = switched.body["access_token"].as_str().unwrap_or_default();
    let me = app.get(token, "/me").await.expect(200);
    assert_eq!(me.body["role"]["key"], "viewer");
    // The old session ended; a company one does not belong to is refused.
    app.get(&first.admin.token, "/me")
        .await
        .expect_error(401, "session_ended");
    app.call(
        Method::POST,
        "/auth/switch",
        Some(token),
        Some(json!({"tenant_slug": "no-such-co"})),
    )
    .await
    .expect_error(401, "invalid_credentials");
}

#[tokio::test]
async fn the_web_apps_refresh_token_lives_in_an_httponly_cookie() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let login = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-gmao-session", "cookie")
                .json(&json!({"email": company.admin.email, "password": PASSWORD})),
        )
        .await
        .expect(200);
    assert!(login.body["refresh_token"].is_null(), "{:#}", login.body);
    let cookie = login
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    for part in [
        "gmao_refresh=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
    ] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let token = cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, value)| value.to_owned())
        .unwrap_or_default();
    // Refreshed from the cookie alone, the next token goes back to a cookie.
    let refresh = |cookie_value: String| {
        app.send(
            app.client
                .post(app.url("/api/v1/auth/refresh"))
                .header("x-gmao-session", "cookie")
                .header("cookie", format!("gmao_refresh={cookie_value}"))
                .json(&json!({})),
        )
    };
    let refreshed = refresh(token.clone()).await.expect(200);
    assert!(refreshed.body["refresh_token"].is_null());
    assert!(refreshed.body["access_token"].is_string());
    let next = refreshed
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        next.starts_with("gmao_refresh=") && !next.contains(&token),
        "{next}"
    );
    // The old one was used: presenting it again ends the session.
    refresh(token)
        .await
        .expect_error(401, "refresh_token_reused");
    // Without a cookie or a token, nothing.
    app.call(Method::POST, "/auth/refresh", None, Some(json!({})))
        .await
        .expect_error(401, "invalid_refresh_token");
    // Logging out forgets the cookie.
    let fresh = app
        .login(&company.admin.email, PASSWORD, None)
        .await
        .expect(200);
    let out = app
        .call(
            Method::POST,
            "/auth/logout",
            fresh.body["access_token"].as_str(),
            None,
        )
        .await
        .expect(204);
    let cleared = out
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        cleared.contains("Max-Age=0") && cleared.contains("gmao_refresh=;"),
        "{cleared}"
    );
    // API clients keep the body form.
    assert!(fresh.body["refresh_token"].is_string());
}
