//! Specification templates per equipment category.

use gmao_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn administrators_label_each_categorys_specifications() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let technician = app.add_member(&company, "technician", None).await;
    let operator = app.add_member(&company, "operator", None).await;

    let created = app
        .post(
            admin,
            "/spec-templates",
            json!({"category": "Pompe", "fields": [
                {"key": "puissance_kw", "label": "Puissance", "unit": "kW"},
                {"key": "debit_m3h", "label": "Débit nominal", "unit": "m³/h"},
                {"key": "fluide", "label": "Fluide pompé"},
            ]}),
        )
        .await
        .expect(201);
    assert_eq!(created.body["fields"][1]["label"], "Débit nominal");
    assert_eq!(created.body["fields"][2]["unit"], json!(null));
    let path = format!("/spec-templates/{}", created.id());

    // Readers of equipment read it, found by category whatever its case.
    let found = app
        .get(&technician.token, "/spec-templates?category=POMPE")
        .await
        .expect(200);
    assert_eq!(found.body["total"], 1);
    assert_eq!(found.body["items"][0]["fields"][0]["key"], "puissance_kw");
    // Only administrators of equipment write.
    app.post(
        &technician.token,
        "/spec-templates",
        json!({"category": "Moteur", "fields": []}),
    )
    .await
    .expect(403);
    app.delete(&operator.token, &path).await.expect(403);

    // One per category; keys well formed and unique; every problem at once.
    app.post(
        admin,
        "/spec-templates",
        json!({"category": "pompe", "fields": []}),
    )
    .await
    .expect_error(409, "category_taken");
    let refused = app
        .post(
            admin,
            "/spec-templates",
            json!({"category": "Moteur", "fields": [
                {"key": "Puissance kW", "label": "Puissance"},
                {"key": "vitesse", "label": ""},
                {"key": "vitesse", "label": "Vitesse", "unit": "tr/min"},
            ]}),
        )
        .await
        .expect_error(422, "validation_failed");
    let fields = &refused.body["details"]["fields"];
    assert_eq!(fields["fields[0].key"]["code"], "invalid_key");
    assert_eq!(fields["fields[1].label"]["code"], "required");
    assert_eq!(fields["fields[2].key"]["code"], "duplicate_key");
    let many: Vec<_> = (0..51)
        .map(|i| json!({"key": format!("k{i}"), "label": format!("K {i}")}))
        .collect();
    app.post(
        admin,
        "/spec-templates",
        json!({"category": "Moteur", "fields": many}),
    )
    .await
    .expect_error(422, "too_many_items");

    // Replaced and audited; another company sees and touches nothing.
    let replaced = app
        .put(
            admin,
            &path,
            json!({"category": "Pompe", "fields": [{"key": "puissance_kw", "label": "Puissance moteur", "unit": "kW"}]}),
        )
        .await
        .expect(200);
    assert_eq!(replaced.body["fields"][0]["label"], "Puissance moteur");
    let audit = app
        .get(
            admin,
            &format!("/audit-log?entity=spec_template&entity_id={}", created.id()),
        )
        .await
        .expect(200);
    assert_eq!(audit.body["total"], 2);
    let other = app.signup().await;
    assert_eq!(
        app.get(&other.admin.token, "/spec-templates")
            .await
            .expect(200)
            .body["total"],
        0
    );
    app.get(&other.admin.token, &path).await.expect(404);
    app.put(
        &other.admin.token,
        &path,
        json!({"category": "Volé", "fields": []}),
    )
    .await
    .expect(404);
    app.delete(&other.admin.token, &path).await.expect(404);
    app.delete(admin, &path).await.expect(204);
    app.get(admin, &path).await.expect(404);
}
