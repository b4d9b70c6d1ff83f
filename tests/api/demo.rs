//! The demo company: complete, idempotent, and usable by every role.

use gmao_tests::TestApp;
use gmao_tests::client::person_from;

#[tokio::test]
async fn demo_seeding_is_idempotent_and_every_person_can_log_in() {
    let app = TestApp::spawn().await;
    let first = gmao_db::demo::seed(&app.pool, &|_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let second = gmao_db::demo::seed(&app.pool, &|_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!second.tenant_created);
    assert_eq!(first.people.len(), 5);

    let admin = person_from(
        &app.login("admin@demo.test", gmao_db::demo::PASSWORD, Some("demo"))
            .await
            .expect(200)
            .body,
    );
    let tenant = app.get(&admin.token, "/tenant").await.expect(200);
    assert_eq!(tenant.body["counts"]["sites"], 2);
    assert_eq!(tenant.body["counts"]["plants"], 4);
    assert_eq!(tenant.body["counts"]["production_lines"], 7);
    assert_eq!(tenant.body["counts"]["members"], 5);

    for (role, email) in &second.people {
        let reply = app
            .login(email, gmao_db::demo::PASSWORD, Some("demo"))
            .await
            .expect(200);
        let person = person_from(&reply.body);
        let me = app.get(&person.token, "/me").await.expect(200);
        assert_eq!(me.body["role"]["key"], role.key());
    }
    // The demo technician works on one site only.
    let tech = person_from(
        &app.login(
            "technicien@demo.test",
            gmao_db::demo::PASSWORD,
            Some("demo"),
        )
        .await
        .expect(200)
        .body,
    );
    assert_eq!(
        app.get(&tech.token, "/sites").await.expect(200).body["total"],
        1
    );
}
