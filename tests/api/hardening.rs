//! What a stranger on the internet would try against the edges of the API: unbounded ranges,
//! odd characters, forged request ids, the operator's endpoints, and the headers browsers act on.

use chrono::{Duration, Utc};
use gmao_tests::TestApp;
use reqwest::Method;
use serde_json::json;

/// Today in the sites' time zone, as an ISO date.
fn today() -> String {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive()
        .to_string()
}

#[tokio::test]
async fn forecasts_previews_and_the_calendar_do_bounded_work_whatever_the_range() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let site = app.site(admin, "Lyon").await;
    let equipment = app.equipment(admin, &site, "PM").await;
    let daily = json!({"equipment_id": equipment, "title": "Graissage", "starts_on": today(),
        "trigger": {"kind": "calendar", "every": 1, "unit": "day"}});
    let plan = app
        .post(admin, "/pm-plans", daily.clone())
        .await
        .expect(201)
        .id();

    // The year 262142 (the `+` sent encoded): refused before any date is computed.
    let far = app
        .get(
            admin,
            &format!("/pm-plans/{plan}/forecast?until=%2B262142-12-31"),
        )
        .await
        .expect_error(422, "range_too_long");
    assert!(
        far.body["details"]["fields"]["until"]["max"].is_string(),
        "{:#}",
        far.body
    );
    let in_six_years = (Utc::now() + Duration::days(6 * 366)).date_naive();
    app.get(
        admin,
        &format!("/pm-plans/{plan}/forecast?until={in_six_years}"),
    )
    .await
    .expect_error(422, "range_too_long");
    // Four years of a daily plan: answered, and cut at 200 occurrences.
    let in_four_years = (Utc::now() + Duration::days(4 * 365)).date_naive();
    let four = app
        .get(
            admin,
            &format!("/pm-plans/{plan}/forecast?until={in_four_years}"),
        )
        .await
        .expect(200);
    assert_eq!(four.body["items"].as_array().map(Vec::len), Some(200));

    // A viewer may preview; not without bound.
    let viewer = app.add_member(&company, "viewer", None).await;
    let mut preview = daily.clone();
    preview["until"] = json!("+262142-12-31");
    app.post(&viewer.token, "/pm-plans/preview", preview)
        .await
        .expect_error(422, "range_too_long");
    let mut preview = daily;
    preview["until"] = json!(in_four_years.to_string());
    let previewed = app
        .post(&viewer.token, "/pm-plans/preview", preview)
        .await
        .expect(200);
    assert_eq!(previewed.body["items"].as_array().map(Vec::len), Some(200));

    // The calendar forecasts from `from`, not from today: a month two years ahead is full.
    let from = (Utc::now() + Duration::days(730)).date_naive();
    let to = from + Duration::days(30);
    let calendar = app
        .get(
            admin,
            &format!("/calendar?from={from}T00:00:00Z&to={to}T00:00:00Z"),
        )
        .await
        .expect(200);
    let forecasts: Vec<&serde_json::Value> = calendar.body["items"]
        .as_array()
        .map(|items| items.iter().filter(|e| e["kind"] == "forecast").collect())
        .unwrap_or_default();
    assert!(
        (29..=31).contains(&forecasts.len()),
        "a daily plan over 30 days: {}",
        forecasts.len()
    );
    let first = forecasts[0]["due_at"].as_str().unwrap_or_default();
    assert!(first >= from.to_string().as_str(), "{first}");
    // Beyond the horizon, or a window over 400 days: refused.
    app.get(
        admin,
        "/calendar?from=2999-01-01T00:00:00Z&to=2999-02-01T00:00:00Z",
    )
    .await
    .expect_error(422, "range_too_long");
    app.get(
        admin,
        &format!(
            "/calendar?from={}T00:00:00Z&to={}T00:00:00Z",
            today(),
            (Utc::now() + Duration::days(500)).date_naive()
        ),
    )
    .await
    .expect_error(422, "range_too_long");
}

#[tokio::test]
async fn text_with_a_nul_character_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    app.post(
        admin,
        "/sites",
        json!({"code": "NUL", "name": "Lyon", "address": "1 rue\u{0} du Port", "time_zone": "UTC"}),
    )
    .await
    .expect_error(422, "invalid_characters");
    app.post(
        admin,
        "/sites",
        json!({"code": "NUL", "name": "Ly\u{0}on", "time_zone": "UTC"}),
    )
    .await
    .expect_error(422, "invalid_characters");
    // In a search, where no rule looks at the text before the database does.
    app.get(admin, "/sites?q=a%00b")
        .await
        .expect_error(422, "invalid_characters");
    let sites = app.get(admin, "/sites").await.expect(200);
    assert_eq!(sites.body["total"], 0, "{:#}", sites.body);
}

#[tokio::test]
async fn a_callers_request_id_is_kept_only_when_it_looks_like_one() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let forged = "<img src=x onerror=alert(1)>";
    let created = app
        .send(
            app.client
                .post(app.url("/api/v1/sites"))
                .bearer_auth(admin)
                .header("x-request-id", forged)
                .json(&json!({"code": "RID", "name": "Lyon", "time_zone": "UTC"})),
        )
        .await
        .expect(201);
    let answered = created
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_ne!(answered, forged);
    assert!(answered.parse::<uuid::Uuid>().is_ok(), "{answered}");
    let log = app
        .get(
            admin,
            &format!("/audit-log?entity=site&entity_id={}", created.id()),
        )
        .await
        .expect(200);
    assert_eq!(log.body["items"][0]["request_id"], answered.as_str());
}

#[tokio::test]
async fn operators_endpoints_say_no_more_than_they_must() {
    let mut settings = gmao_tests::test_settings();
    settings.metrics_token = Some("prometheus-token-0123456789".to_owned().into());
    let app = TestApp::spawn_with(settings).await;
    let metrics = |token: Option<&'static str>| {
        let mut request = app.client.get(app.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        app.send(request)
    };
    metrics(None).await.expect_error(401, "unauthenticated");
    metrics(Some("guess"))
        .await
        .expect_error(401, "unauthenticated");
    let text = metrics(Some("prometheus-token-0123456789"))
        .await
        .expect(200);
    assert!(
        text.body.as_str().is_some_and(
            |t| t.contains("gmao_tenants") && t.contains("gmao_mail_outbox{status=\"failed\"}")
        ),
        "{:?}",
        text.body
    );
    let ready = app.send(app.client.get(app.url("/readyz"))).await;
    assert!(ready.body["checks"].is_object(), "{:#}", ready.body);
    assert!(
        !ready.body.to_string().chars().any(|c| c.is_ascii_digit()),
        "{:#}",
        ready.body
    );
}

#[tokio::test]
async fn browsers_are_told_to_run_only_our_scripts_and_never_frame_us() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>gmao</title>",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut settings = gmao_tests::test_settings();
    settings.web_dir = Some(dir.path().to_path_buf());
    settings.public_url = "https://gmao.example.com".into();
    let app = TestApp::spawn_with(settings).await;
    let header = |reply: &gmao_tests::client::Reply, name: &str| {
        reply
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let page = app
        .send(app.client.get(app.url("/work-orders")))
        .await
        .expect(200);
    let policy = header(&page, "content-security-policy");
    assert!(policy.contains("script-src 'self';"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert_eq!(header(&page, "x-content-type-options"), "nosniff");
    assert_eq!(header(&page, "referrer-policy"), "no-referrer");
    assert!(header(&page, "strict-transport-security").contains("max-age="));
    let api = app.call(Method::GET, "/me", None, None).await;
    assert!(header(&api, "content-security-policy").starts_with("default-src 'none'"));
    // The API documentation runs its own inline scripts, allowed one by one by their hash.
    let docs = app
        .send(app.client.get(app.url("/api/docs")))
        .await
        .expect(200);
    let docs_policy = header(&docs, "content-security-policy");
    assert!(docs_policy.contains("'sha256-"), "{docs_policy}");
    assert!(
        !docs_policy.contains("unsafe-inline';  script"),
        "{docs_policy}"
    );
    assert!(
        !docs_policy.contains("script-src 'unsafe-inline'"),
        "{docs_policy}"
    );

    // Over plain http (the embedded default), no HSTS.
    let plain = TestApp::spawn().await;
    let reply = plain.call(Method::GET, "/me", None, None).await;
    assert!(reply.headers.get("strict-transport-security").is_none());
}

#[tokio::test]
async fn health_says_when_the_database_does_not_answer() {
    // A pool on a port where nothing listens: the process is up, its database is not.
    let pool = gmao_db::sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_secs(1))
        .connect_lazy("postgres://nobody@127.0.0.1:1/none")
        .unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::spawn_on(pool, gmao_tests::test_settings()).await;
    let health = app.send(app.client.get(app.url("/healthz"))).await;
    assert_eq!(health.status.as_u16(), 503, "{:#}", health.body);
    assert_eq!(health.body["checks"]["database"], false);
    let ready = app.send(app.client.get(app.url("/readyz"))).await;
    assert_eq!(ready.status.as_u16(), 503);
}
