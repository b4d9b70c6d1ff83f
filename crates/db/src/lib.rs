//! Everything gmao keeps in PostgreSQL: the pool, the embedded default cluster, tenancy
//! (tenant transactions, provisioning, per-tenant migrations) and one repository module per
//! aggregate. No HTTP here.

pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod counters;
pub mod demo;
mod demo_history;
pub mod demo_large;
pub mod email_tokens;
pub mod embedded;
pub mod equipment;
mod error;
pub mod failure_codes;
pub mod identities;
pub mod invitations;
pub mod kpi_snapshots;
pub mod labour;
pub mod list;
pub mod members;
pub mod meters;
pub mod migrate;
pub mod my_work;
pub mod outbox;
pub mod passwords;
pub mod plants;
pub mod pm_generation;
pub mod pm_plans;
pub mod pool;
pub mod principal;
pub mod private_file;
pub mod production_lines;
pub mod report_schedules;
pub mod roles;
pub mod secret_token;
pub mod sessions;
pub mod sites;
pub mod spec_templates;
pub mod templates;
pub mod tenancy;
pub mod tenants;
pub mod throttle;
pub mod work_orders;
pub mod work_requests;

pub use error::{ConstraintExt, Error, Result};
pub use list::{Page, PageRequest, Sort};
pub use sqlx;
pub use sqlx::PgPool;
pub use tenancy::{Actor, TenantTx};
