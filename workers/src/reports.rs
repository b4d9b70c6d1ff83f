//! Scheduled KPI reports.
//!
//! Every minute the leader reads `public.report_due` (one index for all companies) and queues a
//! due check for each company whose time has come ([`ReportsCheck`]). The check records one
//! delivery per (schedule, period) — unique in the database, so a report goes out exactly
//! once whatever runs twice — and moves each schedule to its next run; each delivery is then
//! prepared by a [`ReportDelivery`] job: the figures of the period and of the one before, the
//! file, one mail per recipient written to the outbox in the transaction that marks the
//! delivery `queued` (a second worker finds it queued and writes nothing). The outbox sends
//! each mail once and retries while the mail server is down.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use apalis::prelude::{BoxDynError, Data};
use chrono::{DateTime, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use futures::FutureExt;
use gmao_db::outbox::{self, Attachment, NewMail, Queued};
use gmao_db::report_schedules::{self, Schedule};
use gmao_db::{Actor, TenantTx};
use gmao_domain::Locale;
use gmao_domain::TenantId;
use gmao_domain::report_schedule::{Frequency, Period, Timing, long_date};
use gmao_kpi::document::{self, Document, Heading, Trend};
use gmao_kpi::export::{self, Format};
use gmao_mail::{FigureLine, Tone, letters, render_with_figures};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::periodic::Trigger;
use crate::queue::{self, Enqueued, IdempotencyKey, Job};
use crate::supervise::WorkerFactory;

/// Check one company's schedules as of `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportsCheck {
    pub tenant_id: Uuid,
    pub as_of: DateTime<Utc>,
}

impl Job for ReportsCheck {
    const QUEUE: &'static str = "reports_check";
    const MAX_ATTEMPTS: usize = 3;
    const TIMEOUT: Duration = Duration::from_secs(5 * 60);
}

/// Prepare one delivery and write its mails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDelivery {
    pub tenant_id: Uuid,
    pub delivery_id: Uuid,
}

impl Job for ReportDelivery {
    const QUEUE: &'static str = "report_delivery";
    const MAX_ATTEMPTS: usize = 5;
    const TIMEOUT: Duration = Duration::from_secs(10 * 60);
}

/// Preparations of one delivery before it is failed for good.
pub const MAX_PREPARATIONS: i32 = 5;

/// What reports need to know of the installation.
#[derive(Debug, Clone)]
pub struct ReportSettings {
    /// The web app's address, for the dashboard and unsubscribe links.
    pub public_url: String,
}

/// When a schedule sends, from what it stores.
pub fn timing(schedule: &Schedule) -> anyhow::Result<Timing> {
    let zone: Tz = schedule
        .time_zone
        .parse()
        .map_err(|_| anyhow::anyhow!("unknown time zone {:?}", schedule.time_zone))?;
    let frequency = match (
        schedule.frequency.as_str(),
        schedule.weekday,
        schedule.month_day,
    ) {
        ("daily", _, _) => Frequency::Daily,
        ("weekly", Some(day), _) => Frequency::Weekly(iso_weekday(day)?),
        ("monthly", _, Some(day)) => Frequency::Monthly(u32::try_from(day)?),
        (other, _, _) => anyhow::bail!("frequency {other:?} without its day"),
    };
    Ok(Timing {
        frequency,
        time: schedule.send_time,
        zone,
    })
}

/// Monday 1 … Sunday 7.
pub fn iso_weekday(day: i16) -> anyhow::Result<Weekday> {
    const DAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    usize::try_from(day - 1)
        .ok()
        .and_then(|i| DAYS.get(i).copied())
        .ok_or_else(|| anyhow::anyhow!("weekday {day} is not 1 to 7"))
}

/// The last complete period as of `now` (what "send now" and the preview show).
pub fn latest_period(schedule: &Schedule, now: DateTime<Utc>) -> anyhow::Result<Period> {
    let timing = timing(schedule)?;
    Ok(timing.period_of(timing.latest_at_or_before(now)))
}

fn locale(schedule: &Schedule) -> Locale {
    Locale::parse(&schedule.language).unwrap_or_default()
}

fn format(schedule: &Schedule) -> Format {
    Format::parse(&schedule.format).unwrap_or(Format::Pdf)
}

fn uuid_filter(schedule: &Schedule, key: &str) -> Option<Uuid> {
    schedule
        .filters
        .get(key)
        .and_then(serde_json::Value::as_str)
        .and_then(|s| s.parse().ok())
}

fn text_filter(schedule: &Schedule, key: &str) -> Option<String> {
    schedule
        .filters
        .get(key)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
}

/// The equipment a schedule reports on: its filters, within its author's sites.
pub fn scope(schedule: &Schedule) -> gmao_kpi::Scope {
    gmao_kpi::Scope {
        site_ids: report_schedules::report_sites(schedule),
        plant_id: uuid_filter(schedule, "plant_id"),
        production_line_id: uuid_filter(schedule, "production_line_id"),
        equipment_id: uuid_filter(schedule, "equipment_id"),
        category: text_filter(schedule, "category"),
        criticality: text_filter(schedule, "criticality"),
    }
}

/// A report ready to mail.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub document: Document,
    pub file: Vec<u8>,
    pub file_name: String,
    pub format: Format,
    pub period_label: String,
    pub dashboard_link: String,
}

/// `Indicateurs mensuels` → `indicateurs-mensuels`.
pub fn file_stem(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(60).collect();
    if out.is_empty() {
        "report".to_owned()
    } else {
        out
    }
}

fn dashboard_link(settings: &ReportSettings, schedule: &Schedule, period: &Period) -> String {
    let last_day = period.end_day.pred_opt().unwrap_or(period.end_day);
    let mut link = format!(
        "{}/kpis?period=custom&from={}&to={}&group=day",
        settings.public_url.trim_end_matches('/'),
        period.first_day,
        last_day
    );
    if let Some(site) = uuid_filter(schedule, "site_id") {
        link.push_str(&format!("&site={site}"));
    }
    if let Some(criticality) = text_filter(schedule, "criticality")
        .filter(|c| ["low", "medium", "high", "critical"].contains(&c.as_str()))
    {
        link.push_str(&format!("&criticality={criticality}"));
    }
    link
}

/// "Établi le 4 décembre 2026 à 07:00", in `zone`.
pub fn generated_at(locale: Locale, at: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    let day: NaiveDate = local.date_naive();
    let time = local.format("%H:%M");
    match locale {
        Locale::Fr => format!("Établi le {} à {time}", long_date(locale, day)),
        Locale::En => format!("Produced on {} at {time}", long_date(locale, day)),
    }
}

/// Computes the report of `schedule` over `period` (and the period before, for the changes)
/// and writes its file. Reads in one short transaction; computes outside it, off the runtime.
pub async fn prepare(
    pool: &PgPool,
    settings: &ReportSettings,
    tenant: TenantId,
    schedule: &Schedule,
    period: &Period,
) -> anyhow::Result<Prepared> {
    let timing = timing(schedule)?;
    let before = timing.previous(period);
    let scope = scope(schedule);
    let locale = locale(schedule);
    let mut tx = TenantTx::begin(pool, tenant, Actor::system()).await?;
    let company = report_schedules::company_name(&mut tx).await?;
    let filters = report_schedules::filter_names(&mut tx, &schedule.filters).await?;
    let history_now = gmao_kpi::load(&mut tx, &scope, period.start, period.end).await?;
    let history_before = gmao_kpi::load(&mut tx, &scope, before.start, before.end).await?;
    tx.commit().await?;

    let heading = Heading {
        locale,
        title: schedule.name.clone(),
        company,
        period: period.label(locale),
        from: period.start,
        to: period.end,
        filters: filters
            .iter()
            .map(|(key, value)| document::filter_label(locale, key, value))
            .collect(),
        generated_at: generated_at(locale, Utc::now(), timing.zone),
    };
    let grouping = match timing.frequency {
        Frequency::Daily => None,
        Frequency::Weekly(_) | Frequency::Monthly(_) => Some(gmao_kpi::Grouping::Day),
    };
    let (query_now, query_before) = (
        gmao_kpi::Query {
            from: period.start,
            to: period.end,
            as_of: Utc::now(),
            grouping,
            // Side by side by site: what a plant director compares.
            breakdown: Some(gmao_kpi::breakdown::Dimension::Site),
        },
        gmao_kpi::Query {
            from: before.start,
            to: before.end,
            as_of: Utc::now(),
            grouping: None,
            breakdown: None,
        },
    );
    let indicators = schedule.indicators.clone();
    let format = format(schedule);
    // Polars works on its own threads, never on the async runtime's.
    let (document, file) = gmao_kpi::thread::run(move || -> anyhow::Result<_> {
        let now = gmao_kpi::compute(&history_now, &query_now)?;
        let before = gmao_kpi::compute(&history_before, &query_before)?;
        let document = document::build(heading, &now, Some(&before), Some(&indicators));
        let file = export::render(&document, format)?;
        Ok((document, file))
    })
    .await
    .context("computing the report")??;
    Ok(Prepared {
        file_name: format!(
            "{}-{}.{}",
            file_stem(&schedule.name),
            period.first_day,
            format.as_str()
        ),
        period_label: period.label(locale),
        dashboard_link: dashboard_link(settings, schedule, period),
        format,
        file,
        document,
    })
}

/// The key figures as the mail's body shows them.
pub fn figure_lines(document: &Document) -> Vec<FigureLine> {
    let l = document.locale;
    document
        .key_figures
        .iter()
        .map(|f| FigureLine {
            label: f.label.clone(),
            value: document::format_value(l, f.value, f.unit),
            change: f.change().map(|c| document::format_change(l, c, f.unit)),
            tone: match f.trend() {
                Trend::Better => Tone::Good,
                Trend::Worse => Tone::Bad,
                Trend::Flat | Trend::Unknown => Tone::Neutral,
            },
            detail: f.detail.clone(),
        })
        .collect()
}

/// The mail of a prepared report for one recipient.
pub fn letter(
    prepared: &Prepared,
    schedule: &Schedule,
    name: Option<&str>,
    unsubscribe_link: Option<&str>,
) -> gmao_mail::Rendered {
    let letter = letters::kpi_report(&letters::KpiReport {
        locale: prepared.document.locale,
        name,
        company: &prepared.document.company,
        report: &schedule.name,
        period: &prepared.period_label,
        dashboard_link: &prepared.dashboard_link,
        format: &prepared.format.as_str().to_uppercase(),
        unsubscribe_link,
    });
    render_with_figures(&letter, &figure_lines(&prepared.document))
}

/// What the due check of one company did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    /// Deliveries recorded by this check.
    pub due: Vec<Uuid>,
    /// Deliveries still being prepared long after they were recorded, queued again.
    pub stalled: Vec<Uuid>,
}

/// Records the deliveries due as of `as_of` in one company and moves its schedules on.
pub async fn check_tenant(
    pool: &PgPool,
    tenant: TenantId,
    as_of: DateTime<Utc>,
) -> anyhow::Result<Checked> {
    let mut tx = TenantTx::begin(pool, tenant, Actor::system()).await?;
    let mut checked = Checked::default();
    for schedule in report_schedules::due(&mut tx, as_of, 500).await? {
        let timing = match timing(&schedule) {
            Ok(timing) => timing,
            Err(error) => {
                tracing::error!(%tenant, schedule = %schedule.id, error = %format!("{error:#}"), "report schedule cannot be read; skipped");
                continue;
            }
        };
        // After an outage only the latest period goes out: a pile of stale reports helps nobody.
        let period = timing.period_of(timing.latest_at_or_before(as_of));
        if let Some(id) = report_schedules::add_delivery(
            &mut tx,
            schedule.id,
            period.start,
            period.end,
            report_schedules::Trigger::Schedule,
        )
        .await?
        {
            checked.due.push(id);
        }
        report_schedules::set_next_run(&mut tx, schedule.id, timing.next_after(as_of)).await?;
    }
    let stalled_before = Utc::now() - report_schedules::STALLED_AFTER;
    checked.stalled = report_schedules::stalled(&mut tx, stalled_before, 100)
        .await?
        .into_iter()
        .filter(|id| !checked.due.contains(id))
        .collect();
    report_schedules::refresh_due(&mut tx).await?;
    tx.commit().await?;
    Ok(checked)
}

/// Queues the preparation of a delivery; `attempt` tells a re-queue from the first.
pub async fn queue_delivery(
    pool: &PgPool,
    tenant: TenantId,
    delivery_id: Uuid,
    attempt: Option<DateTime<Utc>>,
) -> anyhow::Result<Enqueued> {
    let mut storage = queue::storage::<ReportDelivery>(pool);
    let event = match attempt {
        None => format!("delivery:{delivery_id}"),
        Some(at) => format!("delivery:{delivery_id}:{}", at.timestamp()),
    };
    let key = IdempotencyKey::for_tenant_event(ReportDelivery::QUEUE, tenant, &event);
    queue::enqueue(
        &mut storage,
        ReportDelivery {
            tenant_id: tenant.0,
            delivery_id,
        },
        &key,
    )
    .await
}

/// What preparing one delivery did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// Its mails are in the outbox (this many).
    Queued(Vec<Queued>),
    /// Done already (another worker, an earlier try), failed for good, or deleted.
    Nothing,
}

/// Prepares delivery `delivery_id` and writes its mails, unless that was done. The mails are
/// handed to the delivery queue after the commit (best effort: the outbox sweep sends them
/// anyway).
pub async fn deliver(
    pool: &PgPool,
    settings: &ReportSettings,
    tenant: TenantId,
    delivery_id: Uuid,
) -> anyhow::Result<Delivered> {
    let mut tx = TenantTx::begin(pool, tenant, Actor::system()).await?;
    let delivery = match report_schedules::delivery(&mut tx, delivery_id).await {
        Ok(delivery) => delivery,
        Err(gmao_db::Error::NotFound) => return Ok(Delivered::Nothing),
        Err(error) => return Err(error.into()),
    };
    if delivery.status != "preparing" {
        return Ok(Delivered::Nothing);
    }
    let schedule = report_schedules::get(&mut tx, None, delivery.schedule_id).await?;
    let recipients = report_schedules::recipients(&mut tx, &schedule).await?;
    tx.commit().await?;

    let prepared = match period_of_delivery(&schedule, &delivery) {
        Ok(period) => prepare(pool, settings, tenant, &schedule, &period).await,
        Err(error) => Err(error),
    };
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            let message = format!("{error:#}");
            let give_up = delivery.attempts + 1 >= MAX_PREPARATIONS;
            let mut tx = TenantTx::begin(pool, tenant, Actor::system()).await?;
            report_schedules::record_failure(&mut tx, delivery_id, &message, give_up).await?;
            tx.commit().await?;
            return Err(error);
        }
    };

    let mut tx = TenantTx::begin(pool, tenant, Actor::system()).await?;
    let bytes = i32::try_from(prepared.file.len()).unwrap_or(i32::MAX);
    if !report_schedules::mark_queued(&mut tx, delivery_id, bytes).await? {
        tx.rollback().await?;
        return Ok(Delivered::Nothing);
    }
    let mut written = Vec::new();
    for recipient in &recipients {
        let unsubscribe = if recipient.member {
            None
        } else {
            let token =
                report_schedules::issue_unsubscribe_token(&mut tx, schedule.id, &recipient.email)
                    .await?;
            Some(format!(
                "{}/api/v1/report-unsubscribe?token={token}",
                settings.public_url.trim_end_matches('/')
            ))
        };
        let rendered = letter(
            &prepared,
            &schedule,
            recipient.full_name.as_deref(),
            unsubscribe.as_deref(),
        );
        let key = format!(
            "report:{}:{}",
            delivery_id.simple(),
            recipient.email.to_lowercase()
        );
        let queued = outbox::enqueue(
            tx.conn(),
            NewMail {
                idempotency_key: &key,
                tenant_id: Some(tenant.0),
                kind: "kpi_report",
                recipient: &recipient.email,
                locale: prepared.document.locale.as_str(),
                subject: &rendered.subject,
                body_text: &rendered.text,
                body_html: &rendered.html,
                action_url: Some(&prepared.dashboard_link),
                attachment: Some(Attachment {
                    name: &prepared.file_name,
                    content_type: prepared.format.content_type(),
                    bytes: &prepared.file,
                }),
                unsubscribe_url: unsubscribe.as_deref(),
            },
        )
        .await?;
        if let Some(queued) = queued {
            report_schedules::add_mail(&mut tx, delivery_id, &recipient.email, queued.id).await?;
            written.push(queued);
        }
    }
    tx.commit().await?;
    for mail in &written {
        if let Err(error) = crate::mail::dispatch(pool, *mail, Some(tenant.0)).await {
            tracing::warn!(mail = %mail.id, error = %format!("{error:#}"), "report mail not queued now; the sweep will send it");
        }
    }
    Ok(Delivered::Queued(written))
}

fn period_of_delivery(
    schedule: &Schedule,
    delivery: &report_schedules::Delivery,
) -> anyhow::Result<Period> {
    let timing = timing(schedule)?;
    let local = |at: DateTime<Utc>| at.with_timezone(&timing.zone).date_naive();
    Ok(Period {
        start: delivery.period_start,
        end: delivery.period_end,
        first_day: local(delivery.period_start),
        end_day: local(delivery.period_end),
        frequency: timing.frequency,
    })
}

/// What [`send_due`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendDueReport {
    pub companies: usize,
    pub deliveries: usize,
    /// The mails written to the outbox.
    pub mails: Vec<Queued>,
    /// Deliveries that could not be prepared (tried again by the next check).
    pub failed: usize,
}

/// Checks the companies due as of `as_of` (or only `tenant`) and prepares their deliveries in
/// this task: `gmao reports send-due`. The mails go through the outbox like every other.
pub async fn send_due(
    pool: &PgPool,
    settings: &ReportSettings,
    tenant: Option<TenantId>,
    as_of: DateTime<Utc>,
) -> anyhow::Result<SendDueReport> {
    let tenants = match tenant {
        Some(tenant) => vec![tenant.0],
        None => {
            let mut conn = pool.acquire().await?;
            report_schedules::tenants_due(&mut conn, as_of, 10_000).await?
        }
    };
    let mut report = SendDueReport::default();
    for tenant in tenants {
        let tenant = TenantId(tenant);
        report.companies += 1;
        let checked = check_tenant(pool, tenant, as_of).await?;
        for delivery in checked.due.iter().chain(&checked.stalled) {
            report.deliveries += 1;
            match deliver(pool, settings, tenant, *delivery).await {
                Ok(Delivered::Queued(mails)) => report.mails.extend(mails),
                Ok(Delivered::Nothing) => {}
                Err(error) => {
                    report.failed += 1;
                    tracing::error!(%tenant, %delivery, error = %format!("{error:#}"), "report not prepared");
                }
            }
        }
    }
    Ok(report)
}

/// The leader's tick: a due check for each company whose time has come.
pub(crate) fn trigger(cron: &str) -> Trigger {
    Trigger {
        name: ReportsCheck::QUEUE,
        cron: cron.to_owned(),
        fire: Arc::new(|pool, tick| {
            async move {
                let tenants = {
                    let mut conn = pool.acquire().await?;
                    report_schedules::tenants_due(&mut conn, tick, 10_000).await?
                };
                let mut storage = queue::storage::<ReportsCheck>(&pool);
                for tenant in tenants {
                    let key = IdempotencyKey::for_tenant_tick(
                        ReportsCheck::QUEUE,
                        TenantId(tenant),
                        tick,
                    );
                    let job = ReportsCheck {
                        tenant_id: tenant,
                        as_of: tick,
                    };
                    queue::enqueue(&mut storage, job, &key).await?;
                }
                Ok(())
            }
            .boxed()
        }),
    }
}

async fn handle_check(job: ReportsCheck, pool: Data<PgPool>) -> Result<(), BoxDynError> {
    let tenant = TenantId(job.tenant_id);
    let checked = check_tenant(&pool, tenant, job.as_of)
        .await
        .map_err(|e| format!("{e:#}"))?;
    for id in &checked.due {
        queue_delivery(&pool, tenant, *id, None)
            .await
            .map_err(|e| format!("{e:#}"))?;
    }
    for id in &checked.stalled {
        tracing::warn!(%tenant, delivery = %id, "report delivery stalled; queued again");
        queue_delivery(&pool, tenant, *id, Some(job.as_of))
            .await
            .map_err(|e| format!("{e:#}"))?;
    }
    if !checked.due.is_empty() {
        tracing::info!(%tenant, due = checked.due.len(), "scheduled reports due");
    }
    Ok(())
}

#[derive(Clone)]
pub(crate) struct DeliveryShared {
    pub pool: PgPool,
    pub settings: Arc<ReportSettings>,
}

async fn handle_delivery(
    job: ReportDelivery,
    shared: Data<DeliveryShared>,
) -> Result<(), BoxDynError> {
    let tenant = TenantId(job.tenant_id);
    match deliver(&shared.pool, &shared.settings, tenant, job.delivery_id).await {
        Ok(Delivered::Queued(mails)) => {
            tracing::info!(%tenant, delivery = %job.delivery_id, mails = mails.len(), "report prepared");
            Ok(())
        }
        Ok(Delivered::Nothing) => Ok(()),
        Err(error) => {
            let error = format!("{error:#}");
            tracing::warn!(%tenant, delivery = %job.delivery_id, %error, "report not prepared");
            Err(error.into())
        }
    }
}

pub(crate) fn check_worker(pool: PgPool, concurrency: usize) -> anyhow::Result<WorkerFactory> {
    crate::supervise::factory::<ReportsCheck, PgPool>(
        pool.clone(),
        concurrency,
        pool,
        |job, pool| handle_check(job, pool).boxed(),
    )
}

pub(crate) fn delivery_worker(
    pool: PgPool,
    settings: Arc<ReportSettings>,
    concurrency: usize,
) -> anyhow::Result<WorkerFactory> {
    let shared = DeliveryShared {
        pool: pool.clone(),
        settings,
    };
    crate::supervise::factory::<ReportDelivery, DeliveryShared>(
        pool,
        concurrency,
        shared,
        |job, shared| handle_delivery(job, shared).boxed(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain_ascii() {
        assert_eq!(file_stem("Indicateurs mensuels"), "indicateurs-mensuels");
        assert_eq!(file_stem("Arrêts — Atelier Nord !"), "arrets-atelier-nord");
        assert_eq!(file_stem("«»"), "report");
    }

    #[test]
    fn weekdays_are_iso() {
        assert_eq!(iso_weekday(1).ok(), Some(Weekday::Mon));
        assert_eq!(iso_weekday(7).ok(), Some(Weekday::Sun));
        assert!(iso_weekday(0).is_err());
        assert!(iso_weekday(8).is_err());
    }
}
