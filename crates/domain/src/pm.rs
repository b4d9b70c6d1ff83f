//! Which occurrences of a preventive plan fall due, from the plan, what it already generated or
//! skipped, and the meter's state. Pure: the database loads the facts, this decides, and the
//! database's unique key (plan, occurrence) makes the result exactly once.
//!
//! Occurrence keys are stable names: `cal:2026-12-01` for a calendar date, `meter:1500` for a
//! meter threshold, `next:7` for the 7th occurrence of a "calendar or meter" plan.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::recurrence::{self, CalendarRule};

#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    Calendar(CalendarRule),
    Meter {
        every: f64,
        base: f64,
    },
    /// Whichever comes first; each occurrence restarts both counts.
    CalendarOrMeter {
        calendar: CalendarRule,
        every: f64,
        base: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The schedule holds whatever happens to the orders.
    Fixed,
    /// The next occurrence counts from the completion of the previous one.
    Floating,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub lead_time: Duration,
    pub trigger: Trigger,
    pub mode: Mode,
    pub zone: Tz,
    /// Nothing due before this instant is generated (creation, resumption, trigger change).
    pub generate_from: DateTime<Utc>,
    pub due_time: NaiveTime,
}

/// An order the plan generated.
#[derive(Debug, Clone)]
pub struct Generated {
    pub occurrence: String,
    pub due_at: DateTime<Utc>,
    /// Not yet completed (open, assigned, in progress, on hold).
    pub active: bool,
    /// When it was completed (cancelled orders have none).
    pub completed_at: Option<DateTime<Utc>>,
    /// The meter's value at the due time and at completion, when the plan has a meter.
    pub meter_at_due: Option<f64>,
    pub meter_at_completion: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Skipped {
    pub occurrence: String,
    pub due_on: Option<NaiveDate>,
}

/// The meter as last read, with its average use per day (for forecasts).
#[derive(Debug, Clone, Copy)]
pub struct MeterNow {
    pub value: f64,
    pub read_at: DateTime<Utc>,
    pub per_day: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    Calendar,
    Meter,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub occurrence: String,
    pub due_at: DateTime<Utc>,
    pub cause: Cause,
    /// The meter threshold it is for, when the meter decided.
    pub threshold: Option<f64>,
}

pub fn calendar_key(date: NaiveDate) -> String {
    format!("cal:{date}")
}

pub fn meter_key(threshold: f64) -> String {
    // Integral thresholds print without decimals (`meter:1500`); others keep three.
    if threshold.fract() == 0.0 && threshold.abs() < 1e15 {
        format!("meter:{}", threshold as i64)
    } else {
        format!("meter:{threshold:.3}")
    }
}

fn threshold_of(key: &str) -> Option<f64> {
    key.strip_prefix("meter:").and_then(|v| v.parse().ok())
}

/// The occurrences to generate now: due within the lead time, not generated, not skipped, not
/// before `generate_from`, in due order.
pub fn to_generate(
    plan: &Plan,
    generated: &[Generated],
    skipped: &[Skipped],
    meter: Option<&MeterNow>,
    now: DateTime<Utc>,
) -> Vec<Occurrence> {
    let horizon = now + plan.lead_time;
    let window = Window {
        now,
        from: None,
        until: horizon,
        project: false,
        limit: 50,
    };
    upcoming(plan, generated, skipped, meter, window)
}

/// When the plan is next due: its first occurrence not generated yet, within ten years.
pub fn next_due(
    plan: &Plan,
    generated: &[Generated],
    skipped: &[Skipped],
    meter: Option<&MeterNow>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let window = Window {
        now,
        from: None,
        until: now + Duration::days(3660),
        project: true,
        // Some rules count steps rather than finds: room for a few skipped ones in a row.
        limit: 16,
    };
    upcoming(plan, generated, skipped, meter, window)
        .first()
        .map(|o| o.due_at)
}

/// What a forecast covers: occurrences due from `from` (when given) to `until`, at most
/// `limit` of them, as seen at `now`.
#[derive(Debug, Clone, Copy)]
pub struct Horizon {
    pub now: DateTime<Utc>,
    pub from: Option<DateTime<Utc>>,
    pub until: DateTime<Utc>,
    pub limit: usize,
}

/// The occurrences of `horizon` that are not generated yet (for forecasts and the calendar).
/// Floating and "calendar or meter" plans project later ones as if each were done on time.
pub fn forecast(
    plan: &Plan,
    generated: &[Generated],
    skipped: &[Skipped],
    meter: Option<&MeterNow>,
    horizon: Horizon,
) -> Vec<Occurrence> {
    let window = Window {
        now: horizon.now,
        from: horizon.from,
        until: horizon.until,
        project: true,
        limit: horizon.limit,
    };
    upcoming(plan, generated, skipped, meter, window)
}

/// The most steps a projection takes (one per occurrence, found or not): with forecasts
/// bounded to a few years ahead, a daily rule needs under two thousand.
const MAX_STEPS: usize = 5000;

/// Which occurrences `upcoming` looks for: due from `from` (or any time) to `until`, at most
/// `limit`; `project`ed as if each one were done on time (forecasts) or only those due now.
struct Window {
    now: DateTime<Utc>,
    from: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    project: bool,
    limit: usize,
}

fn upcoming(
    plan: &Plan,
    generated: &[Generated],
    skipped: &[Skipped],
    meter: Option<&MeterNow>,
    window: Window,
) -> Vec<Occurrence> {
    let Window {
        now,
        from,
        until,
        project,
        limit,
    } = window;
    let wanted = |at: DateTime<Utc>| from.is_none_or(|from| at >= from);
    let taken: HashSet<&str> = generated
        .iter()
        .map(|g| g.occurrence.as_str())
        .chain(skipped.iter().map(|s| s.occurrence.as_str()))
        .collect();
    let end = plan.ends_on.map(|d| {
        recurrence::local_instant(
            d,
            NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(plan.due_time),
            plan.zone,
        )
    });
    let in_window =
        |at: DateTime<Utc>| at >= plan.generate_from && at <= until && end.is_none_or(|e| at <= e);
    let mut found = Vec::new();

    match (&plan.trigger, plan.mode) {
        (Trigger::Calendar(rule), Mode::Fixed) => {
            let mut first = local_date(plan.generate_from, plan.zone).max(plan.starts_on);
            if let Some(from) = from {
                // The day before, so that a due time early in the day is not missed.
                first = first.max(local_date(from, plan.zone).pred_opt().unwrap_or(first));
            }
            let to = local_date(until, plan.zone);
            for date in recurrence::fixed_dates(rule, plan.starts_on, plan.ends_on, first, to) {
                let key = calendar_key(date);
                let due_at = recurrence::local_instant(date, plan.due_time, plan.zone);
                if !taken.contains(key.as_str()) && in_window(due_at) && wanted(due_at) {
                    found.push(Occurrence {
                        occurrence: key,
                        due_at,
                        cause: Cause::Calendar,
                        threshold: None,
                    });
                }
                if found.len() >= limit {
                    break;
                }
            }
        }
        (Trigger::Calendar(rule), Mode::Floating) => {
            if !project && generated.iter().any(|g| g.active) {
                return found;
            }
            let mut last_done = last_floating_date(generated, skipped, plan.zone);
            if generated.iter().any(|g| g.active) {
                // Projected: the open one is assumed done on time.
                last_done = generated
                    .iter()
                    .filter(|g| g.active)
                    .map(|g| local_date(g.due_at, plan.zone))
                    .max()
                    .or(last_done);
            }
            for _ in 0..MAX_STEPS {
                if found.len() >= limit {
                    break;
                }
                let date = recurrence::floating_next(rule, plan.starts_on, last_done);
                let due_at = recurrence::local_instant(date, plan.due_time, plan.zone);
                if due_at > until || end.is_some_and(|e| due_at > e) {
                    break;
                }
                let key = calendar_key(date);
                // Overdue after a pause: due as soon as generation may resume.
                if !taken.contains(key.as_str()) && wanted(due_at.max(plan.generate_from)) {
                    found.push(Occurrence {
                        occurrence: key,
                        due_at: due_at.max(plan.generate_from),
                        cause: Cause::Calendar,
                        threshold: None,
                    });
                }
                if !project {
                    break;
                }
                last_done = Some(date);
            }
        }
        (Trigger::Meter { every, base }, mode) => {
            let Some(meter) = meter else {
                return found;
            };
            if mode == Mode::Floating && !project && generated.iter().any(|g| g.active) {
                return found;
            }
            let (mut count_base, mut last) = match mode {
                Mode::Fixed => {
                    let last = generated
                        .iter()
                        .map(|g| g.occurrence.as_str())
                        .chain(skipped.iter().map(|s| s.occurrence.as_str()))
                        .filter_map(threshold_of)
                        .fold(None, |acc: Option<f64>, t| {
                            Some(acc.map_or(t, |a| a.max(t)))
                        });
                    (*base, last)
                }
                Mode::Floating => {
                    let completed = generated
                        .iter()
                        .filter(|g| g.completed_at.is_some())
                        .max_by_key(|g| g.completed_at);
                    match completed {
                        Some(g) => (g.meter_at_completion.unwrap_or(*base), None),
                        None => (*base, None),
                    }
                }
            };
            for _ in 0..MAX_STEPS {
                if found.len() >= limit {
                    break;
                }
                let (threshold, due_at) =
                    match recurrence::meter_due(*every, count_base, last, meter.value) {
                        Some(threshold) => (threshold, now),
                        None => {
                            let threshold =
                                recurrence::meter_next_threshold(*every, count_base, last);
                            match meter.per_day.and_then(|rate| {
                                recurrence::meter_forecast(
                                    threshold,
                                    meter.value,
                                    meter.read_at,
                                    rate,
                                )
                            }) {
                                Some(at) => (threshold, at.max(now)),
                                None => break,
                            }
                        }
                    };
                if due_at > until || end.is_some_and(|e| due_at > e) {
                    break;
                }
                let key = meter_key(threshold);
                if !taken.contains(key.as_str()) && wanted(due_at) {
                    found.push(Occurrence {
                        occurrence: key,
                        due_at,
                        cause: Cause::Meter,
                        threshold: Some(threshold),
                    });
                }
                if !project {
                    break;
                }
                if mode == Mode::Floating {
                    count_base = threshold;
                    last = None;
                } else {
                    last = Some(threshold);
                }
            }
        }
        (
            Trigger::CalendarOrMeter {
                calendar,
                every,
                base,
            },
            mode,
        ) => {
            if mode == Mode::Floating && !project && generated.iter().any(|g| g.active) {
                return found;
            }
            // Each occurrence (generated or skipped) restarts both counts: from its due date
            // and the meter's value then (fixed), or from its completion (floating).
            let mut sequence = generated.len() + skipped.len();
            let latest = generated.iter().max_by_key(|g| g.due_at);
            let (mut anchor_date, mut anchor_value) = match (mode, latest) {
                (_, None) => (plan.starts_on, *base),
                (Mode::Fixed, Some(g)) => (
                    local_date(g.due_at, plan.zone),
                    g.meter_at_due.unwrap_or(*base),
                ),
                (Mode::Floating, Some(g)) => match g.completed_at {
                    Some(done) => (
                        local_date(done, plan.zone),
                        g.meter_at_completion.unwrap_or(*base),
                    ),
                    None => (
                        local_date(g.due_at, plan.zone),
                        g.meter_at_due.unwrap_or(*base),
                    ),
                },
            };
            if let Some(skip_date) = skipped.iter().filter_map(|s| s.due_on).max()
                && skip_date > anchor_date
            {
                anchor_date = skip_date;
            }
            for _ in 0..MAX_STEPS {
                if found.len() >= limit {
                    break;
                }
                let simple = CalendarRule {
                    weekdays: Vec::new(),
                    day_of_month: None,
                    ..calendar.clone()
                };
                let calendar_date =
                    recurrence::floating_next(&simple, plan.starts_on, Some(anchor_date));
                let calendar_at =
                    recurrence::local_instant(calendar_date, plan.due_time, plan.zone);
                let threshold = anchor_value + every;
                let meter_at = meter.and_then(|m| {
                    if m.value >= threshold {
                        Some(now)
                    } else {
                        m.per_day
                            .and_then(|rate| {
                                recurrence::meter_forecast(threshold, m.value, m.read_at, rate)
                            })
                            .map(|at| at.max(now))
                    }
                });
                let (due_at, cause) = match meter_at {
                    Some(at) if at < calendar_at => (at, Cause::Meter),
                    _ => (calendar_at, Cause::Calendar),
                };
                if due_at > until || end.is_some_and(|e| due_at > e) {
                    break;
                }
                sequence += 1;
                let key = format!("next:{sequence}");
                if !taken.contains(key.as_str()) && wanted(due_at.max(plan.generate_from)) {
                    found.push(Occurrence {
                        occurrence: key,
                        due_at: due_at.max(plan.generate_from),
                        cause,
                        threshold: (cause == Cause::Meter).then_some(threshold),
                    });
                }
                if !project {
                    break;
                }
                anchor_date = local_date(due_at, plan.zone);
                anchor_value = match cause {
                    Cause::Meter => threshold,
                    Cause::Calendar => meter.map_or(anchor_value, |m| {
                        // Projected value at that date, from the usage rate.
                        let days = (due_at - m.read_at).num_seconds() as f64 / 86_400.0;
                        m.value + m.per_day.unwrap_or(0.0) * days.max(0.0)
                    }),
                };
            }
        }
    }
    found
}

fn local_date(at: DateTime<Utc>, zone: Tz) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

/// The date a floating calendar counts from: the last completion, or a later skipped date.
fn last_floating_date(generated: &[Generated], skipped: &[Skipped], zone: Tz) -> Option<NaiveDate> {
    let completed = generated
        .iter()
        .filter(|g| !g.active)
        .map(|g| local_date(g.completed_at.unwrap_or(g.due_at), zone));
    let skips = skipped.iter().filter_map(|s| s.due_on);
    completed.chain(skips).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recurrence::Unit;
    use chrono::TimeZone;

    fn paris() -> Tz {
        chrono_tz::Europe::Paris
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn at(y: i32, m: u32, day: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn monthly() -> CalendarRule {
        CalendarRule {
            every: 1,
            unit: Unit::Month,
            weekdays: vec![],
            day_of_month: None,
        }
    }

    fn plan(trigger: Trigger, mode: Mode) -> Plan {
        Plan {
            starts_on: d(2026, 1, 15),
            ends_on: None,
            lead_time: Duration::days(7),
            trigger,
            mode,
            zone: paris(),
            generate_from: at(2026, 1, 1, 0),
            due_time: recurrence::default_due_time(),
        }
    }

    fn done(key: &str, due: DateTime<Utc>, completed: Option<DateTime<Utc>>) -> Generated {
        Generated {
            occurrence: key.into(),
            due_at: due,
            active: completed.is_none(),
            completed_at: completed,
            meter_at_due: None,
            meter_at_completion: None,
        }
    }

    #[test]
    fn fixed_calendar_generates_within_the_lead_time_once() {
        let p = plan(Trigger::Calendar(monthly()), Mode::Fixed);
        // On 10 January with 7 days of lead time: 15 January (08:00 Paris = 07:00 UTC) is due.
        let now = at(2026, 1, 10, 12);
        let due = to_generate(&p, &[], &[], None, now);
        assert_eq!(
            due,
            vec![Occurrence {
                occurrence: "cal:2026-01-15".into(),
                due_at: at(2026, 1, 15, 7),
                cause: Cause::Calendar,
                threshold: None
            }]
        );
        // Once generated it is not due again; February is not yet within the lead time.
        let generated = [done("cal:2026-01-15", at(2026, 1, 15, 7), None)];
        assert!(to_generate(&p, &generated, &[], None, now).is_empty());
        // A late, still open January order does not hold back February in fixed mode.
        assert_eq!(
            to_generate(&p, &generated, &[], None, at(2026, 2, 9, 12)).len(),
            1
        );
    }

    #[test]
    fn next_due_is_the_first_occurrence_not_generated_nor_skipped() {
        let p = plan(Trigger::Calendar(monthly()), Mode::Fixed);
        let now = at(2026, 1, 10, 12);
        // 15 January, 08:00 in Paris.
        assert_eq!(next_due(&p, &[], &[], None, now), Some(at(2026, 1, 15, 7)));
        // Generated: February (still winter time); February skipped too: March.
        let generated = [done("cal:2026-01-15", at(2026, 1, 15, 7), None)];
        assert_eq!(
            next_due(&p, &generated, &[], None, now),
            Some(at(2026, 2, 15, 7))
        );
        let skipped = [Skipped {
            occurrence: "cal:2026-02-15".into(),
            due_on: Some(d(2026, 2, 15)),
        }];
        assert_eq!(
            next_due(&p, &generated, &skipped, None, now),
            Some(at(2026, 3, 15, 7))
        );
        // Floating, with the January order open: a month after it, as if done on time.
        let floating = plan(
            Trigger::Calendar(CalendarRule {
                every: 30,
                unit: Unit::Day,
                weekdays: vec![],
                day_of_month: None,
            }),
            Mode::Floating,
        );
        assert_eq!(
            next_due(&floating, &generated, &[], None, now),
            Some(at(2026, 2, 14, 7))
        );
        // A plan that ended has nothing next.
        let mut ended = p.clone();
        ended.ends_on = Some(d(2026, 1, 20));
        assert_eq!(next_due(&ended, &generated, &[], None, now), None);
    }

    #[test]
    fn skipped_and_earlier_occurrences_are_not_generated() {
        let mut p = plan(Trigger::Calendar(monthly()), Mode::Fixed);
        let skipped = [Skipped {
            occurrence: "cal:2026-02-15".into(),
            due_on: Some(d(2026, 2, 15)),
        }];
        assert!(
            to_generate(&p, &[], &skipped, None, at(2026, 2, 10, 12))
                .iter()
                .all(|o| o.occurrence != "cal:2026-02-15")
        );
        // Resumed on 1 March: January and February are not generated late.
        p.generate_from = at(2026, 3, 1, 0);
        let due = to_generate(&p, &[], &[], None, at(2026, 3, 10, 12));
        assert_eq!(
            due.iter()
                .map(|o| o.occurrence.as_str())
                .collect::<Vec<_>>(),
            vec!["cal:2026-03-15"]
        );
        p.ends_on = Some(d(2026, 3, 1));
        assert!(to_generate(&p, &[], &[], None, at(2026, 3, 10, 12)).is_empty());
    }

    #[test]
    fn floating_calendar_waits_for_completion_and_counts_from_it() {
        let rule = CalendarRule {
            every: 30,
            unit: Unit::Day,
            weekdays: vec![],
            day_of_month: None,
        };
        let p = plan(Trigger::Calendar(rule), Mode::Floating);
        let first = done("cal:2026-01-15", at(2026, 1, 15, 7), None);
        // Still open: nothing new, even well past 30 days.
        assert!(
            to_generate(
                &p,
                std::slice::from_ref(&first),
                &[],
                None,
                at(2026, 3, 1, 12)
            )
            .is_empty()
        );
        // Completed late on 3 February: next on 5 March (30 days later), not 14 February.
        let completed = done(
            "cal:2026-01-15",
            at(2026, 1, 15, 7),
            Some(at(2026, 2, 3, 15)),
        );
        let due = to_generate(
            &p,
            std::slice::from_ref(&completed),
            &[],
            None,
            at(2026, 2, 27, 12),
        );
        assert_eq!(
            due.iter()
                .map(|o| o.occurrence.as_str())
                .collect::<Vec<_>>(),
            vec!["cal:2026-03-05"]
        );
        // The forecast projects the following ones every 30 days.
        let ahead = forecast(
            &p,
            &[completed],
            &[],
            None,
            upto(at(2026, 2, 27, 12), at(2026, 5, 31, 0)),
        );
        assert_eq!(
            ahead
                .iter()
                .map(|o| o.occurrence.as_str())
                .collect::<Vec<_>>(),
            vec!["cal:2026-03-05", "cal:2026-04-04", "cal:2026-05-04"]
        );
    }

    #[test]
    fn fixed_meter_plans_make_one_order_per_threshold_even_when_readings_overshoot() {
        let p = plan(
            Trigger::Meter {
                every: 500.0,
                base: 0.0,
            },
            Mode::Fixed,
        );
        let now = at(2026, 3, 1, 10);
        let reading = |value: f64| MeterNow {
            value,
            read_at: now,
            per_day: Some(20.0),
        };
        assert!(to_generate(&p, &[], &[], Some(&reading(100.0)), now).is_empty());
        // 480 h and 20 h a day: 500 h in one day, within the 7 days of lead time.
        let soon = to_generate(&p, &[], &[], Some(&reading(480.0)), now);
        assert_eq!(soon[0].occurrence, "meter:500");
        assert_eq!(soon[0].due_at, now + Duration::days(1));
        // A reading of 1020 h passed 500 and 1000: one order, for 1000.
        let overshoot = to_generate(&p, &[], &[], Some(&reading(1020.0)), now);
        assert_eq!(overshoot.len(), 1);
        assert_eq!(overshoot[0].occurrence, "meter:1000");
        assert_eq!(overshoot[0].due_at, now);
        // With 1000 done, nothing until 1500 comes within reach.
        let generated = [done("meter:1000", now, None)];
        assert!(
            to_generate(
                &p,
                &generated,
                &[],
                Some(&MeterNow {
                    value: 1100.0,
                    read_at: now,
                    per_day: Some(20.0)
                }),
                now
            )
            .is_empty()
        );
        assert_eq!(
            to_generate(&p, &generated, &[], Some(&reading(1500.0)), now)[0].occurrence,
            "meter:1500"
        );
    }

    #[test]
    fn floating_meter_plans_count_from_the_value_at_completion() {
        let p = plan(
            Trigger::Meter {
                every: 500.0,
                base: 0.0,
            },
            Mode::Floating,
        );
        let now = at(2026, 3, 1, 10);
        let mut first = done("meter:500", at(2026, 2, 1, 10), Some(at(2026, 2, 5, 10)));
        first.meter_at_completion = Some(640.0);
        // Next at 640 + 500 = 1140, not 1000.
        let reading = MeterNow {
            value: 1000.0,
            read_at: now,
            per_day: None,
        };
        assert!(to_generate(&p, std::slice::from_ref(&first), &[], Some(&reading), now).is_empty());
        let reading = MeterNow {
            value: 1141.0,
            read_at: now,
            per_day: None,
        };
        assert_eq!(
            to_generate(&p, &[first], &[], Some(&reading), now)[0].occurrence,
            "meter:1140"
        );
    }

    #[test]
    fn calendar_or_meter_takes_whichever_comes_first_and_restarts_both() {
        let quarterly = CalendarRule {
            every: 3,
            unit: Unit::Month,
            weekdays: vec![],
            day_of_month: None,
        };
        let p = plan(
            Trigger::CalendarOrMeter {
                calendar: quarterly,
                every: 500.0,
                base: 1000.0,
            },
            Mode::Fixed,
        );
        // Heavy use: 1520 h on 20 February, before the 15 April calendar date.
        let now = at(2026, 2, 20, 10);
        let heavy = MeterNow {
            value: 1520.0,
            read_at: now,
            per_day: Some(25.0),
        };
        let due = to_generate(&p, &[], &[], Some(&heavy), now);
        assert_eq!(
            due,
            vec![Occurrence {
                occurrence: "next:1".into(),
                due_at: now,
                cause: Cause::Meter,
                threshold: Some(1500.0)
            }]
        );
        // Light use: the calendar wins on 15 April.
        let light = MeterNow {
            value: 1100.0,
            read_at: now,
            per_day: Some(1.0),
        };
        let ahead = forecast(&p, &[], &[], Some(&light), upto(now, at(2026, 5, 1, 0)));
        assert_eq!(ahead[0].cause, Cause::Calendar);
        assert_eq!(ahead[0].due_at, at(2026, 4, 15, 6));
        // After the meter occurrence of 20 February, the calendar restarts from it: 20 May.
        let mut first = done("next:1", now, None);
        first.meter_at_due = Some(1520.0);
        let next = forecast(
            &p,
            &[first],
            &[],
            Some(&MeterNow {
                value: 1530.0,
                read_at: now,
                per_day: Some(1.0),
            }),
            upto(now, at(2026, 6, 1, 0)),
        );
        assert_eq!(next[0].occurrence, "next:2");
        assert_eq!(next[0].due_at, at(2026, 5, 20, 6));
    }

    fn upto(now: DateTime<Utc>, until: DateTime<Utc>) -> Horizon {
        Horizon {
            now,
            from: None,
            until,
            limit: 200,
        }
    }

    #[test]
    fn a_forecast_from_a_later_day_starts_there_and_stops_at_its_limit() {
        let daily = plan(
            Trigger::Calendar(CalendarRule {
                every: 1,
                unit: Unit::Day,
                weekdays: Vec::new(),
                day_of_month: None,
            }),
            Mode::Fixed,
        );
        let now = at(2026, 1, 10, 12);
        let horizon = Horizon {
            now,
            from: Some(at(2027, 3, 1, 0)),
            until: at(2030, 1, 1, 0),
            limit: 3,
        };
        let keys =
            |found: Vec<Occurrence>| found.into_iter().map(|o| o.occurrence).collect::<Vec<_>>();
        assert_eq!(
            keys(forecast(&daily, &[], &[], None, horizon)),
            vec!["cal:2027-03-01", "cal:2027-03-02", "cal:2027-03-03"]
        );
        // A floating plan projects from now and keeps only what falls in the window.
        let floating = plan(
            Trigger::Calendar(CalendarRule {
                every: 30,
                unit: Unit::Day,
                weekdays: Vec::new(),
                day_of_month: None,
            }),
            Mode::Floating,
        );
        let later = Horizon {
            from: Some(at(2026, 3, 1, 0)),
            until: at(2026, 5, 1, 0),
            ..horizon
        };
        assert_eq!(
            keys(forecast(&floating, &[], &[], None, later)),
            vec!["cal:2026-03-16", "cal:2026-04-15"]
        );
    }

    #[test]
    fn keys_are_stable_names() {
        assert_eq!(meter_key(1500.0), "meter:1500");
        assert_eq!(meter_key(1500.25), "meter:1500.250");
        assert_eq!(threshold_of("meter:1500.250"), Some(1500.25));
        assert_eq!(calendar_key(d(2026, 2, 28)), "cal:2026-02-28");
    }
}
