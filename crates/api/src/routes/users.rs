//! Members of the company: add, change role and site scope, deactivate.

use std::sync::Arc;

use gmao_db::members::{
    self, Member as DbMember, MemberFilter, MemberPatch, NewAccount, NewMember,
};
use gmao_db::{Error as DbError, Sort, roles, sites};
use gmao_domain::password::PersonalWords;
use gmao_domain::{Email, FieldError, FieldErrors, Locale, Permission, password, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::auth::Language;
use super::invitations as invitations_api;
use super::me::{RoleRef, role_name};
use super::{ApiTags, Created, page_of, page_request, search, sort_param};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use serde_json::json;

pub struct UsersApi;

/// A member of the company.
#[derive(Debug, Object)]
pub struct Member {
    /// The person's id (the same in every company they belong to).
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub locale: Language,
    pub role: RoleRef,
    /// The sites the member is limited to; absent (null) when they see every site.
    #[oai(nullable)]
    pub site_ids: Option<Vec<Uuid>>,
    /// Deactivated members cannot log in to this company.
    pub active: bool,
    /// Their own working hours a week; null: the company's (`/tenant/labour`).
    #[oai(nullable)]
    pub weekly_capacity_hours: Option<f64>,
    /// Their own hourly rate, in the company's currency; null when they have none (the
    /// company's applies) and for callers who may not manage members (users:manage).
    #[oai(nullable)]
    pub hourly_rate: Option<f64>,
    #[oai(nullable)]
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Member {
    /// `sees_rates`: whether the caller may read what people cost.
    fn from_db(m: DbMember, locale: Locale, sees_rates: bool) -> Member {
        Member {
            weekly_capacity_hours: m.weekly_capacity_minutes.map(|c| f64::from(c) / 60.0),
            hourly_rate: m
                .hourly_rate_cents
                .filter(|_| sees_rates)
                .map(|c| c as f64 / 100.0),
            id: m.user_id,
            locale: Locale::parse(&m.locale).unwrap_or_default().into(),
            role: RoleRef {
                id: m.role_id,
                name: role_name(m.role_key.as_deref(), &m.role_name, locale),
                key: m.role_key,
            },
            site_ids: m.site_scoped.then_some(m.site_ids),
            email: m.email,
            full_name: m.full_name,
            active: m.active,
            last_login_at: m.last_login_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

page_of!(MemberPage, Member, "A page of members.");

page_of!(MemberList, Member, "People, unpaged.");

#[derive(Debug, Object)]
pub struct NewMemberRequest {
    pub email: String,
    pub full_name: String,
    /// For shop-floor staff without a mailbox: an initial password creates the account at once
    /// (changed at its first login), when the address has no account. Otherwise, and without a
    /// password, an invitation is mailed.
    #[oai(nullable)]
    pub password: Option<String>,
    pub role_id: Uuid,
    /// Limits the member to these sites; omit or null for every site.
    #[oai(nullable)]
    pub site_ids: Option<Vec<Uuid>>,
    #[oai(nullable)]
    pub locale: Option<Language>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, poem_openapi::Enum)]
#[oai(rename_all = "snake_case")]
pub enum AddedAs {
    /// A single-use link was mailed; the person becomes a member on accepting it.
    Invited,
    /// An account was made with the initial password; its owner changes it at first login.
    Created,
}

/// What adding a person did. An invitation says nothing of whether the address has an
/// account on gmao.
#[derive(Debug, Object)]
pub struct AddedMember {
    pub status: AddedAs,
    /// The invitation mailed (`invited`).
    #[oai(nullable)]
    pub invitation: Option<super::invitations::Invitation>,
    /// The member made (`created`).
    #[oai(nullable)]
    pub member: Option<Member>,
}

#[derive(Debug, Object)]
pub struct MemberUpdate {
    pub role_id: Option<Uuid>,
    /// A list limits the member to these sites; `null` gives every site.
    #[oai(nullable)]
    pub site_ids: MaybeUndefined<Vec<Uuid>>,
    /// `false` deactivates the member (their sessions end at once); `true` reactivates.
    pub active: Option<bool>,
    /// Hours a week, 0 to 168; `null`: the company's.
    #[oai(nullable)]
    pub weekly_capacity_hours: MaybeUndefined<f64>,
    /// Per hour, in the company's currency, at most two decimals; `null`: the company's.
    #[oai(nullable)]
    pub hourly_rate: MaybeUndefined<f64>,
}

/// Whether the caller may read what people cost: members' managers who see every site (a
/// manager limited to some sites does not read the rates of the rest of the company).
pub(crate) fn sees_rates(ctx: &Ctx) -> bool {
    ctx.principal.can(Permission::UsersManage) && ctx.principal.site_scope.is_none()
}

/// A rate or capacity of a change: absent leaves it, `null` gives the company's, a number is
/// checked by `parse` (its problem goes to `errors` under `field`).
pub(crate) fn labour_field<T>(
    errors: &mut FieldErrors,
    field: &str,
    value: MaybeUndefined<f64>,
    parse: fn(f64) -> Result<T, FieldError>,
) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => match parse(v) {
            Ok(parsed) => Some(Some(parsed)),
            Err(error) => {
                errors.add(field, error);
                None
            }
        },
    }
}

/// The caller, limited to some sites, manages only people limited to some of those sites (a
/// member, an invitation).
pub(crate) fn within_callers_sites(
    ctx: &Ctx,
    site_scoped: bool,
    site_ids: &[Uuid],
) -> ApiResult<()> {
    if let Some(own) = &ctx.principal.site_scope {
        let within = site_scoped && site_ids.iter().all(|s| own.contains(s));
        if !within {
            return Err(ApiError::forbidden("site_scope_exceeded"));
        }
    }
    Ok(())
}

impl UsersApi {
    /// Checks a role the caller wants to give: it exists and grants nothing the caller lacks.
    pub(crate) async fn check_role(ctx: &mut Ctx, role_id: Uuid) -> ApiResult<roles::Role> {
        let role = match roles::get(&mut ctx.tx, role_id).await {
            Ok(role) => role,
            Err(DbError::NotFound) => {
                return Err(ApiError::field("role_id", FieldError::new("unknown_role")));
            }
            Err(other) => return Err(other.into()),
        };
        if !role.permissions().is_subset(&ctx.principal.permissions) {
            return Err(ApiError::forbidden("cannot_grant_role"));
        }
        Ok(role)
    }

    /// Checks a site scope the caller wants to give: every site exists, and a caller limited to
    /// some sites can only give a subset of them.
    async fn check_scope(ctx: &mut Ctx, site_ids: Option<&[Uuid]>) -> ApiResult<()> {
        if let Some(ids) = site_ids {
            let existing = sites::existing(&mut ctx.tx, ids).await?;
            if let Some(unknown) = ids.iter().find(|id| !existing.contains(id)) {
                return Err(ApiError::field(
                    "site_ids",
                    FieldError::new("unknown_site").with("value", unknown.to_string()),
                ));
            }
        }
        if let Some(own) = &ctx.principal.site_scope {
            let within = site_ids.is_some_and(|ids| ids.iter().all(|id| own.contains(id)));
            if !within {
                return Err(ApiError::forbidden("site_scope_exceeded"));
            }
        }
        Ok(())
    }
}

#[OpenApi(prefix_path = "/users", tag = "ApiTags::Users")]
impl UsersApi {
    /// List members
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        /// Searches name and email.
        q: Query<Option<String>>,
        role_id: Query<Option<Uuid>>,
        active: Query<Option<bool>>,
        /// Members who can see this site.
        site_id: Query<Option<Uuid>>,
        /// `full_name`, `email` or `created_at`; prefix `-` for descending. Default `full_name`.
        sort: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<MemberPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::UsersRead)?;
        let filter = MemberFilter {
            q: search(q.0),
            role_id: role_id.0,
            active: active.0,
            site_id: site_id.0,
            sort: sort_param(
                sort.0.as_deref(),
                members::SORT_KEYS,
                Sort::asc("full_name"),
            )?,
        };
        let locale = ctx.principal.locale;
        let rates = sees_rates(&ctx);
        let page = members::list(&mut ctx.tx, &filter, page_request(page.0, per_page.0)).await?;
        ctx.commit().await?;
        Ok(Json(MemberPage::from_page(page, |m| {
            Member::from_db(m, locale, rates)
        })))
    }

    /// Add a person
    ///
    /// Mails an invitation (a single-use link valid seven days; 201 `invited`): the person
    /// joins when they accept it, with their account or a new one. The answer is the same
    /// whether the address has an account or not. For shop-floor staff without a mailbox, an
    /// initial `password` creates a new account at once (201 `created`), to be changed at its
    /// first login; for an address that has an account, an invitation is mailed instead. 409
    /// `already_member`, or `invitation_pending` (resend it).
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<NewMemberRequest>,
    ) -> ApiResult<Created<AddedMember>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::UsersManage)?;
        let body = body.0;
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(&body.email));
        let full_name = errors.check("full_name", text::name(&body.full_name, 120));
        if let Some(password) = &body.password {
            errors.check(
                "password",
                password::check(
                    password,
                    PersonalWords {
                        email_local_part: email.as_ref().map(Email::local_part),
                        full_name: Some(&body.full_name),
                        company: None,
                    },
                ),
            );
        }
        errors.clone().into_result()?;
        let (Some(email), Some(full_name)) = (email, full_name) else {
            return Err(ApiError::fields(&errors));
        };
        Self::check_role(&mut ctx, body.role_id).await?;
        Self::check_scope(&mut ctx, body.site_ids.as_deref()).await?;
        if invitations_api::is_member(&mut ctx, &email).await? {
            return Err(
                ApiError::conflict("already_member").with_details(json!({"field": "email"}))
            );
        }
        if let Some(open) = gmao_db::invitations::open_for(&mut ctx.tx, &email).await? {
            return Err(ApiError::conflict("invitation_pending")
                .with_details(json!({"field": "email", "invitation_id": open.id})));
        }
        let caller_locale = ctx.principal.locale;
        let locale = body.locale.map(Locale::from).unwrap_or(caller_locale);
        let has_account = gmao_db::identities::find_by_email(ctx.tx.conn(), &email)
            .await?
            .is_some();
        if let (Some(password), false) = (&body.password, has_account) {
            // Hashing is slow: with no transaction open, then the checks again.
            ctx.commit().await?;
            let hash = state.hasher.hash(password).await?;
            ctx = Ctx::open(&state, &auth, req).await?;
            ctx.require(Permission::UsersManage)?;
            Self::check_role(&mut ctx, body.role_id).await?;
            Self::check_scope(&mut ctx, body.site_ids.as_deref()).await?;
            let (member, _) = members::add(
                &mut ctx.tx,
                NewMember {
                    email: &email,
                    full_name: &full_name,
                    new_account: Some(NewAccount {
                        password_hash: &hash,
                        verified: false,
                        must_change_password: true,
                    }),
                    locale,
                    role_id: body.role_id,
                    site_ids: body.site_ids,
                },
            )
            .await?;
            let rates = sees_rates(&ctx);
            ctx.commit().await?;
            return Ok(Created::Created(Json(AddedMember {
                status: AddedAs::Created,
                invitation: None,
                member: Some(Member::from_db(member, caller_locale, rates)),
            })));
        }
        invitations_api::within_invitation_budget(&state, &mut ctx).await?;
        let (invitation, token) = gmao_db::invitations::create(
            &mut ctx.tx,
            gmao_db::invitations::NewInvitation {
                email: &email,
                full_name: &full_name,
                role_id: body.role_id,
                site_ids: body.site_ids,
                locale,
            },
        )
        .await?;
        let written =
            invitations_api::write_invitation_mail(&state, &mut ctx, &invitation, &token).await?;
        ctx.commit().await?;
        written.dispatch(&state).await;
        Ok(Created::Created(Json(AddedMember {
            status: AddedAs::Invited,
            invitation: Some(super::invitations::Invitation::from_db(
                invitation,
                caller_locale,
            )),
            member: None,
        })))
    }

    /// People who can be given work on a site
    ///
    /// Active members whose role carries out work orders and who see the site: the choices of
    /// an assignment.
    #[oai(path = "/assignable", method = "get")]
    async fn assignable(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        site_id: Query<Uuid>,
    ) -> ApiResult<Json<MemberList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        if !ctx.principal.can(Permission::WorkOrdersManage) {
            ctx.require(Permission::UsersRead)?;
        }
        let locale = ctx.principal.locale;
        let scope = ctx.principal.site_scope.clone();
        gmao_db::sites::get(&mut ctx.tx, scope.as_deref(), site_id.0).await?;
        let people = members::assignable(&mut ctx.tx, site_id.0).await?;
        let rates = sees_rates(&ctx);
        ctx.commit().await?;
        Ok(Json(MemberList::all(
            people
                .into_iter()
                .map(|m| Member::from_db(m, locale, rates))
                .collect(),
        )))
    }

    /// Get a member
    #[oai(path = "/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Member>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::UsersRead)?;
        let locale = ctx.principal.locale;
        let member = members::get(&mut ctx.tx, id.0).await?;
        let rates = sees_rates(&ctx);
        ctx.commit().await?;
        Ok(Json(Member::from_db(member, locale, rates)))
    }

    /// Change a member's role, site scope or activity
    ///
    /// Deactivation ends the member's sessions at once. Changing a member needs every
    /// permission of the role they hold (403 `cannot_manage_member`) and of the role they get
    /// (403 `cannot_grant_role`). The company keeps at least one active administrator who sees
    /// every site, whatever requests run at once (409 `last_admin`); nobody changes their own
    /// role or deactivates themselves.
    #[oai(path = "/:id", method = "patch")]
    async fn update(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<MemberUpdate>,
    ) -> ApiResult<Json<Member>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::UsersManage)?;
        let body = body.0;
        let target = members::get(&mut ctx.tx, id.0).await?;
        let is_self = target.user_id == ctx.principal.user_id;
        let role_changes = body.role_id.is_some_and(|r| r != target.role_id);
        // Nobody sets their own rate; rates are set by managers who see every site.
        let rate_changes = !matches!(body.hourly_rate, MaybeUndefined::Undefined);
        if rate_changes && !sees_rates(&ctx) {
            return Err(ApiError::forbidden("site_scope_exceeded"));
        }
        if is_self && (role_changes || body.active == Some(false) || rate_changes) {
            return Err(ApiError::forbidden("cannot_change_self"));
        }
        within_callers_sites(&ctx, target.site_scoped, &target.site_ids)?;
        // Taking a role away (or its holder's access) needs what the role gives.
        let held = roles::get(&mut ctx.tx, target.role_id).await?.permissions();
        if !is_self && !held.is_subset(&ctx.principal.permissions) {
            let missing: Vec<&str> = held
                .iter()
                .filter(|p| !ctx.principal.can(*p))
                .map(Permission::as_str)
                .collect();
            return Err(ApiError::forbidden("cannot_manage_member")
                .with_details(serde_json::json!({"permissions": missing})));
        }
        if let Some(role_id) = body.role_id.filter(|_| role_changes) {
            Self::check_role(&mut ctx, role_id).await?;
        }
        let site_ids = match body.site_ids {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(ids) => Some(Some(ids)),
        };
        if let Some(scope) = &site_ids {
            Self::check_scope(&mut ctx, scope.as_deref()).await?;
        }
        let mut errors = FieldErrors::new();
        let hourly_rate_cents = labour_field(
            &mut errors,
            "hourly_rate",
            body.hourly_rate,
            gmao_domain::labour::rate_cents,
        );
        let weekly_capacity_minutes = labour_field(
            &mut errors,
            "weekly_capacity_hours",
            body.weekly_capacity_hours,
            gmao_domain::labour::capacity_minutes,
        );
        if !errors.is_empty() {
            return Err(ApiError::fields(&errors));
        }
        let locale = ctx.principal.locale;
        let member = members::update(
            &mut ctx.tx,
            id.0,
            MemberPatch {
                role_id: body.role_id,
                site_ids,
                active: body.active,
                hourly_rate_cents,
                weekly_capacity_minutes,
            },
        )
        .await?;
        let rates = sees_rates(&ctx);
        ctx.commit().await?;
        Ok(Json(Member::from_db(member, locale, rates)))
    }
}
