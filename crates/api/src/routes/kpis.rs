//! Maintenance indicators (docs/kpis.md): the history in scope is read in one transaction,
//! then computed off the async runtime, outside any transaction.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use gmao_db::equipment;
use gmao_db::report_schedules;
use gmao_domain::report_schedule::long_date;
use gmao_domain::{FieldError, Locale, Permission};
use gmao_kpi as kpi;
use gmao_kpi::document::{self, Heading};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json, Response};
use poem_openapi::{Enum, Object, OpenApi};
use uuid::Uuid;

use super::ApiTags;
use super::reports::{ReportFormat, ReportLanguage};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct KpisApi;

/// The longest window one request computes over.
const MAX_WINDOW_YEARS: i64 = 20;
/// How long a computation waits for a free slot before 503 `server_busy`.
const SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(30);
/// The window when none is given.
const DEFAULT_WINDOW_DAYS: i64 = 30;

/// How a series is cut, in each site's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum KpiGrouping {
    Day,
    /// Monday to Sunday, labelled by ISO week (`2026-W13`).
    Week,
    Month,
}

impl From<KpiGrouping> for kpi::Grouping {
    fn from(g: KpiGrouping) -> Self {
        match g {
            KpiGrouping::Day => kpi::Grouping::Day,
            KpiGrouping::Week => kpi::Grouping::Week,
            KpiGrouping::Month => kpi::Grouping::Month,
        }
    }
}

/// What the indicators are set side by side by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum KpiBreakdownBy {
    Site,
    /// Most downtime first; at most 1,000 machines.
    Equipment,
    Category,
    /// The failure cause: failures, MTBF (all the operating time over that cause's failures)
    /// and MTTR.
    Cause,
    /// Hours, planned work and cost of each person.
    Technician,
}

impl From<KpiBreakdownBy> for kpi::breakdown::Dimension {
    fn from(b: KpiBreakdownBy) -> Self {
        use kpi::breakdown::Dimension;
        match b {
            KpiBreakdownBy::Site => Dimension::Site,
            KpiBreakdownBy::Equipment => Dimension::Equipment,
            KpiBreakdownBy::Category => Dimension::Category,
            KpiBreakdownBy::Cause => Dimension::Cause,
            KpiBreakdownBy::Technician => Dimension::Technician,
        }
    }
}

impl From<kpi::breakdown::Dimension> for KpiBreakdownBy {
    fn from(d: kpi::breakdown::Dimension) -> Self {
        use kpi::breakdown::Dimension;
        match d {
            Dimension::Site => KpiBreakdownBy::Site,
            Dimension::Equipment => KpiBreakdownBy::Equipment,
            Dimension::Category => KpiBreakdownBy::Category,
            Dimension::Cause => KpiBreakdownBy::Cause,
            Dimension::Technician => KpiBreakdownBy::Technician,
        }
    }
}

/// One site, machine, category, cause or person; an indicator the dimension does not split
/// is absent.
#[derive(Debug, Object)]
pub struct KpiBreakdownRow {
    /// The site's, machine's or person's id, the category, or the cause's code; empty for
    /// "none given".
    pub key: String,
    pub label: String,
    pub mtbf: Option<KpiFigure>,
    pub mttr: Option<KpiFigure>,
    pub availability: Option<KpiFigure>,
    pub pm_compliance: Option<KpiFigure>,
    pub planned_work: Option<KpiFigure>,
    pub failures: Option<f64>,
    pub downtime_hours: Option<f64>,
    pub labour_hours: Option<f64>,
    /// Labour cost of the priced hours (none when no hour has a rate); by person only for
    /// those who manage members.
    pub cost: Option<f64>,
}

#[derive(Debug, Object)]
pub struct KpiBreakdown {
    pub by: KpiBreakdownBy,
    pub rows: Vec<KpiBreakdownRow>,
    /// More rows matched than were given.
    pub truncated: bool,
}

impl KpiBreakdown {
    /// `with_cost`: whether each row's cost may be shown (a person's cost tells their rate).
    fn from_report(b: kpi::breakdown::Breakdown, with_cost: bool) -> KpiBreakdown {
        KpiBreakdown {
            by: b.by.into(),
            truncated: b.truncated,
            rows: b
                .rows
                .into_iter()
                .map(|r| KpiBreakdownRow {
                    key: r.key,
                    label: r.label,
                    mtbf: r.mtbf.map(Into::into),
                    mttr: r.mttr.map(Into::into),
                    availability: r.availability.map(Into::into),
                    pm_compliance: r.pm_compliance.map(Into::into),
                    planned_work: r.planned_work.map(Into::into),
                    failures: r.failures,
                    downtime_hours: r.downtime_hours,
                    labour_hours: r.labour_hours,
                    cost: r.cost.filter(|_| with_cost),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum KpiUnit {
    Hours,
    Percent,
    Orders,
    /// Weeks of work of the whole crew.
    Weeks,
    /// An amount in the `currency` given beside it.
    Currency,
}

impl From<kpi::Unit> for KpiUnit {
    fn from(u: kpi::Unit) -> Self {
        match u {
            kpi::Unit::Hours => KpiUnit::Hours,
            kpi::Unit::Percent => KpiUnit::Percent,
            kpi::Unit::Orders => KpiUnit::Orders,
            kpi::Unit::Weeks => KpiUnit::Weeks,
            kpi::Unit::Currency => KpiUnit::Currency,
        }
    }
}

/// One period of a series: `value = numerator / denominator` (× 100 for a percentage).
#[derive(Debug, Object)]
pub struct KpiPoint {
    /// `2026-03-29`, `2026-W13` or `2026-03`.
    pub period: String,
    /// None when the denominator is 0 (no failure, no repair, nothing due…).
    pub value: Option<f64>,
    pub numerator: f64,
    pub denominator: f64,
}

/// An indicator over the window, with what it is computed from and its series.
#[derive(Debug, Object)]
pub struct KpiIndicator {
    pub value: Option<f64>,
    pub numerator: f64,
    pub denominator: f64,
    pub unit: KpiUnit,
    /// One point per period when `group_by` is given, in order; empty otherwise.
    pub series: Vec<KpiPoint>,
}

impl From<kpi::Indicator> for KpiIndicator {
    fn from(i: kpi::Indicator) -> Self {
        KpiIndicator {
            value: i.total.value,
            numerator: i.total.numerator,
            denominator: i.total.denominator,
            unit: i.unit.into(),
            series: i.series.into_iter().map(KpiPoint::from).collect(),
        }
    }
}

impl From<kpi::report::Point> for KpiPoint {
    fn from(p: kpi::report::Point) -> Self {
        KpiPoint {
            period: p.period,
            value: p.figure.value,
            numerator: p.figure.numerator,
            denominator: p.figure.denominator,
        }
    }
}

/// How long the open orders have waited, at the end of the window.
#[derive(Debug, Object)]
pub struct BacklogAges {
    pub under_7_days: u64,
    pub from_7_to_30_days: u64,
    pub from_30_to_90_days: u64,
    pub over_90_days: u64,
}

#[derive(Debug, Object)]
pub struct BacklogPoint {
    pub period: String,
    /// Orders open at the end of the period.
    pub open: f64,
    pub estimated_hours: f64,
}

/// The backlog at the end of one local day, as the night's snapshot recorded it.
#[derive(Debug, Object)]
pub struct BacklogDay {
    pub day: chrono::NaiveDate,
    /// Orders open at the day's end.
    pub open: i64,
    pub estimated_hours: f64,
    pub ages: BacklogAges,
    /// Sites with a snapshot that day.
    pub sites: i64,
}

/// The orders open at the end of the window.
#[derive(Debug, Object)]
pub struct KpiBacklog {
    pub value: Option<f64>,
    pub numerator: f64,
    pub denominator: f64,
    pub unit: KpiUnit,
    /// Their estimated hours (orders without an estimate count 0).
    pub estimated_hours: f64,
    /// Estimated hours over the weekly hours of the crew of the sites in scope (active
    /// members who carry out work orders there): weeks of work; none without a crew.
    pub crew_weeks: KpiFigure,
    pub ages: BacklogAges,
    pub series: Vec<BacklogPoint>,
}

/// A failure code.
#[derive(Debug, Object)]
pub struct KpiCode {
    pub code: String,
    pub label: String,
}

impl From<kpi::report::Code> for KpiCode {
    fn from(c: kpi::report::Code) -> Self {
        KpiCode {
            code: c.code,
            label: c.label,
        }
    }
}

/// One failure cause's share of the failures' downtime.
#[derive(Debug, Object)]
pub struct KpiCauseShare {
    /// Null for failures whose cause was not given.
    pub cause: Option<KpiCode>,
    pub downtime_hours: f64,
    pub failures: u64,
    /// This cause and the larger ones, as a share of all the failures' downtime (%).
    pub cumulative_percent: f64,
}

#[derive(Debug, Object)]
pub struct KpiEquipmentRank {
    pub equipment_id: Uuid,
    pub code: String,
    pub name: String,
    /// Its downtime in the window, every stop counted once.
    pub downtime_hours: f64,
    pub failures: u64,
}

impl From<kpi::report::EquipmentRank> for KpiEquipmentRank {
    fn from(r: kpi::report::EquipmentRank) -> Self {
        KpiEquipmentRank {
            equipment_id: r.equipment_id,
            code: r.code,
            name: r.name,
            downtime_hours: r.downtime_hours,
            failures: r.failures,
        }
    }
}

#[derive(Debug, Object)]
pub struct KpiRepeatFailure {
    pub equipment: KpiEquipmentRank,
    pub problem: Option<KpiCode>,
    /// Failures of the window repeating this problem on this machine within 30 days.
    pub repeats: u64,
}

/// Where the failures are.
#[derive(Debug, Object)]
pub struct KpiFailures {
    /// Downtime by failure cause, largest first (a Pareto).
    pub by_cause: Vec<KpiCauseShare>,
    /// The ten machines with the most downtime.
    pub most_downtime: Vec<KpiEquipmentRank>,
    /// The ten machines with the most failures.
    pub most_failures: Vec<KpiEquipmentRank>,
    /// Failures repeating one of the same machine and problem within 30 days.
    pub repeats: u64,
    /// The ten (machine, problem) pairs repeating most.
    pub repeat_list: Vec<KpiRepeatFailure>,
}

impl From<kpi::Failures> for KpiFailures {
    fn from(f: kpi::Failures) -> Self {
        KpiFailures {
            by_cause: f
                .by_cause
                .into_iter()
                .map(|c| KpiCauseShare {
                    cause: c.cause.map(Into::into),
                    downtime_hours: c.downtime_hours,
                    failures: c.failures,
                    cumulative_percent: c.cumulative_percent,
                })
                .collect(),
            most_downtime: f.most_downtime.into_iter().map(Into::into).collect(),
            most_failures: f.most_failures.into_iter().map(Into::into).collect(),
            repeats: f.repeats,
            repeat_list: f
                .repeat_list
                .into_iter()
                .map(|r| KpiRepeatFailure {
                    equipment: r.equipment.into(),
                    problem: r.problem.map(Into::into),
                    repeats: r.repeats,
                })
                .collect(),
        }
    }
}

/// How long something took over `count` cases; no mean or median without a case.
#[derive(Debug, Object)]
pub struct KpiDurations {
    pub count: u64,
    pub mean_hours: Option<f64>,
    pub median_hours: Option<f64>,
}

impl From<kpi::report::Durations> for KpiDurations {
    fn from(d: kpi::report::Durations) -> Self {
        KpiDurations {
            count: d.count,
            mean_hours: d.mean_hours,
            median_hours: d.median_hours,
        }
    }
}

#[derive(Debug, Object)]
pub struct KpiUrgencyCount {
    /// `critical`, `high`, `normal` or `low`.
    pub urgency: String,
    pub count: u64,
}

/// The work requests reported in the window.
#[derive(Debug, Object)]
pub struct KpiRequests {
    pub total: u64,
    /// Most urgent first.
    pub by_urgency: Vec<KpiUrgencyCount>,
    /// Approved over decided (approved or rejected), %.
    pub approval_rate: KpiFigure,
    /// From the report to the decision.
    pub time_to_decision: KpiDurations,
}

/// How fast reports are answered.
#[derive(Debug, Object)]
pub struct KpiResponse {
    /// From the report to its approval.
    pub to_approval: KpiDurations,
    /// From the report to the start of work on its order.
    pub to_start: KpiDurations,
}

/// A figure without a series.
#[derive(Debug, Object)]
pub struct KpiFigure {
    pub value: Option<f64>,
    pub numerator: f64,
    pub denominator: f64,
    pub unit: KpiUnit,
}

impl From<kpi::Figure> for KpiFigure {
    fn from(f: kpi::Figure) -> Self {
        KpiFigure {
            value: f.value,
            numerator: f.numerator,
            denominator: f.denominator,
            unit: f.unit.into(),
        }
    }
}

#[derive(Debug, Object)]
pub struct KpiTypeHours {
    /// The work order's type.
    #[oai(rename = "type")]
    pub kind: String,
    pub hours: f64,
}

#[derive(Debug, Object)]
pub struct KpiTechnicianHours {
    pub user_id: Uuid,
    pub full_name: String,
    pub hours: f64,
    /// Their working hours over the window up to now (their weekly capacity, else the
    /// company's).
    pub capacity_hours: f64,
    /// Hours logged over that capacity, %.
    pub utilisation: KpiFigure,
}

/// The hours logged in the window.
#[derive(Debug, Object)]
pub struct KpiLabour {
    pub total_hours: f64,
    /// Most hours first.
    pub by_type: Vec<KpiTypeHours>,
    /// Most hours first.
    pub by_technician: Vec<KpiTechnicianHours>,
    /// All hours logged over the capacity of those who logged them, %.
    pub utilisation: KpiFigure,
}

impl From<kpi::report::Labour> for KpiLabour {
    fn from(l: kpi::report::Labour) -> Self {
        KpiLabour {
            total_hours: l.total_hours,
            by_type: l
                .by_type
                .into_iter()
                .map(|t| KpiTypeHours {
                    kind: t.kind,
                    hours: t.hours,
                })
                .collect(),
            by_technician: l
                .by_technician
                .into_iter()
                .map(|t| KpiTechnicianHours {
                    user_id: t.user_id,
                    full_name: t.full_name,
                    hours: t.hours,
                    capacity_hours: t.capacity_hours,
                    utilisation: t.utilisation.into(),
                })
                .collect(),
            utilisation: l.utilisation.into(),
        }
    }
}

/// Every indicator over `[from, to)`.
#[derive(Debug, Object)]
pub struct Kpis {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub group_by: Option<KpiGrouping>,
    /// Mean time between failures, hours.
    pub mtbf: KpiIndicator,
    /// Mean time to repair, hours.
    pub mttr: KpiIndicator,
    /// Operating time over window time, %.
    pub availability: KpiIndicator,
    /// Preventive orders completed on time over those due, %.
    pub pm_compliance: KpiIndicator,
    /// Hours logged on preventive and inspection work over all hours logged, %.
    pub planned_work: KpiIndicator,
    pub backlog: KpiBacklog,
    pub failures: KpiFailures,
    pub requests: KpiRequests,
    pub response: KpiResponse,
    pub labour: KpiLabour,
    pub cost: KpiCost,
    /// With `breakdown`: the indicators side by side by its dimension.
    pub breakdown: Option<KpiBreakdown>,
}

#[derive(Debug, Object)]
pub struct KpiTypeCost {
    /// The work order's type.
    #[oai(rename = "type")]
    pub kind: String,
    pub amount: f64,
}

/// What the hours logged in the window cost, each at the rate in force when it was logged
/// (the member's, else the company's).
#[derive(Debug, Object)]
pub struct KpiCost {
    /// The amount; numerator the same, denominator 1.
    pub value: Option<f64>,
    pub numerator: f64,
    pub denominator: f64,
    pub unit: KpiUnit,
    /// ISO 4217 (`EUR`).
    pub currency: String,
    pub priced_hours: f64,
    /// Hours of people without a rate, when the company has none either: not in the amount.
    pub unpriced_hours: f64,
    /// Largest first.
    pub by_type: Vec<KpiTypeCost>,
    pub series: Vec<KpiPoint>,
}

impl From<kpi::report::Cost> for KpiCost {
    fn from(c: kpi::report::Cost) -> Self {
        KpiCost {
            value: c.total.value,
            numerator: c.total.numerator,
            denominator: c.total.denominator,
            unit: c.total.unit.into(),
            currency: c.currency,
            priced_hours: c.priced_hours,
            unpriced_hours: c.unpriced_hours,
            by_type: c
                .by_type
                .into_iter()
                .map(|t| KpiTypeCost {
                    kind: t.kind,
                    amount: t.amount,
                })
                .collect(),
            series: c.series.into_iter().map(KpiPoint::from).collect(),
        }
    }
}

/// The window asked, checked: 422 when it ends before it starts or spans too long.
fn window(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    let to = to.unwrap_or_else(Utc::now);
    let from = from.unwrap_or(to - Duration::days(DEFAULT_WINDOW_DAYS));
    if to <= from {
        return Err(ApiError::field("to", FieldError::new("before_start")));
    }
    if to - from > Duration::days(366 * MAX_WINDOW_YEARS) {
        return Err(ApiError::field(
            "from",
            FieldError::new("window_too_long").with("max_years", MAX_WINDOW_YEARS),
        ));
    }
    Ok((from, to))
}

/// A computation that could not run: 503 when too many run already.
fn computation_error(error: std::io::Error) -> ApiError {
    if error.kind() == std::io::ErrorKind::WouldBlock {
        super::files::busy()
    } else {
        ApiError::internal(error)
    }
}

fn kpi_error(error: kpi::Error) -> ApiError {
    match error {
        kpi::Error::TooManyPeriods { max } => ApiError::field(
            "group_by",
            FieldError::new("too_many_periods").with("max", max),
        ),
        kpi::Error::Db(e) => e.into(),
        other => ApiError::internal(other),
    }
}

/// The filters of a dashboard.
struct Filters {
    site_id: Option<Uuid>,
    plant_id: Option<Uuid>,
    production_line_id: Option<Uuid>,
    equipment_id: Option<Uuid>,
    category: Option<String>,
    criticality: Option<String>,
}

/// The equipment the filters name, within the caller's sites.
fn scope_of(ctx: &Ctx, filters: Filters) -> kpi::Scope {
    let site_ids = match (ctx.principal.site_scope.clone(), filters.site_id) {
        (None, None) => None,
        (None, Some(site)) => Some(vec![site]),
        (Some(sites), None) => Some(sites),
        (Some(sites), Some(site)) => Some(sites.into_iter().filter(|s| *s == site).collect()),
    };
    kpi::Scope {
        site_ids,
        plant_id: filters.plant_id,
        production_line_id: filters.production_line_id,
        equipment_id: filters.equipment_id,
        category: filters.category.filter(|c| !c.trim().is_empty()),
        criticality: filters.criticality,
    }
}

/// Loads the history in scope (the caller's sites only), then computes off the runtime.
async fn compute(
    mut ctx: Ctx,
    filters: Filters,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    group_by: Option<KpiGrouping>,
    breakdown: Option<KpiBreakdownBy>,
    only_person: Option<Uuid>,
) -> ApiResult<Kpis> {
    let scope = scope_of(&ctx, filters);
    let costs_by_person =
        ctx.principal.can(Permission::UsersManage) || breakdown != Some(KpiBreakdownBy::Technician);
    let mut history = kpi::load(&mut ctx.tx, &scope, from, to)
        .await
        .map_err(kpi_error)?;
    ctx.commit().await?;
    let query = kpi::Query {
        from,
        to,
        as_of: Utc::now(),
        grouping: group_by.map(Into::into),
        breakdown: breakdown.map(Into::into),
    };
    // Polars works on its own threads, never on the async runtime's.
    let report = kpi::thread::run(move || {
        if let Some(user) = only_person {
            history.only_time_of(user)?;
        }
        kpi::compute(&history, &query)
    })
    .await
    .map_err(computation_error)?
    .map_err(kpi_error)?;
    let failures = report.failures.into();
    let requests = KpiRequests {
        total: report.requests.total,
        by_urgency: report
            .requests
            .by_urgency
            .into_iter()
            .map(|u| KpiUrgencyCount {
                urgency: u.urgency,
                count: u.count,
            })
            .collect(),
        approval_rate: report.requests.approval_rate.into(),
        time_to_decision: report.requests.time_to_decision.into(),
    };
    let response = KpiResponse {
        to_approval: report.response.to_approval.into(),
        to_start: report.response.to_start.into(),
    };
    let b = report.backlog;
    Ok(Kpis {
        from,
        to,
        group_by,
        mtbf: report.mtbf.into(),
        mttr: report.mttr.into(),
        availability: report.availability.into(),
        pm_compliance: report.pm_compliance.into(),
        planned_work: report.planned_work.into(),
        backlog: KpiBacklog {
            value: b.total.value,
            numerator: b.total.numerator,
            denominator: b.total.denominator,
            unit: b.total.unit.into(),
            estimated_hours: b.estimated_hours,
            crew_weeks: b.crew_weeks.into(),
            ages: BacklogAges {
                under_7_days: b.ages.under_7_days,
                from_7_to_30_days: b.ages.from_7_to_30_days,
                from_30_to_90_days: b.ages.from_30_to_90_days,
                over_90_days: b.ages.over_90_days,
            },
            series: b
                .series
                .into_iter()
                .map(|p| BacklogPoint {
                    period: p.period,
                    open: p.open,
                    estimated_hours: p.estimated_hours,
                })
                .collect(),
        },
        failures,
        requests,
        response,
        labour: report.labour.into(),
        cost: report.cost.into(),
        breakdown: report
            .breakdown
            .map(|b| KpiBreakdown::from_report(b, costs_by_person)),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum KpiCriticality {
    Low,
    Medium,
    High,
    Critical,
}

impl KpiCriticality {
    pub fn parse(raw: &str) -> Option<KpiCriticality> {
        [
            KpiCriticality::Low,
            KpiCriticality::Medium,
            KpiCriticality::High,
            KpiCriticality::Critical,
        ]
        .into_iter()
        .find(|c| c.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            KpiCriticality::Low => "low",
            KpiCriticality::Medium => "medium",
            KpiCriticality::High => "high",
            KpiCriticality::Critical => "critical",
        }
    }
}

#[OpenApi(prefix_path = "/kpis", tag = "ApiTags::Kpis")]
impl KpisApi {
    /// Maintenance indicators
    ///
    /// MTBF, MTTR, availability, preventive compliance, planned work, backlog (in orders,
    /// hours and crew-weeks), where the failures are (downtime by cause, worst machines,
    /// repeats), the requests and how fast they are answered, labour and its cost, over
    /// `[from, to)` (the last 30 days by default; 20 years at most), each with its numerator
    /// and denominator, and its series by day, week or month (each site in its own calendar)
    /// with `group_by`. Filters narrow the equipment looked at; a site-scoped member sees their
    /// sites only. Definitions: docs/kpis.md.
    #[oai(path = "/", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn kpis(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        from: Query<Option<DateTime<Utc>>>,
        to: Query<Option<DateTime<Utc>>>,
        group_by: Query<Option<KpiGrouping>>,
        /// The indicators side by side by site, equipment, category, failure cause or
        /// technician.
        breakdown: Query<Option<KpiBreakdownBy>>,
        site_id: Query<Option<Uuid>>,
        plant_id: Query<Option<Uuid>>,
        production_line_id: Query<Option<Uuid>>,
        equipment_id: Query<Option<Uuid>>,
        /// The equipment's category, exactly.
        category: Query<Option<String>>,
        criticality: Query<Option<KpiCriticality>>,
    ) -> ApiResult<Json<Kpis>> {
        let (from, to) = window(from.0, to.0)?;
        let _slot = super::slot(&state.kpi_computations, SLOT_WAIT).await?;
        let ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::KpisRead)?;
        let filters = Filters {
            site_id: site_id.0,
            plant_id: plant_id.0,
            production_line_id: production_line_id.0,
            equipment_id: equipment_id.0,
            category: category.0,
            criticality: criticality.0.map(|c| c.as_str().to_string()),
        };
        Ok(Json(
            compute(ctx, filters, from, to, group_by.0, breakdown.0, None).await?,
        ))
    }

    /// Export the indicators
    ///
    /// The indicators of `GET /kpis` for the same window and filters as a file: `pdf` (a
    /// report: key figures with their change against the window of the same length just
    /// before, charts and tables), `xlsx` (one sheet per table) or `csv`, in `language`
    /// (the caller's by default).
    #[oai(path = "/export", method = "get")]
    async fn export(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        format: Query<ReportFormat>,
        language: Query<Option<ReportLanguage>>,
        from: Query<Option<DateTime<Utc>>>,
        to: Query<Option<DateTime<Utc>>>,
        group_by: Query<Option<KpiGrouping>>,
        site_id: Query<Option<Uuid>>,
        plant_id: Query<Option<Uuid>>,
        production_line_id: Query<Option<Uuid>>,
        equipment_id: Query<Option<Uuid>>,
        /// The equipment's category, exactly.
        category: Query<Option<String>>,
        criticality: Query<Option<KpiCriticality>>,
    ) -> ApiResult<Response<Binary<Vec<u8>>>> {
        let (from, to) = window(from.0, to.0)?;
        let before = (from - (to - from), from);
        let _slot = super::slot(&state.kpi_computations, SLOT_WAIT).await?;
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::KpisRead)?;
        let locale = match language.0 {
            Some(ReportLanguage::En) => Locale::En,
            Some(ReportLanguage::Fr) => Locale::Fr,
            None => ctx.principal.locale,
        };
        let mut named = serde_json::Map::new();
        for (key, id) in [
            ("site_id", site_id.0),
            ("plant_id", plant_id.0),
            ("production_line_id", production_line_id.0),
            ("equipment_id", equipment_id.0),
        ] {
            if let Some(id) = id {
                named.insert(key.to_owned(), id.to_string().into());
            }
        }
        if let Some(c) = category.0.as_deref().filter(|c| !c.trim().is_empty()) {
            named.insert("category".to_owned(), c.into());
        }
        if let Some(c) = criticality.0 {
            named.insert("criticality".to_owned(), c.as_str().into());
        }
        let names =
            report_schedules::filter_names(&mut ctx.tx, &serde_json::Value::Object(named)).await?;
        let zone: chrono_tz::Tz = report_schedules::default_time_zone(&mut ctx.tx)
            .await?
            .and_then(|z| z.parse().ok())
            .unwrap_or(chrono_tz::Europe::Paris);
        let company = report_schedules::company_name(&mut ctx.tx).await?;
        let filters = Filters {
            site_id: site_id.0,
            plant_id: plant_id.0,
            production_line_id: production_line_id.0,
            equipment_id: equipment_id.0,
            category: category.0,
            criticality: criticality.0.map(|c| c.as_str().to_string()),
        };
        let scope = scope_of(&ctx, filters);
        let now_history = kpi::load(&mut ctx.tx, &scope, from, to)
            .await
            .map_err(kpi_error)?;
        let before_history = kpi::load(&mut ctx.tx, &scope, before.0, before.1)
            .await
            .map_err(kpi_error)?;
        ctx.commit().await?;

        let day = |at: DateTime<Utc>| at.with_timezone(&zone).date_naive();
        let last_day = day(to - Duration::seconds(1));
        let period = match locale {
            Locale::Fr => format!(
                "du {} au {}",
                long_date(locale, day(from)),
                long_date(locale, last_day)
            ),
            Locale::En => format!(
                "{} to {}",
                long_date(locale, day(from)),
                long_date(locale, last_day)
            ),
        };
        let heading = Heading {
            locale,
            title: match locale {
                Locale::Fr => "Indicateurs de maintenance".to_owned(),
                Locale::En => "Maintenance indicators".to_owned(),
            },
            company,
            period,
            from,
            to,
            filters: names
                .iter()
                .map(|(key, value)| document::filter_label(locale, key, value))
                .collect(),
            generated_at: gmao_workers::reports::generated_at(locale, Utc::now(), zone),
        };
        let queries = (
            kpi::Query {
                from,
                to,
                as_of: Utc::now(),
                grouping: group_by.0.map(Into::into),
                breakdown: Some(kpi::breakdown::Dimension::Site),
            },
            kpi::Query {
                from: before.0,
                to: before.1,
                as_of: Utc::now(),
                grouping: None,
                breakdown: None,
            },
        );
        let export_format = format.0.export();
        // Polars works on its own threads, never on the async runtime's.
        let file = kpi::thread::run(move || -> Result<Vec<u8>, ApiError> {
            let now = kpi::compute(&now_history, &queries.0).map_err(kpi_error)?;
            let before = kpi::compute(&before_history, &queries.1).map_err(kpi_error)?;
            let document = document::build(heading, &now, Some(&before), None);
            kpi::export::render(&document, export_format).map_err(ApiError::internal)
        })
        .await
        .map_err(computation_error)??;
        let name = match locale {
            Locale::Fr => "indicateurs",
            Locale::En => "indicators",
        };
        Ok(super::reports::file_response(
            file,
            export_format.content_type(),
            &format!("{name}-{}-{last_day}.{}", day(from), export_format.as_str()),
        ))
    }

    /// The backlog at the end of each day
    ///
    /// As the night's snapshots recorded it, day by day of `[from, to]` (local dates of each
    /// site; 3,700 days at most), summed over the sites asked (the caller's): open orders,
    /// their estimated hours and ages. Days before the first snapshot are absent.
    #[oai(path = "/backlog-days", method = "get")]
    async fn backlog_days(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        from: Query<chrono::NaiveDate>,
        to: Query<chrono::NaiveDate>,
        site_id: Query<Option<Uuid>>,
    ) -> ApiResult<Json<Vec<BacklogDay>>> {
        if to.0 < from.0 {
            return Err(ApiError::field("to", FieldError::new("before_start")));
        }
        if (to.0 - from.0).num_days() >= kpi::MAX_PERIODS as i64 {
            return Err(ApiError::field(
                "from",
                FieldError::new("too_many_periods").with("max", kpi::MAX_PERIODS),
            ));
        }
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::KpisRead)?;
        let sites = match (ctx.principal.site_scope.clone(), site_id.0) {
            (None, None) => None,
            (None, Some(site)) => Some(vec![site]),
            (Some(sites), None) => Some(sites),
            (Some(sites), Some(site)) => Some(sites.into_iter().filter(|s| *s == site).collect()),
        };
        let days =
            gmao_db::kpi_snapshots::backlog_days(&mut ctx.tx, sites.as_deref(), from.0, to.0)
                .await?;
        ctx.commit().await?;
        Ok(Json(
            days.into_iter()
                .map(|d| BacklogDay {
                    day: d.day,
                    open: d.open_orders,
                    estimated_hours: d.estimated_minutes as f64 / 60.0,
                    ages: BacklogAges {
                        under_7_days: d.under_7_days as u64,
                        from_7_to_30_days: d.from_7_to_30_days as u64,
                        from_30_to_90_days: d.from_30_to_90_days as u64,
                        over_90_days: d.over_90_days as u64,
                    },
                    sites: d.sites,
                })
                .collect(),
        ))
    }

    /// Labour by technician
    ///
    /// The hours logged over `[from, to)` by technician and by type of work, and each
    /// person's utilisation against 35 hours a week. Those who may read the indicators see
    /// everyone in their sites; a technician sees their own hours.
    #[oai(path = "/technicians", method = "get")]
    async fn technicians(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        from: Query<Option<DateTime<Utc>>>,
        to: Query<Option<DateTime<Utc>>>,
        site_id: Query<Option<Uuid>>,
    ) -> ApiResult<Json<KpiLabour>> {
        let (from, to) = window(from.0, to.0)?;
        let _slot = super::slot(&state.kpi_computations, SLOT_WAIT).await?;
        let ctx = Ctx::open(&state, &auth, req).await?;
        let only_person = if ctx.principal.can(Permission::KpisRead) {
            None
        } else {
            ctx.require(Permission::WorkOrdersExecute)?;
            Some(ctx.principal.user_id)
        };
        let filters = Filters {
            site_id: site_id.0,
            plant_id: None,
            production_line_id: None,
            equipment_id: None,
            category: None,
            criticality: None,
        };
        let kpis = compute(ctx, filters, from, to, None, None, only_person).await?;
        Ok(Json(kpis.labour))
    }

    /// One equipment's indicators
    ///
    /// The indicators of `GET /kpis` for one equipment; 404 when it does not exist or is
    /// outside the caller's sites.
    #[oai(path = "/equipment/:id", method = "get")]
    async fn equipment(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        from: Query<Option<DateTime<Utc>>>,
        to: Query<Option<DateTime<Utc>>>,
        group_by: Query<Option<KpiGrouping>>,
    ) -> ApiResult<Json<Kpis>> {
        let (from, to) = window(from.0, to.0)?;
        let _slot = super::slot(&state.kpi_computations, SLOT_WAIT).await?;
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::KpisRead)?;
        let scope = ctx.principal.site_scope.clone();
        equipment::get(&mut ctx.tx, scope.as_deref(), id.0).await?;
        let filters = Filters {
            site_id: None,
            plant_id: None,
            production_line_id: None,
            equipment_id: Some(id.0),
            category: None,
            criticality: None,
        };
        Ok(Json(
            compute(ctx, filters, from, to, group_by.0, None, None).await?,
        ))
    }
}
