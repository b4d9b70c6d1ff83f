//! The caller's company and what it holds.

use std::sync::Arc;

use gmao_db::labour::{self, LabourPatch, LabourSettings};
use gmao_db::{
    equipment, members, plants, production_lines, sites, tenants, work_orders, work_requests,
};
use gmao_domain::{FieldErrors, Permission};
use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::ApiTags;
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct TenantApi;

/// How much the company holds, within the caller's site scope.
#[derive(Debug, Object)]
pub struct TenantCounts {
    pub sites: i64,
    pub plants: i64,
    pub production_lines: i64,
    /// Active members of the company.
    pub members: i64,
    /// Equipment in service (not archived).
    pub equipment: i64,
    /// Work orders not yet completed.
    pub open_work_orders: i64,
    /// Open work orders past their due date.
    pub overdue_work_orders: i64,
    /// Work requests waiting for a decision.
    pub pending_requests: i64,
}

#[derive(Debug, Object)]
pub struct TenantSummary {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub counts: TenantCounts,
}

/// What an hour of work costs and how long people work, for members without their own
/// figures: labour cost, utilisation and the backlog in crew-weeks come from them.
#[derive(Debug, Object)]
pub struct Labour {
    /// ISO 4217 (`EUR`): what rates and costs are counted in.
    pub currency: String,
    /// Per hour; null: time of members without their own rate has no cost.
    #[oai(nullable)]
    pub default_hourly_rate: Option<f64>,
    pub default_weekly_capacity_hours: f64,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<LabourSettings> for Labour {
    fn from(l: LabourSettings) -> Self {
        Labour {
            currency: l.currency,
            default_hourly_rate: l.default_hourly_rate_cents.map(|c| c as f64 / 100.0),
            default_weekly_capacity_hours: f64::from(l.default_weekly_capacity_minutes) / 60.0,
            updated_at: l.updated_at,
        }
    }
}

/// The company's figures price every site: they are for managers who see every site.
fn company_wide(ctx: &Ctx) -> ApiResult<()> {
    if ctx.principal.site_scope.is_some() {
        return Err(ApiError::forbidden("site_scope_exceeded"));
    }
    Ok(())
}

#[derive(Debug, Object)]
pub struct LabourUpdate {
    /// Three capital letters (`EUR`, `CHF`). Amounts are not converted: past costs keep their
    /// figures.
    pub currency: Option<String>,
    /// At most two decimals, 0 to 1,000,000; `null`: none.
    #[oai(nullable)]
    pub default_hourly_rate: MaybeUndefined<f64>,
    /// 0 to 168.
    pub default_weekly_capacity_hours: Option<f64>,
}

#[OpenApi(prefix_path = "/tenant", tag = "ApiTags::Tenant")]
impl TenantApi {
    /// My company, with its counts
    #[oai(path = "/", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
    ) -> ApiResult<Json<TenantSummary>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let tenant = tenants::get(ctx.tx.conn(), ctx.principal.tenant_id).await?;
        let scope = ctx.principal.site_scope.clone();
        let (open_work_orders, overdue_work_orders) =
            work_orders::active_counts(&mut ctx.tx, scope.as_deref()).await?;
        let counts = TenantCounts {
            sites: sites::count(&mut ctx.tx, scope.as_deref()).await?,
            plants: plants::count(&mut ctx.tx, scope.as_deref()).await?,
            production_lines: production_lines::count(&mut ctx.tx, scope.as_deref()).await?,
            members: members::count(&mut ctx.tx).await?,
            equipment: equipment::count(&mut ctx.tx, scope.as_deref()).await?,
            open_work_orders,
            overdue_work_orders,
            pending_requests: work_requests::submitted_count(&mut ctx.tx, scope.as_deref()).await?,
        };
        ctx.commit().await?;
        Ok(Json(TenantSummary {
            id: tenant.id,
            slug: tenant.slug,
            name: tenant.name,
            status: tenant.status,
            created_at: tenant.created_at,
            counts,
        }))
    }

    /// The company's hourly rate and weekly capacity
    ///
    /// For members without their own (users:manage).
    #[oai(path = "/labour", method = "get")]
    async fn labour(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
    ) -> ApiResult<Json<Labour>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::UsersManage)?;
        company_wide(&ctx)?;
        let settings = labour::get(&mut ctx.tx).await?;
        ctx.commit().await?;
        Ok(Json(settings.into()))
    }

    /// Change the company's hourly rate, weekly capacity or currency
    ///
    /// A new rate prices time logged from now on; time already logged keeps the rate it was
    /// logged at. Audited.
    #[oai(path = "/labour", method = "patch")]
    async fn update_labour(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<LabourUpdate>,
    ) -> ApiResult<Json<Labour>> {
        let body = body.0;
        let mut errors = FieldErrors::new();
        let mut patch = LabourPatch::default();
        if let Some(code) = &body.currency {
            match gmao_domain::labour::currency(code) {
                Ok(code) => patch.currency = Some(code),
                Err(e) => errors.add("currency", e),
            }
        }
        patch.default_hourly_rate_cents = super::users::labour_field(
            &mut errors,
            "default_hourly_rate",
            body.default_hourly_rate,
            gmao_domain::labour::rate_cents,
        );
        if let Some(hours) = body.default_weekly_capacity_hours {
            match gmao_domain::labour::capacity_minutes(hours) {
                Ok(minutes) => patch.default_weekly_capacity_minutes = Some(minutes),
                Err(e) => errors.add("default_weekly_capacity_hours", e),
            }
        }
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::UsersManage)?;
        company_wide(&ctx)?;
        if !errors.is_empty() {
            return Err(ApiError::fields(&errors));
        }
        let settings = labour::update(&mut ctx.tx, patch).await?;
        ctx.commit().await?;
        Ok(Json(settings.into()))
    }
}
