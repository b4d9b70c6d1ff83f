//! A user of tenant A can neither read nor change anything of tenant B, whatever ids they send.

use gmao_tests::client::ids;
use gmao_tests::{TestApp, test_settings};
use serde_json::json;

#[tokio::test]
async fn every_endpoint_family_answers_404_for_another_tenants_ids() {
    let app = TestApp::spawn().await;
    let a = app.signup().await;
    let b = app.signup().await;
    let tb = &b.admin.token;
    let ta = &a.admin.token;

    let b_site = app.site(tb, "Site B").await;
    let b_plant = app.plant(tb, &b_site, "Plant B").await;
    let b_line = app.line(tb, &b_plant, "Line B").await;
    let b_member = app.add_member(&b, "technician", None).await;
    let b_role = app
        .post(
            tb,
            "/roles",
            json!({"name": "Role B", "permissions": ["sites:read"]}),
        )
        .await
        .expect(201)
        .id();
    let a_site = app.site(ta, "Site A").await;

    for (family, id) in [
        ("sites", &b_site),
        ("plants", &b_plant),
        ("production-lines", &b_line),
        ("users", &b_member.id),
        ("roles", &b_role),
    ] {
        let path = format!("/{family}/{id}");
        app.get(ta, &path).await.expect_error(404, "not_found");
        app.patch(ta, &path, json!({"name": "Hijacked"}))
            .await
            .expect_error(404, "not_found");
        if family != "users" {
            app.delete(ta, &path).await.expect_error(404, "not_found");
        }
        let list = app.get(ta, &format!("/{family}")).await.expect(200);
        assert!(
            !ids(&list).contains(id),
            "{family} list of A shows B's {id}"
        );
    }
    app.patch(
        ta,
        &format!("/users/{}", b_member.id),
        json!({"active": false}),
    )
    .await
    .expect_error(404, "not_found");

    // B's parents cannot be used to create children in A.
    app.post(
        ta,
        "/plants",
        json!({"site_id": b_site, "code": "X", "name": "X"}),
    )
    .await
    .expect_error(422, "unknown_site");
    app.post(
        ta,
        "/production-lines",
        json!({"plant_id": b_plant, "code": "X", "name": "X"}),
    )
    .await
    .expect_error(422, "unknown_plant");
    // Nor can A's objects be moved under B's.
    let a_plant = app.plant(ta, &a_site, "Plant A").await;
    app.patch(
        ta,
        &format!("/plants/{a_plant}"),
        json!({"site_id": b_site}),
    )
    .await
    .expect_error(422, "unknown_site");
    // B's role or sites cannot be given to A's members.
    let a_member_role = app.role_id(&a, "viewer").await;
    app.post(ta, "/users", json!({"email": "x@example.com", "full_name": "X", "password": "Roulement-42-graisse", "role_id": b_role}))
        .await
        .expect_error(422, "unknown_role");
    app.post(ta, "/users", json!({"email": "x@example.com", "full_name": "X", "password": "Roulement-42-graisse", "role_id": a_member_role, "site_ids": [b_site]}))
        .await
        .expect_error(422, "unknown_site");
    // The audit log of A never shows B's entities.
    let audit = app
        .get(ta, &format!("/audit-log?entity_id={b_site}"))
        .await
        .expect(200);
    assert_eq!(audit.body["total"], 0);

    // B's data is intact.
    let site = app.get(tb, &format!("/sites/{b_site}")).await.expect(200);
    assert_eq!(site.body["name"], "Site B");
    app.get(tb, &format!("/users/{}", b_member.id))
        .await
        .expect(200);
}

#[tokio::test]
async fn a_token_cannot_be_pointed_at_another_tenant() {
    let app = TestApp::spawn().await;
    let a = app.signup().await;
    let b = app.signup().await;
    let claims = app
        .state
        .tokens
        .verify(&a.admin.token)
        .unwrap_or_else(|e| panic!("{e}"));
    // A correctly signed token naming A's person and session but B's tenant.
    let (forged, _) = app
        .state
        .tokens
        .issue(
            claims.sub,
            Some(b.tenant_id.parse().unwrap_or_default()),
            claims.sid,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    app.get(&forged, "/sites")
        .await
        .expect_error(401, "session_ended");
    app.get(&forged, "/me")
        .await
        .expect_error(401, "session_ended");
}

#[tokio::test]
async fn concurrent_requests_of_two_tenants_over_a_small_pool_never_mix() {
    // Two connections for many concurrent requests: every connection serves both tenants in
    // turn, which is where a leaked search_path would show.
    let pool = gmao_tests::pool(2).await;
    let app = TestApp::spawn_on(pool, test_settings()).await;
    let a = app.signup().await;
    let b = app.signup().await;
    let mut a_sites = Vec::new();
    let mut b_sites = Vec::new();
    for i in 0..3 {
        a_sites.push(app.site(&a.admin.token, &format!("A{i}")).await);
        b_sites.push(app.site(&b.admin.token, &format!("B{i}")).await);
    }
    a_sites.sort();
    b_sites.sort();
    let requests = (0..60).map(|i| {
        let (token, expected) = if i % 2 == 0 {
            (&a.admin.token, &a_sites)
        } else {
            (&b.admin.token, &b_sites)
        };
        let app = &app;
        async move {
            let mut seen = ids(&app.get(token, "/sites?per_page=200").await.expect(200));
            seen.sort();
            assert_eq!(&seen, expected, "request {i} saw another tenant's sites");
        }
    });
    futures::future::join_all(requests).await;
}
