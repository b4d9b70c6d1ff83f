//! Follow-up corrective orders: what an order's checklist found wrong (a reading out of its
//! bounds, a failed check) becomes a new order on the same equipment, prefilled and linked.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use gmao_db::work_orders::{self, ChecklistItem, NewWorkOrder};
use gmao_domain::findings::{self, Reading};
use gmao_domain::maintenance::{self as domain, WorkOrderType};
use gmao_domain::work_order::WorkOrderStatus as Status;
use gmao_domain::{FieldErrors, Permission, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::vocabulary::Priority;
use super::work_orders::{WorkOrder, describe, visible, workable};
use super::{ApiTags, Created};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::middleware::locale_of;
use crate::state::AppState;

pub struct FollowUpsApi;

/// A checklist answer out of tolerance.
#[derive(Debug, Object)]
pub struct Finding {
    pub item_id: Uuid,
    pub label: String,
    /// `below_min`, `above_max` or `failed`.
    pub kind: String,
    #[oai(nullable)]
    pub value: Option<f64>,
    #[oai(nullable)]
    pub unit: Option<String>,
    #[oai(nullable)]
    pub min_value: Option<f64>,
    #[oai(nullable)]
    pub max_value: Option<f64>,
}

/// The follow-up proposed for an order, in the caller's language (`Accept-Language`).
#[derive(Debug, Object)]
pub struct FollowUpDraft {
    pub title: String,
    pub description: String,
    /// `high` when something was found, else the order's own priority.
    pub priority: Priority,
    /// Empty when the checklist found nothing wrong: clients propose a follow-up only then.
    pub findings: Vec<Finding>,
}

#[derive(Debug, Object)]
pub struct NewFollowUp {
    pub title: String,
    pub description: Option<String>,
    /// `normal` when absent.
    pub priority: Option<Priority>,
    pub due_at: Option<DateTime<Utc>>,
    /// Planners only; a technician's follow-up waits, open, for planning.
    pub assignee_ids: Option<Vec<Uuid>>,
}

fn reading(item: &ChecklistItem) -> Reading<'_> {
    Reading {
        label: &item.label,
        passed: item.passed,
        value: item.number_value,
        unit: item.unit.as_deref(),
        min: item.min_value,
        max: item.max_value,
    }
}

#[OpenApi(prefix_path = "/work-orders", tag = "ApiTags::WorkOrders")]
impl FollowUpsApi {
    /// The follow-up proposed for an order
    ///
    /// Its findings (readings out of their bounds, failed checks) and a title and description
    /// written from them, to prefill `POST /work-orders/{id}/follow-ups`.
    #[oai(path = "/:id/follow-up", method = "get")]
    async fn draft(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<FollowUpDraft>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let order = visible(&mut ctx, id.0).await?;
        let items = work_orders::checklist(&mut ctx.tx, order.id).await?;
        ctx.commit().await?;
        let locale = locale_of(req);
        let readings: Vec<Reading<'_>> = items.iter().map(reading).collect();
        let draft = findings::draft(&order.number, &order.title, &readings, locale);
        let found: Vec<Finding> = items
            .iter()
            .filter_map(|item| {
                let kind = reading(item).finding()?;
                Some(Finding {
                    item_id: item.id,
                    label: item.label.clone(),
                    kind: kind.as_str().to_owned(),
                    value: item.number_value,
                    unit: item.unit.clone(),
                    min_value: item.min_value,
                    max_value: item.max_value,
                })
            })
            .collect();
        let priority = if found.is_empty() {
            Priority::stored(&order.priority)
        } else {
            Priority::High
        };
        Ok(Json(FollowUpDraft {
            title: draft.title,
            description: draft.description,
            priority,
            findings: found,
        }))
    }

    /// Raise a follow-up corrective order
    ///
    /// By whoever may work on the order (its technicians, planners): a corrective order on
    /// the same equipment, linked to this one (`follow_up_of`, and this one's `follow_ups`),
    /// open for planning unless a planner assigns it. Refused on a cancelled order (409
    /// `work_order_cancelled`).
    #[oai(path = "/:id/follow-ups", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<NewFollowUp>,
    ) -> ApiResult<Created<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let b = body.0;
        let assignee_ids = b.assignee_ids.unwrap_or_default();
        if !assignee_ids.is_empty() {
            ctx.require(Permission::WorkOrdersManage)?;
        }
        let mut errors = FieldErrors::new();
        let title = errors.check("title", text::name(&b.title, 200));
        let description = errors
            .check(
                "description",
                text::optional_text(b.description.as_deref(), 5000),
            )
            .flatten();
        let source = workable(&mut ctx, id.0).await?;
        errors.clone().into_result()?;
        let Some(title) = title else {
            return Err(ApiError::fields(&errors));
        };
        if source.status() == Status::Cancelled {
            return Err(ApiError::conflict("work_order_cancelled"));
        }
        let order = work_orders::create(
            &mut ctx.tx,
            NewWorkOrder {
                kind: WorkOrderType::Corrective,
                priority: b.priority.unwrap_or(Priority::Normal).as_str().to_owned(),
                equipment_id: source.equipment_id,
                site_id: source.site_id,
                title,
                description,
                due_at: b.due_at,
                estimated_minutes: None,
                origin: domain::WorkOrderOrigin::Manual.as_str().to_owned(),
                work_request_id: None,
                pm_plan_id: None,
                assignee_ids,
                checklist: Vec::new(),
                downtime_start: None,
                follow_up_of: Some(source.id),
            },
        )
        .await?;
        let order = describe(&ctx, order);
        ctx.commit().await?;
        Ok(Created::Created(Json(order)))
    }
}
