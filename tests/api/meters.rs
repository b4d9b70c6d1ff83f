//! Meters and readings: cumulative meters never go down, imports are all or nothing.

use gmao_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn cumulative_meters_refuse_readings_that_go_down() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let site = app.site(t, "Lyon").await;
    let equipment = app.equipment(t, &site, "CPT").await;
    let meter = app
        .post(
            t,
            &format!("/equipment/{equipment}/meters"),
            json!({"name": "Heures de marche", "unit": "h"}),
        )
        .await
        .expect(201);
    assert_eq!(meter.body["cumulative"], true);
    let m = meter.id();
    let path = format!("/meters/{m}/readings");

    app.post(
        t,
        &path,
        json!({"value": 1200.0, "read_at": "2026-01-10T08:00:00Z"}),
    )
    .await
    .expect(201);
    app.post(
        t,
        &path,
        json!({"value": 1500.0, "read_at": "2026-02-10T08:00:00Z"}),
    )
    .await
    .expect(201);
    let refused = app
        .post(
            t,
            &path,
            json!({"value": 1400.0, "read_at": "2026-03-10T08:00:00Z"}),
        )
        .await
        .expect_error(422, "reading_below_previous");
    assert_eq!(
        refused.body["details"]["fields"]["value"]["previous_value"],
        1500.0
    );
    assert!(
        refused.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("1500")),
        "{:#}",
        refused.body
    );
    // A late entry must fit between its neighbours.
    app.post(
        t,
        &path,
        json!({"value": 1600.0, "read_at": "2026-01-20T08:00:00Z"}),
    )
    .await
    .expect_error(422, "reading_above_next");
    app.post(
        t,
        &path,
        json!({"value": 1300.0, "read_at": "2026-01-20T08:00:00Z"}),
    )
    .await
    .expect(201);
    app.post(
        t,
        &path,
        json!({"value": 1300.0, "read_at": "2026-01-20T08:00:00Z"}),
    )
    .await
    .expect_error(422, "reading_exists");
    app.post(
        t,
        &path,
        json!({"value": 9999.0, "read_at": "2099-01-01T00:00:00Z"}),
    )
    .await
    .expect_error(422, "reading_in_future");

    let read = app.get(t, &format!("/meters/{m}")).await.expect(200);
    assert_eq!(read.body["last_value"], 1500.0);
    assert_eq!(read.body["reading_count"], 3);
    let readings = app.get(t, &path).await.expect(200);
    let values: Vec<f64> = readings.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["value"].as_f64())
        .collect();
    assert_eq!(values, vec![1500.0, 1300.0, 1200.0]);

    // A gauge may go either way. Operators record readings.
    let gauge = app
        .post(
            t,
            &format!("/equipment/{equipment}/meters"),
            json!({"name": "Température", "unit": "°C", "cumulative": false}),
        )
        .await
        .expect(201)
        .id();
    let operator = app.add_member(&company, "operator", None).await;
    app.post(
        &operator.token,
        &format!("/meters/{gauge}/readings"),
        json!({"value": 60.5}),
    )
    .await
    .expect(201);
    app.post(
        &operator.token,
        &format!("/meters/{gauge}/readings"),
        json!({"value": -3.0, "read_at": "2026-01-01T00:00:00Z"}),
    )
    .await
    .expect(201);
    // A meter with readings stays; an empty one may go.
    app.delete(t, &format!("/meters/{m}"))
        .await
        .expect_error(409, "has_history");
    let spare = app
        .post(
            t,
            &format!("/equipment/{equipment}/meters"),
            json!({"name": "Cycles", "unit": "cycles"}),
        )
        .await
        .expect(201)
        .id();
    app.delete(t, &format!("/meters/{spare}")).await.expect(204);
    app.post(
        t,
        &format!("/equipment/{equipment}/meters"),
        json!({"name": "heures de marche", "unit": "h"}),
    )
    .await
    .expect_error(409, "name_taken");
    let viewer = app.add_member(&company, "viewer", None).await;
    app.post(&viewer.token, &path, json!({"value": 1700.0}))
        .await
        .expect_error(403, "forbidden");
}

#[tokio::test]
async fn csv_imports_are_all_or_nothing() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let site = app.site(t, "Lyon").await;
    let equipment = app.equipment(t, &site, "IMP").await;
    let code = app
        .get(t, &format!("/equipment/{equipment}"))
        .await
        .expect(200)
        .body["code"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    let meter = app
        .post(
            t,
            &format!("/equipment/{equipment}/meters"),
            json!({"name": "Heures", "unit": "h"}),
        )
        .await
        .expect(201)
        .id();
    let import = |csv: String| {
        app.send(
            app.client
                .post(app.url("/api/v1/meter-readings/import"))
                .bearer_auth(t)
                .header("content-type", "text/csv")
                .body(csv),
        )
    };
    // Out of order in the file, a local time of the site, a semicolon file: all fine.
    let ok = import(format!(
        "equipment_code;meter;value;read_at\n{code};Heures;150,5;2026-03-01 08:00\n{code};heures;100;2026-02-01T08:00:00Z\n"
    ))
    .await
    .expect(200);
    assert_eq!(ok.body["imported"], 2);
    // One bad line refuses the whole file and names every problem.
    let refused = import(format!(
        "equipment_code,meter,value,read_at\n{code},Heures,200,2026-04-01T08:00:00Z\n{code},Heures,120,2026-05-01T08:00:00Z\nNOPE,Heures,1,2026-05-01T08:00:00Z\n{code},Heures,abc,2026-05-02T08:00:00Z\n"
    ))
    .await
    .expect_error(422, "import_refused");
    let problems = refused.body["details"]["problems"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let codes: Vec<(i64, &str)> = problems
        .iter()
        .map(|p| {
            (
                p["line"].as_i64().unwrap_or(0),
                p["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        codes,
        vec![
            (3, "reading_below_previous"),
            (4, "unknown_meter"),
            (5, "invalid_number")
        ],
        "{:#}",
        refused.body
    );
    let readings = app
        .get(t, &format!("/meters/{meter}/readings"))
        .await
        .expect(200);
    assert_eq!(
        readings.body["total"], 2,
        "nothing of the refused file was recorded"
    );
    let local = readings.body["items"][0]["read_at"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    let local = chrono::DateTime::parse_from_rfc3339(&local)
        .map(|d| d.to_utc().to_rfc3339())
        .unwrap_or(local);
    assert_eq!(
        local, "2026-03-01T07:00:00+00:00",
        "08:00 in Paris in winter is 07:00 UTC"
    );
    import("code,value\nX,1\n".into())
        .await
        .expect_error(422, "import_refused");
}
