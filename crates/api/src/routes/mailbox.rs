//! What a mailed link leads to: confirming an address, resetting a password, accepting an
//! invitation. Each proves the owner of the mailbox is acting, so each ends every session and
//! every password set before the proof (whoever held them may not have been that owner) and
//! sets a password chosen now.

use std::sync::Arc;

use gmao_db::identities::{self, Identity};
use gmao_db::invitations::{self, Invitation};
use gmao_db::members::{self, NewAccount, NewMember};
use gmao_db::{Actor, TenantTx, email_tokens, sessions, sites, tenants, throttle};
use gmao_domain::password::PersonalWords;
use gmao_domain::{Email, TenantId, password};
use gmao_mail::letters;
use poem::Request;
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use serde_json::json;
use uuid::Uuid;

use super::auth::{CheckMailbox, TenantRef};
use super::me::role_name;
use super::session::{
    SessionReply, authenticate, client_address, credentials, hand_over, open_session,
    quietly_within, within_budgets,
};
use super::{ApiTags, NoContent};
use crate::auth::request_id;
use crate::error::{ApiError, ApiResult};
use crate::mail::{self, Links, Mail};
use crate::state::AppState;

pub struct MailboxApi;

/// How long a password reset link works.
const RESET_VALID_FOR: chrono::Duration = chrono::Duration::hours(1);

#[derive(Debug, Object)]
pub struct ProofRequest {
    /// The token of the mailed link.
    pub token: String,
    /// The password from now on (the password policy applies; it may be the one chosen at
    /// sign-up).
    pub password: String,
}

#[derive(Debug, Object)]
pub struct PasswordResetRequest {
    pub email: String,
}

#[derive(ApiResponse)]
pub enum Accepted {
    /// Received. If the address has an account, a mail is on its way.
    #[oai(status = 202)]
    Accepted(Json<CheckMailbox>),
}

/// What the invited address has on gmao, for the invitation page to ask the right thing (the
/// link's holder is the owner of the mailbox).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum AccountState {
    /// No account: choose a password (and a name) to create one.
    None,
    /// An account whose address was never proven: choose a new password, which ends its
    /// sessions and its old password.
    Unverified,
    /// An account: log in with its password.
    Verified,
}

/// An invitation, as its link shows it.
#[derive(Debug, Object)]
pub struct InvitationPreview {
    pub company: String,
    #[oai(nullable)]
    pub invited_by: Option<String>,
    /// The role offered, in the invitation's language.
    pub role: String,
    pub email: String,
    pub full_name: String,
    pub account: AccountState,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub locale: super::auth::Language,
}

#[derive(Debug, Object)]
pub struct AcceptInvitation {
    pub token: String,
    /// A new account's password, a new password for an unproven account, or the account's
    /// password (see `account` in the invitation).
    pub password: String,
    /// A new account's name (default: the name the invitation gives).
    #[oai(nullable)]
    pub full_name: Option<String>,
}

#[OpenApi(prefix_path = "/auth", tag = "ApiTags::Auth")]
impl MailboxApi {
    /// Confirm an email address
    ///
    /// With the token of the mailed link, and the password to use from now on: every session
    /// opened before and every earlier password stop working. 410 `link_expired` when the
    /// link is unknown, used or expired.
    #[oai(path = "/verify-email", method = "post")]
    async fn verify_email(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        body: Json<ProofRequest>,
    ) -> ApiResult<NoContent> {
        prove(
            &state,
            req,
            &body.0,
            email_tokens::Purpose::VerifyEmail,
            "verify_email",
        )
        .await?;
        Ok(NoContent::NoContent)
    }

    /// Ask for a password reset link
    ///
    /// Always 202, whether the address has an account or not; when it has one (and has not
    /// asked too often), a link valid for one hour is mailed. 429 when this client asks too
    /// often.
    #[oai(path = "/password-reset", method = "post")]
    async fn password_reset(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        body: Json<PasswordResetRequest>,
    ) -> ApiResult<Accepted> {
        let email = Email::parse(&body.email).map_err(|e| ApiError::field("email", e))?;
        let address = client_address(req, state.settings.trust_forwarded_for);
        let limits = &state.settings.limits;
        within_budgets(
            &state,
            &[(
                &throttle::Key::new("reset-address", &address),
                limits.password_resets_per_address,
            )],
        )
        .await?;
        let identity = {
            let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
            identities::find_by_email(&mut conn, &email).await?
        };
        if let Some(identity) = identity.filter(|i| i.active) {
            let budget = throttle::Key::new("reset-account", &identity.email);
            if quietly_within(&state, &budget, limits.password_resets_per_account).await? {
                let mut tx = state.pool.begin().await.map_err(gmao_db::Error::from)?;
                let token = email_tokens::issue(
                    &mut tx,
                    email_tokens::Purpose::PasswordReset,
                    identity.id,
                    &identity.email,
                    RESET_VALID_FOR,
                )
                .await?;
                let written = mail::write(
                    &mut tx,
                    Mail {
                        kind: "password_reset",
                        key: format!("password-reset:{}", Uuid::now_v7()),
                        tenant_id: None,
                        to: &identity.email,
                        letter: letters::password_reset(
                            identity.locale(),
                            &Links::new(&state).reset_password(&token),
                        ),
                    },
                )
                .await?;
                tx.commit().await.map_err(gmao_db::Error::from)?;
                written.dispatch(&state).await;
            }
        }
        Ok(Accepted::Accepted(Json(CheckMailbox::default())))
    }

    /// Set a new password with a reset link
    ///
    /// Every session ends, everywhere, and the old password stops working. 410
    /// `link_expired` when the link is unknown, used or expired.
    #[oai(path = "/password-reset/confirm", method = "post")]
    async fn confirm_reset(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        body: Json<ProofRequest>,
    ) -> ApiResult<NoContent> {
        prove(
            &state,
            req,
            &body.0,
            email_tokens::Purpose::PasswordReset,
            "reset_password",
        )
        .await?;
        Ok(NoContent::NoContent)
    }

    /// What an invitation offers
    ///
    /// For the page of the mailed link: the company, the role, and whether the address has an
    /// account (to ask for a new password or the account's). 410 `link_expired` when the
    /// invitation was accepted, revoked, resent (an older link) or has expired.
    #[oai(path = "/invitations/:token", method = "get")]
    async fn invitation(
        &self,
        state: Data<&Arc<AppState>>,
        token: Path<String>,
    ) -> ApiResult<Json<InvitationPreview>> {
        let (tenant, company) = invitation_company(&state, &token.0).await?;
        let mut tx = TenantTx::begin(&state.pool, tenant, Actor::system()).await?;
        let invitation = usable_invitation(&mut tx, &token.0).await?;
        let account = account_state(tx.conn(), &invitation.email).await?.0;
        tx.rollback().await?;
        let locale = mail::locale_of(&invitation.locale);
        Ok(Json(InvitationPreview {
            company: company.name,
            role: role_name(
                invitation.role_key.as_deref(),
                &invitation.role_name,
                locale,
            ),
            invited_by: invitation.invited_by_name,
            email: invitation.email,
            full_name: invitation.full_name,
            account,
            expires_at: invitation.expires_at,
            locale: locale.into(),
        }))
    }

    /// Accept an invitation
    ///
    /// Joins the company and logs in there. Without an account, one is made with this
    /// password (and name); for an account whose address was never proven, the password
    /// replaces the old one and ends its sessions; for an account, this is its password
    /// (checked like a login, within the same limits). 410 `link_expired` when the invitation
    /// cannot be used any more.
    #[oai(path = "/invitations/accept", method = "post")]
    async fn accept(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        body: Json<AcceptInvitation>,
    ) -> ApiResult<SessionReply> {
        let body = body.0;
        let (tenant, company) = invitation_company(&state, &body.token).await?;
        let (invitation, account, identity) = {
            let mut tx = TenantTx::begin(&state.pool, tenant, Actor::system()).await?;
            let invitation = usable_invitation(&mut tx, &body.token).await?;
            let (account, identity) = account_state(tx.conn(), &invitation.email).await?;
            tx.rollback().await?;
            (invitation, account, identity)
        };
        let email = Email::parse(&invitation.email).map_err(|e| ApiError::field("email", e))?;
        let full_name = match body.full_name.as_deref() {
            Some(name) => {
                gmao_domain::text::name(name, 120).map_err(|e| ApiError::field("full_name", e))?
            }
            None => invitation.full_name.clone(),
        };
        // Slow work first, with no transaction open: the password checked or hashed.
        let new_hash = match account {
            AccountState::Verified => {
                let (_, password) = credentials(email.as_str(), &body.password)?;
                let address = client_address(req, state.settings.trust_forwarded_for);
                if !authenticate(&state, &email, password, &address)
                    .await?
                    .active
                {
                    return Err(ApiError::forbidden("account_disabled"));
                }
                None
            }
            AccountState::None | AccountState::Unverified => {
                password::check(
                    &body.password,
                    PersonalWords {
                        email_local_part: Some(email.local_part()),
                        full_name: Some(&full_name),
                        company: Some(&company.name),
                    },
                )
                .map_err(|e| ApiError::field("password", e))?;
                Some(state.hasher.hash(&body.password).await?)
            }
        };

        let mut tx = TenantTx::begin(&state.pool, tenant, Actor::system()).await?;
        let invitation = usable_invitation(&mut tx, &body.token).await?;
        let (now, identity_now) = account_state(tx.conn(), &invitation.email).await?;
        if now != account || identity_now.as_ref().map(|i| i.id) != identity.as_ref().map(|i| i.id)
        {
            // The account changed between the two steps (made or proven meanwhile).
            return Err(ApiError::conflict("invitation_state_changed"));
        }
        let site_ids = if invitation.site_scoped {
            Some(sites::existing(&mut tx, &invitation.site_ids).await?)
        } else {
            None
        };
        let mut notices = Vec::new();
        let user_id = match (&identity, &new_hash) {
            (Some(existing), Some(hash)) => {
                // An unproven account: the mailbox owner takes it over.
                take_over(&mut tx, existing, hash, request_id(req)).await?;
                notices.push(password_changed_notice(&state, tx.conn(), existing).await?);
                existing.id
            }
            _ => identity.as_ref().map_or(Uuid::nil(), |i| i.id),
        };
        let joined = if user_id != Uuid::nil() && members::get(&mut tx, user_id).await.is_ok() {
            // A member already (made meanwhile): the invitation is simply used.
            user_id
        } else {
            tx.set_actor(Actor::system());
            let (member, _) = members::add(
                &mut tx,
                NewMember {
                    email: &email,
                    full_name: &full_name,
                    new_account: new_hash.as_deref().map(|password_hash| NewAccount {
                        password_hash,
                        verified: true,
                        must_change_password: false,
                    }),
                    locale: mail::locale_of(&invitation.locale),
                    role_id: invitation.role_id,
                    site_ids,
                },
            )
            .await?;
            member.user_id
        };
        tx.set_actor(Actor::user(joined, request_id(req)));
        invitations::accept(&mut tx, invitation.id, joined).await?;
        let person = identities::get(tx.conn(), joined).await?;
        let response = open_session(&state, &mut tx, req, &person, company).await?;
        tx.commit().await?;
        for written in notices {
            written.dispatch(&state).await;
        }
        let (response, cookie) = hand_over(&state, req, response);
        Ok(SessionReply::Ok(Json(response), cookie))
    }
}

/// Uses a verification or reset link: checks the new password, hashes it with no transaction
/// open, then in one transaction uses the token, sets the password, proves the address and
/// ends every session.
async fn prove(
    state: &AppState,
    req: &Request,
    body: &ProofRequest,
    purpose: email_tokens::Purpose,
    action: &str,
) -> ApiResult<()> {
    let token = body.token.trim();
    let holder = {
        let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
        email_tokens::holder(&mut conn, purpose, token).await?
    };
    let identity = holder.ok_or_else(link_expired)?;
    password::check(
        &body.password,
        PersonalWords {
            email_local_part: identity.email.split('@').next(),
            full_name: Some(&identity.full_name),
            company: None,
        },
    )
    .map_err(|e| ApiError::field("password", e))?;
    let hash = state.hasher.hash(&body.password).await?;
    let mut tx = state.pool.begin().await.map_err(gmao_db::Error::from)?;
    let used = email_tokens::consume(&mut tx, purpose, token).await?;
    if used != Some(identity.id) {
        return Err(link_expired());
    }
    take_over_account(&mut tx, &identity, &hash, request_id(req), action).await?;
    if purpose == email_tokens::Purpose::PasswordReset {
        email_tokens::retire(&mut tx, purpose, identity.id).await?;
    }
    let notice = password_changed_notice(state, &mut tx, &identity).await?;
    tx.commit().await.map_err(gmao_db::Error::from)?;
    notice.dispatch(state).await;
    Ok(())
}

/// The mailbox owner takes the account: new password, address proven, every session ended,
/// recorded in the platform's audit log.
async fn take_over_account(
    conn: &mut gmao_db::sqlx::PgConnection,
    identity: &Identity,
    password_hash: &str,
    request_id: Option<String>,
    action: &str,
) -> ApiResult<()> {
    identities::set_password_hash(conn, identity.id, password_hash).await?;
    identities::mark_verified(conn, identity.id).await?;
    let ended = sessions::revoke_all(
        conn,
        identity.id,
        None,
        None,
        sessions::RevokeReason::MailboxProven,
    )
    .await?;
    tenants::audit_platform(
        conn,
        Some(identity.id),
        request_id.as_deref(),
        action,
        "user",
        identity.id,
        json!({"sessions_ended": ended, "email_verified": true}),
    )
    .await?;
    Ok(())
}

async fn take_over(
    tx: &mut TenantTx,
    identity: &Identity,
    password_hash: &str,
    request_id: Option<String>,
) -> ApiResult<()> {
    take_over_account(
        tx.conn(),
        identity,
        password_hash,
        request_id,
        "accept_invitation",
    )
    .await
}

/// Tells the owner their password changed (with a way back if it was not them).
pub(crate) async fn password_changed_notice(
    state: &AppState,
    conn: &mut gmao_db::sqlx::PgConnection,
    identity: &Identity,
) -> ApiResult<mail::Written> {
    mail::write(
        conn,
        Mail {
            kind: "password_changed",
            key: format!("password-changed:{}", Uuid::now_v7()),
            tenant_id: None,
            to: &identity.email,
            letter: letters::password_changed(
                identity.locale(),
                &Links::new(state).forgot_password(),
            ),
        },
    )
    .await
}

fn link_expired() -> ApiError {
    ApiError::new(poem::http::StatusCode::GONE, "link_expired")
}

/// The company an invitation link is for, active; 410 when the link names none.
async fn invitation_company(state: &AppState, token: &str) -> ApiResult<(TenantId, TenantRef)> {
    let tenant = invitations::tenant_of(token).ok_or_else(link_expired)?;
    let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
    let row = match tenants::get(&mut conn, tenant).await {
        Ok(row) => row,
        Err(gmao_db::Error::NotFound) => return Err(link_expired()),
        Err(other) => return Err(other.into()),
    };
    if row.status != "active" {
        return Err(ApiError::forbidden("tenant_suspended"));
    }
    Ok((
        tenant,
        TenantRef {
            id: row.id,
            slug: row.slug,
            name: row.name,
        },
    ))
}

/// The invitation of a token, locked, when it can still be accepted.
async fn usable_invitation(tx: &mut TenantTx, token: &str) -> ApiResult<Invitation> {
    let invitation = invitations::by_token_for_update(tx, token)
        .await?
        .ok_or_else(link_expired)?;
    if invitation.status() != invitations::Status::Pending {
        return Err(link_expired().with_details(json!({"reason": invitation.status().as_str()})));
    }
    Ok(invitation)
}

async fn account_state(
    conn: &mut gmao_db::sqlx::PgConnection,
    email: &str,
) -> ApiResult<(AccountState, Option<Identity>)> {
    let email = Email::parse(email).map_err(|e| ApiError::field("email", e))?;
    let identity = identities::find_by_email(conn, &email).await?;
    let state = match &identity {
        None => AccountState::None,
        Some(i) if i.email_verified_at.is_some() => AccountState::Verified,
        Some(_) => AccountState::Unverified,
    };
    Ok((state, identity))
}
