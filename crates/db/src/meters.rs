//! Meters of equipment (running hours, cycles, any unit) and their readings.

use chrono::{DateTime, Duration, Utc};
use gmao_domain::FieldError;
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::sites::Scope;
use crate::{ConstraintExt, Error, Page, PageRequest, Result, TenantTx, audit};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Meter {
    pub id: Uuid,
    pub equipment_id: Uuid,
    pub site_id: Uuid,
    pub name: String,
    pub unit: String,
    pub cumulative: bool,
    pub last_value: Option<f64>,
    pub last_read_at: Option<DateTime<Utc>>,
    pub reading_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT m.id, m.equipment_id, e.site_id, m.name, m.unit, m.cumulative,
        m.last_value, m.last_read_at,
        (SELECT count(*) FROM meter_readings r WHERE r.meter_id = m.id) AS reading_count,
        m.created_at, m.updated_at
    FROM meters m JOIN equipment e ON e.id = m.equipment_id";

/// The meters of one equipment (which the caller checked is in scope).
pub async fn list_for(tx: &mut TenantTx, equipment_id: Uuid) -> Result<Vec<Meter>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.equipment_id = $1 ORDER BY lower(m.name), m.id"
    )))
    .bind(equipment_id)
    .fetch_all(tx.conn())
    .await?)
}

pub async fn get(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<Meter> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.id = $1 AND ($2::uuid[] IS NULL OR e.site_id = ANY($2))"
    )))
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

/// Locks the meter so that readings recorded concurrently are checked one after the other.
async fn lock(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<Meter> {
    sqlx::query(
        "SELECT 1 FROM meters m JOIN equipment e ON e.id = m.equipment_id
         WHERE m.id = $1 AND ($2::uuid[] IS NULL OR e.site_id = ANY($2)) FOR UPDATE OF m",
    )
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)?;
    get(tx, scope, id).await
}

#[derive(Debug, Clone, Serialize)]
pub struct MeterInput {
    pub name: String,
    pub unit: String,
    pub cumulative: bool,
}

fn name_taken() -> Error {
    Error::conflict("name_taken", json!({"field": "name"}))
}

pub async fn create(tx: &mut TenantTx, equipment_id: Uuid, input: MeterInput) -> Result<Meter> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO meters (id, equipment_id, name, unit, cumulative) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(equipment_id)
    .bind(&input.name)
    .bind(&input.unit)
    .bind(input.cumulative)
    .execute(tx.conn())
    .await
    .on_constraint("meters_name_key", name_taken)?;
    audit::record_change(tx, "create", "meter", id, None, Some(&input)).await?;
    get(tx, None, id).await
}

pub async fn update(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    id: Uuid,
    name: Option<String>,
    unit: Option<String>,
) -> Result<Meter> {
    let before = lock(tx, scope, id).await?;
    let input = MeterInput {
        name: name.unwrap_or_else(|| before.name.clone()),
        unit: unit.unwrap_or_else(|| before.unit.clone()),
        cumulative: before.cumulative,
    };
    sqlx::query("UPDATE meters SET name = $2, unit = $3 WHERE id = $1")
        .bind(id)
        .bind(&input.name)
        .bind(&input.unit)
        .execute(tx.conn())
        .await
        .on_constraint("meters_name_key", name_taken)?;
    let old = MeterInput {
        name: before.name.clone(),
        unit: before.unit.clone(),
        cumulative: before.cumulative,
    };
    audit::record_change(tx, "update", "meter", id, Some(&old), Some(&input)).await?;
    get(tx, None, id).await
}

/// Deletes a meter without readings (409 `has_history` otherwise).
pub async fn delete(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<()> {
    let meter = lock(tx, scope, id).await?;
    if meter.reading_count > 0 {
        return Err(Error::conflict(
            "has_history",
            json!({"readings": meter.reading_count}),
        ));
    }
    sqlx::query("DELETE FROM meters WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    let old = MeterInput {
        name: meter.name,
        unit: meter.unit,
        cumulative: meter.cumulative,
    };
    audit::record_change(tx, "delete", "meter", id, Some(&old), None).await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Reading {
    pub id: Uuid,
    pub meter_id: Uuid,
    pub value: f64,
    pub read_at: DateTime<Utc>,
    pub source: String,
    pub recorded_by: Option<Uuid>,
    pub recorded_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Newest first, optionally within `[from, to)`.
pub async fn readings(
    tx: &mut TenantTx,
    meter_id: Uuid,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    page: PageRequest,
) -> Result<Page<Reading>> {
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<Reading>> = sqlx::query_as(
            "SELECT count(*) OVER () AS total, r.id, r.meter_id, r.value, r.read_at, r.source,
                    r.recorded_by, u.full_name AS recorded_by_name, r.created_at
             FROM meter_readings r LEFT JOIN public.users u ON u.id = r.recorded_by
             WHERE r.meter_id = $1
               AND ($2::timestamptz IS NULL OR r.read_at >= $2)
               AND ($3::timestamptz IS NULL OR r.read_at < $3)
             ORDER BY r.read_at DESC
             LIMIT $4 OFFSET $5",
        )
        .bind(meter_id)
        .bind(from)
        .bind(to)
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
        rows
    }))
}

/// Readings may be dated up to this far ahead (clocks of handhelds drift).
const FUTURE_TOLERANCE_MINUTES: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Manual,
    Import,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Manual => "manual",
            Source::Import => "import",
        }
    }
}

/// The readings just before and just after an instant: (value, time) each, when they exist.
type Neighbours = (
    Option<f64>,
    Option<DateTime<Utc>>,
    Option<f64>,
    Option<DateTime<Utc>>,
);

/// Why a reading is refused, as a field error (`value` or `read_at`) with what it conflicts with.
async fn check_reading(
    tx: &mut TenantTx,
    meter: &Meter,
    value: f64,
    read_at: DateTime<Utc>,
) -> Result<(), (&'static str, FieldError)> {
    if !value.is_finite() {
        return Err(("value", FieldError::new("invalid_number")));
    }
    if read_at > Utc::now() + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        return Err(("read_at", FieldError::new("reading_in_future")));
    }
    if meter.cumulative && value < 0.0 {
        return Err(("value", FieldError::new("reading_negative")));
    }
    // Checked here rather than left to the unique key: a violation would abort the
    // transaction, and an import checks every line before answering.
    let taken: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM meter_readings WHERE meter_id = $1 AND read_at = $2)",
    )
    .bind(meter.id)
    .bind(read_at)
    .fetch_one(tx.conn())
    .await
    .unwrap_or(false);
    if taken {
        return Err(("read_at", FieldError::new("reading_exists")));
    }
    if !meter.cumulative {
        return Ok(());
    }
    // A cumulative meter never goes down: the new value lies between its neighbours in time.
    let neighbours: Neighbours = sqlx::query_as(
        "SELECT (SELECT value FROM meter_readings WHERE meter_id = $1 AND read_at < $2 ORDER BY read_at DESC LIMIT 1),
                (SELECT read_at FROM meter_readings WHERE meter_id = $1 AND read_at < $2 ORDER BY read_at DESC LIMIT 1),
                (SELECT value FROM meter_readings WHERE meter_id = $1 AND read_at > $2 ORDER BY read_at ASC LIMIT 1),
                (SELECT read_at FROM meter_readings WHERE meter_id = $1 AND read_at > $2 ORDER BY read_at ASC LIMIT 1)",
    )
    .bind(meter.id)
    .bind(read_at)
    .fetch_one(tx.conn())
    .await
    .map_err(|_| ("value", FieldError::new("invalid_number")))?;
    let (previous, previous_at, next, next_at) = neighbours;
    if let (Some(previous), Some(at)) = (previous, previous_at)
        && value < previous
    {
        return Err((
            "value",
            FieldError::new("reading_below_previous")
                .with("previous_value", previous)
                .with("previous_read_at", at.to_rfc3339()),
        ));
    }
    if let (Some(next), Some(at)) = (next, next_at)
        && value > next
    {
        return Err((
            "value",
            FieldError::new("reading_above_next")
                .with("next_value", next)
                .with("next_read_at", at.to_rfc3339()),
        ));
    }
    Ok(())
}

/// Records a reading. A cumulative meter refuses a value below the reading before it (or above
/// the one after it, for a late entry); two readings at the same instant conflict.
pub async fn record(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    meter_id: Uuid,
    value: f64,
    read_at: DateTime<Utc>,
    source: Source,
) -> Result<Reading> {
    let meter = lock(tx, scope, meter_id).await?;
    if let Err((field, error)) = check_reading(tx, &meter, value, read_at).await {
        return Err(Error::invalid(field, error));
    }
    insert(tx, &meter, value, read_at, source).await
}

async fn insert(
    tx: &mut TenantTx,
    meter: &Meter,
    value: f64,
    read_at: DateTime<Utc>,
    source: Source,
) -> Result<Reading> {
    let id = Uuid::now_v7();
    let recorded_by = tx.actor().user_id;
    sqlx::query(
        "INSERT INTO meter_readings (id, meter_id, value, read_at, source, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(meter.id)
    .bind(value)
    .bind(read_at)
    .bind(source.as_str())
    .bind(recorded_by)
    .execute(tx.conn())
    .await
    .on_constraint("meter_readings_time_key", || {
        Error::conflict(
            "reading_exists",
            json!({"field": "read_at", "read_at": read_at.to_rfc3339()}),
        )
    })?;
    sqlx::query(
        "UPDATE meters SET last_value = $2, last_read_at = $3
         WHERE id = $1 AND (last_read_at IS NULL OR last_read_at <= $3)",
    )
    .bind(meter.id)
    .bind(value)
    .bind(read_at)
    .execute(tx.conn())
    .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "record_reading",
            entity: "meter",
            entity_id: Some(meter.id),
            changes: json!({"value": value, "read_at": read_at.to_rfc3339(), "source": source}),
        },
    )
    .await?;
    sqlx::query_as(
        "SELECT r.id, r.meter_id, r.value, r.read_at, r.source, r.recorded_by,
                u.full_name AS recorded_by_name, r.created_at
         FROM meter_readings r LEFT JOIN public.users u ON u.id = r.recorded_by WHERE r.id = $1",
    )
    .bind(id)
    .fetch_one(tx.conn())
    .await
    .map_err(Error::from)
}

/// When a reading was taken: an exact instant, or a wall-clock time of the equipment's site
/// (what spreadsheets export).
#[derive(Debug, Clone, Copy)]
pub enum ReadAt {
    Instant(DateTime<Utc>),
    SiteLocal(chrono::NaiveDateTime),
}

/// One line of an import: which meter (by equipment code and meter name), value, time.
#[derive(Debug, Clone)]
pub struct ImportLine {
    pub line: usize,
    pub equipment_code: String,
    pub meter_name: String,
    pub value: f64,
    pub read_at: ReadAt,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportProblem {
    pub line: usize,
    pub field: &'static str,
    pub code: &'static str,
    pub params: serde_json::Value,
}

/// Imports readings all or nothing: every line is checked (in time order per meter, so a file
/// may hold a series), and any problem refuses the whole file with the list of problems.
pub async fn import(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    lines: Vec<ImportLine>,
) -> Result<Result<usize, Vec<ImportProblem>>> {
    let mut problems = Vec::new();
    let mut meters: std::collections::HashMap<(String, String), Option<(Meter, chrono_tz::Tz)>> =
        Default::default();
    // Resolve meters and times first, then record in time order per meter, so that a file
    // may hold a series in any order.
    let mut resolved = Vec::with_capacity(lines.len());
    for line in &lines {
        let key = (
            line.equipment_code.trim().to_uppercase(),
            line.meter_name.trim().to_lowercase(),
        );
        if !meters.contains_key(&key) {
            let found: Option<(Uuid, String)> = sqlx::query_as(
                "SELECT m.id, s.time_zone FROM meters m JOIN equipment e ON e.id = m.equipment_id
                 JOIN sites s ON s.id = e.site_id
                 WHERE e.code = $1 AND lower(m.name) = $2 AND e.archived_at IS NULL
                   AND ($3::uuid[] IS NULL OR e.site_id = ANY($3))",
            )
            .bind(&key.0)
            .bind(&key.1)
            .bind(scope)
            .fetch_optional(tx.conn())
            .await?;
            let meter = match found {
                Some((id, zone)) => Some((
                    lock(tx, scope, id).await?,
                    zone.parse().unwrap_or(chrono_tz::UTC),
                )),
                None => None,
            };
            meters.insert(key.clone(), meter);
        }
        let Some(Some((meter, zone))) = meters.get(&key).cloned() else {
            problems.push(ImportProblem {
                line: line.line,
                field: "meter",
                code: "unknown_meter",
                params: json!({"equipment_code": line.equipment_code, "meter": line.meter_name}),
            });
            continue;
        };
        let read_at = match line.read_at {
            ReadAt::Instant(at) => at,
            ReadAt::SiteLocal(local) => match local.and_local_timezone(zone).earliest() {
                Some(at) => at.with_timezone(&Utc),
                None => {
                    problems.push(ImportProblem {
                        line: line.line,
                        field: "read_at",
                        code: "nonexistent_local_time",
                        params: json!({"time_zone": zone.name()}),
                    });
                    continue;
                }
            },
        };
        resolved.push((line.line, meter, line.value, read_at));
    }
    resolved.sort_by_key(|(_, meter, _, read_at)| (meter.id, *read_at));
    let mut imported = 0;
    for (line_number, meter, value, read_at) in resolved {
        let line = ImportProblemLine { line: line_number };
        if let Err((field, error)) = check_reading(tx, &meter, value, read_at).await {
            problems.push(ImportProblem {
                line: line.line,
                field,
                code: error.code,
                params: error.params,
            });
            continue;
        }
        if !problems.is_empty() {
            // Already failing: keep checking the rest without writing.
            continue;
        }
        match insert(tx, &meter, value, read_at, Source::Import).await {
            Ok(_) => imported += 1,
            Err(Error::Conflict { code, .. }) => problems.push(ImportProblem {
                line: line.line,
                field: "read_at",
                code,
                params: json!({}),
            }),
            Err(other) => return Err(other),
        }
    }
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() {
        Ok(Ok(imported))
    } else {
        Ok(Err(problems))
    }
}

struct ImportProblemLine {
    line: usize,
}
