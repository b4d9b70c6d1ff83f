//! Generating preventive work orders, exactly once.
//!
//! One pass per tenant, in one transaction: a transaction-level advisory lock makes concurrent
//! passes of the same tenant (several workers, a retried job, a manual run) take turns; each
//! sees what the previous one committed and finds nothing left to do. The unique key (plan,
//! occurrence) on work orders is the last word: `ON CONFLICT DO NOTHING` turns any race into a
//! no-op. The orders, their assignees, checklists, timeline and audit entries are written with a
//! handful of set-based statements, whatever the number of plans.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Utc};
use gmao_domain::pm;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::pm_plans::{self, PmPlan};
use crate::{Result, TenantTx};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenerationReport {
    pub plans: usize,
    pub created: usize,
}

/// An order about to be created.
struct Pending<'a> {
    plan: &'a PmPlan,
    occurrence: pm::Occurrence,
}

/// Creates the work orders due by `now` (plus each plan's lead time) for the tenant of `tx`;
/// only for the plans counting `meter_id` when given. The caller commits.
pub async fn generate(
    tx: &mut TenantTx,
    now: DateTime<Utc>,
    meter_id: Option<Uuid>,
) -> Result<GenerationReport> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':pm', 11))")
        .execute(tx.conn())
        .await?;
    let plans = pm_plans::active_plans(tx, meter_id).await?;
    if plans.is_empty() {
        return Ok(GenerationReport::default());
    }
    let facts = pm_plans::facts(tx, &plans).await?;
    let mut pending = Vec::new();
    let mut next_due = HashMap::with_capacity(plans.len());
    for plan in &plans {
        let schedule = plan.schedule();
        let generated = facts.generated.get(&plan.id).map_or(&[][..], Vec::as_slice);
        let skipped = facts.skipped.get(&plan.id).map_or(&[][..], Vec::as_slice);
        let meter = plan.meter_id.and_then(|m| facts.meters.get(&m));
        let due = pm::to_generate(&schedule, generated, skipped, meter, now);
        // Next due once these are generated: the list of plans sorts by it. The history is
        // copied only when there is something to add (not on the usual, idle sweep).
        let next = if due.is_empty() {
            pm::next_due(&schedule, generated, skipped, meter, now)
        } else {
            let after: Vec<pm::Generated> = generated
                .iter()
                .cloned()
                .chain(due.iter().map(|o| pm::Generated {
                    occurrence: o.occurrence.clone(),
                    due_at: o.due_at,
                    active: true,
                    completed_at: None,
                    // What the facts would read back: the latest reading by then.
                    meter_at_due: meter.map(|m| m.value),
                    meter_at_completion: None,
                }))
                .collect();
            pm::next_due(&schedule, &after, skipped, meter, now)
        };
        next_due.insert(plan.id, next);
        pending.extend(
            due.into_iter()
                .map(|occurrence| Pending { plan, occurrence }),
        );
    }
    let created = insert(tx, &pending, now).await?;
    pm_plans::store_next_due(tx, &plans, &next_due).await?;
    Ok(GenerationReport {
        plans: plans.len(),
        created,
    })
}

async fn insert(tx: &mut TenantTx, pending: &[Pending<'_>], now: DateTime<Utc>) -> Result<usize> {
    if pending.is_empty() {
        return Ok(0);
    }
    let count = i32::try_from(pending.len()).unwrap_or(i32::MAX);
    let year = now.year();
    let last: i32 = sqlx::query_scalar(
        "INSERT INTO counters (name, year, value) VALUES ('work_order', $1, $2)
         ON CONFLICT (name, year) DO UPDATE SET value = counters.value + $2
         RETURNING value",
    )
    .bind(year)
    .bind(count)
    .fetch_one(tx.conn())
    .await?;
    let first = last - count + 1;

    // Assignees who are still active members (a plan may outlive a person's membership).
    let wanted: Vec<Uuid> = pending
        .iter()
        .flat_map(|p| p.plan.assignee_ids.iter().copied())
        .collect();
    let active: HashSet<Uuid> = if wanted.is_empty() {
        HashSet::new()
    } else {
        sqlx::query_scalar::<_, Uuid>(
            "SELECT user_id FROM members WHERE active AND user_id = ANY($1)",
        )
        .bind(&wanted)
        .fetch_all(tx.conn())
        .await?
        .into_iter()
        .collect()
    };

    let mut ids = Vec::with_capacity(pending.len());
    let mut numbers = Vec::with_capacity(pending.len());
    let mut statuses = Vec::with_capacity(pending.len());
    let mut priorities = Vec::with_capacity(pending.len());
    let mut equipment = Vec::with_capacity(pending.len());
    let mut sites = Vec::with_capacity(pending.len());
    let mut titles = Vec::with_capacity(pending.len());
    let mut descriptions: Vec<Option<String>> = Vec::with_capacity(pending.len());
    let mut due = Vec::with_capacity(pending.len());
    let mut estimated: Vec<Option<i32>> = Vec::with_capacity(pending.len());
    let mut plan_ids = Vec::with_capacity(pending.len());
    let mut occurrences = Vec::with_capacity(pending.len());
    for (index, p) in pending.iter().enumerate() {
        let assigned = p.plan.assignee_ids.iter().any(|a| active.contains(a));
        ids.push(Uuid::now_v7());
        numbers.push(crate::counters::format_number(
            "BT",
            year,
            first + i32::try_from(index).unwrap_or(0),
        ));
        statuses.push(if assigned { "assigned" } else { "open" });
        priorities.push(p.plan.priority.clone());
        equipment.push(p.plan.equipment_id);
        sites.push(p.plan.site_id);
        titles.push(p.plan.title.clone());
        descriptions.push(p.plan.description.clone());
        due.push(p.occurrence.due_at);
        estimated.push(p.plan.estimated_minutes);
        plan_ids.push(p.plan.id);
        occurrences.push(p.occurrence.occurrence.clone());
    }
    let inserted: HashSet<Uuid> = sqlx::query_scalar::<_, Uuid>(
        "INSERT INTO work_orders (id, number, type, priority, status, equipment_id, site_id, title, description,
            due_at, estimated_minutes, origin, pm_plan_id, pm_occurrence, created_at, updated_at)
         SELECT id, number, 'preventive', priority, status, equipment_id, site_id, title, description,
            due_at, estimated_minutes, 'plan', pm_plan_id, pm_occurrence, $13, $13
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[],
                     $8::text[], $9::timestamptz[], $10::int[], $11::uuid[], $12::text[])
              AS t(id, number, status, priority, equipment_id, site_id, title, description, due_at,
                   estimated_minutes, pm_plan_id, pm_occurrence)
         ON CONFLICT (pm_plan_id, pm_occurrence) WHERE pm_plan_id IS NOT NULL DO NOTHING
         RETURNING id",
    )
    .bind(&ids)
    .bind(&numbers)
    .bind(&statuses)
    .bind(&priorities)
    .bind(&equipment)
    .bind(&sites)
    .bind(&titles)
    .bind(&descriptions)
    .bind(&due)
    .bind(&estimated)
    .bind(&plan_ids)
    .bind(&occurrences)
    .bind(now)
    .fetch_all(tx.conn())
    .await?
    .into_iter()
    .collect();
    if inserted.len() < pending.len() {
        // Only a race the lock should prevent; the numbers skipped are the price of correctness.
        tracing::warn!(
            wanted = pending.len(),
            created = inserted.len(),
            "some occurrences already had their order"
        );
    }

    // Children of the orders actually created.
    let mut a_orders = Vec::new();
    let mut a_users = Vec::new();
    let mut c_orders = Vec::new();
    let mut c_ids = Vec::new();
    let mut c_positions = Vec::new();
    let mut c_labels = Vec::new();
    let mut c_kinds = Vec::new();
    let mut c_required = Vec::new();
    let mut c_units: Vec<Option<String>> = Vec::new();
    let mut c_min: Vec<Option<f64>> = Vec::new();
    let mut c_max: Vec<Option<f64>> = Vec::new();
    let mut e_ids = Vec::new();
    let mut e_orders = Vec::new();
    let mut e_kinds = Vec::new();
    let mut e_to = Vec::new();
    let mut e_details = Vec::new();
    let mut audit_ids = Vec::new();
    let mut audit_orders = Vec::new();
    let mut audit_changes = Vec::new();
    for (index, p) in pending.iter().enumerate() {
        let order = ids[index];
        if !inserted.contains(&order) {
            continue;
        }
        let assignees: Vec<Uuid> = p
            .plan
            .assignee_ids
            .iter()
            .copied()
            .filter(|a| active.contains(a))
            .collect();
        for user in &assignees {
            a_orders.push(order);
            a_users.push(*user);
        }
        if let Value::Array(items) = &p.plan.checklist {
            for (position, item) in items.iter().enumerate() {
                c_orders.push(order);
                c_ids.push(Uuid::now_v7());
                c_positions.push(i32::try_from(position).unwrap_or(i32::MAX));
                c_labels.push(item["label"].as_str().unwrap_or("").to_owned());
                c_kinds.push(item["kind"].as_str().unwrap_or("checkbox").to_owned());
                c_required.push(item["required"].as_bool().unwrap_or(false));
                c_units.push(item["unit"].as_str().map(str::to_owned));
                c_min.push(item["min_value"].as_f64());
                c_max.push(item["max_value"].as_f64());
            }
        }
        let details = json!({"origin": "plan", "pm_plan_id": p.plan.id, "occurrence": p.occurrence.occurrence,
            "cause": match p.occurrence.cause { pm::Cause::Calendar => "calendar", pm::Cause::Meter => "meter" },
            "threshold": p.occurrence.threshold});
        e_ids.push(Uuid::now_v7());
        e_orders.push(order);
        e_kinds.push("created");
        e_to.push("open");
        e_details.push(details.clone());
        if !assignees.is_empty() {
            e_ids.push(Uuid::now_v7());
            e_orders.push(order);
            e_kinds.push("assigned");
            e_to.push("assigned");
            e_details.push(json!({"assignee_ids": assignees}));
        }
        audit_ids.push(Uuid::now_v7());
        audit_orders.push(order);
        audit_changes.push(json!({
            "number": {"before": null, "after": numbers[index]},
            "pm_plan_id": {"before": null, "after": p.plan.id},
            "occurrence": {"before": null, "after": p.occurrence.occurrence},
            "due_at": {"before": null, "after": p.occurrence.due_at},
        }));
    }
    // Statements with nothing to write are left out: the sweep runs them in every tenant.
    if !a_orders.is_empty() {
        sqlx::query("INSERT INTO work_order_assignees (work_order_id, user_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])")
            .bind(&a_orders)
            .bind(&a_users)
            .execute(tx.conn())
            .await?;
    }
    if !c_ids.is_empty() {
        sqlx::query(
        "INSERT INTO checklist_items (id, work_order_id, position, label, kind, required, unit, min_value, max_value)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::bool[], $7::text[],
                              $8::float8[], $9::float8[])",
    )
    .bind(&c_ids)
    .bind(&c_orders)
    .bind(&c_positions)
    .bind(&c_labels)
    .bind(&c_kinds)
    .bind(&c_required)
    .bind(&c_units)
    .bind(&c_min)
    .bind(&c_max)
    .execute(tx.conn())
    .await?;
    }
    sqlx::query(
        "INSERT INTO work_order_events (id, work_order_id, at, kind, to_status, details)
         SELECT id, work_order_id, $6, kind, to_status, details
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[]) AS t(id, work_order_id, kind, to_status, details)",
    )
    .bind(&e_ids)
    .bind(&e_orders)
    .bind(&e_kinds)
    .bind(&e_to)
    .bind(&e_details)
    .bind(now)
    .execute(tx.conn())
    .await?;
    let request_id = tx.actor().request_id.clone();
    sqlx::query(
        "INSERT INTO audit_log (id, actor_id, action, entity, entity_id, changes, request_id)
         SELECT id, NULL, 'generate', 'work_order', entity_id, changes, $4
         FROM unnest($1::uuid[], $2::uuid[], $3::jsonb[]) AS t(id, entity_id, changes)",
    )
    .bind(&audit_ids)
    .bind(&audit_orders)
    .bind(&audit_changes)
    .bind(request_id)
    .execute(tx.conn())
    .await?;
    Ok(inserted.len())
}
