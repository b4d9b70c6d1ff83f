//! The calendar of a window: its days, weeks (Monday to Sunday) or months in one site's time
//! zone, as instants. Each period carries an ordinal that follows the calendar without gaps
//! (consecutive days, weeks or months differ by one) and means the same in every zone, so a
//! series adds up sites of different zones period by period, each in its own local calendar.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// How a series is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    Day,
    Week,
    Month,
}

/// One period of one site's calendar, clipped to the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub ordinal: i64,
    /// `2026-03-29`, `2026-W13` (ISO week of its Monday) or `2026-03`; empty for the whole window.
    pub label: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyPeriods {
    pub max: usize,
}

/// The periods of `zone`'s calendar that overlap `[from, to)`, clipped to it, in order; the
/// whole window as one period (ordinal 0) without a grouping. `from < to` is the caller's.
pub fn periods(
    zone: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    grouping: Option<Grouping>,
    max: usize,
) -> Result<Vec<Period>, TooManyPeriods> {
    let Some(grouping) = grouping else {
        return Ok(vec![Period {
            ordinal: 0,
            label: String::new(),
            start: from,
            end: to,
        }]);
    };
    let last = (to - Duration::milliseconds(1))
        .with_timezone(&zone)
        .date_naive();
    let mut day = first_day(from.with_timezone(&zone).date_naive(), grouping);
    let mut out = Vec::new();
    while day <= last {
        if out.len() == max {
            return Err(TooManyPeriods { max });
        }
        let next = next_day(day, grouping);
        out.push(Period {
            ordinal: ordinal(day, grouping),
            label: label(day, grouping),
            start: midnight(zone, day).max(from),
            end: midnight(zone, next).min(to),
        });
        day = next;
    }
    Ok(out)
}

fn first_day(day: NaiveDate, grouping: Grouping) -> NaiveDate {
    match grouping {
        Grouping::Day => day,
        Grouping::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
        Grouping::Month => day.with_day(1).unwrap_or(day),
    }
}

fn next_day(day: NaiveDate, grouping: Grouping) -> NaiveDate {
    match grouping {
        Grouping::Day => day + Duration::days(1),
        Grouping::Week => day + Duration::days(7),
        Grouping::Month => day
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX),
    }
}

/// Days since 0001-01-01 (a Monday), weeks since then, or months since year 0.
fn ordinal(first: NaiveDate, grouping: Grouping) -> i64 {
    let days = i64::from(first.num_days_from_ce()) - 1;
    match grouping {
        Grouping::Day => days,
        Grouping::Week => days.div_euclid(7),
        Grouping::Month => i64::from(first.year()) * 12 + i64::from(first.month0()),
    }
}

fn label(first: NaiveDate, grouping: Grouping) -> String {
    match grouping {
        Grouping::Day => first.format("%Y-%m-%d").to_string(),
        Grouping::Week => {
            let week = first.iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
        Grouping::Month => first.format("%Y-%m").to_string(),
    }
}

/// The instant a local day starts; where midnight does not exist (a zone that springs forward
/// at midnight), the first local time that does.
pub fn midnight(zone: Tz, day: NaiveDate) -> DateTime<Utc> {
    let mut time = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    for _ in 0..4 {
        if let Some(at) = zone.from_local_datetime(&time).earliest() {
            return at.with_timezone(&Utc);
        }
        time += Duration::minutes(30);
    }
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_default()
    }

    const PARIS: Tz = chrono_tz::Europe::Paris;

    #[test]
    fn months_of_paris_clip_to_the_window_and_follow_local_midnight() {
        let p = periods(
            PARIS,
            at("2026-01-15T00:00:00Z"),
            at("2026-03-31T22:00:00Z"),
            Some(Grouping::Month),
            100,
        );
        let p = p.unwrap_or_default();
        let labels: Vec<&str> = p.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(p[0].start, at("2026-01-15T00:00:00Z"));
        // February starts at midnight in Paris (UTC+1).
        assert_eq!(p[0].end, at("2026-01-31T23:00:00Z"));
        assert_eq!(p[1].start, at("2026-01-31T23:00:00Z"));
        assert_eq!(p[1].end, at("2026-02-28T23:00:00Z"));
        // The window ends at Paris midnight of 1 April (UTC+2 after 29 March).
        assert_eq!(p[2].end, at("2026-03-31T22:00:00Z"));
        assert_eq!(p[1].ordinal - p[0].ordinal, 1);
        assert_eq!(p[0].ordinal, 2026 * 12);
    }

    #[test]
    fn the_spring_forward_day_lasts_23_hours() {
        let p = periods(
            PARIS,
            at("2026-03-28T23:00:00Z"),
            at("2026-03-30T22:00:00Z"),
            Some(Grouping::Day),
            10,
        )
        .unwrap_or_default();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].label, "2026-03-29");
        assert_eq!((p[0].end - p[0].start).num_hours(), 23);
        assert_eq!((p[1].end - p[1].start).num_hours(), 24);
        assert_eq!(p[1].ordinal - p[0].ordinal, 1);
    }

    #[test]
    fn weeks_start_on_monday_and_carry_their_iso_number() {
        // Thursday 1 January 2026 belongs to ISO week 2026-W01 (Monday 29 December 2025).
        let p = periods(
            chrono_tz::UTC,
            at("2026-01-01T00:00:00Z"),
            at("2026-01-12T00:00:00Z"),
            Some(Grouping::Week),
            10,
        )
        .unwrap_or_default();
        let labels: Vec<&str> = p.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2026-W01", "2026-W02"]);
        assert_eq!(p[0].start, at("2026-01-01T00:00:00Z"));
        assert_eq!(p[0].end, at("2026-01-05T00:00:00Z"));
        assert_eq!(p[1].end, at("2026-01-12T00:00:00Z"));
        assert_eq!(p[1].ordinal - p[0].ordinal, 1);
    }

    #[test]
    fn the_same_month_has_the_same_ordinal_in_every_zone() {
        let from = at("2026-06-01T00:00:00Z");
        let to = at("2026-06-20T00:00:00Z");
        let paris = periods(PARIS, from, to, Some(Grouping::Month), 5).unwrap_or_default();
        let quebec = periods(
            chrono_tz::America::Montreal,
            from,
            to,
            Some(Grouping::Month),
            5,
        )
        .unwrap_or_default();
        // 1 June 00:00 UTC is still 31 May in Montréal.
        assert_eq!(quebec.len(), 2);
        assert_eq!(quebec[1].ordinal, paris[0].ordinal);
        assert_eq!(quebec[1].start, at("2026-06-01T04:00:00Z"));
    }

    #[test]
    fn a_bounded_number_of_periods() {
        let p = periods(
            PARIS,
            at("2020-01-01T00:00:00Z"),
            at("2026-01-01T00:00:00Z"),
            Some(Grouping::Day),
            366,
        );
        assert_eq!(p, Err(TooManyPeriods { max: 366 }));
    }

    #[test]
    fn no_grouping_is_the_whole_window() {
        let p = periods(
            PARIS,
            at("2026-01-01T00:00:00Z"),
            at("2026-02-01T00:00:00Z"),
            None,
            1,
        )
        .unwrap_or_default();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].ordinal, 0);
    }
}
