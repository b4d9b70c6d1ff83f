//! "Mon travail": every open order assigned to one person, sorted into the buckets of their day
//! (`WorkBucket`) by its due time in its own site's time zone, across all their work rather
//! than one page of it. Each bucket is ordered the same way: urgent first, then the most
//! recently assigned, then the earliest due.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use gmao_domain::maintenance::WorkBucket;
use uuid::Uuid;

use crate::sites::{Scope, like_pattern};
use crate::work_orders::{SELECT, WorkOrder};
use crate::{Result, TenantTx};

/// An order of someone's work, with when it was given to them (a client marks the new ones).
#[derive(Debug, Clone)]
pub struct MyWorkItem {
    pub order: WorkOrder,
    pub bucket: WorkBucket,
    pub assigned_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Bucket {
    pub bucket: WorkBucket,
    /// Every order of the person in this bucket, whatever the window returned.
    pub total: i64,
    pub items: Vec<MyWorkItem>,
}

/// Which part of the person's work to read.
#[derive(Debug, Clone)]
pub struct MyWorkQuery {
    pub user_id: Uuid,
    pub buckets: Vec<WorkBucket>,
    /// Searches number, title and equipment code and name.
    pub q: Option<String>,
    /// The window within each bucket: its orders ranked `offset + 1 ..= offset + limit`.
    pub offset: i64,
    pub limit: i64,
}

/// The person's open orders ranked within their buckets: `$1` the person, `$2` the site scope,
/// `$3` a search pattern, `$4` the buckets, `$5` and `$6` the window's offset and limit.
/// Public for the benchmark's `EXPLAIN`.
pub const RANKED: &str = "WITH mine AS (
            SELECT w.id, a.assigned_at, w.priority, w.due_at, w.number,
                   CASE
                     WHEN w.status = 'on_hold' THEN 'on_hold'
                     WHEN w.due_at < now() THEN 'overdue'
                     WHEN w.status = 'in_progress'
                       OR (w.due_at IS NULL AND w.priority = 'urgent')
                       OR w.due_at < (date_trunc('day', now() AT TIME ZONE s.time_zone) + interval '1 day')
                                     AT TIME ZONE s.time_zone
                       THEN 'today'
                     WHEN w.due_at < (date_trunc('week', now() AT TIME ZONE s.time_zone) + interval '7 days')
                                     AT TIME ZONE s.time_zone
                       THEN 'this_week'
                     ELSE 'later'
                   END AS bucket
            FROM work_orders w
            JOIN work_order_assignees a ON a.work_order_id = w.id AND a.user_id = $1 AND a.open
            JOIN sites s ON s.id = w.site_id
            JOIN equipment e ON e.id = w.equipment_id
            WHERE w.status IN ('assigned', 'in_progress', 'on_hold')
              AND ($2::uuid[] IS NULL OR w.site_id = ANY($2))
              AND ($3::text IS NULL OR w.number ILIKE $3 OR w.title ILIKE $3
                   OR e.code ILIKE $3 OR e.name ILIKE $3)
         ), ranked AS (
            SELECT id, bucket, assigned_at,
                   count(*) OVER (PARTITION BY bucket) AS total,
                   row_number() OVER (
                     PARTITION BY bucket
                     ORDER BY array_position(ARRAY['urgent', 'high', 'normal', 'low'], priority),
                              assigned_at DESC, due_at ASC NULLS LAST, number DESC
                   ) AS rank
            FROM mine
            WHERE bucket = ANY($4)
         )
         SELECT id, bucket, total, assigned_at, (rank > $5 AND rank <= $5 + $6) AS in_window
         FROM ranked
         WHERE rank = 1 OR (rank > $5 AND rank <= $5 + $6)
         ORDER BY bucket, rank";

/// The buckets asked for, in the order asked, each with its total and its window of orders.
/// Bounded work: the candidate set is the person's open assignments (a partial index), and at
/// most `buckets × limit` full orders are read.
pub async fn read(tx: &mut TenantTx, scope: Scope<'_>, query: &MyWorkQuery) -> Result<Vec<Bucket>> {
    let pattern = query.q.as_deref().map(like_pattern);
    let buckets: Vec<&str> = query.buckets.iter().map(|b| b.as_str()).collect();
    // Each bucket's first order comes back whatever the window, to carry the bucket's total.
    let ranked: Vec<(Uuid, String, i64, DateTime<Utc>, bool)> = sqlx::query_as(RANKED)
        .bind(query.user_id)
        .bind(scope)
        .bind(&pattern)
        .bind(&buckets)
        .bind(query.offset)
        .bind(query.limit)
        .fetch_all(tx.conn())
        .await?;

    let ids: Vec<Uuid> = ranked.iter().filter(|row| row.4).map(|row| row.0).collect();
    let mut orders: HashMap<Uuid, WorkOrder> = if ids.is_empty() {
        HashMap::new()
    } else {
        sqlx::query_as::<_, WorkOrder>(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE w.id = ANY($1)"
        )))
        .bind(&ids)
        .fetch_all(tx.conn())
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect()
    };

    let mut result: Vec<Bucket> = query
        .buckets
        .iter()
        .map(|&bucket| Bucket {
            bucket,
            total: 0,
            items: Vec::new(),
        })
        .collect();
    for (id, bucket, total, assigned_at, in_window) in ranked {
        let Some(slot) = result.iter_mut().find(|b| b.bucket.as_str() == bucket) else {
            continue;
        };
        slot.total = total;
        if !in_window {
            continue;
        }
        if let Some(order) = orders.remove(&id) {
            slot.items.push(MyWorkItem {
                order,
                bucket: slot.bucket,
                assigned_at,
            });
        }
    }
    Ok(result)
}
