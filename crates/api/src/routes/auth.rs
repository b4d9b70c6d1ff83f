//! Sign up, log in, refresh, switch company, log out.

use std::sync::Arc;

use gmao_db::identities::{self, Identity};
use gmao_db::sessions::{self, Rotation};
use gmao_db::{Actor, TenantTx, accounts, audit, email_tokens, principal, tenants, throttle};
use gmao_domain::password::PersonalWords;
use gmao_domain::{Email, FieldErrors, Locale, TenantId, TenantSlug, password, text};
use gmao_mail::letters;
use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use serde_json::json;
use uuid::Uuid;

use super::ApiTags;
use super::session::{
    SessionReply, authenticate, choose_tenant, client_address, credentials, forget_cookie,
    hand_over, new_session, open_session, quietly_within, refresh_cookie, within_budgets,
};
use crate::auth::{BearerAuth, denied_error, request_id};
use crate::error::{ApiError, ApiResult};
use crate::mail::{self, Links, Mail};
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
    /// The refresh token; omitted by the web app, whose token is in its HttpOnly cookie.
    #[oai(nullable)]
    pub refresh_token: Option<String>,
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
    /// The person proved they own the address (a mailed link). Until then they cannot join
    /// another company.
    pub email_verified: bool,
    /// An administrator chose the password: it must be changed (`POST /me/password`) before
    /// anything else (403 `password_change_required`).
    pub must_change_password: bool,
}

impl From<&Identity> for UserProfile {
    fn from(identity: &Identity) -> Self {
        UserProfile {
            id: identity.id,
            email: identity.email.clone(),
            full_name: identity.full_name.clone(),
            locale: identity.locale().into(),
            is_platform_operator: identity.is_platform_operator,
            email_verified: identity.email_verified_at.is_some(),
            must_change_password: identity.must_change_password,
        }
    }
}

/// Tokens for a new or refreshed session.
#[derive(Debug, Object)]
pub struct LoginResponse {
    /// Short-lived JWT for `Authorization: Bearer …`.
    pub access_token: String,
    /// Single-use: `/auth/refresh` answers a new one each time. Reusing an old one ends the
    /// session. Absent when the client asked for it in a cookie (`X-Gmao-Session: cookie`).
    #[oai(nullable)]
    pub refresh_token: Option<String>,
    /// Always `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token, in seconds.
    pub expires_in: i64,
    /// The company of the session; absent for a platform operator without one.
    #[oai(nullable)]
    pub tenant: Option<TenantRef>,
    pub user: UserProfile,
}

/// Nothing was created; a mail says what to do next.
#[derive(Debug, Object)]
pub struct CheckMailbox {
    /// Always `check_mailbox`.
    pub status: String,
}

impl Default for CheckMailbox {
    fn default() -> CheckMailbox {
        CheckMailbox {
            status: "check_mailbox".into(),
        }
    }
}

#[derive(ApiResponse)]
// Built once per request: the size of the larger variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum SignupReply {
    /// The company was created and its administrator is logged in; a mail asks them to confirm
    /// their address.
    #[oai(status = 201)]
    Created(
        Json<LoginResponse>,
        /// With `X-Gmao-Session: cookie`: the refresh token, HttpOnly.
        #[oai(header = "Set-Cookie")]
        Option<String>,
    ),
    /// The address already has an account: nothing was created, and its owner gets a mail
    /// saying how to go on (log in, then create the company from their account). The same
    /// answer whatever password was sent.
    #[oai(status = 202)]
    CheckMailbox(Json<CheckMailbox>),
}

#[derive(ApiResponse)]
pub enum LogoutReply {
    /// The session ended.
    #[oai(status = 204)]
    Done(
        /// Forgets the web app's refresh cookie.
        #[oai(header = "Set-Cookie")]
        String,
    ),
}

/// How long a verification link works.
pub const VERIFICATION_DAYS: u32 = 3;

#[OpenApi(prefix_path = "/auth", tag = "ApiTags::Auth")]
impl AuthApi {
    /// Create a company and its first administrator
    ///
    /// Creates the company's workspace with the built-in roles and logs the administrator in
    /// (201); a mail asks them to confirm their address. An address that already has an
    /// account gets 202 whatever the password (nothing is created, the owner is told by mail
    /// to log in and create the company from their account): sign-up never checks a password.
    /// Sign-ups are limited per client address and per hour (429).
    #[oai(path = "/signup", method = "post")]
    async fn signup(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        body: Json<SignupRequest>,
    ) -> ApiResult<SignupReply> {
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
        if let Some(identity) = existing {
            tell_the_account_owner(&state, &identity).await?;
            return Ok(SignupReply::CheckMailbox(Json(CheckMailbox::default())));
        }

        let password_hash = state.hasher.hash(&body.password).await?;
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
                admin: accounts::Administrator::New {
                    email: &email,
                    full_name: &full_name,
                    password_hash: &password_hash,
                    locale,
                    verified: false,
                },
                request_id: request_id(req),
            },
        )
        .await?;
        let written = write_verification(&state, tx.conn(), &created.admin).await?;
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
        written.dispatch(&state).await;
        let (response, cookie) = hand_over(&state, req, response);
        Ok(SignupReply::Created(Json(response), cookie))
    }

    /// Log in
    ///
    /// Wrong credentials answer 401 `invalid_credentials` without saying which part was
    /// wrong. Attempts are limited per account and client address, per account and per client
    /// address (429 `too_many_attempts` with `Retry-After`), counted before any password is
    /// checked. A malformed or over-long email or password is refused (422) before anything.
    #[oai(path = "/login", method = "post")]
    async fn login(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        body: Json<LoginRequest>,
    ) -> ApiResult<SessionReply> {
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
        let response = match chosen {
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
                response
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
                LoginResponse {
                    access_token,
                    refresh_token: Some(refresh_token),
                    token_type: "Bearer".into(),
                    expires_in,
                    tenant: None,
                    user: UserProfile::from(&identity),
                }
            }
        };
        let (response, cookie) = hand_over(state, req, response);
        Ok(SessionReply::Ok(Json(response), cookie))
    }

    /// Exchange a refresh token for new tokens
    ///
    /// Each refresh token works once. Presenting one that was already used ends the whole
    /// session (401 `refresh_token_reused`): someone else may hold it. The web app sends no
    /// token: its refresh token comes from its HttpOnly cookie, and the next one goes back
    /// there.
    #[oai(path = "/refresh", method = "post")]
    async fn refresh(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        body: Json<RefreshRequest>,
    ) -> ApiResult<SessionReply> {
        let state = &state;
        let presented = match body.0.refresh_token.filter(|t| !t.trim().is_empty()) {
            Some(token) => token,
            None => refresh_cookie(req)
                .ok_or_else(|| ApiError::unauthorized("invalid_refresh_token"))?,
        };
        let mut tx = state.pool.begin().await.map_err(gmao_db::Error::from)?;
        let rotation = sessions::rotate(&mut tx, presented.trim()).await?;
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
        let (response, cookie) = hand_over(
            state,
            req,
            LoginResponse {
                access_token,
                refresh_token: Some(refresh_token),
                token_type: "Bearer".into(),
                expires_in,
                tenant,
                user: UserProfile::from(&identity),
            },
        );
        Ok(SessionReply::Ok(Json(response), cookie))
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
    ) -> ApiResult<SessionReply> {
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
        let (response, cookie) = hand_over(&state, req, response);
        Ok(SessionReply::Ok(Json(response), cookie))
    }

    /// Log out
    ///
    /// Ends the session of the access token: its refresh token stops working and so do its
    /// access tokens. The web app's refresh cookie is cleared.
    #[oai(path = "/logout", method = "post")]
    async fn logout(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
    ) -> ApiResult<LogoutReply> {
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
        Ok(LogoutReply::Done(forget_cookie(&state)))
    }
}

/// Sign-up with an address that has an account: its owner learns of it by mail (at most a few
/// times an hour, so sign-ups cannot flood a mailbox), and nothing else happens.
async fn tell_the_account_owner(state: &AppState, identity: &Identity) -> ApiResult<()> {
    // The same budget as reset mails: mails to an account that it did not ask for.
    let budget = throttle::Key::new("signup-notice", &identity.email);
    if !quietly_within(
        state,
        &budget,
        state.settings.limits.password_resets_per_account,
    )
    .await?
    {
        return Ok(());
    }
    let links = Links::new(state);
    let mut tx = state.pool.begin().await.map_err(gmao_db::Error::from)?;
    let written = mail::write(
        &mut tx,
        Mail {
            kind: "account_exists",
            key: format!("account-exists:{}", Uuid::now_v7()),
            tenant_id: None,
            to: &identity.email,
            letter: letters::account_exists(
                identity.locale(),
                &links.login(),
                &links.forgot_password(),
            ),
        },
    )
    .await?;
    tx.commit().await.map_err(gmao_db::Error::from)?;
    written.dispatch(state).await;
    Ok(())
}

/// Issues a verification link for the account and writes its mail, on `conn` (the caller's
/// transaction); dispatch the answer once it commits.
pub(crate) async fn write_verification(
    state: &AppState,
    conn: &mut gmao_db::sqlx::PgConnection,
    identity: &Identity,
) -> ApiResult<mail::Written> {
    let token = email_tokens::issue(
        conn,
        email_tokens::Purpose::VerifyEmail,
        identity.id,
        &identity.email,
        chrono::Duration::days(i64::from(VERIFICATION_DAYS)),
    )
    .await?;
    mail::write(
        conn,
        Mail {
            kind: "verify_email",
            key: format!("verify-email:{}", Uuid::now_v7()),
            tenant_id: None,
            to: &identity.email,
            letter: letters::verify_email(
                identity.locale(),
                &Links::new(state).verify_email(&token),
                VERIFICATION_DAYS,
            ),
        },
    )
    .await
}
