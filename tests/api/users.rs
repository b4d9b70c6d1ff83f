//! Members and roles administration.

use gmao_tests::client::{PASSWORD, person_from};
use gmao_tests::{TestApp, unique};
use serde_json::json;

#[tokio::test]
async fn an_admin_adds_changes_and_lists_members() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let tech_role = app.role_id(&company, "technician").await;
    // Shop-floor staff without a mailbox: an account at once, with an initial password.
    let email = format!("{}@example.com", unique("karim"));
    let added = app
        .post(t, "/users", json!({"email": email, "full_name": "Karim Benali", "password": PASSWORD, "role_id": tech_role}))
        .await
        .expect(201);
    assert_eq!(added.body["status"], "created");
    assert!(added.body["invitation"].is_null());
    let member = &added.body["member"];
    assert_eq!(member["role"]["key"], "technician");
    assert!(member["site_ids"].is_null());
    assert!(member.get("existing_account").is_none());
    let id = member["id"].as_str().unwrap_or_default().to_owned();

    app.post(
        t,
        "/users",
        json!({"email": email, "full_name": "Again", "password": PASSWORD, "role_id": tech_role}),
    )
    .await
    .expect_error(409, "already_member");
    // Without a password, an invitation.
    let invited = app
        .post(t, "/users", json!({"email": format!("{}@example.com", unique("n")), "full_name": "Nadia Invitée", "role_id": tech_role}))
        .await
        .expect(201);
    assert_eq!(invited.body["status"], "invited");
    assert_eq!(invited.body["invitation"]["status"], "pending");
    assert!(invited.body["member"].is_null());
    app.post(t, "/users", json!({"email": format!("{}@example.com", unique("w")), "full_name": "Weak", "password": "abc", "role_id": tech_role}))
        .await
        .expect_error(422, "weak_password");

    let supervisor = app.role_id(&company, "supervisor").await;
    let changed = app
        .patch(t, &format!("/users/{id}"), json!({"role_id": supervisor}))
        .await
        .expect(200);
    assert_eq!(changed.body["role"]["key"], "supervisor");

    let list = app.get(t, "/users?q=benali").await.expect(200);
    assert_eq!(list.body["total"], 1);
    let by_role = app
        .get(t, &format!("/users?role_id={supervisor}"))
        .await
        .expect(200);
    assert_eq!(by_role.body["total"], 1);
    // Members only: the invited person joins when they accept.
    let all = app.get(t, "/users?sort=email").await.expect(200);
    assert_eq!(all.body["total"], 2);

    // The initial password opens nothing but its own change.
    let first = app.login(&email, PASSWORD, None).await.expect(200);
    assert_eq!(first.body["user"]["must_change_password"], true);
    let karim = person_from(&first.body);
    app.get(&karim.token, "/sites")
        .await
        .expect_error(403, "password_change_required");
    let me = app.get(&karim.token, "/me").await.expect(200);
    assert_eq!(me.body["user"]["must_change_password"], true);
    app.post(
        &karim.token,
        "/me/password",
        json!({"current_password": PASSWORD, "new_password": PASSWORD}),
    )
    .await
    .expect_error(422, "same_password");
    app.post(
        &karim.token,
        "/me/password",
        json!({"current_password": PASSWORD, "new_password": "Clé-de-13-plate"}),
    )
    .await
    .expect(204);
    app.get(&karim.token, "/sites").await.expect(200);
    let me = app.get(&karim.token, "/me").await.expect(200);
    assert_eq!(me.body["user"]["must_change_password"], false);
}

#[tokio::test]
async fn one_identity_belongs_to_several_companies() {
    let app = TestApp::spawn().await;
    let first = app.signup().await;
    let second = app.signup().await;
    let person = app.add_member(&first, "technician", None).await;
    let viewer = app.role_id(&second, "viewer").await;
    // The second company adds the address (even with a password): it is invited, and learns
    // nothing of the account.
    let added = app
        .post(&second.admin.token, "/users", json!({"email": person.email, "full_name": "Ignored Name", "password": "Something-else-42", "role_id": viewer}))
        .await
        .expect(201);
    assert_eq!(added.body["status"], "invited");
    assert!(added.body["member"].is_null());
    assert_eq!(added.body["invitation"]["full_name"], "Ignored Name");
    assert!(!added.body.to_string().contains(&person.id));
    // Accepting, the person logs in with their own password; their name stays theirs.
    app.accept_invitation(&person.email, "Something-else-42")
        .await
        .expect_error(401, "invalid_credentials");
    let in_second = app
        .accept_invitation(&person.email, PASSWORD)
        .await
        .expect(200);
    assert_eq!(in_second.body["tenant"]["slug"], second.slug.as_str());
    assert_eq!(in_second.body["user"]["full_name"], "Test technician");
    app.login(&person.email, PASSWORD, None)
        .await
        .expect_error(409, "tenant_required");
    let me = app
        .get(
            in_second.body["access_token"].as_str().unwrap_or_default(),
            "/me",
        )
        .await
        .expect(200);
    assert_eq!(me.body["role"]["key"], "viewer");
    app.login(&person.email, "Something-else-42", Some(&second.slug))
        .await
        .expect_error(401, "invalid_credentials");
    // Deactivated in one company, still active in the other.
    app.patch(
        &second.admin.token,
        &format!("/users/{}", person.id),
        json!({"active": false}),
    )
    .await
    .expect(200);
    let only_first = app.login(&person.email, PASSWORD, None).await.expect(200);
    assert_eq!(only_first.body["tenant"]["slug"], first.slug.as_str());
}

#[tokio::test]
async fn the_company_keeps_an_administrator_and_nobody_grants_more_than_they_have() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let admin_id = company.admin.id.clone();
    let viewer = app.role_id(&company, "viewer").await;
    app.patch(t, &format!("/users/{admin_id}"), json!({"role_id": viewer}))
        .await
        .expect_error(403, "cannot_change_self");
    app.patch(t, &format!("/users/{admin_id}"), json!({"active": false}))
        .await
        .expect_error(403, "cannot_change_self");

    // A member managing people without holding every permission cannot hand out admin: the
    // HR role holds what a viewer holds, plus managing people.
    let roles = app.get(t, "/roles").await.expect(200);
    let mut hr_permissions: Vec<serde_json::Value> = roles.body["items"]
        .as_array()
        .and_then(|roles| roles.iter().find(|r| r["key"] == "viewer"))
        .and_then(|viewer| viewer["permissions"].as_array().cloned())
        .unwrap_or_default();
    hr_permissions.extend([
        json!("users:read"),
        json!("users:manage"),
        json!("roles:read"),
    ]);
    let limited = app
        .post(
            t,
            "/roles",
            json!({"name": "RH", "permissions": hr_permissions}),
        )
        .await
        .expect(201)
        .id();
    let hr = app.add_person(t, &limited, None).await;
    let admin_role = app.role_id(&company, "admin").await;
    app.post(&hr.token, "/users", json!({"email": format!("{}@example.com", unique("x")), "full_name": "X", "password": PASSWORD, "role_id": admin_role}))
        .await
        .expect_error(403, "cannot_grant_role");
    let x = app
        .post(&hr.token, "/users", json!({"email": format!("{}@example.com", unique("x")), "full_name": "X", "password": PASSWORD, "role_id": viewer}))
        .await
        .expect(201)
        .body["member"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.patch(
        &hr.token,
        &format!("/users/{x}"),
        json!({"role_id": admin_role}),
    )
    .await
    .expect_error(403, "cannot_grant_role");
    // ... and, holding less than an administrator, cannot demote, limit or deactivate one,
    // even when the company has another.
    app.add_member(&company, "admin", None).await;
    for change in [
        json!({"role_id": viewer}),
        json!({"active": false}),
        json!({"site_ids": []}),
    ] {
        let refused = app
            .patch(&hr.token, &format!("/users/{admin_id}"), change)
            .await
            .expect_error(403, "cannot_manage_member");
        assert!(
            refused.body["details"]["permissions"]
                .as_array()
                .is_some_and(|missing| missing.iter().any(|p| p == "sites:manage")),
            "{:#}",
            refused.body
        );
    }
    // Those whose role they hold all of, they manage.
    app.patch(&hr.token, &format!("/users/{x}"), json!({"active": false}))
        .await
        .expect(200);

    // Likewise a role editor cannot change a role that gives more than they hold.
    let big = app
        .post(
            t,
            "/roles",
            json!({"name": "Chef de site", "permissions": ["sites:read", "sites:manage"]}),
        )
        .await
        .expect(201)
        .id();
    let editors = app
        .post(t, "/roles", json!({"name": "Éditeur de rôles", "permissions": ["sites:read", "roles:read", "roles:manage"]}))
        .await
        .expect(201)
        .id();
    let editor = app.add_person(t, &editors, None).await;
    app.patch(
        &editor.token,
        &format!("/roles/{big}"),
        json!({"permissions": ["sites:read"]}),
    )
    .await
    .expect_error(403, "cannot_change_role");
    app.delete(&editor.token, &format!("/roles/{big}"))
        .await
        .expect_error(403, "cannot_change_role");
}

#[tokio::test]
async fn concurrent_demotions_never_leave_the_company_without_an_administrator() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let first = company.admin.clone();
    let second = app.add_member(&company, "admin", None).await;
    let viewer = app.role_id(&company, "viewer").await;
    let admin_role = app.role_id(&company, "admin").await;
    // Each demotes the other at the same moment: one wins, the other is refused.
    let (second_path, first_path) = (
        format!("/users/{}", second.id),
        format!("/users/{}", first.id),
    );
    let (a, b) = tokio::join!(
        app.patch(&first.token, &second_path, json!({"role_id": viewer})),
        app.patch(&second.token, &first_path, json!({"role_id": viewer})),
    );
    // One wins. The other is refused: `last_admin` when both ran at once, or, when the winner
    // committed before the loser's request began, `forbidden` (the loser is a viewer by then).
    let (winner, loser) = if a.status.as_u16() == 200 {
        (&a, &b)
    } else {
        (&b, &a)
    };
    assert_eq!(winner.status.as_u16(), 200, "{:#} {:#}", a.body, b.body);
    assert!(
        matches!(
            (loser.status.as_u16(), loser.code()),
            (409, "last_admin") | (403, "forbidden")
        ),
        "{:#}",
        loser.body
    );
    // The one who demoted the other is the administrator left.
    let left = if a.status.as_u16() == 200 {
        &first
    } else {
        &second
    };
    let admins = app
        .get(
            &left.token,
            &format!("/users?role_id={admin_role}&active=true"),
        )
        .await
        .expect(200);
    assert_eq!(admins.body["total"], 1, "{:#}", admins.body);
}

#[tokio::test]
async fn the_only_administrator_keeps_every_site() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let site = app.site(&company.admin.token, "Lyon").await;
    for scope in [json!([]), json!([site])] {
        app.patch(
            &company.admin.token,
            &format!("/users/{}", company.admin.id),
            json!({"site_ids": scope}),
        )
        .await
        .expect_error(409, "last_admin");
    }
    // With another administrator who sees everything, one may be limited.
    app.add_member(&company, "admin", None).await;
    app.patch(
        &company.admin.token,
        &format!("/users/{}", company.admin.id),
        json!({"site_ids": [site]}),
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn custom_roles_are_edited_builtins_are_read_only_and_roles_in_use_stay() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let t = &company.admin.token;
    let perms = app.get(t, "/permissions").await.expect(200);
    assert!(
        perms.body["items"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["key"] == "sites:manage"))
    );

    let role = app
        .post(
            t,
            "/roles",
            json!({"name": "Magasinier", "description": "Pièces", "permissions": ["sites:read"]}),
        )
        .await
        .expect(201);
    let role_id = role.id();
    assert_eq!(role.body["builtin"], false);
    app.post(
        t,
        "/roles",
        json!({"name": "magasinier", "permissions": []}),
    )
    .await
    .expect_error(409, "name_taken");
    let reply = app
        .post(
            t,
            "/roles",
            json!({"name": "Bad", "permissions": ["sites:read", "rockets:launch"]}),
        )
        .await
        .expect_error(422, "unknown_permission");
    assert_eq!(
        reply.body["details"]["fields"]["permissions"]["value"],
        "rockets:launch"
    );
    let updated = app
        .patch(
            t,
            &format!("/roles/{role_id}"),
            json!({"description": null, "permissions": ["sites:read", "users:read"]}),
        )
        .await
        .expect(200);
    assert!(updated.body["description"].is_null());
    assert_eq!(
        updated.body["permissions"],
        json!(["sites:read", "users:read"])
    );

    let admin_role = app.role_id(&company, "admin").await;
    app.patch(t, &format!("/roles/{admin_role}"), json!({"name": "Boss"}))
        .await
        .expect_error(409, "builtin_role_read_only");
    app.delete(t, &format!("/roles/{admin_role}"))
        .await
        .expect_error(409, "builtin_role_read_only");

    // An open invitation with the role holds it too.
    let invited = format!("{}@example.com", unique("inv"));
    let invitation = app
        .post(
            t,
            "/users",
            json!({"email": invited, "full_name": "I", "role_id": role_id}),
        )
        .await
        .expect(201);
    let reply = app
        .delete(t, &format!("/roles/{role_id}"))
        .await
        .expect_error(409, "role_in_use");
    assert_eq!(reply.body["details"]["invitations"], 1);
    let invitation = invitation.body["invitation"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.post(t, &format!("/invitations/{invitation}/revoke"), json!({}))
        .await
        .expect(200);
    let member = app.add_person(t, &role_id, None).await;
    let reply = app
        .delete(t, &format!("/roles/{role_id}"))
        .await
        .expect_error(409, "role_in_use");
    assert_eq!(reply.body["details"]["members"], 1);
    let viewer = app.role_id(&company, "viewer").await;
    app.patch(
        t,
        &format!("/users/{}", member.id),
        json!({"role_id": viewer}),
    )
    .await
    .expect(200);
    app.delete(t, &format!("/roles/{role_id}"))
        .await
        .expect(204);
    app.get(t, &format!("/roles/{role_id}"))
        .await
        .expect_error(404, "not_found");
}

#[tokio::test]
async fn read_only_roles_write_nothing_not_even_a_comment() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let site = app.site(admin, "Lyon").await;
    let equipment = app.equipment(admin, &site, "RO").await;
    let order = app
        .post(
            admin,
            "/work-orders",
            json!({"title": "Courroie", "equipment_id": equipment, "type": "corrective"}),
        )
        .await
        .expect(201)
        .id();
    let viewer = app.add_member(&company, "viewer", None).await;
    app.get(&viewer.token, &format!("/work-orders/{order}/comments"))
        .await
        .expect(200);
    let refused = app
        .post(
            &viewer.token,
            &format!("/work-orders/{order}/comments"),
            json!({"body": "Vu."}),
        )
        .await
        .expect_error(403, "forbidden");
    assert_eq!(refused.body["details"]["permission"], "work_orders:comment");
    let technician = app.add_member(&company, "technician", None).await;
    app.post(
        &technician.token,
        &format!("/work-orders/{order}/comments"),
        json!({"body": "Pièce commandée."}),
    )
    .await
    .expect(201);
    let comments = app
        .get(&viewer.token, &format!("/work-orders/{order}/comments"))
        .await
        .expect(200);
    assert_eq!(comments.body["total"], 1);
}
