//! The audit log: who changed what, which fields before and after, when, and in which request.
//! Written through the same [`TenantTx`] as the change, so both commit or neither does.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::{Page, PageRequest, Result, TenantTx};

/// Fields that change on every write and say nothing to a reader.
const IGNORED_FIELDS: &[&str] = &["updated_at", "created_at"];

/// The changed fields between two states of an entity, as
/// `{"field": {"before": …, "after": …}}`. `None` stands for "did not exist".
pub fn changes<T: Serialize>(before: Option<&T>, after: Option<&T>) -> Value {
    let to_map = |value: Option<&T>| -> Map<String, Value> {
        match value.map(serde_json::to_value) {
            Some(Ok(Value::Object(map))) => map,
            _ => Map::new(),
        }
    };
    let before = to_map(before);
    let after = to_map(after);
    let mut changed = Map::new();
    let keys = before
        .keys()
        .chain(after.keys())
        .collect::<std::collections::BTreeSet<_>>();
    for key in keys {
        if IGNORED_FIELDS.contains(&key.as_str()) {
            continue;
        }
        let old = before.get(key).cloned().unwrap_or(Value::Null);
        let new = after.get(key).cloned().unwrap_or(Value::Null);
        if old != new {
            let mut pair = Map::new();
            pair.insert("before".into(), old);
            pair.insert("after".into(), new);
            changed.insert(key.clone(), Value::Object(pair));
        }
    }
    Value::Object(changed)
}

/// One audited write.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// `create`, `update`, `delete`, or a domain verb (`deactivate`, `login`).
    pub action: &'a str,
    /// The entity type as the API names it (`site`, `member`, `role`).
    pub entity: &'a str,
    pub entity_id: Option<Uuid>,
    pub changes: Value,
}

pub async fn record(tx: &mut TenantTx, entry: Entry<'_>) -> Result<()> {
    let actor = tx.actor().clone();
    sqlx::query(
        "INSERT INTO audit_log (id, actor_id, action, entity, entity_id, changes, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7())
    .bind(actor.user_id)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(&entry.changes)
    .bind(actor.request_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Records a change between two states; does nothing when no field changed.
pub async fn record_change<T: Serialize>(
    tx: &mut TenantTx,
    action: &str,
    entity: &str,
    entity_id: Uuid,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let changes = changes(before, after);
    if action == "update" && changes.as_object().is_some_and(Map::is_empty) {
        return Ok(());
    }
    record(
        tx,
        Entry {
            action,
            entity,
            entity_id: Some(entity_id),
            changes,
        },
    )
    .await
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<Uuid>,
    pub changes: Value,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// The distinct (entity, action) pairs the log holds, for filters: one index probe per pair
/// (a loose index scan), not a pass over the log.
pub async fn kinds(tx: &mut TenantTx) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "WITH RECURSIVE pairs AS (
             (SELECT action, entity FROM audit_log ORDER BY action, entity LIMIT 1)
             UNION ALL
             SELECT next.action, next.entity FROM pairs
             CROSS JOIN LATERAL (
                 SELECT action, entity FROM audit_log
                 WHERE (action, entity) > (pairs.action, pairs.entity)
                 ORDER BY action, entity LIMIT 1
             ) next
         )
         SELECT entity, action FROM pairs ORDER BY entity, action",
    )
    .fetch_all(tx.conn())
    .await?)
}

/// Newest first.
pub async fn list(
    tx: &mut TenantTx,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<Page<AuditRecord>> {
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<AuditRecord>> = sqlx::query_as(
            "SELECT count(*) OVER () AS total, a.id, a.at, a.actor_id,
                    u.full_name AS actor_name, u.email AS actor_email,
                    a.action, a.entity, a.entity_id, a.changes, a.request_id
             FROM audit_log a
             LEFT JOIN public.users u ON u.id = a.actor_id
             WHERE ($1::text IS NULL OR a.entity = $1)
               AND ($2::uuid IS NULL OR a.entity_id = $2)
               AND ($3::uuid IS NULL OR a.actor_id = $3)
               AND ($4::text IS NULL OR a.action = $4)
               AND ($5::timestamptz IS NULL OR a.at >= $5)
               AND ($6::timestamptz IS NULL OR a.at < $6)
             ORDER BY a.at DESC, a.id DESC
             LIMIT $7 OFFSET $8",
        )
        .bind(&filter.entity)
        .bind(filter.entity_id)
        .bind(filter.actor_id)
        .bind(&filter.action)
        .bind(filter.from)
        .bind(filter.to)
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
        rows
    }))
}

/// What people call the objects `ids` name (a member's name, an equipment's code and name, an
/// order's number and title, …), for reading the audit log; ids of nothing known are left out.
/// Only this tenant's objects and members are looked at.
pub async fn labels(tx: &mut TenantTx, ids: &[Uuid]) -> Result<HashMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT u.id, u.full_name FROM public.users u JOIN members m ON m.user_id = u.id WHERE u.id = ANY($1)
         UNION ALL SELECT id, name FROM roles WHERE id = ANY($1)
         UNION ALL SELECT id, code || ' — ' || name FROM sites WHERE id = ANY($1)
         UNION ALL SELECT id, code || ' — ' || name FROM plants WHERE id = ANY($1)
         UNION ALL SELECT id, code || ' — ' || name FROM production_lines WHERE id = ANY($1)
         UNION ALL SELECT id, code || ' — ' || name FROM equipment WHERE id = ANY($1)
         UNION ALL SELECT id, name FROM meters WHERE id = ANY($1)
         UNION ALL SELECT id, code || ' — ' || label FROM failure_codes WHERE id = ANY($1)
         UNION ALL SELECT id, number || ' — ' || title FROM work_requests WHERE id = ANY($1)
         UNION ALL SELECT id, number || ' — ' || title FROM work_orders WHERE id = ANY($1)
         UNION ALL SELECT id, title FROM pm_plans WHERE id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(tx.conn())
    .await?;
    Ok(rows.into_iter().collect())
}

/// The ids an entry's changes mention (`role_id`, `assignee_ids`, …), wherever they stand.
pub fn mentioned_ids(changes: &Value, into: &mut Vec<Uuid>) {
    match changes {
        Value::String(text) => {
            if let Ok(id) = Uuid::parse_str(text) {
                into.push(id);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| mentioned_ids(v, into)),
        Value::Object(fields) => fields.values().for_each(|v| mentioned_ids(v, into)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize)]
    struct Site {
        name: &'static str,
        code: &'static str,
        updated_at: u32,
    }

    #[test]
    fn changes_list_only_changed_fields() {
        let before = Site {
            name: "Lyon",
            code: "LYN",
            updated_at: 1,
        };
        let after = Site {
            name: "Lyon Est",
            code: "LYN",
            updated_at: 2,
        };
        assert_eq!(
            changes(Some(&before), Some(&after)),
            json!({"name": {"before": "Lyon", "after": "Lyon Est"}})
        );
    }

    #[test]
    fn creation_and_deletion_show_every_field() {
        let site = Site {
            name: "Lyon",
            code: "LYN",
            updated_at: 1,
        };
        assert_eq!(
            changes(None, Some(&site)),
            json!({"name": {"before": null, "after": "Lyon"}, "code": {"before": null, "after": "LYN"}})
        );
        assert_eq!(
            changes(Some(&site), None),
            json!({"name": {"before": "Lyon", "after": null}, "code": {"before": "LYN", "after": null}})
        );
    }

    #[test]
    fn ids_are_found_wherever_the_changes_mention_them() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let mut found = Vec::new();
        mentioned_ids(
            &json!({"role_id": {"before": a.to_string(), "after": null},
                    "assignee_ids": {"after": [b.to_string()]},
                    "name": {"before": "Lyon", "after": "Lyon Est"}, "count": 3}),
            &mut found,
        );
        found.sort();
        let mut expected = vec![a, b];
        expected.sort();
        assert_eq!(found, expected);
    }
}
