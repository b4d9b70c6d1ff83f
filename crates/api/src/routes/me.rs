//! The caller: who they are here, and their own profile and password.

use std::sync::Arc;

use gmao_db::identities::{self, ProfilePatch};
use gmao_db::{audit, sessions, throttle};
use gmao_domain::password::PersonalWords;
use gmao_domain::{BuiltinRole, FieldError, FieldErrors, Locale, TenantSlug, password, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use serde_json::json;
use uuid::Uuid;

use super::auth::{Language, TenantRef, UserProfile};
use super::{ApiTags, NoContent};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct MeApi;

/// A role as shown next to a person.
#[derive(Debug, Clone, Object)]
pub struct RoleRef {
    pub id: Uuid,
    /// The stable key of a built-in role (`admin`, `supervisor`, `technician`, `operator`,
    /// `viewer`); absent for custom roles.
    #[oai(nullable)]
    pub key: Option<String>,
    pub name: String,
}

/// The display name of a role in `locale`: built-in roles are translated, custom roles keep
/// the name their company gave them.
pub fn role_name(key: Option<&str>, stored: &str, locale: Locale) -> String {
    match key.and_then(BuiltinRole::from_key) {
        Some(role) => {
            let (en, fr) = role.names();
            match locale {
                Locale::Fr => fr.to_owned(),
                Locale::En => en.to_owned(),
            }
        }
        None => stored.to_owned(),
    }
}

/// Who the caller is in this company and what they may do.
#[derive(Debug, Object)]
pub struct Me {
    pub user: UserProfile,
    pub tenant: TenantRef,
    pub role: RoleRef,
    /// Every permission of the caller's role (`area:action`).
    pub permissions: Vec<String>,
    /// The sites the caller is limited to; absent (null) when they see every site.
    #[oai(nullable)]
    pub site_scope: Option<Vec<Uuid>>,
}

/// A company the caller belongs to.
#[derive(Debug, Object)]
pub struct MyTenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// The company of this session.
    pub current: bool,
}

#[derive(Debug, Object)]
pub struct MyTenants {
    pub items: Vec<MyTenant>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Debug, Object)]
pub struct ProfileUpdate {
    pub full_name: Option<String>,
    pub locale: Option<Language>,
}

#[derive(Debug, Object)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

#[OpenApi(prefix_path = "/me", tag = "ApiTags::Me")]
impl MeApi {
    /// Who am I
    #[oai(path = "/", method = "get")]
    async fn me(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
    ) -> ApiResult<Json<Me>> {
        // Answered to someone who must change their password too: the app needs to know.
        let mut ctx = Ctx::open_to_change_password(&state, &auth, req).await?;
        let me = self.describe(&mut ctx).await?;
        ctx.commit().await?;
        Ok(Json(me))
    }

    /// The companies I can switch to
    ///
    /// Active companies where the caller is an active member, this one included.
    #[oai(path = "/tenants", method = "get")]
    async fn tenants(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
    ) -> ApiResult<Json<MyTenants>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let user_id = ctx.principal.user_id;
        let current = ctx.principal.tenant_id.0;
        let memberships = identities::tenants_of(ctx.tx.conn(), user_id).await?;
        ctx.commit().await?;
        let mut items = Vec::new();
        for tenant in memberships.into_iter().filter(|t| t.status == "active") {
            let usable = tenant.tenant_id == current
                || super::session::is_active_member(&state, &tenant, user_id).await?;
            if usable {
                items.push(MyTenant {
                    current: tenant.tenant_id == current,
                    id: tenant.tenant_id,
                    slug: tenant.slug,
                    name: tenant.name,
                });
            }
        }
        let total = i64::try_from(items.len()).unwrap_or(0);
        Ok(Json(MyTenants {
            per_page: u32::try_from(items.len()).unwrap_or(1).max(1),
            items,
            total,
            page: 1,
        }))
    }

    /// Change my name or language
    ///
    /// The profile belongs to the person, so it is the same in every company they work for.
    #[oai(path = "/", method = "patch")]
    async fn update(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<ProfileUpdate>,
    ) -> ApiResult<Json<Me>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let mut errors = FieldErrors::new();
        let full_name = body
            .full_name
            .as_deref()
            .and_then(|n| errors.check("full_name", text::name(n, 120)));
        errors.into_result()?;
        let user_id = ctx.principal.user_id;
        let before = identities::get(ctx.tx.conn(), user_id).await?;
        let after = identities::update_profile(
            ctx.tx.conn(),
            user_id,
            &ProfilePatch {
                full_name,
                locale: body.locale.map(Locale::from),
            },
        )
        .await?;
        #[derive(serde::Serialize)]
        struct Profile<'a> {
            full_name: &'a str,
            locale: &'a str,
        }
        audit::record_change(
            &mut ctx.tx,
            "update",
            "profile",
            user_id,
            Some(&Profile {
                full_name: &before.full_name,
                locale: &before.locale,
            }),
            Some(&Profile {
                full_name: &after.full_name,
                locale: &after.locale,
            }),
        )
        .await?;
        ctx.principal.full_name = after.full_name.clone();
        ctx.principal.locale = after.locale();
        let me = self.describe(&mut ctx).await?;
        ctx.commit().await?;
        Ok(Json(me))
    }

    /// Change my password
    ///
    /// Ends every other session of the person, in every company; this one stays open.
    #[oai(path = "/password", method = "post")]
    async fn change_password(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<PasswordChange>,
    ) -> ApiResult<NoContent> {
        // Read, then check the current password with no transaction open (hashing is slow),
        // within a budget: a stolen access token must not become a password oracle.
        let ctx = Ctx::open_to_change_password(&state, &auth, req).await?;
        let user_id = ctx.principal.user_id;
        ctx.commit().await?;
        let identity = {
            let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
            identities::get(&mut conn, user_id).await?
        };
        let budget = throttle::Key::new("password-change", &user_id.to_string());
        let rate = state.settings.limits.password_changes_per_account;
        super::session::within_budgets(&state, &[(&budget, rate)]).await?;
        if !state
            .hasher
            .verify(&body.current_password, Some(&identity.password_hash))
            .await?
        {
            return Err(ApiError::field(
                "current_password",
                FieldError::new("wrong_password"),
            ));
        }
        let email_local = identity.email.split('@').next().unwrap_or("");
        password::check(
            &body.new_password,
            PersonalWords {
                email_local_part: Some(email_local),
                full_name: Some(&identity.full_name),
                company: None,
            },
        )
        .map_err(|e| ApiError::field("new_password", e))?;
        if state
            .hasher
            .verify(&body.new_password, Some(&identity.password_hash))
            .await?
        {
            // A password given by an administrator must really change.
            return Err(ApiError::field(
                "new_password",
                FieldError::new("same_password"),
            ));
        }
        let hash = state.hasher.hash(&body.new_password).await?;
        let mut ctx = Ctx::open_to_change_password(&state, &auth, req).await?;
        identities::set_password_hash(ctx.tx.conn(), user_id, &hash).await?;
        throttle::give_back(ctx.tx.conn(), &budget, rate).await?;
        let ended = sessions::revoke_all(
            ctx.tx.conn(),
            user_id,
            None,
            Some(ctx.principal.session_id),
            sessions::RevokeReason::PasswordChanged,
        )
        .await?;
        audit::record(
            &mut ctx.tx,
            audit::Entry {
                action: "change_password",
                entity: "profile",
                entity_id: Some(user_id),
                changes: json!({"other_sessions_ended": ended}),
            },
        )
        .await?;
        let notice =
            super::mailbox::password_changed_notice(&state, ctx.tx.conn(), &identity).await?;
        ctx.commit().await?;
        notice.dispatch(&state).await;
        Ok(NoContent::NoContent)
    }

    /// Send me a new link to confirm my address
    ///
    /// 202; 409 `already_verified` when it is confirmed; a few per hour (429).
    #[oai(path = "/email-verification", method = "post")]
    async fn send_verification(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
    ) -> ApiResult<super::mailbox::Accepted> {
        let ctx = Ctx::open(&state, &auth, req).await?;
        let user_id = ctx.principal.user_id;
        let verified = ctx.principal.email_verified;
        ctx.commit().await?;
        if verified {
            return Err(ApiError::conflict("already_verified"));
        }
        super::session::within_budgets(
            &state,
            &[(
                &throttle::Key::new("verification-mail", &user_id.to_string()),
                state.settings.limits.verification_mails_per_account,
            )],
        )
        .await?;
        let mut tx = state.pool.begin().await.map_err(gmao_db::Error::from)?;
        let identity = identities::get(&mut tx, user_id).await?;
        let written = super::auth::write_verification(&state, &mut tx, &identity).await?;
        tx.commit().await.map_err(gmao_db::Error::from)?;
        written.dispatch(&state).await;
        Ok(super::mailbox::Accepted::Accepted(Json(
            super::auth::CheckMailbox::default(),
        )))
    }

    /// Create another company
    ///
    /// For a person whose address is confirmed (403 `email_not_verified` otherwise): the
    /// company is created with them as its administrator, and a session opens there (201).
    /// Limited like sign-ups (429).
    #[oai(path = "/tenants", method = "post")]
    async fn create_tenant(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<NewCompanyRequest>,
    ) -> ApiResult<super::session::CreatedSession> {
        let ctx = Ctx::open(&state, &auth, req).await?;
        let user_id = ctx.principal.user_id;
        let verified = ctx.principal.email_verified;
        ctx.commit().await?;
        if !verified {
            return Err(ApiError::forbidden("email_not_verified"));
        }
        let mut errors = FieldErrors::new();
        let company = errors.check("company_name", text::name(&body.company_name, 120));
        let slug = errors.check("tenant_slug", TenantSlug::parse(&body.tenant_slug));
        errors.clone().into_result()?;
        let (Some(company), Some(slug)) = (company, slug) else {
            return Err(ApiError::fields(&errors));
        };
        let limits = &state.settings.limits;
        super::session::within_budgets(
            &state,
            &[
                (
                    &throttle::Key::new("signup-account", &user_id.to_string()),
                    limits.signups_per_address,
                ),
                (&throttle::Key::new("signup", "all"), limits.signups),
            ],
        )
        .await?;
        let _slot = state
            .provisioning
            .acquire()
            .await
            .map_err(ApiError::internal)?;
        let (mut tx, created) = gmao_db::accounts::create_company(
            &state.pool,
            gmao_db::accounts::NewCompany {
                name: &company,
                slug: &slug,
                admin: gmao_db::accounts::Administrator::Existing(user_id),
                request_id: crate::auth::request_id(req),
            },
        )
        .await?;
        let response = super::session::open_session(
            &state,
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
        let (response, cookie) = super::session::hand_over(&state, req, response);
        Ok(super::session::CreatedSession::Created(
            Json(response),
            cookie,
        ))
    }
}

/// Another company to create.
#[derive(Debug, Object)]
pub struct NewCompanyRequest {
    pub company_name: String,
    /// 3 to 40 lowercase letters, digits and hyphens, starting with a letter.
    pub tenant_slug: String,
}

impl MeApi {
    async fn describe(&self, ctx: &mut Ctx) -> ApiResult<Me> {
        let tenant = gmao_db::tenants::get(ctx.tx.conn(), ctx.principal.tenant_id).await?;
        let p = &ctx.principal;
        Ok(Me {
            user: UserProfile {
                id: p.user_id,
                email: p.email.clone(),
                full_name: p.full_name.clone(),
                locale: p.locale.into(),
                is_platform_operator: p.is_platform_operator,
                email_verified: p.email_verified,
                must_change_password: p.must_change_password,
            },
            tenant: TenantRef {
                id: tenant.id,
                slug: tenant.slug,
                name: tenant.name,
            },
            role: RoleRef {
                id: p.role.id,
                key: p.role.key.clone(),
                name: role_name(p.role.key.as_deref(), &p.role.name, p.locale),
            },
            permissions: p.permissions.to_strings(),
            site_scope: p.site_scope.clone(),
        })
    }
}
