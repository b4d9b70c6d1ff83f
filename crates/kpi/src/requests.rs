//! Requests and how fast they are answered: volume by urgency, the share approved, the time to
//! a decision, to approval, and from the report to the start of work.

use polars::prelude::*;

use crate::Error;
use crate::report::{Durations, Figure, RequestStats, Response, Unit, UrgencyCount};

const HOUR_MS: f64 = 3_600_000.0;

/// Over the requests created in the window (`requests`: `urgency`, `status`, `created_ms`,
/// `decided_ms`, `started_ms` of the order it became).
pub fn analyse(
    requests: &DataFrame,
    from: i64,
    to: i64,
) -> Result<(RequestStats, Response), Error> {
    let created = requests.clone().lazy().filter(
        col("created_ms")
            .gt_eq(lit(from))
            .and(col("created_ms").lt(lit(to))),
    );
    let by_urgency = created
        .clone()
        .group_by([col("urgency")])
        .agg([len().cast(DataType::Int64).alias("count")])
        .sort(["urgency"], SortMultipleOptions::default())
        .collect()?;
    let urgencies = by_urgency.column("urgency")?.str()?.clone();
    let counts = by_urgency.column("count")?.i64()?.clone();
    let mut volume = Vec::new();
    let mut total = 0u64;
    for i in 0..by_urgency.height() {
        let count = counts.get(i).unwrap_or(0).max(0).unsigned_abs();
        total += count;
        volume.push(UrgencyCount {
            urgency: urgencies.get(i).unwrap_or_default().to_string(),
            count,
        });
    }
    // Urgencies in their order of gravity, not alphabetical.
    let rank = |u: &str| match u {
        "critical" => 0,
        "high" => 1,
        "normal" => 2,
        "low" => 3,
        _ => 4,
    };
    volume.sort_by_key(|v| rank(&v.urgency));

    let decided = created.clone().filter(
        col("decided_ms")
            .is_not_null()
            .and(col("status").neq(lit("submitted"))),
    );
    let approved = col("status").eq(lit("approved"));
    let counts = decided
        .clone()
        .select([
            len().cast(DataType::Int64).alias("decided"),
            approved
                .clone()
                .cast(DataType::Int64)
                .sum()
                .alias("approved"),
        ])
        .collect()?;
    let decided_count = counts.column("decided")?.i64()?.get(0).unwrap_or(0) as f64;
    let approved_count = counts
        .column("approved")?
        .cast(&DataType::Int64)?
        .i64()?
        .get(0)
        .unwrap_or(0) as f64;

    let to_decision = durations(decided.clone(), col("decided_ms") - col("created_ms"))?;
    let to_approval = durations(
        decided.filter(approved),
        col("decided_ms") - col("created_ms"),
    )?;
    let to_start = durations(
        created.filter(col("started_ms").is_not_null()),
        col("started_ms") - col("created_ms"),
    )?;
    Ok((
        RequestStats {
            total,
            by_urgency: volume,
            approval_rate: Figure::ratio(approved_count, decided_count, Unit::Percent),
            time_to_decision: to_decision,
        },
        Response {
            to_approval,
            to_start,
        },
    ))
}

fn durations(frame: LazyFrame, elapsed: Expr) -> Result<Durations, Error> {
    let stats = frame
        .select([elapsed.alias("ms")])
        .filter(col("ms").gt_eq(lit(0i64)))
        .select([
            len().cast(DataType::Int64).alias("count"),
            col("ms").cast(DataType::Float64).mean().alias("mean"),
            col("ms").cast(DataType::Float64).median().alias("median"),
        ])
        .collect()?;
    let get = |name: &str| -> Result<Option<f64>, Error> {
        Ok(stats.column(name)?.cast(&DataType::Float64)?.f64()?.get(0))
    };
    let count = get("count")?.unwrap_or(0.0);
    Ok(Durations {
        count: count.max(0.0) as u64,
        mean_hours: get("mean")?.map(|ms| ms / HOUR_MS),
        median_hours: get("median")?.map(|ms| ms / HOUR_MS),
    })
}
