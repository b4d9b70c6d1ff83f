//! Production downtime of a repair: when production stopped, when it ran again, and for how
//! many minutes. A request that stops production starts the stop; the completion report ends it.

use chrono::{DateTime, Utc};

/// What the completion report says about downtime; every part optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reported {
    pub minutes: Option<i32>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
}

/// The downtime recorded on completion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Downtime {
    pub minutes: Option<i32>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DowntimeError {
    /// An end with no start, reported or known.
    StartRequired,
    EndBeforeStart,
}

fn minutes_between(start: DateTime<Utc>, end: DateTime<Utc>) -> i32 {
    i32::try_from((end - start).num_minutes().max(0)).unwrap_or(i32::MAX)
}

/// Completes the report with what the order records: a start alone is a stop still running
/// (from a stopping request), which ends with the repair at `now`; a whole earlier report (the
/// order was reopened) stands unless reported again. `0` minutes alone says production did not
/// stop after all.
pub fn resolve(
    reported: Reported,
    recorded: Downtime,
    now: DateTime<Utc>,
) -> Result<Downtime, DowntimeError> {
    let ended = recorded.minutes.is_some() || recorded.end.is_some();
    if reported == Reported::default() && ended {
        return Ok(recorded);
    }
    let known_start = recorded.start;
    if reported
        == (Reported {
            minutes: Some(0),
            start: None,
            end: None,
        })
    {
        return Ok(Downtime {
            minutes: Some(0),
            start: None,
            end: None,
        });
    }
    let start = reported.start.or(known_start);
    let end = match (reported.minutes, start, reported.end) {
        (_, None, Some(_)) => return Err(DowntimeError::StartRequired),
        (_, _, Some(end)) => Some(end),
        (Some(minutes), Some(start), None) => {
            Some(start + chrono::Duration::minutes(i64::from(minutes)))
        }
        (None, Some(start), None) => Some(now.max(start)),
        (_, None, None) => None,
    };
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        return Err(DowntimeError::EndBeforeStart);
    }
    let minutes = match (reported.minutes, start, end) {
        (Some(minutes), _, _) => Some(minutes),
        (None, Some(start), Some(end)) => Some(minutes_between(start, end)),
        _ => None,
    };
    Ok(Downtime {
        minutes,
        start,
        end,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 10, h, m, 0).unwrap()
    }

    fn stopped_at(start: DateTime<Utc>) -> Downtime {
        Downtime {
            start: Some(start),
            ..Default::default()
        }
    }

    #[test]
    fn a_reopened_order_keeps_its_report_unless_reported_again() {
        let earlier = Downtime {
            minutes: Some(45),
            start: Some(at(8, 15)),
            end: Some(at(9, 0)),
        };
        assert_eq!(
            resolve(Reported::default(), earlier, at(15, 0)),
            Ok(earlier)
        );
        let reported = Reported {
            end: Some(at(9, 30)),
            ..Default::default()
        };
        assert_eq!(
            resolve(reported, earlier, at(15, 0)),
            Ok(Downtime {
                minutes: Some(75),
                start: Some(at(8, 15)),
                end: Some(at(9, 30))
            })
        );
    }

    #[test]
    fn a_stop_known_from_the_request_ends_with_the_repair() {
        let d = resolve(Reported::default(), stopped_at(at(8, 15)), at(10, 45));
        assert_eq!(
            d,
            Ok(Downtime {
                minutes: Some(150),
                start: Some(at(8, 15)),
                end: Some(at(10, 45))
            })
        );
    }

    #[test]
    fn the_reported_end_wins_over_the_completion_time() {
        let reported = Reported {
            end: Some(at(9, 0)),
            ..Default::default()
        };
        let d = resolve(reported, stopped_at(at(8, 15)), at(10, 45));
        assert_eq!(
            d,
            Ok(Downtime {
                minutes: Some(45),
                start: Some(at(8, 15)),
                end: Some(at(9, 0))
            })
        );
    }

    #[test]
    fn minutes_alone_after_a_known_start_give_the_end() {
        let reported = Reported {
            minutes: Some(30),
            ..Default::default()
        };
        let d = resolve(reported, stopped_at(at(8, 15)), at(10, 45));
        assert_eq!(
            d,
            Ok(Downtime {
                minutes: Some(30),
                start: Some(at(8, 15)),
                end: Some(at(8, 45))
            })
        );
    }

    #[test]
    fn zero_minutes_says_production_did_not_stop() {
        let reported = Reported {
            minutes: Some(0),
            ..Default::default()
        };
        let d = resolve(reported, stopped_at(at(8, 15)), at(10, 45));
        assert_eq!(
            d,
            Ok(Downtime {
                minutes: Some(0),
                start: None,
                end: None
            })
        );
    }

    #[test]
    fn without_a_stop_there_is_no_downtime_unless_reported() {
        assert_eq!(
            resolve(Reported::default(), Downtime::default(), at(10, 45)),
            Ok(Downtime::default())
        );
        let reported = Reported {
            minutes: Some(20),
            ..Default::default()
        };
        assert_eq!(
            resolve(reported, Downtime::default(), at(10, 45)),
            Ok(Downtime {
                minutes: Some(20),
                start: None,
                end: None
            })
        );
        let reported = Reported {
            start: Some(at(9, 0)),
            end: Some(at(9, 40)),
            minutes: None,
        };
        assert_eq!(
            resolve(reported, Downtime::default(), at(10, 45)),
            Ok(Downtime {
                minutes: Some(40),
                start: Some(at(9, 0)),
                end: Some(at(9, 40))
            })
        );
    }

    #[test]
    fn an_end_needs_a_start_before_it() {
        let reported = Reported {
            end: Some(at(9, 0)),
            ..Default::default()
        };
        assert_eq!(
            resolve(reported, Downtime::default(), at(10, 45)),
            Err(DowntimeError::StartRequired)
        );
        assert_eq!(
            resolve(reported, stopped_at(at(9, 30)), at(10, 45)),
            Err(DowntimeError::EndBeforeStart)
        );
    }

    #[test]
    fn a_start_in_the_future_is_not_negative_downtime() {
        let d = resolve(Reported::default(), stopped_at(at(11, 0)), at(10, 45));
        assert_eq!(
            d,
            Ok(Downtime {
                minutes: Some(0),
                start: Some(at(11, 0)),
                end: Some(at(11, 0))
            })
        );
    }
}
