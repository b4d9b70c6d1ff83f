//! Accounts people can trust on an instance where anyone can sign up: sign-up never checks a
//! password, addresses are proven by mailed links, people join a company by accepting an
//! invitation, passwords are reset by link, and every mail reaches a real SMTP server once.

use chrono::{Duration, Utc};
use gmao_mail::{MailSettings, Mailer};
use gmao_tests::client::{PASSWORD, person_from};
use gmao_tests::smtp::{SmtpSink, free_port};
use gmao_tests::{TestApp, unique};
use gmao_workers::mail::{Outcome, deliver};
use reqwest::Method;
use serde_json::{Value, json};

fn signup_body(slug: &str, email: &str, password: &str) -> Value {
    json!({
        "company_name": format!("Usine {slug}"),
        "tenant_slug": slug,
        "full_name": "Paul Pirate",
        "email": email,
        "password": password,
    })
}

fn mailer(url: String) -> Mailer {
    Mailer::new(&MailSettings {
        smtp_url: Some(url.into()),
        from: "gmao <no-reply@gmao.test>".into(),
        outbox_dir: std::env::temp_dir(),
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

async fn signup_at(
    app: &TestApp,
    slug: &str,
    email: &str,
    password: &str,
) -> gmao_tests::client::Reply {
    app.call(
        Method::POST,
        "/auth/signup",
        None,
        Some(signup_body(slug, email, password)),
    )
    .await
}

#[tokio::test]
async fn signing_up_with_a_registered_address_never_checks_a_password_nor_opens_anything() {
    let app = TestApp::spawn().await;
    let owner = app.signup().await;
    let slug = unique("squat");
    // Wrong or right password: the same answer, no tokens, nothing created.
    for password in ["Devine-le-42", PASSWORD] {
        let reply = signup_at(&app, &slug, &owner.admin.email, password)
            .await
            .expect(202);
        assert_eq!(reply.body, json!({"status": "check_mailbox"}));
    }
    // What the stranger typed is not repeated to the owner.
    for text in app.mail_texts_to(&owner.admin.email).await {
        assert!(
            !text.contains(&slug) && !text.contains("Paul Pirate"),
            "{text}"
        );
    }
    // The slug was not taken: someone else may use it.
    signup_at(
        &app,
        &slug,
        &format!("{}@example.com", unique("other")),
        PASSWORD,
    )
    .await
    .expect(201);
    // The owner was told, and nothing of it counted as a failed login.
    let mails = app.mails_to(&owner.admin.email).await;
    assert_eq!(
        mails
            .iter()
            .filter(|(kind, ..)| kind == "account_exists")
            .count(),
        2,
        "{mails:?}"
    );
    for _ in 0..4 {
        app.login(&owner.admin.email, "Wrong-password-9", None)
            .await
            .expect_error(401, "invalid_credentials");
    }
    app.login(&owner.admin.email, PASSWORD, None)
        .await
        .expect(200);
    // Its company list is unchanged.
    let mine = app.get(&owner.admin.token, "/me/tenants").await.expect(200);
    assert_eq!(mine.body["total"], 1);
}

#[tokio::test]
async fn a_pre_claimed_address_is_taken_back_by_the_owner_of_the_mailbox() {
    let app = TestApp::spawn().await;
    let victim = app.signup().await;
    let bob = format!("{}@victim.example.com", unique("bob"));
    // A stranger signs up a junk company with Bob's address, and stays logged in.
    let junk = signup_at(&app, &unique("junk"), &bob, "Corsaire-pass-2026")
        .await
        .expect(201);
    let pirate = person_from(&junk.body);
    assert_eq!(junk.body["user"]["email_verified"], false);
    // The confirmation mail Bob receives carries nothing the stranger typed.
    for text in app.mail_texts_to(&bob).await {
        assert!(!text.contains("Pirate") && !text.contains("junk"), "{text}");
    }
    // Victim invites Bob; the stranger cannot use the link (it went to Bob's mailbox), and
    // their unproven account cannot join any other company by itself.
    let viewer = app.role_id(&victim, "viewer").await;
    app.post(
        &victim.admin.token,
        "/users",
        json!({"email": bob, "full_name": "Bob", "role_id": viewer}),
    )
    .await
    .expect(201);
    app.post(
        &pirate.token,
        "/me/tenants",
        json!({"company_name": "Encore", "tenant_slug": unique("encore")}),
    )
    .await
    .expect_error(403, "email_not_verified");
    // Bob opens the link: the address has an account nobody proved, so he chooses a password.
    let token = app.mailed_token(&bob, "invitation").await;
    let preview = app
        .call(
            Method::GET,
            &format!("/auth/invitations/{token}"),
            None,
            None,
        )
        .await
        .expect(200);
    assert_eq!(preview.body["account"], "unverified");
    let joined = app
        .accept_invitation(&bob, "Le-vrai-Bob-2026")
        .await
        .expect(200);
    assert_eq!(joined.body["tenant"]["slug"], victim.slug.as_str());
    assert_eq!(joined.body["user"]["email_verified"], true);
    // The stranger is out: session ended, password gone.
    app.get(&pirate.token, "/me")
        .await
        .expect_error(401, "session_ended");
    app.login(&bob, "Corsaire-pass-2026", None)
        .await
        .expect_error(401, "invalid_credentials");
    app.login(&bob, "Le-vrai-Bob-2026", Some(&victim.slug))
        .await
        .expect(200);
    // And the link worked once.
    app.call(
        Method::POST,
        "/auth/invitations/accept",
        None,
        Some(json!({"token": token, "password": "Le-vrai-Bob-2026"})),
    )
    .await
    .expect_error(410, "link_expired");
}

#[tokio::test]
async fn a_company_adds_nobody_without_their_consent_and_learns_nothing_of_them() {
    let app = TestApp::spawn().await;
    let elsewhere = app.signup().await;
    let person = app.add_member(&elsewhere, "technician", None).await;
    let curious = app.signup().await;
    let tech = app.role_id(&curious, "technician").await;
    let unknown = format!("{}@example.com", unique("nobody"));
    // The answer for an address with an account and for one without is the same.
    let shape = |reply: &Value| {
        let mut keys: Vec<String> = reply["invitation"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        (
            reply["status"].clone(),
            reply["member"].clone(),
            keys,
            reply["invitation"]["full_name"].clone(),
        )
    };
    let known = app
        .post(
            &curious.admin.token,
            "/users",
            json!({"email": person.email, "full_name": "Qui est-ce", "role_id": tech}),
        )
        .await
        .expect(201);
    let fresh = app
        .post(
            &curious.admin.token,
            "/users",
            json!({"email": unknown, "full_name": "Qui est-ce", "role_id": tech}),
        )
        .await
        .expect(201);
    assert_eq!(shape(&known.body), shape(&fresh.body));
    assert!(!known.body.to_string().contains(&person.id));
    assert!(!known.body.to_string().contains("Test technician"));
    // Not a member until they accept.
    let members = app.get(&curious.admin.token, "/users").await.expect(200);
    assert_eq!(members.body["total"], 1);
    let pending = app
        .get(&curious.admin.token, "/invitations?status=pending")
        .await
        .expect(200);
    assert_eq!(pending.body["total"], 2);

    // Once they accept, the company sees them, and only its own login times.
    app.accept_invitation(&person.email, PASSWORD)
        .await
        .expect(200);
    let listed = app
        .get(&curious.admin.token, &format!("/users/{}", person.id))
        .await
        .expect(200);
    let joined_at = listed.body["last_login_at"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!joined_at.is_empty(), "{:#}", listed.body);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    app.login(&person.email, PASSWORD, Some(&elsewhere.slug))
        .await
        .expect(200);
    let listed = app
        .get(&curious.admin.token, &format!("/users/{}", person.id))
        .await
        .expect(200);
    assert_eq!(listed.body["last_login_at"], joined_at.as_str());
    // Adding them again is refused as a member; inviting twice as pending.
    app.post(
        &curious.admin.token,
        "/users",
        json!({"email": person.email, "full_name": "X", "role_id": tech}),
    )
    .await
    .expect_error(409, "already_member");
    let again = app
        .post(
            &curious.admin.token,
            "/users",
            json!({"email": unknown, "full_name": "X", "role_id": tech}),
        )
        .await
        .expect_error(409, "invitation_pending");
    assert!(again.body["details"]["invitation_id"].is_string());
}

#[tokio::test]
async fn invitations_are_listed_resent_revoked_and_expire() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = &company.admin.token;
    let site = app.site(admin, "Lyon").await;
    let tech = app.role_id(&company, "technician").await;
    let email = format!("{}@example.com", unique("inv"));
    let invited = app
        .post(
            admin,
            "/users",
            json!({"email": email, "full_name": "Inès Invitée", "role_id": tech, "site_ids": [site], "locale": "en"}),
        )
        .await
        .expect(201);
    let id = invited.body["invitation"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(invited.body["invitation"]["site_ids"], json!([site]));
    let mails = app.mails_to(&email).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].1.contains("invites you to join"), "{mails:?}");

    // Resent: a new link; the old one stops working.
    let old = app.mailed_token(&email, "invitation").await;
    let resent = app
        .post(admin, &format!("/invitations/{id}/resend"), json!({}))
        .await
        .expect(200);
    assert_eq!(resent.body["sent_count"], 2);
    let new = app.mailed_token(&email, "invitation").await;
    assert_ne!(old, new);
    app.call(Method::GET, &format!("/auth/invitations/{old}"), None, None)
        .await
        .expect_error(410, "link_expired");
    let preview = app
        .call(Method::GET, &format!("/auth/invitations/{new}"), None, None)
        .await
        .expect(200);
    assert_eq!(preview.body["account"], "none");
    assert_eq!(preview.body["role"], "Technician");

    // Expired: refused, listed as expired; resending renews it.
    gmao_db::sqlx::query(gmao_db::sqlx::AssertSqlSafe(format!(
        "UPDATE t_{}.invitations SET expires_at = now() - interval '1 minute' WHERE id = $1",
        company.tenant_id.replace('-', "")
    )))
    .bind(uuid::Uuid::parse_str(&id).unwrap_or_default())
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    app.call(Method::GET, &format!("/auth/invitations/{new}"), None, None)
        .await
        .expect_error(410, "link_expired");
    let expired = app
        .get(admin, "/invitations?status=expired")
        .await
        .expect(200);
    assert_eq!(expired.body["total"], 1);
    app.post(admin, &format!("/invitations/{id}/resend"), json!({}))
        .await
        .expect(200);

    // A weak password is refused; then the person joins with the role and the site given.
    app.accept_invitation(&email, "abc")
        .await
        .expect_error(422, "weak_password");
    let joined = app.accept_invitation(&email, PASSWORD).await.expect(200);
    let person = person_from(&joined.body);
    let me = app.get(&person.token, "/me").await.expect(200);
    assert_eq!(me.body["role"]["key"], "technician");
    assert_eq!(me.body["site_scope"], json!([site]));
    assert_eq!(me.body["user"]["email_verified"], true);
    assert_eq!(me.body["user"]["full_name"], "Inès Invitée");
    let accepted = app
        .get(admin, "/invitations?status=accepted")
        .await
        .expect(200);
    assert_eq!(accepted.body["total"], 1);
    app.post(admin, &format!("/invitations/{id}/revoke"), json!({}))
        .await
        .expect_error(409, "invitation_closed");

    // Revoked before acceptance: the link is dead.
    let other = format!("{}@example.com", unique("rev"));
    let made = app
        .post(
            admin,
            "/users",
            json!({"email": other, "full_name": "R", "role_id": tech}),
        )
        .await
        .expect(201);
    let other_id = made.body["invitation"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.post(admin, &format!("/invitations/{other_id}/revoke"), json!({}))
        .await
        .expect(200);
    app.accept_invitation(&other, PASSWORD)
        .await
        .expect_error(410, "link_expired");
    // The audit log keeps it all, without the tokens.
    let log = app
        .get(
            admin,
            &format!("/audit-log?entity=invitation&entity_id={id}"),
        )
        .await
        .expect(200);
    let actions: Vec<&str> = log.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, vec!["accept", "resend", "resend", "invite"]);
    assert!(!log.body.to_string().contains(&new));
}

#[tokio::test]
async fn confirming_an_address_proves_the_mailbox_and_ends_earlier_sessions() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let admin = company.admin.clone();
    let me = app.get(&admin.token, "/me").await.expect(200);
    assert_eq!(me.body["user"]["email_verified"], false);
    app.post(
        &admin.token,
        "/me/tenants",
        json!({"company_name": "Deuxième", "tenant_slug": unique("deux")}),
    )
    .await
    .expect_error(403, "email_not_verified");
    // The link was mailed at sign-up; a new one may be asked for (the old one then stops).
    let first_link = app.mailed_token(&admin.email, "verify_email").await;
    app.post(&admin.token, "/me/email-verification", json!({}))
        .await
        .expect(202);
    let link = app.mailed_token(&admin.email, "verify_email").await;
    assert_ne!(first_link, link);
    let confirm = |token: String, password: &'static str| {
        app.call(
            Method::POST,
            "/auth/verify-email",
            None,
            Some(json!({"token": token, "password": password})),
        )
    };
    confirm(first_link, PASSWORD)
        .await
        .expect_error(410, "link_expired");
    confirm(link.clone(), "short")
        .await
        .expect_error(422, "weak_password");
    confirm(link.clone(), "Adresse-prouvée-7").await.expect(204);
    confirm(link, "Adresse-prouvée-7")
        .await
        .expect_error(410, "link_expired");
    // Sessions from before are over, and so is the password from before.
    app.get(&admin.token, "/me")
        .await
        .expect_error(401, "session_ended");
    app.login(&admin.email, PASSWORD, None)
        .await
        .expect_error(401, "invalid_credentials");
    let again = person_from(
        &app.login(&admin.email, "Adresse-prouvée-7", None)
            .await
            .expect(200)
            .body,
    );
    assert!(
        app.mails_to(&admin.email)
            .await
            .iter()
            .any(|(kind, ..)| kind == "password_changed")
    );
    app.post(&again.token, "/me/email-verification", json!({}))
        .await
        .expect_error(409, "already_verified");
    // Proven, the person creates another company from their account.
    let slug = unique("deux");
    let created = app
        .post(
            &again.token,
            "/me/tenants",
            json!({"company_name": "Deuxième usine", "tenant_slug": slug}),
        )
        .await
        .expect(201);
    assert_eq!(created.body["tenant"]["slug"], slug.as_str());
    let there = created.body["access_token"].as_str().unwrap_or_default();
    let me = app.get(there, "/me").await.expect(200);
    assert_eq!(me.body["role"]["key"], "admin");
    app.login(&admin.email, "Adresse-prouvée-7", None)
        .await
        .expect_error(409, "tenant_required");
}

#[tokio::test]
async fn a_password_is_reset_by_a_link_that_works_once_for_an_hour() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let email = company.admin.email.clone();
    let ask = |email: String| {
        app.call(
            Method::POST,
            "/auth/password-reset",
            None,
            Some(json!({"email": email})),
        )
    };
    // The same answer for an address without an account, and no mail.
    let unknown = format!("{}@example.com", unique("ghost"));
    let reply = ask(unknown.clone()).await.expect(202);
    assert_eq!(reply.body, json!({"status": "check_mailbox"}));
    assert!(app.mails_to(&unknown).await.is_empty());
    ask("pas-une-adresse".into())
        .await
        .expect_error(422, "invalid_email");
    ask(email.clone()).await.expect(202);
    let token = app.mailed_token(&email, "password_reset").await;
    let confirm = |token: String, password: &'static str| {
        app.call(
            Method::POST,
            "/auth/password-reset/confirm",
            None,
            Some(json!({"token": token, "password": password})),
        )
    };
    confirm(token.clone(), "weak")
        .await
        .expect_error(422, "weak_password");
    confirm(token.clone(), "Réinitialisé-2026")
        .await
        .expect(204);
    confirm(token, "Réinitialisé-2026")
        .await
        .expect_error(410, "link_expired");
    app.get(&company.admin.token, "/me")
        .await
        .expect_error(401, "session_ended");
    app.login(&email, PASSWORD, None)
        .await
        .expect_error(401, "invalid_credentials");
    let me = app
        .login(&email, "Réinitialisé-2026", None)
        .await
        .expect(200);
    // The mailbox is proven by the reset.
    assert_eq!(me.body["user"]["email_verified"], true);

    // An hour later, a link is dead.
    ask(email.clone()).await.expect(202);
    let late = app.mailed_token(&email, "password_reset").await;
    gmao_db::sqlx::query(
        "UPDATE public.email_tokens SET expires_at = now() - interval '1 second'
         WHERE purpose = 'password_reset' AND used_at IS NULL",
    )
    .execute(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    confirm(late, "Encore-un-autre-9")
        .await
        .expect_error(410, "link_expired");
    // Three reset mails an hour per account at most; the answer stays the same.
    ask(email.clone()).await.expect(202);
    ask(email.clone()).await.expect(202);
    let resets = app
        .mails_to(&email)
        .await
        .into_iter()
        .filter(|(kind, ..)| kind == "password_reset")
        .count();
    assert_eq!(resets, 3);
}

#[tokio::test]
async fn mails_reach_a_real_smtp_server_once_even_when_it_was_down() {
    let app = TestApp::spawn().await;
    let company = app.signup().await;
    let email = format!("{}@example.com", unique("mail"));
    let tech = app.role_id(&company, "technician").await;
    app.post(
        &company.admin.token,
        "/users",
        json!({"email": email, "full_name": "Maël", "role_id": tech}),
    )
    .await
    .expect(201);
    let ids = app.mail_ids_to(&email).await;
    assert_eq!(ids.len(), 1);
    let id = ids[0];

    // The server is down: the attempt fails and waits its turn.
    let port = free_port();
    let mailer = mailer(format!("smtp://127.0.0.1:{port}"));
    let outcome = deliver(&app.pool, &mailer, id)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    let Outcome::WillRetry(at) = outcome else {
        panic!("expected a retry, got {outcome:?}");
    };
    assert!(at > Utc::now() && at < Utc::now() + Duration::minutes(2));
    // Not due yet: nothing happens.
    assert_eq!(
        deliver(&app.pool, &mailer, id)
            .await
            .unwrap_or_else(|e| panic!("{e:#}")),
        Outcome::NotDue
    );

    // The server is up and the time has come: delivered, once.
    let sink = SmtpSink::start_on(port);
    gmao_db::sqlx::query("UPDATE public.mail_outbox SET next_attempt_at = now() WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        deliver(&app.pool, &mailer, id)
            .await
            .unwrap_or_else(|e| panic!("{e:#}")),
        Outcome::Sent
    );
    assert_eq!(
        deliver(&app.pool, &mailer, id)
            .await
            .unwrap_or_else(|e| panic!("{e:#}")),
        Outcome::NotDue
    );
    let received = sink.to(&email);
    assert_eq!(received.len(), 1, "{received:?}");
    let message = &received[0].data;
    assert!(message.contains("Subject:"), "{message}");
    assert!(
        message.contains(&format!("<{}@gmao>", id.simple())),
        "{message}"
    );
    assert!(message.contains("/invitation?token="), "{message}");
    assert!(message.contains("text/html"), "{message}");
    // Sent: the single-use link is no longer kept.
    let (status, body): (String, Option<String>) =
        gmao_db::sqlx::query_as("SELECT status, body_text FROM public.mail_outbox WHERE id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((status.as_str(), body), ("sent", None));

    // A mailbox the server refuses for good: failed at once, not retried.
    let refused = format!("{}@refused.test", unique("x"));
    app.post(
        &company.admin.token,
        "/users",
        json!({"email": refused, "full_name": "Personne", "role_id": tech}),
    )
    .await
    .expect(201);
    let id = app.mail_ids_to(&refused).await[0];
    assert_eq!(
        deliver(&app.pool, &mailer, id)
            .await
            .unwrap_or_else(|e| panic!("{e:#}")),
        Outcome::Failed
    );
    let failed = {
        let mut conn = app.pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
        gmao_db::outbox::list(&mut conn, Some("failed"), 1000)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let listed = failed
        .iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("not listed"));
    assert!(
        listed
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("550")),
        "{listed:?}"
    );
}

#[tokio::test]
async fn an_address_is_one_account_however_it_is_spelled() {
    let app = TestApp::spawn().await;
    let tag = unique("z").replace('-', "");
    // Composed accents, capitals, an accented domain.
    let typed = format!("Zo\u{e9}.{tag}@Soci\u{e9}t\u{e9}.example");
    let first = signup_at(&app, &unique("idn"), &typed, PASSWORD)
        .await
        .expect(201);
    let stored = first.body["user"]["email"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(stored, format!("zo\u{e9}.{tag}@xn--socit-esab.example"));
    // Decomposed accents and another case: the same address, so the same account.
    let again = format!("ZOE\u{301}.{tag}@socie\u{301}te\u{301}.EXAMPLE");
    signup_at(&app, &unique("idn"), &again, PASSWORD)
        .await
        .expect(202);
    app.login(&again, PASSWORD, None).await.expect(200);
    app.login(&stored, PASSWORD, None).await.expect(200);
}
