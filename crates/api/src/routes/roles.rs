//! Roles: built-in (read-only) and custom ones made by the company's administrators.

use std::sync::Arc;

use gmao_db::roles::{self, Role as DbRole, RoleInput, RolePatch};
use gmao_domain::{FieldError, FieldErrors, Locale, Permission, PermissionSet, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::me::role_name;
use super::{ApiTags, Created, NoContent, page_of, page_request};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct RolesApi;

#[derive(Debug, Object)]
pub struct Role {
    pub id: Uuid,
    /// Stable key of a built-in role; absent for custom roles.
    #[oai(nullable)]
    pub key: Option<String>,
    /// Built-in roles are named in the caller's language.
    pub name: String,
    #[oai(nullable)]
    pub description: Option<String>,
    pub permissions: Vec<String>,
    /// Built-in roles cannot be changed or deleted.
    pub builtin: bool,
    /// Members holding this role.
    pub member_count: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Role {
    fn from_db(role: DbRole, locale: Locale) -> Role {
        Role {
            id: role.id,
            name: role_name(role.key.as_deref(), &role.name, locale),
            permissions: role.permissions().to_strings(),
            key: role.key,
            description: role.description,
            builtin: role.builtin,
            member_count: role.member_count,
            created_at: role.created_at,
            updated_at: role.updated_at,
        }
    }
}

page_of!(RolePage, Role, "A page of roles: built-in ones first.");

#[derive(Debug, Object)]
pub struct NewRole {
    pub name: String,
    #[oai(nullable)]
    pub description: Option<String>,
    /// Permissions (`area:action`, see `GET /permissions`); you can only grant ones you hold.
    pub permissions: Vec<String>,
}

#[derive(Debug, Object)]
pub struct RoleUpdate {
    pub name: Option<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub description: MaybeUndefined<String>,
    /// Replaces the whole set.
    pub permissions: Option<Vec<String>>,
}

/// Parses permission names; an unknown one is a field error naming it.
fn parse_permissions(names: &[String]) -> Result<PermissionSet, FieldError> {
    names
        .iter()
        .map(|name| {
            Permission::parse(name.trim())
                .ok_or_else(|| FieldError::new("unknown_permission").with("value", name.clone()))
        })
        .collect()
}

/// 403 unless the caller holds every permission of `set`.
fn check_grantable(ctx: &Ctx, set: &PermissionSet) -> ApiResult<()> {
    if set.is_subset(&ctx.principal.permissions) {
        return Ok(());
    }
    let missing: Vec<&str> = set
        .iter()
        .filter(|p| !ctx.principal.can(*p))
        .map(Permission::as_str)
        .collect();
    Err(ApiError::forbidden("cannot_grant_permission")
        .with_details(serde_json::json!({"permissions": missing})))
}

#[OpenApi(prefix_path = "/roles", tag = "ApiTags::Roles")]
impl RolesApi {
    /// List roles
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<RolePage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::RolesRead)?;
        let locale = ctx.principal.locale;
        let page = roles::list(&mut ctx.tx, page_request(page.0, per_page.0)).await?;
        ctx.commit().await?;
        Ok(Json(RolePage::from_page(page, |r| {
            Role::from_db(r, locale)
        })))
    }

    /// Create a custom role
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<NewRole>,
    ) -> ApiResult<Created<Role>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::RolesManage)?;
        let mut errors = FieldErrors::new();
        let name = errors.check("name", text::name(&body.name, 80));
        let description = errors.check(
            "description",
            text::optional_text(body.description.as_deref(), 500),
        );
        let permissions = errors.check("permissions", parse_permissions(&body.permissions));
        errors.clone().into_result()?;
        let (Some(name), Some(description), Some(permissions)) = (name, description, permissions)
        else {
            return Err(ApiError::fields(&errors));
        };
        check_grantable(&ctx, &permissions)?;
        let locale = ctx.principal.locale;
        let role = roles::create(
            &mut ctx.tx,
            RoleInput {
                name,
                description,
                permissions,
            },
        )
        .await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(Role::from_db(role, locale))))
    }

    /// Get a role
    #[oai(path = "/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Role>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::RolesRead)?;
        let locale = ctx.principal.locale;
        let role = roles::get(&mut ctx.tx, id.0).await?;
        ctx.commit().await?;
        Ok(Json(Role::from_db(role, locale)))
    }

    /// Change a custom role
    ///
    /// Members holding it get the new permissions at their next request.
    #[oai(path = "/:id", method = "patch")]
    async fn update(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<RoleUpdate>,
    ) -> ApiResult<Json<Role>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::RolesManage)?;
        let body = body.0;
        let mut errors = FieldErrors::new();
        let name = body
            .name
            .as_deref()
            .and_then(|n| errors.check("name", text::name(n, 80)));
        let description = match body.description {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(d) => {
                errors.check("description", text::optional_text(Some(&d), 500))
            }
        };
        let permissions = body
            .permissions
            .as_deref()
            .and_then(|p| errors.check("permissions", parse_permissions(p)));
        errors.into_result()?;
        // Editing a role changes what its holders may do: it needs what the role gives now.
        let current = roles::get(&mut ctx.tx, id.0).await?;
        if !current.permissions().is_subset(&ctx.principal.permissions) {
            return Err(ApiError::forbidden("cannot_change_role"));
        }
        if let Some(set) = &permissions {
            check_grantable(&ctx, set)?;
        }
        let locale = ctx.principal.locale;
        let role = roles::update(
            &mut ctx.tx,
            id.0,
            RolePatch {
                name,
                description,
                permissions,
            },
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(Role::from_db(role, locale)))
    }

    /// Delete a custom role
    ///
    /// 409 `role_in_use` while members hold it.
    #[oai(path = "/:id", method = "delete")]
    async fn delete(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::RolesManage)?;
        let current = roles::get(&mut ctx.tx, id.0).await?;
        if !current.permissions().is_subset(&ctx.principal.permissions) {
            return Err(ApiError::forbidden("cannot_change_role"));
        }
        roles::delete(&mut ctx.tx, id.0).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }
}
