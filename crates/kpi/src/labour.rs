//! Labour: the hours logged in the window by technician and by type of work, and each person's
//! utilisation against a weekly capacity.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::Error;
use crate::history::Person;
use crate::report::{Figure, Labour, TechnicianHours, TypeHours, Unit};

/// The working hours of someone who is no longer a member.
pub const WEEKLY_CAPACITY_HOURS: f64 = 35.0;
const WEEK_MS: f64 = 7.0 * 86_400_000.0;

/// Over `time` (`user_id`, `type`, `at_ms`, `minutes`) in `[from, to)`; each person's capacity
/// counts their weekly hours over the window up to `lived_to` (now, for a window reaching the
/// future).
pub fn analyse(
    time: &DataFrame,
    people: &BTreeMap<String, Person>,
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
    let weeks = (lived_to.min(to) - from).max(0) as f64 / WEEK_MS;

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
            let person = people.get(user);
            let capacity =
                weeks * person.map_or(WEEKLY_CAPACITY_HOURS, |p| p.weekly_capacity_hours);
            Some(TechnicianHours {
                user_id: user.parse().unwrap_or_default(),
                full_name: person.map(|p| p.full_name.clone()).unwrap_or_default(),
                hours,
                capacity_hours: capacity,
                utilisation: Figure::ratio(hours, capacity, Unit::Percent),
            })
        })
        .collect();
    let total: f64 = by_type.iter().map(|t| t.hours).sum();
    let capacity: f64 = by_technician.iter().map(|t| t.capacity_hours).sum();
    Ok(Labour {
        total_hours: total,
        utilisation: Figure::ratio(total, capacity, Unit::Percent),
        by_type,
        by_technician,
    })
}
