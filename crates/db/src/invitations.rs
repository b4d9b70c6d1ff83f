//! Invitations to join a company: adding a person sends a single-use link to their address;
//! they become a member when they accept it. The company never learns from an invitation
//! whether the address has an account, nor anything of its other companies.
//!
//! The token names the company (its first 16 bytes are the tenant id), so that acceptance,
//! which comes without a session, finds the right schema; the rest is 256 random bits, and
//! only its SHA-256 is kept.

use chrono::{DateTime, Duration, Utc};
use gmao_domain::{Email, Locale, TenantId};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::list::{Counted, paged};
use crate::{ConstraintExt, Error, Page, PageRequest, Result, TenantTx, audit, secret_token};

/// How long a link works.
pub const VALID_FOR: Duration = Duration::days(7);

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Invitation {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub role_id: Uuid,
    pub role_key: Option<String>,
    pub role_name: String,
    pub site_scoped: bool,
    pub site_ids: Vec<Uuid>,
    pub locale: String,
    pub invited_by: Option<Uuid>,
    pub invited_by_name: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub sent_count: i32,
    pub last_sent_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Expired,
    Accepted,
    Revoked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Expired => "expired",
            Status::Accepted => "accepted",
            Status::Revoked => "revoked",
        }
    }

    pub fn parse(raw: &str) -> Option<Status> {
        [
            Status::Pending,
            Status::Expired,
            Status::Accepted,
            Status::Revoked,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }
}

impl Invitation {
    pub fn status(&self) -> Status {
        if self.accepted_at.is_some() {
            Status::Accepted
        } else if self.revoked_at.is_some() {
            Status::Revoked
        } else if self.expires_at <= Utc::now() {
            Status::Expired
        } else {
            Status::Pending
        }
    }

    /// Neither accepted nor revoked (it may have expired: resending renews it).
    pub fn is_open(&self) -> bool {
        self.accepted_at.is_none() && self.revoked_at.is_none()
    }
}

const SELECT: &str = "SELECT i.id, i.email, i.full_name, i.role_id, r.key AS role_key,
        r.name AS role_name, i.site_scoped, i.site_ids, i.locale, i.invited_by,
        u.full_name AS invited_by_name, i.expires_at, i.sent_count, i.last_sent_at,
        i.accepted_at, i.revoked_at, i.created_at
    FROM invitations i
    JOIN roles r ON r.id = i.role_id
    LEFT JOIN public.users u ON u.id = i.invited_by";

/// What the audit log keeps of an invitation (never its token).
fn audited(i: &Invitation) -> serde_json::Value {
    json!({
        "email": i.email,
        "full_name": i.full_name,
        "role_id": i.role_id,
        "site_ids": i.site_scoped.then_some(&i.site_ids),
        "expires_at": i.expires_at,
    })
}

pub struct NewInvitation<'a> {
    pub email: &'a Email,
    pub full_name: &'a str,
    pub role_id: Uuid,
    /// `None`: every site.
    pub site_ids: Option<Vec<Uuid>>,
    pub locale: Locale,
}

/// A new invitation and its link's token (the only time it is seen in clear). 409
/// `invitation_pending` when the address has an open one already (resend it instead).
pub async fn create(tx: &mut TenantTx, new: NewInvitation<'_>) -> Result<(Invitation, String)> {
    let (token, hash) = new_token(tx.tenant_id());
    let id = Uuid::now_v7();
    let invited_by = tx.actor().user_id;
    sqlx::query(
        "INSERT INTO invitations
            (id, email, full_name, role_id, site_scoped, site_ids, locale, token_hash, invited_by,
             expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + $10)",
    )
    .bind(id)
    .bind(new.email.as_str())
    .bind(new.full_name)
    .bind(new.role_id)
    .bind(new.site_ids.is_some())
    .bind(new.site_ids.clone().unwrap_or_default())
    .bind(new.locale.as_str())
    .bind(hash)
    .bind(invited_by)
    .bind(VALID_FOR)
    .execute(tx.conn())
    .await
    .on_constraint("invitations_open_email_key", || {
        Error::conflict("invitation_pending", json!({"field": "email"}))
    })
    .on_constraint("invitations_role_id_fkey", || {
        Error::invalid("role_id", gmao_domain::FieldError::new("unknown_role"))
    })?;
    let invitation = get(tx, id).await?;
    audit::record(
        tx,
        audit::Entry {
            action: "invite",
            entity: "invitation",
            entity_id: Some(id),
            changes: audited(&invitation),
        },
    )
    .await?;
    Ok((invitation, token))
}

pub async fn get(tx: &mut TenantTx, id: Uuid) -> Result<Invitation> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE i.id = $1")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)
}

/// The open invitation of an address, if any.
pub async fn open_for(tx: &mut TenantTx, email: &Email) -> Result<Option<Invitation>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE i.email = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL"
    )))
    .bind(email.as_str())
    .fetch_optional(tx.conn())
    .await?)
}

/// Invitations, newest first; of one status when given.
pub async fn list(
    tx: &mut TenantTx,
    status: Option<Status>,
    page: PageRequest,
) -> Result<Page<Invitation>> {
    let status = status.map(Status::as_str);
    Ok(paged!(page, |limit, offset| {
        let rows: Vec<Counted<Invitation>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) OVER () AS total, x.* FROM ({SELECT}
                WHERE CASE $1::text
                    WHEN 'accepted' THEN i.accepted_at IS NOT NULL
                    WHEN 'revoked' THEN i.revoked_at IS NOT NULL
                    WHEN 'expired' THEN i.accepted_at IS NULL AND i.revoked_at IS NULL
                                        AND i.expires_at <= now()
                    WHEN 'pending' THEN i.accepted_at IS NULL AND i.revoked_at IS NULL
                                        AND i.expires_at > now()
                    ELSE true END
             ) x
             ORDER BY x.created_at DESC, x.id DESC
             LIMIT $2 OFFSET $3"
        )))
        .bind(status)
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
        rows
    }))
}

async fn get_for_update(tx: &mut TenantTx, id: Uuid) -> Result<Invitation> {
    sqlx::query("SELECT 1 FROM invitations WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound)?;
    get(tx, id).await
}

/// A new link for an open invitation (the old one stops working), valid again for
/// [`VALID_FOR`]. 409 `invitation_closed` once accepted or revoked.
pub async fn resend(tx: &mut TenantTx, id: Uuid) -> Result<(Invitation, String)> {
    let before = get_for_update(tx, id).await?;
    if !before.is_open() {
        return Err(Error::conflict(
            "invitation_closed",
            json!({"status": before.status().as_str()}),
        ));
    }
    let (token, hash) = new_token(tx.tenant_id());
    sqlx::query(
        "UPDATE invitations
         SET token_hash = $2, expires_at = now() + $3, sent_count = sent_count + 1,
             last_sent_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(hash)
    .bind(VALID_FOR)
    .execute(tx.conn())
    .await?;
    let after = get(tx, id).await?;
    audit::record(
        tx,
        audit::Entry {
            action: "resend",
            entity: "invitation",
            entity_id: Some(id),
            changes: json!({
                "sent_count": {"before": before.sent_count, "after": after.sent_count},
                "expires_at": {"before": before.expires_at, "after": after.expires_at},
            }),
        },
    )
    .await?;
    Ok((after, token))
}

/// Revokes an open invitation: its link stops working.
pub async fn revoke(tx: &mut TenantTx, id: Uuid) -> Result<Invitation> {
    let before = get_for_update(tx, id).await?;
    if !before.is_open() {
        return Err(Error::conflict(
            "invitation_closed",
            json!({"status": before.status().as_str()}),
        ));
    }
    sqlx::query("UPDATE invitations SET revoked_at = now(), revoked_by = $2 WHERE id = $1")
        .bind(id)
        .bind(tx.actor().user_id)
        .execute(tx.conn())
        .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "revoke",
            entity: "invitation",
            entity_id: Some(id),
            changes: audited(&before),
        },
    )
    .await?;
    get(tx, id).await
}

/// The company a token is for, read from the token itself (no database).
pub fn tenant_of(token: &str) -> Option<TenantId> {
    let prefix = secret_token::prefix(token, 16)?;
    Uuid::from_slice(&prefix).ok().map(TenantId)
}

/// The invitation of a token, locked, whatever its status (the caller says why it cannot be
/// used). `None` for a token of no invitation, or an old link of a resent one.
pub async fn by_token_for_update(tx: &mut TenantTx, token: &str) -> Result<Option<Invitation>> {
    let id: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM invitations WHERE token_hash = $1 FOR UPDATE")
            .bind(secret_token::hash(token))
            .fetch_optional(tx.conn())
            .await?;
    match id {
        Some(id) => Ok(Some(get(tx, id).await?)),
        None => Ok(None),
    }
}

/// Records the acceptance by `user_id` (who is now a member).
pub async fn accept(tx: &mut TenantTx, id: Uuid, user_id: Uuid) -> Result<()> {
    sqlx::query("UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1")
        .bind(id)
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    audit::record(
        tx,
        audit::Entry {
            action: "accept",
            entity: "invitation",
            entity_id: Some(id),
            changes: json!({"accepted_by": user_id}),
        },
    )
    .await
}

/// Open invitations giving this role (a role cannot be deleted under them).
pub async fn open_with_role(tx: &mut TenantTx, role_id: Uuid) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM invitations
         WHERE role_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(role_id)
    .fetch_one(tx.conn())
    .await?)
}

fn new_token(tenant: TenantId) -> (String, Vec<u8>) {
    secret_token::generate_with_prefix(tenant.0.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_company() {
        let tenant = TenantId(Uuid::now_v7());
        let (token, _) = new_token(tenant);
        assert_eq!(tenant_of(&token), Some(tenant));
        assert_eq!(tenant_of("garbage"), None);
        assert_eq!(tenant_of(&token[..30]), None);
    }
}
