//! The maintenance cycle over HTTP: operator → supervisor → technician → supervisor.

use gmao_tests::client::{PNG, ids};
use gmao_tests::{Company, Person, TestApp};
use serde_json::{Value, json};

struct Team {
    app: TestApp,
    company: Company,
    supervisor: Person,
    technician: Person,
    other_technician: Person,
    operator: Person,
    site: String,
    equipment: String,
}

async fn team() -> Team {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let site = app.site(&company.admin.token, "Lyon").await;
    let equipment = app.equipment(&company.admin.token, &site, "PRESSE").await;
    let supervisor = app.add_member(&company, "supervisor", None).await;
    let technician = app.add_member(&company, "technician", None).await;
    let other_technician = app.add_member(&company, "technician", None).await;
    let operator = app.add_member(&company, "operator", None).await;
    Team {
        app,
        company,
        supervisor,
        technician,
        other_technician,
        operator,
        site,
        equipment,
    }
}

#[tokio::test]
async fn a_failure_goes_from_report_to_validated_closure() {
    let Team {
        app,
        supervisor,
        technician,
        operator,
        equipment,
        ..
    } = team().await;
    let sv = &supervisor.token;

    // The operator reports a failure that stops production, with a photo.
    let request = app
        .post(&operator.token, "/requests", json!({
            "equipment_id": equipment, "title": "Fuite d'huile vérin principal",
            "description": "Flaque sous la presse", "urgency": "critical", "production_stopped": true
        }))
        .await
        .expect(201);
    let request_id = request.id();
    assert!(
        request.body["number"]
            .as_str()
            .is_some_and(|n| n.starts_with("DI-") && n.ends_with("-00001"))
    );
    assert_eq!(request.body["status"], "submitted");
    app.upload(
        &operator.token,
        &format!("/requests/{request_id}/attachments"),
        "fuite.png",
        PNG.to_vec(),
    )
    .await
    .expect(201);
    let broken = app
        .get(sv, &format!("/equipment/{equipment}"))
        .await
        .expect(200);
    assert_eq!(broken.body["status"], "broken");

    // The supervisor sees it in the inbox and approves it, assigning a technician.
    let inbox = app.get(sv, "/requests?status=submitted").await.expect(200);
    assert_eq!(ids(&inbox), vec![request_id.clone()]);
    // A wrong checklist refuses the approval and leaves the request waiting.
    let refused = app
        .post(
            sv,
            &format!("/requests/{request_id}/approve"),
            json!({"checklist": [{"label": "Pression", "kind": "number", "min_value": 220, "max_value": 180}]}),
        )
        .await
        .expect(422);
    assert_eq!(
        refused.body["details"]["fields"]["checklist[0]"]["code"],
        "invalid_bounds"
    );
    let inbox = app.get(sv, "/requests?status=submitted").await.expect(200);
    assert_eq!(ids(&inbox), vec![request_id.clone()]);
    let approved = app
        .post(
            sv,
            &format!("/requests/{request_id}/approve"),
            json!({
                "assignee_ids": [technician.id],
                "due_at": "2030-01-01T12:00:00Z",
                "estimated_minutes": 90,
                "checklist": [{"label": "Pression hydraulique", "kind": "number", "unit": "bar", "min_value": 180, "max_value": 220, "required": true}],
            }),
        )
        .await
        .expect(200);
    let order_id = approved.body["work_order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let order = &approved.body["work_order"];
    assert!(
        order["number"]
            .as_str()
            .is_some_and(|n| n.starts_with("BT-") && n.ends_with("-00001"))
    );
    assert_eq!(order["status"], "assigned");
    assert_eq!(order["priority"], "urgent");
    assert_eq!(order["type"], "corrective");
    assert_eq!(order["origin"], "request");
    assert_eq!(order["title"], "Fuite d'huile vérin principal");
    assert_eq!(order["assignees"][0]["id"], technician.id.as_str());
    assert_eq!(order["estimated_minutes"], 90);
    // The photo came along.
    let photos = app
        .get(sv, &format!("/work-orders/{order_id}/attachments"))
        .await
        .expect(200);
    assert_eq!(photos.body["items"][0]["file_name"], "fuite.png");
    app.post(sv, &format!("/requests/{request_id}/approve"), json!({}))
        .await
        .expect_error(409, "request_already_decided");

    // The technician finds it in "my work" and does it.
    let mine = app
        .get(&technician.token, "/work-orders?mine=true")
        .await
        .expect(200);
    assert_eq!(ids(&mine), vec![order_id.clone()]);
    assert_eq!(mine.body["items"][0]["allowed_actions"], json!(["start"]));
    let base = format!("/work-orders/{order_id}");
    app.post(
        sv,
        &format!("{base}/checklist"),
        json!({"label": "Carter remonté", "kind": "checkbox", "required": true}),
    )
    .await
    .expect(201);
    app.post(
        sv,
        &format!("{base}/checklist"),
        json!({"label": "Essai à vide", "kind": "pass_fail"}),
    )
    .await
    .expect(201);
    let started = app
        .post(&technician.token, &format!("{base}/start"), json!({}))
        .await
        .expect(200);
    assert_eq!(started.body["status"], "in_progress");
    assert!(started.body["started_at"].is_string());
    app.post(
        &technician.token,
        &format!("{base}/hold"),
        json!({"reason": "Attente joint de vérin"}),
    )
    .await
    .expect(200);
    let held = app.get(&technician.token, &base).await.expect(200);
    assert_eq!(held.body["status"], "on_hold");
    assert_eq!(held.body["status_reason"], "Attente joint de vérin");
    app.post(&technician.token, &format!("{base}/resume"), json!({}))
        .await
        .expect(200);

    let checklist = app
        .get(&technician.token, &format!("{base}/checklist"))
        .await
        .expect(200);
    let items: Vec<String> = checklist.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["id"].as_str().map(str::to_owned))
        .collect();
    let pressure = app
        .patch(
            &technician.token,
            &format!("{base}/checklist/{}", items[0]),
            json!({"number_value": 240}),
        )
        .await
        .expect(200);
    assert_eq!(pressure.body["out_of_range"], true);
    app.patch(
        &technician.token,
        &format!("{base}/checklist/{}", items[0]),
        json!({"checked": true}),
    )
    .await
    .expect_error(422, "required");
    // Required items still open: completion refused, listing them.
    let refused = app
        .post(
            &technician.token,
            &format!("{base}/complete"),
            json!({"work_performed": "Joint changé"}),
        )
        .await
        .expect_error(409, "checklist_incomplete");
    assert_eq!(
        refused.body["details"]["items"][0]["label"],
        "Carter remonté"
    );
    app.patch(
        &technician.token,
        &format!("{base}/checklist/{}", items[1]),
        json!({"checked": true}),
    )
    .await
    .expect(200);

    app.post(
        &technician.token,
        &format!("{base}/time-entries"),
        json!({"minutes": 95, "note": "Dépose vérin"}),
    )
    .await
    .expect(201);
    app.post(
        &technician.token,
        &format!("{base}/time-entries"),
        json!({"started_at": "2026-11-05T13:00:00Z", "ended_at": "2026-11-05T13:45:00Z"}),
    )
    .await
    .expect(201);
    app.post(
        &technician.token,
        &format!("{base}/time-entries"),
        json!({"minutes": 0}),
    )
    .await
    .expect_error(422, "out_of_range");
    app.post(
        &technician.token,
        &format!("{base}/comments"),
        json!({"body": "Joint d'origine durci, remplacé par un Viton."}),
    )
    .await
    .expect(201);
    app.upload(
        &technician.token,
        &format!("{base}/attachments"),
        "apres.png",
        PNG.to_vec(),
    )
    .await
    .expect(201);

    let completed = app
        .post(&technician.token, &format!("{base}/complete"), json!({
            "work_performed": "Remplacement du joint du vérin principal, purge et essais.",
            "root_cause": "Joint durci (âge)", "downtime_start": "2026-11-05T08:00:00Z", "downtime_end": "2026-11-05T14:30:00Z"
        }))
        .await
        .expect(200);
    assert_eq!(completed.body["status"], "completed");
    assert_eq!(completed.body["downtime_minutes"], 390);
    assert_eq!(completed.body["time_spent_minutes"], 140);
    assert_eq!(completed.body["checklist_done"], 2);
    // The last open corrective order of the broken equipment is done: it works again.
    let repaired = app
        .get(sv, &format!("/equipment/{equipment}"))
        .await
        .expect(200);
    assert_eq!(repaired.body["status"], "active");

    // The technician cannot validate their own work; the supervisor sends it back once, then closes.
    app.post(&technician.token, &format!("{base}/close"), json!({}))
        .await
        .expect_error(403, "forbidden");
    app.post(
        sv,
        &format!("{base}/reopen"),
        json!({"reason": "Photo du joint manquante"}),
    )
    .await
    .expect(200);
    app.post(
        &technician.token,
        &format!("{base}/complete"),
        json!({"work_performed": "Photo ajoutée"}),
    )
    .await
    .expect(200);
    let closed = app
        .post(sv, &format!("{base}/close"), json!({}))
        .await
        .expect(200);
    assert_eq!(closed.body["status"], "closed");
    assert_eq!(closed.body["allowed_actions"], json!([]));

    // The requester follows it.
    let followed = app
        .get(&operator.token, &format!("/requests/{request_id}"))
        .await
        .expect(200);
    assert_eq!(followed.body["status"], "approved");
    assert_eq!(followed.body["work_order_status"], "closed");

    // The timeline tells the story.
    let events = app.get(sv, &format!("{base}/events")).await.expect(200);
    let kinds: Vec<&str> = events.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "created", "assigned", "start", "hold", "resume", "complete", "reopen", "complete",
            "close"
        ]
    );
    let hold = events.body["items"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["kind"] == "hold"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(hold["reason"], "Attente joint de vérin");
    assert_eq!(hold["actor_id"], technician.id.as_str());
    let assigned = events.body["items"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["kind"] == "assigned"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        assigned["details"]["assignees"],
        json!([{"id": technician.id, "full_name": "Test technician"}])
    );
    // And the equipment's history shows it.
    let history = app
        .get(
            sv,
            &format!("/work-orders?equipment_id={equipment}&status=closed"),
        )
        .await
        .expect(200);
    assert_eq!(ids(&history), vec![order_id.clone()]);
    let statuses = app
        .get(sv, &format!("/equipment/{equipment}/status-history"))
        .await
        .expect(200);
    assert_eq!(
        statuses.body["items"][0]["work_order_id"],
        order_id.as_str()
    );
    assert_eq!(
        statuses.body["items"][1]["work_request_id"],
        request_id.as_str()
    );
}

#[tokio::test]
async fn invalid_transitions_and_unassigned_technicians_are_refused() {
    let Team {
        app,
        supervisor,
        technician,
        other_technician,
        equipment,
        ..
    } = team().await;
    let sv = &supervisor.token;
    let order = app
        .post(
            sv,
            "/work-orders",
            json!({"type": "inspection", "equipment_id": equipment, "title": "Ronde mensuelle"}),
        )
        .await
        .expect(201);
    assert_eq!(order.body["status"], "open");
    assert_eq!(order.body["origin"], "manual");
    let base = format!("/work-orders/{}", order.id());
    // Nobody starts an unassigned order.
    let refused = app
        .post(sv, &format!("{base}/start"), json!({}))
        .await
        .expect_error(409, "invalid_transition");
    assert_eq!(refused.body["details"]["from"], "open");
    assert_eq!(
        refused.body["details"]["allowed"],
        json!(["assign", "cancel"])
    );
    app.post(
        sv,
        &format!("{base}/complete"),
        json!({"work_performed": "x"}),
    )
    .await
    .expect_error(409, "invalid_transition");
    app.post(sv, &format!("{base}/close"), json!({}))
        .await
        .expect_error(409, "invalid_transition");
    app.post(sv, &format!("{base}/assign"), json!({"assignee_ids": []}))
        .await
        .expect_error(422, "required");
    app.post(
        sv,
        &format!("{base}/assign"),
        json!({"assignee_ids": [supervisor.id.clone(), uuid::Uuid::now_v7()]}),
    )
    .await
    .expect_error(422, "invalid_assignee");
    app.post(
        sv,
        &format!("{base}/assign"),
        json!({"assignee_ids": [technician.id]}),
    )
    .await
    .expect(200);

    // Only the assignee (or a planner) acts on it; technicians do not plan.
    app.post(&other_technician.token, &format!("{base}/start"), json!({}))
        .await
        .expect_error(403, "not_assigned");
    app.post(
        &technician.token,
        &format!("{base}/assign"),
        json!({"assignee_ids": [technician.id]}),
    )
    .await
    .expect_error(403, "forbidden");
    app.post(
        &technician.token,
        &format!("{base}/cancel"),
        json!({"reason": "x"}),
    )
    .await
    .expect_error(403, "forbidden");
    app.patch(&technician.token, &base, json!({"priority": "urgent"}))
        .await
        .expect_error(403, "forbidden");
    app.post(&technician.token, &format!("{base}/start"), json!({}))
        .await
        .expect(200);
    app.post(&technician.token, &format!("{base}/start"), json!({}))
        .await
        .expect_error(409, "invalid_transition");
    app.post(
        &technician.token,
        &format!("{base}/hold"),
        json!({"reason": " "}),
    )
    .await
    .expect_error(422, "required");
    app.post(
        &other_technician.token,
        &format!("{base}/time-entries"),
        json!({"minutes": 10}),
    )
    .await
    .expect_error(403, "not_assigned");

    // Rescheduling is recorded; cancelled orders are final.
    app.patch(sv, &base, json!({"due_at": "2030-06-01T08:00:00Z"}))
        .await
        .expect(200);
    let cancelled = app
        .post(
            sv,
            &format!("{base}/cancel"),
            json!({"reason": "Ligne arrêtée pour travaux"}),
        )
        .await
        .expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    app.post(sv, &format!("{base}/resume"), json!({}))
        .await
        .expect_error(409, "invalid_transition");
    app.patch(sv, &base, json!({"title": "Trop tard"}))
        .await
        .expect_error(409, "work_order_finished");
    let events = app.get(sv, &format!("{base}/events")).await.expect(200);
    assert!(events.body["items"].as_array().is_some_and(|e| {
        e.iter()
            .any(|e| e["kind"] == "rescheduled" && e["details"]["after"] == "2030-06-01T08:00:00Z")
    }));
}

#[tokio::test]
async fn rejected_requests_and_who_sees_which_request() {
    let Team {
        app,
        company,
        supervisor,
        operator,
        equipment,
        ..
    } = team().await;
    let other_operator = app.add_member(&company, "operator", None).await;
    let mine = app
        .post(
            &operator.token,
            "/requests",
            json!({"equipment_id": equipment, "title": "Bruit anormal"}),
        )
        .await
        .expect(201)
        .id();
    let theirs = app
        .post(
            &other_operator.token,
            "/requests",
            json!({"equipment_id": equipment, "title": "Voyant rouge"}),
        )
        .await
        .expect(201)
        .id();
    // Operators see their own requests only.
    assert_eq!(
        ids(&app.get(&operator.token, "/requests").await.expect(200)),
        vec![mine.clone()]
    );
    app.get(&operator.token, &format!("/requests/{theirs}"))
        .await
        .expect_error(404, "not_found");
    app.post(
        &operator.token,
        &format!("/requests/{mine}/approve"),
        json!({}),
    )
    .await
    .expect_error(403, "forbidden");
    // The supervisor sees both, and rejects one with a reason.
    assert_eq!(
        app.get(&supervisor.token, "/requests")
            .await
            .expect(200)
            .body["total"],
        2
    );
    app.post(
        &supervisor.token,
        &format!("/requests/{mine}/reject"),
        json!({"reason": ""}),
    )
    .await
    .expect_error(422, "required");
    let rejected = app
        .post(
            &supervisor.token,
            &format!("/requests/{mine}/reject"),
            json!({"reason": "Bruit normal en phase de démarrage"}),
        )
        .await
        .expect(200);
    assert_eq!(rejected.body["status"], "rejected");
    let seen = app
        .get(&operator.token, &format!("/requests/{mine}"))
        .await
        .expect(200);
    assert_eq!(
        seen.body["rejection_reason"],
        "Bruit normal en phase de démarrage"
    );
    app.post(
        &supervisor.token,
        &format!("/requests/{mine}/approve"),
        json!({}),
    )
    .await
    .expect_error(409, "request_already_decided");
    // Not stopped: the equipment stays active.
    assert_eq!(
        app.get(&supervisor.token, &format!("/equipment/{equipment}"))
            .await
            .expect(200)
            .body["status"],
        "active"
    );
}

#[tokio::test]
async fn failure_codes_are_a_catalogue_used_at_completion() {
    let Team {
        app,
        supervisor,
        technician,
        equipment,
        ..
    } = team().await;
    let sv = &supervisor.token;
    let problem = app
        .post(
            sv,
            "/failure-codes",
            json!({"kind": "problem", "code": "fuite", "label": "Fuite"}),
        )
        .await
        .expect(201);
    assert_eq!(problem.body["code"], "FUITE");
    let cause = app
        .post(
            sv,
            "/failure-codes",
            json!({"kind": "cause", "code": "USURE", "label": "Usure"}),
        )
        .await
        .expect(201)
        .id();
    app.post(
        sv,
        "/failure-codes",
        json!({"kind": "problem", "code": "FUITE", "label": "Encore"}),
    )
    .await
    .expect_error(409, "code_taken");
    app.post(
        &technician.token,
        "/failure-codes",
        json!({"kind": "remedy", "code": "R", "label": "R"}),
    )
    .await
    .expect_error(403, "forbidden");
    let order = app
        .post(sv, "/work-orders", json!({"type": "corrective", "equipment_id": equipment, "title": "Fuite", "assignee_ids": [technician.id]}))
        .await
        .expect(201)
        .id();
    app.post(
        &technician.token,
        &format!("/work-orders/{order}/start"),
        json!({}),
    )
    .await
    .expect(200);
    // A cause given as the problem is refused.
    app.post(
        &technician.token,
        &format!("/work-orders/{order}/complete"),
        json!({"work_performed": "x", "failure_problem_id": cause}),
    )
    .await
    .expect_error(422, "unknown_failure_code");
    let done = app
        .post(&technician.token, &format!("/work-orders/{order}/complete"), json!({"work_performed": "Serrage", "failure_problem_id": problem.id(), "failure_cause_id": cause, "downtime_minutes": 30}))
        .await
        .expect(200);
    assert_eq!(done.body["failure_cause_id"], cause.as_str());
    app.delete(sv, &format!("/failure-codes/{cause}"))
        .await
        .expect_error(409, "in_use");
    app.patch(
        sv,
        &format!("/failure-codes/{cause}"),
        json!({"active": false}),
    )
    .await
    .expect(200);
    let active = app.get(sv, "/failure-codes?kind=cause").await.expect(200);
    assert_eq!(active.body["items"], json!([]));
}

#[tokio::test]
async fn maintenance_endpoints_answer_404_across_tenants_and_sites() {
    let Team {
        app,
        company,
        supervisor,
        technician,
        site,
        equipment,
        ..
    } = team().await;
    let sv = &supervisor.token;
    let meter = app
        .post(
            &company.admin.token,
            &format!("/equipment/{equipment}/meters"),
            json!({"name": "H", "unit": "h"}),
        )
        .await
        .expect(201)
        .id();
    let request = app
        .post(
            sv,
            "/requests",
            json!({"equipment_id": equipment, "title": "Panne"}),
        )
        .await
        .expect(201)
        .id();
    let order = app.post(sv, "/work-orders", json!({"type": "corrective", "equipment_id": equipment, "title": "Réparer", "assignee_ids": [technician.id]})).await.expect(201).id();

    // Another company.
    let other = app.signup().await;
    let ot = &other.admin.token;
    for path in [
        format!("/equipment/{equipment}"),
        format!("/equipment/{equipment}/meters"),
        format!("/equipment/{equipment}/attachments"),
        format!("/equipment/{equipment}/qr-code"),
        format!("/meters/{meter}"),
        format!("/meters/{meter}/readings"),
        format!("/requests/{request}"),
        format!("/work-orders/{order}"),
        format!("/work-orders/{order}/checklist"),
        format!("/work-orders/{order}/events"),
    ] {
        app.get(ot, &path).await.expect_error(404, "not_found");
    }
    app.patch(ot, &format!("/equipment/{equipment}"), json!({"name": "x"}))
        .await
        .expect_error(404, "not_found");
    app.post(
        ot,
        &format!("/meters/{meter}/readings"),
        json!({"value": 1}),
    )
    .await
    .expect_error(404, "not_found");
    app.post(ot, &format!("/requests/{request}/approve"), json!({}))
        .await
        .expect_error(404, "not_found");
    app.post(
        ot,
        &format!("/work-orders/{order}/cancel"),
        json!({"reason": "x"}),
    )
    .await
    .expect_error(404, "not_found");
    app.post(
        ot,
        "/requests",
        json!({"equipment_id": equipment, "title": "x"}),
    )
    .await
    .expect_error(422, "unknown_equipment");
    assert_eq!(
        app.get(ot, "/work-orders").await.expect(200).body["total"],
        0
    );
    assert_eq!(app.get(ot, "/equipment").await.expect(200).body["total"], 0);

    // A supervisor limited to another site of the same company.
    let paris = app.site(&company.admin.token, "Paris").await;
    let local = app
        .add_member(&company, "supervisor", Some(vec![paris]))
        .await;
    app.get(&local.token, &format!("/equipment/{equipment}"))
        .await
        .expect_error(404, "not_found");
    app.get(&local.token, &format!("/work-orders/{order}"))
        .await
        .expect_error(404, "not_found");
    app.get(&local.token, &format!("/requests/{request}"))
        .await
        .expect_error(404, "not_found");
    app.get(&local.token, &format!("/meters/{meter}"))
        .await
        .expect_error(404, "not_found");
    assert_eq!(
        app.get(&local.token, "/work-orders").await.expect(200).body["total"],
        0
    );
    app.post(
        &local.token,
        "/equipment",
        json!({"code": "Z", "name": "Z", "site_id": site}),
    )
    .await
    .expect_error(422, "unknown_site");
    // Nor can someone who does not see the site be assigned work there.
    app.post(
        sv,
        &format!("/work-orders/{order}/assign"),
        json!({"assignee_ids": [local.id]}),
    )
    .await
    .expect_error(422, "invalid_assignee");
}

#[tokio::test]
async fn assignable_people_are_those_who_do_work_and_see_the_site() {
    let Team {
        app,
        company,
        supervisor,
        technician,
        other_technician,
        operator,
        site,
        ..
    } = team().await;
    let paris = app.site(&company.admin.token, "Paris").await;
    let paris_tech = app
        .add_member(&company, "technician", Some(vec![paris.clone()]))
        .await;
    let people = app
        .get(
            &supervisor.token,
            &format!("/users/assignable?site_id={site}"),
        )
        .await
        .expect(200);
    let found = ids(&people);
    for expected in [
        &technician.id,
        &other_technician.id,
        &supervisor.id,
        &company.admin.id,
    ] {
        assert!(
            found.contains(expected),
            "{expected} missing from {found:?}"
        );
    }
    assert!(
        !found.contains(&operator.id) && !found.contains(&paris_tech.id),
        "{found:?}"
    );
    let in_paris = ids(&app
        .get(
            &supervisor.token,
            &format!("/users/assignable?site_id={paris}"),
        )
        .await
        .expect(200));
    assert!(in_paris.contains(&paris_tech.id));
    app.get(
        &technician.token,
        &format!("/users/assignable?site_id={site}"),
    )
    .await
    .expect_error(403, "forbidden");
    app.get(&supervisor.token, "/users/assignable")
        .await
        .expect_error(400, "invalid_parameter");
}

async fn equipment_status(app: &TestApp, token: &str, equipment: &str) -> String {
    app.get(token, &format!("/equipment/{equipment}"))
        .await
        .expect(200)
        .body["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn equipment_stays_broken_while_anything_reports_it_and_works_again_when_nothing_does() {
    let Team {
        app,
        supervisor,
        technician,
        operator,
        equipment,
        ..
    } = team().await;
    let sv = &supervisor.token;
    let report = |title: &str| json!({"equipment_id": equipment, "title": title, "urgency": "high", "production_stopped": true});
    let first = app
        .post(&operator.token, "/requests", report("Bourrage"))
        .await
        .expect(201)
        .id();
    let second = app
        .post(&operator.token, "/requests", report("Bourrage encore"))
        .await
        .expect(201)
        .id();
    assert_eq!(equipment_status(&app, sv, &equipment).await, "broken");
    // One report rejected: the other still says production is stopped.
    app.post(
        sv,
        &format!("/requests/{first}/reject"),
        json!({"reason": "Doublon"}),
    )
    .await
    .expect(200);
    assert_eq!(equipment_status(&app, sv, &equipment).await, "broken");
    // The other approved, its order completed while a third report waits: still broken.
    let order = app
        .post(
            sv,
            &format!("/requests/{second}/approve"),
            json!({"assignee_ids": [technician.id]}),
        )
        .await
        .expect(200)
        .body["work_order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let third = app
        .post(&operator.token, "/requests", report("Toujours bloquée"))
        .await
        .expect(201)
        .id();
    let base = format!("/work-orders/{order}");
    app.post(&technician.token, &format!("{base}/start"), json!({}))
        .await
        .expect(200);
    app.post(
        &technician.token,
        &format!("{base}/complete"),
        json!({"work_performed": "Débourrage"}),
    )
    .await
    .expect(200);
    assert_eq!(equipment_status(&app, sv, &equipment).await, "broken");
    // The last report rejected: nothing reports it broken any more.
    app.post(
        sv,
        &format!("/requests/{third}/reject"),
        json!({"reason": "Réglé"}),
    )
    .await
    .expect(200);
    assert_eq!(equipment_status(&app, sv, &equipment).await, "active");
    // A new stop whose order is cancelled: working again, and the history says why.
    let fourth = app
        .post(&operator.token, "/requests", report("Arrêt"))
        .await
        .expect(201)
        .id();
    let order = app
        .post(sv, &format!("/requests/{fourth}/approve"), json!({}))
        .await
        .expect(200)
        .body["work_order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(equipment_status(&app, sv, &equipment).await, "broken");
    app.post(
        sv,
        &format!("/work-orders/{order}/cancel"),
        json!({"reason": "Fausse alerte"}),
    )
    .await
    .expect(200);
    assert_eq!(equipment_status(&app, sv, &equipment).await, "active");
    let history = app
        .get(sv, &format!("/equipment/{equipment}/status-history"))
        .await
        .expect(200);
    assert!(
        history.body.to_string().contains("cancelled"),
        "{}",
        history.body
    );
}

#[tokio::test]
async fn a_stopping_request_starts_the_downtime_and_its_completion_ends_it() {
    let Team {
        app,
        company,
        supervisor,
        technician,
        operator,
        equipment,
        ..
    } = team().await;
    let sv = &supervisor.token;
    let tech = &technician.token;
    let progress = |body: &serde_json::Value| body["progress"].as_str().unwrap_or("").to_owned();

    let request = app
        .post(
            &operator.token,
            "/requests",
            json!({
                "equipment_id": equipment, "title": "Convoyeur bloqué", "production_stopped": true
            }),
        )
        .await
        .expect(201);
    assert_eq!(progress(&request.body), "submitted");
    let request_id = request.id();
    let approved = app
        .post(
            sv,
            &format!("/requests/{request_id}/approve"),
            json!({"assignee_ids": [technician.id]}),
        )
        .await
        .expect(200);
    let order = &approved.body["work_order"];
    // The order carries the stop from the moment it was reported.
    assert_eq!(order["downtime_start"], request.body["created_at"]);
    assert_eq!(order["production_stopped"], true);
    assert_eq!(order["downtime_end"], json!(null));
    let base = format!("/work-orders/{}", order["id"].as_str().unwrap_or_default());
    let request_path = format!("/requests/{request_id}");
    assert_eq!(
        progress(
            &app.get(&operator.token, &request_path)
                .await
                .expect(200)
                .body
        ),
        "planned"
    );

    app.post(tech, &format!("{base}/start"), json!({}))
        .await
        .expect(200);
    assert_eq!(
        progress(
            &app.get(&operator.token, &request_path)
                .await
                .expect(200)
                .body
        ),
        "in_progress"
    );
    app.post(tech, &format!("{base}/hold"), json!({"reason": "Pièce"}))
        .await
        .expect(200);
    assert_eq!(
        progress(
            &app.get(&operator.token, &request_path)
                .await
                .expect(200)
                .body
        ),
        "on_hold"
    );
    app.post(tech, &format!("{base}/resume"), json!({}))
        .await
        .expect(200);

    // An end before the stop began is refused and nothing changes.
    app.post(
        tech,
        &format!("{base}/complete"),
        json!({"work_performed": "Débourrage", "downtime_end": "2020-01-01T00:00:00Z"}),
    )
    .await
    .expect_error(422, "before_start");
    let unchanged = app.get(tech, &base).await.expect(200);
    assert_eq!(unchanged.body["status"], "in_progress");
    assert_eq!(unchanged.body["production_stopped"], true);

    // Completion with no downtime given ends the stop now.
    let completed = app
        .post(
            tech,
            &format!("{base}/complete"),
            json!({"work_performed": "Débourrage du convoyeur"}),
        )
        .await
        .expect(200);
    let body = &completed.body;
    assert_eq!(body["production_stopped"], false);
    assert_eq!(body["downtime_start"], request.body["created_at"]);
    assert!(body["downtime_end"].is_string());
    assert!(
        body["downtime_minutes"]
            .as_i64()
            .is_some_and(|m| (0..5).contains(&m))
    );
    assert_eq!(
        progress(
            &app.get(&operator.token, &request_path)
                .await
                .expect(200)
                .body
        ),
        "done"
    );
    let audit = app
        .get(
            &company.admin.token,
            &format!(
                "/audit-log?entity=work_order&entity_id={}&action=complete",
                body["id"].as_str().unwrap_or_default()
            ),
        )
        .await
        .expect(200);
    let instant = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap_or_default())
            .map_err(|e| e.to_string())
    };
    assert_eq!(
        instant(&audit.body["items"][0]["changes"]["downtime_end"]["after"]),
        instant(&body["downtime_end"])
    );
    app.post(sv, &format!("{base}/close"), json!({}))
        .await
        .expect(200);
    assert_eq!(
        progress(
            &app.get(&operator.token, &request_path)
                .await
                .expect(200)
                .body
        ),
        "closed"
    );

    // A request that does not stop production gives an order without downtime.
    let quiet = app
        .post(
            &operator.token,
            "/requests",
            json!({"equipment_id": equipment, "title": "Bruit"}),
        )
        .await
        .expect(201);
    let approved = app
        .post(sv, &format!("/requests/{}/approve", quiet.id()), json!({}))
        .await
        .expect(200);
    assert_eq!(approved.body["work_order"]["downtime_start"], json!(null));
    assert_eq!(approved.body["work_order"]["production_stopped"], false);
    let rejected = app
        .post(
            &operator.token,
            "/requests",
            json!({"equipment_id": equipment, "title": "Rien"}),
        )
        .await
        .expect(201);
    let rejected = app
        .post(
            sv,
            &format!("/requests/{}/reject", rejected.id()),
            json!({"reason": "Doublon"}),
        )
        .await
        .expect(200);
    assert_eq!(progress(&rejected.body), "rejected");

    // A manual order may say production stopped; not in the future.
    app.post(
        sv,
        "/work-orders",
        json!({"type": "corrective", "equipment_id": equipment, "title": "Arrêt", "downtime_start": "2999-01-01T00:00:00Z"}),
    )
    .await
    .expect_error(422, "in_future");
}
