//! The audit log.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use gmao_db::audit::{self, AuditFilter, AuditRecord};
use gmao_domain::Permission;
use poem::Request;
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::{ApiTags, page_of, page_request, search};
use crate::auth::{BearerAuth, Ctx};
use crate::error::ApiResult;
use crate::state::AppState;

pub struct AuditApi;

/// One recorded write.
#[derive(Debug, Object)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// Who acted; absent when the system did (command line, background job).
    #[oai(nullable)]
    pub actor_id: Option<Uuid>,
    #[oai(nullable)]
    pub actor_name: Option<String>,
    #[oai(nullable)]
    pub actor_email: Option<String>,
    /// `create`, `update`, `delete`, or a verb of the domain (`login`, `deactivate`, …).
    pub action: String,
    /// `site`, `plant`, `production_line`, `member`, `role`, `session`, `profile`, `tenant`.
    pub entity: String,
    #[oai(nullable)]
    pub entity_id: Option<Uuid>,
    /// The fields that changed: `{"name": {"before": "Lyon", "after": "Lyon Est"}}`.
    pub changes: serde_json::Value,
    /// The request that made the change, as in the `X-Request-Id` response header and logs.
    #[oai(nullable)]
    pub request_id: Option<String>,
    /// What the ids of `entity_id` and `changes` name, by id (`"Karim Benali"`,
    /// `"FRAIS-01 — Fraiseuse"`, `"BT-2026-00042 — Fuite"`), for those that still exist.
    pub labels: BTreeMap<String, String>,
}

impl From<AuditRecord> for AuditEntry {
    fn from(r: AuditRecord) -> Self {
        AuditEntry {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            actor_email: r.actor_email,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            changes: r.changes,
            request_id: r.request_id,
            labels: BTreeMap::new(),
        }
    }
}

page_of!(
    AuditPage,
    AuditEntry,
    "A page of the audit log, newest first."
);

/// What the log holds: an action on a kind of entity.
#[derive(Debug, Object)]
pub struct AuditKind {
    pub entity: String,
    pub action: String,
}

#[derive(Debug, Object)]
pub struct AuditKinds {
    /// Every (entity, action) pair of the company's log, by entity then action.
    pub items: Vec<AuditKind>,
}

#[OpenApi(tag = "ApiTags::Audit")]
impl AuditApi {
    /// The kinds of entries the log holds
    ///
    /// Every action on every kind of entity recorded so far, for filters.
    #[oai(path = "/audit-log/kinds", method = "get")]
    async fn kinds(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
    ) -> ApiResult<Json<AuditKinds>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::AuditRead)?;
        let kinds = audit::kinds(&mut ctx.tx).await?;
        ctx.commit().await?;
        Ok(Json(AuditKinds {
            items: kinds
                .into_iter()
                .map(|(entity, action)| AuditKind { entity, action })
                .collect(),
        }))
    }

    /// Read the audit log
    #[oai(path = "/audit-log", method = "get")]
    async fn list(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        entity: Query<Option<String>>,
        entity_id: Query<Option<Uuid>>,
        actor_id: Query<Option<Uuid>>,
        action: Query<Option<String>>,
        /// From this instant (inclusive, RFC 3339).
        from: Query<Option<DateTime<Utc>>>,
        /// Before this instant (exclusive, RFC 3339).
        to: Query<Option<DateTime<Utc>>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<AuditPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::AuditRead)?;
        let filter = AuditFilter {
            entity: search(entity.0),
            entity_id: entity_id.0,
            actor_id: actor_id.0,
            action: search(action.0),
            from: from.0,
            to: to.0,
        };
        let page = audit::list(&mut ctx.tx, &filter, page_request(page.0, per_page.0)).await?;
        // The ids each entry mentions, then their names in one query for the page.
        let mentioned: Vec<Vec<Uuid>> = page
            .items
            .iter()
            .map(|entry| {
                let mut ids: Vec<Uuid> = entry.entity_id.into_iter().collect();
                audit::mentioned_ids(&entry.changes, &mut ids);
                ids
            })
            .collect();
        let mut all: Vec<Uuid> = mentioned.iter().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        let labels = audit::labels(&mut ctx.tx, &all).await?;
        let sees_rates = super::users::sees_rates(&ctx);
        ctx.commit().await?;
        let mut answer = AuditPage::from_page(page, AuditEntry::from);
        if !sees_rates {
            for entry in &mut answer.items {
                hide_rates(&mut entry.changes);
            }
        }
        for (entry, ids) in answer.items.iter_mut().zip(mentioned) {
            entry.labels = ids
                .into_iter()
                .filter_map(|id| labels.get(&id).map(|l| (id.to_string(), l.clone())))
                .collect();
        }
        Ok(Json(answer))
    }
}

/// What people cost is for those who manage them: a change of a rate reads "hidden" to other
/// readers of the log, who still see that it changed.
fn hide_rates(changes: &mut serde_json::Value) {
    if let serde_json::Value::Object(fields) = changes {
        for (key, value) in fields.iter_mut() {
            if key.contains("hourly_rate") {
                if let serde_json::Value::Object(pair) = value {
                    for side in pair.values_mut() {
                        if !side.is_null() {
                            *side = serde_json::Value::String("hidden".into());
                        }
                    }
                }
            } else {
                hide_rates(value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn rates_are_hidden_wherever_they_sit() {
        let mut changes = json!({
            "hourly_rate_cents": {"before": null, "after": 6000},
            "default_hourly_rate_cents": {"before": 4000, "after": 4500},
            "weekly_capacity_minutes": {"before": null, "after": 1680},
            "member": {"hourly_rate_cents": {"before": 1, "after": 2}},
        });
        super::hide_rates(&mut changes);
        assert_eq!(
            changes,
            json!({
                "hourly_rate_cents": {"before": null, "after": "hidden"},
                "default_hourly_rate_cents": {"before": "hidden", "after": "hidden"},
                "weekly_capacity_minutes": {"before": null, "after": 1680},
                "member": {"hourly_rate_cents": {"before": "hidden", "after": "hidden"}},
            })
        );
    }
}
