//! API conventions: error bodies for every kind of bad input, lists, OpenAPI, health, metrics.

use gmao_tests::TestApp;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn malformed_input_gets_a_json_4xx_never_a_500() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let token = &company.admin.token;
    let raw = |method: Method, path: &str, body: &'static str| {
        app.client
            .request(method, app.url(&format!("/api/v1{path}")))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
    };
    app.send(raw(Method::POST, "/sites", "{\"code\": "))
        .await
        .expect_error(400, "invalid_json");
    app.send(raw(Method::POST, "/sites", "not json"))
        .await
        .expect_error(400, "invalid_json");
    app.send(raw(
        Method::POST,
        "/sites",
        "{\"code\": [\"LYN\"], \"name\": \"A\", \"time_zone\": \"Europe/Paris\"}",
    ))
    .await
    .expect_error(400, "invalid_request");
    app.send(raw(Method::POST, "/sites", "{\"name\": \"A\"}"))
        .await
        .expect_error(400, "invalid_request");
    app.send(raw(Method::POST, "/sites", "[]"))
        .await
        .expect_error(400, "invalid_request");
    app.send(raw(Method::GET, "/users?active=maybe", ""))
        .await
        .expect_error(400, "invalid_parameter");
    // Unknown enum value.
    app.send(raw(Method::PATCH, "/me", "{\"locale\": \"klingon\"}"))
        .await
        .expect_error(400, "invalid_request");
    // Bad UUIDs in the path and the query.
    app.get(token, "/sites/not-a-uuid")
        .await
        .expect_error(400, "invalid_parameter");
    app.get(token, "/plants?site_id=42")
        .await
        .expect_error(400, "invalid_parameter");
    // Paging and sorting bounds.
    app.get(token, "/sites?per_page=0")
        .await
        .expect_error(400, "invalid_parameter");
    app.get(token, "/sites?per_page=201")
        .await
        .expect_error(400, "invalid_parameter");
    app.get(token, "/sites?page=0")
        .await
        .expect_error(400, "invalid_parameter");
    let sort = app
        .get(token, "/sites?sort=password")
        .await
        .expect_error(400, "invalid_sort");
    assert!(
        sort.body["details"]["accepted"]
            .as_array()
            .is_some_and(|a| a.iter().any(|k| k == "-name"))
    );
    // Wrong content type.
    let reply = app
        .send(
            app.client
                .post(app.url("/api/v1/sites"))
                .bearer_auth(token)
                .header("content-type", "text/plain")
                .body("x"),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 415, "{:#}", reply.body);
    assert_eq!(reply.code(), "unsupported_content_type");
    // Unknown routes and methods.
    app.get(token, "/nowhere")
        .await
        .expect_error(404, "route_not_found");
    let reply = app
        .call(Method::PUT, "/sites", Some(token), Some(json!({})))
        .await;
    assert_eq!(reply.status.as_u16(), 405, "{:#}", reply.body);
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let big = "x".repeat(2 * 1024 * 1024);
    let reply = app
        .post(
            &company.admin.token,
            "/sites",
            json!({"code": "BIG", "name": big, "time_zone": "UTC"}),
        )
        .await
        .expect_error(413, "payload_too_large");
    assert_eq!(reply.body["details"]["max_bytes"], 1024 * 1024);
    // Without Content-Length (chunked), the limit holds too.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..40).map(|_| Ok(vec![b' '; 64 * 1024])).collect();
    let body = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
    app.send(
        app.client
            .post(app.url("/api/v1/sites"))
            .bearer_auth(&company.admin.token)
            .header("content-type", "application/json")
            .body(body),
    )
    .await
    .expect_error(413, "payload_too_large");
}

#[tokio::test]
async fn missing_garbage_and_foreign_tokens_get_401() {
    let app = TestApp::spawn().await;
    app.call(Method::GET, "/me", None, None)
        .await
        .expect_error(401, "unauthenticated");
    app.call(Method::GET, "/me", Some("garbage"), None)
        .await
        .expect_error(401, "invalid_token");
    // Signed with another secret.
    let other = gmao_api::tokens::TokenKeys::new(
        &secrecy::SecretString::from("some-other-secret-of-sufficient-length".to_owned()),
        std::time::Duration::from_secs(60),
    );
    let (forged, _) = other
        .issue(
            uuid::Uuid::now_v7(),
            Some(uuid::Uuid::now_v7()),
            uuid::Uuid::now_v7(),
        )
        .unwrap_or_default();
    app.call(Method::GET, "/me", Some(&forged), None)
        .await
        .expect_error(401, "invalid_token");
    let reply = app
        .send(
            app.client
                .get(app.url("/api/v1/me"))
                .header("authorization", "Basic dXNlcjpwYXNz"),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 401, "{:#}", reply.body);
}

#[tokio::test]
async fn errors_speak_the_callers_language_and_carry_the_request_id() {
    let app = TestApp::spawn().await;
    let french = app
        .send(app.client.get(app.url("/api/v1/me")))
        .await
        .expect_error(401, "unauthenticated");
    let english = app
        .send(
            app.client
                .get(app.url("/api/v1/me"))
                .header("accept-language", "en-GB,en;q=0.9"),
        )
        .await
        .expect_error(401, "unauthenticated");
    assert_eq!(french.body["message"], "Vous devez vous connecter.");
    assert_eq!(english.body["message"], "You need to log in.");
    let reply = app
        .send(
            app.client
                .get(app.url("/api/v1/me"))
                .header("x-request-id", "trace-abc-123"),
        )
        .await;
    assert_eq!(
        reply
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("trace-abc-123")
    );
    let generated = app.send(app.client.get(app.url("/healthz"))).await;
    assert!(generated.headers.get("x-request-id").is_some());
}

#[tokio::test]
async fn lists_answer_items_total_page_per_page() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let token = &company.admin.token;
    for name in ["Alpha", "Bravo", "Charlie", "Delta", "Echo"] {
        app.site(token, name).await;
    }
    let page = app
        .get(token, "/sites?per_page=2&page=2&sort=-name")
        .await
        .expect(200);
    assert_eq!(page.body["total"], 5);
    assert_eq!(page.body["page"], 2);
    assert_eq!(page.body["per_page"], 2);
    let names: Vec<_> = page.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, vec!["Charlie", "Bravo"]);
    // Past the end: no items, and still the right total.
    let beyond = app.get(token, "/sites?per_page=2&page=9").await.expect(200);
    assert_eq!(beyond.body["items"], json!([]));
    assert_eq!(beyond.body["total"], 5);
    // Search.
    let found = app.get(token, "/sites?q=arl").await.expect(200);
    assert_eq!(found.body["total"], 1);
    assert_eq!(found.body["items"][0]["name"], "Charlie");
}

#[tokio::test]
async fn openapi_docs_health_and_metrics_are_served() {
    let app = TestApp::spawn().await;
    let spec = app
        .send(app.client.get(app.url("/api/openapi.json")))
        .await
        .expect(200);
    let paths = spec.body["paths"].as_object().cloned().unwrap_or_default();
    for path in [
        "/auth/signup",
        "/auth/login",
        "/auth/refresh",
        "/auth/logout",
        "/me",
        "/me/password",
        "/tenant",
        "/users",
        "/users/{id}",
        "/roles",
        "/roles/{id}",
        "/permissions",
        "/sites",
        "/sites/{id}",
        "/plants",
        "/plants/{id}",
        "/production-lines",
        "/production-lines/{id}",
        "/audit-log",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    // Every operation documents its errors and every schema field is described by type.
    let signup = &spec.body["paths"]["/auth/signup"]["post"]["responses"];
    for status in ["201", "400", "409", "422"] {
        assert!(
            signup.get(status).is_some(),
            "signup does not document {status}"
        );
    }
    let docs = app.send(app.client.get(app.url("/api/docs"))).await;
    assert_eq!(docs.status.as_u16(), 200);

    let health = app
        .send(app.client.get(app.url("/healthz")))
        .await
        .expect(200);
    assert_eq!(health.body["checks"]["database"], true, "{:#}", health.body);
    let ready = app.send(app.client.get(app.url("/readyz"))).await;
    assert_eq!(ready.body["checks"]["database"], true, "{:#}", ready.body);
    // Other companies' migrations may be under way in parallel tests: only the shape here.
    assert!(
        ready.body["checks"]["migrations_current"].is_boolean(),
        "{:#}",
        ready.body
    );
    // Readiness says yes or no, never how many companies there are.
    assert!(
        !ready.body.to_string().chars().any(|c| c.is_ascii_digit()),
        "{:#}",
        ready.body
    );

    app.signup().await;
    let metrics = app
        .send(app.client.get(app.url("/metrics")))
        .await
        .expect(200);
    let text = metrics.body.as_str().unwrap_or_default().to_owned();
    assert!(text.contains("gmao_http_requests_total{"), "{text}");
    assert!(text.contains("route=\"/api/v1/auth/signup\""), "{text}");
    assert!(
        text.contains("gmao_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("gmao_db_pool_connections"), "{text}");
    assert!(text.contains("gmao_tenants{status=\"active\"}"), "{text}");
}

#[tokio::test]
async fn the_web_app_is_served_with_a_fallback_to_its_index() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.path().join("assets")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>gmao</title>",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("assets/app-1234.js"), "console.log(1)")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut settings = gmao_tests::test_settings();
    settings.web_dir = Some(dir.path().to_path_buf());
    let app = TestApp::spawn_with(settings).await;
    let get = |path: &'static str| app.send(app.client.get(app.url(path)));
    for path in ["/", "/admin/sites", "/login?next=%2F"] {
        let reply = get(path).await.expect(200);
        assert!(
            reply
                .body
                .as_str()
                .is_some_and(|b| b.contains("<title>gmao</title>")),
            "{path}: {:?}",
            reply.body
        );
    }
    let script = get("/assets/app-1234.js").await.expect(200);
    assert_eq!(
        script.body,
        serde_json::Value::String("console.log(1)".into())
    );
    // The API keeps its JSON errors.
    get("/api/v1/nope")
        .await
        .expect_error(404, "route_not_found");
    get("/api/nope").await.expect_error(404, "route_not_found");
    app.send(app.client.get(app.url("/api/openapi.json")))
        .await
        .expect(200);
}

#[test]
fn every_test_docs_security_names_exists() {
    let doc = include_str!("../../docs/security.md");
    let api = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("api");
    let mut named = 0;
    for token in doc.split('`') {
        let Some((module, name)) = token.split_once("::") else {
            continue;
        };
        if module.is_empty()
            || name.is_empty()
            || !module.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            || name.ends_with('*')
        {
            continue;
        }
        let file = api.join(format!("{module}.rs"));
        let Ok(source) = std::fs::read_to_string(&file) else {
            // Unit tests of a crate (recurrence::…, pm::…, private_file::…).
            let found = ["crates/domain/src", "crates/db/src"].iter().any(|dir| {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("..")
                    .join(dir)
                    .join(format!("{module}.rs"));
                std::fs::read_to_string(path).is_ok_and(|s| s.contains(&format!("fn {name}(")))
            });
            assert!(
                found,
                "docs/security.md names {token}, which does not exist"
            );
            named += 1;
            continue;
        };
        assert!(
            source.contains(&format!("fn {name}(")),
            "docs/security.md names {token}, which is not in tests/api/{module}.rs"
        );
        named += 1;
    }
    assert!(named > 20, "only {named} tests named");
}
