//! Labour: the hours logged in the window by technician and by type of work, and each person's
//! utilisation against a weekly capacity.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::Error;
use crate::report::{Figure, Labour, TechnicianHours, TypeHours, Unit};

/// A member's working hours in a week, until members carry their own.
pub const WEEKLY_CAPACITY_HOURS: f64 = 35.0;
const WEEK_MS: f64 = 7.0 * 86_400_000.0;

/// Over `time` (`user_id`, `type`, `at_ms`, `minutes`) in `[from, to)`; capacity counts the
/// window up to `lived_to` (now, for a window reaching the future).
pub fn analyse(
    time: &DataFrame,
    people: &BTreeMap<String, String>,
    from: i64,
    to: i64,
    lived_to: i64,
) -> Result<Labour, Error> {
    let logged = time
        .clone()
        .lazy()
        .filter(col("at_ms").gt_eq(lit(from)).and(col("at_ms").lt(lit(to))));
    let hours = || (col("minutes").cast(DataType::Float64).sum() / lit(60.0)).alias("hours");
    let by_type = logged
        .clone()
        .group_by([col("type")])
        .agg([hours()])
        .sort(
            ["hours"],
            SortMultipleOptions::default().with_order_descending(true),
        )
        .collect()?;
    let by_person = logged
        .group_by([col("user_id")])
        .agg([hours()])
        .sort(
            ["hours", "user_id"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let capacity = WEEKLY_CAPACITY_HOURS * ((lived_to.min(to) - from).max(0) as f64 / WEEK_MS);

    let types = by_type.column("type")?.str()?.clone();
    let type_hours = by_type.column("hours")?.f64()?.clone();
    let by_type: Vec<TypeHours> = (0..by_type.height())
        .map(|i| TypeHours {
            kind: types.get(i).unwrap_or_default().to_string(),
            hours: type_hours.get(i).unwrap_or(0.0),
        })
        .collect();
    let users = by_person.column("user_id")?.str()?.clone();
    let person_hours = by_person.column("hours")?.f64()?.clone();
    let by_technician: Vec<TechnicianHours> = (0..by_person.height())
        .filter_map(|i| {
            let user = users.get(i)?;
            let hours = person_hours.get(i).unwrap_or(0.0);
            Some(TechnicianHours {
                user_id: user.parse().unwrap_or_default(),
                full_name: people.get(user).cloned().unwrap_or_default(),
                hours,
                utilisation: Figure::ratio(hours, capacity, Unit::Percent),
            })
        })
        .collect();
    let total: f64 = by_type.iter().map(|t| t.hours).sum();
    Ok(Labour {
        total_hours: total,
        capacity_hours_per_person: capacity,
        utilisation: Figure::ratio(total, capacity * by_technician.len() as f64, Unit::Percent),
        by_type,
        by_technician,
    })
}
