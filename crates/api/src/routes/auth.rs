//! Sign up, log in, refresh, log out.

use std::sync::Arc;

use chrono::Duration;
use gmao_db::identities::{self, Identity, MembershipTenant};
use gmao_db::sessions::{self, NewSession, Rotation};
use gmao_db::throttle;
use gmao_db::{Actor, TenantTx, accounts, audit, principal, tenants};
use gmao_domain::password::PersonalWords;
use gmao_domain::{Email, FieldErrors, Locale, TenantId, TenantSlug, password, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi};
use serde_json::json;
use uuid::Uuid;

use super::{ApiTags, Created, NoContent};
use crate::auth::{BearerAuth, denied_error, request_id};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct AuthApi;

/// A language people read gmao in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "lowercase")]
pub enum Language {
    Fr,
    En,
}

impl From<Language> for Locale {
    fn from(language: Language) -> Locale {
        match language {
            Language::Fr => Locale::Fr,
            Language::En => Locale::En,
        }
    }
}

impl From<Locale> for Language {
    fn from(locale: Locale) -> Language {
        match locale {
            Locale::Fr => Language::Fr,
            Locale::En => Language::En,
        }
    }
}

#[derive(Debug, Object)]
pub struct SignupRequest {
    /// The company's name as people know it (`Fonderie du Rhône`).
    pub company_name: String,
    /// The workspace identifier typed at login: 3 to 40 lowercase letters, digits and hyphens,
    /// starting with a letter.
    pub tenant_slug: String,
    /// The first administrator's name.
    pub full_name: String,
    pub email: String,
    /// At least 10 characters mixing letters with digits or symbols, without the person's or
    /// company's name.
    pub password: String,
    /// Defaults to French.
    #[oai(nullable)]
    pub locale: Option<Language>,
}

#[derive(Debug, Object)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// Required when the person belongs to several companies (409 `tenant_required` lists them).
    #[oai(nullable)]
    pub tenant_slug: Option<String>,
}

#[derive(Debug, Object)]
pub struct SwitchRequest {
    /// The company to switch to.
    pub tenant_slug: String,
}

#[derive(Debug, Object)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// A company, as a member sees it.
#[derive(Debug, Clone, Object)]
pub struct TenantRef {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
}

/// A person's identity.
#[derive(Debug, Clone, Object)]
pub struct UserProfile {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub locale: Language,
    pub is_platform_operator: bool,
}

impl From<&Identity> for UserProfile {
    fn from(identity: &Identity) -> Self {
        UserProfile {
            id: identity.id,
            email: identity.email.clone(),
            full_name: identity.full_name.clone(),
            locale: identity.locale().into(),
            is_platform_operator: identity.is_platform_operator,
        }
    }
}

/// Tokens for a new or refreshed session.
#[derive(Debug, Object)]
pub struct LoginResponse {
    /// Short-lived JWT for `Authorization: Bearer …`.
    pub access_token: String,
    /// Single-use: `/auth/refresh` answers a new one each time. Reusing an old one ends the
    /// session.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token, in seconds.
    pub expires_in: i64,
    /// The company of the session; absent for a platform operator without one.
    #[oai(nullable)]
    pub tenant: Option<TenantRef>,
    pub user: UserProfile,
}

#[OpenApi(prefix_path = "/auth", tag = "ApiTags::Auth")]
impl AuthApi {
    /// Create a company and its first administrator
    ///
    /// Creates the company's workspace with the built-in roles and logs the administrator in.
    /// An email that already has an account may create a company too, with that account's
    /// password.
    #[oai(path = "/signup", method = "post")]
    async fn signup(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        body: Json<SignupRequest>,
    ) -> ApiResult<Created<LoginResponse>> {
        let body = body.0;
        let mut errors = FieldErrors::new();
        let company = errors.check("company_name", text::name(&body.company_name, 120));
        let slug = errors.check("tenant_slug", TenantSlug::parse(&body.tenant_slug));
        let full_name = errors.check("full_name", text::name(&body.full_name, 120));
        let email = errors.check("email", Email::parse(&body.email));
        errors.check(
            "password",
            password::check(
                &body.password,
                PersonalWords {
                    email_local_part: email.as_ref().map(Email::local_part),
                    full_name: Some(&body.full_name),
                    company: Some(&body.company_name),
                },
            ),
        );
        errors.clone().into_result()?;
        let (Some(company), Some(slug), Some(full_name), Some(email)) =
            (company, slug, full_name, email)
        else {
            return Err(ApiError::fields(&errors));
        };
        let locale: Locale = body.locale.map(Locale::from).unwrap_or_default();
        let address = client_address(req, state.settings.trust_forwarded_for);
        // Each sign-up creates a schema: a budget per client address and one for the instance.
        let limits = &state.settings.limits;
        within_budgets(
            &state,
            &[
                (
                    &throttle::Key::new("signup-address", &address),
                    limits.signups_per_address,
                ),
                (&throttle::Key::new("signup", "all"), limits.signups),
            ],
        )
        .await?;
        let existing = {
            let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
            identities::find_by_email(&mut conn, &email).await?
        };
        let password_hash = match &existing {
            Some(_) => {
                authenticate(&state, &email, &body.password, &address)
                    .await
                    .map_err(|_| ApiError::conflict("email_registered"))?;
                None
            }
            None => Some(state.hasher.hash(&body.password).await?),
        };
        let admin = match (&existing, &password_hash) {
            (Some(identity), _) => accounts::Administrator::Existing(identity.id),
            (None, hash) => accounts::Administrator::New {
                email: &email,
                full_name: &full_name,
                password_hash: hash.as_deref().unwrap_or_default(),
                locale,
            },
        };
        // Provisioning holds a connection for a while: a few at a time, whatever the demand.
        let _slot = state
            .provisioning
            .acquire()
            .await
            .map_err(ApiError::internal)?;
        let (mut tx, created) = accounts::create_company(
            &state.pool,
            accounts::NewCompany {
                name: &company,
                slug: &slug,
                admin,
                request_id: request_id(req),
            },
        )
        .await?;
        let response = open_session(
            state.0,
            &mut tx,
            req,
            &created.admin,
            TenantRef {
                id: created.tenant.id,
                slug: created.tenant.slug.clone(),
                name: created.tenant.name.clone(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Created::Created(Json(response)))
    }

    /// Log in
    ///
    /// Wrong credentials answer 401 `invalid_credentials` without saying which part was
    /// wrong. Repeated failures per account or per client address answer 429.
    #[oai(path = "/login", method = "post")]
    async fn login(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        body: Json<LoginRequest>,
    ) -> ApiResult<Json<LoginResponse>> {
        let body = body.0;
        let state = &state;
        let (email, password) = credentials(&body.email, &body.password)?;
        let address = client_address(req, state.settings.trust_forwarded_for);
        let identity = authenticate(state, &email, password, &address).await?;
        if !identity.active {
            return Err(ApiError::forbidden("account_disabled"));
        }
        let memberships = {
            let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
            identities::tenants_of(&mut conn, identity.id).await?
        };

        let chosen = choose_tenant(
            state.0,
            &identity,
            &memberships,
            body.tenant_slug.as_deref(),
        )
        .await?;
        match chosen {
            Some(tenant) => {
                let mut tx = TenantTx::begin(
                    &state.pool,
                    TenantId(tenant.tenant_id),
                    Actor::user(identity.id, request_id(req)),
                )
                .await?;
                let response = open_session(
                    state.0,
                    &mut tx,
                    req,
                    &identity,
                    TenantRef {
                        id: tenant.tenant_id,
                        slug: tenant.slug.clone(),
                        name: tenant.name.clone(),
                    },
                )
                .await?;
                tx.commit().await?;
                Ok(Json(response))
            }
            None => {
                // A platform operator without a company: a session for the platform API only.
                let mut tx = state.pool.begin().await.map_err(gmao_db::Error::from)?;
                let (session, refresh_token) =
                    sessions::create(&mut tx, new_session(state.0, req, identity.id, None)).await?;
                identities::touch_last_login(&mut tx, identity.id).await?;
                tx.commit().await.map_err(gmao_db::Error::from)?;
                let (access_token, expires_in) =
                    state.tokens.issue(identity.id, None, session.id)?;
                Ok(Json(LoginResponse {
                    access_token,
                    refresh_token,
                    token_type: "Bearer".into(),
                    expires_in,
                    tenant: None,
                    user: UserProfile::from(&identity),
                }))
            }
        }
    }

    /// Exchange a refresh token for new tokens
    ///
    /// Each refresh token works once. Presenting one that was already used ends the whole
    /// session (401 `refresh_token_reused`): someone else may hold it.
    #[oai(path = "/refresh", method = "post")]
    async fn refresh(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        body: Json<RefreshRequest>,
    ) -> ApiResult<Json<LoginResponse>> {
        let state = &state;
        let mut tx = state.pool.begin().await.map_err(gmao_db::Error::from)?;
        let rotation = sessions::rotate(&mut tx, body.0.refresh_token.trim()).await?;
        // Commit whatever happened: a reuse must leave the session revoked.
        tx.commit().await.map_err(gmao_db::Error::from)?;
        let (session, refresh_token) = match rotation {
            Rotation::Rotated {
                session,
                refresh_token,
            } => (session, refresh_token),
            Rotation::Reused => return Err(ApiError::unauthorized("refresh_token_reused")),
            Rotation::Invalid => return Err(ApiError::unauthorized("invalid_refresh_token")),
        };
        let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
        let identity = identities::get(&mut conn, session.user_id).await?;
        if !identity.active {
            return Err(ApiError::forbidden("account_disabled"));
        }
        let tenant = match session.tenant_id {
            Some(tenant_id) => {
                let tenant = tenants::get(&mut conn, TenantId(tenant_id)).await?;
                drop(conn);
                let mut tx = TenantTx::begin(
                    &state.pool,
                    TenantId(tenant_id),
                    Actor::user(identity.id, request_id(req)),
                )
                .await?;
                principal::load(&mut tx, session.id, identity.id)
                    .await?
                    .map_err(denied_error)?;
                tx.commit().await?;
                Some(TenantRef {
                    id: tenant.id,
                    slug: tenant.slug,
                    name: tenant.name,
                })
            }
            None => None,
        };
        let (access_token, expires_in) =
            state
                .tokens
                .issue(identity.id, session.tenant_id, session.id)?;
        Ok(Json(LoginResponse {
            access_token,
            refresh_token,
            token_type: "Bearer".into(),
            expires_in,
            tenant,
            user: UserProfile::from(&identity),
        }))
    }

    /// Switch to another company
    ///
    /// Opens a session in another company the caller is an active member of, without asking
    /// for the password again (the current session proves who they are), and ends the current
    /// one. 401 `invalid_credentials` for a company they do not belong to.
    #[oai(path = "/switch", method = "post")]
    async fn switch(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<SwitchRequest>,
    ) -> ApiResult<Json<LoginResponse>> {
        let claims = &auth.0;
        // The current session must still be valid in its own company.
        let current = crate::auth::Ctx::open(&state, &auth, req).await?;
        current.commit().await?;
        let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
        let identity = identities::get(&mut conn, claims.sub).await?;
        let memberships = identities::tenants_of(&mut conn, identity.id).await?;
        drop(conn);
        let tenant = choose_tenant(
            state.0,
            &identity,
            &memberships,
            Some(body.0.tenant_slug.as_str()),
        )
        .await?
        .ok_or_else(|| ApiError::unauthorized("invalid_credentials"))?;
        let mut tx = TenantTx::begin(
            &state.pool,
            TenantId(tenant.tenant_id),
            Actor::user(identity.id, request_id(req)),
        )
        .await?;
        let response = open_session(
            state.0,
            &mut tx,
            req,
            &identity,
            TenantRef {
                id: tenant.tenant_id,
                slug: tenant.slug.clone(),
                name: tenant.name.clone(),
            },
        )
        .await?;
        sessions::revoke(tx.conn(), claims.sid, sessions::RevokeReason::Logout).await?;
        tx.commit().await?;
        Ok(Json(response))
    }

    /// Log out
    ///
    /// Ends the session of the access token: its refresh token stops working and so do its
    /// access tokens.
    #[oai(path = "/logout", method = "post")]
    async fn logout(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
    ) -> ApiResult<NoContent> {
        let claims = &auth.0;
        match claims.tid {
            Some(tenant_id) => {
                let mut tx = TenantTx::begin(
                    &state.pool,
                    TenantId(tenant_id),
                    Actor::user(claims.sub, request_id(req)),
                )
                .await?;
                let ended =
                    sessions::revoke(tx.conn(), claims.sid, sessions::RevokeReason::Logout).await?;
                if ended {
                    audit::record(
                        &mut tx,
                        audit::Entry {
                            action: "logout",
                            entity: "session",
                            entity_id: Some(claims.sid),
                            changes: json!({}),
                        },
                    )
                    .await?;
                }
                tx.commit().await?;
            }
            None => {
                let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
                sessions::revoke(&mut conn, claims.sid, sessions::RevokeReason::Logout).await?;
            }
        }
        Ok(NoContent::NoContent)
    }
}

/// An email and password as typed at login, refused before any work when they cannot be an
/// account's: a malformed or over-long address, a password longer than any the policy allows.
pub(crate) fn credentials<'p>(email: &str, password: &'p str) -> ApiResult<(Email, &'p str)> {
    let email = Email::parse(email).map_err(|e| ApiError::field("email", e))?;
    if password.chars().count() > password::MAX_LENGTH {
        return Err(ApiError::field(
            "password",
            gmao_domain::FieldError::new("too_long").with("max", password::MAX_LENGTH),
        ));
    }
    Ok((email, password))
}

/// Checks a password against an account, within the login budgets: the attempt is counted
/// before the hash runs (so a parallel burst hashes no more than the budget allows), the
/// database connection is released while it runs, and a success gives the attempt back.
/// Unknown accounts cost the same hash, so timing says nothing.
pub(crate) async fn authenticate(
    state: &AppState,
    email: &Email,
    password: &str,
    address: &str,
) -> ApiResult<Identity> {
    let limits = &state.settings.limits;
    let by_address = throttle::Key::new("login-address", address);
    let by_account_address =
        throttle::Key::new("login-account-address", &format!("{email}|{address}"));
    let by_account = throttle::Key::new("login-account", email.as_str());
    let identity = {
        let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
        let verdict = throttle::take_all(
            &mut conn,
            &[
                (&by_address, limits.login_per_address),
                (&by_account_address, limits.login_per_account_address),
                (&by_account, limits.login_per_account),
            ],
        )
        .await?;
        if let throttle::Verdict::Refused { retry_after } = verdict {
            return Err(ApiError::too_many_attempts(retry_after));
        }
        identities::find_by_email(&mut conn, email).await?
    };
    let matches = state
        .hasher
        .verify(
            password,
            identity.as_ref().map(|i| i.password_hash.as_str()),
        )
        .await?;
    match identity {
        Some(identity) if matches => {
            let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
            throttle::reset(&mut conn, &by_account_address).await?;
            throttle::give_back(&mut conn, &by_account, limits.login_per_account).await?;
            throttle::give_back(&mut conn, &by_address, limits.login_per_address).await?;
            Ok(identity)
        }
        _ => Err(ApiError::unauthorized("invalid_credentials")),
    }
}

/// Takes one attempt from each budget; 429 when one is spent.
pub(crate) async fn within_budgets(
    state: &AppState,
    budgets: &[(&throttle::Key, gmao_db::throttle::Rate)],
) -> ApiResult<()> {
    let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
    match throttle::take_all(&mut conn, budgets).await? {
        throttle::Verdict::Allowed => Ok(()),
        throttle::Verdict::Refused { retry_after } => Err(ApiError::too_many_attempts(retry_after)),
    }
}

/// Picks the tenant of a login. `None` means a platform-only session.
async fn choose_tenant<'m>(
    state: &AppState,
    identity: &Identity,
    memberships: &'m [MembershipTenant],
    slug: Option<&str>,
) -> ApiResult<Option<&'m MembershipTenant>> {
    if let Some(slug) = slug.map(str::trim).filter(|s| !s.is_empty()) {
        let tenant = memberships
            .iter()
            .find(|m| m.slug == slug)
            .ok_or_else(|| ApiError::unauthorized("invalid_credentials"))?;
        if tenant.status != "active" {
            return Err(ApiError::forbidden("tenant_suspended"));
        }
        if !is_active_member(state, tenant, identity.id).await? {
            return Err(ApiError::forbidden("account_disabled"));
        }
        return Ok(Some(tenant));
    }
    let mut usable = Vec::new();
    for tenant in memberships.iter().filter(|m| m.status == "active") {
        if is_active_member(state, tenant, identity.id).await? {
            usable.push(tenant);
        }
    }
    match usable.as_slice() {
            [one] => Ok(Some(*one)),
            [] if memberships.iter().any(|m| m.status != "active") => Err(ApiError::forbidden("tenant_suspended")),
            [] if !memberships.is_empty() => Err(ApiError::forbidden("account_disabled")),
            [] if identity.is_platform_operator => Ok(None),
            [] => Err(ApiError::unauthorized("invalid_credentials")),
            several => Err(ApiError::conflict("tenant_required").with_details(json!({
                "tenants": several.iter().map(|t| json!({"slug": t.slug, "name": t.name})).collect::<Vec<_>>(),
            }))),
        }
}

pub(crate) async fn is_active_member(
    state: &AppState,
    tenant: &MembershipTenant,
    user_id: Uuid,
) -> ApiResult<bool> {
    let mut tx = TenantTx::begin(&state.pool, TenantId(tenant.tenant_id), Actor::system()).await?;
    let active = principal::is_active_member(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(active)
}

fn new_session<'r>(
    state: &AppState,
    req: &'r Request,
    user_id: Uuid,
    tenant_id: Option<Uuid>,
) -> NewSession<'r> {
    NewSession {
        user_id,
        tenant_id,
        lifetime: Duration::from_std(state.settings.refresh_token_ttl)
            .unwrap_or(Duration::days(30)),
        client_address: None,
        user_agent: req
            .headers()
            .get(poem::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
    }
}

/// Creates a session in the tenant's transaction, records the login, answers the tokens.
async fn open_session(
    state: &AppState,
    tx: &mut TenantTx,
    req: &Request,
    identity: &Identity,
    tenant: TenantRef,
) -> ApiResult<LoginResponse> {
    let address = client_address(req, state.settings.trust_forwarded_for);
    let mut new = new_session(state, req, identity.id, Some(tenant.id));
    new.client_address = Some(&address);
    let (session, refresh_token) = sessions::create(tx.conn(), new).await?;
    identities::touch_last_login(tx.conn(), identity.id).await?;
    audit::record(
        tx,
        audit::Entry {
            action: "login",
            entity: "session",
            entity_id: Some(session.id),
            changes: json!({"client_address": address}),
        },
    )
    .await?;
    let (access_token, expires_in) =
        state
            .tokens
            .issue(identity.id, Some(tenant.id), session.id)?;
    Ok(LoginResponse {
        access_token,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in,
        tenant: Some(tenant),
        user: UserProfile::from(identity),
    })
}

/// The client's address: the peer, or behind a trusted proxy the last `X-Forwarded-For` hop
/// (the one our proxy appended; earlier ones are whatever the client claimed).
pub fn client_address(req: &Request, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for
        && let Some(forwarded) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    {
        return forwarded.to_owned();
    }
    match req.remote_addr().as_socket_addr() {
        Some(addr) => addr.ip().to_string(),
        None => "unknown".into(),
    }
}
