//! The caller: who they are here, and their own profile and password.

use std::sync::Arc;

use gmao_db::identities::{self, ProfilePatch};
use gmao_db::{audit, sessions, throttle};
use gmao_domain::password::PersonalWords;
use gmao_domain::{BuiltinRole, FieldError, FieldErrors, Locale, password, text};
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
        let mut ctx = Ctx::open(&state, &auth, req).await?;
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
                || super::auth::is_active_member(&state, &tenant, user_id).await?;
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
        let ctx = Ctx::open(&state, &auth, req).await?;
        let user_id = ctx.principal.user_id;
        ctx.commit().await?;
        let identity = {
            let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
            identities::get(&mut conn, user_id).await?
        };
        let budget = throttle::Key::new("password-change", &user_id.to_string());
        let rate = state.settings.limits.password_changes_per_account;
        super::auth::within_budgets(&state, &[(&budget, rate)]).await?;
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
        let hash = state.hasher.hash(&body.new_password).await?;
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        identities::set_password_hash(ctx.tx.conn(), user_id, &hash).await?;
        {
            let mut conn = state.pool.acquire().await.map_err(gmao_db::Error::from)?;
            throttle::give_back(&mut conn, &budget, rate).await?;
        }
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
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }
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
