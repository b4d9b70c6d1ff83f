//! A tenant's maintenance history in scope of a query, loaded in bulk: each table streams out
//! of PostgreSQL as CSV (`COPY … TO STDOUT`) straight into a Polars frame. Instants travel as
//! epoch milliseconds; the calendar is applied later, from the sites' time zones.

use std::io::Cursor;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use futures::TryStreamExt;
use gmao_db::TenantTx;
use polars::prelude::*;
use serde::Serialize;
use uuid::Uuid;

use crate::Error;

/// Which equipment a query looks at. Every filter narrows; `site_ids` is also how a
/// site-scoped member's reach applies.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scope {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_ids: Option<Vec<Uuid>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plant_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub production_line_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equipment_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criticality: Option<String>,
}

/// A site in scope: the small integer that stands for it in the frames, and its calendar.
#[derive(Debug, Clone)]
pub struct Site {
    pub key: i64,
    pub id: Uuid,
    pub name: String,
    pub zone: Tz,
}

/// The frames the engine computes over. Columns are documented on the `*_schema` functions;
/// equipment and sites appear as small integers (`equipment_id`, `site_id`), which keeps a
/// million orders compact; `equipment.uuid` maps them back.
#[derive(Debug, Clone)]
pub struct History {
    pub sites: Vec<Site>,
    /// Failure codes by the key the orders carry.
    pub codes: crate::failures::Codes,
    pub equipment: DataFrame,
    pub orders: DataFrame,
    pub time: DataFrame,
    pub requests: DataFrame,
    /// Members by user id.
    pub people: std::collections::BTreeMap<String, Person>,
    /// The weekly hours of the crew of the sites in scope: active members who carry out work
    /// orders there (the backlog's crew-weeks divide by it).
    pub crew_weekly_hours: f64,
    /// What costs are counted in (ISO 4217).
    pub currency: String,
}

/// A member as the indicators see them.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub full_name: String,
    /// Their working hours in a week (their own, else the company's).
    pub weekly_capacity_hours: f64,
}

impl History {
    /// Keeps only `user`'s time entries: their own hours, for a person who may not see others'.
    pub fn only_time_of(&mut self, user: Uuid) -> Result<(), Error> {
        self.time = self
            .time
            .clone()
            .lazy()
            .filter(col("user_id").eq(lit(user.to_string())))
            .collect()?;
        Ok(())
    }
}

/// `equipment_id`, `site_id` (keys), `archived_ms` (null when in service), `uuid`, `code`,
/// `name`, `category`.
pub fn equipment_schema() -> Schema {
    Schema::from_iter([
        Field::new("equipment_id".into(), DataType::Int64),
        Field::new("site_id".into(), DataType::Int64),
        Field::new("archived_ms".into(), DataType::Int64),
        Field::new("uuid".into(), DataType::String),
        Field::new("code".into(), DataType::String),
        Field::new("name".into(), DataType::String),
        Field::new("category".into(), DataType::String),
    ])
}

/// One row per work order; `tolerance_ms` is a preventive order's lateness allowed by its plan,
/// `skipped` 1 when its occurrence was skipped.
pub fn orders_schema() -> Schema {
    Schema::from_iter([
        Field::new("equipment_id".into(), DataType::Int64),
        Field::new("site_id".into(), DataType::Int64),
        Field::new("type".into(), DataType::String),
        Field::new("status".into(), DataType::String),
        Field::new("origin".into(), DataType::String),
        Field::new("created_ms".into(), DataType::Int64),
        Field::new("started_ms".into(), DataType::Int64),
        Field::new("completed_ms".into(), DataType::Int64),
        Field::new("cancelled_ms".into(), DataType::Int64),
        Field::new("due_ms".into(), DataType::Int64),
        Field::new("downtime_start_ms".into(), DataType::Int64),
        Field::new("downtime_end_ms".into(), DataType::Int64),
        Field::new("downtime_minutes".into(), DataType::Int64),
        Field::new("estimated_minutes".into(), DataType::Int64),
        Field::new("tolerance_ms".into(), DataType::Int64),
        Field::new("skipped".into(), DataType::Int32),
        Field::new("problem_key".into(), DataType::Int64),
        Field::new("cause_key".into(), DataType::Int64),
    ])
}

/// One row per time entry, dated by its start (its entry when no start was given); `cost` is
/// its minutes at the rate in force when it was logged (null: no rate known).
pub fn time_schema() -> Schema {
    Schema::from_iter([
        Field::new("user_id".into(), DataType::String),
        Field::new("site_id".into(), DataType::Int64),
        Field::new("equipment_id".into(), DataType::Int64),
        Field::new("type".into(), DataType::String),
        Field::new("at_ms".into(), DataType::Int64),
        Field::new("minutes".into(), DataType::Int64),
        Field::new("cost".into(), DataType::Float64),
    ])
}

/// One row per work request created in the window; `started_ms` is when work began on the
/// order it became.
pub fn requests_schema() -> Schema {
    Schema::from_iter([
        Field::new("site_id".into(), DataType::Int64),
        Field::new("urgency".into(), DataType::String),
        Field::new("status".into(), DataType::String),
        Field::new("created_ms".into(), DataType::Int64),
        Field::new("decided_ms".into(), DataType::Int64),
        Field::new("started_ms".into(), DataType::Int64),
    ])
}

/// Reads CSV with a header into a frame of exactly `schema`.
pub fn frame_from_csv(bytes: Vec<u8>, schema: Schema) -> Result<DataFrame, Error> {
    Ok(CsvReadOptions::default()
        .with_has_header(true)
        .with_schema(Some(Arc::new(schema)))
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()?)
}

/// The equipment in scope (and the failure codes), as CTEs. Ids and instants are written in
/// as literals, formatted from typed values: COPY takes no parameters, and the planner sizes the
/// scope from them (an opaque filter would make it expect one machine and loop over the orders
/// once per machine). Free text (category, criticality) comes from the transaction's settings.
fn scope_sql(scope: &Scope, from: DateTime<Utc>) -> String {
    let mut filters = vec![format!(
        "(e.archived_at IS NULL OR e.archived_at > {})",
        literal(from)
    )];
    if let Some(sites) = &scope.site_ids {
        filters.push(if sites.is_empty() {
            "false".to_string()
        } else {
            let ids: Vec<String> = sites.iter().map(|id| format!("'{id}'::uuid")).collect();
            format!("e.site_id IN ({})", ids.join(", "))
        });
    }
    for (column, id) in [
        ("e.plant_id", scope.plant_id),
        ("e.production_line_id", scope.production_line_id),
        ("e.id", scope.equipment_id),
    ] {
        if let Some(id) = id {
            filters.push(format!("{column} = '{id}'::uuid"));
        }
    }
    if scope.category.is_some() {
        filters.push("e.category = current_setting('gmao.kpi_category')".into());
    }
    if scope.criticality.is_some() {
        filters.push("e.criticality = current_setting('gmao.kpi_criticality')".into());
    }
    format!(
        "WITH scope AS (
    SELECT e.id, e.site_id, e.archived_at, e.code, e.name, e.category,
           row_number() OVER (ORDER BY e.id) AS n, dense_rank() OVER (ORDER BY e.site_id) AS site_n
    FROM equipment e
    WHERE {}
),
codes AS (SELECT id, row_number() OVER (ORDER BY kind, code) AS k, code, label FROM failure_codes)",
        filters.join("\n      AND ")
    )
}

/// An instant as SQL text: COPY takes no parameters, and the planner picks indexes better
/// with the window's bounds in sight. Formatted from a typed instant, so nothing else gets in.
fn literal(at: DateTime<Utc>) -> String {
    format!("'{}'::timestamptz", at.to_rfc3339())
}

fn ms(column: &str) -> String {
    format!("(extract(epoch FROM {column}) * 1000)::bigint")
}

/// Loads what the window `[from, to)` needs: every order that touches it (created, due,
/// stopped, completed or cancelled in it, or still open at its start) and the time logged in it.
pub async fn load(
    tx: &mut TenantTx,
    scope: &Scope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<History, Error> {
    for (name, value) in [
        ("gmao.kpi_category", &scope.category),
        ("gmao.kpi_criticality", &scope.criticality),
    ] {
        if let Some(value) = value {
            sqlx::query("SELECT set_config($1, $2, true)")
                .bind(name)
                .bind(value)
                .execute(tx.conn())
                .await?;
        }
    }
    let scope_cte = scope_sql(scope, from);

    let sites: Vec<(i64, Uuid, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{scope_cte} SELECT DISTINCT s.site_n, st.id, st.name, st.time_zone
         FROM scope s JOIN sites st ON st.id = s.site_id ORDER BY 1"
    )))
    .fetch_all(tx.conn())
    .await?;
    let sites: Vec<Site> = sites
        .into_iter()
        .map(|(key, id, name, zone)| Site {
            key,
            id,
            name,
            // Zones are checked when a site is written.
            zone: zone.parse().unwrap_or(chrono_tz::UTC),
        })
        .collect();

    let equipment = copy(
        tx,
        &format!(
            "{scope_cte} SELECT n, site_n, {}, id, code, name, category FROM scope",
            ms("archived_at")
        ),
        equipment_schema(),
    )
    .await?;
    let orders = copy(
        tx,
        &format!(
            "{scope_cte}
            SELECT s.n, s.site_n, o.type, o.status, o.origin,
                   {created}, {started}, {completed}, {cancelled}, {due}, {dstart}, {dend},
                   o.downtime_minutes, o.estimated_minutes,
                   CASE WHEN o.type = 'preventive' THEN GREATEST(86400000,
                       (0.1 * pl.cal_every
                        * extract(epoch FROM ('1 ' || pl.cal_unit)::interval) * 1000)::bigint)
                   END,
                   (sk.pm_plan_id IS NOT NULL)::int, fp.k, fc.k
            FROM work_orders o
            JOIN scope s ON s.id = o.equipment_id
            LEFT JOIN pm_plans pl ON pl.id = o.pm_plan_id
            LEFT JOIN pm_skips sk ON sk.pm_plan_id = o.pm_plan_id AND sk.occurrence = o.pm_occurrence
            LEFT JOIN codes fp ON fp.id = o.failure_problem_id
            LEFT JOIN codes fc ON fc.id = o.failure_cause_id
            -- Each line can use its own index (a bitmap OR on a short window; a plain scan
            -- of the table on a long one): created (a month earlier, for the failures a
            -- failure of the window repeats), completed (a month later, for a stop given in
            -- minutes before a completion), cancelled, due, stopped in the window, open now,
            -- or open all through it.
            WHERE (o.created_at >= {from_early} AND o.created_at < {to})
               OR (o.completed_at >= {from} AND o.completed_at < {to_late})
               OR (o.cancelled_at >= {from} AND o.cancelled_at < {to})
               OR (o.due_at >= {from} AND o.due_at < {to})
               OR (o.downtime_start IS NOT NULL
                   AND tstzrange(o.downtime_start, o.downtime_end) && tstzrange({from}, {to}))
               OR (o.completed_at IS NULL AND o.cancelled_at IS NULL)
               OR (o.completed_at >= {to_late} AND o.created_at < {from})
               OR (o.cancelled_at >= {to} AND o.created_at < {from})",
            from = literal(from),
            to = literal(to),
            from_early = literal(from - Duration::days(30)),
            to_late = literal(to + Duration::days(31)),
            created = ms("o.created_at"),
            started = ms("o.started_at"),
            completed = ms("o.completed_at"),
            cancelled = ms("o.cancelled_at"),
            due = ms("o.due_at"),
            dstart = ms("o.downtime_start"),
            dend = ms("o.downtime_end"),
        ),
        orders_schema(),
    )
    .await?;
    let time = copy(
        tx,
        &format!(
            "{scope_cte}
            SELECT t.user_id, s.site_n, s.n, o.type, {at}, t.minutes,
                   t.minutes * coalesce(t.hourly_rate_cents, {rate}) / 6000.0
            FROM time_entries t
            JOIN work_orders o ON o.id = t.work_order_id
            JOIN scope s ON s.id = o.equipment_id
            LEFT JOIN members m ON m.user_id = t.user_id
            WHERE COALESCE(t.started_at, t.created_at) >= {from}
              AND COALESCE(t.started_at, t.created_at) < {to}",
            at = ms("COALESCE(t.started_at, t.created_at)"),
            rate = gmao_db::labour::EFFECTIVE_RATE,
            from = literal(from),
            to = literal(to),
        ),
        time_schema(),
    )
    .await?;
    let requests = copy(
        tx,
        &format!(
            "{scope_cte}
            SELECT s.site_n, r.urgency, r.status, {created}, {decided}, {started}
            FROM work_requests r
            JOIN scope s ON s.id = r.equipment_id
            LEFT JOIN work_orders o ON o.id = r.work_order_id
            WHERE r.created_at >= {from} AND r.created_at < {to}",
            created = ms("r.created_at"),
            decided = ms("r.decided_at"),
            started = ms("o.started_at"),
            from = literal(from),
            to = literal(to),
        ),
        requests_schema(),
    )
    .await?;
    let codes: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{scope_cte} SELECT k, code, label FROM codes"
    )))
    .fetch_all(tx.conn())
    .await?;
    let codes = codes
        .into_iter()
        .map(|(k, code, label)| (k, crate::report::Code { code, label }))
        .collect();
    let people: Vec<(Uuid, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT m.user_id, u.full_name, ({})::bigint
         FROM members m JOIN public.users u ON u.id = m.user_id",
        gmao_db::labour::EFFECTIVE_CAPACITY
    )))
    .fetch_all(tx.conn())
    .await?;
    let people = people
        .into_iter()
        .map(|(id, full_name, minutes)| {
            let person = Person {
                full_name,
                weekly_capacity_hours: minutes as f64 / 60.0,
            };
            (id.to_string(), person)
        })
        .collect();
    let site_ids: Vec<Uuid> = sites.iter().map(|s| s.id).collect();
    let crew_weekly_hours = gmao_db::members::crew(tx, Some(&site_ids))
        .await?
        .iter()
        .map(|(_, minutes)| *minutes as f64 / 60.0)
        .sum();
    let currency = gmao_db::labour::get(tx).await?.currency;
    Ok(History {
        people,
        crew_weekly_hours,
        currency,
        sites,
        codes,
        equipment,
        orders,
        time,
        requests,
    })
}

async fn copy(tx: &mut TenantTx, query: &str, schema: Schema) -> Result<DataFrame, Error> {
    if tracing::enabled!(tracing::Level::TRACE) {
        // The plan behind a slow load, for whoever asks for it.
        let plan: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "EXPLAIN (ANALYZE, BUFFERS) {query}"
        )))
        .fetch_all(tx.conn())
        .await?;
        tracing::trace!("kpi history plan:\n{}", plan.join("\n"));
    }
    let started = std::time::Instant::now();
    let statement = format!("COPY ({query}) TO STDOUT (FORMAT csv, HEADER true)");
    let mut stream = tx.conn().copy_out_raw(&statement).await?;
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.try_next().await? {
        bytes.extend_from_slice(&chunk);
    }
    let streamed = started.elapsed();
    let frame = frame_from_csv(bytes, schema)?;
    tracing::debug!(
        rows = frame.height(),
        streamed_ms = streamed.as_millis() as u64,
        parsed_ms = (started.elapsed() - streamed).as_millis() as u64,
        columns = frame.width(),
        "kpi history copied"
    );
    Ok(frame)
}
