//! When preventive work falls due: calendar rules in the site's time zone, meter thresholds,
//! fixed and floating schedules. Pure functions of dates and values, tested with hand-checked
//! dates (month ends, 29 February, daylight-saving changes).
//!
//! Calendar arithmetic is done on local dates, never by adding 24-hour durations, so that work
//! due "every day at 08:00" stays at 08:00 on the wall clock across daylight-saving changes.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, Months, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

use crate::validation::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        }
    }

    pub fn parse(raw: &str) -> Option<Unit> {
        match raw {
            "day" => Some(Unit::Day),
            "week" => Some(Unit::Week),
            "month" => Some(Unit::Month),
            "year" => Some(Unit::Year),
            _ => None,
        }
    }
}

/// "Every `every` `unit`s", optionally on given weekdays (weekly rules) or day of the month
/// (monthly and yearly rules; 31 means the last day of shorter months).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarRule {
    pub every: u32,
    pub unit: Unit,
    pub weekdays: Vec<Weekday>,
    pub day_of_month: Option<u32>,
}

impl CalendarRule {
    /// The first problem of the rule, with the field it belongs to (`every`, `weekdays`,
    /// `day_of_month`).
    pub fn validate(&self) -> Result<(), (&'static str, FieldError)> {
        if !(1..=1000).contains(&self.every) {
            return Err((
                "every",
                FieldError::new("out_of_range")
                    .with("min", 1)
                    .with("max", 1000),
            ));
        }
        if !self.weekdays.is_empty() && self.unit != Unit::Week {
            return Err(("weekdays", FieldError::new("weekdays_need_weekly_rule")));
        }
        if let Some(day) = self.day_of_month {
            if !matches!(self.unit, Unit::Month | Unit::Year) {
                return Err((
                    "day_of_month",
                    FieldError::new("day_of_month_needs_monthly_rule"),
                ));
            }
            if !(1..=31).contains(&day) {
                return Err((
                    "day_of_month",
                    FieldError::new("out_of_range")
                        .with("min", 1)
                        .with("max", 31),
                ));
            }
        }
        Ok(())
    }

    /// The approximate length of one period in days, for forecasts and jumps.
    fn period_days(&self) -> i64 {
        let base = match self.unit {
            Unit::Day => 1,
            Unit::Week => 7,
            Unit::Month => 28,
            Unit::Year => 365,
        };
        base * i64::from(self.every)
    }

    /// The `k`-th period's anchor date after `start` (no weekday expansion).
    fn nth(&self, start: NaiveDate, k: u32) -> Option<NaiveDate> {
        let steps = k.checked_mul(self.every)?;
        match self.unit {
            Unit::Day => start.checked_add_signed(Duration::days(i64::from(steps))),
            Unit::Week => start.checked_add_signed(Duration::weeks(i64::from(steps))),
            Unit::Month => month_day(start, steps, self.day_of_month.unwrap_or(start.day())),
            Unit::Year => {
                let months = steps.checked_mul(12)?;
                month_day(start, months, self.day_of_month.unwrap_or(start.day()))
            }
        }
    }
}

/// The day `day` (clamped to the month's length) of the month `months` after `start`'s month.
fn month_day(start: NaiveDate, months: u32, day: u32) -> Option<NaiveDate> {
    let first = start.with_day(1)?.checked_add_months(Months::new(months))?;
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?.day();
    first.with_day(day.min(last))
}

/// Dates of a fixed calendar schedule in `[from, until]`, starting at `starts_on`, ending at
/// `ends_on` (inclusive) when set, in order. Lazy: a caller that wants a few dates pays for a
/// few, however far away `until` is.
pub fn fixed_dates(
    rule: &CalendarRule,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    from: NaiveDate,
    until: NaiveDate,
) -> impl Iterator<Item = NaiveDate> + '_ {
    let until = ends_on.map_or(until, |end| end.min(until));
    let empty = until < starts_on || until < from;
    // Jump near `from` instead of walking from a start years ago.
    let skip = (from - starts_on).num_days() / rule.period_days().max(1) - 1;
    let first = u32::try_from(skip.max(0)).unwrap_or(0);
    // Weekly rules on given days walk weeks (from the Monday of the start) and add each day;
    // every other rule walks its own dates.
    let (base, offsets, count) = if rule.unit == Unit::Week && !rule.weekdays.is_empty() {
        let mut days = [0i64; 7];
        let mut count = 0;
        for day in 0..7u32 {
            if rule
                .weekdays
                .iter()
                .any(|w| w.num_days_from_monday() == day)
            {
                days[count] = i64::from(day);
                count += 1;
            }
        }
        let monday =
            starts_on - Duration::days(i64::from(starts_on.weekday().num_days_from_monday()));
        (monday, days, count)
    } else {
        (starts_on, [0; 7], 1)
    };
    (first..)
        .take_while(move |_| !empty)
        .map_while(move |k| rule.nth(base, k))
        .take_while(move |anchor| *anchor <= until)
        .flat_map(move |anchor| (0..count).map(move |i| anchor + Duration::days(offsets[i])))
        // Monthly rules on a fixed day begin with the first such day on or after the start.
        .filter(move |date| *date >= starts_on && *date >= from && *date <= until)
}

/// The next date of a floating schedule: one period after the last completion (local date),
/// or the start when nothing was done yet. Weekdays and days of the month do not apply.
pub fn floating_next(
    rule: &CalendarRule,
    starts_on: NaiveDate,
    last_done: Option<NaiveDate>,
) -> NaiveDate {
    let Some(done) = last_done else {
        return starts_on;
    };
    let simple = CalendarRule {
        weekdays: Vec::new(),
        day_of_month: None,
        ..rule.clone()
    };
    simple.nth(done, 1).unwrap_or(done).max(starts_on)
}

/// The instant a local date and time of the site falls on. A time that does not exist (the
/// hour skipped when clocks go forward) moves to the end of the gap; a time that happens twice
/// (clocks going back) takes the first.
pub fn local_instant(date: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let local = date.and_time(time);
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => at.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // Walk forward minute by minute out of the gap (gaps are an hour, at most two).
            (1..=180)
                .find_map(|m| {
                    zone.from_local_datetime(&(local + Duration::minutes(m)))
                        .earliest()
                })
                .map_or_else(
                    || Utc.from_utc_datetime(&local),
                    |at| at.with_timezone(&Utc),
                )
        }
    }
}

/// The local time preventive work is due by default: the start of the working day.
pub fn default_due_time() -> NaiveTime {
    NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// The meter threshold due now, if any: thresholds are `base + n × every`; `last` is the last
/// threshold that already has its order. A reading that overshoots several thresholds makes
/// one order, for the highest one passed (the others are superseded).
pub fn meter_due(every: f64, base: f64, last: Option<f64>, reading: f64) -> Option<f64> {
    if !(every.is_finite() && every > 0.0 && reading.is_finite()) {
        return None;
    }
    let passed = ((reading - base) / every).floor();
    if passed < 1.0 {
        return None;
    }
    let threshold = base + passed * every;
    match last {
        Some(done) if threshold <= done + every * 1e-9 => None,
        _ => Some(threshold),
    }
}

/// The next threshold after `last` (or after `base` when none).
pub fn meter_next_threshold(every: f64, base: f64, last: Option<f64>) -> f64 {
    last.unwrap_or(base) + every
}

/// When a meter will probably reach `threshold`, from its last reading and its average use per
/// day; `None` without a usable rate.
pub fn meter_forecast(
    threshold: f64,
    last_value: f64,
    last_read_at: DateTime<Utc>,
    per_day: f64,
) -> Option<DateTime<Utc>> {
    if threshold <= last_value {
        return Some(last_read_at);
    }
    if !(per_day.is_finite() && per_day > 0.0) {
        return None;
    }
    let days = (threshold - last_value) / per_day;
    if days > 3650.0 {
        return None;
    }
    Some(last_read_at + Duration::seconds((days * 86_400.0) as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn rule(every: u32, unit: Unit) -> CalendarRule {
        CalendarRule {
            every,
            unit,
            weekdays: Vec::new(),
            day_of_month: None,
        }
    }

    #[test]
    fn monthly_on_the_31st_falls_on_month_ends() {
        let r = CalendarRule {
            day_of_month: Some(31),
            ..rule(1, Unit::Month)
        };
        assert_eq!(
            fixed_dates(&r, d(2026, 1, 1), None, d(2026, 1, 1), d(2026, 6, 30)).collect::<Vec<_>>(),
            vec![
                d(2026, 1, 31),
                d(2026, 2, 28),
                d(2026, 3, 31),
                d(2026, 4, 30),
                d(2026, 5, 31),
                d(2026, 6, 30)
            ]
        );
        // 2028 is a leap year.
        assert_eq!(
            fixed_dates(&r, d(2028, 2, 1), None, d(2028, 2, 1), d(2028, 2, 29)).collect::<Vec<_>>(),
            vec![d(2028, 2, 29)]
        );
    }

    #[test]
    fn starting_on_the_31st_keeps_the_month_end_without_drifting() {
        // From 31 January, every month: the day stays the 31st where it exists.
        let r = rule(1, Unit::Month);
        assert_eq!(
            fixed_dates(&r, d(2026, 1, 31), None, d(2026, 1, 1), d(2026, 4, 30))
                .collect::<Vec<_>>(),
            vec![
                d(2026, 1, 31),
                d(2026, 2, 28),
                d(2026, 3, 31),
                d(2026, 4, 30)
            ]
        );
        // Every three months, from 30 November.
        let quarterly = rule(3, Unit::Month);
        assert_eq!(
            fixed_dates(
                &quarterly,
                d(2025, 11, 30),
                None,
                d(2025, 11, 1),
                d(2026, 9, 1)
            )
            .collect::<Vec<_>>(),
            vec![
                d(2025, 11, 30),
                d(2026, 2, 28),
                d(2026, 5, 30),
                d(2026, 8, 30)
            ]
        );
    }

    #[test]
    fn yearly_from_29_february() {
        let r = rule(1, Unit::Year);
        assert_eq!(
            fixed_dates(&r, d(2028, 2, 29), None, d(2028, 1, 1), d(2032, 12, 31))
                .collect::<Vec<_>>(),
            vec![
                d(2028, 2, 29),
                d(2029, 2, 28),
                d(2030, 2, 28),
                d(2031, 2, 28),
                d(2032, 2, 29)
            ]
        );
    }

    #[test]
    fn weekly_on_given_days_every_other_week() {
        let r = CalendarRule {
            weekdays: vec![Weekday::Thu, Weekday::Mon],
            ..rule(2, Unit::Week)
        };
        // 2026-11-04 is a Wednesday: that week's Thursday, then two weeks later.
        assert_eq!(
            fixed_dates(&r, d(2026, 11, 4), None, d(2026, 11, 1), d(2026, 11, 30))
                .collect::<Vec<_>>(),
            vec![
                d(2026, 11, 5),
                d(2026, 11, 16),
                d(2026, 11, 19),
                d(2026, 11, 30)
            ]
        );
        // Weekly without days: the same weekday as the start.
        assert_eq!(
            fixed_dates(
                &rule(1, Unit::Week),
                d(2026, 11, 4),
                None,
                d(2026, 11, 10),
                d(2026, 11, 30)
            )
            .collect::<Vec<_>>(),
            vec![d(2026, 11, 11), d(2026, 11, 18), d(2026, 11, 25)]
        );
    }

    #[test]
    fn windows_and_end_dates_bound_the_dates() {
        // Every 10 days from 2020-01-01: 2192 days lead to 2026-01-01 (2020 and 2024 are leap
        // years), so the occurrences around it are day 2190 (2025-12-30) and day 2200 (2026-01-09).
        let r = rule(10, Unit::Day);
        assert_eq!(
            fixed_dates(
                &r,
                d(2020, 1, 1),
                Some(d(2026, 1, 31)),
                d(2026, 1, 1),
                d(2026, 12, 31)
            )
            .collect::<Vec<_>>(),
            vec![d(2026, 1, 9), d(2026, 1, 19), d(2026, 1, 29)]
        );
        assert!(
            fixed_dates(&r, d(2027, 1, 1), None, d(2026, 1, 1), d(2026, 12, 31))
                .next()
                .is_none()
        );
    }

    #[test]
    fn dates_are_computed_only_as_far_as_they_are_read() {
        // Up to the last representable day: the first three cost three steps, not millions.
        let daily = rule(1, Unit::Day);
        let first: Vec<_> = fixed_dates(&daily, d(2026, 1, 1), None, d(2026, 3, 1), NaiveDate::MAX)
            .take(3)
            .collect();
        assert_eq!(first, vec![d(2026, 3, 1), d(2026, 3, 2), d(2026, 3, 3)]);
        let weekdays = CalendarRule {
            weekdays: vec![Weekday::Mon, Weekday::Fri],
            ..rule(1, Unit::Week)
        };
        // 2026-12-03 is a Thursday.
        let next: Vec<_> = fixed_dates(
            &weekdays,
            d(2026, 1, 1),
            None,
            d(2026, 12, 3),
            NaiveDate::MAX,
        )
        .take(2)
        .collect();
        assert_eq!(next, vec![d(2026, 12, 4), d(2026, 12, 7)]);
    }

    #[test]
    fn floating_counts_from_the_last_completion() {
        let r = rule(30, Unit::Day);
        // Due 1 January, completed late on 20 January: next 19 February, not 31 January.
        assert_eq!(
            floating_next(&r, d(2026, 1, 1), Some(d(2026, 1, 20))),
            d(2026, 2, 19)
        );
        assert_eq!(floating_next(&r, d(2026, 1, 1), None), d(2026, 1, 1));
        let monthly = rule(1, Unit::Month);
        assert_eq!(
            floating_next(&monthly, d(2026, 1, 1), Some(d(2026, 1, 31))),
            d(2026, 2, 28)
        );
        // Never before the start.
        assert_eq!(
            floating_next(&r, d(2026, 6, 1), Some(d(2026, 1, 1))),
            d(2026, 6, 1)
        );
    }

    #[test]
    fn daily_work_stays_at_eight_across_paris_daylight_saving_changes() {
        let paris = chrono_tz::Europe::Paris;
        let eight = default_due_time();
        // Winter (UTC+1), the day clocks go forward (29 March 2026), summer (UTC+2).
        assert_eq!(
            local_instant(d(2026, 3, 28), eight, paris).to_rfc3339(),
            "2026-03-28T07:00:00+00:00"
        );
        assert_eq!(
            local_instant(d(2026, 3, 29), eight, paris).to_rfc3339(),
            "2026-03-29T06:00:00+00:00"
        );
        // Clocks go back on 25 October 2026.
        assert_eq!(
            local_instant(d(2026, 10, 24), eight, paris).to_rfc3339(),
            "2026-10-24T06:00:00+00:00"
        );
        assert_eq!(
            local_instant(d(2026, 10, 25), eight, paris).to_rfc3339(),
            "2026-10-25T07:00:00+00:00"
        );
    }

    #[test]
    fn skipped_and_repeated_hours_resolve_sensibly() {
        let paris = chrono_tz::Europe::Paris;
        let half_past_two = NaiveTime::from_hms_opt(2, 30, 0).unwrap_or_default();
        // 02:30 does not exist on 29 March 2026: it moves to the end of the gap, 03:00 CEST
        // (01:00 UTC).
        assert_eq!(
            local_instant(d(2026, 3, 29), half_past_two, paris).to_rfc3339(),
            "2026-03-29T01:00:00+00:00"
        );
        // 02:30 happens twice on 25 October 2026: the first (CEST, 00:30 UTC).
        assert_eq!(
            local_instant(d(2026, 10, 25), half_past_two, paris).to_rfc3339(),
            "2026-10-25T00:30:00+00:00"
        );
    }

    #[test]
    fn meters_overshooting_several_thresholds_make_one_order() {
        // Every 500 h from 0.
        assert_eq!(meter_due(500.0, 0.0, None, 480.0), None);
        assert_eq!(meter_due(500.0, 0.0, None, 1020.0), Some(1000.0));
        assert_eq!(meter_due(500.0, 0.0, Some(1000.0), 1499.0), None);
        assert_eq!(meter_due(500.0, 0.0, Some(1000.0), 1500.0), Some(1500.0));
        // A base other than zero (the value when the plan started).
        assert_eq!(meter_due(250.0, 1200.0, None, 1460.0), Some(1450.0));
        assert_eq!(meter_next_threshold(500.0, 0.0, Some(1500.0)), 2000.0);
        assert_eq!(meter_due(0.0, 0.0, None, 10.0), None);
    }

    #[test]
    fn meter_forecasts_follow_the_usage_rate() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        // 100 h to go at 20 h a day: five days.
        assert_eq!(
            meter_forecast(1100.0, 1000.0, at, 20.0),
            Some(at + Duration::days(5))
        );
        assert_eq!(meter_forecast(900.0, 1000.0, at, 20.0), Some(at));
        assert_eq!(meter_forecast(1100.0, 1000.0, at, 0.0), None);
    }

    #[test]
    fn rules_are_validated_and_problems_name_their_field() {
        let field = |r: CalendarRule| r.validate().err().map(|(field, e)| (field, e.code));
        assert_eq!(field(rule(0, Unit::Day)), Some(("every", "out_of_range")));
        assert_eq!(
            field(CalendarRule {
                weekdays: vec![Weekday::Mon],
                ..rule(1, Unit::Month)
            }),
            Some(("weekdays", "weekdays_need_weekly_rule"))
        );
        assert_eq!(
            field(CalendarRule {
                day_of_month: Some(32),
                ..rule(1, Unit::Month)
            }),
            Some(("day_of_month", "out_of_range"))
        );
        assert_eq!(
            field(CalendarRule {
                day_of_month: Some(5),
                ..rule(1, Unit::Week)
            }),
            Some(("day_of_month", "day_of_month_needs_monthly_rule"))
        );
        assert_eq!(
            field(CalendarRule {
                day_of_month: Some(31),
                ..rule(1, Unit::Year)
            }),
            None
        );
    }
}
