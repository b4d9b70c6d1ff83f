//! Work orders (bons de travail): creation, planning, the state machine's transitions with their
//! side effects, checklists, time, comments and the timeline.

use chrono::{DateTime, Utc};
use gmao_domain::FieldError;
use gmao_domain::downtime::{self, Downtime, DowntimeError};
use gmao_domain::maintenance::WorkOrderType;
use gmao_domain::work_order::{self, WorkOrderAction, WorkOrderStatus};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::types::Json;
use uuid::Uuid;

use crate::equipment::{self, StatusCause};
use crate::list::{Counted, paged};
use crate::sites::{Scope, like_pattern};
use crate::{Error, Page, PageRequest, Result, Sort, TenantTx, audit, counters};

pub const SORT_KEYS: &[&str] = &[
    "number",
    "due_at",
    "priority",
    "status",
    "created_at",
    "updated_at",
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Person {
    pub id: Uuid,
    pub full_name: String,
}

/// Another order, named: the one this follows up, or one following it up.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OrderLink {
    pub id: Uuid,
    pub number: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct WorkOrder {
    pub id: Uuid,
    pub number: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub priority: String,
    pub status: String,
    pub equipment_id: Uuid,
    pub equipment_code: String,
    pub equipment_name: String,
    pub site_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub estimated_minutes: Option<i32>,
    pub origin: String,
    pub work_request_id: Option<Uuid>,
    pub work_request_number: Option<String>,
    pub pm_plan_id: Option<Uuid>,
    pub status_reason: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub work_performed: Option<String>,
    pub failure_problem_id: Option<Uuid>,
    pub failure_cause_id: Option<Uuid>,
    pub failure_remedy_id: Option<Uuid>,
    pub root_cause: Option<String>,
    pub downtime_minutes: Option<i32>,
    pub downtime_start: Option<DateTime<Utc>>,
    pub downtime_end: Option<DateTime<Utc>>,
    pub follow_up_of: Option<Json<OrderLink>>,
    pub follow_ups: Json<Vec<OrderLink>>,
    pub assignees: Json<Vec<Person>>,
    pub checklist_total: i64,
    pub checklist_done: i64,
    pub checklist_required_open: i64,
    pub time_spent_minutes: i64,
    pub overdue: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl WorkOrder {
    pub fn status(&self) -> WorkOrderStatus {
        WorkOrderStatus::parse(&self.status).unwrap_or(WorkOrderStatus::Open)
    }

    pub fn is_assigned_to(&self, user_id: Uuid) -> bool {
        self.assignees.0.iter().any(|p| p.id == user_id)
    }
}

pub(crate) const SELECT: &str = "SELECT w.id, w.number, w.type, w.priority, w.status, w.equipment_id,
        e.code AS equipment_code, e.name AS equipment_name, w.site_id, w.title, w.description,
        w.due_at, w.estimated_minutes, w.origin, w.work_request_id, r.number AS work_request_number,
        w.pm_plan_id, w.status_reason, w.started_at, w.completed_at, w.closed_at, w.cancelled_at,
        w.work_performed, w.failure_problem_id, w.failure_cause_id, w.failure_remedy_id,
        w.root_cause, w.downtime_minutes, w.downtime_start, w.downtime_end,
        (SELECT jsonb_build_object('id', f.id, 'number', f.number, 'status', f.status)
           FROM work_orders f WHERE f.id = w.follow_up_of) AS follow_up_of,
        coalesce((SELECT jsonb_agg(jsonb_build_object('id', f.id, 'number', f.number, 'status', f.status)
                                   ORDER BY f.number)
                  FROM work_orders f WHERE f.follow_up_of = w.id), '[]'::jsonb) AS follow_ups,
        coalesce((SELECT jsonb_agg(jsonb_build_object('id', a.user_id, 'full_name', coalesce(u.full_name, '?'))
                                   ORDER BY u.full_name)
                  FROM work_order_assignees a LEFT JOIN public.users u ON u.id = a.user_id
                  WHERE a.work_order_id = w.id), '[]'::jsonb) AS assignees,
        (SELECT count(*) FROM checklist_items c WHERE c.work_order_id = w.id) AS checklist_total,
        (SELECT count(*) FROM checklist_items c WHERE c.work_order_id = w.id AND c.completed_at IS NOT NULL)
            AS checklist_done,
        (SELECT count(*) FROM checklist_items c
          WHERE c.work_order_id = w.id AND c.required AND c.completed_at IS NULL) AS checklist_required_open,
        coalesce((SELECT sum(t.minutes) FROM time_entries t WHERE t.work_order_id = w.id), 0)::bigint
            AS time_spent_minutes,
        (coalesce(w.due_at < now(), false) AND w.status IN ('open', 'assigned', 'in_progress', 'on_hold')) AS overdue,
        w.created_by, w.created_at, w.updated_at
    FROM work_orders w
    JOIN equipment e ON e.id = w.equipment_id
    LEFT JOIN work_requests r ON r.id = w.work_request_id";

/// The filters of [`WorkOrderFilter`] as `$1` (scope) to `$15` (search), over `w` (the order)
/// and `e` (its equipment); bound by [`bind_filter`].
const FILTERED: &str = "WHERE ($1::uuid[] IS NULL OR w.site_id = ANY($1))
                  AND ($2::text[] IS NULL OR w.status = ANY($2))
                  AND ($3::text IS NULL OR w.type = $3)
                  AND ($4::text IS NULL OR w.priority = $4)
                  AND ($5::text IS NULL OR w.origin = $5)
                  AND ($6::uuid IS NULL OR w.site_id = $6)
                  AND ($7::uuid IS NULL OR w.equipment_id = $7)
                  AND ($8::uuid IS NULL OR EXISTS (SELECT 1 FROM work_order_assignees a WHERE a.work_order_id = w.id AND a.user_id = $8))
                  AND ($9::uuid IS NULL OR w.pm_plan_id = $9)
                  AND ($10::boolean IS NULL OR (coalesce(w.due_at < now(), false) AND w.status IN ('open', 'assigned', 'in_progress', 'on_hold')) = $10)
                  AND ($11::timestamptz IS NULL OR w.due_at >= $11)
                  AND ($12::timestamptz IS NULL OR w.due_at < $12)
                  AND ($13::timestamptz IS NULL OR w.created_at >= $13)
                  AND ($14::timestamptz IS NULL OR w.created_at < $14)
                  AND ($15::text IS NULL OR w.number ILIKE $15 OR w.title ILIKE $15 OR e.code ILIKE $15 OR e.name ILIKE $15)";

type PgQueryAs<'q, T> = sqlx::query::QueryAs<'q, sqlx::Postgres, T, sqlx::postgres::PgArguments>;

/// Binds `$1` to `$15` of [`FILTERED`].
fn bind_filter<'q, T>(
    query: PgQueryAs<'q, T>,
    scope: Scope<'q>,
    filter: &'q WorkOrderFilter,
    pattern: &'q Option<String>,
) -> PgQueryAs<'q, T> {
    // Planned for the values given each time: with its `$n IS NULL OR …` clauses a generic
    // plan (which PostgreSQL switches a named statement to after five runs) expects one row,
    // and reads and sorts the whole table for every page and export batch.
    query
        .persistent(false)
        .bind(scope)
        .bind(&filter.statuses)
        .bind(&filter.kind)
        .bind(&filter.priority)
        .bind(&filter.origin)
        .bind(filter.site_id)
        .bind(filter.equipment_id)
        .bind(filter.assignee_id)
        .bind(filter.pm_plan_id)
        .bind(filter.overdue)
        .bind(filter.due_from)
        .bind(filter.due_to)
        .bind(filter.created_from)
        .bind(filter.created_to)
        .bind(pattern)
}

#[derive(Debug, Clone, Default)]
pub struct WorkOrderFilter {
    pub statuses: Option<Vec<String>>,
    pub kind: Option<String>,
    pub priority: Option<String>,
    pub origin: Option<String>,
    pub site_id: Option<Uuid>,
    pub equipment_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub pm_plan_id: Option<Uuid>,
    pub overdue: Option<bool>,
    pub due_from: Option<DateTime<Utc>>,
    pub due_to: Option<DateTime<Utc>>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    pub q: Option<String>,
    pub sort: Option<Sort>,
}

pub async fn list(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    filter: &WorkOrderFilter,
    page: PageRequest,
) -> Result<Page<WorkOrder>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    let sort = filter.sort.unwrap_or(Sort {
        key: "created_at",
        descending: true,
    });
    Ok(paged!(page, |limit, offset| {
        let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}
                {FILTERED}) x
             ORDER BY
                CASE WHEN $16 = 'number' AND NOT $17 THEN x.number END ASC,
                CASE WHEN $16 = 'number' AND $17 THEN x.number END DESC,
                CASE WHEN $16 = 'due_at' AND NOT $17 THEN x.due_at END ASC NULLS LAST,
                CASE WHEN $16 = 'due_at' AND $17 THEN x.due_at END DESC NULLS LAST,
                CASE WHEN $16 = 'priority' AND NOT $17 THEN array_position(ARRAY['low','normal','high','urgent'], x.priority) END ASC,
                CASE WHEN $16 = 'priority' AND $17 THEN array_position(ARRAY['low','normal','high','urgent'], x.priority) END DESC,
                CASE WHEN $16 = 'status' AND NOT $17 THEN array_position(ARRAY['open','assigned','in_progress','on_hold','completed','closed','cancelled'], x.status) END ASC,
                CASE WHEN $16 = 'status' AND $17 THEN array_position(ARRAY['open','assigned','in_progress','on_hold','completed','closed','cancelled'], x.status) END DESC,
                CASE WHEN $16 = 'created_at' AND NOT $17 THEN x.created_at END ASC,
                CASE WHEN $16 = 'created_at' AND $17 THEN x.created_at END DESC,
                CASE WHEN $16 = 'updated_at' AND NOT $17 THEN x.updated_at END ASC,
                CASE WHEN $16 = 'updated_at' AND $17 THEN x.updated_at END DESC,
                x.number DESC
             LIMIT $18 OFFSET $19"
        )));
        let rows: Vec<Counted<WorkOrder>> = bind_filter(query, scope, filter, &pattern)
            .bind(sort.key)
            .bind(sort.descending)
            .bind(limit)
            .bind(offset)
            .fetch_all(tx.conn())
            .await?;
        rows
    }))
}

/// One work order as an export writes it: every date, code and duration, no text but its
/// title.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportRow {
    pub id: Uuid,
    pub number: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub status: String,
    pub priority: String,
    pub origin: String,
    pub title: String,
    pub equipment_code: String,
    pub equipment_name: String,
    pub site_name: String,
    pub plan_title: Option<String>,
    pub problem_code: Option<String>,
    pub cause_code: Option<String>,
    pub remedy_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub downtime_start: Option<DateTime<Utc>>,
    pub downtime_end: Option<DateTime<Utc>>,
    pub downtime_minutes: Option<i32>,
    pub estimated_minutes: Option<i32>,
    pub logged_minutes: i64,
}

/// The next `limit` orders of the filter after `after` (creation instant, id), oldest first: an
/// export reads them batch by batch, each in a short transaction, so that a million orders are
/// never held at once.
pub async fn export_batch(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    filter: &WorkOrderFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<ExportRow>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT w.id, w.number, w.type, w.status, w.priority, w.origin, w.title,
                e.code AS equipment_code, e.name AS equipment_name, s.name AS site_name,
                p.title AS plan_title, fp.code AS problem_code, fc.code AS cause_code,
                fr.code AS remedy_code, w.created_at, w.started_at, w.completed_at, w.closed_at,
                w.cancelled_at, w.due_at, w.downtime_start, w.downtime_end, w.downtime_minutes,
                w.estimated_minutes,
                coalesce((SELECT sum(t.minutes) FROM time_entries t WHERE t.work_order_id = w.id), 0)::bigint
                    AS logged_minutes
         FROM work_orders w
         JOIN equipment e ON e.id = w.equipment_id
         JOIN sites s ON s.id = w.site_id
         LEFT JOIN pm_plans p ON p.id = w.pm_plan_id
         LEFT JOIN failure_codes fp ON fp.id = w.failure_problem_id
         LEFT JOIN failure_codes fc ON fc.id = w.failure_cause_id
         LEFT JOIN failure_codes fr ON fr.id = w.failure_remedy_id
         {FILTERED}
           AND ($16::timestamptz IS NULL OR (w.created_at, w.id) > ($16, $17::uuid))
         ORDER BY w.created_at, w.id
         LIMIT $18"
    )));
    Ok(bind_filter(query, scope, filter, &pattern)
        .bind(after.map(|a| a.0))
        .bind(after.map(|a| a.1))
        .bind(limit)
        .fetch_all(tx.conn())
        .await?)
}

pub async fn get(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<WorkOrder> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE w.id = $1 AND ($2::uuid[] IS NULL OR w.site_id = ANY($2))"
    )))
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

/// The order, locked until the transaction ends (transitions are serialised per order).
pub async fn get_for_update(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<WorkOrder> {
    sqlx::query("SELECT 1 FROM work_orders WHERE id = $1 AND ($2::uuid[] IS NULL OR site_id = ANY($2)) FOR UPDATE")
        .bind(id)
        .bind(scope)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)?;
    get(tx, scope, id).await
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistItemInput {
    pub label: String,
    pub kind: String,
    pub required: bool,
    pub unit: Option<String>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct NewWorkOrder {
    pub kind: WorkOrderType,
    pub priority: String,
    pub equipment_id: Uuid,
    pub site_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub estimated_minutes: Option<i32>,
    pub origin: String,
    pub work_request_id: Option<Uuid>,
    pub pm_plan_id: Option<Uuid>,
    pub assignee_ids: Vec<Uuid>,
    pub checklist: Vec<ChecklistItemInput>,
    /// Production stopped since then (the stopping request's time): completion ends the stop.
    pub downtime_start: Option<DateTime<Utc>>,
    /// The order whose findings this one follows up.
    pub follow_up_of: Option<Uuid>,
}

/// active, site-scoped, role key, stored permissions, sees the site.
type AssigneeRow = (bool, bool, Option<String>, Vec<String>, bool);

/// Checks that every assignee is an active member who may carry out work and sees the site.
pub async fn check_assignees(
    tx: &mut TenantTx,
    site_id: Uuid,
    assignee_ids: &[Uuid],
) -> Result<()> {
    check_workers(tx, site_id, assignee_ids, "assignee_ids").await
}

/// People who may do work on the site: active members of this company who execute work orders
/// and see the site; anyone else is refused on `field` (`invalid_assignee`).
async fn check_workers(
    tx: &mut TenantTx,
    site_id: Uuid,
    assignee_ids: &[Uuid],
    field: &str,
) -> Result<()> {
    for id in assignee_ids {
        let row: Option<AssigneeRow> = sqlx::query_as(
            "SELECT m.active, m.site_scoped, r.key, r.permissions,
                    EXISTS (SELECT 1 FROM member_sites ms WHERE ms.user_id = m.user_id AND ms.site_id = $2)
             FROM members m JOIN roles r ON r.id = m.role_id WHERE m.user_id = $1",
        )
        .bind(id)
        .bind(site_id)
        .fetch_optional(tx.conn())
        .await?;
        let ok = match row {
            Some((active, scoped, key, stored, on_site)) => {
                let permissions = match key.as_deref().and_then(gmao_domain::BuiltinRole::from_key)
                {
                    Some(builtin) => builtin.permissions(),
                    None => gmao_domain::PermissionSet::from_strings(&stored),
                };
                active
                    && (!scoped || on_site)
                    && permissions.contains(gmao_domain::Permission::WorkOrdersExecute)
            }
            None => false,
        };
        if !ok {
            return Err(Error::invalid(
                field,
                FieldError::new("invalid_assignee").with("value", id.to_string()),
            ));
        }
    }
    Ok(())
}

pub async fn create(tx: &mut TenantTx, new: NewWorkOrder) -> Result<WorkOrder> {
    check_assignees(tx, new.site_id, &new.assignee_ids).await?;
    let id = Uuid::now_v7();
    let number = counters::next(tx, "work_order", "BT").await?;
    let status = if new.assignee_ids.is_empty() {
        WorkOrderStatus::Open
    } else {
        WorkOrderStatus::Assigned
    };
    let created_by = tx.actor().user_id;
    sqlx::query(
        "INSERT INTO work_orders (id, number, type, priority, status, equipment_id, site_id, title,
            description, due_at, estimated_minutes, origin, work_request_id, pm_plan_id, created_by,
            downtime_start, follow_up_of)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(id)
    .bind(&number)
    .bind(new.kind.as_str())
    .bind(&new.priority)
    .bind(status.as_str())
    .bind(new.equipment_id)
    .bind(new.site_id)
    .bind(&new.title)
    .bind(&new.description)
    .bind(new.due_at)
    .bind(new.estimated_minutes)
    .bind(&new.origin)
    .bind(new.work_request_id)
    .bind(new.pm_plan_id)
    .bind(created_by)
    .bind(new.downtime_start)
    .bind(new.follow_up_of)
    .execute(tx.conn())
    .await?;
    set_assignees(tx, id, &new.assignee_ids).await?;
    for (position, item) in new.checklist.iter().enumerate() {
        insert_checklist_item(tx, id, i32::try_from(position).unwrap_or(i32::MAX), item).await?;
    }
    event(
        tx,
        id,
        "created",
        None,
        Some(status),
        None,
        json!({"origin": new.origin, "follow_up_of": new.follow_up_of}),
    )
    .await?;
    if let Some(source) = new.follow_up_of {
        event(
            tx,
            source,
            "follow_up",
            None,
            None,
            None,
            json!({"work_order_id": id, "number": number}),
        )
        .await?;
    }
    if !new.assignee_ids.is_empty() {
        event(
            tx,
            id,
            "assigned",
            None,
            None,
            None,
            json!({"assignee_ids": new.assignee_ids}),
        )
        .await?;
    }
    audit::record(
        tx,
        audit::Entry {
            action: "create",
            entity: "work_order",
            entity_id: Some(id),
            changes: json!({
                "number": {"before": null, "after": number},
                "type": {"before": null, "after": new.kind.as_str()},
                "title": {"before": null, "after": new.title},
                "equipment_id": {"before": null, "after": new.equipment_id},
                "priority": {"before": null, "after": new.priority},
                "due_at": {"before": null, "after": new.due_at},
                "assignee_ids": {"before": null, "after": new.assignee_ids},
                "downtime_start": {"before": null, "after": new.downtime_start},
                "follow_up_of": {"before": null, "after": new.follow_up_of},
            }),
        },
    )
    .await?;
    get(tx, None, id).await
}

async fn set_assignees(tx: &mut TenantTx, id: Uuid, assignee_ids: &[Uuid]) -> Result<()> {
    sqlx::query(
        "DELETE FROM work_order_assignees WHERE work_order_id = $1 AND NOT (user_id = ANY($2))",
    )
    .bind(id)
    .bind(assignee_ids)
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "INSERT INTO work_order_assignees (work_order_id, user_id)
         SELECT $1, user_id FROM unnest($2::uuid[]) AS user_id ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(assignee_ids)
    .execute(tx.conn())
    .await?;
    Ok(())
}

async fn event(
    tx: &mut TenantTx,
    work_order_id: Uuid,
    kind: &str,
    from: Option<WorkOrderStatus>,
    to: Option<WorkOrderStatus>,
    reason: Option<&str>,
    details: Value,
) -> Result<()> {
    let actor = tx.actor().user_id;
    sqlx::query(
        "INSERT INTO work_order_events (id, work_order_id, actor_id, kind, from_status, to_status, reason, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7())
    .bind(work_order_id)
    .bind(actor)
    .bind(kind)
    .bind(from.map(WorkOrderStatus::as_str))
    .bind(to.map(WorkOrderStatus::as_str))
    .bind(reason)
    .bind(details)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Fields a planner changes on an order that is still active.
#[derive(Debug, Clone, Default)]
pub struct WorkOrderPatch {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub priority: Option<String>,
    pub kind: Option<WorkOrderType>,
    pub due_at: Option<Option<DateTime<Utc>>>,
    pub estimated_minutes: Option<Option<i32>>,
}

#[derive(Serialize)]
struct Planned<'a> {
    title: &'a str,
    description: Option<&'a str>,
    priority: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    due_at: Option<DateTime<Utc>>,
    estimated_minutes: Option<i32>,
}

impl<'a> From<&'a WorkOrder> for Planned<'a> {
    fn from(w: &'a WorkOrder) -> Self {
        Planned {
            title: &w.title,
            description: w.description.as_deref(),
            priority: &w.priority,
            kind: &w.kind,
            due_at: w.due_at,
            estimated_minutes: w.estimated_minutes,
        }
    }
}

pub async fn update(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    id: Uuid,
    patch: WorkOrderPatch,
) -> Result<WorkOrder> {
    let before = get_for_update(tx, scope, id).await?;
    if before.status().is_final() {
        return Err(Error::conflict(
            "work_order_finished",
            json!({"status": before.status}),
        ));
    }
    let title = patch.title.unwrap_or_else(|| before.title.clone());
    let description = patch
        .description
        .unwrap_or_else(|| before.description.clone());
    let priority = patch.priority.unwrap_or_else(|| before.priority.clone());
    let kind = patch
        .kind
        .map(|k| k.as_str().to_owned())
        .unwrap_or_else(|| before.kind.clone());
    let due_at = patch.due_at.unwrap_or(before.due_at);
    let estimated = patch.estimated_minutes.unwrap_or(before.estimated_minutes);
    sqlx::query(
        "UPDATE work_orders SET title = $2, description = $3, priority = $4, type = $5, due_at = $6,
            estimated_minutes = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(&title)
    .bind(&description)
    .bind(&priority)
    .bind(&kind)
    .bind(due_at)
    .bind(estimated)
    .execute(tx.conn())
    .await?;
    if due_at != before.due_at {
        event(
            tx,
            id,
            "rescheduled",
            None,
            None,
            None,
            json!({"before": before.due_at, "after": due_at}),
        )
        .await?;
    }
    let after = get(tx, None, id).await?;
    audit::record_change(
        tx,
        "update",
        "work_order",
        id,
        Some(&Planned::from(&before)),
        Some(&Planned::from(&after)),
    )
    .await?;
    Ok(after)
}

/// What a transition carries, by action.
#[derive(Debug, Clone, Default)]
pub struct TransitionInput {
    pub reason: Option<String>,
    pub assignee_ids: Option<Vec<Uuid>>,
    pub completion: Option<Completion>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Completion {
    pub work_performed: String,
    pub failure_problem_id: Option<Uuid>,
    pub failure_cause_id: Option<Uuid>,
    pub failure_remedy_id: Option<Uuid>,
    pub root_cause: Option<String>,
    pub downtime_minutes: Option<i32>,
    pub downtime_start: Option<DateTime<Utc>>,
    pub downtime_end: Option<DateTime<Utc>>,
}

/// Applies `action` to the order: checks the state machine (409 `invalid_transition`), then
/// does what the action means (times, reasons, assignees, completion report, equipment status).
pub async fn apply(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    id: Uuid,
    action: WorkOrderAction,
    input: TransitionInput,
) -> Result<WorkOrder> {
    let before = get_for_update(tx, scope, id).await?;
    let from = before.status();
    let to = work_order::transition(from, action).map_err(|e| {
        Error::conflict(
            "invalid_transition",
            json!({
                "from": e.from.as_str(),
                "action": e.action.as_str(),
                "allowed": work_order::allowed_actions(from).iter().map(|a| a.as_str()).collect::<Vec<_>>(),
            }),
        )
    })?;
    let reason = input.reason.as_deref();
    let mut changes =
        json!({"status": {"before": from.as_str(), "after": to.as_str()}, "reason": reason});
    match action {
        WorkOrderAction::Assign => {
            let assignees = input.assignee_ids.unwrap_or_default();
            if assignees.is_empty() {
                return Err(Error::invalid("assignee_ids", FieldError::new("required")));
            }
            check_assignees(tx, before.site_id, &assignees).await?;
            set_assignees(tx, id, &assignees).await?;
            let previous: Vec<Uuid> = before.assignees.0.iter().map(|p| p.id).collect();
            changes["assignee_ids"] = json!({"before": previous, "after": assignees});
            event(
                tx,
                id,
                "assigned",
                Some(from),
                Some(to),
                None,
                json!({"assignee_ids": assignees}),
            )
            .await?;
        }
        WorkOrderAction::Start => {
            sqlx::query(
                "UPDATE work_orders SET started_at = coalesce(started_at, now()) WHERE id = $1",
            )
            .bind(id)
            .execute(tx.conn())
            .await?;
        }
        WorkOrderAction::Complete => {
            let completion = input.completion.unwrap_or_default();
            let downtime = complete(tx, &before, &completion).await?;
            let b = &before;
            for (field, was, now) in [
                (
                    "work_performed",
                    json!(b.work_performed),
                    json!(completion.work_performed),
                ),
                (
                    "failure_problem_id",
                    json!(b.failure_problem_id),
                    json!(completion.failure_problem_id),
                ),
                (
                    "failure_cause_id",
                    json!(b.failure_cause_id),
                    json!(completion.failure_cause_id),
                ),
                (
                    "failure_remedy_id",
                    json!(b.failure_remedy_id),
                    json!(completion.failure_remedy_id),
                ),
                (
                    "root_cause",
                    json!(b.root_cause),
                    json!(completion.root_cause),
                ),
                (
                    "downtime_minutes",
                    json!(b.downtime_minutes),
                    json!(downtime.minutes),
                ),
                (
                    "downtime_start",
                    json!(b.downtime_start),
                    json!(downtime.start),
                ),
                ("downtime_end", json!(b.downtime_end), json!(downtime.end)),
            ] {
                if was != now {
                    changes[field] = json!({"before": was, "after": now});
                }
            }
        }
        WorkOrderAction::Reopen => {
            sqlx::query("UPDATE work_orders SET completed_at = NULL WHERE id = $1")
                .bind(id)
                .execute(tx.conn())
                .await?;
        }
        WorkOrderAction::Close => {
            sqlx::query("UPDATE work_orders SET closed_at = now() WHERE id = $1")
                .bind(id)
                .execute(tx.conn())
                .await?;
        }
        WorkOrderAction::Cancel => {
            sqlx::query("UPDATE work_orders SET cancelled_at = now() WHERE id = $1")
                .bind(id)
                .execute(tx.conn())
                .await?;
        }
        WorkOrderAction::Hold | WorkOrderAction::Resume => {}
    }
    sqlx::query(
        "UPDATE work_orders SET status = $2,
            status_reason = CASE WHEN $3::text IS NULL THEN status_reason ELSE $3 END
         WHERE id = $1",
    )
    .bind(id)
    .bind(to.as_str())
    .bind(reason)
    .execute(tx.conn())
    .await?;
    if action != WorkOrderAction::Assign {
        event(
            tx,
            id,
            action.as_str(),
            Some(from),
            Some(to),
            reason,
            json!({}),
        )
        .await?;
    }
    audit::record(
        tx,
        audit::Entry {
            action: action.as_str(),
            entity: "work_order",
            entity_id: Some(id),
            changes,
        },
    )
    .await?;
    match action {
        WorkOrderAction::Complete => restore_equipment(tx, &before, "completed").await?,
        WorkOrderAction::Cancel => restore_equipment(tx, &before, "cancelled").await?,
        _ => {}
    }
    get(tx, None, id).await
}

/// Records the completion report. Refused while required checklist items are open.
async fn complete(tx: &mut TenantTx, order: &WorkOrder, c: &Completion) -> Result<Downtime> {
    let open: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT id, label FROM checklist_items
         WHERE work_order_id = $1 AND required AND completed_at IS NULL ORDER BY position",
    )
    .bind(order.id)
    .fetch_all(tx.conn())
    .await?;
    if !open.is_empty() {
        return Err(Error::conflict(
            "checklist_incomplete",
            json!({"items": open.iter().map(|(id, label)| json!({"id": id, "label": label})).collect::<Vec<_>>()}),
        ));
    }
    for (field, id, kind) in [
        ("failure_problem_id", c.failure_problem_id, "problem"),
        ("failure_cause_id", c.failure_cause_id, "cause"),
        ("failure_remedy_id", c.failure_remedy_id, "remedy"),
    ] {
        if let Some(id) = id
            && !crate::failure_codes::check_kind(tx, id, kind).await?
        {
            return Err(Error::invalid(
                field,
                FieldError::new("unknown_failure_code"),
            ));
        }
    }
    // The transaction's time, as completed_at: a stop ending with the repair ends with it.
    let now: DateTime<Utc> = sqlx::query_scalar("SELECT now()")
        .fetch_one(tx.conn())
        .await?;
    let reported = downtime::Reported {
        minutes: c.downtime_minutes,
        start: c.downtime_start,
        end: c.downtime_end,
    };
    let downtime = downtime::resolve(
        reported,
        Downtime {
            minutes: order.downtime_minutes,
            start: order.downtime_start,
            end: order.downtime_end,
        },
        now,
    )
    .map_err(|e| match e {
        DowntimeError::StartRequired => {
            Error::invalid("downtime_start", FieldError::new("required"))
        }
        DowntimeError::EndBeforeStart => {
            Error::invalid("downtime_end", FieldError::new("before_start"))
        }
    })?;
    sqlx::query(
        "UPDATE work_orders SET completed_at = now(), work_performed = $2, failure_problem_id = $3,
            failure_cause_id = $4, failure_remedy_id = $5, root_cause = $6, downtime_minutes = $7,
            downtime_start = $8, downtime_end = $9
         WHERE id = $1",
    )
    .bind(order.id)
    .bind(&c.work_performed)
    .bind(c.failure_problem_id)
    .bind(c.failure_cause_id)
    .bind(c.failure_remedy_id)
    .bind(&c.root_cause)
    .bind(downtime.minutes)
    .bind(downtime.start)
    .bind(downtime.end)
    .execute(tx.conn())
    .await?;
    Ok(downtime)
}

/// A corrective order that ends (completed or cancelled) may be the last thing keeping its
/// equipment broken.
async fn restore_equipment(tx: &mut TenantTx, order: &WorkOrder, ended: &str) -> Result<()> {
    if order.kind != WorkOrderType::Corrective.as_str() {
        return Ok(());
    }
    equipment::release_if_repaired(
        tx,
        order.equipment_id,
        StatusCause {
            reason: Some(format!("{} {ended}", order.number)),
            work_order_id: Some(order.id),
            ..Default::default()
        },
    )
    .await
}

// ----- Checklists -----

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ChecklistItem {
    pub id: Uuid,
    pub work_order_id: Uuid,
    pub position: i32,
    pub label: String,
    pub kind: String,
    pub required: bool,
    pub unit: Option<String>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    pub checked: Option<bool>,
    pub passed: Option<bool>,
    pub number_value: Option<f64>,
    pub text_value: Option<String>,
    pub completed_by: Option<Uuid>,
    pub completed_by_name: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl ChecklistItem {
    /// A number outside its bounds is recorded (it is a finding) but flagged.
    pub fn out_of_range(&self) -> bool {
        match self.number_value {
            Some(v) => {
                self.min_value.is_some_and(|min| v < min)
                    || self.max_value.is_some_and(|max| v > max)
            }
            None => false,
        }
    }
}

const CHECKLIST_SELECT: &str =
    "SELECT c.id, c.work_order_id, c.position, c.label, c.kind, c.required,
        c.unit, c.min_value, c.max_value, c.checked, c.passed, c.number_value, c.text_value,
        c.completed_by, u.full_name AS completed_by_name, c.completed_at
    FROM checklist_items c LEFT JOIN public.users u ON u.id = c.completed_by";

pub async fn checklist(tx: &mut TenantTx, work_order_id: Uuid) -> Result<Vec<ChecklistItem>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{CHECKLIST_SELECT} WHERE c.work_order_id = $1 ORDER BY c.position, c.id"
    )))
    .bind(work_order_id)
    .fetch_all(tx.conn())
    .await?)
}

async fn checklist_item(tx: &mut TenantTx, work_order_id: Uuid, id: Uuid) -> Result<ChecklistItem> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{CHECKLIST_SELECT} WHERE c.id = $1 AND c.work_order_id = $2"
    )))
    .bind(id)
    .bind(work_order_id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

async fn insert_checklist_item(
    tx: &mut TenantTx,
    work_order_id: Uuid,
    position: i32,
    item: &ChecklistItemInput,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO checklist_items (id, work_order_id, position, label, kind, required, unit, min_value, max_value)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(work_order_id)
    .bind(position)
    .bind(&item.label)
    .bind(&item.kind)
    .bind(item.required)
    .bind(&item.unit)
    .bind(item.min_value)
    .bind(item.max_value)
    .execute(tx.conn())
    .await?;
    Ok(id)
}

/// Adds an item at the end of the order's checklist.
pub async fn add_checklist_item(
    tx: &mut TenantTx,
    order: &WorkOrder,
    item: ChecklistItemInput,
) -> Result<ChecklistItem> {
    if order.status().is_final() || order.status() == WorkOrderStatus::Completed {
        return Err(Error::conflict(
            "work_order_finished",
            json!({"status": order.status}),
        ));
    }
    let position: i32 = sqlx::query_scalar(
        "SELECT coalesce(max(position) + 1, 0) FROM checklist_items WHERE work_order_id = $1",
    )
    .bind(order.id)
    .fetch_one(tx.conn())
    .await?;
    let id = insert_checklist_item(tx, order.id, position, &item).await?;
    audit::record(
        tx,
        audit::Entry {
            action: "add_checklist_item",
            entity: "work_order",
            entity_id: Some(order.id),
            changes: json!({"item": {"id": id, "label": item.label, "kind": item.kind, "required": item.required}}),
        },
    )
    .await?;
    checklist_item(tx, order.id, id).await
}

pub async fn remove_checklist_item(
    tx: &mut TenantTx,
    order: &WorkOrder,
    item_id: Uuid,
) -> Result<()> {
    if order.status().is_final() || order.status() == WorkOrderStatus::Completed {
        return Err(Error::conflict(
            "work_order_finished",
            json!({"status": order.status}),
        ));
    }
    let item = checklist_item(tx, order.id, item_id).await?;
    sqlx::query("DELETE FROM checklist_items WHERE id = $1")
        .bind(item_id)
        .execute(tx.conn())
        .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "remove_checklist_item",
            entity: "work_order",
            entity_id: Some(order.id),
            changes: json!({"item": {"id": item_id, "label": item.label}}),
        },
    )
    .await?;
    Ok(())
}

/// An answer to a checklist item; the field that matters depends on the item's kind.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub checked: Option<bool>,
    pub passed: Option<bool>,
    pub number_value: Option<f64>,
    pub text_value: Option<String>,
    /// Clears the answer.
    pub clear: bool,
}

/// Records (or clears) the answer to an item while the work is under way.
pub async fn answer_checklist_item(
    tx: &mut TenantTx,
    order: &WorkOrder,
    item_id: Uuid,
    answer: Answer,
) -> Result<ChecklistItem> {
    if !matches!(
        order.status(),
        WorkOrderStatus::InProgress | WorkOrderStatus::OnHold
    ) {
        return Err(Error::conflict(
            "work_order_not_in_progress",
            json!({"status": order.status}),
        ));
    }
    let item = checklist_item(tx, order.id, item_id).await?;
    let (checked, passed, number, text) = if answer.clear {
        (None, None, None, None)
    } else {
        match item.kind.as_str() {
            "checkbox" => (
                Some(
                    answer
                        .checked
                        .ok_or_else(|| Error::invalid("checked", FieldError::new("required")))?,
                ),
                None,
                None,
                None,
            ),
            "pass_fail" => (
                None,
                Some(
                    answer
                        .passed
                        .ok_or_else(|| Error::invalid("passed", FieldError::new("required")))?,
                ),
                None,
                None,
            ),
            "number" => {
                let value = answer
                    .number_value
                    .ok_or_else(|| Error::invalid("number_value", FieldError::new("required")))?;
                if !value.is_finite() {
                    return Err(Error::invalid(
                        "number_value",
                        FieldError::new("invalid_number"),
                    ));
                }
                (None, None, Some(value), None)
            }
            _ => {
                let text = answer
                    .text_value
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty());
                (
                    None,
                    None,
                    None,
                    Some(
                        text.ok_or_else(|| {
                            Error::invalid("text_value", FieldError::new("required"))
                        })?
                        .to_owned(),
                    ),
                )
            }
        }
    };
    // An unticked checkbox is an answer, but not a completed item.
    let completed = !answer.clear && checked != Some(false);
    let actor = tx.actor().user_id;
    sqlx::query(
        "UPDATE checklist_items SET checked = $2, passed = $3, number_value = $4, text_value = $5,
            completed_by = CASE WHEN $6 THEN $7 END, completed_at = CASE WHEN $6 THEN now() END
         WHERE id = $1",
    )
    .bind(item_id)
    .bind(checked)
    .bind(passed)
    .bind(number)
    .bind(&text)
    .bind(completed)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "answer_checklist_item",
            entity: "work_order",
            entity_id: Some(order.id),
            changes: json!({"item": {"id": item_id, "label": item.label}, "answer": {
                "before": {"checked": item.checked, "passed": item.passed, "number_value": item.number_value, "text_value": item.text_value},
                "after": {"checked": checked, "passed": passed, "number_value": number, "text_value": text},
            }}),
        },
    )
    .await?;
    checklist_item(tx, order.id, item_id).await
}

// ----- Time -----

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TimeEntry {
    pub id: Uuid,
    pub work_order_id: Uuid,
    pub user_id: Uuid,
    pub user_name: Option<String>,
    pub minutes: i32,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

const TIME_SELECT: &str =
    "SELECT t.id, t.work_order_id, t.user_id, u.full_name AS user_name, t.minutes,
        t.started_at, t.ended_at, t.note, t.created_at
    FROM time_entries t
    LEFT JOIN members m ON m.user_id = t.user_id
    LEFT JOIN public.users u ON u.id = m.user_id";

pub async fn time_entries(tx: &mut TenantTx, work_order_id: Uuid) -> Result<Vec<TimeEntry>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{TIME_SELECT} WHERE t.work_order_id = $1 ORDER BY coalesce(t.started_at, t.created_at), t.id"
    )))
    .bind(work_order_id)
    .fetch_all(tx.conn())
    .await?)
}

pub struct NewTimeEntry {
    pub user_id: Uuid,
    pub minutes: i32,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// Logs time on an order that is under way or completed (not yet validated).
pub async fn add_time(
    tx: &mut TenantTx,
    order: &WorkOrder,
    entry: NewTimeEntry,
) -> Result<TimeEntry> {
    if order.status().is_final() {
        return Err(Error::conflict(
            "work_order_finished",
            json!({"status": order.status}),
        ));
    }
    // Someone else's time: only people who may work here (never another company's).
    if tx.actor().user_id != Some(entry.user_id) {
        check_workers(tx, order.site_id, &[entry.user_id], "user_id").await?;
    }
    let id = Uuid::now_v7();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO time_entries (id, work_order_id, user_id, minutes, started_at, ended_at,
                                       note, hourly_rate_cents)
             SELECT $1, $2, $3, $4, $5, $6, $7,
                    (SELECT {} FROM members m WHERE m.user_id = $3)",
        crate::labour::EFFECTIVE_RATE
    )))
    .bind(id)
    .bind(order.id)
    .bind(entry.user_id)
    .bind(entry.minutes)
    .bind(entry.started_at)
    .bind(entry.ended_at)
    .bind(&entry.note)
    .execute(tx.conn())
    .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "log_time",
            entity: "work_order",
            entity_id: Some(order.id),
            changes: json!({"time_entry": {"id": id, "user_id": entry.user_id, "minutes": entry.minutes}}),
        },
    )
    .await?;
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{TIME_SELECT} WHERE t.id = $1"
    )))
    .bind(id)
    .fetch_one(tx.conn())
    .await
    .map_err(Error::from)
}

/// Removes a time entry (its author, or a manager) while the order is not final.
pub async fn remove_time(
    tx: &mut TenantTx,
    order: &WorkOrder,
    entry_id: Uuid,
    only_user: Option<Uuid>,
) -> Result<()> {
    if order.status().is_final() {
        return Err(Error::conflict(
            "work_order_finished",
            json!({"status": order.status}),
        ));
    }
    let entry: (Uuid, i32) = sqlx::query_as(
        "SELECT user_id, minutes FROM time_entries WHERE id = $1 AND work_order_id = $2",
    )
    .bind(entry_id)
    .bind(order.id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)?;
    if only_user.is_some_and(|u| u != entry.0) {
        return Err(Error::forbidden("not_your_time_entry", json!({})));
    }
    sqlx::query("DELETE FROM time_entries WHERE id = $1")
        .bind(entry_id)
        .execute(tx.conn())
        .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "remove_time",
            entity: "work_order",
            entity_id: Some(order.id),
            changes: json!({"time_entry": {"id": entry_id, "user_id": entry.0, "minutes": entry.1}}),
        },
    )
    .await?;
    Ok(())
}

// ----- Comments and timeline -----

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Comment {
    pub id: Uuid,
    pub work_order_id: Uuid,
    pub author_id: Uuid,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn comments(tx: &mut TenantTx, work_order_id: Uuid) -> Result<Vec<Comment>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.work_order_id, c.author_id, u.full_name AS author_name, c.body, c.created_at
         FROM work_order_comments c LEFT JOIN public.users u ON u.id = c.author_id
         WHERE c.work_order_id = $1 ORDER BY c.created_at, c.id",
    )
    .bind(work_order_id)
    .fetch_all(tx.conn())
    .await?)
}

pub async fn add_comment(
    tx: &mut TenantTx,
    order: &WorkOrder,
    author_id: Uuid,
    body: &str,
) -> Result<Comment> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO work_order_comments (id, work_order_id, author_id, body) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(order.id)
        .bind(author_id)
        .bind(body)
        .execute(tx.conn())
        .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "comment",
            entity: "work_order",
            entity_id: Some(order.id),
            changes: json!({"comment": {"id": id, "body": body}}),
        },
    )
    .await?;
    comments(tx, order.id)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(Error::NotFound)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Event {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub reason: Option<String>,
    pub details: Value,
}

/// The order's timeline, oldest first. Events that name people by id (`assignee_ids`) also get
/// `assignees: [{id, full_name}]`, so that the timeline reads even for someone no longer assigned.
pub async fn events(tx: &mut TenantTx, work_order_id: Uuid) -> Result<Vec<Event>> {
    let mut events: Vec<Event> = sqlx::query_as(
        "SELECT e.id, e.at, e.actor_id, u.full_name AS actor_name, e.kind, e.from_status, e.to_status,
                e.reason, e.details
         FROM work_order_events e LEFT JOIN public.users u ON u.id = e.actor_id
         WHERE e.work_order_id = $1 ORDER BY e.at, e.id",
    )
    .bind(work_order_id)
    .fetch_all(tx.conn())
    .await?;
    let named = |event: &Event| -> Vec<Uuid> {
        event
            .details
            .get("assignee_ids")
            .and_then(Value::as_array)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| id.as_str().and_then(|s| s.parse().ok()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let ids: Vec<Uuid> = events.iter().flat_map(named).collect();
    if ids.is_empty() {
        return Ok(events);
    }
    let names: std::collections::HashMap<Uuid, String> =
        sqlx::query_as("SELECT id, full_name FROM public.users WHERE id = ANY($1)")
            .bind(&ids)
            .fetch_all(tx.conn())
            .await?
            .into_iter()
            .collect();
    for event in &mut events {
        let people: Vec<Value> = named(event)
            .into_iter()
            .map(|id| json!({"id": id, "full_name": names.get(&id)}))
            .collect();
        if let (false, Some(details)) = (people.is_empty(), event.details.as_object_mut()) {
            details.insert("assignees".into(), Value::Array(people));
        }
    }
    Ok(events)
}

/// Counts of active orders for the home page: open work, and overdue.
pub async fn active_counts(tx: &mut TenantTx, scope: Scope<'_>) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE due_at < now())
         FROM work_orders
         WHERE status IN ('open', 'assigned', 'in_progress', 'on_hold')
           AND ($1::uuid[] IS NULL OR site_id = ANY($1))",
    )
    .bind(scope)
    .fetch_one(tx.conn())
    .await?)
}
