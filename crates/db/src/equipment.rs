//! The equipment registry: what is maintained, where it stands, its status history.

use chrono::{DateTime, NaiveDate, Utc};
use gmao_domain::FieldError;
use gmao_domain::maintenance::EquipmentStatus;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::sites::{Scope, like_pattern};
use crate::{ConstraintExt, Error, Page, PageRequest, Result, Sort, TenantTx, audit};

pub const SORT_KEYS: &[&str] = &["code", "name", "criticality", "status", "created_at"];

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Equipment {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub category: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub purchase_date: Option<NaiveDate>,
    pub installation_date: Option<NaiveDate>,
    pub warranty_end: Option<NaiveDate>,
    pub criticality: String,
    pub status: String,
    pub site_id: Uuid,
    pub site_name: String,
    pub plant_id: Option<Uuid>,
    pub plant_name: Option<String>,
    pub production_line_id: Option<Uuid>,
    pub production_line_name: Option<String>,
    pub parent_id: Option<Uuid>,
    pub parent_code: Option<String>,
    pub specifications: Value,
    pub notes: Option<String>,
    pub archived_at: Option<DateTime<Utc>>,
    pub open_work_orders: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT e.id, e.code, e.name, e.category, e.manufacturer, e.model,
        e.serial_number, e.purchase_date, e.installation_date, e.warranty_end, e.criticality,
        e.status, e.site_id, s.name AS site_name, e.plant_id, p.name AS plant_name,
        e.production_line_id, l.name AS production_line_name, e.parent_id, pe.code AS parent_code,
        e.specifications, e.notes, e.archived_at,
        (SELECT count(*) FROM work_orders w
          WHERE w.equipment_id = e.id AND w.status IN ('open', 'assigned', 'in_progress', 'on_hold'))
            AS open_work_orders,
        e.created_at, e.updated_at
    FROM equipment e
    JOIN sites s ON s.id = e.site_id
    LEFT JOIN plants p ON p.id = e.plant_id
    LEFT JOIN production_lines l ON l.id = e.production_line_id
    LEFT JOIN equipment pe ON pe.id = e.parent_id";

#[derive(Debug, Clone, Default)]
pub struct EquipmentFilter {
    pub site_id: Option<Uuid>,
    pub plant_id: Option<Uuid>,
    pub production_line_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub status: Option<String>,
    pub criticality: Option<String>,
    pub category: Option<String>,
    pub q: Option<String>,
    pub include_archived: bool,
    pub sort: Option<Sort>,
}

/// The filters of [`EquipmentFilter`] as `$1` (scope) to `$10`, over `e`; bound by
/// [`bind_filter`].
const FILTERED: &str = "WHERE ($1::uuid[] IS NULL OR e.site_id = ANY($1))
                  AND ($2::uuid IS NULL OR e.site_id = $2)
                  AND ($3::uuid IS NULL OR e.plant_id = $3)
                  AND ($4::uuid IS NULL OR e.production_line_id = $4)
                  AND ($5::uuid IS NULL OR e.parent_id = $5)
                  AND ($6::text IS NULL OR e.status = $6)
                  AND ($7::text IS NULL OR e.criticality = $7)
                  AND ($8::text IS NULL OR lower(e.category) = lower($8))
                  AND ($9::text IS NULL OR e.code ILIKE $9 OR e.name ILIKE $9 OR e.serial_number ILIKE $9)
                  AND ($10 OR e.archived_at IS NULL)";

type PgQueryAs<'q, T> = sqlx::query::QueryAs<'q, sqlx::Postgres, T, sqlx::postgres::PgArguments>;

fn bind_filter<'q, T>(
    query: PgQueryAs<'q, T>,
    scope: Scope<'q>,
    filter: &'q EquipmentFilter,
    pattern: &'q Option<String>,
) -> PgQueryAs<'q, T> {
    // Planned for the values given each time: with its `$n IS NULL OR …` clauses a generic
    // plan (which PostgreSQL switches a named statement to after five runs) expects one row,
    // and reads and sorts the whole table for every page and export batch.
    query
        .persistent(false)
        .bind(scope)
        .bind(filter.site_id)
        .bind(filter.plant_id)
        .bind(filter.production_line_id)
        .bind(filter.parent_id)
        .bind(&filter.status)
        .bind(&filter.criticality)
        .bind(&filter.category)
        .bind(pattern)
        .bind(filter.include_archived)
}

/// The equipment of the filter after `after` (creation instant, id), oldest first, `limit` at
/// a time: what an export reads, batch by batch.
pub async fn export_batch(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    filter: &EquipmentFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Equipment>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} {FILTERED}
           AND ($11::timestamptz IS NULL OR (e.created_at, e.id) > ($11, $12::uuid))
         ORDER BY e.created_at, e.id
         LIMIT $13"
    )));
    Ok(bind_filter(query, scope, filter, &pattern)
        .bind(after.map(|a| a.0))
        .bind(after.map(|a| a.1))
        .bind(limit)
        .fetch_all(tx.conn())
        .await?)
}

pub async fn list(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    filter: &EquipmentFilter,
    page: PageRequest,
) -> Result<Page<Equipment>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    let sort = filter.sort.unwrap_or(Sort::asc("code"));
    Ok(paged!(page, |limit, offset| {
        let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}
                {FILTERED}) x
             ORDER BY
                CASE WHEN $11 = 'code' AND NOT $12 THEN x.code END ASC,
                CASE WHEN $11 = 'code' AND $12 THEN x.code END DESC,
                CASE WHEN $11 = 'name' AND NOT $12 THEN x.name END ASC,
                CASE WHEN $11 = 'name' AND $12 THEN x.name END DESC,
                CASE WHEN $11 = 'criticality' AND NOT $12 THEN array_position(ARRAY['low','medium','high','critical'], x.criticality) END ASC,
                CASE WHEN $11 = 'criticality' AND $12 THEN array_position(ARRAY['low','medium','high','critical'], x.criticality) END DESC,
                CASE WHEN $11 = 'status' AND NOT $12 THEN x.status END ASC,
                CASE WHEN $11 = 'status' AND $12 THEN x.status END DESC,
                CASE WHEN $11 = 'created_at' AND NOT $12 THEN x.created_at END ASC,
                CASE WHEN $11 = 'created_at' AND $12 THEN x.created_at END DESC,
                x.code
             LIMIT $13 OFFSET $14"
        )))
        ;
        let rows: Vec<Counted<Equipment>> = bind_filter(query, scope, filter, &pattern)
            .bind(sort.key)
            .bind(sort.descending)
            .bind(limit)
            .bind(offset)
            .fetch_all(tx.conn())
            .await?;
        rows
    }))
}

/// The equipment when it exists and lies in `scope`; `NotFound` otherwise.
pub async fn get(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<Equipment> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE e.id = $1 AND ($2::uuid[] IS NULL OR e.site_id = ANY($2))"
    )))
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

pub async fn get_for_update(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<Equipment> {
    sqlx::query("SELECT 1 FROM equipment WHERE id = $1 AND ($2::uuid[] IS NULL OR site_id = ANY($2)) FOR UPDATE")
        .bind(id)
        .bind(scope)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)?;
    get(tx, scope, id).await
}

/// Where equipment stands, resolved and consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub site_id: Uuid,
    pub plant_id: Option<Uuid>,
    pub production_line_id: Option<Uuid>,
}

/// Resolves a location given by its most precise part (a line gives its plant and site; a
/// plant its site). Parts given together must agree. Outside `scope` counts as unknown.
pub async fn resolve_location(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    site_id: Option<Uuid>,
    plant_id: Option<Uuid>,
    production_line_id: Option<Uuid>,
) -> Result<Location> {
    let location = if let Some(line_id) = production_line_id {
        let found: Option<(Uuid, Uuid)> = sqlx::query_as(
            "SELECT l.plant_id, p.site_id FROM production_lines l JOIN plants p ON p.id = l.plant_id
             WHERE l.id = $1 AND ($2::uuid[] IS NULL OR p.site_id = ANY($2))",
        )
        .bind(line_id)
        .bind(scope)
        .fetch_optional(tx.conn())
        .await?;
        let (plant, site) = found.ok_or_else(|| {
            Error::invalid(
                "production_line_id",
                FieldError::new("unknown_production_line"),
            )
        })?;
        Location {
            site_id: site,
            plant_id: Some(plant),
            production_line_id: Some(line_id),
        }
    } else if let Some(plant_id) = plant_id {
        let site: Option<Uuid> = sqlx::query_scalar(
            "SELECT site_id FROM plants WHERE id = $1 AND ($2::uuid[] IS NULL OR site_id = ANY($2))",
        )
        .bind(plant_id)
        .bind(scope)
        .fetch_optional(tx.conn())
        .await?;
        let site =
            site.ok_or_else(|| Error::invalid("plant_id", FieldError::new("unknown_plant")))?;
        Location {
            site_id: site,
            plant_id: Some(plant_id),
            production_line_id: None,
        }
    } else if let Some(site_id) = site_id {
        let exists: Option<Uuid> = sqlx::query_scalar(
            "SELECT id FROM sites WHERE id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2))",
        )
        .bind(site_id)
        .bind(scope)
        .fetch_optional(tx.conn())
        .await?;
        exists.ok_or_else(|| Error::invalid("site_id", FieldError::new("unknown_site")))?;
        Location {
            site_id,
            plant_id: None,
            production_line_id: None,
        }
    } else {
        return Err(Error::invalid(
            "production_line_id",
            FieldError::new("location_required"),
        ));
    };
    let agrees = site_id.is_none_or(|s| s == location.site_id)
        && plant_id.is_none_or(|p| Some(p) == location.plant_id);
    if !agrees {
        return Err(Error::invalid(
            "production_line_id",
            FieldError::new("inconsistent_location"),
        ));
    }
    Ok(location)
}

/// The fields a person edits; the caller validated them.
#[derive(Debug, Clone, Serialize)]
pub struct EquipmentInput {
    pub code: String,
    pub name: String,
    pub category: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub purchase_date: Option<NaiveDate>,
    pub installation_date: Option<NaiveDate>,
    pub warranty_end: Option<NaiveDate>,
    pub criticality: String,
    #[serde(flatten)]
    pub location: Location,
    pub parent_id: Option<Uuid>,
    pub specifications: Value,
    pub notes: Option<String>,
}

impl From<&Equipment> for EquipmentInput {
    fn from(e: &Equipment) -> Self {
        EquipmentInput {
            code: e.code.clone(),
            name: e.name.clone(),
            category: e.category.clone(),
            manufacturer: e.manufacturer.clone(),
            model: e.model.clone(),
            serial_number: e.serial_number.clone(),
            purchase_date: e.purchase_date,
            installation_date: e.installation_date,
            warranty_end: e.warranty_end,
            criticality: e.criticality.clone(),
            location: Location {
                site_id: e.site_id,
                plant_id: e.plant_id,
                production_line_id: e.production_line_id,
            },
            parent_id: e.parent_id,
            specifications: e.specifications.clone(),
            notes: e.notes.clone(),
        }
    }
}

fn taken(field: &'static str) -> impl FnOnce() -> Error {
    move || {
        Error::conflict(
            if field == "code" {
                "code_taken"
            } else {
                "serial_number_taken"
            },
            json!({"field": field}),
        )
    }
}

/// Checks that `parent_id` is equipment in the same site, not archived, and not `id` itself or
/// one of its components (which would make a loop).
pub async fn check_parent(
    tx: &mut TenantTx,
    id: Option<Uuid>,
    parent_id: Uuid,
    site_id: Uuid,
) -> Result<()> {
    let parent: Option<(Uuid, Option<DateTime<Utc>>)> =
        sqlx::query_as("SELECT site_id, archived_at FROM equipment WHERE id = $1")
            .bind(parent_id)
            .fetch_optional(tx.conn())
            .await?;
    let invalid = || Error::invalid("parent_id", FieldError::new("invalid_parent"));
    match parent {
        Some((parent_site, None)) if parent_site == site_id => {}
        _ => return Err(invalid()),
    }
    if let Some(id) = id {
        let loops: bool = sqlx::query_scalar(
            "WITH RECURSIVE chain(id, parent_id) AS (
                 SELECT id, parent_id FROM equipment WHERE id = $1
                 UNION ALL
                 SELECT e.id, e.parent_id FROM equipment e JOIN chain c ON e.id = c.parent_id
             )
             SELECT EXISTS (SELECT 1 FROM chain WHERE id = $2)",
        )
        .bind(parent_id)
        .bind(id)
        .fetch_one(tx.conn())
        .await?;
        if loops {
            return Err(invalid());
        }
    }
    Ok(())
}

pub async fn create(
    tx: &mut TenantTx,
    input: EquipmentInput,
    status: EquipmentStatus,
) -> Result<Equipment> {
    let id = Uuid::now_v7();
    if let Some(parent) = input.parent_id {
        check_parent(tx, None, parent, input.location.site_id).await?;
    }
    sqlx::query(
        "INSERT INTO equipment (id, code, name, category, manufacturer, model, serial_number,
            purchase_date, installation_date, warranty_end, criticality, status, site_id, plant_id,
            production_line_id, parent_id, specifications, notes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(id)
    .bind(&input.code)
    .bind(&input.name)
    .bind(&input.category)
    .bind(&input.manufacturer)
    .bind(&input.model)
    .bind(&input.serial_number)
    .bind(input.purchase_date)
    .bind(input.installation_date)
    .bind(input.warranty_end)
    .bind(&input.criticality)
    .bind(status.as_str())
    .bind(input.location.site_id)
    .bind(input.location.plant_id)
    .bind(input.location.production_line_id)
    .bind(input.parent_id)
    .bind(&input.specifications)
    .bind(&input.notes)
    .execute(tx.conn())
    .await
    .on_constraint("equipment_code_key", taken("code"))
    .on_constraint("equipment_serial_number_key", taken("serial_number"))?;
    record_status(tx, id, None, status, StatusCause::default()).await?;
    audit::record_change(tx, "create", "equipment", id, None, Some(&input)).await?;
    get(tx, None, id).await
}

pub async fn update(
    tx: &mut TenantTx,
    before: &Equipment,
    input: EquipmentInput,
) -> Result<Equipment> {
    if let Some(parent) = input.parent_id {
        check_parent(tx, Some(before.id), parent, input.location.site_id).await?;
    }
    sqlx::query(
        "UPDATE equipment SET code = $2, name = $3, category = $4, manufacturer = $5, model = $6,
            serial_number = $7, purchase_date = $8, installation_date = $9, warranty_end = $10,
            criticality = $11, site_id = $12, plant_id = $13, production_line_id = $14,
            parent_id = $15, specifications = $16, notes = $17
         WHERE id = $1",
    )
    .bind(before.id)
    .bind(&input.code)
    .bind(&input.name)
    .bind(&input.category)
    .bind(&input.manufacturer)
    .bind(&input.model)
    .bind(&input.serial_number)
    .bind(input.purchase_date)
    .bind(input.installation_date)
    .bind(input.warranty_end)
    .bind(&input.criticality)
    .bind(input.location.site_id)
    .bind(input.location.plant_id)
    .bind(input.location.production_line_id)
    .bind(input.parent_id)
    .bind(&input.specifications)
    .bind(&input.notes)
    .execute(tx.conn())
    .await
    .on_constraint("equipment_code_key", taken("code"))
    .on_constraint("equipment_serial_number_key", taken("serial_number"))?;
    audit::record_change(
        tx,
        "update",
        "equipment",
        before.id,
        Some(&EquipmentInput::from(before)),
        Some(&input),
    )
    .await?;
    get(tx, None, before.id).await
}

/// Broken equipment is working again once nothing reports it broken any more: no corrective
/// order still open and no request that stopped production still awaiting a decision. Called
/// when one of those ends (completed or cancelled order, rejected request).
pub async fn release_if_repaired(
    tx: &mut TenantTx,
    equipment_id: Uuid,
    cause: StatusCause,
) -> Result<()> {
    let (status, still_open): (String, bool) = sqlx::query_as(
        "SELECT e.status,
                EXISTS (SELECT 1 FROM work_orders w
                        WHERE w.equipment_id = e.id AND w.type = 'corrective'
                          AND w.status IN ('open', 'assigned', 'in_progress', 'on_hold'))
                OR EXISTS (SELECT 1 FROM work_requests r
                           WHERE r.equipment_id = e.id AND r.production_stopped AND r.status = 'submitted')
         FROM equipment e WHERE e.id = $1",
    )
    .bind(equipment_id)
    .fetch_one(tx.conn())
    .await?;
    if status == EquipmentStatus::Broken.as_str() && !still_open {
        set_status(tx, equipment_id, EquipmentStatus::Active, cause).await?;
    }
    Ok(())
}

/// What caused a status change, recorded in the history.
#[derive(Debug, Clone, Default)]
pub struct StatusCause {
    pub reason: Option<String>,
    pub work_request_id: Option<Uuid>,
    pub work_order_id: Option<Uuid>,
}

async fn record_status(
    tx: &mut TenantTx,
    equipment_id: Uuid,
    from: Option<&str>,
    to: EquipmentStatus,
    cause: StatusCause,
) -> Result<()> {
    let actor = tx.actor().user_id;
    sqlx::query(
        "INSERT INTO equipment_status_history
            (id, equipment_id, from_status, to_status, reason, work_request_id, work_order_id, changed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7())
    .bind(equipment_id)
    .bind(from)
    .bind(to.as_str())
    .bind(&cause.reason)
    .bind(cause.work_request_id)
    .bind(cause.work_order_id)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Changes the status (no-op when unchanged), with its history and audit entries. Answers
/// whether it changed.
pub async fn set_status(
    tx: &mut TenantTx,
    equipment_id: Uuid,
    to: EquipmentStatus,
    cause: StatusCause,
) -> Result<bool> {
    let from: String = sqlx::query_scalar("SELECT status FROM equipment WHERE id = $1 FOR UPDATE")
        .bind(equipment_id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)?;
    if from == to.as_str() {
        return Ok(false);
    }
    sqlx::query("UPDATE equipment SET status = $2 WHERE id = $1")
        .bind(equipment_id)
        .bind(to.as_str())
        .execute(tx.conn())
        .await?;
    let reason = cause.reason.clone();
    record_status(tx, equipment_id, Some(&from), to, cause).await?;
    audit::record(
        tx,
        audit::Entry {
            action: "change_status",
            entity: "equipment",
            entity_id: Some(equipment_id),
            changes: json!({"status": {"before": from, "after": to.as_str()}, "reason": reason}),
        },
    )
    .await?;
    Ok(true)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StatusChange {
    pub id: Uuid,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
    pub work_request_id: Option<Uuid>,
    pub work_order_id: Option<Uuid>,
    pub changed_by: Option<Uuid>,
    pub changed_by_name: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// Newest first.
pub async fn status_history(tx: &mut TenantTx, equipment_id: Uuid) -> Result<Vec<StatusChange>> {
    Ok(sqlx::query_as(
        "SELECT h.id, h.from_status, h.to_status, h.reason, h.work_request_id, h.work_order_id,
                h.changed_by, u.full_name AS changed_by_name, h.changed_at
         FROM equipment_status_history h LEFT JOIN public.users u ON u.id = h.changed_by
         WHERE h.equipment_id = $1
         ORDER BY h.changed_at DESC, h.id DESC",
    )
    .bind(equipment_id)
    .fetch_all(tx.conn())
    .await?)
}

/// Archives (or restores) equipment. Archived equipment leaves lists and pickers but keeps its
/// history; it cannot be archived while work on it is open.
pub async fn set_archived(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    id: Uuid,
    archived: bool,
) -> Result<Equipment> {
    let before = get_for_update(tx, scope, id).await?;
    if archived && before.open_work_orders > 0 {
        return Err(Error::conflict(
            "open_work_orders",
            json!({"open_work_orders": before.open_work_orders}),
        ));
    }
    if archived {
        let components: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM equipment WHERE parent_id = $1 AND archived_at IS NULL",
        )
        .bind(id)
        .fetch_one(tx.conn())
        .await?;
        if components > 0 {
            return Err(Error::conflict(
                "has_children",
                json!({"components": components}),
            ));
        }
    }
    if archived == before.archived_at.is_some() {
        return Ok(before);
    }
    sqlx::query("UPDATE equipment SET archived_at = CASE WHEN $2 THEN now() END WHERE id = $1")
        .bind(id)
        .bind(archived)
        .execute(tx.conn())
        .await?;
    audit::record(
        tx,
        audit::Entry {
            action: if archived { "archive" } else { "restore" },
            entity: "equipment",
            entity_id: Some(id),
            changes: json!({"archived": {"before": !archived, "after": archived}}),
        },
    )
    .await?;
    get(tx, None, id).await
}

/// Deletes equipment that never had any history (a mistake just made); anything with history
/// must be archived instead (409 `has_history`).
pub async fn delete(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<()> {
    let equipment = get_for_update(tx, scope, id).await?;
    let history: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM work_orders WHERE equipment_id = $1)
              + (SELECT count(*) FROM work_requests WHERE equipment_id = $1)
              + (SELECT count(*) FROM meters WHERE equipment_id = $1)
              + (SELECT count(*) FROM equipment WHERE parent_id = $1)
              + (SELECT count(*) FROM attachments WHERE owner_type = 'equipment' AND owner_id = $1)",
    )
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    if history > 0 {
        return Err(Error::conflict("has_history", json!({})));
    }
    sqlx::query("DELETE FROM equipment_status_history WHERE equipment_id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM equipment WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    audit::record_change(
        tx,
        "delete",
        "equipment",
        id,
        Some(&EquipmentInput::from(&equipment)),
        None,
    )
    .await?;
    Ok(())
}

pub async fn count(tx: &mut TenantTx, scope: Scope<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM equipment WHERE archived_at IS NULL AND ($1::uuid[] IS NULL OR site_id = ANY($1))",
    )
    .bind(scope)
    .fetch_one(tx.conn())
    .await?)
}

/// Distinct categories in use, for pickers.
pub async fn categories(tx: &mut TenantTx) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT category FROM equipment WHERE category IS NOT NULL AND archived_at IS NULL ORDER BY 1",
    )
    .fetch_all(tx.conn())
    .await?)
}
