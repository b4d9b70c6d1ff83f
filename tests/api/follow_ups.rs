//! Follow-up corrective orders from what a checklist found.

use gmao_tests::TestApp;
use serde_json::{Value, json};

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["id"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn an_out_of_tolerance_reading_proposes_a_linked_follow_up() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let site = app.site(admin, "Lyon").await;
    let equipment = app.equipment(admin, &site, "COMP").await;
    let supervisor = app.add_member(&company, "supervisor", None).await;
    let technician = app.add_member(&company, "technician", None).await;
    let colleague = app.add_member(&company, "technician", None).await;
    let operator = app.add_member(&company, "operator", None).await;
    let (sv, me) = (&supervisor.token, &technician.token);

    let order = app
        .post(
            sv,
            "/work-orders",
            json!({"type": "inspection", "equipment_id": equipment, "title": "Contrôle compresseur",
                   "assignee_ids": [technician.id], "checklist": [
                {"label": "Pression huile", "kind": "number", "unit": "bar", "min_value": 2, "max_value": 10},
                {"label": "Étanchéité", "kind": "pass_fail"},
                {"label": "Température", "kind": "number", "unit": "°C", "max_value": 90},
            ]}),
        )
        .await
        .expect(201);
    let base = format!("/work-orders/{}", order.id());
    let number = order.body["number"].as_str().unwrap_or_default().to_owned();
    app.post(me, &format!("{base}/start"), json!({}))
        .await
        .expect(200);
    let items = ids(&app
        .get(me, &format!("{base}/checklist"))
        .await
        .expect(200)
        .body);

    // Nothing found yet: the draft proposes nothing to fix.
    let quiet = app.get(me, &format!("{base}/follow-up")).await.expect(200);
    assert_eq!(quiet.body["findings"], json!([]));

    for (item, answer) in [
        (&items[0], json!({"number_value": 12.5})),
        (&items[1], json!({"passed": false})),
        (&items[2], json!({"number_value": 71})),
    ] {
        app.patch(me, &format!("{base}/checklist/{item}"), answer)
            .await
            .expect(200);
    }
    let draft = app.get(me, &format!("{base}/follow-up")).await.expect(200);
    let kinds: Vec<&str> = draft.body["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds, ["above_max", "failed"]);
    assert_eq!(draft.body["findings"][0]["item_id"], items[0].as_str());
    assert_eq!(draft.body["priority"], "high");
    assert_eq!(
        draft.body["title"],
        format!(
            "Suite de {number} : Pression huile : 12,5 bar (attendu entre 2 bar et 10 bar) (+1 autre)"
        )
    );
    assert_eq!(
        draft.body["description"],
        format!(
            "Constats de {number} « Contrôle compresseur » :\n- Pression huile : 12,5 bar (attendu entre 2 bar et 10 bar)\n- Étanchéité : non conforme"
        )
    );
    let english = app
        .send(
            app.client
                .get(app.url(&format!("/api/v1{base}/follow-up")))
                .bearer_auth(me)
                .header("accept-language", "en-GB,en;q=0.9"),
        )
        .await
        .expect(200);
    assert_eq!(
        english.body["description"],
        format!(
            "Findings of {number} “Contrôle compresseur”:\n- Pression huile: 12.5 bar (expected 2 bar to 10 bar)\n- Étanchéité: failed"
        )
    );

    // Refused: an empty title (nothing created), assignees from a technician, a colleague not
    // on the job, an operator, another company.
    let before = app.get(sv, "/work-orders").await.expect(200).body["total"].clone();
    app.post(me, &format!("{base}/follow-ups"), json!({"title": "  "}))
        .await
        .expect(422);
    app.post(
        me,
        &format!("{base}/follow-ups"),
        json!({"title": "Suite", "assignee_ids": [technician.id]}),
    )
    .await
    .expect(403);
    app.post(
        &colleague.token,
        &format!("{base}/follow-ups"),
        json!({"title": "Suite"}),
    )
    .await
    .expect_error(403, "not_assigned");
    app.post(
        &operator.token,
        &format!("{base}/follow-ups"),
        json!({"title": "Suite"}),
    )
    .await
    .expect(403);
    let other = app.signup().await;
    app.get(&other.admin.token, &format!("{base}/follow-up"))
        .await
        .expect(404);
    app.post(
        &other.admin.token,
        &format!("{base}/follow-ups"),
        json!({"title": "Suite"}),
    )
    .await
    .expect(404);
    assert_eq!(
        app.get(sv, "/work-orders").await.expect(200).body["total"],
        before
    );

    // The technician raises it from the draft: open for planning, linked both ways.
    let follow_up = app
        .post(
            me,
            &format!("{base}/follow-ups"),
            json!({"title": draft.body["title"], "description": draft.body["description"],
                   "priority": draft.body["priority"]}),
        )
        .await
        .expect(201);
    assert_eq!(follow_up.body["type"], "corrective");
    assert_eq!(follow_up.body["status"], "open");
    assert_eq!(follow_up.body["priority"], "high");
    assert_eq!(follow_up.body["equipment_id"], equipment.as_str());
    assert_eq!(follow_up.body["follow_up_of"]["number"], number.as_str());
    let source = app.get(me, &base).await.expect(200);
    assert_eq!(source.body["follow_ups"][0]["id"], follow_up.id().as_str());
    assert_eq!(source.body["follow_ups"][0]["status"], "open");
    let events = app.get(me, &format!("{base}/events")).await.expect(200);
    assert!(
        events.body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| e["kind"] == "follow_up" && e["details"]["number"] == follow_up.body["number"])
    );
    let audit = app
        .get(
            admin,
            &format!(
                "/audit-log?entity=work_order&entity_id={}&action=create",
                follow_up.id()
            ),
        )
        .await
        .expect(200);
    assert_eq!(
        audit.body["items"][0]["changes"]["follow_up_of"]["after"],
        order.id().as_str()
    );
    assert_eq!(audit.body["items"][0]["actor_id"], technician.id.as_str());

    // A planner may assign it at once; a cancelled order takes none.
    let assigned = app
        .post(
            sv,
            &format!("{base}/follow-ups"),
            json!({"title": "Changer le joint", "assignee_ids": [colleague.id]}),
        )
        .await
        .expect(201);
    assert_eq!(assigned.body["status"], "assigned");
    let cancelled = app
        .post(
            sv,
            "/work-orders",
            json!({"type": "corrective", "equipment_id": equipment, "title": "Doublon"}),
        )
        .await
        .expect(201)
        .id();
    app.post(
        sv,
        &format!("/work-orders/{cancelled}/cancel"),
        json!({"reason": "Doublon"}),
    )
    .await
    .expect(200);
    app.post(
        sv,
        &format!("/work-orders/{cancelled}/follow-ups"),
        json!({"title": "Suite"}),
    )
    .await
    .expect_error(409, "work_order_cancelled");
}
