//! When a scheduled KPI report goes out and which period it covers. A report sent on a day
//! covers the day, week or month *before* it, in the schedule's time zone: a daily report at
//! 07:00 covers yesterday; a weekly one the previous Monday-to-Sunday week; a monthly one (on
//! a day from 1 to 28, so that every month has it) the previous calendar month.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use crate::Locale;
use crate::recurrence::local_instant;

/// How often a report goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    /// On this day of the week.
    Weekly(Weekday),
    /// On this day of the month, 1 to 28.
    Monthly(u32),
}

impl Frequency {
    pub fn kind(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly(_) => "weekly",
            Frequency::Monthly(_) => "monthly",
        }
    }
}

/// The last day of the month a monthly report may go out on.
pub const MAX_MONTH_DAY: u32 = 28;

/// When a schedule sends, in its time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub frequency: Frequency,
    pub time: NaiveTime,
    pub zone: Tz,
}

/// What one report covers: `[start, end)`, and the local dates it spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The first local day covered.
    pub first_day: NaiveDate,
    /// The local day after the last one covered.
    pub end_day: NaiveDate,
    pub frequency: Frequency,
}

impl Timing {
    fn local_today(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }

    /// A sending day on or before `day` (the schedule's day of the week or month).
    fn sending_day_on_or_before(&self, day: NaiveDate) -> NaiveDate {
        match self.frequency {
            Frequency::Daily => day,
            Frequency::Weekly(weekday) => {
                let back =
                    (7 + day.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
                day - Days::new(u64::from(back))
            }
            Frequency::Monthly(month_day) => {
                let month_day = month_day.clamp(1, MAX_MONTH_DAY);
                let this_month = day.with_day(month_day).unwrap_or(day);
                if this_month <= day {
                    this_month
                } else {
                    this_month - Months::new(1)
                }
            }
        }
    }

    fn next_sending_day(&self, day: NaiveDate) -> NaiveDate {
        match self.frequency {
            Frequency::Daily => day + Days::new(1),
            Frequency::Weekly(_) => day + Days::new(7),
            Frequency::Monthly(_) => day + Months::new(1),
        }
    }

    fn previous_sending_day(&self, day: NaiveDate) -> NaiveDate {
        match self.frequency {
            Frequency::Daily => day - Days::new(1),
            Frequency::Weekly(_) => day - Days::new(7),
            Frequency::Monthly(_) => day - Months::new(1),
        }
    }

    fn send_at(&self, day: NaiveDate) -> DateTime<Utc> {
        local_instant(day, self.time, self.zone)
    }

    /// The last time a report went out (or should have) at or before `now`.
    pub fn latest_at_or_before(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let mut day = self.sending_day_on_or_before(self.local_today(now));
        while self.send_at(day) > now {
            day = self.previous_sending_day(day);
        }
        self.send_at(day)
    }

    /// The first time a report goes out strictly after `now`.
    pub fn next_after(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let mut day = self.sending_day_on_or_before(self.local_today(now));
        while self.send_at(day) <= now {
            day = self.next_sending_day(day);
        }
        self.send_at(day)
    }

    /// The period a report sent at `sent_at` covers: the day, week or month before it.
    pub fn period_of(&self, sent_at: DateTime<Utc>) -> Period {
        let day = self.local_today(sent_at);
        let (first_day, end_day) = match self.frequency {
            Frequency::Daily => (day - Days::new(1), day),
            Frequency::Weekly(_) => {
                let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
                (monday - Days::new(7), monday)
            }
            Frequency::Monthly(_) => {
                let first = day.with_day(1).unwrap_or(day);
                (first - Months::new(1), first)
            }
        };
        self.period(first_day, end_day)
    }

    fn period(&self, first_day: NaiveDate, end_day: NaiveDate) -> Period {
        Period {
            start: local_instant(first_day, NaiveTime::MIN, self.zone),
            end: local_instant(end_day, NaiveTime::MIN, self.zone),
            first_day,
            end_day,
            frequency: self.frequency,
        }
    }

    /// The period before `period`, of the same kind: the change of a figure is against it.
    pub fn previous(&self, period: &Period) -> Period {
        let first_day = match self.frequency {
            Frequency::Daily => period.first_day - Days::new(1),
            Frequency::Weekly(_) => period.first_day - Days::new(7),
            Frequency::Monthly(_) => period.first_day - Months::new(1),
        };
        self.period(first_day, period.first_day)
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `3 mars 2026` / `3 March 2026`.
pub fn long_date(locale: Locale, day: NaiveDate) -> String {
    let month = day.month0() as usize;
    match locale {
        Locale::Fr => {
            let d = if day.day() == 1 {
                "1er".to_owned()
            } else {
                day.day().to_string()
            };
            format!("{d} {} {}", MONTHS_FR[month], day.year())
        }
        Locale::En => format!("{} {} {}", day.day(), MONTHS_EN[month], day.year()),
    }
}

impl Period {
    /// How people name it: `mars 2026`, `semaine du 2 mars 2026`, `mardi 3 mars 2026`.
    pub fn label(&self, locale: Locale) -> String {
        let day = self.first_day;
        match (self.frequency, locale) {
            (Frequency::Monthly(_), Locale::Fr) => {
                format!("{} {}", MONTHS_FR[day.month0() as usize], day.year())
            }
            (Frequency::Monthly(_), Locale::En) => {
                format!("{} {}", MONTHS_EN[day.month0() as usize], day.year())
            }
            (Frequency::Weekly(_), Locale::Fr) => {
                format!("semaine du {}", long_date(locale, day))
            }
            (Frequency::Weekly(_), Locale::En) => format!("week of {}", long_date(locale, day)),
            (Frequency::Daily, Locale::Fr) => format!(
                "{} {}",
                DAYS_FR[day.weekday().num_days_from_monday() as usize],
                long_date(locale, day)
            ),
            (Frequency::Daily, Locale::En) => format!(
                "{} {}",
                DAYS_EN[day.weekday().num_days_from_monday() as usize],
                long_date(locale, day)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap_or_default()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn timing(frequency: Frequency) -> Timing {
        Timing {
            frequency,
            time: NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default(),
            zone: chrono_tz::Europe::Paris,
        }
    }

    #[test]
    fn a_daily_report_covers_yesterday_in_local_time() {
        let t = timing(Frequency::Daily);
        // 4 Dec 2026, 07:00 Paris = 06:00 UTC.
        assert_eq!(
            t.next_after(utc(2026, 12, 4, 5, 59)),
            utc(2026, 12, 4, 6, 0)
        );
        assert_eq!(t.next_after(utc(2026, 12, 4, 6, 0)), utc(2026, 12, 5, 6, 0));
        assert_eq!(
            t.latest_at_or_before(utc(2026, 12, 4, 5, 59)),
            utc(2026, 12, 3, 6, 0)
        );
        let p = t.period_of(utc(2026, 12, 4, 6, 0));
        assert_eq!(
            (p.start, p.end),
            (utc(2026, 12, 2, 23, 0), utc(2026, 12, 3, 23, 0))
        );
        assert_eq!(p.label(Locale::Fr), "jeudi 3 décembre 2026");
        assert_eq!(p.label(Locale::En), "Thursday 3 December 2026");
        let before = t.previous(&p);
        assert_eq!(
            (before.start, before.end),
            (utc(2026, 12, 1, 23, 0), p.start)
        );
    }

    #[test]
    fn the_day_clocks_go_forward_has_23_hours() {
        let t = timing(Frequency::Daily);
        let p = t.period_of(utc(2026, 3, 30, 5, 0));
        // 29 March 2026: 00:00 CET (23:00 UTC the day before) to 00:00 CEST (22:00 UTC).
        assert_eq!(
            (p.start, p.end),
            (utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 22, 0))
        );
        assert_eq!((p.end - p.start).num_hours(), 23);
    }

    #[test]
    fn a_weekly_report_covers_the_previous_monday_to_sunday() {
        // Tuesdays at 07:00.
        let t = timing(Frequency::Weekly(Weekday::Tue));
        // Friday 4 Dec 2026 → last sent Tuesday 1 Dec, next Tuesday 8 Dec.
        let now = utc(2026, 12, 4, 12, 0);
        let last = t.latest_at_or_before(now);
        assert_eq!(last, utc(2026, 12, 1, 6, 0));
        assert_eq!(t.next_after(now), utc(2026, 12, 8, 6, 0));
        let p = t.period_of(last);
        assert_eq!(
            (p.first_day, p.end_day),
            (date(2026, 11, 23), date(2026, 11, 30))
        );
        assert_eq!(p.label(Locale::Fr), "semaine du 23 novembre 2026");
        assert_eq!(p.label(Locale::En), "week of 23 November 2026");
        assert_eq!(t.previous(&p).first_day, date(2026, 11, 16));
        // On the sending day, before and after the hour.
        assert_eq!(t.latest_at_or_before(utc(2026, 12, 8, 5, 59)), last);
        assert_eq!(
            t.next_after(utc(2026, 12, 8, 6, 0)),
            utc(2026, 12, 15, 6, 0)
        );
    }

    #[test]
    fn a_monthly_report_covers_the_previous_month() {
        let t = timing(Frequency::Monthly(1));
        let now = utc(2026, 12, 4, 12, 0);
        let last = t.latest_at_or_before(now);
        assert_eq!(last, utc(2026, 12, 1, 6, 0));
        assert_eq!(t.next_after(now), utc(2027, 1, 1, 6, 0));
        let p = t.period_of(last);
        assert_eq!(
            (p.first_day, p.end_day),
            (date(2026, 11, 1), date(2026, 12, 1))
        );
        assert_eq!(p.label(Locale::Fr), "novembre 2026");
        assert_eq!(p.label(Locale::En), "November 2026");
        // March 2026 in Paris lost an hour.
        let march = t.period_of(utc(2026, 4, 1, 5, 0));
        assert_eq!((march.end - march.start).num_hours(), 31 * 24 - 1);
        let before = t.previous(&march);
        assert_eq!(
            (before.first_day, before.end_day),
            (date(2026, 2, 1), date(2026, 3, 1))
        );
        // The 15th: on 4 December the last one went out on 15 November.
        let t = timing(Frequency::Monthly(15));
        assert_eq!(t.latest_at_or_before(now), utc(2026, 11, 15, 6, 0));
        assert_eq!(
            t.period_of(utc(2026, 11, 15, 6, 0)).first_day,
            date(2026, 10, 1)
        );
        // January's report on 1 January covers December of the year before.
        let t = timing(Frequency::Monthly(1));
        let january = t.period_of(utc(2027, 1, 1, 6, 0));
        assert_eq!(january.first_day, date(2026, 12, 1));
        assert_eq!(january.label(Locale::Fr), "décembre 2026");
    }

    #[test]
    fn first_of_the_month_is_written_1er_in_french() {
        assert_eq!(long_date(Locale::Fr, date(2026, 3, 1)), "1er mars 2026");
        assert_eq!(long_date(Locale::En, date(2026, 3, 1)), "1 March 2026");
    }
}
