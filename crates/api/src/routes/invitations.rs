//! Pending invitations of the company: list, resend, revoke. Adding a person (`POST /users`)
//! creates them.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use gmao_db::invitations::{self, Invitation as DbInvitation, Status};
use gmao_db::{members, throttle};
use gmao_domain::{Locale, Permission};
use gmao_mail::letters;
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi};
use uuid::Uuid;

use super::auth::Language;
use super::me::{RoleRef, role_name};
use super::work_orders::PersonRef;
use super::{ApiTags, page_of, page_request};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::mail::{self, Links, Mail};
use crate::state::AppState;

pub struct InvitationsApi;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Sent, waiting for the person.
    Pending,
    /// Not accepted in time: resend it.
    Expired,
    Accepted,
    Revoked,
}

impl From<Status> for InvitationStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Pending => InvitationStatus::Pending,
            Status::Expired => InvitationStatus::Expired,
            Status::Accepted => InvitationStatus::Accepted,
            Status::Revoked => InvitationStatus::Revoked,
        }
    }
}

/// An invitation to join the company. Whether the address has an account on gmao is never
/// shown.
#[derive(Debug, Object)]
pub struct Invitation {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub role: RoleRef,
    /// The sites the member will be limited to; null for every site.
    #[oai(nullable)]
    pub site_ids: Option<Vec<Uuid>>,
    pub locale: Language,
    pub status: InvitationStatus,
    #[oai(nullable)]
    pub invited_by: Option<PersonRef>,
    pub expires_at: DateTime<Utc>,
    /// How many times the link was sent.
    pub sent_count: i32,
    pub last_sent_at: DateTime<Utc>,
    #[oai(nullable)]
    pub accepted_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Invitation {
    pub fn from_db(i: DbInvitation, locale: Locale) -> Invitation {
        Invitation {
            status: i.status().into(),
            role: RoleRef {
                id: i.role_id,
                name: role_name(i.role_key.as_deref(), &i.role_name, locale),
                key: i.role_key,
            },
            site_ids: i.site_scoped.then_some(i.site_ids),
            locale: mail::locale_of(&i.locale).into(),
            invited_by: i.invited_by.map(|id| PersonRef {
                id,
                full_name: i.invited_by_name.unwrap_or_default(),
            }),
            id: i.id,
            email: i.email,
            full_name: i.full_name,
            expires_at: i.expires_at,
            sent_count: i.sent_count,
            last_sent_at: i.last_sent_at,
            accepted_at: i.accepted_at,
            revoked_at: i.revoked_at,
            created_at: i.created_at,
        }
    }
}

page_of!(
    InvitationPage,
    Invitation,
    "A page of invitations, newest first."
);

/// Takes one invitation mail from the company's budget (429 when spent): invitations are mail
/// sent to any address, so a company cannot make gmao send them without end. Counted in the
/// request's transaction: an invitation that fails costs nothing.
pub async fn within_invitation_budget(state: &AppState, ctx: &mut Ctx) -> ApiResult<()> {
    let key = throttle::Key::new("invitations", &ctx.principal.tenant_id.0.to_string());
    let rate = state.settings.limits.invitations_per_company;
    match throttle::take(ctx.tx.conn(), &key, rate).await? {
        throttle::Verdict::Allowed => Ok(()),
        throttle::Verdict::Refused { retry_after } => Err(ApiError::too_many_attempts(retry_after)),
    }
}

/// Writes the invitation mail in the request's transaction, in the invitee's language.
pub async fn write_invitation_mail(
    state: &AppState,
    ctx: &mut Ctx,
    invitation: &DbInvitation,
    token: &str,
) -> ApiResult<mail::Written> {
    let company = gmao_db::tenants::get(ctx.tx.conn(), ctx.principal.tenant_id).await?;
    let locale = mail::locale_of(&invitation.locale);
    let role = role_name(
        invitation.role_key.as_deref(),
        &invitation.role_name,
        locale,
    );
    let link = Links::new(state).invitation(token);
    let inviter = ctx.principal.full_name.clone();
    mail::write(
        ctx.tx.conn(),
        Mail {
            kind: "invitation",
            key: format!("invitation:{}:{}", invitation.id, invitation.sent_count),
            tenant_id: Some(ctx.principal.tenant_id.0),
            to: &invitation.email,
            letter: letters::invitation(&letters::Invitation {
                locale,
                name: &invitation.full_name,
                inviter: &inviter,
                company: &company.name,
                role: &role,
                link: &link,
                valid_days: u32::try_from(invitations::VALID_FOR.num_days()).unwrap_or(7),
            }),
        },
    )
    .await
}

/// The caller may manage this invitation: they may give its role and its sites.
async fn may_manage(ctx: &mut Ctx, invitation: &DbInvitation) -> ApiResult<()> {
    super::users::UsersApi::check_role(ctx, invitation.role_id).await?;
    super::users::within_callers_sites(ctx, invitation.site_scoped, &invitation.site_ids)
}

#[OpenApi(prefix_path = "/invitations", tag = "ApiTags::Users")]
impl InvitationsApi {
    /// List invitations
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        /// `pending`, `expired`, `accepted` or `revoked`.
        status: Query<Option<InvitationStatus>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<InvitationPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::UsersRead)?;
        let status = status.0.map(|s| match s {
            InvitationStatus::Pending => Status::Pending,
            InvitationStatus::Expired => Status::Expired,
            InvitationStatus::Accepted => Status::Accepted,
            InvitationStatus::Revoked => Status::Revoked,
        });
        let locale = ctx.principal.locale;
        let page = invitations::list(&mut ctx.tx, status, page_request(page.0, per_page.0)).await?;
        ctx.commit().await?;
        Ok(Json(InvitationPage::from_page(page, |i| {
            Invitation::from_db(i, locale)
        })))
    }

    /// Send an invitation again
    ///
    /// A new link, valid seven days from now; the previous link stops working. 409
    /// `invitation_closed` once accepted or revoked.
    #[oai(path = "/:id/resend", method = "post")]
    async fn resend(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Invitation>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::UsersManage)?;
        let current = invitations::get(&mut ctx.tx, id.0).await?;
        may_manage(&mut ctx, &current).await?;
        within_invitation_budget(&state, &mut ctx).await?;
        let (invitation, token) = invitations::resend(&mut ctx.tx, id.0).await?;
        let written = write_invitation_mail(&state, &mut ctx, &invitation, &token).await?;
        let locale = ctx.principal.locale;
        ctx.commit().await?;
        written.dispatch(&state).await;
        Ok(Json(Invitation::from_db(invitation, locale)))
    }

    /// Revoke an invitation
    ///
    /// Its link stops working. 409 `invitation_closed` once accepted or revoked.
    #[oai(path = "/:id/revoke", method = "post")]
    async fn revoke(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Invitation>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::UsersManage)?;
        let current = invitations::get(&mut ctx.tx, id.0).await?;
        may_manage(&mut ctx, &current).await?;
        let invitation = invitations::revoke(&mut ctx.tx, id.0).await?;
        let locale = ctx.principal.locale;
        ctx.commit().await?;
        Ok(Json(Invitation::from_db(invitation, locale)))
    }
}

/// Whether the address is a member of the caller's company already.
pub async fn is_member(ctx: &mut Ctx, email: &gmao_domain::Email) -> ApiResult<bool> {
    let identity = gmao_db::identities::find_by_email(ctx.tx.conn(), email).await?;
    Ok(match identity {
        Some(identity) => members::get(&mut ctx.tx, identity.id).await.is_ok(),
        None => false,
    })
}
