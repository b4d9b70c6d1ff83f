//! How people get in: credentials checked within their attempt budgets, the company of a
//! login chosen, sessions opened, and their tokens handed over, the refresh token in the body
//! for API clients or in an HttpOnly cookie for the web app.

use chrono::Duration;
use gmao_db::identities::{self, Identity, MembershipTenant};
use gmao_db::sessions::{self, NewSession};
use gmao_db::{Actor, TenantTx, audit, members, principal, throttle};
use gmao_domain::{Email, TenantId, password};
use poem::Request;
use poem_openapi::ApiResponse;
use poem_openapi::payload::Json;
use serde_json::json;
use uuid::Uuid;

use super::auth::{LoginResponse, TenantRef, UserProfile};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The web app's refresh token: HttpOnly (scripts never see it), SameSite=Strict (no other
/// site makes the browser send it), sent only to the auth endpoints.
pub const REFRESH_COOKIE: &str = "gmao_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

/// The web app sends `X-Gmao-Session: cookie` to get its refresh token as a cookie rather than
/// in the body.
pub const SESSION_MODE_HEADER: &str = "x-gmao-session";

/// Tokens answered 200, the refresh token in a cookie when the client asked for one.
#[derive(ApiResponse)]
pub enum SessionReply {
    /// The session's tokens.
    #[oai(status = 200)]
    Ok(
        Json<LoginResponse>,
        /// With `X-Gmao-Session: cookie`: the refresh token, HttpOnly.
        #[oai(header = "Set-Cookie")]
        Option<String>,
    ),
}

/// Tokens of a session that comes with something created (a company, an account), 201.
#[derive(ApiResponse)]
pub enum CreatedSession {
    /// What was created, and the session's tokens.
    #[oai(status = 201)]
    Created(
        Json<LoginResponse>,
        /// With `X-Gmao-Session: cookie`: the refresh token, HttpOnly.
        #[oai(header = "Set-Cookie")]
        Option<String>,
    ),
}

/// Whether the client keeps its refresh token in a cookie.
pub fn wants_cookie(req: &Request) -> bool {
    req.headers()
        .get(SESSION_MODE_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("cookie"))
}

/// The refresh token of the cookie, if the request carries one.
pub fn refresh_cookie(req: &Request) -> Option<String> {
    req.headers()
        .get_all(poem::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == REFRESH_COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Moves the refresh token into a cookie when the client asked for it (the body then has none).
pub fn hand_over(
    state: &AppState,
    req: &Request,
    mut response: LoginResponse,
) -> (LoginResponse, Option<String>) {
    if !wants_cookie(req) {
        return (response, None);
    }
    let cookie = response
        .refresh_token
        .take()
        .map(|token| cookie(state, &token, state.settings.refresh_token_ttl.as_secs()));
    (response, cookie)
}

/// A `Set-Cookie` that forgets the refresh token (logout).
pub fn forget_cookie(state: &AppState) -> String {
    cookie(state, "", 0)
}

fn cookie(state: &AppState, value: &str, max_age: u64) -> String {
    let secure = if state.settings.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{REFRESH_COOKIE}={value}; Path={COOKIE_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    )
}

/// An email and password as typed at login, refused before any work when they cannot be an
/// account's: a malformed or over-long address, a password longer than any the policy allows.
pub fn credentials<'p>(email: &str, password: &'p str) -> ApiResult<(Email, &'p str)> {
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
pub async fn authenticate(
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
pub async fn within_budgets(
    state: &AppState,
    budgets: &[(&throttle::Key, throttle::Rate)],
) -> ApiResult<()> {
    let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
    match throttle::take_all(&mut conn, budgets).await? {
        throttle::Verdict::Allowed => Ok(()),
        throttle::Verdict::Refused { retry_after } => Err(ApiError::too_many_attempts(retry_after)),
    }
}

/// Takes one attempt from a budget that answers nothing when spent (a mail that would say
/// whether an account exists): `false` means "do not send".
pub async fn quietly_within(
    state: &AppState,
    key: &throttle::Key,
    rate: throttle::Rate,
) -> ApiResult<bool> {
    let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
    Ok(throttle::take(&mut conn, key, rate).await? == throttle::Verdict::Allowed)
}

/// Picks the tenant of a login. `None` means a platform-only session.
pub async fn choose_tenant<'m>(
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
        [] if memberships.iter().any(|m| m.status != "active") => {
            Err(ApiError::forbidden("tenant_suspended"))
        }
        [] if !memberships.is_empty() => Err(ApiError::forbidden("account_disabled")),
        [] if identity.is_platform_operator => Ok(None),
        [] => Err(ApiError::unauthorized("invalid_credentials")),
        several => Err(ApiError::conflict("tenant_required").with_details(json!({
            "tenants": several.iter().map(|t| json!({"slug": t.slug, "name": t.name})).collect::<Vec<_>>(),
        }))),
    }
}

pub async fn is_active_member(
    state: &AppState,
    tenant: &MembershipTenant,
    user_id: Uuid,
) -> ApiResult<bool> {
    let mut tx = TenantTx::begin(&state.pool, TenantId(tenant.tenant_id), Actor::system()).await?;
    let active = principal::is_active_member(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(active)
}

pub fn new_session<'r>(
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

/// Creates a session in the tenant's transaction, records the login (in this company only),
/// answers the tokens.
pub async fn open_session(
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
    members::touch_last_login(tx, identity.id).await?;
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
        refresh_token: Some(refresh_token),
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
