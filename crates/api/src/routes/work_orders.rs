//! Work orders (bons de travail): planning, the state machine's actions, and the technician's
//! page: checklist, time, comments, photos, timeline.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use gmao_db::attachments::Owner;
use gmao_db::work_orders::{
    self, Answer, ChecklistItemInput, Completion, NewTimeEntry, NewWorkOrder, TransitionInput,
    WorkOrderFilter, WorkOrderPatch,
};
use gmao_db::{Sort, equipment};
use gmao_domain::maintenance as domain;
use gmao_domain::work_order::{WorkOrderAction, allowed_actions};
use gmao_domain::{FieldError, FieldErrors, Permission, text};
use gmao_kpi::export::rows::Value as Cell;
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json, Response};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Enum, Object, OpenApi};
use serde_json::Value;
use uuid::Uuid;

use super::exports::{self, ListFormat};
use super::files::{self, AttachmentInfo, AttachmentList, UploadBody};
use super::vocabulary::{ChecklistKind, Priority, WorkOrderOrigin, WorkOrderStatus, WorkOrderType};
use super::{ApiTags, Created, NoContent, page_of, page_request, search, sort_param};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct WorkOrdersApi;

#[derive(Debug, Clone, Object)]
pub struct PersonRef {
    pub id: Uuid,
    pub full_name: String,
}

/// An action on a work order, as the caller may take it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Action {
    Assign,
    Start,
    Hold,
    Resume,
    Complete,
    Reopen,
    Close,
    Cancel,
}

impl From<WorkOrderAction> for Action {
    fn from(a: WorkOrderAction) -> Self {
        match a {
            WorkOrderAction::Assign => Action::Assign,
            WorkOrderAction::Start => Action::Start,
            WorkOrderAction::Hold => Action::Hold,
            WorkOrderAction::Resume => Action::Resume,
            WorkOrderAction::Complete => Action::Complete,
            WorkOrderAction::Reopen => Action::Reopen,
            WorkOrderAction::Close => Action::Close,
            WorkOrderAction::Cancel => Action::Cancel,
        }
    }
}

/// Another order, by number and status.
#[derive(Debug, Clone, Object)]
pub struct OrderLink {
    pub id: Uuid,
    pub number: String,
    pub status: WorkOrderStatus,
}

impl From<work_orders::OrderLink> for OrderLink {
    fn from(link: work_orders::OrderLink) -> Self {
        OrderLink {
            id: link.id,
            number: link.number,
            status: WorkOrderStatus::stored(&link.status),
        }
    }
}

/// A work order (bon de travail).
#[derive(Debug, Object)]
pub struct WorkOrder {
    pub id: Uuid,
    /// `BT-2026-00042`.
    pub number: String,
    #[oai(rename = "type")]
    pub kind: WorkOrderType,
    pub priority: Priority,
    pub status: WorkOrderStatus,
    pub equipment_id: Uuid,
    pub equipment_code: String,
    pub equipment_name: String,
    pub site_id: Uuid,
    pub title: String,
    #[oai(nullable)]
    pub description: Option<String>,
    #[oai(nullable)]
    pub due_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub estimated_minutes: Option<i32>,
    pub origin: WorkOrderOrigin,
    #[oai(nullable)]
    pub work_request_id: Option<Uuid>,
    #[oai(nullable)]
    pub work_request_number: Option<String>,
    /// The preventive plan that generated it.
    #[oai(nullable)]
    pub pm_plan_id: Option<Uuid>,
    /// The order whose findings this one follows up.
    #[oai(nullable)]
    pub follow_up_of: Option<OrderLink>,
    /// Orders raised to follow this one up.
    pub follow_ups: Vec<OrderLink>,
    pub assignees: Vec<PersonRef>,
    /// The reason given with the last hold, reopening or cancellation.
    #[oai(nullable)]
    pub status_reason: Option<String>,
    #[oai(nullable)]
    pub started_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub completed_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub closed_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub cancelled_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub work_performed: Option<String>,
    #[oai(nullable)]
    pub failure_problem_id: Option<Uuid>,
    #[oai(nullable)]
    pub failure_cause_id: Option<Uuid>,
    #[oai(nullable)]
    pub failure_remedy_id: Option<Uuid>,
    #[oai(nullable)]
    pub root_cause: Option<String>,
    #[oai(nullable)]
    pub downtime_minutes: Option<i32>,
    #[oai(nullable)]
    pub downtime_start: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub downtime_end: Option<DateTime<Utc>>,
    /// Production has been stopped since `downtime_start` and the completion report has not
    /// ended the stop yet.
    pub production_stopped: bool,
    pub checklist_total: i64,
    pub checklist_done: i64,
    /// Required items still unanswered: completion is refused while there are any.
    pub checklist_required_open: i64,
    pub time_spent_minutes: i64,
    /// Due date passed and the work not completed.
    pub overdue: bool,
    /// What the caller may do now (state and permissions both allow it).
    pub allowed_actions: Vec<Action>,
    #[oai(nullable)]
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// People by id, as shown next to work.
pub async fn people(tx: &mut gmao_db::TenantTx, ids: &[Uuid]) -> ApiResult<Vec<PersonRef>> {
    Ok(gmao_db::members::names(tx, ids)
        .await?
        .into_iter()
        .map(|(id, full_name)| PersonRef { id, full_name })
        .collect())
}

/// Whether the caller may take `action` on `order`, by permission and assignment.
fn may(ctx: &Ctx, order: &work_orders::WorkOrder, action: WorkOrderAction) -> bool {
    ctx.principal.can(action.permission())
        && (!action.needs_assignment()
            || order.is_assigned_to(ctx.principal.user_id)
            || ctx.principal.can(Permission::WorkOrdersManage))
}

/// The API view of an order for the caller.
pub fn describe(ctx: &Ctx, w: work_orders::WorkOrder) -> WorkOrder {
    let allowed = allowed_actions(w.status())
        .into_iter()
        .filter(|a| may(ctx, &w, *a))
        .map(Action::from)
        .collect();
    WorkOrder {
        id: w.id,
        number: w.number,
        kind: WorkOrderType::stored(&w.kind),
        priority: Priority::stored(&w.priority),
        status: WorkOrderStatus::stored(&w.status),
        equipment_id: w.equipment_id,
        equipment_code: w.equipment_code,
        equipment_name: w.equipment_name,
        site_id: w.site_id,
        title: w.title,
        description: w.description,
        due_at: w.due_at,
        estimated_minutes: w.estimated_minutes,
        origin: WorkOrderOrigin::stored(&w.origin),
        work_request_id: w.work_request_id,
        work_request_number: w.work_request_number,
        pm_plan_id: w.pm_plan_id,
        follow_up_of: w.follow_up_of.map(|link| link.0.into()),
        follow_ups: w.follow_ups.0.into_iter().map(OrderLink::from).collect(),
        assignees: w
            .assignees
            .0
            .into_iter()
            .map(|p| PersonRef {
                id: p.id,
                full_name: p.full_name,
            })
            .collect(),
        status_reason: w.status_reason,
        started_at: w.started_at,
        completed_at: w.completed_at,
        closed_at: w.closed_at,
        cancelled_at: w.cancelled_at,
        work_performed: w.work_performed,
        failure_problem_id: w.failure_problem_id,
        failure_cause_id: w.failure_cause_id,
        failure_remedy_id: w.failure_remedy_id,
        root_cause: w.root_cause,
        downtime_minutes: w.downtime_minutes,
        downtime_start: w.downtime_start,
        downtime_end: w.downtime_end,
        production_stopped: w.downtime_start.is_some()
            && w.downtime_end.is_none()
            && w.downtime_minutes.is_none(),
        checklist_total: w.checklist_total,
        checklist_done: w.checklist_done,
        checklist_required_open: w.checklist_required_open,
        time_spent_minutes: w.time_spent_minutes,
        overdue: w.overdue,
        allowed_actions: allowed,
        created_by: w.created_by,
        created_at: w.created_at,
        updated_at: w.updated_at,
    }
}

page_of!(WorkOrderPage, WorkOrder, "A page of work orders.");

#[derive(Debug, Object)]
pub struct NewChecklistItem {
    pub label: String,
    pub kind: ChecklistKind,
    /// Completion is refused while a required item is unanswered.
    #[oai(nullable)]
    pub required: Option<bool>,
    /// For `number` items: unit and expected bounds (a value outside is recorded and flagged).
    #[oai(nullable)]
    pub unit: Option<String>,
    #[oai(nullable)]
    pub min_value: Option<f64>,
    #[oai(nullable)]
    pub max_value: Option<f64>,
}

#[derive(Debug, Object)]
pub struct NewWorkOrderRequest {
    #[oai(rename = "type")]
    pub kind: WorkOrderType,
    /// Default `normal`.
    #[oai(nullable)]
    pub priority: Option<Priority>,
    pub equipment_id: Uuid,
    pub title: String,
    #[oai(nullable)]
    pub description: Option<String>,
    #[oai(nullable)]
    pub due_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub estimated_minutes: Option<i32>,
    /// Technicians to assign now.
    #[oai(nullable)]
    pub assignee_ids: Option<Vec<Uuid>>,
    #[oai(nullable)]
    pub checklist: Option<Vec<NewChecklistItem>>,
    /// Production stopped since then: completion proposes the end of the stop.
    #[oai(nullable)]
    pub downtime_start: Option<DateTime<Utc>>,
}

#[derive(Debug, Object)]
pub struct WorkOrderUpdate {
    pub title: Option<String>,
    #[oai(nullable)]
    pub description: MaybeUndefined<String>,
    pub priority: Option<Priority>,
    #[oai(rename = "type")]
    pub kind: Option<WorkOrderType>,
    /// Rescheduling is recorded in the order's timeline.
    #[oai(nullable)]
    pub due_at: MaybeUndefined<DateTime<Utc>>,
    #[oai(nullable)]
    pub estimated_minutes: MaybeUndefined<i32>,
}

#[derive(Debug, Object)]
pub struct AssignRequest {
    /// Replaces the assignees; at least one.
    pub assignee_ids: Vec<Uuid>,
}

#[derive(Debug, Object)]
pub struct ReasonRequest {
    pub reason: String,
}

#[derive(Debug, Object)]
pub struct CompleteRequest {
    /// What was done.
    pub work_performed: String,
    #[oai(nullable)]
    pub failure_problem_id: Option<Uuid>,
    #[oai(nullable)]
    pub failure_cause_id: Option<Uuid>,
    #[oai(nullable)]
    pub failure_remedy_id: Option<Uuid>,
    #[oai(nullable)]
    pub root_cause: Option<String>,
    /// Production downtime, in minutes, or as its start and end. When the order knows when
    /// production stopped (a stopping request), the stop ends now unless an end or minutes are
    /// given; `0` minutes alone says production did not stop after all.
    #[oai(nullable)]
    pub downtime_minutes: Option<i32>,
    #[oai(nullable)]
    pub downtime_start: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub downtime_end: Option<DateTime<Utc>>,
}

#[derive(Debug, Object)]
pub struct ChecklistItem {
    pub id: Uuid,
    pub position: i32,
    pub label: String,
    pub kind: ChecklistKind,
    pub required: bool,
    #[oai(nullable)]
    pub unit: Option<String>,
    #[oai(nullable)]
    pub min_value: Option<f64>,
    #[oai(nullable)]
    pub max_value: Option<f64>,
    #[oai(nullable)]
    pub checked: Option<bool>,
    #[oai(nullable)]
    pub passed: Option<bool>,
    #[oai(nullable)]
    pub number_value: Option<f64>,
    #[oai(nullable)]
    pub text_value: Option<String>,
    /// A number outside `[min_value, max_value]`.
    pub out_of_range: bool,
    #[oai(nullable)]
    pub completed_by: Option<Uuid>,
    #[oai(nullable)]
    pub completed_by_name: Option<String>,
    #[oai(nullable)]
    pub completed_at: Option<DateTime<Utc>>,
}

impl From<work_orders::ChecklistItem> for ChecklistItem {
    fn from(c: work_orders::ChecklistItem) -> Self {
        ChecklistItem {
            out_of_range: c.out_of_range(),
            id: c.id,
            position: c.position,
            label: c.label,
            kind: ChecklistKind::stored(&c.kind),
            required: c.required,
            unit: c.unit,
            min_value: c.min_value,
            max_value: c.max_value,
            checked: c.checked,
            passed: c.passed,
            number_value: c.number_value,
            text_value: c.text_value,
            completed_by: c.completed_by,
            completed_by_name: c.completed_by_name,
            completed_at: c.completed_at,
        }
    }
}

/// The answer to a checklist item: the field of its kind, or `clear` to undo it.
#[derive(Debug, Object)]
pub struct ChecklistAnswer {
    #[oai(nullable)]
    pub checked: Option<bool>,
    #[oai(nullable)]
    pub passed: Option<bool>,
    #[oai(nullable)]
    pub number_value: Option<f64>,
    #[oai(nullable)]
    pub text_value: Option<String>,
    #[oai(nullable)]
    pub clear: Option<bool>,
}

#[derive(Debug, Object)]
pub struct TimeEntry {
    pub id: Uuid,
    pub user_id: Uuid,
    #[oai(nullable)]
    pub user_name: Option<String>,
    pub minutes: i32,
    #[oai(nullable)]
    pub started_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub ended_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<work_orders::TimeEntry> for TimeEntry {
    fn from(t: work_orders::TimeEntry) -> Self {
        TimeEntry {
            id: t.id,
            user_id: t.user_id,
            user_name: t.user_name,
            minutes: t.minutes,
            started_at: t.started_at,
            ended_at: t.ended_at,
            note: t.note,
            created_at: t.created_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct NewTimeEntryRequest {
    /// Minutes spent, or the start and end of the work.
    #[oai(nullable)]
    pub minutes: Option<i32>,
    #[oai(nullable)]
    pub started_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub ended_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub note: Option<String>,
    /// Log for someone else (planners only); default the caller.
    #[oai(nullable)]
    pub user_id: Option<Uuid>,
}

#[derive(Debug, Object)]
pub struct Comment {
    pub id: Uuid,
    pub author_id: Uuid,
    #[oai(nullable)]
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Object)]
pub struct NewComment {
    pub body: String,
}

/// One step of an order's timeline.
#[derive(Debug, Object)]
pub struct Event {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    #[oai(nullable)]
    pub actor_id: Option<Uuid>,
    #[oai(nullable)]
    pub actor_name: Option<String>,
    /// `created`, `assigned`, `rescheduled`, or an action (`start`, `hold`, `complete`…).
    pub kind: String,
    #[oai(nullable)]
    pub from_status: Option<WorkOrderStatus>,
    #[oai(nullable)]
    pub to_status: Option<WorkOrderStatus>,
    #[oai(nullable)]
    pub reason: Option<String>,
    /// What the step changed: `{before, after}` for `rescheduled`; `assignee_ids` and
    /// `assignees: [{id, full_name}]` for `assigned`; `origin` for `created`.
    pub details: Value,
}

page_of!(
    ChecklistList,
    ChecklistItem,
    "The checklist of a work order, in order."
);
page_of!(TimeEntryList, TimeEntry, "Time logged on a work order.");
page_of!(
    CommentList,
    Comment,
    "Comments on a work order, oldest first."
);
page_of!(
    EventList,
    Event,
    "The timeline of a work order, oldest first."
);

pub(crate) fn checklist_input(
    errors: &mut FieldErrors,
    index: usize,
    item: &NewChecklistItem,
) -> Option<ChecklistItemInput> {
    let field = format!("checklist[{index}]");
    let label = errors.check(&field, text::name(&item.label, 300))?;
    let unit = errors.check(&field, text::optional_text(item.unit.as_deref(), 20))?;
    if let (Some(min), Some(max)) = (item.min_value, item.max_value)
        && min > max
    {
        errors.add(&field, FieldError::new("invalid_bounds"));
        return None;
    }
    Some(ChecklistItemInput {
        label,
        kind: item.kind.as_str().to_owned(),
        required: item.required.unwrap_or(false),
        unit,
        min_value: item.min_value,
        max_value: item.max_value,
    })
}

pub(crate) fn estimated(errors: &mut FieldErrors, minutes: Option<i32>) -> Option<i32> {
    match minutes {
        Some(m) if !(1..=100_000).contains(&m) => {
            errors.add(
                "estimated_minutes",
                FieldError::new("out_of_range")
                    .with("min", 1)
                    .with("max", 100_000),
            );
            None
        }
        other => other,
    }
}

/// The order when visible to the caller.
pub(crate) async fn visible(ctx: &mut Ctx, id: Uuid) -> ApiResult<work_orders::WorkOrder> {
    let scope = ctx.principal.site_scope.clone();
    Ok(work_orders::get(&mut ctx.tx, scope.as_deref(), id).await?)
}

/// The order, locked, when the caller may carry out work on it (assigned, or a planner).
pub(crate) async fn workable(ctx: &mut Ctx, id: Uuid) -> ApiResult<work_orders::WorkOrder> {
    ctx.require(Permission::WorkOrdersExecute)?;
    let scope = ctx.principal.site_scope.clone();
    let order = work_orders::get_for_update(&mut ctx.tx, scope.as_deref(), id).await?;
    if !order.is_assigned_to(ctx.principal.user_id)
        && !ctx.principal.can(Permission::WorkOrdersManage)
    {
        return Err(ApiError::forbidden("not_assigned"));
    }
    Ok(order)
}

/// Takes a state-machine action after the permission and assignment checks.
async fn act(
    ctx: &mut Ctx,
    id: Uuid,
    action: WorkOrderAction,
    input: TransitionInput,
) -> ApiResult<WorkOrder> {
    ctx.require(action.permission())?;
    let scope = ctx.principal.site_scope.clone();
    let order = work_orders::get_for_update(&mut ctx.tx, scope.as_deref(), id).await?;
    if !may(ctx, &order, action) {
        return Err(ApiError::forbidden("not_assigned"));
    }
    let after = work_orders::apply(&mut ctx.tx, scope.as_deref(), id, action, input).await?;
    Ok(describe(ctx, after))
}

fn reason(raw: &str) -> ApiResult<String> {
    text::name(raw, 1000).map_err(|e| ApiError::field("reason", e))
}

/// The columns of a work-order export, in order (stable: integrations read them by name).
const EXPORT_COLUMNS: &[&str] = &[
    "id",
    "number",
    "type",
    "status",
    "priority",
    "origin",
    "title",
    "equipment_code",
    "equipment_name",
    "site",
    "plan",
    "problem_code",
    "cause_code",
    "remedy_code",
    "created_at",
    "started_at",
    "completed_at",
    "closed_at",
    "cancelled_at",
    "due_at",
    "downtime_start",
    "downtime_end",
    "downtime_minutes",
    "estimated_minutes",
    "logged_minutes",
];

fn read_batch<'a>(
    tx: &'a mut gmao_db::TenantTx,
    (filter, scope): &'a (WorkOrderFilter, Option<Vec<Uuid>>),
    after: Option<exports::Cursor>,
) -> futures::future::BoxFuture<'a, gmao_db::Result<Vec<work_orders::ExportRow>>> {
    Box::pin(work_orders::export_batch(
        tx,
        scope.as_deref(),
        filter,
        after,
        exports::BATCH,
    ))
}

fn export_row(w: work_orders::ExportRow) -> Vec<Cell> {
    vec![
        Cell::Text(w.id.to_string()),
        w.number.into(),
        w.kind.into(),
        w.status.into(),
        w.priority.into(),
        w.origin.into(),
        w.title.into(),
        w.equipment_code.into(),
        w.equipment_name.into(),
        w.site_name.into(),
        w.plan_title.into(),
        w.problem_code.into(),
        w.cause_code.into(),
        w.remedy_code.into(),
        w.created_at.into(),
        w.started_at.into(),
        w.completed_at.into(),
        w.closed_at.into(),
        w.cancelled_at.into(),
        w.due_at.into(),
        w.downtime_start.into(),
        w.downtime_end.into(),
        w.downtime_minutes.into(),
        w.estimated_minutes.into(),
        w.logged_minutes.into(),
    ]
}

/// The list's query parameters, as sent.
struct ListParams {
    status: Option<String>,
    kind: Option<WorkOrderType>,
    priority: Option<Priority>,
    origin: Option<WorkOrderOrigin>,
    site_id: Option<Uuid>,
    equipment_id: Option<Uuid>,
    assignee_id: Option<Uuid>,
    mine: Option<bool>,
    pm_plan_id: Option<Uuid>,
    overdue: Option<bool>,
    due_from: Option<DateTime<Utc>>,
    due_to: Option<DateTime<Utc>>,
    created_from: Option<DateTime<Utc>>,
    created_to: Option<DateTime<Utc>>,
    q: Option<String>,
    sort: Option<String>,
}

/// The filter of the list and of its export (400 `invalid_parameter` for an unknown status).
fn list_filter(ctx: &Ctx, p: ListParams) -> ApiResult<WorkOrderFilter> {
    let statuses = match search(p.status) {
        None => None,
        Some(raw) => {
            let mut list = Vec::new();
            for part in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let parsed =
                    gmao_domain::work_order::WorkOrderStatus::parse(part).ok_or_else(|| {
                        ApiError::bad_request("invalid_parameter")
                            .with_details(serde_json::json!({"parameter": "status", "value": part}))
                    })?;
                list.push(parsed.as_str().to_owned());
            }
            Some(list)
        }
    };
    let assignee = if p.mine.unwrap_or(false) {
        Some(ctx.principal.user_id)
    } else {
        p.assignee_id
    };
    Ok(WorkOrderFilter {
        statuses,
        kind: p.kind.map(|k| k.as_str().to_owned()),
        priority: p.priority.map(|p| p.as_str().to_owned()),
        origin: p.origin.map(|o| o.as_str().to_owned()),
        site_id: p.site_id,
        equipment_id: p.equipment_id,
        assignee_id: assignee,
        pm_plan_id: p.pm_plan_id,
        overdue: p.overdue,
        due_from: p.due_from,
        due_to: p.due_to,
        created_from: p.created_from,
        created_to: p.created_to,
        q: search(p.q),
        sort: Some(sort_param(
            p.sort.as_deref(),
            work_orders::SORT_KEYS,
            Sort {
                key: "created_at",
                descending: true,
            },
        )?),
    })
}

#[OpenApi(prefix_path = "/work-orders", tag = "ApiTags::WorkOrders")]
impl WorkOrdersApi {
    /// List work orders
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        /// One or several statuses, comma-separated (`open,assigned`).
        status: Query<Option<String>>,
        #[oai(name = "type")] kind: Query<Option<WorkOrderType>>,
        priority: Query<Option<Priority>>,
        origin: Query<Option<WorkOrderOrigin>>,
        site_id: Query<Option<Uuid>>,
        equipment_id: Query<Option<Uuid>>,
        assignee_id: Query<Option<Uuid>>,
        /// Only the orders assigned to the caller ("my work").
        mine: Query<Option<bool>>,
        pm_plan_id: Query<Option<Uuid>>,
        overdue: Query<Option<bool>>,
        due_from: Query<Option<DateTime<Utc>>>,
        due_to: Query<Option<DateTime<Utc>>>,
        created_from: Query<Option<DateTime<Utc>>>,
        created_to: Query<Option<DateTime<Utc>>>,
        /// Searches number, title and equipment.
        q: Query<Option<String>>,
        /// `number`, `due_at`, `priority`, `status`, `created_at` or `updated_at`; `-` for descending. Default `-created_at`.
        sort: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<WorkOrderPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let filter = list_filter(
            &ctx,
            ListParams {
                status: status.0,
                kind: kind.0,
                priority: priority.0,
                origin: origin.0,
                site_id: site_id.0,
                equipment_id: equipment_id.0,
                assignee_id: assignee_id.0,
                mine: mine.0,
                pm_plan_id: pm_plan_id.0,
                overdue: overdue.0,
                due_from: due_from.0,
                due_to: due_to.0,
                created_from: created_from.0,
                created_to: created_to.0,
                q: q.0,
                sort: sort.0,
            },
        )?;
        let scope = ctx.principal.site_scope.clone();
        let page = work_orders::list(
            &mut ctx.tx,
            scope.as_deref(),
            &filter,
            page_request(page.0, per_page.0),
        )
        .await?;
        let page = WorkOrderPage::from_page(page, |w| describe(&ctx, w));
        ctx.commit().await?;
        Ok(Json(page))
    }

    /// Export work orders
    ///
    /// Every order of the list's filters (not only a page), oldest first, as CSV or XLSX,
    /// streamed in constant memory: ids, number, type, status, priority, origin, title,
    /// equipment, site, plan, failure codes, created, started, completed, closed, cancelled,
    /// due, downtime start, end and minutes, estimated and logged minutes; instants in
    /// RFC 3339 (UTC). Text a spreadsheet would run as a formula starts with `'`.
    #[oai(path = "/export", method = "get")]
    async fn export(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        format: Query<ListFormat>,
        /// One or several statuses, comma-separated (`open,assigned`).
        status: Query<Option<String>>,
        #[oai(name = "type")] kind: Query<Option<WorkOrderType>>,
        priority: Query<Option<Priority>>,
        origin: Query<Option<WorkOrderOrigin>>,
        site_id: Query<Option<Uuid>>,
        equipment_id: Query<Option<Uuid>>,
        assignee_id: Query<Option<Uuid>>,
        /// Only the orders assigned to the caller.
        mine: Query<Option<bool>>,
        pm_plan_id: Query<Option<Uuid>>,
        overdue: Query<Option<bool>>,
        due_from: Query<Option<DateTime<Utc>>>,
        due_to: Query<Option<DateTime<Utc>>>,
        created_from: Query<Option<DateTime<Utc>>>,
        created_to: Query<Option<DateTime<Utc>>>,
        /// Searches number, title and equipment.
        q: Query<Option<String>>,
    ) -> ApiResult<poem_openapi::payload::Response<poem_openapi::payload::Binary<poem::Body>>> {
        let ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let filter = list_filter(
            &ctx,
            ListParams {
                status: status.0,
                kind: kind.0,
                priority: priority.0,
                origin: origin.0,
                site_id: site_id.0,
                equipment_id: equipment_id.0,
                assignee_id: assignee_id.0,
                mine: mine.0,
                pm_plan_id: pm_plan_id.0,
                overdue: overdue.0,
                due_from: due_from.0,
                due_to: due_to.0,
                created_from: created_from.0,
                created_to: created_to.0,
                q: q.0,
                sort: None,
            },
        )?;
        let tenant = ctx.tx.tenant_id();
        let actor = gmao_db::Actor::user(ctx.principal.user_id, None);
        let scope = ctx.principal.site_scope.clone();
        ctx.commit().await?;
        let fetch = exports::fetcher(
            state.pool.clone(),
            tenant,
            actor,
            (filter, scope),
            read_batch,
            |r| (r.created_at, r.id),
            export_row,
        );
        exports::respond_with(
            &state,
            exports::Export {
                file_stem: "work-orders",
                sheet: "Work orders",
                columns: EXPORT_COLUMNS,
                fetch,
            },
            format.0,
        )
        .await
    }

    /// Create a work order
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<NewWorkOrderRequest>,
    ) -> ApiResult<Created<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersManage)?;
        let b = body.0;
        let mut errors = FieldErrors::new();
        let title = errors.check("title", text::name(&b.title, 200));
        let description = errors
            .check(
                "description",
                text::optional_text(b.description.as_deref(), 5000),
            )
            .flatten();
        let estimated_minutes = estimated(&mut errors, b.estimated_minutes);
        let checklist: Vec<ChecklistItemInput> = b
            .checklist
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter_map(|(i, item)| checklist_input(&mut errors, i, item))
            .collect();
        if b.downtime_start
            .is_some_and(|start| start > Utc::now() + chrono::Duration::minutes(5))
        {
            errors.add("downtime_start", FieldError::new("in_future"));
        }
        let scope = ctx.principal.site_scope.clone();
        let equipment = match equipment::get(&mut ctx.tx, scope.as_deref(), b.equipment_id).await {
            Ok(e) if e.archived_at.is_none() => Some(e),
            Ok(_) | Err(gmao_db::Error::NotFound) => {
                errors.add("equipment_id", FieldError::new("unknown_equipment"));
                None
            }
            Err(other) => return Err(other.into()),
        };
        errors.clone().into_result()?;
        let (Some(title), Some(equipment)) = (title, equipment) else {
            return Err(ApiError::fields(&errors));
        };
        let order = work_orders::create(
            &mut ctx.tx,
            NewWorkOrder {
                kind: b.kind.into(),
                priority: b.priority.unwrap_or(Priority::Normal).as_str().to_owned(),
                equipment_id: equipment.id,
                site_id: equipment.site_id,
                title,
                description,
                due_at: b.due_at,
                estimated_minutes,
                origin: domain::WorkOrderOrigin::Manual.as_str().to_owned(),
                work_request_id: None,
                pm_plan_id: None,
                assignee_ids: b.assignee_ids.unwrap_or_default(),
                checklist,
                downtime_start: b.downtime_start,
                follow_up_of: None,
            },
        )
        .await?;
        let order = describe(&ctx, order);
        ctx.commit().await?;
        Ok(Created::Created(Json(order)))
    }

    /// Get a work order
    #[oai(path = "/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let order = visible(&mut ctx, id.0).await?;
        let order = describe(&ctx, order);
        ctx.commit().await?;
        Ok(Json(order))
    }

    /// Change or reschedule a work order
    ///
    /// A new `due_at` is recorded in the timeline. Refused once closed or cancelled (409
    /// `work_order_finished`).
    #[oai(path = "/:id", method = "patch")]
    async fn update(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<WorkOrderUpdate>,
    ) -> ApiResult<Json<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersManage)?;
        let b = body.0;
        let mut errors = FieldErrors::new();
        let title = b
            .title
            .as_deref()
            .and_then(|t| errors.check("title", text::name(t, 200)));
        let description = match b.description {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(d) => {
                errors.check("description", text::optional_text(Some(&d), 5000))
            }
        };
        let estimated_minutes = match b.estimated_minutes {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(m) => Some(estimated(&mut errors, Some(m))),
        };
        errors.into_result()?;
        let scope = ctx.principal.site_scope.clone();
        let order = work_orders::update(
            &mut ctx.tx,
            scope.as_deref(),
            id.0,
            WorkOrderPatch {
                title,
                description,
                priority: b.priority.map(|p| p.as_str().to_owned()),
                kind: b.kind.map(Into::into),
                due_at: match b.due_at {
                    MaybeUndefined::Undefined => None,
                    MaybeUndefined::Null => Some(None),
                    MaybeUndefined::Value(d) => Some(Some(d)),
                },
                estimated_minutes,
            },
        )
        .await?;
        let order = describe(&ctx, order);
        ctx.commit().await?;
        Ok(Json(order))
    }

    /// Assign (or re-assign) technicians
    #[oai(path = "/:id/assign", method = "post")]
    async fn assign(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<AssignRequest>,
    ) -> ApiResult<Json<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let input = TransitionInput {
            assignee_ids: Some(body.0.assignee_ids),
            ..Default::default()
        };
        let order = act(&mut ctx, id.0, WorkOrderAction::Assign, input).await?;
        ctx.commit().await?;
        Ok(Json(order))
    }

    /// Start the work (assignees)
    #[oai(path = "/:id/start", method = "post")]
    async fn start(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let order = act(
            &mut ctx,
            id.0,
            WorkOrderAction::Start,
            TransitionInput::default(),
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(order))
    }

    /// Put the work on hold, saying why (waiting for parts, for production…)
    #[oai(path = "/:id/hold", method = "post")]
    async fn hold(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<ReasonRequest>,
    ) -> ApiResult<Json<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let input = TransitionInput {
            reason: Some(reason(&body.reason)?),
            ..Default::default()
        };
        let order = act(&mut ctx, id.0, WorkOrderAction::Hold, input).await?;
        ctx.commit().await?;
        Ok(Json(order))
    }

    /// Resume work on hold
    #[oai(path = "/:id/resume", method = "post")]
    async fn resume(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let order = act(
            &mut ctx,
            id.0,
            WorkOrderAction::Resume,
            TransitionInput::default(),
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(order))
    }

    /// Complete the work, with its report
    ///
    /// Refused while required checklist items are unanswered (409 `checklist_incomplete`,
    /// listing them). Completing the last open corrective order of broken equipment makes it
    /// `active` again.
    #[oai(path = "/:id/complete", method = "post")]
    async fn complete(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<CompleteRequest>,
    ) -> ApiResult<Json<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let b = body.0;
        let mut errors = FieldErrors::new();
        let work_performed = errors.check("work_performed", text::name(&b.work_performed, 5000));
        let root_cause = errors
            .check(
                "root_cause",
                text::optional_text(b.root_cause.as_deref(), 2000),
            )
            .flatten();
        if let Some(minutes) = b.downtime_minutes
            && !(0..=1_000_000).contains(&minutes)
        {
            errors.add(
                "downtime_minutes",
                FieldError::new("out_of_range")
                    .with("min", 0)
                    .with("max", 1_000_000),
            );
        }
        errors.clone().into_result()?;
        let Some(work_performed) = work_performed else {
            return Err(ApiError::fields(&errors));
        };
        let input = TransitionInput {
            completion: Some(Completion {
                work_performed,
                failure_problem_id: b.failure_problem_id,
                failure_cause_id: b.failure_cause_id,
                failure_remedy_id: b.failure_remedy_id,
                root_cause,
                downtime_minutes: b.downtime_minutes,
                downtime_start: b.downtime_start,
                downtime_end: b.downtime_end,
            }),
            ..Default::default()
        };
        let order = act(&mut ctx, id.0, WorkOrderAction::Complete, input).await?;
        ctx.commit().await?;
        Ok(Json(order))
    }

    /// Send completed work back to in progress, saying why (supervisors)
    #[oai(path = "/:id/reopen", method = "post")]
    async fn reopen(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<ReasonRequest>,
    ) -> ApiResult<Json<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let input = TransitionInput {
            reason: Some(reason(&body.reason)?),
            ..Default::default()
        };
        let order = act(&mut ctx, id.0, WorkOrderAction::Reopen, input).await?;
        ctx.commit().await?;
        Ok(Json(order))
    }

    /// Validate completed work (supervisors): the order is closed
    #[oai(path = "/:id/close", method = "post")]
    async fn close(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let order = act(
            &mut ctx,
            id.0,
            WorkOrderAction::Close,
            TransitionInput::default(),
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(order))
    }

    /// Cancel work not yet completed, saying why
    #[oai(path = "/:id/cancel", method = "post")]
    async fn cancel(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<ReasonRequest>,
    ) -> ApiResult<Json<WorkOrder>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let input = TransitionInput {
            reason: Some(reason(&body.reason)?),
            ..Default::default()
        };
        let order = act(&mut ctx, id.0, WorkOrderAction::Cancel, input).await?;
        ctx.commit().await?;
        Ok(Json(order))
    }

    /// The checklist of a work order
    #[oai(path = "/:id/checklist", method = "get")]
    async fn checklist(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ChecklistList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let order = visible(&mut ctx, id.0).await?;
        let items = work_orders::checklist(&mut ctx.tx, order.id).await?;
        ctx.commit().await?;
        Ok(Json(ChecklistList::all(
            items.into_iter().map(ChecklistItem::from).collect(),
        )))
    }

    /// Add a checklist item (planners)
    #[oai(path = "/:id/checklist", method = "post")]
    async fn add_checklist_item(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<NewChecklistItem>,
    ) -> ApiResult<Created<ChecklistItem>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersManage)?;
        let mut errors = FieldErrors::new();
        let input = checklist_input(&mut errors, 0, &body.0);
        errors.clone().into_result()?;
        let Some(input) = input else {
            return Err(ApiError::fields(&errors));
        };
        let scope = ctx.principal.site_scope.clone();
        let order = work_orders::get_for_update(&mut ctx.tx, scope.as_deref(), id.0).await?;
        let item = work_orders::add_checklist_item(&mut ctx.tx, &order, input).await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(item.into())))
    }

    /// Answer a checklist item (assignees, while the work is under way)
    #[oai(path = "/:id/checklist/:item_id", method = "patch")]
    async fn answer(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        item_id: Path<Uuid>,
        body: Json<ChecklistAnswer>,
    ) -> ApiResult<Json<ChecklistItem>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let order = workable(&mut ctx, id.0).await?;
        let b = body.0;
        let item = work_orders::answer_checklist_item(
            &mut ctx.tx,
            &order,
            item_id.0,
            Answer {
                checked: b.checked,
                passed: b.passed,
                number_value: b.number_value,
                text_value: b.text_value,
                clear: b.clear.unwrap_or(false),
            },
        )
        .await?;
        ctx.commit().await?;
        Ok(Json(item.into()))
    }

    /// Remove a checklist item (planners)
    #[oai(path = "/:id/checklist/:item_id", method = "delete")]
    async fn remove_checklist_item(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        item_id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersManage)?;
        let scope = ctx.principal.site_scope.clone();
        let order = work_orders::get_for_update(&mut ctx.tx, scope.as_deref(), id.0).await?;
        work_orders::remove_checklist_item(&mut ctx.tx, &order, item_id.0).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }

    /// Time logged on a work order
    #[oai(path = "/:id/time-entries", method = "get")]
    async fn time_entries(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<TimeEntryList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let order = visible(&mut ctx, id.0).await?;
        let entries = work_orders::time_entries(&mut ctx.tx, order.id).await?;
        ctx.commit().await?;
        Ok(Json(TimeEntryList::all(
            entries.into_iter().map(TimeEntry::from).collect(),
        )))
    }

    /// Log time on a work order
    #[oai(path = "/:id/time-entries", method = "post")]
    async fn add_time(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<NewTimeEntryRequest>,
    ) -> ApiResult<Created<TimeEntry>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let order = workable(&mut ctx, id.0).await?;
        let b = body.0;
        let user_id = match b.user_id {
            Some(other) if other != ctx.principal.user_id => {
                ctx.require(Permission::WorkOrdersManage)?;
                other
            }
            _ => ctx.principal.user_id,
        };
        let mut errors = FieldErrors::new();
        let note = errors
            .check("note", text::optional_text(b.note.as_deref(), 1000))
            .flatten();
        let minutes = match (b.minutes, b.started_at, b.ended_at) {
            (Some(m), _, _) if (1..=24 * 60).contains(&m) => Some(m),
            (Some(_), _, _) => {
                errors.add(
                    "minutes",
                    FieldError::new("out_of_range")
                        .with("min", 1)
                        .with("max", 24 * 60),
                );
                None
            }
            (None, Some(start), Some(end))
                if end > start && (end - start).num_minutes() <= 24 * 60 =>
            {
                Some(i32::try_from((end - start).num_minutes().max(1)).unwrap_or(1))
            }
            (None, Some(_), Some(_)) => {
                errors.add("ended_at", FieldError::new("invalid_period"));
                None
            }
            _ => {
                errors.add("minutes", FieldError::new("required"));
                None
            }
        };
        errors.clone().into_result()?;
        let Some(minutes) = minutes else {
            return Err(ApiError::fields(&errors));
        };
        let entry = work_orders::add_time(
            &mut ctx.tx,
            &order,
            NewTimeEntry {
                user_id,
                minutes,
                started_at: b.started_at,
                ended_at: b.ended_at,
                note,
            },
        )
        .await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(entry.into())))
    }

    /// Remove a time entry (its author, or a planner)
    #[oai(path = "/:id/time-entries/:entry_id", method = "delete")]
    async fn remove_time(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        entry_id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let order = workable(&mut ctx, id.0).await?;
        let only =
            (!ctx.principal.can(Permission::WorkOrdersManage)).then_some(ctx.principal.user_id);
        work_orders::remove_time(&mut ctx.tx, &order, entry_id.0, only).await?;
        ctx.commit().await?;
        Ok(NoContent::NoContent)
    }

    /// Comments on a work order
    #[oai(path = "/:id/comments", method = "get")]
    async fn comments(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<CommentList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let order = visible(&mut ctx, id.0).await?;
        let list = work_orders::comments(&mut ctx.tx, order.id).await?;
        ctx.commit().await?;
        Ok(Json(CommentList::all(
            list.into_iter()
                .map(|c| Comment {
                    id: c.id,
                    author_id: c.author_id,
                    author_name: c.author_name,
                    body: c.body,
                    created_at: c.created_at,
                })
                .collect(),
        )))
    }

    /// Comment on a work order
    #[oai(path = "/:id/comments", method = "post")]
    async fn add_comment(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<NewComment>,
    ) -> ApiResult<Created<Comment>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersComment)?;
        ctx.require(Permission::WorkOrdersRead)?;
        let text = text::name(&body.body, 5000).map_err(|e| ApiError::field("body", e))?;
        let order = visible(&mut ctx, id.0).await?;
        let user_id = ctx.principal.user_id;
        let c = work_orders::add_comment(&mut ctx.tx, &order, user_id, &text).await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(Comment {
            id: c.id,
            author_id: c.author_id,
            author_name: c.author_name,
            body: c.body,
            created_at: c.created_at,
        })))
    }

    /// The timeline of a work order, oldest first
    #[oai(path = "/:id/events", method = "get")]
    async fn events(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<EventList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let order = visible(&mut ctx, id.0).await?;
        let list = work_orders::events(&mut ctx.tx, order.id).await?;
        ctx.commit().await?;
        Ok(Json(EventList::all(
            list.into_iter()
                .map(|e| Event {
                    id: e.id,
                    at: e.at,
                    actor_id: e.actor_id,
                    actor_name: e.actor_name,
                    kind: e.kind,
                    from_status: e.from_status.as_deref().map(WorkOrderStatus::stored),
                    to_status: e.to_status.as_deref().map(WorkOrderStatus::stored),
                    reason: e.reason,
                    details: e.details,
                })
                .collect(),
        )))
    }

    /// Photos and documents of a work order
    #[oai(path = "/:id/attachments", method = "get")]
    async fn attachments(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<AttachmentList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let order = visible(&mut ctx, id.0).await?;
        let list = gmao_db::attachments::list(&mut ctx.tx, Owner::WorkOrder, order.id).await?;
        ctx.commit().await?;
        let base = format!("/work-orders/{}", order.id);
        Ok(Json(AttachmentList::all(
            list.into_iter().map(|a| files::info(a, &base)).collect(),
        )))
    }

    /// Attach a photo or document to a work order (assignees, planners)
    #[oai(path = "/:id/attachments", method = "post")]
    async fn attach(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: UploadBody,
    ) -> ApiResult<Created<AttachmentInfo>> {
        // Who may attach is settled before the file is read; the order is not kept locked
        // while it travels, and is checked again when the file is recorded.
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        workable(&mut ctx, id.0).await?;
        let tenant = ctx.principal.tenant_id.0;
        ctx.commit().await?;
        let file = files::receive(&state, tenant, body).await?;
        let saved = async {
            let mut ctx = Ctx::open(&state, &auth, req).await?;
            let order = workable(&mut ctx, id.0).await?;
            let attachment = files::record(&mut ctx.tx, Owner::WorkOrder, order.id, &file).await?;
            ctx.commit().await?;
            Ok(attachment)
        }
        .await;
        let attachment = files::kept(&state, file, saved).await?;
        Ok(Created::Created(Json(files::info(
            attachment,
            &format!("/work-orders/{}", id.0),
        ))))
    }

    /// Download a photo or document of a work order
    #[oai(path = "/:id/attachments/:attachment_id", method = "get")]
    async fn download(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        attachment_id: Path<Uuid>,
    ) -> ApiResult<Response<Binary<Vec<u8>>>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let order = visible(&mut ctx, id.0).await?;
        let attachment = files::find(&mut ctx, Owner::WorkOrder, order.id, attachment_id.0).await?;
        ctx.commit().await?;
        files::send(&state, attachment).await
    }

    /// Remove a photo or document of a work order
    #[oai(path = "/:id/attachments/:attachment_id", method = "delete")]
    async fn detach(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        attachment_id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        let order = workable(&mut ctx, id.0).await?;
        let key = files::remove(&mut ctx, Owner::WorkOrder, order.id, attachment_id.0).await?;
        ctx.commit().await?;
        files::forget(&state, key).await;
        Ok(NoContent::NoContent)
    }
}
