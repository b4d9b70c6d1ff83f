//! Sweeps over the maintenance and preventive endpoints, table-driven: another company's ids
//! answer 404 everywhere and change nothing; each built-in role is allowed exactly what
//! docs/permissions.md grants it; the work order filters select exactly what they name.

use chrono::{DateTime, Duration, Utc};
use gmao_domain::TenantId;
use gmao_tests::client::{PNG, Reply, ids};
use gmao_tests::{Company, Person, TestApp, unique};
use reqwest::Method;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Calls as data.

/// What a call sends.
enum Body {
    /// No body at all (the endpoint takes none).
    Nothing,
    Json(Value),
    /// A multipart upload of a small PNG.
    File,
    /// A `text/csv` body.
    Csv(String),
}

struct Call {
    method: Method,
    path: String,
    body: Body,
}

impl Call {
    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

fn get(path: impl Into<String>) -> Call {
    Call {
        method: Method::GET,
        path: path.into(),
        body: Body::Nothing,
    }
}

fn post(path: impl Into<String>, body: Value) -> Call {
    Call {
        method: Method::POST,
        path: path.into(),
        body: Body::Json(body),
    }
}

/// A POST to an endpoint that takes no body (`/start`, `/archive`, `/pause`…).
fn post_bare(path: impl Into<String>) -> Call {
    Call {
        method: Method::POST,
        path: path.into(),
        body: Body::Nothing,
    }
}

fn patch(path: impl Into<String>, body: Value) -> Call {
    Call {
        method: Method::PATCH,
        path: path.into(),
        body: Body::Json(body),
    }
}

fn put(path: impl Into<String>, body: Value) -> Call {
    Call {
        method: Method::PUT,
        path: path.into(),
        body: Body::Json(body),
    }
}

fn delete(path: impl Into<String>) -> Call {
    Call {
        method: Method::DELETE,
        path: path.into(),
        body: Body::Nothing,
    }
}

fn upload(path: impl Into<String>) -> Call {
    Call {
        method: Method::POST,
        path: path.into(),
        body: Body::File,
    }
}

fn csv(body: String) -> Call {
    Call {
        method: Method::POST,
        path: "/meter-readings/import".into(),
        body: Body::Csv(body),
    }
}

async fn send(app: &TestApp, token: &str, call: &Call) -> Reply {
    match &call.body {
        Body::Nothing => {
            app.call(call.method.clone(), &call.path, Some(token), None)
                .await
        }
        Body::Json(body) => {
            app.call(
                call.method.clone(),
                &call.path,
                Some(token),
                Some(body.clone()),
            )
            .await
        }
        Body::File => {
            app.upload(token, &call.path, "photo.png", PNG.to_vec())
                .await
        }
        Body::Csv(text) => {
            app.send(
                app.client
                    .request(
                        call.method.clone(),
                        app.url(&format!("/api/v1{}", call.path)),
                    )
                    .bearer_auth(token)
                    .header("content-type", "text/csv")
                    .body(text.clone()),
            )
            .await
        }
    }
}

/// Why `reply` is not the error `status`/`code` with the `{code, message, details}` shape, if
/// it is not.
fn error_mismatch(reply: &Reply, status: u16, code: &str) -> Option<String> {
    let shaped = reply.body["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty())
        && reply.body["details"].is_object();
    if reply.status.as_u16() == status && reply.code() == code && shaped {
        None
    } else {
        Some(format!(
            "answered {} {}, expected {status} {code}: {}",
            reply.status.as_u16(),
            reply.code(),
            reply.body
        ))
    }
}

/// Sends every call and answers one line per call that did not answer `status`/`code`.
async fn failures_of(
    app: &TestApp,
    token: &str,
    calls: &[Call],
    status: u16,
    code: &str,
) -> Vec<String> {
    let mut failures = Vec::new();
    for call in calls {
        let reply = send(app, token, call).await;
        if let Some(why) = error_mismatch(&reply, status, code) {
            failures.push(format!("{}: {why}", call.name()));
        }
    }
    failures
}

#[track_caller]
fn assert_none_failed(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{what}: {} endpoint(s) answered wrongly:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Dates.

/// The test sites' time zone.
const ZONE: chrono_tz::Tz = chrono_tz::Europe::Paris;

/// A day on the test sites, `days` from today.
fn in_days(days: i64) -> String {
    (Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days)).to_string()
}

/// An instant as a query parameter (no `+` to encode), to the microsecond.
fn at(instant: DateTime<Utc>) -> String {
    instant.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn parse_instant(raw: &Value) -> DateTime<Utc> {
    raw.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.to_utc())
        .unwrap_or_else(|| panic!("not an instant: {raw}"))
}

/// A weekly plan from `starts_on`, generated on its due day.
fn weekly_plan(equipment: &str, starts_on: &str, title: &str) -> Value {
    json!({
        "equipment_id": equipment, "title": title, "starts_on": starts_on, "first_occurrence": "from_start", "lead_time_days": 0,
        "trigger": {"kind": "calendar", "every": 1, "unit": "week"}
    })
}

/// Downloads an attachment by the URL the API gave for it.
async fn download(app: &TestApp, token: &str, url: &str) -> (u16, Vec<u8>) {
    let response = app
        .client
        .get(app.url(url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let bytes = response
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    (status, bytes.to_vec())
}

// ---------------------------------------------------------------------------------------------
// 1. Another company's ids.

#[tokio::test]
async fn another_companys_ids_answer_404_on_every_write_and_change_nothing() {
    let app = TestApp::spawn().await;

    // Company A: one of everything.
    let a = app.signup().await;
    let ta = a.admin.token.clone();
    let a_supervisor = app.add_member(&a, "supervisor", None).await;
    let sa = a_supervisor.token.clone();
    let a_site = app.site(&ta, "Lyon").await;
    let a_eq = app.equipment(&ta, &a_site, "ISO").await;
    let a_eq_code = app
        .get(&ta, &format!("/equipment/{a_eq}"))
        .await
        .expect(200)
        .body["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let a_meter = app
        .post(
            &ta,
            &format!("/equipment/{a_eq}/meters"),
            json!({"name": "Heures", "unit": "h"}),
        )
        .await
        .expect(201)
        .id();
    app.post(
        &sa,
        &format!("/meters/{a_meter}/readings"),
        json!({"value": 100.0, "read_at": at(Utc::now() - Duration::hours(2))}),
    )
    .await
    .expect(201);
    let a_eq_file = app
        .upload(
            &ta,
            &format!("/equipment/{a_eq}/attachments"),
            "plaque.png",
            PNG.to_vec(),
        )
        .await
        .expect(201);
    let a_request = app
        .post(
            &sa,
            "/requests",
            json!({"equipment_id": a_eq, "title": "Vibration du moteur", "production_stopped": false}),
        )
        .await
        .expect(201)
        .id();
    let a_request_file = app
        .upload(
            &sa,
            &format!("/requests/{a_request}/attachments"),
            "vibration.png",
            PNG.to_vec(),
        )
        .await
        .expect(201);
    let a_order = app
        .post(
            &sa,
            "/work-orders",
            json!({
                "type": "corrective", "equipment_id": a_eq, "title": "Remplacer le roulement",
                "assignee_ids": [a_supervisor.id], "due_at": at(Utc::now() + Duration::days(3)),
            }),
        )
        .await
        .expect(201)
        .id();
    let wo = format!("/work-orders/{a_order}");
    let a_item = app
        .post(
            &sa,
            &format!("{wo}/checklist"),
            json!({"label": "Serrage des paliers", "kind": "checkbox"}),
        )
        .await
        .expect(201)
        .id();
    app.post(&sa, &format!("{wo}/start"), json!({}))
        .await
        .expect(200);
    let a_entry = app
        .post(
            &sa,
            &format!("{wo}/time-entries"),
            json!({"minutes": 30, "note": "Dépose"}),
        )
        .await
        .expect(201)
        .id();
    app.post(
        &sa,
        &format!("{wo}/comments"),
        json!({"body": "Roulement grippé"}),
    )
    .await
    .expect(201);
    let a_order_file = app
        .upload(
            &sa,
            &format!("{wo}/attachments"),
            "roulement.png",
            PNG.to_vec(),
        )
        .await
        .expect(201);
    let a_code = app
        .post(
            &sa,
            "/failure-codes",
            json!({"kind": "problem", "code": "GRIPPAGE", "label": "Grippage"}),
        )
        .await
        .expect(201)
        .id();
    let a_plan = app
        .post(
            &sa,
            "/pm-plans",
            weekly_plan(&a_eq, &in_days(7), "Graissage hebdomadaire"),
        )
        .await
        .expect(201)
        .id();
    let forecast = app
        .get(&sa, &format!("/pm-plans/{a_plan}/forecast"))
        .await
        .expect(200);
    let occurrences: Vec<String> = forecast.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["occurrence"].as_str().map(str::to_owned))
        .collect();
    assert!(occurrences.len() >= 2, "{:#}", forecast.body);
    let (skipped, coming) = (occurrences[0].clone(), occurrences[1].clone());
    app.post(
        &sa,
        &format!("/pm-plans/{a_plan}/skip"),
        json!({"occurrence": skipped, "reason": "Arrêt usine"}),
    )
    .await
    .expect(200);
    let window = format!(
        "from={}&to={}",
        at(Utc::now() - Duration::days(1)),
        at(Utc::now() + Duration::days(60))
    );
    let a_calendar = app
        .get(&ta, &format!("/calendar?{window}"))
        .await
        .expect(200);
    assert!(
        a_calendar.body["items"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["work_order_id"] == a_order.as_str())),
        "A's own calendar shows its order: {:#}",
        a_calendar.body
    );

    // What A sees before company B tries anything.
    let watched: Vec<String> = vec![
        format!("/equipment/{a_eq}"),
        format!("/equipment/{a_eq}/status-history"),
        format!("/equipment/{a_eq}/meters"),
        format!("/equipment/{a_eq}/attachments"),
        format!("/meters/{a_meter}"),
        format!("/meters/{a_meter}/readings"),
        format!("/requests/{a_request}"),
        format!("/requests/{a_request}/attachments"),
        wo.clone(),
        format!("{wo}/checklist"),
        format!("{wo}/time-entries"),
        format!("{wo}/comments"),
        format!("{wo}/events"),
        format!("{wo}/attachments"),
        "/failure-codes?include_inactive=true".into(),
        format!("/pm-plans/{a_plan}"),
        "/pm-plans?include_archived=true".into(),
        "/equipment?include_archived=true".into(),
        "/requests".into(),
        "/work-orders".into(),
        "/audit-log?per_page=200".into(),
    ];
    let mut before = Vec::new();
    for path in &watched {
        before.push(app.get(&ta, path).await.expect(200).body);
    }

    // Company B, with objects of its own to mix A's ids into.
    let b = app.signup().await;
    let tb = b.admin.token.clone();
    let b_site = app.site(&tb, "Lille").await;
    let b_eq = app.equipment(&tb, &b_site, "ISOB").await;
    let b_request = app
        .post(
            &tb,
            "/requests",
            json!({"equipment_id": b_eq, "title": "Bruit"}),
        )
        .await
        .expect(201)
        .id();
    let b_order = app
        .post(
            &tb,
            "/work-orders",
            json!({"type": "corrective", "equipment_id": b_eq, "title": "Réparer"}),
        )
        .await
        .expect(201)
        .id();
    let bo = format!("/work-orders/{b_order}");
    // A's people cannot be assigned B's work.
    app.post(
        &tb,
        &format!("{bo}/assign"),
        json!({"assignee_ids": [a_supervisor.id]}),
    )
    .await
    .expect_error(422, "invalid_assignee");
    app.post(
        &tb,
        &format!("{bo}/assign"),
        json!({"assignee_ids": [b.admin.id]}),
    )
    .await
    .expect(200);
    app.post(&tb, &format!("{bo}/start"), json!({}))
        .await
        .expect(200);
    // Nor log time on it: refused, without a word of who they are.
    let refused = app
        .post(
            &tb,
            &format!("{bo}/time-entries"),
            json!({"minutes": 10, "user_id": a_supervisor.id}),
        )
        .await
        .expect_error(422, "invalid_assignee");
    assert!(
        refused.body["details"]["fields"]["user_id"].is_object(),
        "{}",
        refused.body
    );
    assert!(
        !refused.body.to_string().contains("Test supervisor"),
        "{}",
        refused.body
    );
    app.post(
        &tb,
        &format!("{bo}/time-entries"),
        json!({"minutes": 10, "user_id": uuid::Uuid::now_v7()}),
    )
    .await
    .expect_error(422, "invalid_assignee");
    let b_plan = app
        .post(&tb, "/pm-plans", weekly_plan(&b_eq, &in_days(7), "Plan B"))
        .await
        .expect(201)
        .id();

    // Every endpoint on A's ids: 404, as for an id that does not exist.
    let eq = format!("/equipment/{a_eq}");
    let meter = format!("/meters/{a_meter}");
    let request = format!("/requests/{a_request}");
    let plan = format!("/pm-plans/{a_plan}");
    let code = format!("/failure-codes/{a_code}");
    let eq_file = a_eq_file.id();
    let request_file = a_request_file.id();
    let order_file = a_order_file.id();
    let calls = vec![
        // Equipment.
        get(eq.clone()),
        patch(eq.clone(), json!({"name": "Piratée"})),
        delete(eq.clone()),
        post_bare(format!("{eq}/archive")),
        post_bare(format!("{eq}/restore")),
        post(
            format!("{eq}/status"),
            json!({"status": "inactive", "reason": "x"}),
        ),
        get(format!("{eq}/status-history")),
        get(format!("{eq}/qr-code")),
        get(format!("{eq}/meters")),
        post(
            format!("{eq}/meters"),
            json!({"name": "Cycles", "unit": "cycles"}),
        ),
        get(format!("{eq}/attachments")),
        upload(format!("{eq}/attachments")),
        get(format!("{eq}/attachments/{eq_file}")),
        delete(format!("{eq}/attachments/{eq_file}")),
        // Meters.
        get(meter.clone()),
        patch(meter.clone(), json!({"name": "Compteur piraté"})),
        delete(meter.clone()),
        get(format!("{meter}/readings")),
        post(format!("{meter}/readings"), json!({"value": 5000.0})),
        // Requests.
        get(request.clone()),
        post(format!("{request}/approve"), json!({})),
        post(format!("{request}/reject"), json!({"reason": "Non"})),
        get(format!("{request}/attachments")),
        upload(format!("{request}/attachments")),
        get(format!("{request}/attachments/{request_file}")),
        delete(format!("{request}/attachments/{request_file}")),
        // Work orders.
        get(wo.clone()),
        patch(wo.clone(), json!({"title": "Piraté", "priority": "low"})),
        post(
            format!("{wo}/assign"),
            json!({"assignee_ids": [b.admin.id]}),
        ),
        post_bare(format!("{wo}/start")),
        post(format!("{wo}/hold"), json!({"reason": "Pièces"})),
        post_bare(format!("{wo}/resume")),
        post(format!("{wo}/complete"), json!({"work_performed": "Rien"})),
        post(format!("{wo}/reopen"), json!({"reason": "Encore"})),
        post_bare(format!("{wo}/close")),
        post(format!("{wo}/cancel"), json!({"reason": "Annulé"})),
        get(format!("{wo}/checklist")),
        post(
            format!("{wo}/checklist"),
            json!({"label": "Étape", "kind": "checkbox"}),
        ),
        patch(format!("{wo}/checklist/{a_item}"), json!({"checked": true})),
        delete(format!("{wo}/checklist/{a_item}")),
        get(format!("{wo}/time-entries")),
        post(format!("{wo}/time-entries"), json!({"minutes": 10})),
        delete(format!("{wo}/time-entries/{a_entry}")),
        get(format!("{wo}/comments")),
        post(format!("{wo}/comments"), json!({"body": "Bonjour"})),
        get(format!("{wo}/events")),
        get(format!("{wo}/attachments")),
        upload(format!("{wo}/attachments")),
        get(format!("{wo}/attachments/{order_file}")),
        delete(format!("{wo}/attachments/{order_file}")),
        // Failure codes.
        patch(code.clone(), json!({"label": "Piraté", "active": false})),
        delete(code.clone()),
        // Preventive plans.
        get(plan.clone()),
        put(plan.clone(), weekly_plan(&b_eq, &in_days(14), "Piraté")),
        post_bare(format!("{plan}/pause")),
        post_bare(format!("{plan}/resume")),
        post_bare(format!("{plan}/archive")),
        post(
            format!("{plan}/skip"),
            json!({"occurrence": coming, "reason": "x"}),
        ),
        post(format!("{plan}/unskip"), json!({"occurrence": skipped})),
        get(format!("{plan}/forecast")),
    ];
    let count = calls.len();
    assert_none_failed(
        "B calling with A's ids",
        &failures_of(&app, &tb, &calls, 404, "not_found").await,
    );

    // B's own objects with A's children's ids: 404 too.
    let mixed = vec![
        get(format!("/equipment/{b_eq}/attachments/{eq_file}")),
        delete(format!("/equipment/{b_eq}/attachments/{eq_file}")),
        get(format!("/requests/{b_request}/attachments/{request_file}")),
        delete(format!("/requests/{b_request}/attachments/{request_file}")),
        get(format!("{bo}/attachments/{order_file}")),
        delete(format!("{bo}/attachments/{order_file}")),
        patch(format!("{bo}/checklist/{a_item}"), json!({"checked": true})),
        delete(format!("{bo}/checklist/{a_item}")),
        delete(format!("{bo}/time-entries/{a_entry}")),
    ];
    let mixed_count = mixed.len();
    assert_none_failed(
        "B's objects with A's children",
        &failures_of(&app, &tb, &mixed, 404, "not_found").await,
    );

    // A's objects given as references in B's bodies: unknown references.
    let unknown_equipment = vec![
        post(
            "/requests",
            json!({"equipment_id": a_eq, "title": "x", "production_stopped": true}),
        ),
        post(
            "/work-orders",
            json!({"type": "corrective", "equipment_id": a_eq, "title": "x"}),
        ),
        post("/pm-plans", weekly_plan(&a_eq, &in_days(7), "x")),
        post("/pm-plans/preview", weekly_plan(&a_eq, &in_days(7), "x")),
        put(
            format!("/pm-plans/{b_plan}"),
            weekly_plan(&a_eq, &in_days(7), "x"),
        ),
    ];
    let mut refused_count = unknown_equipment.len();
    assert_none_failed(
        "B naming A's equipment",
        &failures_of(&app, &tb, &unknown_equipment, 422, "unknown_equipment").await,
    );
    let mut meter_plan = weekly_plan(&b_eq, &in_days(7), "x");
    meter_plan["trigger"] = json!({"kind": "meter", "meter_id": a_meter, "every_units": 500});
    let unknown_meter = vec![post("/pm-plans", meter_plan)];
    refused_count += unknown_meter.len();
    assert_none_failed(
        "B naming A's meter",
        &failures_of(&app, &tb, &unknown_meter, 422, "unknown_meter").await,
    );
    let mut plan_for_a = weekly_plan(&b_eq, &in_days(7), "x");
    plan_for_a["assignee_ids"] = json!([a_supervisor.id]);
    let invalid_assignee = vec![
        post(
            "/work-orders",
            json!({"type": "corrective", "equipment_id": b_eq, "title": "x", "assignee_ids": [a.admin.id]}),
        ),
        post("/pm-plans", plan_for_a),
        post(
            format!("/requests/{b_request}/approve"),
            json!({"assignee_ids": [a_supervisor.id]}),
        ),
    ];
    refused_count += invalid_assignee.len();
    assert_none_failed(
        "B assigning A's people",
        &failures_of(&app, &tb, &invalid_assignee, 422, "invalid_assignee").await,
    );
    // An import naming A's equipment and meter finds no such meter.
    let refused = send(
        &app,
        &tb,
        &csv(format!(
            "equipment_code,meter,value,read_at\n{a_eq_code},Heures,5000,{}\n",
            at(Utc::now() - Duration::hours(1))
        )),
    )
    .await
    .expect_error(422, "import_refused");
    assert_eq!(
        refused.body["details"]["problems"][0]["code"], "unknown_meter",
        "{:#}",
        refused.body
    );
    // A's failure code does not complete B's order.
    app.post(
        &tb,
        &format!("{bo}/complete"),
        json!({"work_performed": "x", "failure_problem_id": a_code}),
    )
    .await
    .expect_error(422, "unknown_failure_code");
    refused_count += 2;

    // B's lists and calendar know nothing of A.
    for path in [
        format!("/work-orders?equipment_id={a_eq}"),
        format!("/work-orders?site_id={a_site}"),
        format!("/work-orders?assignee_id={}", a_supervisor.id),
        format!("/work-orders?pm_plan_id={a_plan}"),
        format!("/requests?equipment_id={a_eq}"),
        format!("/requests?site_id={a_site}"),
        format!("/pm-plans?equipment_id={a_eq}&include_archived=true"),
        format!("/pm-plans?site_id={a_site}&include_archived=true"),
        format!("/equipment?site_id={a_site}&include_archived=true"),
        format!("/calendar?{window}&site_id={a_site}"),
        format!("/calendar?{window}&assignee_id={}", a_supervisor.id),
    ] {
        let list = app.get(&tb, &path).await.expect(200);
        assert_eq!(list.body["total"], 0, "B's GET {path}: {:#}", list.body);
    }
    let codes = app
        .get(&tb, "/failure-codes?include_inactive=true")
        .await
        .expect(200);
    assert!(!ids(&codes).contains(&a_code), "{:#}", codes.body);
    let b_calendar = app
        .get(&tb, &format!("/calendar?{window}"))
        .await
        .expect(200);
    let entries = b_calendar.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        entries
            .iter()
            .all(|e| e["work_order_id"] != a_order.as_str()
                && e["pm_plan_id"] != a_plan.as_str()
                && e["equipment_id"] != a_eq.as_str()),
        "B's calendar shows A's work: {:#}",
        b_calendar.body
    );

    // A's objects are exactly as they were.
    for (path, before) in watched.iter().zip(&before) {
        let after = app.get(&ta, path).await.expect(200).body;
        assert_eq!(&after, before, "A's GET {path} changed");
    }
    let equipment = app.get(&ta, &eq).await.expect(200);
    assert!(equipment.body["archived_at"].is_null());
    assert_ne!(equipment.body["status"], "inactive");
    assert_eq!(equipment.body["name"], format!("Machine {a_eq_code}"));
    let order = app.get(&ta, &wo).await.expect(200);
    assert_eq!(order.body["status"], "in_progress");
    assert_eq!(order.body["title"], "Remplacer le roulement");
    assert_eq!(
        order.body["assignees"][0]["id"],
        a_supervisor.id.as_str(),
        "{:#}",
        order.body
    );
    let read = app.get(&ta, &plan).await.expect(200);
    assert_eq!(read.body["active"], true);
    assert!(read.body["archived_at"].is_null());
    assert_eq!(read.body["title"], "Graissage hebdomadaire");
    let skips: Vec<&str> = read.body["skipped"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["occurrence"].as_str())
        .collect();
    assert_eq!(skips, vec![skipped.as_str()]);
    for file in [&a_eq_file, &a_request_file, &a_order_file] {
        let url = file.body["url"].as_str().unwrap_or_default();
        let (status, bytes) = download(&app, &ta, url).await;
        assert_eq!(status, 200, "A downloads {url}");
        assert_eq!(bytes, PNG, "A's {url} is intact");
        // And B cannot, by the same URL.
        let (status, _) = download(&app, &tb, url).await;
        assert_eq!(status, 404, "B downloads A's {url}");
    }
    let readings = app.get(&ta, &format!("{meter}/readings")).await.expect(200);
    assert_eq!(readings.body["total"], 1);
    eprintln!(
        "sweep: {count} endpoints on A's ids, {mixed_count} on B's objects with A's children, \
         {refused_count} refused references: all refused"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Each role.

/// The built-in roles, in the column order of the permission table.
const ROLES: [&str; 5] = ["admin", "supervisor", "technician", "operator", "viewer"];

/// The documented role × permission table.
const PERMISSIONS_DOC: &str = include_str!("../../docs/permissions.md");

/// Whether a built-in role holds a permission, as docs/permissions.md says.
fn holds(role: &str, permission: &str) -> bool {
    let header = PERMISSIONS_DOC
        .lines()
        .find(|l| l.starts_with("| permission |"))
        .unwrap_or_else(|| panic!("no permission table in docs/permissions.md"));
    let columns: Vec<&str> = header.split('|').map(str::trim).collect();
    let column = columns
        .iter()
        .position(|c| *c == role)
        .unwrap_or_else(|| panic!("no column {role} in {header}"));
    let row = PERMISSIONS_DOC
        .lines()
        .find(|l| l.starts_with(&format!("| `{permission}` |")))
        .unwrap_or_else(|| panic!("{permission} is not in docs/permissions.md"));
    row.split('|').map(str::trim).nth(column) == Some("✓")
}

/// What an endpoint needs.
#[derive(Debug, Clone, Copy)]
enum Need {
    /// One permission.
    Perm(&'static str),
    /// Any one of these permissions.
    Any(&'static [&'static str]),
    /// `work_orders:execute`, on an order assigned to the caller (`assigned`) or to another
    /// technician; only planners (`work_orders:manage`) act on orders not theirs.
    Execute { assigned: bool },
}

#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Allowed(u16),
    /// 403 `forbidden`, naming one of these permissions.
    Forbidden(Vec<&'static str>),
    /// 403 `not_assigned`.
    NotAssigned,
}

fn expected(need: Need, role: &str, success: u16) -> Expect {
    match need {
        Need::Perm(p) if holds(role, p) => Expect::Allowed(success),
        Need::Perm(p) => Expect::Forbidden(vec![p]),
        Need::Any(ps) if ps.iter().any(|p| holds(role, p)) => Expect::Allowed(success),
        Need::Any(ps) => Expect::Forbidden(ps.to_vec()),
        Need::Execute { .. } if !holds(role, "work_orders:execute") => {
            Expect::Forbidden(vec!["work_orders:execute"])
        }
        Need::Execute { assigned } if assigned || holds(role, "work_orders:manage") => {
            Expect::Allowed(success)
        }
        Need::Execute { .. } => Expect::NotAssigned,
    }
}

fn verdict(reply: &Reply, expect: &Expect) -> Option<String> {
    match expect {
        Expect::Allowed(status) if reply.status.as_u16() == *status => None,
        Expect::Allowed(status) => Some(format!(
            "answered {} {}, expected {status}: {}",
            reply.status.as_u16(),
            reply.code(),
            reply.body
        )),
        Expect::Forbidden(permissions) => error_mismatch(reply, 403, "forbidden").or_else(|| {
            let named = reply.body["details"]["permission"].as_str().unwrap_or("");
            (!permissions.contains(&named))
                .then(|| format!("403 naming {named:?}, expected one of {permissions:?}"))
        }),
        Expect::NotAssigned => error_mismatch(reply, 403, "not_assigned"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ep {
    PlanList,
    PlanGet,
    PlanCreate,
    PlanReplace,
    PlanPause,
    PlanResume,
    PlanSkip,
    PlanUnskip,
    PlanArchive,
    PlanPreview,
    PlanForecast,
    Calendar,
    Jobs,
    EquipmentList,
    EquipmentGet,
    EquipmentCreate,
    EquipmentPatch,
    EquipmentStatus,
    EquipmentArchive,
    MeterCreate,
    ReadingRecord,
    ReadingImport,
    MeterPatch,
    MeterDelete,
    RequestCreate,
    RequestList,
    RequestApprove,
    RequestReject,
    OrderList,
    OrderGet,
    OrderCreate,
    OrderPatch,
    OrderAssign,
    OrderCancel,
    OrderComment,
    ChecklistAdd,
    StartAssigned,
    StartNotAssigned,
    HoldAssigned,
    CompleteAssigned,
    TimeAssigned,
    TimeNotAssigned,
    Close,
    Reopen,
    FailureCodeList,
    FailureCodeCreate,
    FailureCodePatch,
    MyWork,
    MyWorkBucket,
    FollowUpDraft,
    FollowUpAssigned,
    FollowUpNotAssigned,
    TemplateList,
    TemplateCreate,
    TemplateReplace,
    TemplateDelete,
    SpecTemplateList,
    SpecTemplateCreate,
    SpecTemplateDelete,
}

/// The endpoints, what each needs and what it answers when allowed.
const TABLE: &[(Ep, Need, u16)] = &[
    (Ep::PlanList, Need::Perm("pm_plans:read"), 200),
    (Ep::PlanGet, Need::Perm("pm_plans:read"), 200),
    (Ep::PlanCreate, Need::Perm("pm_plans:manage"), 201),
    (Ep::PlanReplace, Need::Perm("pm_plans:manage"), 200),
    (Ep::PlanPause, Need::Perm("pm_plans:manage"), 200),
    (Ep::PlanResume, Need::Perm("pm_plans:manage"), 200),
    (Ep::PlanSkip, Need::Perm("pm_plans:manage"), 200),
    (Ep::PlanUnskip, Need::Perm("pm_plans:manage"), 200),
    (Ep::PlanArchive, Need::Perm("pm_plans:manage"), 200),
    (Ep::PlanPreview, Need::Perm("pm_plans:read"), 200),
    (Ep::PlanForecast, Need::Perm("pm_plans:read"), 200),
    // docs/api.md: the calendar needs `work_orders:read`.
    (Ep::Calendar, Need::Perm("work_orders:read"), 200),
    (Ep::Jobs, Need::Perm("jobs:read"), 200),
    (Ep::EquipmentList, Need::Perm("equipment:read"), 200),
    (Ep::EquipmentGet, Need::Perm("equipment:read"), 200),
    (Ep::EquipmentCreate, Need::Perm("equipment:manage"), 201),
    (Ep::EquipmentPatch, Need::Perm("equipment:manage"), 200),
    (Ep::EquipmentStatus, Need::Perm("equipment:manage"), 200),
    (Ep::EquipmentArchive, Need::Perm("equipment:manage"), 200),
    (Ep::MeterCreate, Need::Perm("equipment:manage"), 201),
    (Ep::ReadingRecord, Need::Perm("meters:record"), 201),
    (Ep::ReadingImport, Need::Perm("meters:record"), 200),
    (Ep::MeterPatch, Need::Perm("equipment:manage"), 200),
    (Ep::MeterDelete, Need::Perm("equipment:manage"), 204),
    (Ep::RequestCreate, Need::Perm("requests:create"), 201),
    // Everyone who reports failures lists (their own) requests.
    (
        Ep::RequestList,
        Need::Any(&["requests:read", "requests:create"]),
        200,
    ),
    (Ep::RequestApprove, Need::Perm("requests:approve"), 200),
    (Ep::RequestReject, Need::Perm("requests:approve"), 200),
    (Ep::OrderList, Need::Perm("work_orders:read"), 200),
    (Ep::OrderGet, Need::Perm("work_orders:read"), 200),
    (Ep::OrderCreate, Need::Perm("work_orders:manage"), 201),
    (Ep::OrderPatch, Need::Perm("work_orders:manage"), 200),
    (Ep::OrderAssign, Need::Perm("work_orders:manage"), 200),
    (Ep::OrderCancel, Need::Perm("work_orders:manage"), 200),
    (Ep::OrderComment, Need::Perm("work_orders:comment"), 201),
    (Ep::ChecklistAdd, Need::Perm("work_orders:manage"), 201),
    (Ep::StartAssigned, Need::Execute { assigned: true }, 200),
    (Ep::StartNotAssigned, Need::Execute { assigned: false }, 200),
    (Ep::HoldAssigned, Need::Execute { assigned: true }, 200),
    (Ep::CompleteAssigned, Need::Execute { assigned: true }, 200),
    (Ep::TimeAssigned, Need::Execute { assigned: true }, 201),
    (Ep::TimeNotAssigned, Need::Execute { assigned: false }, 201),
    (Ep::Close, Need::Perm("work_orders:validate"), 200),
    (Ep::Reopen, Need::Perm("work_orders:validate"), 200),
    (Ep::FailureCodeList, Need::Perm("work_orders:read"), 200),
    (
        Ep::FailureCodeCreate,
        Need::Perm("failure_codes:manage"),
        201,
    ),
    (
        Ep::FailureCodePatch,
        Need::Perm("failure_codes:manage"),
        200,
    ),
    (Ep::MyWork, Need::Perm("work_orders:read"), 200),
    (Ep::MyWorkBucket, Need::Perm("work_orders:read"), 200),
    (Ep::FollowUpDraft, Need::Perm("work_orders:read"), 200),
    // docs/api.md: whoever may work on the order raises its follow-up.
    (Ep::FollowUpAssigned, Need::Execute { assigned: true }, 201),
    (
        Ep::FollowUpNotAssigned,
        Need::Execute { assigned: false },
        201,
    ),
    (Ep::TemplateList, Need::Perm("work_orders:read"), 200),
    (Ep::TemplateCreate, Need::Perm("work_orders:manage"), 201),
    (Ep::TemplateReplace, Need::Perm("work_orders:manage"), 200),
    (Ep::TemplateDelete, Need::Perm("work_orders:manage"), 204),
    (Ep::SpecTemplateList, Need::Perm("equipment:read"), 200),
    (Ep::SpecTemplateCreate, Need::Perm("equipment:manage"), 201),
    (Ep::SpecTemplateDelete, Need::Perm("equipment:manage"), 204),
];

/// One company, one member per built-in role, and shared objects to read.
struct Crew {
    app: TestApp,
    admin: String,
    site: String,
    equipment: String,
    plan: String,
    order: String,
    /// The member with the technician role.
    technician: Person,
    /// Another technician, to whom "not assigned" orders go.
    other_technician: Person,
}

impl Crew {
    async fn ok(&self, method: Method, path: &str, body: Option<Value>, status: u16) -> Reply {
        self.app
            .call(method, path, Some(&self.admin), body)
            .await
            .expect(status)
    }

    /// Fresh equipment on the site: its id and code.
    async fn fresh_equipment(&self) -> (String, String) {
        let code = unique("E").to_uppercase();
        let made = self
            .ok(
                Method::POST,
                "/equipment",
                Some(json!({"code": code, "name": "Machine", "site_id": self.site})),
                201,
            )
            .await;
        (made.id(), code)
    }

    /// A fresh meter without readings: its id, its equipment's code and its name.
    async fn fresh_meter(&self) -> (String, String, String) {
        let (equipment, code) = self.fresh_equipment().await;
        let meter = self
            .ok(
                Method::POST,
                &format!("/equipment/{equipment}/meters"),
                Some(json!({"name": "Heures", "unit": "h"})),
                201,
            )
            .await
            .id();
        (meter, code, "Heures".into())
    }

    async fn fresh_template(&self) -> String {
        self.ok(
            Method::POST,
            "/templates",
            Some(json!({"kind": "work_order", "name": unique("Modèle"), "title": "Graissage"})),
            201,
        )
        .await
        .id()
    }

    async fn fresh_plan(&self) -> String {
        self.ok(
            Method::POST,
            "/pm-plans",
            Some(weekly_plan(&self.equipment, &in_days(7), "Plan")),
            201,
        )
        .await
        .id()
    }

    async fn fresh_request(&self) -> String {
        self.ok(
            Method::POST,
            "/requests",
            Some(json!({"equipment_id": self.equipment, "title": "Bruit", "production_stopped": false})),
            201,
        )
        .await
        .id()
    }

    /// A fresh order, assigned to `assignee` when given.
    async fn fresh_order(&self, assignee: Option<&str>) -> String {
        let mut body =
            json!({"type": "inspection", "equipment_id": self.equipment, "title": "Ronde"});
        if let Some(assignee) = assignee {
            body["assignee_ids"] = json!([assignee]);
        }
        self.ok(Method::POST, "/work-orders", Some(body), 201)
            .await
            .id()
    }

    /// A fresh order assigned to `assignee` and in progress.
    async fn started_order(&self, assignee: &str) -> String {
        let order = self.fresh_order(Some(assignee)).await;
        self.ok(
            Method::POST,
            &format!("/work-orders/{order}/start"),
            None,
            200,
        )
        .await;
        order
    }

    /// A fresh order assigned to `assignee` and completed.
    async fn completed_order(&self, assignee: &str) -> String {
        let order = self.started_order(assignee).await;
        self.ok(
            Method::POST,
            &format!("/work-orders/{order}/complete"),
            Some(json!({"work_performed": "Fait"})),
            200,
        )
        .await;
        order
    }

    /// Who gets "the caller's" orders: the caller when they may be assigned work, else the
    /// technician.
    fn assignee_for<'a>(&'a self, role: &str, who: &'a Person) -> &'a str {
        if holds(role, "work_orders:execute") {
            &who.id
        } else {
            &self.technician.id
        }
    }

    /// The call for one endpoint, on fresh objects where it changes anything.
    async fn prepare(&self, ep: Ep, role: &str, who: &Person) -> Call {
        let mine = self.assignee_for(role, who);
        match ep {
            Ep::PlanList => get("/pm-plans"),
            Ep::PlanGet => get(format!("/pm-plans/{}", self.plan)),
            Ep::PlanCreate => post("/pm-plans", weekly_plan(&self.equipment, &in_days(7), role)),
            Ep::PlanReplace => put(
                format!("/pm-plans/{}", self.fresh_plan().await),
                weekly_plan(&self.equipment, &in_days(14), "Remplacé"),
            ),
            Ep::PlanPause => post_bare(format!("/pm-plans/{}/pause", self.fresh_plan().await)),
            Ep::PlanResume => {
                let plan = self.fresh_plan().await;
                self.ok(Method::POST, &format!("/pm-plans/{plan}/pause"), None, 200)
                    .await;
                post_bare(format!("/pm-plans/{plan}/resume"))
            }
            Ep::PlanSkip => post(
                format!("/pm-plans/{}/skip", self.fresh_plan().await),
                json!({"occurrence": format!("cal:{}", in_days(7)), "reason": "Arrêt"}),
            ),
            Ep::PlanUnskip => {
                let plan = self.fresh_plan().await;
                let occurrence = format!("cal:{}", in_days(7));
                self.ok(
                    Method::POST,
                    &format!("/pm-plans/{plan}/skip"),
                    Some(json!({"occurrence": occurrence})),
                    200,
                )
                .await;
                post(
                    format!("/pm-plans/{plan}/unskip"),
                    json!({"occurrence": occurrence}),
                )
            }
            Ep::PlanArchive => post_bare(format!("/pm-plans/{}/archive", self.fresh_plan().await)),
            Ep::PlanPreview => {
                let mut body = weekly_plan(&self.equipment, &in_days(1), "Aperçu");
                body["until"] = json!(in_days(60));
                post("/pm-plans/preview", body)
            }
            Ep::PlanForecast => get(format!("/pm-plans/{}/forecast", self.plan)),
            Ep::Calendar => get(format!(
                "/calendar?from={}&to={}",
                at(Utc::now() - Duration::days(1)),
                at(Utc::now() + Duration::days(30))
            )),
            Ep::Jobs => get("/jobs"),
            Ep::EquipmentList => get("/equipment"),
            Ep::EquipmentGet => get(format!("/equipment/{}", self.equipment)),
            Ep::EquipmentCreate => post(
                "/equipment",
                json!({"code": unique("N").to_uppercase(), "name": "Neuve", "site_id": self.site}),
            ),
            Ep::EquipmentPatch => patch(
                format!("/equipment/{}", self.fresh_equipment().await.0),
                json!({"name": "Renommée"}),
            ),
            Ep::EquipmentStatus => post(
                format!("/equipment/{}/status", self.fresh_equipment().await.0),
                json!({"status": "inactive", "reason": "Arrêt"}),
            ),
            Ep::EquipmentArchive => post_bare(format!(
                "/equipment/{}/archive",
                self.fresh_equipment().await.0
            )),
            Ep::MeterCreate => post(
                format!("/equipment/{}/meters", self.fresh_equipment().await.0),
                json!({"name": "Cycles", "unit": "cycles"}),
            ),
            Ep::ReadingRecord => post(
                format!("/meters/{}/readings", self.fresh_meter().await.0),
                json!({"value": 12.5}),
            ),
            Ep::ReadingImport => {
                let (_, code, name) = self.fresh_meter().await;
                csv(format!(
                    "equipment_code,meter,value,read_at\n{code},{name},42,{}\n",
                    at(Utc::now() - Duration::hours(1))
                ))
            }
            Ep::MeterPatch => patch(
                format!("/meters/{}", self.fresh_meter().await.0),
                json!({"name": "Heures moteur"}),
            ),
            Ep::MeterDelete => delete(format!("/meters/{}", self.fresh_meter().await.0)),
            Ep::RequestCreate => post(
                "/requests",
                json!({"equipment_id": self.equipment, "title": format!("Panne vue par {role}")}),
            ),
            Ep::RequestList => get("/requests"),
            Ep::RequestApprove => post(
                format!("/requests/{}/approve", self.fresh_request().await),
                json!({"priority": "high"}),
            ),
            Ep::RequestReject => post(
                format!("/requests/{}/reject", self.fresh_request().await),
                json!({"reason": "Fonctionnement normal"}),
            ),
            Ep::OrderList => get("/work-orders"),
            Ep::OrderGet => get(format!("/work-orders/{}", self.order)),
            Ep::OrderCreate => post(
                "/work-orders",
                json!({"type": "improvement", "equipment_id": self.equipment, "title": "Capot"}),
            ),
            Ep::OrderPatch => patch(
                format!("/work-orders/{}", self.fresh_order(None).await),
                json!({"priority": "urgent", "due_at": at(Utc::now() + Duration::days(5))}),
            ),
            Ep::OrderAssign => post(
                format!("/work-orders/{}/assign", self.fresh_order(None).await),
                json!({"assignee_ids": [self.technician.id]}),
            ),
            Ep::OrderCancel => post(
                format!("/work-orders/{}/cancel", self.fresh_order(None).await),
                json!({"reason": "Doublon"}),
            ),
            Ep::OrderComment => post(
                format!("/work-orders/{}/comments", self.order),
                json!({"body": format!("Vu par {role}")}),
            ),
            Ep::ChecklistAdd => post(
                format!("/work-orders/{}/checklist", self.fresh_order(None).await),
                json!({"label": "Vérifier", "kind": "pass_fail"}),
            ),
            Ep::StartAssigned => post_bare(format!(
                "/work-orders/{}/start",
                self.fresh_order(Some(mine)).await
            )),
            Ep::StartNotAssigned => post_bare(format!(
                "/work-orders/{}/start",
                self.fresh_order(Some(&self.other_technician.id)).await
            )),
            Ep::HoldAssigned => post(
                format!("/work-orders/{}/hold", self.started_order(mine).await),
                json!({"reason": "Attente pièces"}),
            ),
            Ep::CompleteAssigned => post(
                format!("/work-orders/{}/complete", self.started_order(mine).await),
                json!({"work_performed": "Réglage"}),
            ),
            Ep::TimeAssigned => post(
                format!(
                    "/work-orders/{}/time-entries",
                    self.started_order(mine).await
                ),
                json!({"minutes": 15}),
            ),
            Ep::TimeNotAssigned => post(
                format!(
                    "/work-orders/{}/time-entries",
                    self.started_order(&self.other_technician.id).await
                ),
                json!({"minutes": 15}),
            ),
            // Completed by the technician: closing is a matter of permission, not assignment.
            Ep::Close => post_bare(format!(
                "/work-orders/{}/close",
                self.completed_order(&self.technician.id).await
            )),
            Ep::Reopen => post(
                format!(
                    "/work-orders/{}/reopen",
                    self.completed_order(&self.technician.id).await
                ),
                json!({"reason": "Photo manquante"}),
            ),
            Ep::FailureCodeList => get("/failure-codes"),
            Ep::FailureCodeCreate => post(
                "/failure-codes",
                json!({"kind": "cause", "code": unique("C"), "label": "Usure"}),
            ),
            Ep::FailureCodePatch => {
                let code = self
                    .ok(
                        Method::POST,
                        "/failure-codes",
                        Some(
                            json!({"kind": "remedy", "code": unique("R"), "label": "Remplacement"}),
                        ),
                        201,
                    )
                    .await
                    .id();
                patch(
                    format!("/failure-codes/{code}"),
                    json!({"label": "Remplacement à neuf"}),
                )
            }
            Ep::MyWork => get("/my-work?within=week"),
            Ep::MyWorkBucket => get("/my-work/overdue?page=2"),
            Ep::FollowUpDraft => get(format!("/work-orders/{}/follow-up", self.order)),
            Ep::FollowUpAssigned => post(
                format!("/work-orders/{}/follow-ups", self.started_order(mine).await),
                json!({"title": "Suite : joint à changer"}),
            ),
            Ep::FollowUpNotAssigned => post(
                format!(
                    "/work-orders/{}/follow-ups",
                    self.started_order(&self.other_technician.id).await
                ),
                json!({"title": "Suite : joint à changer"}),
            ),
            Ep::TemplateList => get("/templates"),
            Ep::TemplateCreate => post(
                "/templates",
                json!({"kind": "checklist", "name": unique("Liste")}),
            ),
            Ep::TemplateReplace => put(
                format!("/templates/{}", self.fresh_template().await),
                json!({"kind": "work_order", "name": unique("Modèle"), "title": "Graissage"}),
            ),
            Ep::TemplateDelete => delete(format!("/templates/{}", self.fresh_template().await)),
            Ep::SpecTemplateList => get("/spec-templates"),
            Ep::SpecTemplateCreate => post(
                "/spec-templates",
                json!({"category": unique("Pompe"), "fields": [{"key": "debit", "label": "Débit", "unit": "m³/h"}]}),
            ),
            Ep::SpecTemplateDelete => {
                let template = self
                    .ok(
                        Method::POST,
                        "/spec-templates",
                        Some(json!({"category": unique("Moteur"), "fields": []})),
                        201,
                    )
                    .await
                    .id();
                delete(format!("/spec-templates/{template}"))
            }
        }
    }
}

#[tokio::test]
async fn each_role_is_allowed_or_refused_on_maintenance_and_preventive_endpoints() {
    // The table reads the documented matrix; make sure it reads what the docs say.
    assert!(holds("operator", "meters:record") && !holds("operator", "work_orders:read"));
    assert!(holds("viewer", "requests:read") && !holds("viewer", "requests:create"));
    assert!(holds("admin", "jobs:read") && !holds("supervisor", "jobs:read"));
    assert!(holds("viewer", "work_orders:read") && !holds("viewer", "work_orders:comment"));

    let app = TestApp::spawn().await;
    let company: Company = app.signup().await;
    let admin = company.admin.token.clone();
    let site = app.site(&admin, "Lyon").await;
    let equipment = app.equipment(&admin, &site, "ROLE").await;
    let mut members = Vec::new();
    for role in ROLES {
        let person = if role == "admin" {
            company.admin.clone()
        } else {
            app.add_member(&company, role, None).await
        };
        members.push((role, person));
    }
    let technician = members[2].1.clone();
    let other_technician = app.add_member(&company, "technician", None).await;
    let plan = app
        .post(
            &admin,
            "/pm-plans",
            weekly_plan(&equipment, &in_days(7), "Plan partagé"),
        )
        .await
        .expect(201)
        .id();
    let order = app
        .post(
            &admin,
            "/work-orders",
            json!({"type": "inspection", "equipment_id": equipment, "title": "Partagé"}),
        )
        .await
        .expect(201)
        .id();
    let crew = Crew {
        app,
        admin,
        site,
        equipment,
        plan,
        order,
        technician,
        other_technician,
    };

    let mut failures = Vec::new();
    let mut allowed = 0;
    let mut refused = 0;
    // Requests each role made, to check who sees which afterwards.
    let mut reported: Vec<(&str, String)> = Vec::new();
    for (ep, need, success) in TABLE {
        for (role, who) in &members {
            let expect = expected(*need, role, *success);
            let call = crew.prepare(*ep, role, who).await;
            let reply = send(&crew.app, &who.token, &call).await;
            match verdict(&reply, &expect) {
                Some(why) => failures.push(format!("{role} {ep:?} {}: {why}", call.name())),
                None if matches!(expect, Expect::Allowed(_)) => allowed += 1,
                None => refused += 1,
            }
            if *ep == Ep::RequestCreate && reply.status.as_u16() == 201 {
                reported.push((*role, reply.id()));
            }
        }
    }
    assert_none_failed("the role table", &failures);
    eprintln!(
        "roles: {} endpoints × {} roles: {allowed} allowed, {refused} refused as documented",
        TABLE.len(),
        ROLES.len()
    );

    // Members without `requests:read` list only the requests they made; the others see all.
    let everyone: Vec<String> = reported.iter().map(|(_, id)| id.clone()).collect();
    assert!(everyone.len() >= 2, "{reported:?}");
    for (role, who) in &members {
        let own: Vec<String> = reported
            .iter()
            .filter(|(r, _)| r == role)
            .map(|(_, id)| id.clone())
            .collect();
        let listed = ids(&crew
            .app
            .get(&who.token, "/requests?per_page=200")
            .await
            .expect(200));
        let someone_else = everyone.iter().find(|id| !own.contains(id));
        if holds(role, "requests:read") {
            assert!(
                everyone.iter().all(|id| listed.contains(id)),
                "{role} sees every request: {listed:?}"
            );
            if let Some(other) = someone_else {
                crew.app
                    .get(&who.token, &format!("/requests/{other}"))
                    .await
                    .expect(200);
            }
        } else {
            let mut listed = listed;
            listed.sort();
            let mut own = own;
            own.sort();
            assert_eq!(listed, own, "{role} sees only their own requests");
            if let Some(other) = someone_else {
                crew.app
                    .get(&who.token, &format!("/requests/{other}"))
                    .await
                    .expect_error(404, "not_found");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Work order filters.

/// The ids a list answers, sorted.
fn sorted_ids(reply: &Reply) -> Vec<String> {
    let mut found = ids(reply);
    found.sort();
    found
}

fn sorted(list: &[&String]) -> Vec<String> {
    let mut list: Vec<String> = list.iter().map(|s| (*s).clone()).collect();
    list.sort();
    list
}

#[tokio::test]
async fn work_order_filters_named_by_the_maintenance_issue() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = company.admin.token.clone();
    let lyon = app.site(&t, "Lyon").await;
    let paris = app.site(&t, "Paris").await;
    let tech1 = app.add_member(&company, "technician", None).await;
    let tech2 = app.add_member(&company, "technician", None).await;
    let mut codes = Vec::new();
    let mut machines = Vec::new();
    for site in [&lyon, &paris] {
        let code = unique("F").to_uppercase();
        machines.push(
            app.post(
                &t,
                "/equipment",
                json!({"code": code, "name": "Presse", "site_id": site}),
            )
            .await
            .expect(201)
            .id(),
        );
        codes.push(code);
    }
    let (eq_lyon, eq_paris) = (machines[0].clone(), machines[1].clone());
    let now = Utc::now();
    let order = |body: Value| {
        let app = &app;
        let t = &t;
        async move { app.post(t, "/work-orders", body).await.expect(201).body }
    };

    // First batch.
    let low = order(json!({
        "type": "improvement", "priority": "low", "equipment_id": eq_lyon,
        "title": "Peinture du capot", "due_at": at(now + Duration::days(10)),
    }))
    .await;
    let urgent = order(json!({
        "type": "corrective", "priority": "urgent", "equipment_id": eq_paris,
        "title": "Fuite hydraulique", "due_at": at(now - Duration::days(2)),
        "assignee_ids": [tech1.id],
    }))
    .await;
    let cancelled = order(json!({
        "type": "corrective", "priority": "normal", "equipment_id": eq_paris,
        "title": "Doublon", "due_at": at(now - Duration::days(5)),
    }))
    .await;
    let cancelled_id = cancelled["id"].as_str().unwrap_or_default().to_owned();
    app.post(
        &t,
        &format!("/work-orders/{cancelled_id}/cancel"),
        json!({"reason": "Doublon"}),
    )
    .await
    .expect(200);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;

    // Second batch: a manual order, one from a request, one from a plan.
    let high = order(json!({
        "type": "inspection", "priority": "high", "equipment_id": eq_lyon,
        "title": "Contrôle des courroies", "due_at": at(now + Duration::days(40)),
        "assignee_ids": [tech2.id],
    }))
    .await;
    let request = app
        .post(
            &t,
            "/requests",
            json!({"equipment_id": eq_paris, "title": "Voyant rouge"}),
        )
        .await
        .expect(201)
        .id();
    let approved = app
        .post(
            &t,
            &format!("/requests/{request}/approve"),
            json!({"assignee_ids": [tech1.id], "due_at": at(now + Duration::days(20))}),
        )
        .await
        .expect(200);
    let from_request = approved.body["work_order"].clone();
    // A plan due in three days, generated now (seven days of lead time): due in three days.
    let plan = app
        .post(&t, "/pm-plans", json!({
            "equipment_id": eq_lyon, "title": "Graissage", "starts_on": in_days(3), "first_occurrence": "from_start", "lead_time_days": 7,
            "trigger": {"kind": "calendar", "every": 1, "unit": "week"}
        }))
        .await
        .expect(201)
        .id();
    let tenant = TenantId(company.tenant_id.parse().unwrap_or_default());
    let generated = gmao_workers::pm::generate_for_tenant(&app.pool, tenant, Utc::now(), None)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"))
        .created;
    assert_eq!(generated, 1);
    let from_plan = app
        .get(&t, &format!("/work-orders?pm_plan_id={plan}"))
        .await
        .expect(200)
        .body["items"][0]
        .clone();

    let id = |order: &Value| order["id"].as_str().unwrap_or_default().to_owned();
    let (low, urgent, cancelled, high, from_request, from_plan) = (
        id(&low),
        id(&urgent),
        cancelled_id,
        id(&high),
        id(&from_request),
        id(&from_plan),
    );
    assert!(!from_request.is_empty() && !from_plan.is_empty());
    let all = [&low, &urgent, &cancelled, &high, &from_request, &from_plan];
    // Between the two batches.
    let created = |id: &String| {
        let app = &app;
        let t = &t;
        let path = format!("/work-orders/{id}");
        async move { parse_instant(&app.get(t, &path).await.expect(200).body["created_at"]) }
    };
    let last_of_first = created(&cancelled).await;
    let first_of_second = created(&high).await;
    assert!(last_of_first < first_of_second);
    let split = last_of_first + (first_of_second - last_of_first) / 2;
    let number = app
        .get(&t, &format!("/work-orders/{low}"))
        .await
        .expect(200)
        .body["number"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let table: Vec<(String, Vec<&String>)> = vec![
        ("".into(), all.to_vec()),
        ("priority=low".into(), vec![&low]),
        ("priority=urgent".into(), vec![&urgent]),
        ("priority=high".into(), vec![&high]),
        (
            "priority=normal".into(),
            vec![&cancelled, &from_request, &from_plan],
        ),
        (
            "origin=manual".into(),
            vec![&low, &urgent, &cancelled, &high],
        ),
        ("origin=request".into(), vec![&from_request]),
        ("origin=plan".into(), vec![&from_plan]),
        (format!("site_id={lyon}"), vec![&low, &high, &from_plan]),
        (
            format!("site_id={paris}"),
            vec![&urgent, &cancelled, &from_request],
        ),
        (
            format!("assignee_id={}", tech1.id),
            vec![&urgent, &from_request],
        ),
        (format!("assignee_id={}", tech2.id), vec![&high]),
        (format!("assignee_id={}", company.admin.id), vec![]),
        ("overdue=true".into(), vec![&urgent]),
        (
            "overdue=false".into(),
            vec![&low, &cancelled, &high, &from_request, &from_plan],
        ),
        (
            format!(
                "due_from={}&due_to={}",
                at(now + Duration::days(5)),
                at(now + Duration::days(30))
            ),
            vec![&low, &from_request],
        ),
        (format!("due_to={}", at(now)), vec![&urgent, &cancelled]),
        (
            format!(
                "due_from={}&due_to={}",
                at(now - Duration::days(3)),
                at(now)
            ),
            vec![&urgent],
        ),
        (
            format!("due_from={}", at(now + Duration::days(35))),
            vec![&high],
        ),
        (
            format!("created_to={}", at(split)),
            vec![&low, &urgent, &cancelled],
        ),
        (
            format!("created_from={}", at(split)),
            vec![&high, &from_request, &from_plan],
        ),
        ("q=courroies".into(), vec![&high]),
        ("q=HYDRAULIQUE".into(), vec![&urgent]),
        (
            format!("q={}", codes[1].to_lowercase()),
            vec![&urgent, &cancelled, &from_request],
        ),
        (format!("q={number}"), vec![&low]),
        (
            format!("site_id={paris}&overdue=false"),
            vec![&cancelled, &from_request],
        ),
        (
            format!("site_id={lyon}&priority=high&assignee_id={}", tech2.id),
            vec![&high],
        ),
        (format!("site_id={lyon}&origin=request"), vec![]),
    ];
    let mut failures = Vec::new();
    for (query, expected) in &table {
        let path = format!("/work-orders?per_page=200&{query}");
        let found = sorted_ids(&app.get(&t, &path).await.expect(200));
        let expected = sorted(expected);
        if found != expected {
            failures.push(format!("GET {path}: {found:?}, expected {expected:?}"));
        }
    }
    assert_none_failed("work order filters", &failures);

    // The calendar by site: that site's scheduled orders (not the cancelled one) and forecasts.
    let window = format!(
        "from={}&to={}",
        at(now - Duration::days(10)),
        at(now + Duration::days(60))
    );
    for (site, orders, forecasts) in [
        (&lyon, vec![&low, &high, &from_plan], true),
        (&paris, vec![&urgent, &from_request], false),
    ] {
        let calendar = app
            .get(&t, &format!("/calendar?{window}&site_id={site}"))
            .await
            .expect(200);
        let entries = calendar.body["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut shown: Vec<String> = entries
            .iter()
            .filter(|e| e["kind"] == "work_order")
            .filter_map(|e| e["work_order_id"].as_str().map(str::to_owned))
            .collect();
        shown.sort();
        assert_eq!(shown, sorted(&orders), "calendar of {site}");
        assert!(
            entries.iter().all(|e| e["site_id"] == site.as_str()),
            "calendar of {site}: {:#}",
            calendar.body
        );
        let planned = entries.iter().filter(|e| e["kind"] == "forecast").count();
        assert_eq!(
            planned > 0,
            forecasts,
            "forecasts in the calendar of {site}: {:#}",
            calendar.body
        );
    }
    let whole = app
        .get(&t, &format!("/calendar?{window}"))
        .await
        .expect(200);
    let mut shown: Vec<String> = whole.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["kind"] == "work_order")
        .filter_map(|e| e["work_order_id"].as_str().map(str::to_owned))
        .collect();
    shown.sort();
    assert_eq!(
        shown,
        sorted(&[&low, &urgent, &high, &from_request, &from_plan])
    );
}
