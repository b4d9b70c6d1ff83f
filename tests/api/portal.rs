//! The public request portal: a failure reported without an account, where a site opens it.

use gmao_tests::TestApp;
use gmao_tests::client::{PNG, Reply};
use reqwest::multipart::{Form, Part};
use serde_json::json;

async fn report(app: &TestApp, company: &str, equipment: &str, form: Form) -> Reply {
    app.send(
        app.client
            .post(app.url(&format!(
                "/api/v1/portal/{company}/equipment/{equipment}/requests"
            )))
            .multipart(form),
    )
    .await
}

fn form(title: &str) -> Form {
    Form::new().text("title", title.to_owned())
}

#[tokio::test]
async fn anyone_reports_a_failure_where_a_site_opens_its_portal() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let site = app.site(admin, "Lyon").await;
    let equipment = app.equipment(admin, &site, "PRESSE").await;
    let supervisor = app.add_member(&company, "supervisor", None).await;
    let slug = company.slug.clone();
    let portal = format!("/api/v1/portal/{slug}/equipment/{equipment}");

    // Closed by default: the machine is not even named.
    let closed = app.send(app.client.get(app.url(&portal))).await;
    assert_eq!(closed.status.as_u16(), 404);
    report(&app, &slug, &equipment, form("Fuite"))
        .await
        .expect_error(404, "not_found");
    // Only those who manage sites open it; audited.
    app.patch(
        &supervisor.token,
        &format!("/sites/{site}"),
        json!({"public_requests": true}),
    )
    .await
    .expect(403);
    let opened = app
        .patch(
            admin,
            &format!("/sites/{site}"),
            json!({"public_requests": true}),
        )
        .await
        .expect(200);
    assert_eq!(opened.body["public_requests"], true);
    let audit = app
        .get(
            admin,
            &format!("/audit-log?entity=site&entity_id={site}&action=update"),
        )
        .await
        .expect(200);
    assert_eq!(
        audit.body["items"][0]["changes"]["public_requests"],
        json!({"before": false, "after": true})
    );

    let shown = app.send(app.client.get(app.url(&portal))).await.expect(200);
    assert_eq!(shown.body["site_name"], "Lyon");
    assert!(
        shown.body["equipment_code"]
            .as_str()
            .is_some_and(|c| c.starts_with("PRESSE"))
    );
    assert!(shown.body.get("company_name").is_some());

    // Bad input: nothing recorded.
    report(&app, &slug, &equipment, form("  "))
        .await
        .expect_error(422, "required");

    // A report with a photo, a name and a contact.
    let receipt = report(
        &app,
        &slug,
        &equipment,
        form("Fuite d'huile sous la presse")
            .text("description", "Flaque au pied de la machine")
            .text("production_stopped", "true")
            .text("reporter_name", "Intérimaire équipe B")
            .text("reporter_contact", "06 12 34 56 78")
            .part("photo", Part::bytes(PNG.to_vec()).file_name("fuite.png")),
    )
    .await
    .expect(201);
    let number = receipt.body["number"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(number.starts_with("DI-"), "{number}");

    // The inbox shows it, marked anonymous, with the photo; the machine is down.
    let inbox = app.get(&supervisor.token, "/requests").await.expect(200);
    let request = &inbox.body["items"][0];
    assert_eq!(request["number"], number.as_str());
    assert_eq!(request["anonymous"], true);
    assert_eq!(request["requested_by"], json!(null));
    assert_eq!(request["reporter_name"], "Intérimaire équipe B");
    assert_eq!(request["reporter_contact"], "06 12 34 56 78");
    assert_eq!(request["production_stopped"], true);
    let id = request["id"].as_str().unwrap_or_default().to_owned();
    let photos = app
        .get(&supervisor.token, &format!("/requests/{id}/attachments"))
        .await
        .expect(200);
    assert_eq!(photos.body["total"], 1);
    assert_eq!(photos.body["items"][0]["uploaded_by"], json!(null));
    let machine = app
        .get(admin, &format!("/equipment/{equipment}"))
        .await
        .expect(200);
    assert_eq!(machine.body["status"], "broken");
    // It can be approved like any other.
    app.post(
        &supervisor.token,
        &format!("/requests/{id}/approve"),
        json!({}),
    )
    .await
    .expect(200);

    // Unknown companies, foreign or archived machines: the same 404.
    report(&app, "no-such-company", &equipment, form("Fuite"))
        .await
        .expect(404);
    let other = app.signup().await;
    let other_site = app.site(&other.admin.token, "Ailleurs").await;
    let foreign = app
        .equipment(&other.admin.token, &other_site, "AUTRE")
        .await;
    app.patch(
        &other.admin.token,
        &format!("/sites/{other_site}"),
        json!({"public_requests": true}),
    )
    .await
    .expect(200);
    report(&app, &slug, &foreign, form("Fuite"))
        .await
        .expect(404);
    report(&app, &other.slug, &equipment, form("Fuite"))
        .await
        .expect(404);
    let archived = app.equipment(admin, &site, "VIEUX").await;
    app.post(admin, &format!("/equipment/{archived}/archive"), json!({}))
        .await
        .expect(200);
    report(&app, &slug, &archived, form("Fuite"))
        .await
        .expect(404);

    // A few reports per address and hour: the sixth is refused.
    for i in 0..4 {
        report(&app, &slug, &equipment, form(&format!("Bruit {i}")))
            .await
            .expect(201);
    }
    let refused = report(&app, &slug, &equipment, form("Bruit 5")).await;
    assert_eq!(refused.status.as_u16(), 429);
    assert_eq!(refused.code(), "too_many_attempts");
    let total = app.get(&supervisor.token, "/requests").await.expect(200);
    assert_eq!(total.body["total"], 5);
}
