//! Production lines of a plant.

use std::sync::Arc;

use gmao_db::production_lines::{self, LineFilter, LineInput, ProductionLine as DbLine};
use gmao_db::{Error as DbError, Sort, plants};
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

pub struct ProductionLinesApi;

/// A production line of a plant, where equipment stands.
#[derive(Debug, Object)]
pub struct ProductionLine {
    pub id: Uuid,
    pub plant_id: Uuid,
    /// The site of its plant.
    pub site_id: Uuid,
    /// Unique within the plant, upper-case.
    pub code: String,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<DbLine> for ProductionLine {
    fn from(l: DbLine) -> Self {
        ProductionLine {
            id: l.id,
            plant_id: l.plant_id,
            site_id: l.site_id,
            code: l.code,
            name: l.name,
            created_at: l.created_at,
            updated_at: l.updated_at,
        }
    }
}

page_of!(
    ProductionLinePage,
    ProductionLine,
    "A page of production lines."
);

#[derive(Debug, Object)]
pub struct NewProductionLine {
    pub plant_id: Uuid,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Object)]
pub struct ProductionLineUpdate {
    /// Moves the line to another plant.
    pub plant_id: Option<Uuid>,
    pub code: Option<String>,
    pub name: Option<String>,
}

async fn validate(ctx: &mut Ctx, plant_id: Uuid, code: &str, name: &str) -> ApiResult<LineInput> {
    let mut errors = FieldErrors::new();
    let code = errors.check("code", text::code(code));
    let name = errors.check("name", text::name(name, 120));
    let scope = ctx.principal.site_scope.clone();
    match plants::get(&mut ctx.tx, scope.as_deref(), plant_id).await {
        Ok(_) => {}
        Err(DbError::NotFound) => errors.add("plant_id", FieldError::new("unknown_plant")),
        Err(other) => return Err(other.into()),
    }
    match (code, name) {
        (Some(code), Some(name)) if errors.is_empty() => Ok(LineInput {
            plant_id,
            code,
            name,
        }),
        _ => Err(ApiError::fields(&errors)),
    }
}

#[OpenApi(prefix_path = "/production-lines", tag = "ApiTags::Sites")]
impl ProductionLinesApi {
    /// List production lines
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        /// Only the lines of this plant.
        plant_id: Query<Option<Uuid>>,
        /// Only the lines of this site.
        site_id: Query<Option<Uuid>>,
        /// Searches name and code.
        q: Query<Option<String>>,
        /// `name`, `code` or `created_at`; prefix `-` for descending. Default `name`.
        sort: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<ProductionLinePage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesRead)?;
        let filter = LineFilter {
            plant_id: plant_id.0,
            site_id: site_id.0,
            q: search(q.0),
            sort: sort_param(
                sort.0.as_deref(),
                production_lines::SORT_KEYS,
                Sort::asc("name"),
            )?,
        };
        let scope = ctx.principal.site_scope.clone();
        let page = production_lines::list(
            &mut ctx.tx,
            scope.as_deref(),
            &filter,
            page_request(page.0, per_page.0),
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(ProductionLinePage::from_page(
            page,
            ProductionLine::from,
        )))
    }

    /// Create a production line
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<NewProductionLine>,
    ) -> ApiResult<Created<ProductionLine>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesManage)?;
        let input = validate(&mut ctx, body.plant_id, &body.code, &body.name).await?;
        let line = production_lines::create(&mut ctx.tx, input).await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(line.into())))
    }

    /// Get a production line
    #[oai(path = "/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ProductionLine>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesRead)?;
        let scope = ctx.principal.site_scope.clone();
        let line = production_lines::get(&mut ctx.tx, scope.as_deref(), id.0).await?;
        ctx.commit().await?;
        Ok(Json(line.into()))
    }

    /// Change a production line
    #[oai(path = "/:id", method = "patch")]
    async fn update(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<ProductionLineUpdate>,
    ) -> ApiResult<Json<ProductionLine>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesManage)?;
        let scope = ctx.principal.site_scope.clone();
        let before = production_lines::get_for_update(&mut ctx.tx, scope.as_deref(), id.0).await?;
        let input = validate(
            &mut ctx,
            body.plant_id.unwrap_or(before.plant_id),
            body.code.as_deref().unwrap_or(&before.code),
            body.name.as_deref().unwrap_or(&before.name),
        )
        .await?;
        let line = production_lines::update(&mut ctx.tx, &before, input).await?;
        ctx.commit().await?;
        Ok(Json(line.into()))
    }

    /// Delete a production line
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
        production_lines::delete(&mut ctx.tx, scope.as_deref(), id.0).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }
}
