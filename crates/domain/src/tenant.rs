//! Tenants: the companies sharing one gmao instance, each in its own PostgreSQL schema.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validation::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TenantId(pub Uuid);

impl TenantId {
    pub fn new() -> Self {
        TenantId(Uuid::now_v7())
    }

    /// The schema holding this tenant's data. Derived from the id only, so the one identifier
    /// ever formatted into SQL comes from our own code, never from user input.
    pub fn schema(self) -> TenantSchema {
        TenantSchema(format!("t_{}", self.0.simple()))
    }
}

impl Default for TenantId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// `t_<32 hex>`; only [`TenantId::schema`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TenantSchema(String);

impl TenantSchema {
    pub fn name(&self) -> &str {
        &self.0
    }

    /// The name as a quoted SQL identifier.
    pub fn quoted(&self) -> String {
        format!("\"{}\"", self.0)
    }

    /// The value given to `set_config('search_path', …)`: the tenant first, then `public` for
    /// the control-plane tables a tenant query may join (identities).
    pub fn search_path(&self) -> String {
        format!("\"{}\", public", self.0)
    }
}

impl fmt::Display for TenantSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Words that would be confusing or dangerous as a workspace identifier (they name parts of the
/// product, or could name a sub-domain we need).
const RESERVED_SLUGS: &[&str] = &[
    "about",
    "account",
    "accounts",
    "admin",
    "administrator",
    "api",
    "app",
    "apps",
    "assets",
    "auth",
    "billing",
    "blog",
    "cdn",
    "dashboard",
    "docs",
    "gmao",
    "healthz",
    "help",
    "home",
    "info",
    "internal",
    "login",
    "logout",
    "mail",
    "metrics",
    "new",
    "null",
    "platform",
    "postgres",
    "public",
    "readyz",
    "register",
    "root",
    "settings",
    "signup",
    "static",
    "status",
    "support",
    "system",
    "undefined",
    "www",
];

/// The identifier people type at login (`fonderie-rhone`): 3 to 40 lowercase letters, digits
/// and single hyphens, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TenantSlug(String);

impl TenantSlug {
    pub fn parse(raw: &str) -> Result<TenantSlug, FieldError> {
        let slug = raw.trim();
        if slug.is_empty() {
            return Err(FieldError::new("required"));
        }
        let length = slug.chars().count();
        let well_formed = (3..=40).contains(&length)
            && slug.starts_with(|c: char| c.is_ascii_lowercase())
            && !slug.ends_with('-')
            && !slug.contains("--")
            && slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            return Err(FieldError::new("invalid_slug")
                .with("min", 3)
                .with("max", 40));
        }
        if RESERVED_SLUGS.contains(&slug) {
            return Err(FieldError::new("reserved_slug"));
        }
        Ok(TenantSlug(slug.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a tenant's members may use it. Suspension is immediate: every request checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantStatus {
    Active,
    Suspended,
}

impl TenantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TenantStatus::Active => "active",
            TenantStatus::Suspended => "suspended",
        }
    }

    pub fn parse(raw: &str) -> Option<TenantStatus> {
        match raw {
            "active" => Some(TenantStatus::Active),
            "suspended" => Some(TenantStatus::Suspended),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_name_is_derived_from_id() {
        let id =
            TenantId(Uuid::parse_str("0192f7a1-2b3c-7d4e-8f90-a1b2c3d4e5f6").unwrap_or_default());
        assert_eq!(id.schema().name(), "t_0192f7a12b3c7d4e8f90a1b2c3d4e5f6");
        assert_eq!(
            id.schema().search_path(),
            "\"t_0192f7a12b3c7d4e8f90a1b2c3d4e5f6\", public"
        );
    }

    #[test]
    fn slugs_follow_the_rules() {
        for good in ["abc", "fonderie-rhone", "usine42", "a-b-c", &"a".repeat(40)] {
            assert!(
                TenantSlug::parse(good).is_ok(),
                "{good:?} should be accepted"
            );
        }
        for bad in [
            "ab",
            "Fonderie",
            "-abc",
            "abc-",
            "a--b",
            "4usine",
            "usine_lyon",
            "usine lyon",
            "é-usine",
            &"a".repeat(41),
        ] {
            assert_eq!(
                TenantSlug::parse(bad).map_err(|e| e.code),
                Err("invalid_slug"),
                "{bad:?}"
            );
        }
        assert_eq!(
            TenantSlug::parse("admin").map_err(|e| e.code),
            Err("reserved_slug")
        );
        assert_eq!(
            TenantSlug::parse("api").map_err(|e| e.code),
            Err("reserved_slug")
        );
        assert_eq!(TenantSlug::parse("  ").map_err(|e| e.code), Err("required"));
    }
}
