//! Every write is audited, in the same transaction, with before/after values.

use gmao_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn writes_record_actor_fields_and_request_id() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let created = app
        .send(
            app.client
                .post(app.url("/api/v1/sites"))
                .bearer_auth(t)
                .header("x-request-id", "req-create-site-1")
                .json(&json!({"code": "AUD", "name": "Audit", "time_zone": "UTC"})),
        )
        .await
        .expect(201);
    let site_id = created.id();
    app.patch(t, &format!("/sites/{site_id}"), json!({"name": "Audit 2"}))
        .await
        .expect(200);
    // A change of nothing writes nothing.
    app.patch(t, &format!("/sites/{site_id}"), json!({"name": "Audit 2"}))
        .await
        .expect(200);
    app.delete(t, &format!("/sites/{site_id}"))
        .await
        .expect(204);

    let log = app
        .get(t, &format!("/audit-log?entity=site&entity_id={site_id}"))
        .await
        .expect(200);
    let entries = log.body["items"].as_array().cloned().unwrap_or_default();
    let actions: Vec<_> = entries
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        vec!["delete", "update", "create"],
        "{:#}",
        log.body
    );
    let create = &entries[2];
    assert_eq!(create["actor_id"], company.admin.id.as_str());
    assert_eq!(create["actor_email"], company.admin.email.as_str());
    assert_eq!(create["request_id"], "req-create-site-1");
    assert_eq!(
        create["changes"]["code"],
        json!({"before": null, "after": "AUD"})
    );
    let update = &entries[1];
    assert_eq!(
        update["changes"],
        json!({"name": {"before": "Audit", "after": "Audit 2"}})
    );
    let delete = &entries[0];
    assert_eq!(
        delete["changes"]["name"],
        json!({"before": "Audit 2", "after": null})
    );

    // Filters: by actor, action and time.
    let by_actor = app
        .get(
            t,
            &format!("/audit-log?actor_id={}&action=update", company.admin.id),
        )
        .await
        .expect(200);
    assert!(
        by_actor.body["items"]
            .as_array()
            .is_some_and(|i| i.iter().all(|e| e["action"] == "update"))
    );
    let future = app
        .get(t, "/audit-log?from=2999-01-01T00:00:00Z")
        .await
        .expect(200);
    assert_eq!(future.body["total"], 0);
    app.get(t, "/audit-log?from=yesterday")
        .await
        .expect_error(400, "invalid_parameter");
}

#[tokio::test]
async fn signup_login_and_membership_changes_are_audited() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let tech = app.add_member(&company, "technician", None).await;
    app.patch(t, &format!("/users/{}", tech.id), json!({"active": false}))
        .await
        .expect(200);
    let log = app.get(t, "/audit-log?per_page=200").await.expect(200);
    let seen: Vec<(String, String)> = log.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or("").to_owned(),
                e["entity"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    for expected in [
        ("create", "tenant"),
        ("create", "member"),
        ("login", "session"),
        ("deactivate", "member"),
    ] {
        assert!(
            seen.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} missing from {seen:?}"
        );
    }
}

#[tokio::test]
async fn a_failed_write_leaves_neither_change_nor_audit_row() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let site = app.site(t, "Lyon").await;
    let other = app.site(t, "Paris").await;
    let other_code = app
        .get(t, &format!("/sites/{other}"))
        .await
        .expect(200)
        .body["code"]
        .clone();
    let before = app.get(t, "/audit-log").await.expect(200).body["total"]
        .as_i64()
        .unwrap_or(0);
    // Rename and re-code at once; the code clashes, so neither change may stay.
    app.patch(
        t,
        &format!("/sites/{site}"),
        json!({"name": "Renamed", "code": other_code}),
    )
    .await
    .expect_error(409, "code_taken");
    let after = app.get(t, "/audit-log").await.expect(200).body["total"]
        .as_i64()
        .unwrap_or(0);
    assert_eq!(before, after);
    assert_eq!(
        app.get(t, &format!("/sites/{site}")).await.expect(200).body["name"],
        "Lyon"
    );
}

#[tokio::test]
async fn entries_name_what_their_ids_refer_to_and_nothing_of_another_company() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let site = app.site(t, "Lyon").await;
    let equipment = app.equipment(t, &site, "PRESSE").await;
    let tech = app.add_member(&company, "technician", None).await;
    // An order assigned to the technician: its audit mentions the equipment and the person.
    let order = app
        .post(
            t,
            "/work-orders",
            json!({"equipment_id": equipment, "title": "Graissage", "type": "corrective"}),
        )
        .await
        .expect(201)
        .id();
    app.post(
        t,
        &format!("/work-orders/{order}/assign"),
        json!({"assignee_ids": [tech.id]}),
    )
    .await
    .expect(200);
    let log = app
        .get(
            t,
            &format!("/audit-log?entity=work_order&entity_id={order}"),
        )
        .await
        .expect(200);
    let labels: serde_json::Map<String, serde_json::Value> = log.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["labels"].as_object())
        .flat_map(|m| m.clone())
        .collect();
    assert!(
        labels[&order]
            .as_str()
            .is_some_and(|l| l.contains("Graissage")),
        "{labels:?}"
    );
    assert!(
        labels[&equipment]
            .as_str()
            .is_some_and(|l| l.contains(" — ")),
        "{labels:?}"
    );
    assert!(labels.contains_key(&tech.id), "{labels:?}");
    // Another company's log never names this company's objects, even through its own entries.
    let other = app.signup().await;
    let theirs = app
        .get(&other.admin.token, "/audit-log?per_page=200")
        .await
        .expect(200);
    let text = theirs.body.to_string();
    assert!(
        !text.contains("Graissage") && !text.contains(&equipment),
        "{text}"
    );
}

#[tokio::test]
async fn the_log_lists_the_kinds_of_entries_it_holds_for_filters() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let site = app.site(t, "Lyon").await;
    app.patch(t, &format!("/sites/{site}"), json!({"name": "Lyon Est"}))
        .await
        .expect(200);
    let kinds = app.get(t, "/audit-log/kinds").await.expect(200);
    let pairs: Vec<(String, String)> = kinds.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|k| {
            (
                k["entity"].as_str().unwrap_or_default().to_owned(),
                k["action"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("site", "create"),
        ("site", "update"),
        ("tenant", "create"),
        ("session", "login"),
    ] {
        assert!(
            pairs.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} missing from {pairs:?}"
        );
    }
    let mut sorted = pairs.clone();
    sorted.sort();
    assert_eq!(pairs, sorted);
    let technician = app.add_member(&company, "technician", None).await;
    app.get(&technician.token, "/audit-log/kinds")
        .await
        .expect_error(403, "forbidden");
}
