//! The indicators over a history, with Polars' lazy API: every measure is aggregated per site
//! period first (each site in its own calendar), then added up per period for the series and
//! over the window for the total. Only those small aggregates are read back into Rust.
//! Definitions: docs/kpis.md.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use polars::lazy::dsl::{max_horizontal, min_horizontal};
use polars::prelude::*;

use crate::Error;
use crate::history::History;
use crate::period::{self, Grouping};
use crate::report::{
    Backlog, BacklogAges, BacklogPoint, Cost, Figure, Indicator, Point, Report, TypeCost, Unit,
};

const HOUR_MS: f64 = 3_600_000.0;
const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;
/// Periods per site a series may hold: ten years of days.
pub const MAX_PERIODS: usize = 3_700;

/// What to compute: the window `[from, to)`, the instant "now" (for work still running), and
/// how the series is cut (none: one figure per indicator).
#[derive(Debug, Clone, Copy)]
pub struct Query {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub as_of: DateTime<Utc>,
    pub grouping: Option<Grouping>,
    /// The indicators side by side by site, machine, category, cause or technician.
    pub breakdown: Option<crate::breakdown::Dimension>,
}

/// Every indicator of `history` over the query's window.
pub fn compute(history: &History, query: &Query) -> Result<Report, Error> {
    let calendar = Calendar::new(history, query)?;
    let from = query.from.timestamp_millis();
    let to = query.to.timestamp_millis();
    let as_of = query.as_of.timestamp_millis();
    let orders = with_downtime(history.orders.clone().lazy(), as_of);

    // Time not yet lived is neither operating nor down.
    let operating = operating_time(history, &calendar, orders.clone(), from, to.min(as_of))?;
    let exposure = calendar.sum(operating.clone(), &["window_ms", "operating_ms"])?;
    let failures_analysis = crate::failures::analyse(
        history,
        orders
            .clone()
            .filter(corrective().and(col("status").neq(lit("cancelled"))))
            .with_columns([coalesce(&[col("dt_start"), col("created_ms")]).alias("at")]),
        operating.clone().select([
            col("equipment_id"),
            (col("window_ms") - col("operating_ms")).alias("down_ms"),
        ]),
        from,
        to,
    )?;
    let failure_rows = orders
        .clone()
        .filter(corrective().and(col("status").neq(lit("cancelled"))))
        .with_columns([coalesce(&[col("dt_start"), col("created_ms")]).alias("at")])
        .filter(within(col("at"), from, to))
        .with_column(lit(1i64).alias("failures"));
    let failures = calendar.sum(calendar.assign(failure_rows.clone(), "at")?, &["failures"])?;
    let repair_rows = orders
        .clone()
        .filter(
            corrective()
                .and(done())
                .and(within(col("completed_ms"), from, to)),
        )
        .with_column(
            when(
                col("dt_start")
                    .is_not_null()
                    .and(col("dt_end").is_not_null()),
            )
            .then(col("dt_end") - col("dt_start"))
            .otherwise(col("completed_ms") - col("started_ms"))
            .alias("repair_ms"),
        )
        .filter(col("repair_ms").gt_eq(lit(0i64)))
        .with_column(lit(1i64).alias("repairs"));
    let repairs = calendar.sum(
        calendar.assign(repair_rows.clone(), "completed_ms")?,
        &["repairs", "repair_ms"],
    )?;
    let pm_rows = pm_outcomes(orders.clone(), from, to, as_of);
    let preventive = calendar.sum(
        calendar.assign(pm_rows.clone(), "due_ms")?,
        &["pm_due", "pm_on_time"],
    )?;
    let time_rows = history
        .time
        .clone()
        .lazy()
        .filter(within(col("at_ms"), from, to))
        .with_column(
            when(
                col("type")
                    .eq(lit("preventive"))
                    .or(col("type").eq(lit("inspection"))),
            )
            .then(col("minutes"))
            .otherwise(lit(0i64))
            .alias("planned_minutes"),
        );
    let labour = calendar.sum(
        calendar.assign(time_rows.clone(), "at_ms")?,
        &["minutes", "planned_minutes"],
    )?;
    let breakdown = query
        .breakdown
        .map(|by| {
            crate::breakdown::compute(
                history,
                by,
                crate::breakdown::Frames {
                    operating: operating.clone(),
                    failures: failure_rows,
                    repairs: repair_rows,
                    pm: pm_rows,
                    time: time_rows,
                },
            )
        })
        .transpose()?;
    let cost = cost(history, &calendar, from, to)?;
    let backlog = backlog(
        &calendar,
        orders,
        from,
        to,
        as_of,
        history.crew_weekly_hours,
    )?;
    let (requests, response) = crate::requests::analyse(&history.requests, from, to)?;
    let logged = crate::labour::analyse(&history.time, &history.people, from, to, as_of)?;

    let value = |m: &Sums, k: &str| m.get(k);
    let indicator = |unit: Unit,
                     num: &dyn Fn(&Sums) -> f64,
                     den: &dyn Fn(&Sums) -> f64,
                     all: [&BTreeMap<i64, Sums>; 2]| {
        let merged = merge(all);
        let total = merged.values().fold(Sums::default(), |acc, s| acc.plus(s));
        Indicator {
            unit,
            total: Figure::ratio(num(&total), den(&total), unit),
            series: calendar.points(&merged, |s| Figure::ratio(num(s), den(s), unit)),
        }
    };
    let hours = |ms: f64| ms / HOUR_MS;
    Ok(Report {
        mtbf: indicator(
            Unit::Hours,
            &|s| hours(value(s, "operating_ms")),
            &|s| value(s, "failures"),
            [&exposure, &failures],
        ),
        mttr: indicator(
            Unit::Hours,
            &|s| hours(value(s, "repair_ms")),
            &|s| value(s, "repairs"),
            [&repairs, &BTreeMap::new()],
        ),
        availability: indicator(
            Unit::Percent,
            &|s| hours(value(s, "operating_ms")),
            &|s| hours(value(s, "window_ms")),
            [&exposure, &BTreeMap::new()],
        ),
        pm_compliance: indicator(
            Unit::Percent,
            &|s| value(s, "pm_on_time"),
            &|s| value(s, "pm_due"),
            [&preventive, &BTreeMap::new()],
        ),
        planned_work: indicator(
            Unit::Percent,
            &|s| value(s, "planned_minutes") / 60.0,
            &|s| value(s, "minutes") / 60.0,
            [&labour, &BTreeMap::new()],
        ),
        backlog,
        failures: failures_analysis,
        requests,
        response,
        labour: logged,
        cost,
        breakdown,
    })
}

/// The cost of the hours logged in the window, per period and by type of work; hours of people
/// without a rate are counted apart.
fn cost(history: &History, calendar: &Calendar, from: i64, to: i64) -> Result<Cost, Error> {
    let logged = history
        .time
        .clone()
        .lazy()
        .filter(within(col("at_ms"), from, to));
    let priced = col("cost").is_not_null();
    let per_period = calendar.sum(
        calendar.assign(
            logged.clone().with_columns([
                col("cost").fill_null(lit(0.0)).alias("amount"),
                when(priced.clone())
                    .then(col("minutes"))
                    .otherwise(lit(0i64))
                    .alias("priced_minutes"),
                when(priced)
                    .then(lit(0i64))
                    .otherwise(col("minutes"))
                    .alias("unpriced_minutes"),
            ]),
            "at_ms",
        )?,
        &["amount", "priced_minutes", "unpriced_minutes"],
    )?;
    let total = per_period
        .values()
        .fold(Sums::default(), |acc, s| acc.plus(s));
    let by_type = logged
        .filter(col("cost").is_not_null())
        .group_by([col("type")])
        .agg([col("cost").sum().alias("amount")])
        .sort(
            ["amount", "type"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let kinds = by_type.column("type")?.str()?.clone();
    let amounts = by_type.column("amount")?.f64()?.clone();
    let amount = |s: &Sums| Figure {
        value: Some(s.get("amount")),
        numerator: s.get("amount"),
        denominator: 1.0,
        unit: Unit::Currency,
    };
    Ok(Cost {
        total: amount(&total),
        currency: history.currency.clone(),
        priced_hours: total.get("priced_minutes") / 60.0,
        unpriced_hours: total.get("unpriced_minutes") / 60.0,
        by_type: (0..by_type.height())
            .map(|i| TypeCost {
                kind: kinds.get(i).unwrap_or_default().to_string(),
                amount: amounts.get(i).unwrap_or(0.0),
            })
            .collect(),
        series: calendar.points(&per_period, amount),
    })
}

/// Resolves each order's production stop to an interval `[dt_start, dt_end)`: as recorded;
/// minutes alone end at completion; a stop still running runs until `as_of`.
fn with_downtime(orders: LazyFrame, as_of: i64) -> LazyFrame {
    let minutes_ms = col("downtime_minutes") * lit(MINUTE_MS);
    orders.with_columns([
        when(col("downtime_start_ms").is_not_null())
            .then(col("downtime_start_ms"))
            .when(
                col("downtime_minutes")
                    .gt(lit(0i64))
                    .and(col("completed_ms").is_not_null()),
            )
            .then(col("completed_ms") - minutes_ms.clone())
            .otherwise(lit(NULL).cast(DataType::Int64))
            .alias("dt_start"),
        when(col("downtime_start_ms").is_null())
            .then(
                when(col("downtime_minutes").gt(lit(0i64)))
                    .then(col("completed_ms"))
                    .otherwise(lit(NULL).cast(DataType::Int64)),
            )
            .when(col("downtime_end_ms").is_not_null())
            .then(col("downtime_end_ms"))
            .when(col("downtime_minutes").is_not_null())
            .then(col("downtime_start_ms") + minutes_ms)
            .otherwise(lit(as_of).cast(DataType::Int64))
            .alias("dt_end"),
    ])
}

/// A failure: a corrective order from a request or written by hand.
fn corrective() -> Expr {
    col("type").eq(lit("corrective")).and(
        col("origin")
            .eq(lit("request"))
            .or(col("origin").eq(lit("manual"))),
    )
}

fn done() -> Expr {
    col("status")
        .eq(lit("completed"))
        .or(col("status").eq(lit("closed")))
}

fn within(at: Expr, from: i64, to: i64) -> Expr {
    at.clone().gt_eq(lit(from)).and(at.lt(lit(to)))
}

/// Window hours and operating hours per equipment and period: the period (cut short where the
/// equipment was archived, and at `to`, which is never after now) minus the union of its stops
/// inside it.
fn operating_time(
    history: &History,
    calendar: &Calendar,
    orders: LazyFrame,
    from: i64,
    to: i64,
) -> Result<LazyFrame, Error> {
    let stops = orders
        .filter(
            col("status")
                .neq(lit("cancelled"))
                .and(col("dt_start").is_not_null())
                .and(col("dt_end").gt(col("dt_start"))),
        )
        .select([
            col("equipment_id"),
            col("site_id"),
            col("dt_start"),
            col("dt_end"),
        ])
        .sort(["equipment_id", "dt_start"], SortMultipleOptions::default())
        // Overlapping stops of one machine count once: a new block starts where a stop begins
        // after every earlier one has ended.
        .with_column(
            col("dt_end")
                .cum_max(false)
                .shift(lit(1))
                .over([col("equipment_id")])?
                .alias("ended_before"),
        )
        .with_column(
            (col("ended_before")
                .is_null()
                .or(col("dt_start").gt(col("ended_before"))))
            .cast(DataType::Int64)
            .cum_sum(false)
            .over([col("equipment_id")])?
            .alias("block"),
        )
        .group_by([col("equipment_id"), col("site_id"), col("block")])
        .agg([col("dt_start").min(), col("dt_end").max()])
        .with_columns([
            col("dt_start").clip_min(lit(from)).alias("s"),
            col("dt_end").clip_max(lit(to)).alias("e"),
        ])
        .filter(col("e").gt(col("s")))
        .with_column((col("e") - lit(1i64)).alias("e_last"));
    let stops = calendar
        .assign(stops, "s")?
        .rename(["ordinal"], ["first"], true);
    let stops = calendar
        .assign(stops, "e_last")?
        .rename(["ordinal"], ["last"], true)
        .with_column(
            int_ranges(
                col("first"),
                col("last") + lit(1i64),
                lit(1i64),
                DataType::Int64,
            )
            .alias("ordinal"),
        )
        .explode(
            cols(["ordinal"]),
            ExplodeOptions {
                empty_as_null: false,
                keep_nulls: false,
            },
        )
        .join(
            calendar.periods.clone().lazy(),
            [col("site_id"), col("ordinal")],
            [col("site_id"), col("ordinal")],
            JoinArgs::new(JoinType::Inner),
        )
        .with_column(
            (min_horizontal([col("e"), col("p_end")])?
                - max_horizontal([col("s"), col("p_start")])?)
            .alias("down_ms"),
        )
        .group_by([col("equipment_id"), col("ordinal")])
        .agg([col("down_ms").sum()]);
    Ok(history
        .equipment
        .clone()
        .lazy()
        .join(
            calendar.periods.clone().lazy(),
            [col("site_id")],
            [col("site_id")],
            JoinArgs::new(JoinType::Inner),
        )
        .with_column(
            (min_horizontal([
                col("p_end"),
                col("archived_ms").fill_null(col("p_end")),
                lit(to),
            ])? - col("p_start"))
            .clip_min(lit(0i64))
            .alias("window_ms"),
        )
        .join(
            stops,
            [col("equipment_id"), col("ordinal")],
            [col("equipment_id"), col("ordinal")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            (col("window_ms") - col("down_ms").fill_null(lit(0i64)))
                .clip_min(lit(0i64))
                .alias("operating_ms"),
        ))
}

/// Preventive orders due in the window: on time when completed by their due date plus the
/// plan's tolerance; missed otherwise (cancelled included); skipped ones and those whose
/// deadline has not come yet while still open are left out.
fn pm_outcomes(orders: LazyFrame, from: i64, to: i64, as_of: i64) -> LazyFrame {
    orders
        .filter(
            col("type")
                .eq(lit("preventive"))
                .and(col("skipped").eq(lit(0)))
                .and(within(col("due_ms"), from, to)),
        )
        .with_column((col("due_ms") + col("tolerance_ms").fill_null(lit(DAY_MS))).alias("deadline"))
        .with_column(
            done()
                .and(col("completed_ms").lt_eq(col("deadline")))
                .cast(DataType::Int64)
                .alias("pm_on_time"),
        )
        .filter(
            done()
                .or(col("status").eq(lit("cancelled")))
                .or(col("deadline").lt_eq(lit(as_of))),
        )
        .with_column(lit(1i64).alias("pm_due"))
}

/// Open orders at the end of each period: those open at the window's start, plus those
/// created, minus those completed or cancelled, period by period in each site's calendar.
fn backlog(
    calendar: &Calendar,
    orders: LazyFrame,
    from: i64,
    to: i64,
    as_of: i64,
    crew_weekly_hours: f64,
) -> Result<Backlog, Error> {
    let orders = orders
        .with_column(coalesce(&[col("completed_ms"), col("cancelled_ms")]).alias("resolved_ms"));
    let open_at = |t: i64| {
        col("created_ms").lt(lit(t)).and(
            col("resolved_ms")
                .is_null()
                .or(col("resolved_ms").gt_eq(lit(t))),
        )
    };
    let estimated = col("estimated_minutes").fill_null(lit(0i64));
    let opening = orders
        .clone()
        .filter(open_at(from))
        .group_by([col("site_id")])
        .agg([
            len().cast(DataType::Int64).alias("count"),
            estimated.clone().sum().alias("minutes"),
        ]);
    let created = calendar.assign(
        orders
            .clone()
            .filter(within(col("created_ms"), from, to))
            .with_columns([lit(1i64).alias("count"), estimated.clone().alias("minutes")]),
        "created_ms",
    )?;
    let resolved = calendar.assign(
        orders
            .clone()
            .filter(within(col("resolved_ms"), from, to))
            .with_columns([
                lit(-1i64).alias("count"),
                (-estimated.clone()).alias("minutes"),
            ]),
        "resolved_ms",
    )?;
    let opening = opening.collect()?;
    let mut per_site: BTreeMap<i64, (f64, f64)> = BTreeMap::new();
    for (site, count, minutes) in rows3(&opening, "site_id", "count", "minutes")? {
        per_site.insert(site, (count, minutes));
    }
    let changes = concat([created, resolved], UnionArgs::default())?
        .group_by([col("site_id"), col("ordinal")])
        .agg([col("count").sum(), col("minutes").sum()])
        .collect()?;
    let mut by_site_period: BTreeMap<(i64, i64), (f64, f64)> = BTreeMap::new();
    let sites = changes.column("site_id")?.i64()?.clone();
    let ordinals = changes.column("ordinal")?.i64()?.clone();
    let counts = changes.column("count")?.cast(&DataType::Float64)?;
    let minutes = changes.column("minutes")?.cast(&DataType::Float64)?;
    let (counts, minutes) = (counts.f64()?, minutes.f64()?);
    for i in 0..changes.height() {
        if let (Some(site), Some(ordinal)) = (sites.get(i), ordinals.get(i)) {
            by_site_period.insert(
                (site, ordinal),
                (counts.get(i).unwrap_or(0.0), minutes.get(i).unwrap_or(0.0)),
            );
        }
    }
    // Each site's running total through its own periods, then added up per period.
    let mut at_end: BTreeMap<i64, (f64, f64)> = BTreeMap::new();
    for (site, periods) in &calendar.by_site {
        let (mut count, mut minutes) = per_site.get(site).copied().unwrap_or((0.0, 0.0));
        for period in periods {
            if let Some((c, m)) = by_site_period.get(&(*site, period.ordinal)) {
                count += c;
                minutes += m;
            }
            let slot = at_end.entry(period.ordinal).or_insert((0.0, 0.0));
            slot.0 += count;
            slot.1 += minutes;
        }
    }
    let series: Vec<BacklogPoint> = calendar
        .labels
        .iter()
        .map(|(ordinal, label)| {
            let (count, minutes) = at_end.get(ordinal).copied().unwrap_or((0.0, 0.0));
            BacklogPoint {
                period: label.clone(),
                open: count,
                estimated_hours: minutes / 60.0,
            }
        })
        .collect();
    let (open, minutes) = series
        .last()
        .map(|p| (p.open, p.estimated_hours * 60.0))
        .unwrap_or((0.0, 0.0));

    // Ages of what is open at the window's end (or now, for a window reaching the future).
    let end = to.min(as_of);
    let ages = orders
        .filter(open_at(end))
        .with_column(((lit(end) - col("created_ms")) / lit(DAY_MS)).alias("age_days"))
        .select([
            col("age_days")
                .lt(lit(7i64))
                .cast(DataType::Int64)
                .sum()
                .alias("under_7"),
            (col("age_days")
                .gt_eq(lit(7i64))
                .and(col("age_days").lt(lit(30i64))))
            .cast(DataType::Int64)
            .sum()
            .alias("from_7_to_30"),
            (col("age_days")
                .gt_eq(lit(30i64))
                .and(col("age_days").lt(lit(90i64))))
            .cast(DataType::Int64)
            .sum()
            .alias("from_30_to_90"),
            col("age_days")
                .gt_eq(lit(90i64))
                .cast(DataType::Int64)
                .sum()
                .alias("over_90"),
        ])
        .collect()?;
    let age = |name: &str| -> Result<u64, Error> {
        Ok(ages
            .column(name)?
            .cast(&DataType::Int64)?
            .i64()?
            .get(0)
            .unwrap_or(0)
            .max(0)
            .unsigned_abs())
    };
    Ok(Backlog {
        total: Figure {
            value: Some(open),
            numerator: open,
            denominator: 1.0,
            unit: Unit::Orders,
        },
        estimated_hours: minutes / 60.0,
        crew_weeks: Figure::ratio(minutes / 60.0, crew_weekly_hours, Unit::Weeks),
        ages: BacklogAges {
            under_7_days: age("under_7")?,
            from_7_to_30_days: age("from_7_to_30")?,
            from_30_to_90_days: age("from_30_to_90")?,
            over_90_days: age("over_90")?,
        },
        series,
    })
}

/// The periods of every site in scope, as a frame to join and as labels for the series.
struct Calendar {
    /// `site_id`, `ordinal`, `p_start`, `p_end` (epoch ms), sorted by `p_start`.
    periods: DataFrame,
    by_site: BTreeMap<i64, Vec<period::Period>>,
    labels: BTreeMap<i64, String>,
    grouped: bool,
}

type Sums = crate::report::Sums;

impl Calendar {
    fn new(history: &History, query: &Query) -> Result<Calendar, Error> {
        let mut by_site = BTreeMap::new();
        let mut labels = BTreeMap::new();
        let (mut sites, mut ordinals, mut starts, mut ends) = (vec![], vec![], vec![], vec![]);
        for site in &history.sites {
            let periods =
                period::periods(site.zone, query.from, query.to, query.grouping, MAX_PERIODS)
                    .map_err(|e| Error::TooManyPeriods { max: e.max })?;
            for p in &periods {
                sites.push(site.key);
                ordinals.push(p.ordinal);
                starts.push(p.start.timestamp_millis());
                ends.push(p.end.timestamp_millis());
                labels.entry(p.ordinal).or_insert_with(|| p.label.clone());
            }
            by_site.insert(site.key, periods);
        }
        if history.sites.is_empty() {
            // No equipment in scope: the series still names the window's periods (in UTC).
            for p in period::periods(
                chrono_tz::UTC,
                query.from,
                query.to,
                query.grouping,
                MAX_PERIODS,
            )
            .map_err(|e| Error::TooManyPeriods { max: e.max })?
            {
                labels.insert(p.ordinal, p.label);
            }
        }
        let periods = df!(
            "site_id" => sites,
            "ordinal" => ordinals,
            "p_start" => starts,
            "p_end" => ends,
        )?
        .sort(["p_start"], SortMultipleOptions::default())?;
        Ok(Calendar {
            periods,
            by_site,
            labels,
            grouped: query.grouping.is_some(),
        })
    }

    /// Adds the `ordinal` of the period (of the row's site) holding the instant in `at`; the
    /// caller keeps only instants inside the window.
    fn assign(&self, frame: LazyFrame, at: &str) -> Result<LazyFrame, Error> {
        let options = AsOfOptions {
            strategy: AsofStrategy::Backward,
            left_by: Some(vec!["site_id".into()]),
            right_by: Some(vec!["site_id".into()]),
            allow_eq: true,
            check_sortedness: false,
            ..AsOfOptions::default()
        };
        let periods =
            self.periods
                .clone()
                .lazy()
                .select([col("site_id"), col("ordinal"), col("p_start")]);
        Ok(frame
            .sort([at], SortMultipleOptions::default())
            .join(
                periods,
                [col(at)],
                [col("p_start")],
                JoinArgs::new(JoinType::AsOf(Box::new(options))),
            )
            .drop(cols(["p_start"])))
    }

    /// Sums `measures` per period (ordinal).
    fn sum(&self, frame: LazyFrame, measures: &[&str]) -> Result<BTreeMap<i64, Sums>, Error> {
        let aggregates: Vec<Expr> = measures
            .iter()
            .map(|m| col(*m).cast(DataType::Float64).sum())
            .collect();
        let frame = frame.group_by([col("ordinal")]).agg(aggregates).collect()?;
        let ordinals = frame.column("ordinal")?.cast(&DataType::Int64)?;
        let ordinals = ordinals.i64()?;
        let mut out: BTreeMap<i64, Sums> = BTreeMap::new();
        for m in measures {
            let values = frame.column(m)?.f64()?.clone();
            for i in 0..frame.height() {
                if let Some(ordinal) = ordinals.get(i) {
                    out.entry(ordinal)
                        .or_default()
                        .add(m, values.get(i).unwrap_or(0.0));
                }
            }
        }
        Ok(out)
    }

    /// One point per period of the window, in order; none without a grouping.
    fn points(&self, sums: &BTreeMap<i64, Sums>, figure: impl Fn(&Sums) -> Figure) -> Vec<Point> {
        if !self.grouped {
            return Vec::new();
        }
        let empty = Sums::default();
        self.labels
            .iter()
            .map(|(ordinal, label)| Point {
                period: label.clone(),
                figure: figure(sums.get(ordinal).unwrap_or(&empty)),
            })
            .collect()
    }
}

fn merge(all: [&BTreeMap<i64, Sums>; 2]) -> BTreeMap<i64, Sums> {
    let mut out: BTreeMap<i64, Sums> = BTreeMap::new();
    for map in all {
        for (ordinal, sums) in map {
            let slot = out.entry(*ordinal).or_default();
            *slot = slot.plus(sums);
        }
    }
    out
}

fn rows3(frame: &DataFrame, key: &str, a: &str, b: &str) -> Result<Vec<(i64, f64, f64)>, Error> {
    let keys = frame.column(key)?.i64()?.clone();
    let a = frame.column(a)?.cast(&DataType::Float64)?;
    let b = frame.column(b)?.cast(&DataType::Float64)?;
    let (a, b) = (a.f64()?, b.f64()?);
    Ok((0..frame.height())
        .filter_map(|i| {
            keys.get(i)
                .map(|k| (k, a.get(i).unwrap_or(0.0), b.get(i).unwrap_or(0.0)))
        })
        .collect())
}
