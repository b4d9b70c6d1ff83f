//! The equipment registry: locations, components, status history, archive, documents, QR codes.

use gmao_tests::TestApp;
use gmao_tests::client::{PNG, ids};
use serde_json::json;

#[tokio::test]
async fn equipment_is_registered_located_filtered_and_changed() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let site = app.site(t, "Lyon").await;
    let plant = app.plant(t, &site, "Usinage").await;
    let line = app.line(t, &plant, "Tour").await;
    let other_site = app.site(t, "Paris").await;

    let created = app
        .post(t, "/equipment", json!({
            "code": "tour-01", "name": "Tour CN Mazak", "category": "Tour", "manufacturer": "Mazak",
            "serial_number": "MZK-778", "production_line_id": line, "criticality": "critical",
            "purchase_date": "2020-03-01", "installation_date": "2020-04-15",
            "specifications": {"puissance_kw": 22, "tension": "400 V"}
        }))
        .await
        .expect(201);
    assert_eq!(created.body["code"], "TOUR-01");
    assert_eq!(created.body["site_id"], site.as_str());
    assert_eq!(created.body["plant_id"], plant.as_str());
    assert_eq!(created.body["status"], "active");
    assert_eq!(created.body["specifications"]["puissance_kw"], 22);
    let id = created.id();

    // Components, unique codes and serials, consistent locations.
    let spindle = app
        .post(
            t,
            "/equipment",
            json!({"code": "TOUR-01-BROCHE", "name": "Broche", "plant_id": plant, "parent_id": id}),
        )
        .await
        .expect(201);
    assert_eq!(spindle.body["parent_code"], "TOUR-01");
    app.post(
        t,
        "/equipment",
        json!({"code": "TOUR-01", "name": "Again", "site_id": site}),
    )
    .await
    .expect_error(409, "code_taken");
    app.post(
        t,
        "/equipment",
        json!({"code": "X2", "name": "X", "site_id": site, "serial_number": "MZK-778"}),
    )
    .await
    .expect_error(409, "serial_number_taken");
    app.post(
        t,
        "/equipment",
        json!({"code": "X3", "name": "X", "site_id": other_site, "plant_id": plant}),
    )
    .await
    .expect_error(422, "inconsistent_location");
    app.post(t, "/equipment", json!({"code": "X4", "name": "X"}))
        .await
        .expect_error(422, "location_required");
    app.post(
        t,
        "/equipment",
        json!({"code": "X5", "name": "X", "site_id": other_site, "parent_id": id}),
    )
    .await
    .expect_error(422, "invalid_parent");
    app.patch(
        t,
        &format!("/equipment/{id}"),
        json!({"parent_id": spindle.id()}),
    )
    .await
    .expect_error(422, "invalid_parent");
    app.post(
        t,
        "/equipment",
        json!({"code": "X6", "name": "X", "site_id": site, "criticality": "apocalyptic"}),
    )
    .await
    .expect_error(400, "invalid_request");

    // Filters.
    assert_eq!(
        ids(&app
            .get(t, &format!("/equipment?production_line_id={line}"))
            .await
            .expect(200)),
        vec![id.clone()]
    );
    assert_eq!(
        ids(&app.get(t, "/equipment?q=mzk-7").await.expect(200)),
        vec![id.clone()]
    );
    assert_eq!(
        app.get(t, "/equipment?criticality=critical")
            .await
            .expect(200)
            .body["total"],
        1
    );
    assert_eq!(
        app.get(t, &format!("/equipment?parent_id={id}"))
            .await
            .expect(200)
            .body["total"],
        1
    );
    assert_eq!(
        app.get(t, "/equipment?category=tour")
            .await
            .expect(200)
            .body["total"],
        1
    );
    assert_eq!(
        app.get(t, "/equipment/categories").await.expect(200).body["items"],
        json!(["Tour"])
    );

    // Notes set, then cleared with null.
    let patched = app
        .patch(
            t,
            &format!("/equipment/{id}"),
            json!({"name": "Tour CN Mazak QT", "notes": "Révisé en 2025"}),
        )
        .await
        .expect(200);
    assert_eq!(patched.body["notes"], "Révisé en 2025");
    let cleared = app
        .patch(t, &format!("/equipment/{id}"), json!({"notes": null}))
        .await
        .expect(200);
    assert!(cleared.body["notes"].is_null());

    // Status by hand, with history.
    app.post(
        t,
        &format!("/equipment/{id}/status"),
        json!({"status": "inactive", "reason": "Arrêt annuel"}),
    )
    .await
    .expect(200);
    let history = app
        .get(t, &format!("/equipment/{id}/status-history"))
        .await
        .expect(200);
    assert_eq!(history.body["items"][0]["to_status"], "inactive");
    assert_eq!(history.body["items"][0]["from_status"], "active");
    assert_eq!(history.body["items"][0]["reason"], "Arrêt annuel");
    assert_eq!(history.body["items"][1]["to_status"], "active");

    // Parents cannot be deleted while equipment stands on them.
    app.delete(t, &format!("/production-lines/{line}"))
        .await
        .expect_error(409, "has_children");
    app.delete(t, &format!("/sites/{site}"))
        .await
        .expect_error(409, "has_children");
}

#[tokio::test]
async fn equipment_with_history_is_archived_not_deleted() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let site = app.site(t, "Lyon").await;
    let blank = app
        .post(
            t,
            "/equipment",
            json!({"code": "MISTAKE", "name": "Typo", "site_id": site}),
        )
        .await
        .expect(201)
        .id();
    app.delete(t, &format!("/equipment/{blank}"))
        .await
        .expect(204);
    app.get(t, &format!("/equipment/{blank}"))
        .await
        .expect_error(404, "not_found");

    let pump = app
        .post(
            t,
            "/equipment",
            json!({"code": "POMPE-1", "name": "Pompe", "site_id": site}),
        )
        .await
        .expect(201)
        .id();
    app.post(
        t,
        &format!("/equipment/{pump}/meters"),
        json!({"name": "Heures", "unit": "h"}),
    )
    .await
    .expect(201);
    app.delete(t, &format!("/equipment/{pump}"))
        .await
        .expect_error(409, "has_history");
    let archived = app
        .post(t, &format!("/equipment/{pump}/archive"), json!({}))
        .await
        .expect(200);
    assert!(archived.body["archived_at"].is_string());
    assert!(ids(&app.get(t, "/equipment").await.expect(200)).is_empty());
    assert_eq!(
        ids(&app
            .get(t, "/equipment?include_archived=true")
            .await
            .expect(200)),
        vec![pump.clone()]
    );
    app.post(
        t,
        "/requests",
        json!({"equipment_id": pump, "title": "Fuite"}),
    )
    .await
    .expect_error(422, "unknown_equipment");
    app.post(t, &format!("/equipment/{pump}/restore"), json!({}))
        .await
        .expect(200);
    app.post(
        t,
        "/requests",
        json!({"equipment_id": pump, "title": "Fuite"}),
    )
    .await
    .expect(201);
}

#[tokio::test]
async fn documents_are_checked_stored_and_served_with_authorisation() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let site = app.site(t, "Lyon").await;
    let id = app.equipment(t, &site, "DOC").await;
    let path = format!("/equipment/{id}/attachments");

    let uploaded = app
        .upload(t, &path, "../../plaque signalétique.png", PNG.to_vec())
        .await
        .expect(201);
    assert_eq!(uploaded.body["content_type"], "image/png");
    assert_eq!(uploaded.body["file_name"], "plaque signalétique.png");
    assert_eq!(uploaded.body["size_bytes"], PNG.len());
    let pdf = app
        .upload(
            t,
            &path,
            "manuel.pdf",
            b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF".to_vec(),
        )
        .await
        .expect(201);
    assert_eq!(pdf.body["content_type"], "application/pdf");

    // A renamed executable is refused for what it is, not what it claims.
    let refused = app
        .upload(
            t,
            &path,
            "photo.png",
            b"MZ\x90\x00\x03 not a picture".to_vec(),
        )
        .await;
    assert_eq!(refused.status.as_u16(), 415, "{:#}", refused.body);
    assert_eq!(refused.code(), "unsupported_file_type");
    let mut big = PNG.to_vec();
    big.resize(300 * 1024, 0);
    app.upload(t, &path, "big.png", big)
        .await
        .expect_error(413, "payload_too_large");

    let list = app.get(t, &path).await.expect(200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(2));
    let url = uploaded.body["url"].as_str().unwrap_or_default().to_owned();
    let download = app
        .client
        .get(app.url(&url))
        .bearer_auth(t)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(download.status().as_u16(), 200);
    assert_eq!(download.headers()["content-type"], "image/png");
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("inline;")
    );
    assert_eq!(download.bytes().await.unwrap_or_default().as_ref(), PNG);

    // Another company cannot read it, even with the exact address.
    let other = app.signup().await;
    let stolen = app
        .client
        .get(app.url(&url))
        .bearer_auth(&other.admin.token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stolen.status().as_u16(), 404);
    // Nobody without a token either.
    let anonymous = app
        .client
        .get(app.url(&url))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(anonymous.status().as_u16(), 401);

    app.delete(t, &format!("{path}/{}", uploaded.id()))
        .await
        .expect(204);
    let gone = app
        .client
        .get(app.url(&url))
        .bearer_auth(t)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(gone.status().as_u16(), 404);
    // A technician may read documents but not add them.
    let tech = app.add_member(&company, "technician", None).await;
    app.get(&tech.token, &path).await.expect(200);
    app.upload(&tech.token, &path, "x.png", PNG.to_vec())
        .await
        .expect_error(403, "forbidden");
}

/// The address a PNG QR code encodes, read back as a phone's camera would.
fn decoded(png: &[u8]) -> String {
    let image = image::load_from_memory(png)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one code in the image");
    let (_, content) = grids[0].decode().unwrap_or_else(|e| panic!("{e}"));
    content
}

#[tokio::test]
async fn qr_codes_point_at_the_request_form_or_the_open_portal() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let site = app.site(t, "Lyon").await;
    let id = app.equipment(t, &site, "QR").await;
    let svg = app
        .client
        .get(app.url(&format!("/api/v1/equipment/{id}/qr-code")))
        .bearer_auth(t)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(svg.status().as_u16(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap_or_default().contains("<svg"));
    let png = |token: String| {
        let request = app
            .client
            .get(app.url(&format!("/api/v1/equipment/{id}/qr-code?format=png")))
            .bearer_auth(token);
        async move {
            let reply = request.send().await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(reply.headers()["content-type"], "image/png");
            let bytes = reply.bytes().await.unwrap_or_default();
            assert!(bytes.starts_with(&PNG[..8]));
            decoded(&bytes)
        }
    };
    // Behind the login while the site keeps its portal closed…
    assert_eq!(
        png(t.clone()).await,
        format!("http://127.0.0.1:8080/equipment/{id}/request")
    );
    // …the public portal once it opens it.
    app.patch(
        t,
        &format!("/sites/{site}"),
        json!({"public_requests": true}),
    )
    .await
    .expect(200);
    assert_eq!(
        png(t.clone()).await,
        format!(
            "http://127.0.0.1:8080/portal/{}/equipment/{id}",
            company.slug
        )
    );
    app.get(t, &format!("/equipment/{id}/qr-code?format=gif"))
        .await
        .expect_error(400, "invalid_parameter");
}
