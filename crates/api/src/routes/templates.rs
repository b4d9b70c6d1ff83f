//! Checklist and work-order templates, which planners keep and copy into plans, approvals and
//! manual orders.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use gmao_db::templates::{self, TemplateFilter, TemplateInput};
use gmao_domain::{FieldError, FieldErrors, Permission, text};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi};
use uuid::Uuid;

use super::pm_plans::{ChecklistTemplate, checklist_items};
use super::vocabulary::{Priority, WorkOrderType};
use super::work_orders::{NewChecklistItem, checklist_input, estimated};
use super::{ApiTags, Created, NoContent, page_of, page_request, search};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct TemplatesApi;

/// Items a template's checklist holds at most.
const MAX_ITEMS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum TemplateKind {
    /// A named list of checks.
    Checklist,
    /// What an order needs: type, priority, title, description, estimate and checklist.
    WorkOrder,
}

impl TemplateKind {
    fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Checklist => "checklist",
            TemplateKind::WorkOrder => "work_order",
        }
    }

    fn stored(raw: &str) -> TemplateKind {
        if raw == "work_order" {
            TemplateKind::WorkOrder
        } else {
            TemplateKind::Checklist
        }
    }
}

#[derive(Debug, Object)]
pub struct Template {
    pub id: Uuid,
    pub kind: TemplateKind,
    pub name: String,
    #[oai(nullable)]
    pub description: Option<String>,
    pub checklist: Vec<ChecklistTemplate>,
    /// Work-order templates only.
    #[oai(rename = "type", nullable)]
    pub work_order_type: Option<WorkOrderType>,
    #[oai(nullable)]
    pub priority: Option<Priority>,
    /// The title of the orders made from it (work-order templates).
    #[oai(nullable)]
    pub title: Option<String>,
    #[oai(nullable)]
    pub estimated_minutes: Option<i32>,
    /// An inactive template is kept but no longer offered.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

page_of!(TemplatePage, Template, "A page of templates.");

/// A template as written. `kind` is fixed at creation; a work-order template needs `title`.
#[derive(Debug, Object)]
pub struct TemplateRequest {
    pub kind: TemplateKind,
    pub name: String,
    pub description: Option<String>,
    pub checklist: Option<Vec<NewChecklistItem>>,
    /// Work-order templates: `corrective` when absent.
    #[oai(rename = "type")]
    pub work_order_type: Option<WorkOrderType>,
    /// Work-order templates: `normal` when absent.
    pub priority: Option<Priority>,
    pub title: Option<String>,
    pub estimated_minutes: Option<i32>,
    /// `true` when absent.
    pub active: Option<bool>,
}

fn describe(t: templates::Template) -> Template {
    Template {
        id: t.id,
        kind: TemplateKind::stored(&t.kind),
        name: t.name,
        description: t.description,
        checklist: checklist_items(&t.checklist),
        work_order_type: t.work_order_type.as_deref().map(WorkOrderType::stored),
        priority: t.priority.as_deref().map(Priority::stored),
        title: t.title,
        estimated_minutes: t.estimated_minutes,
        active: t.active,
        created_at: t.created_at,
        updated_at: t.updated_at,
    }
}

/// Validates a template request (every problem at once, 422).
fn input(b: TemplateRequest) -> ApiResult<TemplateInput> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", text::name(&b.name, 120));
    let description = errors
        .check(
            "description",
            text::optional_text(b.description.as_deref(), 5000),
        )
        .flatten();
    let items = b.checklist.unwrap_or_default();
    if items.len() > MAX_ITEMS {
        errors.add(
            "checklist",
            FieldError::new("too_many_items").with("max", MAX_ITEMS),
        );
    }
    let checklist: Vec<_> = items
        .iter()
        .take(MAX_ITEMS)
        .enumerate()
        .filter_map(|(i, item)| checklist_input(&mut errors, i, item))
        .collect();
    let order = b.kind == TemplateKind::WorkOrder;
    let title = match (order, b.title.as_deref()) {
        (true, Some(raw)) => errors.check("title", text::name(raw, 200)),
        (true, None) => {
            errors.add("title", FieldError::new("required"));
            None
        }
        (false, _) => None,
    };
    let estimated_minutes = if order {
        estimated(&mut errors, b.estimated_minutes)
    } else {
        None
    };
    errors.clone().into_result()?;
    let Some(name) = name else {
        return Err(ApiError::fields(&errors));
    };
    Ok(TemplateInput {
        kind: b.kind.as_str().to_owned(),
        name,
        description,
        checklist: serde_json::to_value(checklist).map_err(ApiError::internal)?,
        work_order_type: order.then(|| {
            b.work_order_type
                .unwrap_or(WorkOrderType::Corrective)
                .as_str()
                .to_owned()
        }),
        priority: order.then(|| b.priority.unwrap_or(Priority::Normal).as_str().to_owned()),
        title,
        estimated_minutes,
        active: b.active.unwrap_or(true),
    })
}

#[OpenApi(prefix_path = "/templates", tag = "ApiTags::WorkOrders")]
impl TemplatesApi {
    /// List templates
    ///
    /// By kind, then name; active ones unless `include_inactive`. Whoever reads work orders
    /// may read them (plans, approvals and new orders offer them).
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        kind: Query<Option<TemplateKind>>,
        /// Searches name and title.
        q: Query<Option<String>>,
        include_inactive: Query<Option<bool>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<TemplatePage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let filter = TemplateFilter {
            kind: kind.0.map(|k| k.as_str().to_owned()),
            q: search(q.0),
            include_inactive: include_inactive.0.unwrap_or(false),
        };
        let page = templates::list(&mut ctx.tx, &filter, page_request(page.0, per_page.0)).await?;
        ctx.commit().await?;
        Ok(Json(TemplatePage::from_page(page, describe)))
    }

    /// Get a template
    #[oai(path = "/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Template>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let template = templates::get(&mut ctx.tx, id.0).await?;
        ctx.commit().await?;
        Ok(Json(describe(template)))
    }

    /// Create a template (planners)
    ///
    /// 409 `name_taken` when a template of the same kind has that name (case aside).
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<TemplateRequest>,
    ) -> ApiResult<Created<Template>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersManage)?;
        let input = input(body.0)?;
        let template = templates::create(&mut ctx.tx, input).await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(describe(template))))
    }

    /// Replace a template (planners)
    ///
    /// The whole template as it should be; its `kind` cannot change (422 `kind_fixed`).
    /// Orders and plans made from it keep what they copied.
    #[oai(path = "/:id", method = "put")]
    async fn replace(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<TemplateRequest>,
    ) -> ApiResult<Json<Template>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersManage)?;
        let existing = templates::get(&mut ctx.tx, id.0).await?;
        if existing.kind != body.0.kind.as_str() {
            return Err(ApiError::field("kind", FieldError::new("kind_fixed")));
        }
        let input = input(body.0)?;
        let template = templates::update(&mut ctx.tx, id.0, input).await?;
        ctx.commit().await?;
        Ok(Json(describe(template)))
    }

    /// Delete a template (planners)
    #[oai(path = "/:id", method = "delete")]
    async fn delete(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersManage)?;
        templates::delete(&mut ctx.tx, id.0).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }
}
