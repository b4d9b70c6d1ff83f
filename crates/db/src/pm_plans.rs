//! Preventive plans: their rules, pausing and skipping, and the facts their schedule needs.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use gmao_domain::FieldError;
use gmao_domain::pm::{self, Generated, MeterNow, Mode, Plan, Skipped, Trigger};
use gmao_domain::recurrence::{self, CalendarRule, Unit};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::sites::{Scope, like_pattern};
use crate::{Error, Page, PageRequest, Result, Sort, TenantTx, audit};

pub const SORT_KEYS: &[&str] = &[
    "title",
    "next_due_at",
    "compliance",
    "created_at",
    "updated_at",
];

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PmPlan {
    pub id: Uuid,
    pub equipment_id: Uuid,
    pub equipment_code: String,
    pub equipment_name: String,
    pub site_id: Uuid,
    pub time_zone: String,
    pub title: String,
    pub description: Option<String>,
    pub checklist: Value,
    pub estimated_minutes: Option<i32>,
    pub assignee_ids: Vec<Uuid>,
    pub priority: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub lead_time_days: i32,
    pub trigger_kind: String,
    pub cal_every: Option<i32>,
    pub cal_unit: Option<String>,
    pub cal_weekdays: Vec<i32>,
    pub cal_day_of_month: Option<i32>,
    pub meter_id: Option<Uuid>,
    pub meter_name: Option<String>,
    pub meter_unit: Option<String>,
    pub meter_every: Option<f64>,
    pub meter_base: Option<f64>,
    pub schedule_mode: String,
    pub active: bool,
    pub generate_from: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    /// Orders generated, and how many of those due in the last year were completed on time.
    pub generated_count: i64,
    pub due_last_year: i64,
    pub on_time_last_year: i64,
    /// When it is next due, as last stored (see [`store_next_due`]); for sorting. Answers
    /// compute it afresh.
    pub stored_next_due_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PmPlan {
    /// The rule as the scheduler reads it.
    pub fn schedule(&self) -> Plan {
        let calendar = || CalendarRule {
            every: u32::try_from(self.cal_every.unwrap_or(1)).unwrap_or(1),
            unit: self
                .cal_unit
                .as_deref()
                .and_then(Unit::parse)
                .unwrap_or(Unit::Month),
            weekdays: self
                .cal_weekdays
                .iter()
                .filter_map(|d| weekday(*d))
                .collect(),
            day_of_month: self.cal_day_of_month.and_then(|d| u32::try_from(d).ok()),
        };
        let every = self.meter_every.unwrap_or(1.0);
        let base = self.meter_base.unwrap_or(0.0);
        let trigger = match self.trigger_kind.as_str() {
            "meter" => Trigger::Meter { every, base },
            "calendar_or_meter" => Trigger::CalendarOrMeter {
                calendar: calendar(),
                every,
                base,
            },
            _ => Trigger::Calendar(calendar()),
        };
        Plan {
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            lead_time: Duration::days(i64::from(self.lead_time_days)),
            trigger,
            mode: if self.schedule_mode == "floating" {
                Mode::Floating
            } else {
                Mode::Fixed
            },
            zone: self.time_zone.parse().unwrap_or(chrono_tz::UTC),
            generate_from: self.generate_from,
            due_time: recurrence::default_due_time(),
        }
    }

    /// Share of the orders due in the last twelve months that were completed by their due date.
    pub fn compliance(&self) -> Option<f64> {
        (self.due_last_year > 0).then(|| self.on_time_last_year as f64 / self.due_last_year as f64)
    }
}

/// ISO weekday number (Monday = 1).
pub fn weekday(number: i32) -> Option<Weekday> {
    match number {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

/// The plan columns, with `$stats` giving the three statistics columns.
macro_rules! plan_select {
    ($stats:literal) => {
        concat!("SELECT p.id, p.equipment_id, e.code AS equipment_code, e.name AS equipment_name,
        p.site_id, s.time_zone, p.title, p.description, p.checklist, p.estimated_minutes,
        p.assignee_ids, p.priority, p.starts_on, p.ends_on, p.lead_time_days, p.trigger_kind,
        p.cal_every, p.cal_unit, p.cal_weekdays, p.cal_day_of_month, p.meter_id,
        m.name AS meter_name, m.unit AS meter_unit, p.meter_every, p.meter_base, p.schedule_mode,
        p.active, p.generate_from, p.archived_at, ", $stats, "
        n.next_due_at AS stored_next_due_at, p.created_at, p.updated_at
    FROM pm_plans p
    JOIN equipment e ON e.id = p.equipment_id
    JOIN sites s ON s.id = p.site_id
    LEFT JOIN meters m ON m.id = p.meter_id
    LEFT JOIN pm_plan_next_due n ON n.pm_plan_id = p.id")
    };
}

const SELECT: &str = plan_select!(
    "(SELECT count(*) FROM work_orders w WHERE w.pm_plan_id = p.id) AS generated_count,
        (SELECT count(*) FROM work_orders w WHERE w.pm_plan_id = p.id AND w.status <> 'cancelled'
           AND w.due_at BETWEEN now() - interval '365 days' AND now()) AS due_last_year,
        (SELECT count(*) FROM work_orders w WHERE w.pm_plan_id = p.id AND w.status <> 'cancelled'
           AND w.due_at BETWEEN now() - interval '365 days' AND now()
           AND w.completed_at IS NOT NULL AND w.completed_at <= w.due_at + interval '1 day') AS on_time_last_year,"
);

/// The same columns without the statistics, for the scheduler (which reads every plan).
const SELECT_LEAN: &str = plan_select!(
    "0::bigint AS generated_count, 0::bigint AS due_last_year, 0::bigint AS on_time_last_year,"
);

#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    pub site_id: Option<Uuid>,
    pub equipment_id: Option<Uuid>,
    pub active: Option<bool>,
    pub include_archived: bool,
    pub q: Option<String>,
    pub sort: Option<Sort>,
}

/// The filters of [`PlanFilter`] as `$1` (scope) to `$6`, over `p` and `e`; bound by
/// [`bind_filter`].
const FILTERED: &str = "WHERE ($1::uuid[] IS NULL OR p.site_id = ANY($1))
                  AND ($2::uuid IS NULL OR p.site_id = $2)
                  AND ($3::uuid IS NULL OR p.equipment_id = $3)
                  AND ($4::boolean IS NULL OR p.active = $4)
                  AND ($5 OR p.archived_at IS NULL)
                  AND ($6::text IS NULL OR p.title ILIKE $6 OR e.code ILIKE $6 OR e.name ILIKE $6)";

type PgQueryAs<'q, T> = sqlx::query::QueryAs<'q, sqlx::Postgres, T, sqlx::postgres::PgArguments>;

fn bind_filter<'q, T>(
    query: PgQueryAs<'q, T>,
    scope: Scope<'q>,
    filter: &'q PlanFilter,
    pattern: &'q Option<String>,
) -> PgQueryAs<'q, T> {
    // Planned for the values given each time: with its `$n IS NULL OR …` clauses a generic
    // plan (which PostgreSQL switches a named statement to after five runs) expects one row,
    // and reads and sorts the whole table for every page and export batch.
    query
        .persistent(false)
        .bind(scope)
        .bind(filter.site_id)
        .bind(filter.equipment_id)
        .bind(filter.active)
        .bind(filter.include_archived)
        .bind(pattern)
}

/// The plans of the filter after `after` (creation instant, id), oldest first, `limit` at a
/// time: what an export reads, batch by batch.
pub async fn export_batch(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    filter: &PlanFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<PmPlan>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} {FILTERED}
           AND ($7::timestamptz IS NULL OR (p.created_at, p.id) > ($7, $8::uuid))
         ORDER BY p.created_at, p.id
         LIMIT $9"
    )));
    Ok(bind_filter(query, scope, filter, &pattern)
        .bind(after.map(|a| a.0))
        .bind(after.map(|a| a.1))
        .bind(limit)
        .fetch_all(tx.conn())
        .await?)
}

pub async fn list(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    filter: &PlanFilter,
    page: PageRequest,
) -> Result<Page<PmPlan>> {
    let pattern = filter.q.as_deref().map(like_pattern);
    let sort = filter.sort.unwrap_or(Sort::asc("title"));
    Ok(paged!(page, |limit, offset| {
        let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}
                {FILTERED}) x
             ORDER BY
                CASE WHEN $7 = 'title' AND NOT $8 THEN x.title END ASC,
                CASE WHEN $7 = 'title' AND $8 THEN x.title END DESC,
                CASE WHEN $7 = 'next_due_at' AND NOT $8 THEN x.stored_next_due_at END ASC NULLS LAST,
                CASE WHEN $7 = 'next_due_at' AND $8 THEN x.stored_next_due_at END DESC NULLS LAST,
                CASE WHEN $7 = 'compliance' AND NOT $8
                     THEN x.on_time_last_year::float8 / nullif(x.due_last_year, 0) END ASC NULLS LAST,
                CASE WHEN $7 = 'compliance' AND $8
                     THEN x.on_time_last_year::float8 / nullif(x.due_last_year, 0) END DESC NULLS LAST,
                CASE WHEN $7 = 'created_at' AND NOT $8 THEN x.created_at END ASC,
                CASE WHEN $7 = 'created_at' AND $8 THEN x.created_at END DESC,
                CASE WHEN $7 = 'updated_at' AND NOT $8 THEN x.updated_at END ASC,
                CASE WHEN $7 = 'updated_at' AND $8 THEN x.updated_at END DESC,
                x.id
             LIMIT $9 OFFSET $10"
        )))
        ;
        let rows: Vec<Counted<PmPlan>> = bind_filter(query, scope, filter, &pattern)
            .bind(sort.key)
            .bind(sort.descending)
            .bind(limit)
            .bind(offset)
            .fetch_all(tx.conn())
            .await?;
        rows
    }))
}

pub async fn get(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<PmPlan> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE p.id = $1 AND ($2::uuid[] IS NULL OR p.site_id = ANY($2))"
    )))
    .bind(id)
    .bind(scope)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

pub async fn get_for_update(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<PmPlan> {
    sqlx::query("SELECT 1 FROM pm_plans WHERE id = $1 AND ($2::uuid[] IS NULL OR site_id = ANY($2)) FOR UPDATE")
        .bind(id)
        .bind(scope)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)?;
    get(tx, scope, id).await
}

/// A plan's rule and content, validated by the caller.
#[derive(Debug, Clone, Serialize)]
pub struct PlanInput {
    pub equipment_id: Uuid,
    pub site_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub checklist: Value,
    pub estimated_minutes: Option<i32>,
    pub assignee_ids: Vec<Uuid>,
    pub priority: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub lead_time_days: i32,
    pub trigger_kind: String,
    pub cal_every: Option<i32>,
    pub cal_unit: Option<String>,
    pub cal_weekdays: Vec<i32>,
    pub cal_day_of_month: Option<i32>,
    pub meter_id: Option<Uuid>,
    pub meter_every: Option<f64>,
    pub schedule_mode: String,
    pub active: bool,
}

impl PlanInput {
    fn trigger_fields(&self) -> Value {
        json!([
            self.trigger_kind,
            self.cal_every,
            self.cal_unit,
            self.cal_weekdays,
            self.cal_day_of_month,
            self.meter_id,
            self.meter_every,
            self.schedule_mode,
            self.starts_on,
            self.ends_on
        ])
    }
}

impl From<&PmPlan> for PlanInput {
    fn from(p: &PmPlan) -> Self {
        PlanInput {
            equipment_id: p.equipment_id,
            site_id: p.site_id,
            title: p.title.clone(),
            description: p.description.clone(),
            checklist: p.checklist.clone(),
            estimated_minutes: p.estimated_minutes,
            assignee_ids: p.assignee_ids.clone(),
            priority: p.priority.clone(),
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            lead_time_days: p.lead_time_days,
            trigger_kind: p.trigger_kind.clone(),
            cal_every: p.cal_every,
            cal_unit: p.cal_unit.clone(),
            cal_weekdays: p.cal_weekdays.clone(),
            cal_day_of_month: p.cal_day_of_month,
            meter_id: p.meter_id,
            meter_every: p.meter_every,
            schedule_mode: p.schedule_mode.clone(),
            active: p.active,
        }
    }
}

/// The instant from which a (re)started rule generates: the start of the later of its first
/// day and today, in the site's time zone, so today's occurrence still counts but nothing
/// older floods in.
/// Which occurrences a new plan (or a plan whose rule changed) generates first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FirstOccurrence {
    /// None due before its lead time has passed, so that the first order comes with the notice
    /// the lead time is for (a plan starting today does not begin with an overdue order).
    #[default]
    AfterLeadTime,
    /// From the start date, today's included, when asked for.
    FromStart,
}

/// The first instant the plan may generate occurrences for.
pub fn generation_start(
    starts_on: NaiveDate,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
    lead_time_days: i32,
    first: FirstOccurrence,
) -> DateTime<Utc> {
    let today = now.with_timezone(&zone).date_naive();
    let from_start = recurrence::local_instant(starts_on.max(today), NaiveTime::MIN, zone);
    match first {
        FirstOccurrence::FromStart => from_start,
        FirstOccurrence::AfterLeadTime => {
            from_start.max(now + Duration::days(i64::from(lead_time_days.max(0))))
        }
    }
}

async fn site_zone(tx: &mut TenantTx, site_id: Uuid) -> Result<chrono_tz::Tz> {
    let zone: String = sqlx::query_scalar("SELECT time_zone FROM sites WHERE id = $1")
        .bind(site_id)
        .fetch_one(tx.conn())
        .await?;
    Ok(zone.parse().unwrap_or(chrono_tz::UTC))
}

/// The meter belongs to the plan's equipment; answers its current value (the count's base).
async fn check_meter(tx: &mut TenantTx, input: &PlanInput) -> Result<Option<f64>> {
    let Some(meter_id) = input.meter_id else {
        return Ok(None);
    };
    let found: Option<Option<f64>> =
        sqlx::query_scalar("SELECT last_value FROM meters WHERE id = $1 AND equipment_id = $2")
            .bind(meter_id)
            .bind(input.equipment_id)
            .fetch_optional(tx.conn())
            .await?;
    match found {
        Some(value) => Ok(Some(value.unwrap_or(0.0))),
        None => Err(Error::invalid(
            "trigger.meter_id",
            FieldError::new("unknown_meter"),
        )),
    }
}

pub async fn create(
    tx: &mut TenantTx,
    input: PlanInput,
    now: DateTime<Utc>,
    first: FirstOccurrence,
) -> Result<PmPlan> {
    let base = check_meter(tx, &input).await?;
    let zone = site_zone(tx, input.site_id).await?;
    let id = Uuid::now_v7();
    let created_by = tx.actor().user_id;
    sqlx::query(
        "INSERT INTO pm_plans (id, equipment_id, site_id, title, description, checklist, estimated_minutes,
            assignee_ids, priority, starts_on, ends_on, lead_time_days, trigger_kind, cal_every, cal_unit,
            cal_weekdays, cal_day_of_month, meter_id, meter_every, meter_base, schedule_mode, active,
            generate_from, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)",
    )
    .bind(id)
    .bind(input.equipment_id)
    .bind(input.site_id)
    .bind(&input.title)
    .bind(&input.description)
    .bind(&input.checklist)
    .bind(input.estimated_minutes)
    .bind(&input.assignee_ids)
    .bind(&input.priority)
    .bind(input.starts_on)
    .bind(input.ends_on)
    .bind(input.lead_time_days)
    .bind(&input.trigger_kind)
    .bind(input.cal_every)
    .bind(&input.cal_unit)
    .bind(&input.cal_weekdays)
    .bind(input.cal_day_of_month)
    .bind(input.meter_id)
    .bind(input.meter_every)
    .bind(base)
    .bind(&input.schedule_mode)
    .bind(input.active)
    .bind(generation_start(
        input.starts_on,
        zone,
        now,
        input.lead_time_days,
        first,
    ))
    .bind(created_by)
    .execute(tx.conn())
    .await?;
    audit::record_change(tx, "create", "pm_plan", id, None, Some(&input)).await?;
    get(tx, None, id).await
}

/// Replaces the plan's fields. A changed rule applies from today: occurrences already
/// generated stay, nothing earlier is generated under the new rule.
pub async fn update(
    tx: &mut TenantTx,
    before: &PmPlan,
    input: PlanInput,
    now: DateTime<Utc>,
    first: FirstOccurrence,
) -> Result<PmPlan> {
    let old = PlanInput::from(before);
    let rule_changed =
        old.trigger_fields() != input.trigger_fields() || old.equipment_id != input.equipment_id;
    let base = if rule_changed {
        check_meter(tx, &input).await?
    } else {
        before.meter_base
    };
    let zone = site_zone(tx, input.site_id).await?;
    let generate_from = if rule_changed {
        generation_start(input.starts_on, zone, now, input.lead_time_days, first)
    } else {
        before.generate_from
    };
    sqlx::query(
        "UPDATE pm_plans SET equipment_id = $2, site_id = $3, title = $4, description = $5, checklist = $6,
            estimated_minutes = $7, assignee_ids = $8, priority = $9, starts_on = $10, ends_on = $11,
            lead_time_days = $12, trigger_kind = $13, cal_every = $14, cal_unit = $15, cal_weekdays = $16,
            cal_day_of_month = $17, meter_id = $18, meter_every = $19, meter_base = $20, schedule_mode = $21,
            generate_from = $22
         WHERE id = $1",
    )
    .bind(before.id)
    .bind(input.equipment_id)
    .bind(input.site_id)
    .bind(&input.title)
    .bind(&input.description)
    .bind(&input.checklist)
    .bind(input.estimated_minutes)
    .bind(&input.assignee_ids)
    .bind(&input.priority)
    .bind(input.starts_on)
    .bind(input.ends_on)
    .bind(input.lead_time_days)
    .bind(&input.trigger_kind)
    .bind(input.cal_every)
    .bind(&input.cal_unit)
    .bind(&input.cal_weekdays)
    .bind(input.cal_day_of_month)
    .bind(input.meter_id)
    .bind(input.meter_every)
    .bind(base)
    .bind(&input.schedule_mode)
    .bind(generate_from)
    .execute(tx.conn())
    .await?;
    audit::record_change(tx, "update", "pm_plan", before.id, Some(&old), Some(&input)).await?;
    get(tx, None, before.id).await
}

/// Pauses or resumes a plan. A resumed plan generates from today on: what fell due during the
/// pause is not made up.
pub async fn set_active(
    tx: &mut TenantTx,
    scope: Scope<'_>,
    id: Uuid,
    active: bool,
    now: DateTime<Utc>,
) -> Result<PmPlan> {
    let before = get_for_update(tx, scope, id).await?;
    if before.archived_at.is_some() {
        return Err(Error::conflict("plan_archived", json!({})));
    }
    if before.active == active {
        return Ok(before);
    }
    let zone: chrono_tz::Tz = before.time_zone.parse().unwrap_or(chrono_tz::UTC);
    sqlx::query(
        "UPDATE pm_plans SET active = $2, generate_from = CASE WHEN $2 THEN $3 ELSE generate_from END WHERE id = $1",
    )
    .bind(id)
    .bind(active)
    // Resumed: from now on, without making up what fell due meanwhile.
    .bind(generation_start(
        before.starts_on,
        zone,
        now,
        0,
        FirstOccurrence::FromStart,
    ))
    .execute(tx.conn())
    .await?;
    audit::record(
        tx,
        audit::Entry {
            action: if active { "resume" } else { "pause" },
            entity: "pm_plan",
            entity_id: Some(id),
            changes: json!({"active": {"before": !active, "after": active}}),
        },
    )
    .await?;
    get(tx, None, id).await
}

pub async fn archive(tx: &mut TenantTx, scope: Scope<'_>, id: Uuid) -> Result<PmPlan> {
    let before = get_for_update(tx, scope, id).await?;
    if before.archived_at.is_some() {
        return Ok(before);
    }
    sqlx::query("UPDATE pm_plans SET archived_at = now(), active = false WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "archive",
            entity: "pm_plan",
            entity_id: Some(id),
            changes: json!({"archived": {"before": false, "after": true}}),
        },
    )
    .await?;
    get(tx, None, id).await
}

/// Skips one occurrence (not yet generated) so it is never generated.
pub async fn skip(
    tx: &mut TenantTx,
    plan: &PmPlan,
    occurrence: &str,
    due_on: Option<NaiveDate>,
    reason: Option<&str>,
) -> Result<()> {
    let generated: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM work_orders WHERE pm_plan_id = $1 AND pm_occurrence = $2)",
    )
    .bind(plan.id)
    .bind(occurrence)
    .fetch_one(tx.conn())
    .await?;
    if generated {
        return Err(Error::conflict(
            "occurrence_generated",
            json!({"occurrence": occurrence}),
        ));
    }
    let skipped_by = tx.actor().user_id;
    sqlx::query(
        "INSERT INTO pm_skips (pm_plan_id, occurrence, due_on, reason, skipped_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING",
    )
    .bind(plan.id)
    .bind(occurrence)
    .bind(due_on)
    .bind(reason)
    .bind(skipped_by)
    .execute(tx.conn())
    .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "skip_occurrence",
            entity: "pm_plan",
            entity_id: Some(plan.id),
            changes: json!({"occurrence": occurrence, "due_on": due_on, "reason": reason}),
        },
    )
    .await?;
    Ok(())
}

/// Stores when plans are next due, for those whose stored date differs (`plans` as read, with
/// their stored date; `next` computed now).
pub async fn store_next_due(
    tx: &mut TenantTx,
    plans: &[PmPlan],
    next: &HashMap<Uuid, Option<DateTime<Utc>>>,
) -> Result<()> {
    let (ids, dates): (Vec<Uuid>, Vec<Option<DateTime<Utc>>>) = plans
        .iter()
        .filter_map(|p| {
            let due = next.get(&p.id).copied().flatten();
            (due != p.stored_next_due_at).then_some((p.id, due))
        })
        .unzip();
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO pm_plan_next_due (pm_plan_id, next_due_at, computed_at)
         SELECT id, due, now() FROM unnest($1::uuid[], $2::timestamptz[]) AS t(id, due)
         ON CONFLICT (pm_plan_id) DO UPDATE SET next_due_at = EXCLUDED.next_due_at, computed_at = now()",
    )
    .bind(&ids)
    .bind(&dates)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Takes a skip back: the occurrence comes back into the forecast and is generated when due
/// (at once if its date has passed since). `false` when it was not skipped.
pub async fn unskip(tx: &mut TenantTx, plan: &PmPlan, occurrence: &str) -> Result<bool> {
    let removed: Option<(Option<NaiveDate>, Option<String>)> = sqlx::query_as(
        "DELETE FROM pm_skips WHERE pm_plan_id = $1 AND occurrence = $2 RETURNING due_on, reason",
    )
    .bind(plan.id)
    .bind(occurrence)
    .fetch_optional(tx.conn())
    .await?;
    let Some((due_on, reason)) = removed else {
        return Ok(false);
    };
    audit::record(
        tx,
        audit::Entry {
            action: "unskip_occurrence",
            entity: "pm_plan",
            entity_id: Some(plan.id),
            changes: json!({
                "occurrence": {"before": occurrence, "after": null},
                "due_on": {"before": due_on, "after": null},
                "reason": {"before": reason, "after": null},
            }),
        },
    )
    .await?;
    Ok(true)
}

/// A skipped occurrence as people read it: when, why and by whom.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SkipRecord {
    pub pm_plan_id: Uuid,
    pub occurrence: String,
    pub due_on: Option<NaiveDate>,
    pub reason: Option<String>,
    pub skipped_by: Option<Uuid>,
    pub skipped_by_name: Option<String>,
    pub skipped_at: DateTime<Utc>,
}

/// The skipped occurrences of `plan_ids`, by due date.
pub async fn skip_records(tx: &mut TenantTx, plan_ids: &[Uuid]) -> Result<Vec<SkipRecord>> {
    Ok(sqlx::query_as(
        "SELECT k.pm_plan_id, k.occurrence, k.due_on, k.reason, k.skipped_by,
                u.full_name AS skipped_by_name, k.skipped_at
         FROM pm_skips k LEFT JOIN public.users u ON u.id = k.skipped_by
         WHERE k.pm_plan_id = ANY($1)
         ORDER BY k.due_on NULLS LAST, k.occurrence",
    )
    .bind(plan_ids)
    .fetch_all(tx.conn())
    .await?)
}

/// What the scheduler needs to know of plans: their orders, skips and meters.
pub struct Facts {
    pub generated: HashMap<Uuid, Vec<Generated>>,
    pub skipped: HashMap<Uuid, Vec<Skipped>>,
    pub meters: HashMap<Uuid, MeterNow>,
}

/// plan, occurrence, due, status, completed, meter at due, meter at completion.
type OrderFact = (
    Uuid,
    String,
    DateTime<Utc>,
    String,
    Option<DateTime<Utc>>,
    Option<f64>,
    Option<f64>,
);
/// meter, last value, last read, use per day.
type MeterFact = (Uuid, Option<f64>, Option<DateTime<Utc>>, Option<f64>);

/// Loads the facts of `plans` in a few queries, whatever their number.
pub async fn facts(tx: &mut TenantTx, plans: &[PmPlan]) -> Result<Facts> {
    let ids: Vec<Uuid> = plans.iter().map(|p| p.id).collect();
    let meter_ids: Vec<Uuid> = plans.iter().filter_map(|p| p.meter_id).collect();
    // Without meter plans the readings are not needed; leaving them out spares planning two
    // subqueries against a table of each tenant (the sweep visits every tenant).
    let meter_values = if meter_ids.is_empty() {
        "NULL::float8, NULL::float8"
    } else {
        "CASE WHEN p.meter_id IS NOT NULL THEN (SELECT r.value FROM meter_readings r
             WHERE r.meter_id = p.meter_id AND r.read_at <= coalesce(w.due_at, w.created_at) ORDER BY r.read_at DESC LIMIT 1) END,
         CASE WHEN p.meter_id IS NOT NULL AND w.completed_at IS NOT NULL THEN (SELECT r.value FROM meter_readings r
             WHERE r.meter_id = p.meter_id AND r.read_at <= w.completed_at ORDER BY r.read_at DESC LIMIT 1) END"
    };
    let orders: Vec<OrderFact> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT w.pm_plan_id, w.pm_occurrence, coalesce(w.due_at, w.created_at), w.status, w.completed_at,
                {meter_values}
         FROM work_orders w JOIN pm_plans p ON p.id = w.pm_plan_id
         WHERE w.pm_plan_id = ANY($1)"
    )))
    .bind(&ids)
    .fetch_all(tx.conn())
    .await?;
    let mut generated: HashMap<Uuid, Vec<Generated>> = HashMap::new();
    for (plan, occurrence, due_at, status, completed_at, at_due, at_completion) in orders {
        generated.entry(plan).or_default().push(Generated {
            occurrence,
            due_at,
            active: matches!(
                status.as_str(),
                "open" | "assigned" | "in_progress" | "on_hold"
            ),
            completed_at,
            meter_at_due: at_due,
            meter_at_completion: at_completion,
        });
    }
    let skips: Vec<(Uuid, String, Option<NaiveDate>)> = sqlx::query_as(
        "SELECT pm_plan_id, occurrence, due_on FROM pm_skips WHERE pm_plan_id = ANY($1)",
    )
    .bind(&ids)
    .fetch_all(tx.conn())
    .await?;
    let mut skipped: HashMap<Uuid, Vec<Skipped>> = HashMap::new();
    for (plan, occurrence, due_on) in skips {
        skipped
            .entry(plan)
            .or_default()
            .push(Skipped { occurrence, due_on });
    }
    // Use per day over the last 90 days of readings.
    let readings: Vec<MeterFact> = if meter_ids.is_empty() {
        Vec::new()
    } else {
        sqlx::query_as(
        "SELECT m.id, m.last_value, m.last_read_at,
                (SELECT CASE WHEN max(r.read_at) > min(r.read_at)
                             THEN (max(r.value) - min(r.value)) / (extract(epoch FROM max(r.read_at) - min(r.read_at)) / 86400)
                        END
                 FROM meter_readings r WHERE r.meter_id = m.id AND r.read_at > now() - interval '90 days')
         FROM meters m WHERE m.id = ANY($1)",
    )
    .bind(&meter_ids)
    .fetch_all(tx.conn())
    .await?
    };
    let meters = readings
        .into_iter()
        .filter_map(|(id, value, at, per_day)| {
            Some((
                id,
                MeterNow {
                    value: value?,
                    read_at: at?,
                    per_day,
                },
            ))
        })
        .collect();
    Ok(Facts {
        generated,
        skipped,
        meters,
    })
}

/// When the plan is next due; none when it is paused, archived or ended.
pub fn next_due(plan: &PmPlan, facts: &Facts, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if !plan.active || plan.archived_at.is_some() {
        return None;
    }
    pm::next_due(
        &plan.schedule(),
        facts.generated.get(&plan.id).map_or(&[], Vec::as_slice),
        facts.skipped.get(&plan.id).map_or(&[], Vec::as_slice),
        plan.meter_id.and_then(|m| facts.meters.get(&m)),
        now,
    )
}

/// The plan's coming occurrences within `horizon`, not generated yet.
pub fn forecast(plan: &PmPlan, facts: &Facts, horizon: pm::Horizon) -> Vec<pm::Occurrence> {
    if !plan.active || plan.archived_at.is_some() {
        return Vec::new();
    }
    pm::forecast(
        &plan.schedule(),
        facts.generated.get(&plan.id).map_or(&[], Vec::as_slice),
        facts.skipped.get(&plan.id).map_or(&[], Vec::as_slice),
        plan.meter_id.and_then(|m| facts.meters.get(&m)),
        horizon,
    )
}

/// The active plans of the tenant (optionally only those counting `meter_id`).
pub async fn active_plans(tx: &mut TenantTx, meter_id: Option<Uuid>) -> Result<Vec<PmPlan>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT_LEAN} WHERE p.active AND p.archived_at IS NULL AND e.archived_at IS NULL
           AND ($1::uuid IS NULL OR p.meter_id = $1)"
    )))
    .bind(meter_id)
    .fetch_all(tx.conn())
    .await?)
}
