//! Checklist and work-order templates.

use gmao_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn planners_keep_templates_that_others_read_and_copy() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let supervisor = app.add_member(&company, "supervisor", None).await;
    let technician = app.add_member(&company, "technician", None).await;
    let operator = app.add_member(&company, "operator", None).await;
    let sv = &supervisor.token;

    let checklist = app
        .post(
            sv,
            "/templates",
            json!({"kind": "checklist", "name": "Consignation électrique", "checklist": [
                {"label": "Sectionneur ouvert et cadenassé", "kind": "checkbox", "required": true},
                {"label": "Absence de tension", "kind": "pass_fail", "required": true},
            ]}),
        )
        .await
        .expect(201);
    assert_eq!(checklist.body["kind"], "checklist");
    assert_eq!(checklist.body["type"], json!(null));
    assert_eq!(checklist.body["checklist"][1]["kind"], "pass_fail");
    let order = app
        .post(
            sv,
            "/templates",
            json!({"kind": "work_order", "name": "Vidange compresseur", "title": "Vidange huile compresseur",
                   "type": "preventive", "priority": "high", "estimated_minutes": 90,
                   "description": "Huile ISO VG 46, 12 L.",
                   "checklist": [{"label": "Niveau d'huile", "kind": "number", "unit": "L", "min_value": 10, "max_value": 12}]}),
        )
        .await
        .expect(201);
    assert_eq!(order.body["type"], "preventive");
    assert_eq!(order.body["priority"], "high");
    assert_eq!(order.body["estimated_minutes"], 90);
    assert_eq!(order.body["checklist"][0]["max_value"], 12.0);

    // Everyone who reads work orders may list them, by kind, searched.
    let all = app.get(&technician.token, "/templates").await.expect(200);
    assert_eq!(all.body["total"], 2);
    let only = app
        .get(&technician.token, "/templates?kind=work_order&q=vidange")
        .await
        .expect(200);
    assert_eq!(only.body["total"], 1);
    assert_eq!(only.body["items"][0]["name"], "Vidange compresseur");
    app.get(&operator.token, "/templates").await.expect(403);

    // Bad input: every problem at once, nothing written.
    let refused = app
        .post(
            sv,
            "/templates",
            json!({"kind": "work_order", "name": " ", "estimated_minutes": 0,
                   "checklist": [{"label": "", "kind": "number", "min_value": 5, "max_value": 1}]}),
        )
        .await
        .expect_error(422, "validation_failed");
    let fields = &refused.body["details"]["fields"];
    for field in ["name", "title", "estimated_minutes", "checklist[0]"] {
        assert!(fields.get(field).is_some(), "{field} not refused: {fields}");
    }
    let many: Vec<_> = (0..201)
        .map(|i| json!({"label": format!("Point {i}"), "kind": "checkbox"}))
        .collect();
    app.post(
        sv,
        "/templates",
        json!({"kind": "checklist", "name": "Trop long", "checklist": many}),
    )
    .await
    .expect_error(422, "too_many_items");
    // Names are unique per kind, case aside.
    app.post(
        sv,
        "/templates",
        json!({"kind": "checklist", "name": "CONSIGNATION électrique"}),
    )
    .await
    .expect_error(409, "name_taken");
    // The same name is free for the other kind.
    app.post(
        sv,
        "/templates",
        json!({"kind": "work_order", "name": "Consignation électrique", "title": "Consigner"}),
    )
    .await
    .expect(201);
    assert_eq!(app.get(sv, "/templates").await.expect(200).body["total"], 3);

    // Only planners write; a technician is refused.
    app.post(
        &technician.token,
        "/templates",
        json!({"kind": "checklist", "name": "X"}),
    )
    .await
    .expect(403);
    let path = format!("/templates/{}", order.id());
    app.delete(&technician.token, &path).await.expect(403);

    // Replace: the kind stays; deactivated, it is no longer offered; audited before/after.
    app.put(
        sv,
        &path,
        json!({"kind": "checklist", "name": "Vidange compresseur"}),
    )
    .await
    .expect_error(422, "kind_fixed");
    let replaced = app
        .put(
            sv,
            &path,
            json!({"kind": "work_order", "name": "Vidange compresseur", "title": "Vidange huile compresseur",
                   "type": "preventive", "priority": "normal", "estimated_minutes": 120, "active": false}),
        )
        .await
        .expect(200);
    assert_eq!(replaced.body["estimated_minutes"], 120);
    assert_eq!(replaced.body["checklist"], json!([]));
    assert_eq!(
        app.get(sv, "/templates?kind=work_order")
            .await
            .expect(200)
            .body["total"],
        1
    );
    assert_eq!(
        app.get(sv, "/templates?kind=work_order&include_inactive=true")
            .await
            .expect(200)
            .body["total"],
        2
    );
    let audit = app
        .get(
            admin,
            &format!("/audit-log?entity=template&entity_id={}", order.id()),
        )
        .await
        .expect(200);
    assert_eq!(audit.body["total"], 2);
    assert_eq!(audit.body["items"][0]["action"], "update");
    assert_eq!(
        audit.body["items"][0]["changes"]["estimated_minutes"],
        json!({"before": 90, "after": 120})
    );

    // Another company sees none of it, and cannot touch it.
    let other = app.signup().await;
    assert_eq!(
        app.get(&other.admin.token, "/templates")
            .await
            .expect(200)
            .body["total"],
        0
    );
    app.get(&other.admin.token, &path).await.expect(404);
    app.delete(&other.admin.token, &path).await.expect(404);
    app.put(
        &other.admin.token,
        &path,
        json!({"kind": "work_order", "name": "Volé", "title": "Volé"}),
    )
    .await
    .expect(404);

    app.delete(sv, &path).await.expect(204);
    app.get(sv, &path).await.expect(404);
}
