//! The indicators side by side by site, machine, equipment category, failure cause or
//! technician: the same measures as the totals (docs/kpis.md), summed by the dimension instead
//! of by period. A dimension an indicator does not split by leaves it empty (availability by
//! failure cause, MTBF by technician…).

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;
use serde::Serialize;

use crate::Error;
use crate::history::History;
use crate::report::{Figure, Sums, Unit};

const HOUR_MS: f64 = 3_600_000.0;
/// Rows a breakdown returns at most (machines, most downtime first).
pub const MAX_ROWS: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Site,
    Equipment,
    Category,
    Cause,
    Technician,
}

/// The rows the measures come from, each already limited to the window: `operating`
/// (`equipment_id`, `site_id`, `window_ms`, `operating_ms`), `failures` (`failures`),
/// `repairs` (`repairs`, `repair_ms`), `pm` (`pm_due`, `pm_on_time`) and `time` (`user_id`,
/// `minutes`, `planned_minutes`, `cost`); all but `time`'s person carry `equipment_id` and
/// `site_id`, failures and repairs `cause_key`.
pub struct Frames {
    pub operating: LazyFrame,
    pub failures: LazyFrame,
    pub repairs: LazyFrame,
    pub pm: LazyFrame,
    pub time: LazyFrame,
}

/// One site, machine, category, cause or person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Its id (site, machine, person), category text or failure code; empty for "none given".
    pub key: String,
    pub label: String,
    pub mtbf: Option<Figure>,
    pub mttr: Option<Figure>,
    pub availability: Option<Figure>,
    pub pm_compliance: Option<Figure>,
    pub planned_work: Option<Figure>,
    pub failures: Option<f64>,
    pub downtime_hours: Option<f64>,
    pub labour_hours: Option<f64>,
    /// Labour cost of the priced hours; none when no hour of the row has a rate.
    pub cost: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub by: Dimension,
    pub rows: Vec<Row>,
    /// More rows than [`MAX_ROWS`] matched; the first ones are given.
    pub truncated: bool,
}

/// Which measures a dimension splits.
struct Splits {
    equipment: bool,
    failures: bool,
    time: bool,
}

impl Dimension {
    fn splits(self) -> Splits {
        match self {
            Dimension::Site | Dimension::Equipment | Dimension::Category => Splits {
                equipment: true,
                failures: true,
                time: true,
            },
            Dimension::Cause => Splits {
                equipment: false,
                failures: true,
                time: false,
            },
            Dimension::Technician => Splits {
                equipment: false,
                failures: false,
                time: true,
            },
        }
    }
}

pub fn compute(history: &History, by: Dimension, frames: Frames) -> Result<Breakdown, Error> {
    let splits = by.splits();
    let keyed = |frame: LazyFrame| keyed(history, by, frame);
    let sum = |frame: LazyFrame, measures: &[&str]| sums(keyed(frame), measures);
    let (operating, pm) = if splits.equipment {
        (
            sum(frames.operating.clone(), &["window_ms", "operating_ms"])?,
            sum(frames.pm, &["pm_due", "pm_on_time"])?,
        )
    } else {
        (BTreeMap::new(), BTreeMap::new())
    };
    let (failures, repairs) = if splits.failures {
        (
            sum(frames.failures, &["failures"])?,
            sum(frames.repairs, &["repairs", "repair_ms"])?,
        )
    } else {
        (BTreeMap::new(), BTreeMap::new())
    };
    let time_frame = frames.time.with_columns([
        when(col("cost").is_not_null())
            .then(col("minutes"))
            .otherwise(lit(0i64))
            .alias("priced_minutes"),
        col("cost").fill_null(lit(0.0)),
    ]);
    let time = if splits.time {
        sum(
            time_frame,
            &["minutes", "planned_minutes", "priced_minutes", "cost"],
        )?
    } else {
        BTreeMap::new()
    };
    // MTBF by cause: the operating time of every machine in scope over that cause's failures.
    let all_operating = if by == Dimension::Cause {
        sums(
            frames.operating.with_column(lit("").alias("key")),
            &["operating_ms"],
        )?
        .remove("")
        .unwrap_or_default()
    } else {
        Sums::default()
    };

    let mut keys: BTreeSet<&String> = BTreeSet::new();
    if splits.equipment {
        keys.extend(operating.keys());
    }
    if splits.failures {
        keys.extend(failures.keys().chain(repairs.keys()));
    }
    if splits.time {
        keys.extend(time.keys());
    }
    let labels = Labels::new(history, by)?;
    let empty = Sums::default();
    let mut rows: Vec<Row> = keys
        .into_iter()
        .map(|key| {
            let get = |map: &BTreeMap<String, Sums>| map.get(key).unwrap_or(&empty).clone();
            let (o, f, r, p, t) = (
                get(&operating),
                get(&failures),
                get(&repairs),
                get(&pm),
                get(&time),
            );
            let hours = |ms: f64| ms / HOUR_MS;
            let exposure = if by == Dimension::Cause {
                &all_operating
            } else {
                &o
            };
            Row {
                key: labels.id(key),
                label: labels.of(key),
                mtbf: splits.failures.then(|| {
                    Figure::ratio(
                        hours(exposure.get("operating_ms")),
                        f.get("failures"),
                        Unit::Hours,
                    )
                }),
                mttr: splits.failures.then(|| {
                    Figure::ratio(hours(r.get("repair_ms")), r.get("repairs"), Unit::Hours)
                }),
                availability: splits.equipment.then(|| {
                    Figure::ratio(
                        hours(o.get("operating_ms")),
                        hours(o.get("window_ms")),
                        Unit::Percent,
                    )
                }),
                pm_compliance: splits
                    .equipment
                    .then(|| Figure::ratio(p.get("pm_on_time"), p.get("pm_due"), Unit::Percent)),
                planned_work: splits.time.then(|| {
                    Figure::ratio(
                        t.get("planned_minutes") / 60.0,
                        t.get("minutes") / 60.0,
                        Unit::Percent,
                    )
                }),
                failures: splits.failures.then(|| f.get("failures")),
                downtime_hours: splits
                    .equipment
                    .then(|| hours(o.get("window_ms") - o.get("operating_ms"))),
                labour_hours: splits.time.then(|| t.get("minutes") / 60.0),
                // Hours without any rate have no cost to show, rather than a cost of 0.
                cost: (splits.time && (t.get("priced_minutes") > 0.0 || t.get("minutes") == 0.0))
                    .then(|| t.get("cost")),
            }
        })
        .collect();
    if by == Dimension::Equipment {
        // The machines that matter first: most downtime, then most failures.
        rows.sort_by(|a, b| {
            let down = |r: &Row| r.downtime_hours.unwrap_or(0.0);
            down(b)
                .total_cmp(&down(a))
                .then(
                    b.failures
                        .unwrap_or(0.0)
                        .total_cmp(&a.failures.unwrap_or(0.0)),
                )
                .then_with(|| a.label.cmp(&b.label))
        });
    } else {
        rows.sort_by(|a, b| (a.key.is_empty(), &a.label).cmp(&(b.key.is_empty(), &b.label)));
    }
    let truncated = rows.len() > MAX_ROWS;
    rows.truncate(MAX_ROWS);
    Ok(Breakdown {
        by,
        rows,
        truncated,
    })
}

/// `frame` with a string column `key` naming its row of the breakdown.
fn keyed(history: &History, by: Dimension, frame: LazyFrame) -> LazyFrame {
    match by {
        Dimension::Site => frame.with_column(col("site_id").cast(DataType::String).alias("key")),
        Dimension::Equipment => {
            frame.with_column(col("equipment_id").cast(DataType::String).alias("key"))
        }
        Dimension::Category => frame
            .join(
                history
                    .equipment
                    .clone()
                    .lazy()
                    .select([col("equipment_id"), col("category")]),
                [col("equipment_id")],
                [col("equipment_id")],
                JoinArgs::new(JoinType::Left),
            )
            .with_column(col("category").fill_null(lit("")).alias("key")),
        Dimension::Cause => frame.with_column(
            col("cause_key")
                .cast(DataType::String)
                .fill_null(lit(""))
                .alias("key"),
        ),
        Dimension::Technician => frame.with_column(col("user_id").alias("key")),
    }
}

fn sums(frame: LazyFrame, measures: &[&str]) -> Result<BTreeMap<String, Sums>, Error> {
    let aggregates: Vec<Expr> = measures
        .iter()
        .map(|m| col(*m).cast(DataType::Float64).sum())
        .collect();
    let frame = frame.group_by([col("key")]).agg(aggregates).collect()?;
    let keys = frame.column("key")?.str()?.clone();
    let mut out: BTreeMap<String, Sums> = BTreeMap::new();
    for m in measures {
        let values = frame.column(m)?.f64()?.clone();
        for i in 0..frame.height() {
            let key = keys.get(i).unwrap_or_default().to_string();
            out.entry(key)
                .or_default()
                .add(m, values.get(i).unwrap_or(0.0));
        }
    }
    Ok(out)
}

/// What each key is called, and the id a key stands for in the answer.
struct Labels {
    by: Dimension,
    names: BTreeMap<String, (String, String)>,
}

impl Labels {
    fn new(history: &History, by: Dimension) -> Result<Labels, Error> {
        let mut names = BTreeMap::new();
        match by {
            Dimension::Site => {
                for site in &history.sites {
                    names.insert(
                        site.key.to_string(),
                        (site.id.to_string(), site.name.clone()),
                    );
                }
            }
            Dimension::Equipment => {
                for (key, (id, code, name)) in
                    crate::failures::Machines::read(&history.equipment)?.0
                {
                    names.insert(
                        key.to_string(),
                        (id.to_string(), format!("{code} — {name}")),
                    );
                }
            }
            Dimension::Cause => {
                for (key, code) in &history.codes {
                    names.insert(
                        key.to_string(),
                        (code.code.clone(), format!("{} — {}", code.code, code.label)),
                    );
                }
            }
            Dimension::Technician => {
                for (id, person) in &history.people {
                    names.insert(id.clone(), (id.clone(), person.full_name.clone()));
                }
            }
            Dimension::Category => {}
        }
        Ok(Labels { by, names })
    }

    /// The row's label.
    fn of(&self, key: &str) -> String {
        match (self.by, self.names.get(key)) {
            (_, Some((_, label))) => label.clone(),
            (Dimension::Category, None) => key.to_owned(),
            _ => String::new(),
        }
    }

    /// The id a key stands for: a site's or machine's or person's id, a failure code.
    fn id(&self, key: &str) -> String {
        match self.names.get(key) {
            Some((id, _)) => id.clone(),
            None => key.to_owned(),
        }
    }
}
