//! Sites, plants and production lines: create, read, change, delete, validation, conflicts.

use gmao_tests::TestApp;
use gmao_tests::client::ids;
use serde_json::json;

#[tokio::test]
async fn sites_plants_and_lines_have_a_full_lifecycle() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let site = app
        .post(t, "/sites", json!({"code": " lyon-1 ", "name": "Usine de Lyon", "address": "12 rue X", "time_zone": "Europe/Paris"}))
        .await
        .expect(201);
    assert_eq!(site.body["code"], "LYON-1");
    let site_id = site.id();
    let plant = app
        .post(
            t,
            "/plants",
            json!({"site_id": site_id, "code": "usi", "name": "Usinage"}),
        )
        .await
        .expect(201);
    let plant_id = plant.id();
    assert_eq!(plant.body["site_id"], site_id.as_str());
    let line = app
        .post(
            t,
            "/production-lines",
            json!({"plant_id": plant_id, "code": "L1", "name": "Tournage"}),
        )
        .await
        .expect(201);
    assert_eq!(line.body["site_id"], site_id.as_str());
    let line_id = line.id();

    let fetched = app.get(t, &format!("/sites/{site_id}")).await.expect(200);
    assert_eq!(fetched.body["plant_count"], 1);
    let patched = app
        .patch(
            t,
            &format!("/sites/{site_id}"),
            json!({"name": "Lyon Gerland", "address": null, "time_zone": "America/Toronto"}),
        )
        .await
        .expect(200);
    assert_eq!(patched.body["name"], "Lyon Gerland");
    assert!(patched.body["address"].is_null());
    assert_eq!(patched.body["code"], "LYON-1");

    // Parents cannot go while children exist.
    let reply = app
        .delete(t, &format!("/sites/{site_id}"))
        .await
        .expect_error(409, "has_children");
    assert_eq!(reply.body["details"]["plants"], 1);
    app.delete(t, &format!("/plants/{plant_id}"))
        .await
        .expect_error(409, "has_children");
    app.delete(t, &format!("/production-lines/{line_id}"))
        .await
        .expect(204);
    app.delete(t, &format!("/plants/{plant_id}"))
        .await
        .expect(204);
    app.delete(t, &format!("/sites/{site_id}"))
        .await
        .expect(204);
    app.get(t, &format!("/sites/{site_id}"))
        .await
        .expect_error(404, "not_found");
}

#[tokio::test]
async fn codes_are_unique_where_they_should_be_and_fields_are_validated() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    app.post(
        t,
        "/sites",
        json!({"code": "LYN", "name": "Lyon", "time_zone": "Europe/Paris"}),
    )
    .await
    .expect(201);
    let reply = app
        .post(
            t,
            "/sites",
            json!({"code": "lyn", "name": "Lyon bis", "time_zone": "Europe/Paris"}),
        )
        .await
        .expect_error(409, "code_taken");
    assert_eq!(reply.body["details"]["field"], "code");
    app.post(
        t,
        "/sites",
        json!({"code": "PAR", "name": "Paris", "time_zone": "Europe/Lyon"}),
    )
    .await
    .expect_error(422, "invalid_time_zone");
    app.post(
        t,
        "/sites",
        json!({"code": "a b", "name": " ", "time_zone": "UTC"}),
    )
    .await
    .expect_error(422, "validation_failed");
    // Plant codes are unique within a site, not across sites.
    let a = app.site(t, "A").await;
    let b = app.site(t, "B").await;
    app.post(
        t,
        "/plants",
        json!({"site_id": a, "code": "MAIN", "name": "Main"}),
    )
    .await
    .expect(201);
    app.post(
        t,
        "/plants",
        json!({"site_id": b, "code": "MAIN", "name": "Main"}),
    )
    .await
    .expect(201);
    app.post(
        t,
        "/plants",
        json!({"site_id": a, "code": "main", "name": "Again"}),
    )
    .await
    .expect_error(409, "code_taken");
    // Nothing of the refused writes was kept.
    let sites = app.get(t, "/sites?per_page=200").await.expect(200);
    assert_eq!(sites.body["total"], 3);
}

#[tokio::test]
async fn lists_filter_by_parent_and_search() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let a = app.site(t, "A").await;
    let b = app.site(t, "B").await;
    let pa = app.plant(t, &a, "Usinage").await;
    let pb = app.plant(t, &b, "Peinture").await;
    let la = app.line(t, &pa, "Tour").await;
    let lb = app.line(t, &pb, "Cabine").await;
    assert_eq!(
        ids(&app
            .get(t, &format!("/plants?site_id={a}"))
            .await
            .expect(200)),
        vec![pa.clone()]
    );
    assert_eq!(
        ids(&app
            .get(t, &format!("/production-lines?plant_id={pb}"))
            .await
            .expect(200)),
        vec![lb.clone()]
    );
    assert_eq!(
        ids(&app
            .get(t, &format!("/production-lines?site_id={a}"))
            .await
            .expect(200)),
        vec![la.clone()]
    );
    assert_eq!(
        ids(&app.get(t, "/plants?q=peint").await.expect(200)),
        vec![pb.clone()]
    );
    // A search with LIKE wildcards matches them literally.
    assert!(ids(&app.get(t, "/plants?q=%25").await.expect(200)).is_empty());
    let sorted = app.get(t, "/plants?sort=-name").await.expect(200);
    assert_eq!(ids(&sorted), vec![pa, pb]);
}
