//! Scheduled KPI reports: the schedules, and one delivery per (schedule, period).
//!
//! A report goes out exactly once because the database says so: the due check inserts the
//! delivery of a (schedule, period) under a unique index and moves the schedule's `next_run_at`
//! in the same transaction; preparing it (figures, file) happens outside any transaction, and
//! its mails are written to the outbox in one statement that also moves the delivery from
//! `preparing` to `queued` — a second worker preparing the same delivery finds it queued and
//! writes nothing. The outbox then sends each mail once (`outbox`).

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::{ConstraintExt, Error, Page, PageRequest, Result, TenantTx, audit, secret_token};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Schedule {
    pub id: Uuid,
    pub name: String,
    pub frequency: String,
    /// ISO weekday, Monday 1 (weekly schedules).
    pub weekday: Option<i16>,
    /// 1 to 28 (monthly schedules).
    pub month_day: Option<i16>,
    pub send_time: NaiveTime,
    pub time_zone: String,
    pub member_ids: Vec<Uuid>,
    pub emails: Vec<String>,
    pub filters: Value,
    pub site_scope: Option<Vec<Uuid>>,
    pub indicators: Vec<String>,
    pub format: String,
    pub language: String,
    pub active: bool,
    pub next_run_at: DateTime<Utc>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT id, name, frequency, weekday, month_day, send_time, time_zone,
        member_ids, emails, filters, site_scope, indicators, format, language, active,
        next_run_at, created_by, created_at, updated_at FROM report_schedules";

/// What a schedule says; also what the audit log records of it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScheduleInput {
    pub name: String,
    pub frequency: String,
    pub weekday: Option<i16>,
    pub month_day: Option<i16>,
    pub send_time: NaiveTime,
    pub time_zone: String,
    pub member_ids: Vec<Uuid>,
    pub emails: Vec<String>,
    pub filters: Value,
    pub indicators: Vec<String>,
    pub format: String,
    pub language: String,
    pub active: bool,
}

impl From<&Schedule> for ScheduleInput {
    fn from(s: &Schedule) -> Self {
        ScheduleInput {
            name: s.name.clone(),
            frequency: s.frequency.clone(),
            weekday: s.weekday,
            month_day: s.month_day,
            send_time: s.send_time,
            time_zone: s.time_zone.clone(),
            member_ids: s.member_ids.clone(),
            emails: s.emails.clone(),
            filters: s.filters.clone(),
            indicators: s.indicators.clone(),
            format: s.format.clone(),
            language: s.language.clone(),
            active: s.active,
        }
    }
}

/// Whether a reader whose sites are `$1` (NULL: all) may see a schedule: the sites its report
/// covers must all be theirs (see [`report_sites`]).
const VISIBLE: &str = "($1::uuid[] IS NULL OR coalesce(
        CASE WHEN filters ? 'site_id' THEN ARRAY[(filters->>'site_id')::uuid] END,
        site_scope) <@ $1::uuid[])";

/// The most schedules a company keeps.
pub const MAX_SCHEDULES: i64 = 100;

/// By name; only those whose report covers sites of `scope` (all when `None`).
pub async fn list(
    tx: &mut TenantTx,
    scope: Option<&[Uuid]>,
    page: PageRequest,
) -> Result<Page<Schedule>> {
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<Schedule>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT} WHERE {VISIBLE}) x
             ORDER BY lower(x.name), x.id
             LIMIT $2 OFFSET $3"
        )))
        .bind(scope)
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
        rows
    }))
}

/// A schedule, if it exists and its report covers sites of `scope` (all when `None`).
pub async fn get(tx: &mut TenantTx, scope: Option<&[Uuid]>, id: Uuid) -> Result<Schedule> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE {VISIBLE} AND id = $2"
    )))
    .bind(scope)
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

async fn get_for_update(tx: &mut TenantTx, id: Uuid) -> Result<Schedule> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE id = $1 FOR UPDATE"
    )))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

fn name_taken() -> Error {
    Error::conflict("name_taken", json!({"field": "name"}))
}

/// A new schedule, first due at `next_run_at`, reporting on `site_scope` at most.
pub async fn create(
    tx: &mut TenantTx,
    input: ScheduleInput,
    site_scope: Option<&[Uuid]>,
    next_run_at: DateTime<Utc>,
) -> Result<Schedule> {
    // Counted under a lock, so that parallel creations cannot pass the limit together.
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended('report_schedules:' || current_schema(), 0))",
    )
    .execute(tx.conn())
    .await?;
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM report_schedules")
        .fetch_one(tx.conn())
        .await?;
    if count >= MAX_SCHEDULES {
        return Err(Error::invalid(
            "name",
            gmao_domain::FieldError::new("too_many_schedules").with("max", MAX_SCHEDULES),
        ));
    }
    let id = Uuid::now_v7();
    let created_by = tx.actor().user_id;
    sqlx::query(
        "INSERT INTO report_schedules (id, name, frequency, weekday, month_day, send_time,
            time_zone, member_ids, emails, filters, site_scope, indicators, format, language,
            active, next_run_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(id)
    .bind(&input.name)
    .bind(&input.frequency)
    .bind(input.weekday)
    .bind(input.month_day)
    .bind(input.send_time)
    .bind(&input.time_zone)
    .bind(&input.member_ids)
    .bind(&input.emails)
    .bind(&input.filters)
    .bind(site_scope)
    .bind(&input.indicators)
    .bind(&input.format)
    .bind(&input.language)
    .bind(input.active)
    .bind(next_run_at)
    .bind(created_by)
    .execute(tx.conn())
    .await
    .on_constraint("report_schedules_name_key", name_taken)?;
    audit::record_change(tx, "create", "report_schedule", id, None, Some(&input)).await?;
    refresh_due(tx).await?;
    get(tx, None, id).await
}

/// Replaces what the schedule says; its next run is recomputed by the caller from the new
/// timing (a schedule moved to a later hour does not send twice: the delivery of a period is
/// unique).
pub async fn update(
    tx: &mut TenantTx,
    id: Uuid,
    input: ScheduleInput,
    next_run_at: DateTime<Utc>,
) -> Result<Schedule> {
    let before = get_for_update(tx, id).await?;
    sqlx::query(
        "UPDATE report_schedules SET name = $2, frequency = $3, weekday = $4, month_day = $5,
            send_time = $6, time_zone = $7, member_ids = $8, emails = $9, filters = $10,
            indicators = $11, format = $12, language = $13, active = $14, next_run_at = $15
         WHERE id = $1",
    )
    .bind(id)
    .bind(&input.name)
    .bind(&input.frequency)
    .bind(input.weekday)
    .bind(input.month_day)
    .bind(input.send_time)
    .bind(&input.time_zone)
    .bind(&input.member_ids)
    .bind(&input.emails)
    .bind(&input.filters)
    .bind(&input.indicators)
    .bind(&input.format)
    .bind(&input.language)
    .bind(input.active)
    .bind(next_run_at)
    .execute(tx.conn())
    .await
    .on_constraint("report_schedules_name_key", name_taken)?;
    audit::record_change(
        tx,
        "update",
        "report_schedule",
        id,
        Some(&ScheduleInput::from(&before)),
        Some(&input),
    )
    .await?;
    refresh_due(tx).await?;
    get(tx, None, id).await
}

/// Deletes a schedule with its delivery log (the mails sent stay in the outbox's history).
pub async fn delete(tx: &mut TenantTx, id: Uuid) -> Result<()> {
    let before = get_for_update(tx, id).await?;
    sqlx::query("DELETE FROM report_schedules WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    audit::record_change(
        tx,
        "delete",
        "report_schedule",
        id,
        Some(&ScheduleInput::from(&before)),
        None,
    )
    .await?;
    refresh_due(tx).await
}

/// Active schedules whose time has come, locked for this transaction; those another worker is
/// handling are skipped.
pub async fn due(tx: &mut TenantTx, now: DateTime<Utc>, limit: i64) -> Result<Vec<Schedule>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE active AND next_run_at <= $1
         ORDER BY next_run_at LIMIT $2 FOR UPDATE SKIP LOCKED"
    )))
    .bind(now)
    .bind(limit)
    .fetch_all(tx.conn())
    .await?)
}

/// Moves a schedule's next run.
pub async fn set_next_run(tx: &mut TenantTx, id: Uuid, next_run_at: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE report_schedules SET next_run_at = $2 WHERE id = $1")
        .bind(id)
        .bind(next_run_at)
        .execute(tx.conn())
        .await?;
    refresh_due(tx).await
}

/// Who asked for a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The schedule's time came: once per period.
    Schedule,
    /// "Send now", by the actor of the transaction.
    Manual,
}

/// Records that the report of `[start, end)` is to be sent; `None` when the schedule's
/// delivery of that period exists already (a second due check, a retry).
pub async fn add_delivery(
    tx: &mut TenantTx,
    schedule_id: Uuid,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    trigger: Trigger,
) -> Result<Option<Uuid>> {
    let (trigger, requested_by) = match trigger {
        Trigger::Schedule => ("schedule", None),
        Trigger::Manual => ("manual", tx.actor().user_id),
    };
    let id: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO report_deliveries (id, schedule_id, period_start, period_end, trigger,
            requested_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (schedule_id, period_start) WHERE trigger = 'schedule' DO NOTHING
         RETURNING id",
    )
    .bind(Uuid::now_v7())
    .bind(schedule_id)
    .bind(start)
    .bind(end)
    .bind(trigger)
    .bind(requested_by)
    .fetch_optional(tx.conn())
    .await?;
    if let Some(id) = id {
        audit::record_change(
            tx,
            "create",
            "report_delivery",
            id,
            None,
            Some(&json!({
                "schedule_id": schedule_id,
                "period_start": start,
                "period_end": end,
                "trigger": trigger,
            })),
        )
        .await?;
    }
    refresh_due(tx).await?;
    Ok(id)
}

/// One mail of a delivery, with its fate in the outbox.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct DeliveryMail {
    pub recipient: String,
    /// `pending`, `sending`, `sent` or `failed` (the outbox's status).
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Delivery {
    pub id: Uuid,
    pub schedule_id: Uuid,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    pub trigger: String,
    pub requested_by: Option<Uuid>,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub attachment_bytes: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub prepared_at: Option<DateTime<Utc>>,
    #[sqlx(json)]
    pub mails: Vec<DeliveryMail>,
}

const SELECT_DELIVERY: &str = "SELECT d.id, d.schedule_id, d.period_start, d.period_end,
        d.trigger, d.requested_by, d.status, d.attempts, d.last_error, d.attachment_bytes,
        d.created_at, d.prepared_at,
        coalesce((SELECT json_agg(json_build_object(
                    'recipient', m.recipient, 'status', coalesce(o.status, 'sent'),
                    'attempts', coalesce(o.attempts, 0), 'last_error', o.last_error,
                    'sent_at', o.sent_at) ORDER BY m.recipient)
                  FROM report_delivery_mails m
                  LEFT JOIN public.mail_outbox o ON o.id = m.mail_id
                  WHERE m.delivery_id = d.id), '[]') AS mails
    FROM report_deliveries d";

/// A schedule's delivery log, newest first.
pub async fn deliveries(
    tx: &mut TenantTx,
    schedule_id: Uuid,
    page: PageRequest,
) -> Result<Page<Delivery>> {
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<Delivery>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT_DELIVERY}
                WHERE d.schedule_id = $1) x
             ORDER BY x.created_at DESC, x.id DESC
             LIMIT $2 OFFSET $3"
        )))
        .bind(schedule_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
        rows
    }))
}

pub async fn delivery(tx: &mut TenantTx, id: Uuid) -> Result<Delivery> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT_DELIVERY} WHERE d.id = $1"
    )))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(Error::NotFound)
}

/// Deliveries still being prepared since before `before`: their job was lost (a worker died
/// between the due check and the job's start) or is failing; the due check queues them again.
pub async fn stalled(tx: &mut TenantTx, before: DateTime<Utc>, limit: i64) -> Result<Vec<Uuid>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM report_deliveries
         WHERE status = 'preparing' AND created_at < $1
         ORDER BY created_at LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(tx.conn())
    .await?)
}

/// Marks a prepared delivery `queued`; false when it was not `preparing` any more (another
/// worker prepared it first, or it failed for good): then nothing may be written.
pub async fn mark_queued(tx: &mut TenantTx, id: Uuid, attachment_bytes: i32) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE report_deliveries
         SET status = 'queued', attempts = attempts + 1, prepared_at = now(),
             attachment_bytes = $2, last_error = NULL
         WHERE id = $1 AND status = 'preparing'",
    )
    .bind(id)
    .bind(attachment_bytes)
    .execute(tx.conn())
    .await?;
    refresh_due(tx).await?;
    Ok(done.rows_affected() == 1)
}

/// Links one mail of the outbox to its delivery.
pub async fn add_mail(
    tx: &mut TenantTx,
    delivery_id: Uuid,
    recipient: &str,
    mail_id: Uuid,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO report_delivery_mails (delivery_id, recipient, mail_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(delivery_id)
    .bind(recipient)
    .bind(mail_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Records a failed preparation: `failed` for good when `give_up`, otherwise still
/// `preparing` (tried again).
pub async fn record_failure(tx: &mut TenantTx, id: Uuid, error: &str, give_up: bool) -> Result<()> {
    let error: String = error.chars().take(2000).collect();
    sqlx::query(
        "UPDATE report_deliveries
         SET attempts = attempts + 1, last_error = $2,
             status = CASE WHEN $3 THEN 'failed' ELSE status END
         WHERE id = $1 AND status = 'preparing'",
    )
    .bind(id)
    .bind(&error)
    .bind(give_up)
    .execute(tx.conn())
    .await?;
    refresh_due(tx).await
}

/// Someone who receives a schedule's reports.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Recipient {
    pub email: String,
    pub full_name: Option<String>,
    /// A member of the company (no unsubscribe link: their administrators manage it).
    pub member: bool,
}

/// Members of the list who may still read what the report shows: active, their role reads
/// the indicators, and their sites cover the report's (a member who lost any of it is skipped).
#[derive(sqlx::FromRow)]
struct MemberRecipient {
    email: String,
    full_name: String,
    role_key: Option<String>,
    permissions: Vec<String>,
    site_scope: Option<Vec<Uuid>>,
}

/// Who receives the report of `schedule` now, each address once: its members who may read it
/// (see [`may_receive`]), and its outside addresses that did not unsubscribe.
pub async fn recipients(tx: &mut TenantTx, schedule: &Schedule) -> Result<Vec<Recipient>> {
    let members: Vec<MemberRecipient> = sqlx::query_as(
        "SELECT u.email, u.full_name, r.key AS role_key, r.permissions,
                CASE WHEN m.site_scoped THEN
                    ARRAY(SELECT site_id FROM member_sites ms WHERE ms.user_id = m.user_id)
                END AS site_scope
         FROM members m
         JOIN roles r ON r.id = m.role_id
         JOIN public.users u ON u.id = m.user_id
         WHERE m.user_id = ANY($1) AND m.active AND u.active
         ORDER BY u.email",
    )
    .bind(&schedule.member_ids)
    .fetch_all(tx.conn())
    .await?;
    let report_sites = report_sites(schedule);
    let mut out: Vec<Recipient> = members
        .into_iter()
        .filter(|m| {
            may_receive(
                m.role_key.as_deref(),
                &m.permissions,
                m.site_scope.as_deref(),
                report_sites.as_deref(),
            )
        })
        .map(|m| Recipient {
            email: m.email,
            full_name: Some(m.full_name),
            member: true,
        })
        .collect();
    let unsubscribed: Vec<String> =
        sqlx::query_scalar("SELECT email FROM report_unsubscribes WHERE schedule_id = $1")
            .bind(schedule.id)
            .fetch_all(tx.conn())
            .await?;
    for email in &schedule.emails {
        let taken = out.iter().any(|r| r.email.eq_ignore_ascii_case(email));
        let gone = unsubscribed.iter().any(|u| u.eq_ignore_ascii_case(email));
        if !taken && !gone {
            out.push(Recipient {
                email: email.clone(),
                full_name: None,
                member: false,
            });
        }
    }
    Ok(out)
}

/// The sites a schedule's report covers at most: its site filter, within its author's scope;
/// `None`: every site.
pub fn report_sites(schedule: &Schedule) -> Option<Vec<Uuid>> {
    let site = schedule
        .filters
        .get("site_id")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<Uuid>().ok());
    match (&schedule.site_scope, site) {
        (None, None) => None,
        (None, Some(site)) => Some(vec![site]),
        (Some(scope), None) => Some(scope.clone()),
        (Some(scope), Some(site)) => Some(scope.iter().copied().filter(|s| *s == site).collect()),
    }
}

/// Whether a member with this role and scope may read a report over `report_sites`.
pub fn may_receive(
    role_key: Option<&str>,
    stored_permissions: &[String],
    member_scope: Option<&[Uuid]>,
    report_sites: Option<&[Uuid]>,
) -> bool {
    let permissions = match role_key.and_then(gmao_domain::BuiltinRole::from_key) {
        Some(builtin) => builtin.permissions(),
        None => gmao_domain::PermissionSet::from_strings(stored_permissions),
    };
    if !permissions.contains(gmao_domain::Permission::KpisRead) {
        return false;
    }
    match (member_scope, report_sites) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(scope), Some(sites)) => sites.iter().all(|s| scope.contains(s)),
    }
}

/// Members among `ids` who could not receive a report over `report_sites` (inactive, not a
/// member, no `kpis:read`, or sites outside their scope).
pub async fn members_who_may_not_receive(
    tx: &mut TenantTx,
    ids: &[Uuid],
    report_sites: Option<&[Uuid]>,
) -> Result<Vec<Uuid>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        user_id: Uuid,
        role_key: Option<String>,
        permissions: Vec<String>,
        site_scope: Option<Vec<Uuid>>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT m.user_id, r.key AS role_key, r.permissions,
                CASE WHEN m.site_scoped THEN
                    ARRAY(SELECT site_id FROM member_sites ms WHERE ms.user_id = m.user_id)
                END AS site_scope
         FROM members m
         JOIN roles r ON r.id = m.role_id
         JOIN public.users u ON u.id = m.user_id
         WHERE m.user_id = ANY($1) AND m.active AND u.active",
    )
    .bind(ids)
    .fetch_all(tx.conn())
    .await?;
    Ok(ids
        .iter()
        .copied()
        .filter(|id| {
            !rows.iter().any(|r| {
                r.user_id == *id
                    && may_receive(
                        r.role_key.as_deref(),
                        &r.permissions,
                        r.site_scope.as_deref(),
                        report_sites,
                    )
            })
        })
        .collect())
}

/// A new unsubscribe link's token for `email` on `schedule_id` (the company's id in front).
pub async fn issue_unsubscribe_token(
    tx: &mut TenantTx,
    schedule_id: Uuid,
    email: &str,
) -> Result<String> {
    let (token, hash) = secret_token::generate_with_prefix(tx.tenant_id().0.as_bytes());
    sqlx::query(
        "INSERT INTO report_unsubscribe_tokens (token_hash, schedule_id, email) VALUES ($1, $2, $3)",
    )
    .bind(hash)
    .bind(schedule_id)
    .bind(email)
    .execute(tx.conn())
    .await?;
    Ok(token)
}

/// The company an unsubscribe token was issued by, if it reads as one.
pub fn unsubscribe_token_tenant(token: &str) -> Option<Uuid> {
    let prefix = secret_token::prefix(token, 16)?;
    Uuid::from_slice(&prefix).ok()
}

/// What an unsubscribe link stops: the schedule's name and the address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribed {
    pub schedule_name: String,
    pub email: String,
}

/// Stops sending the schedule to the token's address (again: a no-op). `NotFound` for an
/// unknown token.
pub async fn unsubscribe(tx: &mut TenantTx, token: &str) -> Result<Unsubscribed> {
    let found: Option<(Uuid, String, String)> = sqlx::query_as(
        "SELECT t.schedule_id, t.email, s.name FROM report_unsubscribe_tokens t
         JOIN report_schedules s ON s.id = t.schedule_id
         WHERE t.token_hash = $1",
    )
    .bind(secret_token::hash(token))
    .fetch_optional(tx.conn())
    .await?;
    let Some((schedule_id, email, schedule_name)) = found else {
        return Err(Error::NotFound);
    };
    let added = sqlx::query(
        "INSERT INTO report_unsubscribes (schedule_id, email) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(schedule_id)
    .bind(&email)
    .execute(tx.conn())
    .await?;
    if added.rows_affected() == 1 {
        audit::record_change(
            tx,
            "unsubscribe",
            "report_schedule",
            schedule_id,
            None,
            Some(&json!({ "email": email })),
        )
        .await?;
    }
    Ok(Unsubscribed {
        schedule_name,
        email,
    })
}

/// What an unsubscribe token would stop, without stopping it (the confirmation page).
pub async fn unsubscribe_target(tx: &mut TenantTx, token: &str) -> Result<Option<Unsubscribed>> {
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT s.name, t.email FROM report_unsubscribe_tokens t
         JOIN report_schedules s ON s.id = t.schedule_id
         WHERE t.token_hash = $1",
    )
    .bind(secret_token::hash(token))
    .fetch_optional(tx.conn())
    .await?;
    Ok(found.map(|(schedule_name, email)| Unsubscribed {
        schedule_name,
        email,
    }))
}

/// Whether a "send now" of the schedule is still being prepared.
pub async fn manual_preparing(tx: &mut TenantTx, schedule_id: Uuid) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM report_deliveries
                        WHERE schedule_id = $1 AND trigger = 'manual' AND status = 'preparing')",
    )
    .bind(schedule_id)
    .fetch_one(tx.conn())
    .await?)
}

/// Outside addresses that unsubscribed from a schedule.
pub async fn unsubscribed(tx: &mut TenantTx, schedule_id: Uuid) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT email FROM report_unsubscribes WHERE schedule_id = $1 ORDER BY email",
    )
    .bind(schedule_id)
    .fetch_all(tx.conn())
    .await?)
}

/// How long a delivery may stay `preparing` before the due check queues it again.
pub const STALLED_AFTER: chrono::Duration = chrono::Duration::minutes(10);

/// Records in the control plane when this company next needs a due check: its earliest active
/// schedule, or sooner while a delivery is being prepared (to queue it again if it stalls).
/// Call it in every transaction that changes schedules or deliveries.
pub async fn refresh_due(tx: &mut TenantTx) -> Result<()> {
    let tenant = tx.tenant_id().0;
    sqlx::query(
        "WITH next AS (
            SELECT least(
                (SELECT min(next_run_at) FROM report_schedules WHERE active),
                (SELECT min(created_at) + $2 FROM report_deliveries WHERE status = 'preparing')
            ) AS at
         ), gone AS (
            DELETE FROM public.report_due
            WHERE tenant_id = $1 AND (SELECT at FROM next) IS NULL
         )
         INSERT INTO public.report_due (tenant_id, next_check_at)
         SELECT $1, at FROM next WHERE at IS NOT NULL
         ON CONFLICT (tenant_id) DO UPDATE SET next_check_at = excluded.next_check_at",
    )
    .bind(tenant)
    .bind(STALLED_AFTER)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Companies with a due check at or before `now` (active and migrated ones: the caller
/// filters with its own rules), earliest first.
pub async fn tenants_due(
    conn: &mut sqlx::PgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Uuid>> {
    Ok(sqlx::query_scalar(
        "SELECT d.tenant_id FROM public.report_due d
         JOIN public.tenants t ON t.id = d.tenant_id AND t.status = 'active'
         WHERE d.next_check_at <= $1
         ORDER BY d.next_check_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The company's name, as its reports are headed.
pub async fn company_name(tx: &mut TenantTx) -> Result<String> {
    let tenant = tx.tenant_id().0;
    Ok(
        sqlx::query_scalar("SELECT name FROM public.tenants WHERE id = $1")
            .bind(tenant)
            .fetch_one(tx.conn())
            .await?,
    )
}

/// The names of what a report is filtered on (`site_id` → the site's name…), by filter key;
/// ids that no longer exist are left out.
pub async fn filter_names(tx: &mut TenantTx, filters: &Value) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let lookups = [
        ("site_id", "SELECT name FROM sites WHERE id = $1"),
        ("plant_id", "SELECT name FROM plants WHERE id = $1"),
        (
            "production_line_id",
            "SELECT name FROM production_lines WHERE id = $1",
        ),
        (
            "equipment_id",
            "SELECT code || ' — ' || name FROM equipment WHERE id = $1",
        ),
    ];
    for (key, sql) in lookups {
        let Some(id) = filters
            .get(key)
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<Uuid>().ok())
        else {
            continue;
        };
        let name: Option<String> = sqlx::query_scalar(sql)
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
        if let Some(name) = name {
            out.push((key.to_owned(), name));
        }
    }
    for key in ["category", "criticality"] {
        if let Some(value) = filters.get(key).and_then(Value::as_str) {
            out.push((key.to_owned(), value.to_owned()));
        }
    }
    Ok(out)
}

/// The filter keys (`plant_id`, `production_line_id`, `equipment_id`) naming something outside
/// `scope`'s sites (nothing when `scope` is `None`): a report must not even name them.
pub async fn filters_outside(
    tx: &mut TenantTx,
    filters: &Value,
    scope: Option<&[Uuid]>,
) -> Result<Vec<String>> {
    let Some(scope) = scope else {
        return Ok(Vec::new());
    };
    let lookups = [
        ("plant_id", "SELECT site_id FROM plants WHERE id = $1"),
        (
            "production_line_id",
            "SELECT p.site_id FROM production_lines l JOIN plants p ON p.id = l.plant_id WHERE l.id = $1",
        ),
        (
            "equipment_id",
            "SELECT site_id FROM equipment WHERE id = $1",
        ),
    ];
    let mut outside = Vec::new();
    for (key, sql) in lookups {
        let Some(id) = filters
            .get(key)
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<Uuid>().ok())
        else {
            continue;
        };
        let site: Option<Uuid> = sqlx::query_scalar(sql)
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
        if site.is_some_and(|site| !scope.contains(&site)) {
            outside.push(key.to_owned());
        }
    }
    Ok(outside)
}

/// The time zone of the company's first site, for a schedule that names none.
pub async fn default_time_zone(tx: &mut TenantTx) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT time_zone FROM sites ORDER BY created_at, id LIMIT 1")
            .fetch_optional(tx.conn())
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_receive_only_what_they_may_read() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let none: [String; 0] = [];
        // Built-in viewers read the indicators; operators do not.
        assert!(may_receive(Some("viewer"), &none, None, None));
        assert!(!may_receive(Some("operator"), &none, None, None));
        // A custom role needs kpis:read.
        assert!(may_receive(None, &["kpis:read".to_owned()], None, None));
        assert!(!may_receive(
            None,
            &["work_orders:read".to_owned()],
            None,
            None
        ));
        // A site-scoped member: only reports within their sites.
        assert!(may_receive(
            Some("supervisor"),
            &none,
            Some(&[a, b]),
            Some(&[a])
        ));
        assert!(!may_receive(
            Some("supervisor"),
            &none,
            Some(&[a]),
            Some(&[a, b])
        ));
        assert!(!may_receive(Some("supervisor"), &none, Some(&[a]), None));
    }
}
