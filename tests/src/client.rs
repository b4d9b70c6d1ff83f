//! The running server and a small client that speaks its API.

use std::sync::Arc;
use std::time::Duration;

use gmao_api::{ApiSettings, AppState};
use gmao_db::PgPool;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{pool, test_settings, test_state, unique};

/// The password of every account the tests make.
pub const PASSWORD: &str = "Roulement-42-graisse";

/// The real server, on a free port, against the test database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: PgPool,
    pub state: Arc<AppState>,
}

/// A response: status, JSON body (Null when empty) and headers.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    /// The error code of an error body.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    pub fn id(&self) -> String {
        self.body["id"].as_str().unwrap_or_default().to_owned()
    }

    /// Panics with the body when the status is not `expected`.
    #[track_caller]
    pub fn expect(self, expected: u16) -> Reply {
        assert_eq!(
            self.status.as_u16(),
            expected,
            "unexpected reply: {:#}",
            self.body
        );
        self
    }

    /// Asserts an error reply: status, code, and the `{code, message, details}` shape.
    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str) -> Reply {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected reply: {:#}",
            self.body
        );
        assert_eq!(self.code(), code, "unexpected reply: {:#}", self.body);
        assert!(
            self.body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "error without message: {:#}",
            self.body
        );
        assert!(
            self.body["details"].is_object(),
            "error without details: {:#}",
            self.body
        );
        self
    }
}

/// A company made through the signup endpoint, with its administrator logged in.
#[derive(Debug, Clone)]
pub struct Company {
    pub tenant_id: String,
    pub slug: String,
    pub admin: Person,
}

/// Someone logged in.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub token: String,
    pub refresh_token: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(test_settings()).await
    }

    pub async fn spawn_with(settings: ApiSettings) -> TestApp {
        TestApp::spawn_on(pool(5).await, settings).await
    }

    pub async fn spawn_on(pool: PgPool, settings: ApiSettings) -> TestApp {
        TestApp::spawn_with_storage(pool, settings, gmao_storage::Storage::memory()).await
    }

    pub async fn spawn_with_storage(
        pool: PgPool,
        settings: ApiSettings,
        storage: gmao_storage::Storage,
    ) -> TestApp {
        let state = test_state(pool.clone(), settings, storage);
        let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(error) => panic!("cannot bind a port: {error}"),
        };
        let address = match listener.local_addr() {
            Ok(addr) => format!("http://{addr}"),
            Err(error) => panic!("no local address: {error}"),
        };
        let server_state = Arc::clone(&state);
        tokio::spawn(async move {
            let _ = gmao_api::serve(
                listener,
                server_state,
                std::future::pending(),
                Duration::from_secs(1),
            )
            .await;
        });
        let client = match reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
        {
            Ok(client) => client,
            Err(error) => panic!("no HTTP client: {error}"),
        };
        TestApp {
            address,
            client,
            pool,
            state,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Sends a request to `/api/v1{path}` with an optional token and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, self.url(&format!("/api/v1{path}")));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => panic!("request failed: {error}"),
        };
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Reply {
            status,
            body,
            headers,
        }
    }

    pub async fn get(&self, token: &str, path: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, token: &str, path: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn put(&self, token: &str, path: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, token: &str, path: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Signs a new company up and answers it with its logged-in administrator.
    pub async fn signup(&self) -> Company {
        let slug = unique("co");
        let email = format!("{}@example.com", unique("admin"));
        let reply = self
            .call(
                Method::POST,
                "/auth/signup",
                None,
                Some(json!({
                    "company_name": format!("Usine {slug}"),
                    "tenant_slug": slug,
                    "full_name": "Alice Admin",
                    "email": email,
                    "password": PASSWORD,
                })),
            )
            .await
            .expect(201);
        Company {
            tenant_id: reply.body["tenant"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            slug,
            admin: person_from(&reply.body),
        }
    }

    pub async fn login(&self, email: &str, password: &str, slug: Option<&str>) -> Reply {
        let mut body = json!({"email": email, "password": password});
        if let Some(slug) = slug {
            body["tenant_slug"] = json!(slug);
        }
        self.call(Method::POST, "/auth/login", None, Some(body))
            .await
    }

    /// The id of a built-in role in the company.
    pub async fn role_id(&self, company: &Company, key: &str) -> String {
        let roles = self.get(&company.admin.token, "/roles").await.expect(200);
        roles.body["items"]
            .as_array()
            .and_then(|items| items.iter().find(|r| r["key"] == key))
            .and_then(|r| r["id"].as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no role {key}: {:#}", roles.body))
    }

    /// Adds a member with a built-in role (and optional site scope), as people join: invited
    /// by the administrator, they accept the mailed link with [`PASSWORD`] and are logged in.
    pub async fn add_member(
        &self,
        company: &Company,
        role_key: &str,
        site_ids: Option<Vec<String>>,
    ) -> Person {
        let role_id = self.role_id(company, role_key).await;
        self.join(
            &company.admin.token,
            &format!("Test {role_key}"),
            &role_id,
            site_ids,
        )
        .await
    }

    /// Invites a new person with this role (a custom one, say) through `admin_token`, and
    /// answers them logged in after accepting with [`PASSWORD`].
    pub async fn add_person(
        &self,
        admin_token: &str,
        role_id: &str,
        site_ids: Option<Vec<String>>,
    ) -> Person {
        self.join(admin_token, "Test Member", role_id, site_ids)
            .await
    }

    async fn join(
        &self,
        admin_token: &str,
        full_name: &str,
        role_id: &str,
        site_ids: Option<Vec<String>>,
    ) -> Person {
        let email = format!("{}@example.com", unique("member"));
        self.post(
            admin_token,
            "/users",
            json!({
                "email": email,
                "full_name": full_name,
                "role_id": role_id,
                "site_ids": site_ids,
            }),
        )
        .await
        .expect(201);
        let reply = self.accept_invitation(&email, PASSWORD).await.expect(200);
        person_from(&reply.body)
    }

    /// Accepts the invitation last mailed to `email`, with `password`.
    pub async fn accept_invitation(&self, email: &str, password: &str) -> Reply {
        let token = self.mailed_token(email, "invitation").await;
        self.call(
            Method::POST,
            "/auth/invitations/accept",
            None,
            Some(json!({"token": token, "password": password})),
        )
        .await
    }

    /// The token of the link in the last mail of `kind` (`invitation`, `verify_email`,
    /// `password_reset`) written to `email`, read from the outbox as a mail client would read it
    /// from the message.
    pub async fn mailed_token(&self, email: &str, kind: &str) -> String {
        let link: Option<String> = gmao_db::sqlx::query_scalar(
            "SELECT action_url FROM public.mail_outbox
             WHERE recipient = $1 AND kind = $2 AND action_url IS NOT NULL
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(email.to_lowercase())
        .bind(kind)
        .fetch_optional(&self.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let link = link.unwrap_or_else(|| panic!("no {kind} mail with a link to {email}"));
        link.split("token=")
            .nth(1)
            .unwrap_or_else(|| panic!("no token in {link}"))
            .to_owned()
    }

    /// The ids of the mails written to `email`, oldest first (to deliver them in a test).
    pub async fn mail_ids_to(&self, email: &str) -> Vec<uuid::Uuid> {
        gmao_db::sqlx::query_scalar(
            "SELECT id FROM public.mail_outbox WHERE recipient = $1 ORDER BY created_at, id",
        )
        .bind(email.to_lowercase())
        .fetch_all(&self.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The texts (subject and plain body) of the unsent mails written to `email`.
    pub async fn mail_texts_to(&self, email: &str) -> Vec<String> {
        gmao_db::sqlx::query_scalar(
            "SELECT subject || E'\\n' || coalesce(body_text, '') FROM public.mail_outbox
             WHERE recipient = $1 ORDER BY created_at, id",
        )
        .bind(email.to_lowercase())
        .fetch_all(&self.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The mails written to `email`, oldest first: (kind, subject, status).
    pub async fn mails_to(&self, email: &str) -> Vec<(String, String, String)> {
        gmao_db::sqlx::query_as(
            "SELECT kind, subject, status FROM public.mail_outbox
             WHERE recipient = $1 ORDER BY created_at, id",
        )
        .bind(email.to_lowercase())
        .fetch_all(&self.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Creates a site (with a unique code) and answers its id.
    pub async fn site(&self, token: &str, name: &str) -> String {
        let code = unique("S").to_uppercase();
        self.post(
            token,
            "/sites",
            json!({"code": code, "name": name, "time_zone": "Europe/Paris"}),
        )
        .await
        .expect(201)
        .id()
    }

    pub async fn plant(&self, token: &str, site_id: &str, name: &str) -> String {
        let code = unique("P").to_uppercase();
        self.post(
            token,
            "/plants",
            json!({"site_id": site_id, "code": code, "name": name}),
        )
        .await
        .expect(201)
        .id()
    }

    pub async fn line(&self, token: &str, plant_id: &str, name: &str) -> String {
        let code = unique("L").to_uppercase();
        self.post(
            token,
            "/production-lines",
            json!({"plant_id": plant_id, "code": code, "name": name}),
        )
        .await
        .expect(201)
        .id()
    }
}

pub fn person_from(login: &Value) -> Person {
    Person {
        id: login["user"]["id"].as_str().unwrap_or_default().to_owned(),
        email: login["user"]["email"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        token: login["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        refresh_token: login["refresh_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// The ids of a list reply's items.
pub fn ids(reply: &Reply) -> Vec<String> {
    reply.body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

impl TestApp {
    /// Registers equipment on a production line (made on the fly when `line_id` is `None`) and
    /// answers its id.
    pub async fn equipment(&self, token: &str, site_id: &str, code_prefix: &str) -> String {
        let plant = self.plant(token, site_id, "Atelier").await;
        let line = self.line(token, &plant, "Ligne").await;
        let code = crate::unique(code_prefix).to_uppercase();
        self.post(token, "/equipment", json!({"code": code, "name": format!("Machine {code}"), "production_line_id": line, "criticality": "high"}))
            .await
            .expect(201)
            .id()
    }

    /// Sends a multipart upload of one file.
    pub async fn upload(&self, token: &str, path: &str, file_name: &str, bytes: Vec<u8>) -> Reply {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
        let form = reqwest::multipart::Form::new().part("file", part);
        let request = self
            .client
            .post(self.url(&format!("/api/v1{path}")))
            .bearer_auth(token)
            .multipart(form);
        self.send(request).await
    }
}

/// A tiny valid PNG image.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];
