//! What the engine answers: every indicator with the numerator and denominator behind its
//! value, so a manager can check it, and its series when one was asked.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Hours,
    Percent,
    Orders,
    /// Crew-weeks: a week of work of the whole crew.
    Weeks,
    /// An amount in the report's currency.
    Currency,
}

/// `value = numerator / denominator` (× 100 for a percentage); none when the denominator is 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    pub value: Option<f64>,
    pub numerator: f64,
    pub denominator: f64,
    pub unit: Unit,
}

impl Figure {
    pub fn ratio(numerator: f64, denominator: f64, unit: Unit) -> Figure {
        let value = (denominator > 0.0).then(|| {
            let ratio = numerator / denominator;
            if unit == Unit::Percent {
                ratio * 100.0
            } else {
                ratio
            }
        });
        Figure {
            value,
            numerator,
            denominator,
            unit,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// `2026-03-29`, `2026-W13` or `2026-03`.
    pub period: String,
    #[serde(flatten)]
    pub figure: Figure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub unit: Unit,
    #[serde(flatten)]
    pub total: Figure,
    pub series: Vec<Point>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BacklogAges {
    pub under_7_days: u64,
    pub from_7_to_30_days: u64,
    pub from_30_to_90_days: u64,
    pub over_90_days: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacklogPoint {
    pub period: String,
    pub open: f64,
    pub estimated_hours: f64,
}

/// Open orders at the end of the window (and of each period), with their estimated hours and
/// how long they have waited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backlog {
    #[serde(flatten)]
    pub total: Figure,
    pub estimated_hours: f64,
    /// Estimated hours over the crew's weekly hours: how many weeks the crew would need.
    pub crew_weeks: Figure,
    pub ages: BacklogAges,
    pub series: Vec<BacklogPoint>,
}

/// A failure code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    pub code: String,
    pub label: String,
}

/// One failure cause's share of the downtime of the window's failures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CauseShare {
    /// None: failures whose cause was not given.
    pub cause: Option<Code>,
    pub downtime_hours: f64,
    pub failures: u64,
    /// This cause and the larger ones, as a share of all the failures' downtime.
    pub cumulative_percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EquipmentRank {
    pub equipment_id: uuid::Uuid,
    pub code: String,
    pub name: String,
    pub downtime_hours: f64,
    pub failures: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepeatFailure {
    pub equipment: EquipmentRank,
    pub problem: Option<Code>,
    pub repeats: u64,
}

/// Where the failures are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failures {
    /// Largest downtime first (a Pareto).
    pub by_cause: Vec<CauseShare>,
    /// The ten machines with the most downtime, then with the most failures.
    pub most_downtime: Vec<EquipmentRank>,
    pub most_failures: Vec<EquipmentRank>,
    /// Failures of the window that repeat one of the same machine and problem within 30 days.
    pub repeats: u64,
    /// The ten (machine, problem) pairs that repeat most.
    pub repeat_list: Vec<RepeatFailure>,
}

/// How long something took, over `count` cases (none: no value).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Durations {
    pub count: u64,
    pub mean_hours: Option<f64>,
    pub median_hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UrgencyCount {
    pub urgency: String,
    pub count: u64,
}

/// The requests created in the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestStats {
    pub total: u64,
    /// Most urgent first.
    pub by_urgency: Vec<UrgencyCount>,
    /// Approved over decided (approved or rejected), %.
    pub approval_rate: Figure,
    /// From the report to the decision, approved or rejected.
    pub time_to_decision: Durations,
}

/// How fast reports are answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// From the report to its approval.
    pub to_approval: Durations,
    /// From the report to the start of work on the order it became.
    pub to_start: Durations,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeHours {
    /// The work order's type.
    pub kind: String,
    pub hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TechnicianHours {
    pub user_id: uuid::Uuid,
    pub full_name: String,
    pub hours: f64,
    /// Their working hours over the window (up to now).
    pub capacity_hours: f64,
    /// Hours logged over the person's capacity in the window, %.
    pub utilisation: Figure,
}

/// The hours logged in the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Labour {
    pub total_hours: f64,
    /// Most hours first.
    pub by_type: Vec<TypeHours>,
    /// Most hours first.
    pub by_technician: Vec<TechnicianHours>,
    /// All hours logged over the capacity of those who logged them, %.
    pub utilisation: Figure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeCost {
    /// The work order's type.
    pub kind: String,
    pub amount: f64,
}

/// What the hours logged in the window cost: each at the rate in force when it was logged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cost {
    /// The amount (numerator; denominator 1).
    #[serde(flatten)]
    pub total: Figure,
    /// ISO 4217.
    pub currency: String,
    /// The hours priced, and those of people without a rate (no company rate either).
    pub priced_hours: f64,
    pub unpriced_hours: f64,
    /// Largest first.
    pub by_type: Vec<TypeCost>,
    pub series: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub mtbf: Indicator,
    pub mttr: Indicator,
    pub availability: Indicator,
    pub pm_compliance: Indicator,
    pub planned_work: Indicator,
    pub backlog: Backlog,
    pub failures: Failures,
    pub requests: RequestStats,
    pub response: Response,
    pub labour: Labour,
    pub cost: Cost,
    pub breakdown: Option<crate::breakdown::Breakdown>,
}

/// Named sums of one period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sums(BTreeMap<String, f64>);

impl Sums {
    pub fn get(&self, name: &str) -> f64 {
        self.0.get(name).copied().unwrap_or(0.0)
    }

    pub fn add(&mut self, name: &str, value: f64) {
        *self.0.entry(name.to_string()).or_insert(0.0) += value;
    }

    pub fn plus(&self, other: &Sums) -> Sums {
        let mut out = self.clone();
        for (name, value) in &other.0 {
            out.add(name, *value);
        }
        out
    }
}
