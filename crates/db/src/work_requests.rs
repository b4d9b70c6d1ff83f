//! Work requests (demandes d'intervention): a failure reported by anyone, approved into a work
//! order or rejected by a supervisor.

use chrono::{DateTime, Utc};
use gmao_domain::maintenance::{EquipmentStatus, Urgency, WorkOrderType};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::attachments::{self, Owner};
use crate::equipment::{self, StatusCause};
use crate::list::{Counted, paged};
use crate::sites::{Scope, like_pattern};
use crate::work_orders::{self, ChecklistItemInput, NewWorkOrder, WorkOrder};
use crate::{Error, Page, PageRequest, Result, Sort, TenantTx, audit, counters};

pub const SORT_KEYS: &[&str] = &["number", "urgency", "status", "created_at"];

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct WorkRequest {
    pub id: Uuid,
    pub number: String,
    pub equipment_id: Uuid,
    pub equipment_code: String,
    pub equipment_name: String,
    pub site_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub urgency: String,
    pub production_stopped: bool,
    pub status: String,
    /// None for a request made on the public portal, without an account.
    pub requested_by: Option<Uuid>,
    pub requested_by_name: Option<String>,
    /// What the author of a portal request chose to give.
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
    pub work_order_id: Option<Uuid>,
    pub work_order_number: Option<String>,
    pub work_order_status: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT q.id, q.number, q.equipment_id, e.code AS equipment_code,
        e.name AS equipment_name, q.site_id, q.title, q.description, q.urgency,
        q.production_stopped, q.status, q.requested_by, ru.full_name AS requested_by_name,
        q.reporter_name, q.reporter_contact, q.decided_by, du.full_name AS decided_by_name, q.decided_at, q.rejection_reason,
        q.work_order_id, w.number AS work_order_number, w.status AS work_order_status,
        q.created_at, q.updated_at
    FROM work_requests q
    JOIN equipment e ON e.id = q.equipment_id
    LEFT JOIN work_orders w ON w.id = q.work_order_id
    LEFT JOIN public.users ru ON ru.id = q.requested_by
    LEFT JOIN public.users du ON du.id = q.decided_by";

#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub status: Option<String>,
    pub urgency: Option<String>,
    pub site_id: Option<Uuid>,
    pub equipment_id: Option<Uuid>,
    /// Only this person's requests (members who may not read all of them).
    pub requested_by: Option<Uuid>,
    pub production_stopped: Option<bool>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    pub q: Option<String>,
    pub sort: Option<Sort>,
}

pub async fn list(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    filter: &RequestFilter,
    page: PageRequest,
) -> Result<Page<WorkRequest>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    let sort = filter.sort.unwrap_or(Sort {
        key: "created_at",
        descending: true,
    });
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<WorkRequest>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}
                WHERE ($1::uuid[] IS NULL OR q.site_id = ANY($1))
                  AND ($2::text IS NULL OR q.status = $2)
                  AND ($3::text IS NULL OR q.urgency = $3)
                  AND ($4::uuid IS NULL OR q.site_id = $4)
                  AND ($5::uuid IS NULL OR q.equipment_id = $5)
                  AND ($6::uuid IS NULL OR q.requested_by = $6)
                  AND ($7::boolean IS NULL OR q.production_stopped = $7)
                  AND ($8::timestamptz IS NULL OR q.created_at >= $8)
                  AND ($9::timestamptz IS NULL OR q.created_at < $9)
                  AND ($10::text IS NULL OR q.number ILIKE $10 OR q.title ILIKE $10 OR e.code ILIKE $10 OR e.name ILIKE $10)) x
             ORDER BY
                CASE WHEN $11 = 'number' AND NOT $12 THEN x.number END ASC,
                CASE WHEN $11 = 'number' AND $12 THEN x.number END DESC,
                CASE WHEN $11 = 'urgency' AND NOT $12 THEN array_position(ARRAY['low','normal','high','critical'], x.urgency) END ASC,
                CASE WHEN $11 = 'urgency' AND $12 THEN array_position(ARRAY['low','normal','high','critical'], x.urgency) END DESC,
                CASE WHEN $11 = 'status' AND NOT $12 THEN x.status END ASC,
                CASE WHEN $11 = 'status' AND $12 THEN x.status END DESC,
                CASE WHEN $11 = 'created_at' AND NOT $12 THEN x.created_at END ASC,
                CASE WHEN $11 = 'created_at' AND $12 THEN x.created_at END DESC,
                x.number DESC
             LIMIT $13 OFFSET $14"
        )))
        .bind(scope)
        .bind(&filter.status)
        .bind(&filter.urgency)
        .bind(filter.site_id)
        .bind(filter.equipment_id)
        .bind(filter.requested_by)
        .bind(filter.production_stopped)
        .bind(filter.created_from)
        .bind(filter.created_to)
        .bind(&pattern)
        .bind(sort.key)
        .bind(sort.descending)
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
        rows
    }))
}

pub async fn get(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<WorkRequest> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE q.id = $1 AND ($2::uuid[] IS NULL OR q.site_id = ANY($2))"
    )))
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

async fn get_for_update(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<WorkRequest> {
    sqlx::query("SELECT 1 FROM work_requests WHERE id = $1 AND ($2::uuid[] IS NULL OR site_id = ANY($2)) FOR UPDATE")
        .bind(id)
        .bind(scope)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)?;
    get(tx, scope, id).await
}

pub struct NewWorkRequest {
    pub equipment_id: Uuid,
    pub site_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub urgency: Urgency,
    pub production_stopped: bool,
    /// None on the public portal.
    pub requested_by: Option<Uuid>,
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
}

/// Records the request; production stopped marks the equipment `broken` at once.
pub async fn create(tx: &mut TenantTx, new: NewWorkRequest) -> Result<WorkRequest> {
    let id = Uuid::now_v7();
    let number = counters::next(tx, "work_request", "DI").await?;
    sqlx::query(
        "INSERT INTO work_requests (id, number, equipment_id, site_id, title, description, urgency,
            production_stopped, requested_by, reporter_name, reporter_contact)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(&number)
    .bind(new.equipment_id)
    .bind(new.site_id)
    .bind(&new.title)
    .bind(&new.description)
    .bind(new.urgency.as_str())
    .bind(new.production_stopped)
    .bind(new.requested_by)
    .bind(&new.reporter_name)
    .bind(&new.reporter_contact)
    .execute(tx.conn())
    .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "create",
            entity: "work_request",
            entity_id: Some(id),
            changes: json!({
                "number": {"before": null, "after": number},
                "equipment_id": {"before": null, "after": new.equipment_id},
                "title": {"before": null, "after": new.title},
                "urgency": {"before": null, "after": new.urgency.as_str()},
                "production_stopped": {"before": null, "after": new.production_stopped},
                "anonymous": {"before": null, "after": new.requested_by.is_none()},
            }),
        },
    )
    .await?;
    if new.production_stopped {
        equipment::set_status(
            tx,
            new.equipment_id,
            EquipmentStatus::Broken,
            StatusCause {
                reason: Some(format!("{number}: {}", new.title)),
                work_request_id: Some(id),
                ..Default::default()
            },
        )
        .await?;
    }
    get(tx, None, id).await
}

/// How a supervisor turns a request into work.
#[derive(Debug, Clone, Default)]
pub struct Approval {
    pub priority: Option<String>,
    pub assignee_ids: Vec<Uuid>,
    pub due_at: Option<DateTime<Utc>>,
    pub kind: Option<WorkOrderType>,
    pub estimated_minutes: Option<i32>,
    pub checklist: Vec<ChecklistItemInput>,
}

fn already_decided(request: &WorkRequest) -> Error {
    Error::conflict(
        "request_already_decided",
        json!({"status": request.status, "work_order_id": request.work_order_id}),
    )
}

/// Approves a submitted request: creates its work order (title, description and attachments
/// carried over), links both, and answers them.
pub async fn approve(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    id: Uuid,
    approval: Approval,
) -> Result<(WorkRequest, WorkOrder)> {
    let request = get_for_update(tx, scope, id).await?;
    if request.status != "submitted" {
        return Err(already_decided(&request));
    }
    let urgency = Urgency::parse(&request.urgency).unwrap_or(Urgency::Normal);
    let order = work_orders::create(
        tx,
        NewWorkOrder {
            kind: approval.kind.unwrap_or(WorkOrderType::Corrective),
            priority: approval
                .priority
                .unwrap_or_else(|| urgency.default_priority().as_str().to_owned()),
            equipment_id: request.equipment_id,
            site_id: request.site_id,
            title: request.title.clone(),
            description: request.description.clone(),
            due_at: approval.due_at,
            estimated_minutes: approval.estimated_minutes,
            origin: "request".into(),
            work_request_id: Some(request.id),
            pm_plan_id: None,
            assignee_ids: approval.assignee_ids,
            checklist: approval.checklist,
            downtime_start: request.production_stopped.then_some(request.created_at),
            follow_up_of: None,
        },
    )
    .await?;
    attachments::copy_to(
        tx,
        Owner::WorkRequest,
        request.id,
        Owner::WorkOrder,
        order.id,
    )
    .await?;
    let decided_by = tx.actor().user_id;
    sqlx::query(
        "UPDATE work_requests SET status = 'approved', decided_by = $2, decided_at = now(), work_order_id = $3
         WHERE id = $1",
    )
    .bind(id)
    .bind(decided_by)
    .bind(order.id)
    .execute(tx.conn())
    .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "approve",
            entity: "work_request",
            entity_id: Some(id),
            changes: json!({"status": {"before": "submitted", "after": "approved"}, "work_order_id": order.id}),
        },
    )
    .await?;
    let request = get(tx, None, id).await?;
    let order = work_orders::get(tx, None, order.id).await?;
    Ok((request, order))
}

pub async fn reject(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    id: Uuid,
    reason: &str,
) -> Result<WorkRequest> {
    let request = get_for_update(tx, scope, id).await?;
    if request.status != "submitted" {
        return Err(already_decided(&request));
    }
    let decided_by = tx.actor().user_id;
    sqlx::query(
        "UPDATE work_requests SET status = 'rejected', decided_by = $2, decided_at = now(), rejection_reason = $3
         WHERE id = $1",
    )
    .bind(id)
    .bind(decided_by)
    .bind(reason)
    .execute(tx.conn())
    .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "reject",
            entity: "work_request",
            entity_id: Some(id),
            changes: json!({"status": {"before": "submitted", "after": "rejected"}, "reason": reason}),
        },
    )
    .await?;
    if request.production_stopped {
        // The stop it reported is not confirmed: unless something else keeps it broken.
        equipment::release_if_repaired(
            tx,
            request.equipment_id,
            StatusCause {
                reason: Some(format!("{} rejected", request.number)),
                work_request_id: Some(id),
                ..Default::default()
            },
        )
        .await?;
    }
    get(tx, None, id).await
}

pub async fn submitted_count(tx: &mut TenantTx, scope: Scope<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM work_requests WHERE status = 'submitted' AND ($1::uuid[] IS NULL OR site_id = ANY($1))",
    )
    .bind(scope)
    .fetch_one(tx.conn())
    .await?)
}
