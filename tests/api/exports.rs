//! List exports: every row of the list's filters (across many batches), formula-safe, in the
//! caller's company and sites only; the KPI export as PDF, XLSX and CSV.

use gmao_domain::TenantId;
use gmao_tests::TestApp;
use serde_json::json;

fn text(reply: &gmao_tests::client::Reply) -> String {
    reply.body.as_str().unwrap_or_default().to_owned()
}

fn header(reply: &gmao_tests::client::Reply, name: &str) -> String {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn work_orders_export_every_row_of_the_filters_and_nothing_else() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let lyon = app.site(admin, "Lyon").await;
    let nantes = app.site(admin, "Nantes").await;
    let press = app.equipment(admin, &lyon, "PRESSE").await;
    let oven = app.equipment(admin, &nantes, "FOUR").await;
    let risky = app
        .post(
            admin,
            "/work-orders",
            json!({"type": "corrective", "equipment_id": press, "title": "=HYPERLINK(\"http://evil\")"}),
        )
        .await
        .expect(201);
    let number = risky.body["number"].as_str().unwrap_or_default().to_owned();
    app.post(
        admin,
        "/work-orders",
        json!({"type": "preventive", "equipment_id": oven, "title": "Graissage four"}),
    )
    .await
    .expect(201);
    // Many more orders in Lyon than one batch reads.
    let tenant = TenantId(company.tenant_id.parse().unwrap_or_else(|e| panic!("{e}")));
    gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
        "INSERT INTO {}.work_orders (id, number, type, priority, status, equipment_id, site_id,
                                     title, origin, created_at)
         SELECT gen_random_uuid(), 'BX-' || g, 'corrective', 'normal', 'open', $1, $2,
                'Lot ' || g, 'manual', now() - g * interval '1 minute'
         FROM generate_series(1, 4500) g",
        tenant.schema().quoted()
    )))
    .bind(press.parse::<uuid::Uuid>().unwrap_or_default())
    .bind(lyon.parse::<uuid::Uuid>().unwrap_or_default())
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));

    let all = app
        .get(admin, "/work-orders/export?format=csv")
        .await
        .expect(200);
    assert_eq!(header(&all, "content-type"), "text/csv; charset=utf-8");
    assert!(
        header(&all, "content-disposition")
            .starts_with("attachment; filename*=UTF-8''work-orders-"),
        "{}",
        header(&all, "content-disposition")
    );
    let csv = text(&all);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("\u{feff}id,number,type,status,priority,origin,title,"));
    assert_eq!(lines.len(), 1 + 4502);
    // Oldest first, each once.
    assert!(lines[1].contains("Lot 4500"), "{}", lines[1]);
    let mut numbers: Vec<&str> = lines[1..]
        .iter()
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 4502);
    // The formula stays text; instants are UTC.
    let line = lines
        .iter()
        .find(|l| l.contains(&number))
        .unwrap_or_else(|| panic!("{number} missing"));
    assert!(
        line.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{line}"
    );
    assert!(line.contains('Z'), "{line}");

    // The list's filters apply.
    let nantes_only = app
        .get(
            admin,
            &format!("/work-orders/export?format=csv&site_id={nantes}&type=preventive"),
        )
        .await
        .expect(200);
    let lines: Vec<String> = text(&nantes_only).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].contains("Graissage four") && lines[1].contains("preventive"));
    app.get(admin, "/work-orders/export?format=csv&status=lost")
        .await
        .expect_error(400, "invalid_parameter");
    app.get(admin, "/work-orders/export?format=pdf")
        .await
        .expect(400);

    // A workbook of the same rows.
    let book = app
        .get(
            admin,
            &format!("/work-orders/export?format=xlsx&site_id={nantes}"),
        )
        .await
        .expect(200);
    assert_eq!(
        header(&book, "content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(text(&book).starts_with("PK"));

    // A member of Nantes only exports Nantes; an operator may not read orders at all;
    // another company gets its own (none).
    let nantes_member = app
        .add_member(&company, "technician", Some(vec![nantes.clone()]))
        .await;
    let theirs = app
        .get(&nantes_member.token, "/work-orders/export?format=csv")
        .await
        .expect(200);
    assert_eq!(text(&theirs).lines().count(), 2);
    let operator = app.add_member(&company, "operator", None).await;
    app.get(&operator.token, "/work-orders/export?format=csv")
        .await
        .expect_error(403, "forbidden");
    let other = app.signup().await;
    let nothing = app
        .get(&other.admin.token, "/work-orders/export?format=csv")
        .await
        .expect(200);
    assert_eq!(text(&nothing).lines().count(), 1);
}

#[tokio::test]
async fn the_indicators_export_as_a_report_a_workbook_and_csv() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let site = app.site(admin, "Lyon").await;
    app.equipment(admin, &site, "PRESSE").await;
    let pdf = app
        .get(
            admin,
            &format!("/kpis/export?format=pdf&site_id={site}&group_by=day"),
        )
        .await
        .expect(200);
    assert_eq!(header(&pdf, "content-type"), "application/pdf");
    assert!(
        header(&pdf, "content-disposition").starts_with("inline; filename*=UTF-8''indicateurs-")
    );
    assert!(text(&pdf).starts_with("%PDF-"));
    let book = app
        .get(admin, "/kpis/export?format=xlsx&language=en")
        .await
        .expect(200);
    assert!(header(&book, "content-disposition").contains("indicators-"));
    assert!(text(&book).starts_with("PK"));
    let csv = app
        .get(
            admin,
            "/kpis/export?format=csv&language=en&criticality=high",
        )
        .await
        .expect(200);
    let csv = text(&csv);
    assert!(
        csv.contains("Maintenance indicators") && csv.contains("Criticality,High"),
        "{csv}"
    );
    assert!(
        csv.contains("Key figures") && csv.contains("Availability"),
        "{csv}"
    );
    // Like the dashboard: readers of the indicators only.
    let technician = app.add_member(&company, "technician", None).await;
    app.get(&technician.token, "/kpis/export?format=csv")
        .await
        .expect_error(403, "forbidden");
}

#[tokio::test]
async fn equipment_and_plans_export_with_their_lists_filters() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let lyon = app.site(admin, "Lyon").await;
    let nantes = app.site(admin, "Nantes").await;
    let press = app.equipment(admin, &lyon, "PRESSE").await;
    app.equipment(admin, &nantes, "FOUR").await;
    let today = chrono::Utc::now().date_naive().to_string();
    app.post(
        admin,
        "/pm-plans",
        json!({"equipment_id": press, "title": "@Graissage", "starts_on": today,
               "lead_time_days": 7, "trigger": {"kind": "calendar", "every": 1, "unit": "month"}}),
    )
    .await
    .expect(201);

    let equipment = app
        .get(
            admin,
            &format!("/equipment/export?format=csv&site_id={lyon}"),
        )
        .await
        .expect(200);
    let lines: Vec<String> = text(&equipment).lines().map(str::to_owned).collect();
    assert!(
        lines[0].starts_with("\u{feff}id,code,name,category"),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[1].contains("PRESSE") && lines[1].contains("Lyon"),
        "{lines:?}"
    );
    let all = app
        .get(admin, "/equipment/export?format=xlsx")
        .await
        .expect(200);
    assert!(text(&all).starts_with("PK"));

    let plans = app
        .get(admin, "/pm-plans/export?format=csv")
        .await
        .expect(200);
    let lines: Vec<String> = text(&plans).lines().map(str::to_owned).collect();
    assert!(
        lines[0].starts_with("\u{feff}id,title,equipment_code"),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 2, "{lines:?}");
    // A title starting with @ stays text.
    assert!(
        lines[1].contains(",'@Graissage,") && lines[1].contains("calendar"),
        "{lines:?}"
    );
    let none = app
        .get(
            admin,
            &format!("/pm-plans/export?format=csv&site_id={nantes}"),
        )
        .await
        .expect(200);
    assert_eq!(text(&none).lines().count(), 1);

    // Readers of equipment and plans only.
    let operator = app.add_member(&company, "operator", None).await;
    app.get(&operator.token, "/pm-plans/export?format=csv")
        .await
        .expect_error(403, "forbidden");
    let other = app.signup().await;
    let theirs = app
        .get(&other.admin.token, "/equipment/export?format=csv")
        .await
        .expect(200);
    assert_eq!(text(&theirs).lines().count(), 1);
}

#[tokio::test]
async fn exports_run_a_bounded_number_at_once() {
    let mut settings = gmao_tests::test_settings();
    settings.max_concurrent_exports = 1;
    let app = TestApp::spawn_with(settings).await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let lyon = app.site(admin, "Lyon").await;
    app.equipment(admin, &lyon, "PRESSE").await;

    // Another export holds the one slot: this one waits a little, then says so.
    let held = match app.state.exports.clone().try_acquire_owned() {
        Ok(permit) => permit,
        Err(error) => panic!("the slot is taken: {error}"),
    };
    let busy = app
        .get(admin, "/equipment/export?format=csv")
        .await
        .expect_error(503, "server_busy");
    assert!(
        busy.body["details"]["retry_after_seconds"]
            .as_u64()
            .is_some()
    );
    drop(held);

    let done = app
        .get(admin, "/equipment/export?format=csv")
        .await
        .expect(200);
    assert!(text(&done).contains("PRESSE"));
    // The slot comes back once the last row is sent.
    for _ in 0..100 {
        if app.state.exports.available_permits() == 1 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the export kept its slot");
}
