//! Sites.

use std::sync::Arc;

use gmao_db::Sort;
use gmao_db::sites::{self, Site as DbSite, SiteFilter, SiteInput};
use gmao_domain::{FieldErrors, Permission, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::{ApiTags, Created, NoContent, page_of, page_request, search, sort_param};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct SitesApi;

/// A physical place of the company (a factory, a depot), in its time zone.
#[derive(Debug, Object)]
pub struct Site {
    pub id: Uuid,
    /// Unique in the company, upper-case (`LYON-1`).
    pub code: String,
    pub name: String,
    #[oai(nullable)]
    pub address: Option<String>,
    /// IANA time zone (`Europe/Paris`); schedules of the site follow it.
    pub time_zone: String,
    /// The public request portal is open: whoever scans an equipment's QR code on this site
    /// may report a failure without an account.
    pub public_requests: bool,
    pub plant_count: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<DbSite> for Site {
    fn from(s: DbSite) -> Self {
        Site {
            id: s.id,
            code: s.code,
            name: s.name,
            address: s.address,
            time_zone: s.time_zone,
            public_requests: s.public_requests,
            plant_count: s.plant_count,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

page_of!(SitePage, Site, "A page of sites.");

#[derive(Debug, Object)]
pub struct NewSite {
    pub code: String,
    pub name: String,
    #[oai(nullable)]
    pub address: Option<String>,
    pub time_zone: String,
    /// `false` when absent.
    pub public_requests: Option<bool>,
}

#[derive(Debug, Object)]
pub struct SiteUpdate {
    pub code: Option<String>,
    pub name: Option<String>,
    /// `null` clears it.
    #[oai(nullable)]
    pub address: MaybeUndefined<String>,
    pub time_zone: Option<String>,
    pub public_requests: Option<bool>,
}

fn validate(
    code: &str,
    name: &str,
    address: Option<&str>,
    time_zone: &str,
    public_requests: bool,
) -> ApiResult<SiteInput> {
    let mut errors = FieldErrors::new();
    let code = errors.check("code", text::code(code));
    let name = errors.check("name", text::name(name, 120));
    let address = errors.check("address", text::optional_text(address, 500));
    let time_zone = errors.check("time_zone", text::time_zone(time_zone));
    match (code, name, address, time_zone) {
        (Some(code), Some(name), Some(address), Some(tz)) => Ok(SiteInput {
            code,
            name,
            address,
            time_zone: tz.name().to_owned(),
            public_requests,
        }),
        _ => Err(ApiError::fields(&errors)),
    }
}

#[OpenApi(prefix_path = "/sites", tag = "ApiTags::Sites")]
impl SitesApi {
    /// List sites
    ///
    /// Members limited to some sites see only those.
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        /// Searches name and code.
        q: Query<Option<String>>,
        /// `name`, `code` or `created_at`; prefix `-` for descending. Default `name`.
        sort: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<SitePage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesRead)?;
        let filter = SiteFilter {
            q: search(q.0),
            sort: sort_param(sort.0.as_deref(), sites::SORT_KEYS, Sort::asc("name"))?,
        };
        let scope = ctx.principal.site_scope.clone();
        let page = sites::list(
            &mut ctx.tx,
            scope.as_deref(),
            &filter,
            page_request(page.0, per_page.0),
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(SitePage::from_page(page, Site::from)))
    }

    /// Create a site
    ///
    /// Only members who see every site may create one.
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<NewSite>,
    ) -> ApiResult<Created<Site>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesManage)?;
        if ctx.principal.site_scope.is_some() {
            return Err(ApiError::forbidden("site_scope_exceeded"));
        }
        let input = validate(
            &body.code,
            &body.name,
            body.address.as_deref(),
            &body.time_zone,
            body.public_requests.unwrap_or(false),
        )?;
        let site = sites::create(&mut ctx.tx, input).await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(site.into())))
    }

    /// Get a site
    #[oai(path = "/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Site>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesRead)?;
        let scope = ctx.principal.site_scope.clone();
        let site = sites::get(&mut ctx.tx, scope.as_deref(), id.0).await?;
        ctx.commit().await?;
        Ok(Json(site.into()))
    }

    /// Change a site
    #[oai(path = "/:id", method = "patch")]
    async fn update(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<SiteUpdate>,
    ) -> ApiResult<Json<Site>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::SitesManage)?;
        let scope = ctx.principal.site_scope.clone();
        let before = sites::get_for_update(&mut ctx.tx, scope.as_deref(), id.0).await?;
        let body = body.0;
        let address = match body.address {
            MaybeUndefined::Undefined => before.address.clone(),
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(a) => Some(a),
        };
        let input = validate(
            body.code.as_deref().unwrap_or(&before.code),
            body.name.as_deref().unwrap_or(&before.name),
            address.as_deref(),
            body.time_zone.as_deref().unwrap_or(&before.time_zone),
            body.public_requests.unwrap_or(before.public_requests),
        )?;
        let site = sites::update(&mut ctx.tx, &before, input).await?;
        ctx.commit().await?;
        Ok(Json(site.into()))
    }

    /// Delete a site
    ///
    /// 409 `has_children` while it has plants.
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
        sites::delete(&mut ctx.tx, scope.as_deref(), id.0).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }
}
