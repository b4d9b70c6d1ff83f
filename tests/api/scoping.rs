//! Members limited to some sites see and touch only those sites and what is under them.

use gmao_tests::TestApp;
use gmao_tests::client::ids;
use serde_json::json;

#[tokio::test]
async fn a_scoped_technician_sees_only_their_sites() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let lyon = app.site(admin, "Lyon").await;
    let lyon_plant = app.plant(admin, &lyon, "Usinage").await;
    let lyon_line = app.line(admin, &lyon_plant, "Tour CN").await;
    let paris = app.site(admin, "Paris").await;
    let paris_plant = app.plant(admin, &paris, "Assemblage").await;
    let paris_line = app.line(admin, &paris_plant, "Presse").await;

    let tech = app
        .add_member(&company, "technician", Some(vec![lyon.clone()]))
        .await;
    let me = app.get(&tech.token, "/me").await.expect(200);
    assert_eq!(me.body["site_scope"], json!([lyon]));

    assert_eq!(
        ids(&app.get(&tech.token, "/sites").await.expect(200)),
        vec![lyon.clone()]
    );
    assert_eq!(
        ids(&app.get(&tech.token, "/plants").await.expect(200)),
        vec![lyon_plant.clone()]
    );
    assert_eq!(
        ids(&app.get(&tech.token, "/production-lines").await.expect(200)),
        vec![lyon_line.clone()]
    );
    // Filtering by an out-of-scope parent shows nothing rather than an error.
    assert!(
        ids(&app
            .get(&tech.token, &format!("/plants?site_id={paris}"))
            .await
            .expect(200))
        .is_empty()
    );
    for path in [
        format!("/sites/{paris}"),
        format!("/plants/{paris_plant}"),
        format!("/production-lines/{paris_line}"),
    ] {
        app.get(&tech.token, &path)
            .await
            .expect_error(404, "not_found");
    }
    app.get(&tech.token, &format!("/sites/{lyon}"))
        .await
        .expect(200);
    let tenant = app.get(&tech.token, "/tenant").await.expect(200);
    assert_eq!(tenant.body["counts"]["sites"], 1);
    assert_eq!(tenant.body["counts"]["production_lines"], 1);
}

#[tokio::test]
async fn a_scoped_administrator_manages_only_inside_their_scope() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let lyon = app.site(admin, "Lyon").await;
    let paris = app.site(admin, "Paris").await;
    let paris_plant = app.plant(admin, &paris, "Assemblage").await;
    let local_admin = app
        .add_member(&company, "admin", Some(vec![lyon.clone()]))
        .await;
    let t = &local_admin.token;

    // Inside the scope: full management.
    let plant = app.plant(t, &lyon, "Maintenance").await;
    app.patch(
        t,
        &format!("/sites/{lyon}"),
        json!({"name": "Lyon Gerland"}),
    )
    .await
    .expect(200);
    app.line(t, &plant, "Ligne A").await;
    // Outside: invisible, and not usable as a parent.
    app.patch(t, &format!("/sites/{paris}"), json!({"name": "Nope"}))
        .await
        .expect_error(404, "not_found");
    app.delete(t, &format!("/plants/{paris_plant}"))
        .await
        .expect_error(404, "not_found");
    app.post(
        t,
        "/plants",
        json!({"site_id": paris, "code": "X1", "name": "X"}),
    )
    .await
    .expect_error(422, "unknown_site");
    app.patch(t, &format!("/plants/{plant}"), json!({"site_id": paris}))
        .await
        .expect_error(422, "unknown_site");
    // New sites would fall outside any scope.
    app.post(
        t,
        "/sites",
        json!({"code": "NEW", "name": "New", "time_zone": "UTC"}),
    )
    .await
    .expect_error(403, "site_scope_exceeded");
    // People: only within their own sites.
    let viewer = app.role_id(&company, "viewer").await;
    let new_member = |sites: serde_json::Value| json!({"email": format!("{}@example.com", gmao_tests::unique("v")), "full_name": "V", "password": "Roulement-42-graisse", "role_id": viewer, "site_ids": sites});
    app.post(t, "/users", new_member(json!(null)))
        .await
        .expect_error(403, "site_scope_exceeded");
    app.post(t, "/users", new_member(json!([paris])))
        .await
        .expect_error(403, "site_scope_exceeded");
    app.post(t, "/users", new_member(json!([lyon])))
        .await
        .expect(201);
    // An unscoped member is beyond a scoped admin's reach.
    let everywhere = app.add_member(&company, "technician", None).await;
    app.patch(
        t,
        &format!("/users/{}", everywhere.id),
        json!({"active": false}),
    )
    .await
    .expect_error(403, "site_scope_exceeded");
}

#[tokio::test]
async fn scope_changes_apply_at_once_and_site_deletion_never_widens_a_scope() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let lyon = app.site(admin, "Lyon").await;
    let paris = app.site(admin, "Paris").await;
    let tech = app
        .add_member(&company, "technician", Some(vec![lyon.clone()]))
        .await;
    app.patch(
        admin,
        &format!("/users/{}", tech.id),
        json!({"site_ids": [paris]}),
    )
    .await
    .expect(200);
    assert_eq!(
        ids(&app.get(&tech.token, "/sites").await.expect(200)),
        vec![paris.clone()]
    );
    app.patch(
        admin,
        &format!("/users/{}", tech.id),
        json!({"site_ids": null}),
    )
    .await
    .expect(200);
    assert_eq!(
        app.get(&tech.token, "/sites").await.expect(200).body["total"],
        2
    );
    // Scoped to Paris only, then Paris goes: they see nothing, not everything.
    app.patch(
        admin,
        &format!("/users/{}", tech.id),
        json!({"site_ids": [paris]}),
    )
    .await
    .expect(200);
    app.delete(admin, &format!("/sites/{paris}"))
        .await
        .expect(204);
    assert_eq!(
        app.get(&tech.token, "/sites").await.expect(200).body["total"],
        0
    );
    let member = app
        .get(admin, &format!("/users/{}", tech.id))
        .await
        .expect(200);
    assert_eq!(member.body["site_ids"], json!([]));
}
