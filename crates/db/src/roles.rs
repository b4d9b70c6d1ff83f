//! Roles of a tenant: the built-in ones (read-only, permissions from the code) and custom ones.

use chrono::{DateTime, Utc};
use gmao_domain::{BuiltinRole, PermissionSet};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::{ConstraintExt, Error, Page, PageRequest, Result, TenantTx, audit};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Role {
    pub id: Uuid,
    pub key: Option<String>,
    pub name: String,
    pub description: Option<String>,
    #[serde(skip)]
    stored_permissions: Vec<String>,
    pub builtin: bool,
    #[serde(skip)]
    pub member_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Role {
    pub fn builtin_role(&self) -> Option<BuiltinRole> {
        self.key.as_deref().and_then(BuiltinRole::from_key)
    }

    /// Built-in roles take their permissions from this release's code; custom roles from the
    /// database.
    pub fn permissions(&self) -> PermissionSet {
        match self.builtin_role() {
            Some(builtin) => builtin.permissions(),
            None => PermissionSet::from_strings(&self.stored_permissions),
        }
    }
}

/// For the audit log: what a person sees of a role.
#[derive(Serialize)]
struct Audited<'a> {
    name: &'a str,
    description: Option<&'a str>,
    permissions: Vec<String>,
}

impl<'a> From<&'a Role> for Audited<'a> {
    fn from(role: &'a Role) -> Self {
        Audited {
            name: &role.name,
            description: role.description.as_deref(),
            permissions: role.permissions().to_strings(),
        }
    }
}

const SELECT: &str =
    "SELECT r.id, r.key, r.name, r.description, r.permissions AS stored_permissions,
        r.builtin, (SELECT count(*) FROM members m WHERE m.role_id = r.id) AS member_count,
        r.created_at, r.updated_at
    FROM roles r";

/// Built-in roles first (in their fixed order), then custom roles by name.
pub async fn list(tx: &mut TenantTx, page: PageRequest) -> Result<Page<Role>> {
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<Role>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}) x
             ORDER BY x.builtin DESC,
                      array_position(ARRAY['admin','supervisor','technician','operator','viewer'], x.key),
                      lower(x.name), x.id
             LIMIT $1 OFFSET $2"
        )))
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
        rows
    }))
}

pub async fn get(tx: &mut TenantTx, id: Uuid) -> Result<Role> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.id = $1")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)
}

pub async fn get_by_key(tx: &mut TenantTx, role: BuiltinRole) -> Result<Role> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.key = $1")))
        .bind(role.key())
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)
}

/// A role as people name it: a built-in key (`admin`) or a custom role's name (any case).
pub async fn find_by_key_or_name(tx: &mut TenantTx, name: &str) -> Result<Option<Role>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE r.key = $1 OR lower(r.name) = lower($1)
         ORDER BY r.key IS NULL LIMIT 1"
    )))
    .bind(name)
    .fetch_optional(tx.conn())
    .await?)
}

pub struct RoleInput {
    pub name: String,
    pub description: Option<String>,
    pub permissions: PermissionSet,
}

fn name_taken() -> Error {
    Error::conflict("name_taken", json!({"field": "name"}))
}

pub async fn create(tx: &mut TenantTx, input: RoleInput) -> Result<Role> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO roles (id, name, description, permissions) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(&input.name)
        .bind(&input.description)
        .bind(input.permissions.to_strings())
        .execute(tx.conn())
        .await
        .on_constraint("roles_name_key", name_taken)?;
    let role = get(tx, id).await?;
    audit::record_change(tx, "create", "role", id, None, Some(&Audited::from(&role))).await?;
    Ok(role)
}

#[derive(Debug, Default)]
pub struct RolePatch {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub permissions: Option<PermissionSet>,
}

pub async fn update(tx: &mut TenantTx, id: Uuid, patch: RolePatch) -> Result<Role> {
    let before = lock(tx, id).await?;
    if before.builtin {
        return Err(Error::conflict(
            "builtin_role_read_only",
            json!({"role_id": id}),
        ));
    }
    let name = patch.name.unwrap_or_else(|| before.name.clone());
    let description = patch
        .description
        .unwrap_or_else(|| before.description.clone());
    let permissions = patch.permissions.unwrap_or_else(|| before.permissions());
    sqlx::query("UPDATE roles SET name = $2, description = $3, permissions = $4 WHERE id = $1")
        .bind(id)
        .bind(&name)
        .bind(&description)
        .bind(permissions.to_strings())
        .execute(tx.conn())
        .await
        .on_constraint("roles_name_key", name_taken)?;
    let after = get(tx, id).await?;
    audit::record_change(
        tx,
        "update",
        "role",
        id,
        Some(&Audited::from(&before)),
        Some(&Audited::from(&after)),
    )
    .await?;
    Ok(after)
}

pub async fn delete(tx: &mut TenantTx, id: Uuid) -> Result<()> {
    let role = lock(tx, id).await?;
    if role.builtin {
        return Err(Error::conflict(
            "builtin_role_read_only",
            json!({"role_id": id}),
        ));
    }
    let invitations = crate::invitations::open_with_role(tx, id).await?;
    if role.member_count > 0 || invitations > 0 {
        return Err(Error::conflict(
            "role_in_use",
            json!({"members": role.member_count, "invitations": invitations}),
        ));
    }
    sqlx::query("DELETE FROM roles WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await
        .on_constraint("members_role_id_fkey", || {
            Error::conflict("role_in_use", json!({}))
        })?;
    audit::record_change(tx, "delete", "role", id, Some(&Audited::from(&role)), None).await?;
    Ok(())
}

/// The role, locked against concurrent changes until the transaction ends.
async fn lock(tx: &mut TenantTx, id: Uuid) -> Result<Role> {
    sqlx::query("SELECT 1 FROM roles WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)?;
    get(tx, id).await
}
