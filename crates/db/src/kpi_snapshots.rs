//! The night's snapshots of what the indicators cannot compute again later: the backlog at the
//! end of each local day of each site (`kpi_backlog_days`). Taken from the orders' own
//! timestamps (open at the day's end: created before it, neither completed nor cancelled by
//! then), so the hour the job runs does not matter; one row per (site, day), so running twice
//! adds nothing.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::{Result, TenantTx};

/// Days a run fills in when the job did not run for a while.
pub const CATCH_UP_DAYS: i32 = 7;

/// Records, for every site, each complete local day of the last [`CATCH_UP_DAYS`] before
/// `as_of` that has no snapshot yet; answers how many rows were added.
pub async fn take(tx: &mut TenantTx, as_of: DateTime<Utc>) -> Result<u64> {
    let done = sqlx::query(
        "INSERT INTO kpi_backlog_days (site_id, day, open_orders, estimated_minutes,
             under_7_days, from_7_to_30_days, from_30_to_90_days, over_90_days)
         SELECT s.id, d.day,
                count(w.id),
                coalesce(sum(w.estimated_minutes), 0),
                count(w.id) FILTER (WHERE d.ends - w.created_at < interval '7 days'),
                count(w.id) FILTER (WHERE d.ends - w.created_at >= interval '7 days'
                                      AND d.ends - w.created_at < interval '30 days'),
                count(w.id) FILTER (WHERE d.ends - w.created_at >= interval '30 days'
                                      AND d.ends - w.created_at < interval '90 days'),
                count(w.id) FILTER (WHERE d.ends - w.created_at >= interval '90 days')
         FROM sites s
         CROSS JOIN LATERAL (
             SELECT day::date AS day,
                    ((day::date + 1)::timestamp AT TIME ZONE s.time_zone) AS ends
             FROM generate_series(($1 AT TIME ZONE s.time_zone)::date - $2,
                                  ($1 AT TIME ZONE s.time_zone)::date - 1,
                                  interval '1 day') AS day
         ) d
         LEFT JOIN work_orders w
                ON w.site_id = s.id AND w.created_at < d.ends
               AND (w.completed_at IS NULL OR w.completed_at >= d.ends)
               AND (w.cancelled_at IS NULL OR w.cancelled_at >= d.ends)
         WHERE NOT EXISTS (SELECT 1 FROM kpi_backlog_days k WHERE k.site_id = s.id AND k.day = d.day)
         GROUP BY s.id, d.day
         ON CONFLICT (site_id, day) DO NOTHING",
    )
    .bind(as_of)
    .bind(CATCH_UP_DAYS)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected())
}

/// The backlog at the end of one day, over the sites asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct BacklogDay {
    pub day: NaiveDate,
    pub open_orders: i64,
    pub estimated_minutes: i64,
    pub under_7_days: i64,
    pub from_7_to_30_days: i64,
    pub from_30_to_90_days: i64,
    pub over_90_days: i64,
    /// Sites with a snapshot that day.
    pub sites: i64,
}

/// The snapshots of `[from, to]`, summed over `site_ids` (every site when `None`), by day.
pub async fn backlog_days(
    tx: &mut TenantTx,
    site_ids: Option<&[Uuid]>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<BacklogDay>> {
    Ok(sqlx::query_as(
        "SELECT day, sum(open_orders)::bigint AS open_orders,
                sum(estimated_minutes)::bigint AS estimated_minutes,
                sum(under_7_days)::bigint AS under_7_days,
                sum(from_7_to_30_days)::bigint AS from_7_to_30_days,
                sum(from_30_to_90_days)::bigint AS from_30_to_90_days,
                sum(over_90_days)::bigint AS over_90_days,
                count(*) AS sites
         FROM kpi_backlog_days
         WHERE day BETWEEN $1 AND $2 AND ($3::uuid[] IS NULL OR site_id = ANY($3))
         GROUP BY day ORDER BY day",
    )
    .bind(from)
    .bind(to)
    .bind(site_ids)
    .fetch_all(tx.conn())
    .await?)
}
