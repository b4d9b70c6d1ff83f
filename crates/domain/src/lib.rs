//! Pure types and rules of gmao: identifiers, values that validate themselves, permissions and
//! built-in roles. No I/O lives here, so everything is unit-tested in place.

pub mod downtime;
pub mod email;
pub mod findings;
pub mod labour;
pub mod locale;
pub mod maintenance;
pub mod password;
pub mod permission;
pub mod pm;
pub mod recurrence;
pub mod report_schedule;
pub mod tenant;
pub mod text;
pub mod validation;
pub mod work_order;

pub use email::Email;
pub use locale::Locale;
pub use permission::{BuiltinRole, Permission, PermissionSet};
pub use tenant::{TenantId, TenantSchema, TenantSlug, TenantStatus};
pub use validation::{FieldError, FieldErrors};
