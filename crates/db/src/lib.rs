//! Everything gmao keeps in PostgreSQL: the pool, the embedded default cluster, tenancy
//! (tenant transactions, provisioning, per-tenant migrations) and one repository module per
//! aggregate. No HTTP here.

pub mod accounts;
pub mod audit;
pub mod demo;
pub mod embedded;
mod error;
pub mod identities;
pub mod list;
pub mod members;
pub mod migrate;
pub mod passwords;
pub mod plants;
pub mod pool;
pub mod principal;
pub mod production_lines;
pub mod roles;
pub mod sessions;
pub mod sites;
pub mod tenancy;
pub mod tenants;

pub use error::{ConstraintExt, Error, Result};
pub use list::{Page, PageRequest, Sort};
pub use sqlx;
pub use sqlx::PgPool;
pub use tenancy::{Actor, TenantTx};
