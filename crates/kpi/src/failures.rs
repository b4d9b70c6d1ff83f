//! Where the failures are: downtime by failure cause (a Pareto), the machines with the most
//! downtime and the most failures, and repeat failures (the same machine and problem again
//! within 30 days).

use std::collections::BTreeMap;

use polars::lazy::dsl::{max_horizontal, min_horizontal};
use polars::prelude::*;

use crate::Error;
use crate::history::History;
use crate::report::{CauseShare, Code, EquipmentRank, Failures, RepeatFailure};

const HOUR_MS: f64 = 3_600_000.0;
/// How soon the same failure again makes a repeat.
pub const REPEAT_WITHIN_MS: i64 = 30 * 86_400_000;
/// Machines in each ranking.
const TOP: usize = 10;

/// `failures`: the failures (corrective, not cancelled) with their instant `at` and stop
/// `dt_start`/`dt_end`, loaded up to 30 days before the window for repeats. `downtime`: each
/// machine's downtime in the window (`equipment_id`, `down_ms`).
pub fn analyse(
    history: &History,
    failures: LazyFrame,
    downtime: LazyFrame,
    from: i64,
    to: i64,
) -> Result<Failures, Error> {
    let machines = Machines::read(&history.equipment)?;
    let in_window = |at: Expr| at.clone().gt_eq(lit(from)).and(at.lt(lit(to)));
    let failures = failures.with_column(
        when(col("dt_start").is_not_null())
            .then(
                (min_horizontal([col("dt_end"), lit(to)])?
                    - max_horizontal([col("dt_start"), lit(from)])?)
                .clip_min(lit(0i64)),
            )
            .otherwise(lit(0i64))
            .alias("down_ms"),
    );

    // Repeats: sorted by machine, problem and time, each failure looks at the one before it.
    let repeats = failures
        .clone()
        .filter(col("problem_key").is_not_null())
        .sort(
            ["equipment_id", "problem_key", "at"],
            SortMultipleOptions::default(),
        )
        .with_column(
            col("at")
                .shift(lit(1))
                .over([col("equipment_id"), col("problem_key")])?
                .alias("previous"),
        )
        .filter(
            in_window(col("at"))
                .and(col("previous").is_not_null())
                .and((col("at") - col("previous")).lt_eq(lit(REPEAT_WITHIN_MS))),
        )
        .group_by([col("equipment_id"), col("problem_key")])
        .agg([len().cast(DataType::Int64).alias("repeats")])
        .sort(
            ["repeats", "equipment_id"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let mut repeat_list = Vec::new();
    let mut repeat_total = 0u64;
    for i in 0..repeats.height() {
        let equipment = int(&repeats, "equipment_id", i)?;
        let problem = int(&repeats, "problem_key", i)?;
        let count = count_at(&repeats, "repeats", i)?;
        repeat_total += count;
        if repeat_list.len() < TOP
            && let (Some(equipment), Some(problem)) = (machines.rank(equipment), problem)
        {
            repeat_list.push(RepeatFailure {
                equipment,
                problem: history.codes.get(&problem).cloned(),
                repeats: count,
            });
        }
    }

    let in_window_failures = failures.filter(in_window(col("at")));
    let by_cause = in_window_failures
        .clone()
        .group_by([col("cause_key")])
        .agg([
            col("down_ms").sum().alias("down_ms"),
            len().cast(DataType::Int64).alias("failures"),
        ])
        .sort(
            ["down_ms", "failures"],
            SortMultipleOptions::default().with_order_descending_multi([true, true]),
        )
        .collect()?;
    let total_down: f64 = (0..by_cause.height())
        .map(|i| float(&by_cause, "down_ms", i).unwrap_or(0.0))
        .sum();
    let mut cumulative = 0.0;
    let mut causes = Vec::new();
    for i in 0..by_cause.height() {
        let down = float(&by_cause, "down_ms", i)?;
        cumulative += down;
        causes.push(CauseShare {
            cause: int(&by_cause, "cause_key", i)?.and_then(|k| history.codes.get(&k).cloned()),
            downtime_hours: down / HOUR_MS,
            failures: count_at(&by_cause, "failures", i)?,
            cumulative_percent: if total_down > 0.0 {
                cumulative / total_down * 100.0
            } else {
                0.0
            },
        });
    }

    let per_machine = downtime
        .group_by([col("equipment_id")])
        .agg([col("down_ms").sum().alias("down_ms")])
        .join(
            in_window_failures
                .group_by([col("equipment_id")])
                .agg([len().cast(DataType::Int64).alias("failures")]),
            [col("equipment_id")],
            [col("equipment_id")],
            JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .with_columns([
            col("down_ms").fill_null(lit(0i64)),
            col("failures").fill_null(lit(0i64)),
        ]);
    let ranking = |by: [&str; 2]| -> Result<Vec<EquipmentRank>, Error> {
        let frame = per_machine
            .clone()
            .filter(col(by[0]).gt(lit(0i64)))
            .sort(
                [by[0], by[1], "equipment_id"],
                SortMultipleOptions::default().with_order_descending_multi([true, true, false]),
            )
            .limit(TOP as IdxSize)
            .collect()?;
        let mut out = Vec::new();
        for i in 0..frame.height() {
            if let Some(mut rank) = machines.rank(int(&frame, "equipment_id", i)?) {
                rank.downtime_hours = float(&frame, "down_ms", i)? / HOUR_MS;
                rank.failures = count_at(&frame, "failures", i)?;
                out.push(rank);
            }
        }
        Ok(out)
    };
    Ok(Failures {
        by_cause: causes,
        most_downtime: ranking(["down_ms", "failures"])?,
        most_failures: ranking(["failures", "down_ms"])?,
        repeats: repeat_total,
        repeat_list,
    })
}

/// The machines in scope by key: their id, code and name.
pub(crate) struct Machines(pub(crate) BTreeMap<i64, (uuid::Uuid, String, String)>);

impl Machines {
    pub(crate) fn read(equipment: &DataFrame) -> Result<Machines, Error> {
        let keys = equipment.column("equipment_id")?.i64()?;
        let ids = equipment.column("uuid")?.str()?;
        let codes = equipment.column("code")?.str()?;
        let names = equipment.column("name")?.str()?;
        let mut out = BTreeMap::new();
        for i in 0..equipment.height() {
            if let (Some(key), Some(id)) = (keys.get(i), ids.get(i)) {
                out.insert(
                    key,
                    (
                        id.parse().unwrap_or_default(),
                        codes.get(i).unwrap_or_default().to_string(),
                        names.get(i).unwrap_or_default().to_string(),
                    ),
                );
            }
        }
        Ok(Machines(out))
    }

    fn rank(&self, key: Option<i64>) -> Option<EquipmentRank> {
        let (id, code, name) = self.0.get(&key?)?;
        Some(EquipmentRank {
            equipment_id: *id,
            code: code.clone(),
            name: name.clone(),
            downtime_hours: 0.0,
            failures: 0,
        })
    }
}

fn int(frame: &DataFrame, column: &str, i: usize) -> Result<Option<i64>, Error> {
    Ok(frame.column(column)?.cast(&DataType::Int64)?.i64()?.get(i))
}

fn float(frame: &DataFrame, column: &str, i: usize) -> Result<f64, Error> {
    Ok(frame
        .column(column)?
        .cast(&DataType::Float64)?
        .f64()?
        .get(i)
        .unwrap_or(0.0))
}

fn count_at(frame: &DataFrame, column: &str, i: usize) -> Result<u64, Error> {
    Ok(int(frame, column, i)?.unwrap_or(0).max(0).unsigned_abs())
}

/// Failure codes by key, as loaded.
pub type Codes = BTreeMap<i64, Code>;
