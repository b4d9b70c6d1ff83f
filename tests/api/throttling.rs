//! Password guessing and the slow work it causes: attempts are counted before any hash runs,
//! hashing holds no connection, budgets are per account and address so a stranger cannot lock
//! someone out for long, and uploads hold nothing while their bytes travel.

use std::time::Duration;

use futures::future::join_all;
use gmao_api::Rate;
use gmao_tests::client::PASSWORD;
use gmao_tests::gated_store::{Gate, GatedStore};
use gmao_tests::{TestApp, pool, test_settings, unique};
use reqwest::Method;
use serde_json::json;

fn login_from<'a>(
    app: &'a TestApp,
    address: &str,
    email: &str,
    password: &str,
) -> impl std::future::Future<Output = gmao_tests::client::Reply> + 'a {
    let request = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", address.to_owned())
        .json(&json!({"email": email, "password": password}));
    app.send(request)
}

fn retry_after(reply: &gmao_tests::client::Reply) -> u64 {
    reply
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_parallel_burst_of_wrong_passwords_hashes_no_more_than_the_budget() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let email = company.admin.email.clone();
    let replies = join_all((0..40).map(|_| app.login(&email, "Wrong-password-9", None))).await;
    let refused = replies.iter().filter(|r| r.status.as_u16() == 429).count();
    let checked = replies.iter().filter(|r| r.status.as_u16() == 401).count();
    // Five attempts per account and address: exactly five passwords were checked.
    assert_eq!((checked, refused), (5, 35), "{replies:#?}");
    assert!(
        replies
            .iter()
            .filter(|r| r.status.as_u16() == 429)
            .all(|r| r.code() == "too_many_attempts" && retry_after(r) > 0)
    );
}

#[tokio::test]
async fn malformed_or_oversized_credentials_are_refused_before_anything() {
    let app = TestApp::spawn().await;
    let long_email = format!("{}@example.com", "a".repeat(5000));
    app.login(&long_email, PASSWORD, None)
        .await
        .expect_error(422, "invalid_email");
    app.login("not-an-email", PASSWORD, None)
        .await
        .expect_error(422, "invalid_email");
    let company = app.signup().await;
    app.login(&company.admin.email, &"x1".repeat(200), None)
        .await
        .expect_error(422, "too_long");
    // None of that was a guess: the budget is whole.
    for _ in 0..4 {
        app.login(&company.admin.email, "Wrong-password-9", None)
            .await
            .expect_error(401, "invalid_credentials");
    }
    app.login(&company.admin.email, PASSWORD, None)
        .await
        .expect(200);
}

#[tokio::test]
async fn a_stranger_cannot_lock_someone_out_for_long() {
    let mut settings = test_settings();
    settings.trust_forwarded_for = true;
    settings.limits.login_per_account = Rate::new(10, Duration::from_secs(3600));
    let app = TestApp::spawn_with(settings).await;
    let company = app.signup().await;
    let email = company.admin.email.clone();
    // A stranger spends the budget of one address: the person, elsewhere, logs in.
    for _ in 0..5 {
        login_from(&app, "198.51.100.7", &email, "Wrong-password-9")
            .await
            .expect_error(401, "invalid_credentials");
    }
    login_from(&app, "198.51.100.7", &email, PASSWORD)
        .await
        .expect_error(429, "too_many_attempts");
    login_from(&app, "192.0.2.10", &email, PASSWORD)
        .await
        .expect(200);
    // Strangers from many addresses spend the account's hourly budget: the person waits one
    // interval (an hour over ten attempts), not the hour.
    for octet in 1..=10 {
        login_from(
            &app,
            &format!("203.0.113.{octet}"),
            &email,
            "Wrong-password-9",
        )
        .await;
    }
    let refused = login_from(&app, "192.0.2.10", &email, PASSWORD)
        .await
        .expect_error(429, "too_many_attempts");
    let wait = retry_after(&refused);
    assert!((1..=360).contains(&wait), "retry after {wait} s");
}

#[tokio::test]
async fn hashing_holds_no_database_connection() {
    // One connection for the whole server: a login holding it while hashing would starve
    // every other request.
    let mut settings = test_settings();
    settings.concurrent_hashes = 1;
    let app = TestApp::spawn_on(pool(1).await, settings).await;
    let company = app.signup().await;
    let paused = app.state.hasher.pause().await;
    let logins =
        join_all((0..3).map(|_| app.login(&company.admin.email, "Wrong-password-9", None)));
    let others = async {
        // Let the logins reach the hashing step first.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let me = app.get(&company.admin.token, "/me").await;
        drop(paused);
        me
    };
    let (logins, me) = tokio::join!(logins, others);
    me.expect(200);
    for login in logins {
        login.expect_error(401, "invalid_credentials");
    }
}

#[tokio::test]
async fn changing_ones_password_is_throttled_and_hashes_outside_transactions() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let token = &company.admin.token;
    for _ in 0..5 {
        app.post(
            token,
            "/me/password",
            json!({"current_password": "Wrong-password-9", "new_password": "Nouveau-mot-2-passe"}),
        )
        .await
        .expect_error(422, "wrong_password");
    }
    app.post(
        token,
        "/me/password",
        json!({"current_password": PASSWORD, "new_password": "Nouveau-mot-2-passe"}),
    )
    .await
    .expect_error(429, "too_many_attempts");
}

#[tokio::test]
async fn sign_ups_are_limited_per_address() {
    let mut settings = test_settings();
    settings.trust_forwarded_for = true;
    settings.limits.signups_per_address = Rate::new(2, Duration::from_secs(3600));
    let app = TestApp::spawn_with(settings).await;
    let signup = |address: &'static str| {
        let slug = unique("lim");
        let request = app
            .client
            .post(app.url("/api/v1/auth/signup"))
            .header("x-forwarded-for", address)
            .json(&json!({
                "company_name": format!("Usine {slug}"),
                "tenant_slug": slug,
                "full_name": "Alice Admin",
                "email": format!("{}@example.com", unique("admin")),
                "password": PASSWORD,
            }));
        app.send(request)
    };
    signup("198.51.100.20").await.expect(201);
    signup("198.51.100.20").await.expect(201);
    signup("198.51.100.20")
        .await
        .expect_error(429, "too_many_attempts");
    signup("198.51.100.21").await.expect(201);
}

#[tokio::test]
async fn an_upload_is_authorised_before_its_body_is_read_and_holds_nothing_while_stored() {
    let gate = Gate::default();
    let storage = gmao_storage::Storage::from_store(
        std::sync::Arc::new(GatedStore::new(gate.clone())),
        "gated",
    );
    let app = TestApp::spawn_with_storage(pool(1).await, test_settings(), storage).await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let site = app.site(admin, "Lyon").await;
    let equipment = app.equipment(admin, &site, "UP").await;
    let path = format!("/api/v1/equipment/{equipment}/attachments");

    // A body that never ends: a refusal must come without waiting for it.
    let endless = || {
        let first = futures::stream::once(async {
            Ok::<_, std::io::Error>(
                b"--x\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n"
                    .to_vec(),
            )
        });
        reqwest::Body::wrap_stream(first.chain(futures::stream::pending()))
    };
    use futures::StreamExt as _;
    let send = |token: Option<String>| {
        let mut request = app
            .client
            .post(app.url(&path))
            .timeout(Duration::from_secs(10))
            .header("content-type", "multipart/form-data; boundary=x")
            .body(endless());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        app.send(request)
    };
    send(None).await.expect_error(401, "unauthenticated");
    send(Some("not-a-token".into()))
        .await
        .expect_error(401, "invalid_token");
    let viewer = app.add_member(&company, "viewer", None).await;
    send(Some(viewer.token.clone()))
        .await
        .expect_error(403, "forbidden");

    // While the bytes are being stored, the upload holds no connection (the server has one).
    let closed = gate.close().await;
    let attachments = format!("/equipment/{equipment}/attachments");
    let upload = app.upload(
        admin,
        &attachments,
        "plaque.png",
        gmao_tests::client::PNG.to_vec(),
    );
    let meanwhile = async {
        gate.arrived().await;
        let other = app
            .patch(
                admin,
                &format!("/equipment/{equipment}"),
                json!({"name": "Presse 2"}),
            )
            .await;
        drop(closed);
        other
    };
    let (uploaded, other) = tokio::join!(upload, meanwhile);
    other.expect(200);
    uploaded.expect(201);
    let list = app
        .call(
            Method::GET,
            &format!("/equipment/{equipment}/attachments"),
            Some(admin),
            None,
        )
        .await
        .expect(200);
    assert_eq!(list.body["total"], 1);
}
