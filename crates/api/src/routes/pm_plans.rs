//! Preventive plans, their forecasts, and the maintenance calendar.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use gmao_db::pm_plans::{self, PlanFilter, PlanInput, PmPlan as DbPlan};
use gmao_db::work_orders::ChecklistItemInput;
use gmao_db::{Sort, equipment, work_orders};
use gmao_domain::pm::Cause;
use gmao_domain::recurrence::{CalendarRule, Unit as DomainUnit};
use gmao_domain::{FieldError, FieldErrors, Permission, text};
use gmao_kpi::export::rows::Value as Cell;
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi, Union};
use serde_json::json;
use uuid::Uuid;

use super::exports::{self, ListFormat};
use super::vocabulary::{ChecklistKind, Priority, WorkOrderStatus, WorkOrderType};
use super::work_orders::{NewChecklistItem, PersonRef, checklist_input, estimated};
use super::{ApiTags, Created, page_of, page_request, search, sort_param};
use crate::auth::{BearerAuth, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub struct PmPlansApi;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "lowercase")]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

impl From<Unit> for DomainUnit {
    fn from(u: Unit) -> Self {
        match u {
            Unit::Day => DomainUnit::Day,
            Unit::Week => DomainUnit::Week,
            Unit::Month => DomainUnit::Month,
            Unit::Year => DomainUnit::Year,
        }
    }
}

impl Unit {
    fn stored(raw: &str) -> Unit {
        match raw {
            "day" => Unit::Day,
            "week" => Unit::Week,
            "year" => Unit::Year,
            _ => Unit::Month,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    fn number(self) -> i32 {
        match self {
            Weekday::Mon => 1,
            Weekday::Tue => 2,
            Weekday::Wed => 3,
            Weekday::Thu => 4,
            Weekday::Fri => 5,
            Weekday::Sat => 6,
            Weekday::Sun => 7,
        }
    }

    fn from_number(n: i32) -> Option<Weekday> {
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]
        .get(usize::try_from(n - 1).ok()?)
        .copied()
    }
}

/// Every `every` units, in the site's time zone; `weekdays` for weekly rules, `day_of_month`
/// for monthly and yearly ones (31: the last day of shorter months).
#[derive(Debug, Clone, Object)]
pub struct CalendarTrigger {
    pub every: u32,
    pub unit: Unit,
    #[oai(nullable)]
    pub weekdays: Option<Vec<Weekday>>,
    #[oai(nullable)]
    pub day_of_month: Option<u32>,
}

/// Every `every_units` of the meter (500 h, 10 000 cycles), fed by its readings.
#[derive(Debug, Clone, Object)]
pub struct MeterTrigger {
    pub meter_id: Uuid,
    pub every_units: f64,
}

/// Whichever comes first; each occurrence restarts both counts.
#[derive(Debug, Clone, Object)]
pub struct CalendarOrMeterTrigger {
    pub every: u32,
    pub unit: Unit,
    #[oai(nullable)]
    pub weekdays: Option<Vec<Weekday>>,
    #[oai(nullable)]
    pub day_of_month: Option<u32>,
    pub meter_id: Uuid,
    pub every_units: f64,
}

/// What makes a plan's work fall due.
#[derive(Debug, Clone, Union)]
#[oai(discriminator_name = "kind", one_of)]
pub enum Trigger {
    #[oai(mapping = "calendar")]
    Calendar(CalendarTrigger),
    #[oai(mapping = "meter")]
    Meter(MeterTrigger),
    #[oai(mapping = "calendar_or_meter")]
    CalendarOrMeter(CalendarOrMeterTrigger),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "lowercase")]
pub enum ScheduleMode {
    /// The calendar holds whatever happens.
    Fixed,
    /// Counts from the completion of the plan's previous order.
    Floating,
}

/// A checklist item copied onto each generated order.
#[derive(Debug, Clone, Object)]
pub struct ChecklistTemplate {
    pub label: String,
    pub kind: ChecklistKind,
    pub required: bool,
    #[oai(nullable)]
    pub unit: Option<String>,
    #[oai(nullable)]
    pub min_value: Option<f64>,
    #[oai(nullable)]
    pub max_value: Option<f64>,
}

#[derive(Debug, Object)]
pub struct PmPlan {
    pub id: Uuid,
    pub equipment_id: Uuid,
    pub equipment_code: String,
    pub equipment_name: String,
    pub site_id: Uuid,
    pub title: String,
    #[oai(nullable)]
    pub description: Option<String>,
    pub checklist: Vec<ChecklistTemplate>,
    #[oai(nullable)]
    pub estimated_minutes: Option<i32>,
    pub assignee_ids: Vec<Uuid>,
    /// The assignees by name (every reader may see them, unlike the list of assignable people).
    pub assignees: Vec<PersonRef>,
    pub priority: Priority,
    pub starts_on: NaiveDate,
    #[oai(nullable)]
    pub ends_on: Option<NaiveDate>,
    pub lead_time_days: i32,
    pub trigger: Trigger,
    #[oai(nullable)]
    pub meter_name: Option<String>,
    #[oai(nullable)]
    pub meter_unit: Option<String>,
    pub schedule_mode: ScheduleMode,
    /// A paused plan generates nothing; resumed, it does not make up what fell due meanwhile.
    pub active: bool,
    #[oai(nullable)]
    pub archived_at: Option<DateTime<Utc>>,
    /// The next occurrence not generated yet.
    #[oai(nullable)]
    pub next_due_at: Option<DateTime<Utc>>,
    /// Share of its orders due in the last twelve months completed by their due date (0 to 1).
    #[oai(nullable)]
    pub compliance: Option<f64>,
    pub generated_count: i64,
    /// Occurrences someone decided not to do, by due date; `unskip` takes one back.
    pub skipped: Vec<SkippedOccurrence>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An occurrence skipped on purpose.
#[derive(Debug, Object)]
pub struct SkippedOccurrence {
    pub occurrence: String,
    /// The day it was due, in the site's time zone.
    #[oai(nullable)]
    pub due_on: Option<NaiveDate>,
    #[oai(nullable)]
    pub reason: Option<String>,
    #[oai(nullable)]
    pub skipped_by: Option<PersonRef>,
    pub skipped_at: DateTime<Utc>,
}

page_of!(PmPlanPage, PmPlan, "A page of preventive plans.");

fn trigger_of(p: &DbPlan) -> Trigger {
    let weekdays = || {
        let days: Vec<Weekday> = p
            .cal_weekdays
            .iter()
            .filter_map(|d| Weekday::from_number(*d))
            .collect();
        (!days.is_empty()).then_some(days)
    };
    let every = u32::try_from(p.cal_every.unwrap_or(1)).unwrap_or(1);
    let unit = Unit::stored(p.cal_unit.as_deref().unwrap_or("month"));
    let day_of_month = p.cal_day_of_month.and_then(|d| u32::try_from(d).ok());
    match p.trigger_kind.as_str() {
        "meter" => Trigger::Meter(MeterTrigger {
            meter_id: p.meter_id.unwrap_or_default(),
            every_units: p.meter_every.unwrap_or(1.0),
        }),
        "calendar_or_meter" => Trigger::CalendarOrMeter(CalendarOrMeterTrigger {
            every,
            unit,
            weekdays: weekdays(),
            day_of_month,
            meter_id: p.meter_id.unwrap_or_default(),
            every_units: p.meter_every.unwrap_or(1.0),
        }),
        _ => Trigger::Calendar(CalendarTrigger {
            every,
            unit,
            weekdays: weekdays(),
            day_of_month,
        }),
    }
}

/// A stored checklist (plans, templates) as the API shows it.
pub(crate) fn checklist_items(value: &serde_json::Value) -> Vec<ChecklistTemplate> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| ChecklistTemplate {
                    label: i["label"].as_str().unwrap_or("").to_owned(),
                    kind: ChecklistKind::stored(i["kind"].as_str().unwrap_or("checkbox")),
                    required: i["required"].as_bool().unwrap_or(false),
                    unit: i["unit"].as_str().map(str::to_owned),
                    min_value: i["min_value"].as_f64(),
                    max_value: i["max_value"].as_f64(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn describe(
    p: DbPlan,
    next_due_at: Option<DateTime<Utc>>,
    names: &HashMap<Uuid, String>,
    skipped: Vec<SkippedOccurrence>,
) -> PmPlan {
    PmPlan {
        assignees: p
            .assignee_ids
            .iter()
            .filter_map(|id| {
                names.get(id).map(|full_name| PersonRef {
                    id: *id,
                    full_name: full_name.clone(),
                })
            })
            .collect(),
        skipped,
        trigger: trigger_of(&p),
        checklist: checklist_items(&p.checklist),
        compliance: p.compliance(),
        next_due_at,
        id: p.id,
        equipment_id: p.equipment_id,
        equipment_code: p.equipment_code,
        equipment_name: p.equipment_name,
        site_id: p.site_id,
        title: p.title,
        description: p.description,
        estimated_minutes: p.estimated_minutes,
        assignee_ids: p.assignee_ids,
        priority: Priority::stored(&p.priority),
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        lead_time_days: p.lead_time_days,
        meter_name: p.meter_name,
        meter_unit: p.meter_unit,
        schedule_mode: if p.schedule_mode == "floating" {
            ScheduleMode::Floating
        } else {
            ScheduleMode::Fixed
        },
        active: p.active,
        archived_at: p.archived_at,
        generated_count: p.generated_count,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

/// Plans with their next due date, assignees and skips, loaded for all of them in one go.
async fn describe_all(ctx: &mut Ctx, plans: Vec<DbPlan>) -> ApiResult<Vec<PmPlan>> {
    let facts = pm_plans::facts(&mut ctx.tx, &plans).await?;
    let people: Vec<Uuid> = plans
        .iter()
        .flat_map(|p| p.assignee_ids.iter().copied())
        .collect();
    let names: HashMap<Uuid, String> = super::work_orders::people(&mut ctx.tx, &people)
        .await?
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect();
    let ids: Vec<Uuid> = plans.iter().map(|p| p.id).collect();
    let mut skips: HashMap<Uuid, Vec<SkippedOccurrence>> = HashMap::new();
    for k in pm_plans::skip_records(&mut ctx.tx, &ids).await? {
        skips
            .entry(k.pm_plan_id)
            .or_default()
            .push(SkippedOccurrence {
                occurrence: k.occurrence,
                due_on: k.due_on,
                reason: k.reason,
                skipped_by: k.skipped_by.map(|id| PersonRef {
                    id,
                    full_name: k.skipped_by_name.unwrap_or_else(|| "?".into()),
                }),
                skipped_at: k.skipped_at,
            });
    }
    let now = Utc::now();
    Ok(plans
        .into_iter()
        .map(|p| {
            let next = pm_plans::next_due(&p, &facts, now);
            let skipped = skips.remove(&p.id).unwrap_or_default();
            describe(p, next, &names, skipped)
        })
        .collect())
}

/// A plan that just changed, described; its next due date is stored for sorting the list.
async fn describe_changed(ctx: &mut Ctx, plan: DbPlan) -> ApiResult<PmPlan> {
    let described = describe_all(ctx, vec![plan.clone()])
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)?;
    let next = HashMap::from([(plan.id, described.next_due_at)]);
    pm_plans::store_next_due(&mut ctx.tx, std::slice::from_ref(&plan), &next).await?;
    Ok(described)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum FirstOccurrenceMode {
    AfterLeadTime,
    FromStart,
}

fn first_occurrence(mode: Option<FirstOccurrenceMode>) -> pm_plans::FirstOccurrence {
    match mode {
        Some(FirstOccurrenceMode::FromStart) => pm_plans::FirstOccurrence::FromStart,
        Some(FirstOccurrenceMode::AfterLeadTime) | None => pm_plans::FirstOccurrence::AfterLeadTime,
    }
}

#[derive(Debug, Object)]
pub struct PlanRequest {
    pub equipment_id: Uuid,
    pub title: String,
    #[oai(nullable)]
    pub description: Option<String>,
    #[oai(nullable)]
    pub checklist: Option<Vec<NewChecklistItem>>,
    #[oai(nullable)]
    pub estimated_minutes: Option<i32>,
    #[oai(nullable)]
    pub assignee_ids: Option<Vec<Uuid>>,
    #[oai(nullable)]
    pub priority: Option<Priority>,
    pub starts_on: NaiveDate,
    #[oai(nullable)]
    pub ends_on: Option<NaiveDate>,
    /// Orders are created this many days before they are due (default 7).
    #[oai(nullable)]
    pub lead_time_days: Option<i32>,
    pub trigger: Trigger,
    /// Default `fixed`.
    #[oai(nullable)]
    pub schedule_mode: Option<ScheduleMode>,
    /// Which occurrence comes first when the plan is created or its rule changes:
    /// `after_lead_time` (default: none due before the lead time has passed, so the first order
    /// comes with its notice) or `from_start` (from the start date, today's included).
    #[oai(nullable)]
    pub first_occurrence: Option<FirstOccurrenceMode>,
    /// Default true.
    #[oai(nullable)]
    pub active: Option<bool>,
}

#[derive(Debug, Object)]
pub struct PreviewRequest {
    #[oai(flatten)]
    pub plan: PlanRequest,
    /// Up to when (default: one year ahead).
    #[oai(nullable)]
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Object)]
pub struct SkipRequest {
    /// The occurrence, as the forecast names it (`cal:2026-12-01`).
    pub occurrence: String,
    #[oai(nullable)]
    pub reason: Option<String>,
}

#[derive(Debug, Object)]
pub struct UnskipRequest {
    /// The skipped occurrence, as the plan's `skipped` names it.
    pub occurrence: String,
}

/// One coming occurrence of a plan.
#[derive(Debug, Object)]
pub struct Occurrence {
    /// Its stable name (`cal:2026-12-01`, `meter:1500`, `next:7`), to skip it.
    pub occurrence: String,
    pub due_at: DateTime<Utc>,
    /// `calendar` or `meter`: what makes it due.
    pub cause: String,
    #[oai(nullable)]
    pub threshold: Option<f64>,
}

page_of!(
    OccurrenceList,
    Occurrence,
    "Coming occurrences, in due order."
);

fn occurrence(o: gmao_domain::pm::Occurrence) -> Occurrence {
    Occurrence {
        occurrence: o.occurrence,
        due_at: o.due_at,
        cause: match o.cause {
            Cause::Calendar => "calendar".into(),
            Cause::Meter => "meter".into(),
        },
        threshold: o.threshold,
    }
}

/// Validates a plan request against the rules and the tenant's data.
async fn plan_input(ctx: &mut Ctx, b: PlanRequest) -> ApiResult<PlanInput> {
    let mut errors = FieldErrors::new();
    let title = errors.check("title", text::name(&b.title, 200));
    let description = errors
        .check(
            "description",
            text::optional_text(b.description.as_deref(), 5000),
        )
        .flatten();
    let checklist: Vec<ChecklistItemInput> = b
        .checklist
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(i, item)| checklist_input(&mut errors, i, item))
        .collect();
    let estimated_minutes = estimated(&mut errors, b.estimated_minutes);
    let lead_time_days = b.lead_time_days.unwrap_or(7);
    if !(0..=365).contains(&lead_time_days) {
        errors.add(
            "lead_time_days",
            FieldError::new("out_of_range")
                .with("min", 0)
                .with("max", 365),
        );
    }
    if b.ends_on.is_some_and(|end| end < b.starts_on) {
        errors.add("ends_on", FieldError::new("before_start"));
    }
    let (kind, every, unit, weekdays, day_of_month, meter_id, every_units) = match &b.trigger {
        Trigger::Calendar(c) => (
            "calendar",
            Some(c.every),
            Some(c.unit),
            c.weekdays.clone(),
            c.day_of_month,
            None,
            None,
        ),
        Trigger::Meter(m) => (
            "meter",
            None,
            None,
            None,
            None,
            Some(m.meter_id),
            Some(m.every_units),
        ),
        Trigger::CalendarOrMeter(c) => (
            "calendar_or_meter",
            Some(c.every),
            Some(c.unit),
            c.weekdays.clone(),
            c.day_of_month,
            Some(c.meter_id),
            Some(c.every_units),
        ),
    };
    if let (Some(every), Some(unit)) = (every, unit) {
        let rule = CalendarRule {
            every,
            unit: unit.into(),
            weekdays: weekdays
                .clone()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|w| pm_plans::weekday(w.number()))
                .collect(),
            day_of_month,
        };
        if let Err((field, error)) = rule.validate() {
            errors.add(&format!("trigger.{field}"), error);
        }
    }
    if every_units.is_some_and(|u| !(u.is_finite() && u > 0.0)) {
        errors.add(
            "trigger.every_units",
            FieldError::new("out_of_range").with("min", 0),
        );
    }
    let scope = ctx.principal.site_scope.clone();
    let equipment = match equipment::get(&mut ctx.tx, scope.as_deref(), b.equipment_id).await {
        Ok(e) if e.archived_at.is_none() => Some(e),
        Ok(_) | Err(gmao_db::Error::NotFound) => {
            errors.add("equipment_id", FieldError::new("unknown_equipment"));
            None
        }
        Err(other) => return Err(other.into()),
    };
    errors.clone().into_result()?;
    let (Some(title), Some(equipment)) = (title, equipment) else {
        return Err(ApiError::fields(&errors));
    };
    let assignee_ids = b.assignee_ids.unwrap_or_default();
    work_orders::check_assignees(&mut ctx.tx, equipment.site_id, &assignee_ids).await?;
    Ok(PlanInput {
        equipment_id: equipment.id,
        site_id: equipment.site_id,
        title,
        description,
        checklist: serde_json::to_value(checklist).map_err(ApiError::internal)?,
        estimated_minutes,
        assignee_ids,
        priority: b.priority.unwrap_or(Priority::Normal).as_str().to_owned(),
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        lead_time_days,
        trigger_kind: kind.to_owned(),
        cal_every: every.and_then(|e| i32::try_from(e).ok()),
        cal_unit: unit.map(|u| DomainUnit::from(u).as_str().to_owned()),
        cal_weekdays: weekdays
            .unwrap_or_default()
            .into_iter()
            .map(Weekday::number)
            .collect(),
        cal_day_of_month: day_of_month.and_then(|d| i32::try_from(d).ok()),
        meter_id,
        meter_every: every_units,
        schedule_mode: match b.schedule_mode.unwrap_or(ScheduleMode::Fixed) {
            ScheduleMode::Fixed => "fixed".into(),
            ScheduleMode::Floating => "floating".into(),
        },
        active: b.active.unwrap_or(true),
    })
}

/// The most orders, and the most plans, one calendar answer covers: beyond, the caller narrows
/// the window or the site rather than getting a calendar with holes.
const CALENDAR_MAX: i64 = 5000;

/// Forecast occurrences one calendar answer holds at most (a window of 400 days with many daily
/// plans); beyond, the caller narrows the window or the site.
const CALENDAR_MAX_FORECASTS: usize = 20_000;

/// How far ahead forecasts, previews and the calendar look: a yearly plan shows five dates.
const FORECAST_YEARS: u32 = 5;

/// Occurrences a forecast or preview answers at most.
const FORECAST_MAX: usize = 200;

/// The last day a forecast may reach, seen from `now` in `zone`.
fn forecast_limit(now: DateTime<Utc>, zone: chrono_tz::Tz) -> NaiveDate {
    let today = now.with_timezone(&zone).date_naive();
    today
        .checked_add_months(chrono::Months::new(12 * FORECAST_YEARS))
        .unwrap_or(today)
}

/// The end of a forecast: the end of `until` in the plan's zone (a year ahead by default).
/// 422 `range_too_long` beyond [`FORECAST_YEARS`], so that a request does bounded work.
fn forecast_until(
    until: Option<NaiveDate>,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> ApiResult<DateTime<Utc>> {
    let Some(date) = until else {
        return Ok(now + Duration::days(366));
    };
    let latest = forecast_limit(now, zone);
    if date > latest {
        return Err(ApiError::field(
            "until",
            FieldError::new("range_too_long").with("max", latest.to_string()),
        ));
    }
    Ok(gmao_domain::recurrence::local_instant(
        date,
        chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default(),
        zone,
    ))
}

fn horizon(now: DateTime<Utc>, until: DateTime<Utc>) -> gmao_domain::pm::Horizon {
    gmao_domain::pm::Horizon {
        now,
        from: None,
        until,
        limit: FORECAST_MAX,
    }
}

fn too_many_entries(max: usize) -> ApiError {
    ApiError::new(
        poem::http::StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_entries",
    )
    .with_details(json!({"max": max}))
}

/// A calendar entry: a scheduled work order, or a forecast occurrence of a plan.
#[derive(Debug, Object)]
pub struct CalendarEntry {
    /// `work_order` or `forecast`.
    pub kind: String,
    pub due_at: DateTime<Utc>,
    pub title: String,
    pub equipment_id: Uuid,
    pub equipment_code: String,
    pub equipment_name: String,
    pub site_id: Uuid,
    pub priority: Priority,
    #[oai(rename = "type")]
    pub order_type: WorkOrderType,
    pub assignees: Vec<PersonRef>,
    /// How long the work is expected to take, when estimated.
    #[oai(nullable)]
    pub estimated_minutes: Option<i32>,
    #[oai(nullable)]
    pub work_order_id: Option<Uuid>,
    #[oai(nullable)]
    pub number: Option<String>,
    #[oai(nullable)]
    pub status: Option<WorkOrderStatus>,
    pub overdue: bool,
    #[oai(nullable)]
    pub pm_plan_id: Option<Uuid>,
    /// For forecasts: the occurrence, to skip it.
    #[oai(nullable)]
    pub occurrence: Option<String>,
}

page_of!(
    CalendarPage,
    CalendarEntry,
    "Scheduled work and forecasts, by due date."
);

/// The columns of a plan export, in order.
const EXPORT_COLUMNS: &[&str] = &[
    "id",
    "title",
    "equipment_code",
    "equipment_name",
    "priority",
    "trigger",
    "every",
    "unit",
    "meter",
    "meter_every",
    "schedule_mode",
    "starts_on",
    "ends_on",
    "lead_time_days",
    "estimated_minutes",
    "active",
    "next_due_at",
    "generated_orders",
    "due_last_year",
    "on_time_last_year",
    "archived_at",
    "created_at",
];

fn read_batch<'a>(
    tx: &'a mut gmao_db::TenantTx,
    (filter, scope): &'a (PlanFilter, Option<Vec<Uuid>>),
    after: Option<exports::Cursor>,
) -> futures::future::BoxFuture<'a, gmao_db::Result<Vec<pm_plans::PmPlan>>> {
    Box::pin(pm_plans::export_batch(
        tx,
        scope.as_deref(),
        filter,
        after,
        exports::BATCH,
    ))
}

fn export_row(p: pm_plans::PmPlan) -> Vec<Cell> {
    vec![
        Cell::Text(p.id.to_string()),
        p.title.into(),
        p.equipment_code.into(),
        p.equipment_name.into(),
        p.priority.into(),
        p.trigger_kind.into(),
        p.cal_every.into(),
        p.cal_unit.into(),
        p.meter_name.into(),
        p.meter_every.map(|m| m.to_string()).into(),
        p.schedule_mode.into(),
        Cell::Text(p.starts_on.to_string()),
        p.ends_on.map(|d| d.to_string()).into(),
        Some(p.lead_time_days).into(),
        p.estimated_minutes.into(),
        Cell::Text(p.active.to_string()),
        p.stored_next_due_at.into(),
        p.generated_count.into(),
        p.due_last_year.into(),
        p.on_time_last_year.into(),
        p.archived_at.into(),
        p.created_at.into(),
    ]
}

#[OpenApi(tag = "ApiTags::Preventive")]
impl PmPlansApi {
    /// Export preventive plans
    ///
    /// Every plan of the list's filters, oldest first, as CSV or XLSX, streamed in constant
    /// memory: its equipment, trigger, lead time, estimate, next due date (as of the last
    /// sweep or change), orders generated and the last year's compliance.
    #[oai(path = "/pm-plans/export", method = "get")]
    async fn export(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        format: Query<ListFormat>,
        site_id: Query<Option<Uuid>>,
        equipment_id: Query<Option<Uuid>>,
        active: Query<Option<bool>>,
        include_archived: Query<Option<bool>>,
        q: Query<Option<String>>,
    ) -> ApiResult<poem_openapi::payload::Response<poem_openapi::payload::Binary<poem::Body>>> {
        let ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::PmPlansRead)?;
        let filter = PlanFilter {
            site_id: site_id.0,
            equipment_id: equipment_id.0,
            active: active.0,
            include_archived: include_archived.0.unwrap_or(false),
            q: search(q.0),
            sort: None,
        };
        let tenant = ctx.tx.tenant_id();
        let actor = gmao_db::Actor::user(ctx.principal.user_id, None);
        let scope = ctx.principal.site_scope.clone();
        ctx.commit().await?;
        let fetch = exports::fetcher(
            state.pool.clone(),
            tenant,
            actor,
            (filter, scope),
            read_batch,
            |r| (r.created_at, r.id),
            export_row,
        );
        exports::respond_with(
            &state,
            exports::Export {
                file_stem: "pm-plans",
                sheet: "Preventive plans",
                columns: EXPORT_COLUMNS,
                fetch,
            },
            format.0,
        )
        .await
    }

    /// List preventive plans, with their next due date and compliance
    #[oai(path = "/pm-plans", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        site_id: Query<Option<Uuid>>,
        equipment_id: Query<Option<Uuid>>,
        active: Query<Option<bool>>,
        include_archived: Query<Option<bool>>,
        q: Query<Option<String>>,
        /// `title`, `next_due_at` (soonest first; as of the last sweep or change), `compliance`
        /// (worst first; plans without history last), `created_at` or `updated_at`; `-` for
        /// descending. Default `title`.
        sort: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<PmPlanPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::PmPlansRead)?;
        let filter = PlanFilter {
            site_id: site_id.0,
            equipment_id: equipment_id.0,
            active: active.0,
            include_archived: include_archived.0.unwrap_or(false),
            q: search(q.0),
            sort: Some(sort_param(
                sort.0.as_deref(),
                pm_plans::SORT_KEYS,
                Sort::asc("title"),
            )?),
        };
        let scope = ctx.principal.site_scope.clone();
        let page = pm_plans::list(
            &mut ctx.tx,
            scope.as_deref(),
            &filter,
            page_request(page.0, per_page.0),
        )
        .await?;
        let (total, page_number, per_page) = (page.total, page.page, page.per_page);
        let items = describe_all(&mut ctx, page.items).await?;
        ctx.commit().await?;
        Ok(Json(PmPlanPage {
            items,
            total,
            page: page_number,
            per_page,
        }))
    }

    /// Create a preventive plan
    #[oai(path = "/pm-plans", method = "post")]
    async fn create(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<PlanRequest>,
    ) -> ApiResult<Created<PmPlan>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::PmPlansManage)?;
        let first = first_occurrence(body.first_occurrence);
        let input = plan_input(&mut ctx, body.0).await?;
        let plan = pm_plans::create(&mut ctx.tx, input, Utc::now(), first).await?;
        let described = describe_changed(&mut ctx, plan).await?;
        ctx.commit().await?;
        Ok(Created::Created(Json(described)))
    }

    /// Preview the occurrences of a plan being edited, without saving it
    #[oai(path = "/pm-plans/preview", method = "post")]
    async fn preview(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        body: Json<PreviewRequest>,
    ) -> ApiResult<Json<OccurrenceList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::PmPlansRead)?;
        let until = body.0.until;
        let first = first_occurrence(body.0.plan.first_occurrence);
        let input = plan_input(&mut ctx, body.0.plan).await?;
        // Computed on a plan created inside this transaction, which is then rolled back.
        let now = Utc::now();
        let plan = pm_plans::create(&mut ctx.tx, input, now, first).await?;
        let facts = pm_plans::facts(&mut ctx.tx, std::slice::from_ref(&plan)).await?;
        let zone: chrono_tz::Tz = plan.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let until = forecast_until(until, zone, now)?;
        let mut active = plan.clone();
        active.active = true;
        let items = pm_plans::forecast(&active, &facts, horizon(now, until))
            .into_iter()
            .map(occurrence)
            .collect();
        ctx.tx.rollback().await?;
        Ok(Json(OccurrenceList::all(items)))
    }

    /// Get a preventive plan
    #[oai(path = "/pm-plans/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<PmPlan>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::PmPlansRead)?;
        let scope = ctx.principal.site_scope.clone();
        let plan = pm_plans::get(&mut ctx.tx, scope.as_deref(), id.0).await?;
        let mut described = describe_all(&mut ctx, vec![plan]).await?;
        ctx.commit().await?;
        described.pop().map(Json).ok_or_else(ApiError::not_found)
    }

    /// Replace a preventive plan's content and rule
    ///
    /// A changed rule applies from today: orders already generated stay, and nothing earlier
    /// is generated under the new rule.
    #[oai(path = "/pm-plans/:id", method = "put")]
    async fn replace(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<PlanRequest>,
    ) -> ApiResult<Json<PmPlan>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::PmPlansManage)?;
        let scope = ctx.principal.site_scope.clone();
        let before = pm_plans::get_for_update(&mut ctx.tx, scope.as_deref(), id.0).await?;
        if before.archived_at.is_some() {
            return Err(ApiError::conflict("plan_archived"));
        }
        let active = body.0.active;
        let first = first_occurrence(body.0.first_occurrence);
        let input = plan_input(&mut ctx, body.0).await?;
        let mut plan = pm_plans::update(&mut ctx.tx, &before, input, Utc::now(), first).await?;
        if let Some(active) = active {
            plan = pm_plans::set_active(&mut ctx.tx, None, plan.id, active, Utc::now()).await?;
        }
        let described = describe_changed(&mut ctx, plan).await?;
        ctx.commit().await?;
        Ok(Json(described))
    }

    /// Pause a plan: it generates nothing until resumed
    #[oai(path = "/pm-plans/:id/pause", method = "post")]
    async fn pause(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<PmPlan>> {
        self.set_active(&state, req, &auth, id.0, false).await
    }

    /// Resume a paused plan (what fell due during the pause is not made up)
    #[oai(path = "/pm-plans/:id/resume", method = "post")]
    async fn resume(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<PmPlan>> {
        self.set_active(&state, req, &auth, id.0, true).await
    }

    /// Archive a plan (its orders stay)
    #[oai(path = "/pm-plans/:id/archive", method = "post")]
    async fn archive(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<PmPlan>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::PmPlansManage)?;
        let scope = ctx.principal.site_scope.clone();
        let plan = pm_plans::archive(&mut ctx.tx, scope.as_deref(), id.0).await?;
        let described = describe_changed(&mut ctx, plan).await?;
        ctx.commit().await?;
        Ok(Json(described))
    }

    /// Skip one coming occurrence
    ///
    /// It will not be generated. 409 `occurrence_generated` when its order exists already
    /// (cancel the order instead).
    #[oai(path = "/pm-plans/:id/skip", method = "post")]
    async fn skip(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<SkipRequest>,
    ) -> ApiResult<Json<PmPlan>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::PmPlansManage)?;
        let reason = text::optional_text(body.reason.as_deref(), 500)
            .map_err(|e| ApiError::field("reason", e))?;
        let scope = ctx.principal.site_scope.clone();
        let plan = pm_plans::get_for_update(&mut ctx.tx, scope.as_deref(), id.0).await?;
        // Only an occurrence the plan actually has ahead of it.
        let facts = pm_plans::facts(&mut ctx.tx, std::slice::from_ref(&plan)).await?;
        let now = Utc::now();
        let zone: chrono_tz::Tz = plan.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let until = forecast_until(Some(forecast_limit(now, zone)), zone, now)?;
        let coming = pm_plans::forecast(
            &plan,
            &facts,
            gmao_domain::pm::Horizon {
                limit: 2000,
                ..horizon(now, until)
            },
        );
        let Some(found) = coming.iter().find(|o| o.occurrence == body.occurrence) else {
            return Err(ApiError::field(
                "occurrence",
                FieldError::new("unknown_occurrence"),
            ));
        };
        let due_on = found.due_at.with_timezone(&zone).date_naive();
        pm_plans::skip(
            &mut ctx.tx,
            &plan,
            &body.occurrence,
            Some(due_on),
            reason.as_deref(),
        )
        .await?;
        let plan = pm_plans::get(&mut ctx.tx, None, plan.id).await?;
        let described = describe_changed(&mut ctx, plan).await?;
        ctx.commit().await?;
        Ok(Json(described))
    }

    /// Take back a skip
    ///
    /// The occurrence comes back into the forecast; if its date has passed meanwhile, its order
    /// is generated at the next sweep. 422 `not_skipped` when it was not skipped.
    #[oai(path = "/pm-plans/:id/unskip", method = "post")]
    async fn unskip(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<UnskipRequest>,
    ) -> ApiResult<Json<PmPlan>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::PmPlansManage)?;
        let scope = ctx.principal.site_scope.clone();
        let plan = pm_plans::get_for_update(&mut ctx.tx, scope.as_deref(), id.0).await?;
        if plan.archived_at.is_some() {
            return Err(ApiError::conflict("plan_archived"));
        }
        if !pm_plans::unskip(&mut ctx.tx, &plan, &body.occurrence).await? {
            return Err(ApiError::field(
                "occurrence",
                FieldError::new("not_skipped"),
            ));
        }
        let plan = pm_plans::get(&mut ctx.tx, None, plan.id).await?;
        let described = describe_changed(&mut ctx, plan).await?;
        ctx.commit().await?;
        Ok(Json(described))
    }

    /// Coming occurrences of a plan, without creating anything
    #[oai(path = "/pm-plans/:id/forecast", method = "get")]
    async fn forecast(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        id: Path<Uuid>,
        until: Query<Option<NaiveDate>>,
    ) -> ApiResult<Json<OccurrenceList>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::PmPlansRead)?;
        let scope = ctx.principal.site_scope.clone();
        let plan = pm_plans::get(&mut ctx.tx, scope.as_deref(), id.0).await?;
        let facts = pm_plans::facts(&mut ctx.tx, std::slice::from_ref(&plan)).await?;
        ctx.commit().await?;
        let now = Utc::now();
        let zone: chrono_tz::Tz = plan.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let until = forecast_until(until.0, zone, now)?;
        let items = pm_plans::forecast(&plan, &facts, horizon(now, until))
            .into_iter()
            .map(occurrence)
            .collect();
        Ok(Json(OccurrenceList::all(items)))
    }

    /// The maintenance calendar: scheduled work orders and forecast occurrences
    ///
    /// 422 `too_many_entries` when the window holds more than 5,000 orders or plans: narrow the
    /// window or filter by site.
    #[oai(path = "/calendar", method = "get")]
    async fn calendar(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        from: Query<DateTime<Utc>>,
        to: Query<DateTime<Utc>>,
        site_id: Query<Option<Uuid>>,
        assignee_id: Query<Option<Uuid>>,
    ) -> ApiResult<Json<CalendarPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        if to.0 <= from.0 {
            return Err(ApiError::bad_request("invalid_parameter")
                .with_details(json!({"parameter": "to", "reason": "from < to"})));
        }
        let now = Utc::now();
        let latest = now + Duration::days(366 * i64::from(FORECAST_YEARS));
        if to.0 - from.0 > Duration::days(400) || to.0 > latest {
            return Err(ApiError::field(
                "to",
                FieldError::new("range_too_long")
                    .with("max_days", 400)
                    .with("max", latest.to_rfc3339()),
            ));
        }
        let scope = ctx.principal.site_scope.clone();
        let orders = work_orders::list(
            &mut ctx.tx,
            scope.as_deref(),
            &work_orders::WorkOrderFilter {
                site_id: site_id.0,
                assignee_id: assignee_id.0,
                due_from: Some(from.0),
                due_to: Some(to.0),
                statuses: Some(
                    [
                        "open",
                        "assigned",
                        "in_progress",
                        "on_hold",
                        "completed",
                        "closed",
                    ]
                    .map(str::to_owned)
                    .to_vec(),
                ),
                sort: Some(Sort::asc("due_at")),
                ..Default::default()
            },
            gmao_db::PageRequest {
                page: 1,
                per_page: CALENDAR_MAX as u32,
            },
        )
        .await?;
        if orders.total > CALENDAR_MAX {
            return Err(too_many_entries(CALENDAR_MAX as usize));
        }
        let mut items: Vec<CalendarEntry> = orders
            .items
            .into_iter()
            .map(|w| CalendarEntry {
                kind: "work_order".into(),
                due_at: w.due_at.unwrap_or(w.created_at),
                title: w.title,
                equipment_id: w.equipment_id,
                equipment_code: w.equipment_code,
                equipment_name: w.equipment_name,
                site_id: w.site_id,
                priority: Priority::stored(&w.priority),
                order_type: WorkOrderType::stored(&w.kind),
                assignees: w
                    .assignees
                    .0
                    .into_iter()
                    .map(|p| PersonRef {
                        id: p.id,
                        full_name: p.full_name,
                    })
                    .collect(),
                estimated_minutes: w.estimated_minutes,
                work_order_id: Some(w.id),
                number: Some(w.number),
                status: Some(WorkOrderStatus::stored(&w.status)),
                overdue: w.overdue,
                pm_plan_id: w.pm_plan_id,
                occurrence: None,
            })
            .collect();
        if ctx.principal.can(Permission::PmPlansRead) {
            let plans = pm_plans::list(
                &mut ctx.tx,
                scope.as_deref(),
                &PlanFilter {
                    site_id: site_id.0,
                    active: Some(true),
                    ..Default::default()
                },
                gmao_db::PageRequest {
                    page: 1,
                    per_page: CALENDAR_MAX as u32,
                },
            )
            .await?;
            if plans.total > CALENDAR_MAX {
                return Err(too_many_entries(CALENDAR_MAX as usize));
            }
            let plans: Vec<DbPlan> = plans
                .items
                .into_iter()
                .filter(|p| assignee_id.0.is_none_or(|a| p.assignee_ids.contains(&a)))
                .collect();
            let facts = pm_plans::facts(&mut ctx.tx, &plans).await?;
            let people = super::work_orders::people(
                &mut ctx.tx,
                &plans
                    .iter()
                    .flat_map(|p| p.assignee_ids.clone())
                    .collect::<Vec<_>>(),
            )
            .await?;
            let window = gmao_domain::pm::Horizon {
                now,
                from: Some(from.0),
                until: to.0,
                // A daily plan over the longest window.
                limit: 500,
            };
            let mut forecasts = 0usize;
            for plan in &plans {
                let coming = pm_plans::forecast(plan, &facts, window);
                forecasts += coming.len();
                if forecasts > CALENDAR_MAX_FORECASTS {
                    return Err(too_many_entries(CALENDAR_MAX_FORECASTS));
                }
                for o in coming {
                    items.push(CalendarEntry {
                        kind: "forecast".into(),
                        due_at: o.due_at,
                        title: plan.title.clone(),
                        equipment_id: plan.equipment_id,
                        equipment_code: plan.equipment_code.clone(),
                        equipment_name: plan.equipment_name.clone(),
                        site_id: plan.site_id,
                        priority: Priority::stored(&plan.priority),
                        order_type: WorkOrderType::Preventive,
                        assignees: people
                            .iter()
                            .filter(|p| plan.assignee_ids.contains(&p.id))
                            .cloned()
                            .collect(),
                        estimated_minutes: plan.estimated_minutes,
                        work_order_id: None,
                        number: None,
                        status: None,
                        overdue: false,
                        pm_plan_id: Some(plan.id),
                        occurrence: Some(o.occurrence),
                    });
                }
            }
        }
        ctx.commit().await?;
        items.sort_by_key(|i| i.due_at);
        Ok(Json(CalendarPage::all(items)))
    }
}

impl PmPlansApi {
    async fn set_active(
        &self,
        state: &AppState,
        req: &Request,
        auth: &BearerAuth,
        id: Uuid,
        active: bool,
    ) -> ApiResult<Json<PmPlan>> {
        let mut ctx = Ctx::open(state, auth, req).await?;
        ctx.require(Permission::PmPlansManage)?;
        let scope = ctx.principal.site_scope.clone();
        let plan =
            pm_plans::set_active(&mut ctx.tx, scope.as_deref(), id, active, Utc::now()).await?;
        let described = describe_changed(&mut ctx, plan).await?;
        ctx.commit().await?;
        Ok(Json(described))
    }
}
