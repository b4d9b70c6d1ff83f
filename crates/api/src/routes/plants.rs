//! Plants (workshops, buildings) of a site.

use std::sync::Arc;

use gmao_db::plants::{self, Plant as DbPlant, PlantFilter, PlantInput};
use gmao_db::{Error as DbError, Sort, sites};
use gmao_domain::{FieldError, FieldErrors, Permission, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::{ApiTags, Created, NoContent, page_of, page_request, search, sort_param};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct PlantsApi;

/// A plant (usine, atelier) of a site.
#[derive(Debug, Object)]
pub struct Plant {
    pub id: Uuid,
    pub site_id: Uuid,
    /// Unique within the site, upper-case.
    pub code: String,
    pub name: String,
    pub production_line_count: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<DbPlant> for Plant {
    fn from(p: DbPlant) -> Self {
        Plant {
            id: p.id,
            site_id: p.site_id,
            code: p.code,
            name: p.name,
            production_line_count: p.production_line_count,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

page_of!(PlantPage, Plant, "A page of plants.");

#[derive(Debug, Object)]
pub struct NewPlant {
    pub site_id: Uuid,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Object)]
pub struct PlantUpdate {
    /// Moves the plant (and its lines) to another site.
    pub site_id: Option<Uuid>,
    pub code: Option<String>,
    pub name: Option<String>,
}

/// Validates the fields and checks that the site exists within the caller's scope.
async fn validate(ctx: &mut Ctx, site_id: Uuid, code: &str, name: &str) -> ApiResult<PlantInput> {
    let mut errors = FieldErrors::new();
    let code = errors.check("code", text::code(code));
    let name = errors.check("name", text::name(name, 120));
    let scope = ctx.principal.site_scope.clone();
    match sites::get(&mut ctx.tx, scope.as_deref(), site_id).await {
        Ok(_) => {}
        Err(DbError::NotFound) => errors.add("site_id", FieldError::new("unknown_site")),
        Err(other) => return Err(other.into()),
    }
    match (code, name) {
        (Some(code), Some(name)) if errors.is_empty() => Ok(PlantInput {
            site_id,
            code,
            name,
        }),
        _ => Err(ApiError::fields(&errors)),
    }
}

#[OpenApi(prefix_path = "/plants", tag = "ApiTags::Sites")]
impl PlantsApi {
    /// List plants
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        /// Only the plants of this site.
        site_id: Query<Option<Uuid>>,
        /// Searches name and code.
        q: Query<Option<String>>,
        /// `name`, `code` or `created_at`; prefix `-` for descending. Default `name`.
        sort: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<PlantPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesRead)?;
        let filter = PlantFilter {
            site_id: site_id.0,
            q: search(q.0),
            sort: sort_param(sort.0.as_deref(), plants::SORT_KEYS, Sort::asc("name"))?,
        };
        let scope = ctx.principal.site_scope.clone();
        let page = plants::list(
            &mut ctx.tx,
            scope.as_deref(),
            &filter,
            page_request(page.0, per_page.0),
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(PlantPage::from_page(page, Plant::from)))
    }

    /// Create a plant
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<NewPlant>,
    ) -> ApiResult<Created<Plant>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesManage)?;
        let input = validate(&mut ctx, body.site_id, &body.code, &body.name).await?;
        let plant = plants::create(&mut ctx.tx, input).await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(plant.into())))
    }

    /// Get a plant
    #[oai(path = "/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Plant>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesRead)?;
        let scope = ctx.principal.site_scope.clone();
        let plant = plants::get(&mut ctx.tx, scope.as_deref(), id.0).await?;
        ctx.commit().await?;
        Ok(Json(plant.into()))
    }

    /// Change a plant
    #[oai(path = "/:id", method = "patch")]
    async fn update(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<PlantUpdate>,
    ) -> ApiResult<Json<Plant>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesManage)?;
        let scope = ctx.principal.site_scope.clone();
        let before = plants::get_for_update(&mut ctx.tx, scope.as_deref(), id.0).await?;
        let input = validate(
            &mut ctx,
            body.site_id.unwrap_or(before.site_id),
            body.code.as_deref().unwrap_or(&before.code),
            body.name.as_deref().unwrap_or(&before.name),
        )
        .await?;
        let plant = plants::update(&mut ctx.tx, &before, input).await?;
        ctx.commit().await?;
        Ok(Json(plant.into()))
    }

    /// Delete a plant
    ///
    /// 409 `has_children` while it has production lines.
    #[oai(path = "/:id", method = "delete")]
    async fn delete(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesManage)?;
        let scope = ctx.principal.site_scope.clone();
        plants::delete(&mut ctx.tx, scope.as_deref(), id.0).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }
}
