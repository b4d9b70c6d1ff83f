//! The one way to touch a tenant's data: a transaction whose `search_path` is set, for that
//! transaction only, to the tenant's schema.
//!
//! `set_config('search_path', …, true)` is transaction-local: at COMMIT or ROLLBACK the pooled
//! connection returns to its default path, so the next borrower can never inherit a tenant
//! (a session-level `SET search_path` would leak). It also keeps PgBouncer transaction pooling
//! safe. Queries inside are unqualified and list their columns.

use gmao_domain::TenantId;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::Result;

/// Who is acting, recorded with every audited write. `user_id` is `None` for the system
/// (command line, background jobs).
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn system() -> Actor {
        Actor::default()
    }

    pub fn user(user_id: Uuid, request_id: Option<String>) -> Actor {
        Actor {
            user_id: Some(user_id),
            request_id,
        }
    }
}

/// An open transaction scoped to one tenant. Tenant repositories take `&mut TenantTx`, so they
/// cannot run any other way.
pub struct TenantTx {
    tx: Transaction<'static, Postgres>,
    tenant_id: TenantId,
    actor: Actor,
}

impl TenantTx {
    pub async fn begin(pool: &PgPool, tenant_id: TenantId, actor: Actor) -> Result<TenantTx> {
        let tx = pool.begin().await?;
        TenantTx::scope(tx, tenant_id, actor).await
    }

    /// Scopes a transaction that already did control-plane work (signup creates the tenant row
    /// and the schema in one transaction).
    pub async fn scope(
        mut tx: Transaction<'static, Postgres>,
        tenant_id: TenantId,
        actor: Actor,
    ) -> Result<TenantTx> {
        sqlx::query("SELECT set_config('search_path', $1, true)")
            .bind(tenant_id.schema().search_path())
            .execute(&mut *tx)
            .await?;
        Ok(TenantTx {
            tx,
            tenant_id,
            actor,
        })
    }

    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Replaces the actor once the caller is known (login learns who it is inside the
    /// transaction).
    pub fn set_actor(&mut self, actor: Actor) {
        self.actor = actor;
    }

    pub fn conn(&mut self) -> &mut PgConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}
