//! The maintenance vocabulary as OpenAPI enums: documented values, and an unknown value in a
//! request is a 400 before any handler runs.

use gmao_domain::maintenance as domain;
use gmao_domain::work_order::WorkOrderStatus as DomainStatus;

macro_rules! api_enum {
    ($(#[$doc:meta])* $name:ident => $domain:ty { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, poem_openapi::Enum)]
        #[oai(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => <$domain>::$variant),+ }
            }
        }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                match value { $(<$domain>::$variant => $name::$variant),+ }
            }
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                <$domain>::from(self).as_str()
            }

            /// A stored value (always one of ours); the first variant if it somehow is not.
            pub fn stored(raw: &str) -> $name {
                <$domain>::parse(raw).map($name::from).unwrap_or($name::ALL_FIRST)
            }
        }
    };
}

macro_rules! first {
    ($name:ident, $first:ident) => {
        impl $name {
            const ALL_FIRST: $name = $name::$first;
        }
    };
}

api_enum!(
    /// How much a failure of the equipment hurts production or safety.
    Criticality => domain::Criticality { Low, Medium, High, Critical }
);
first!(Criticality, Medium);

api_enum!(
    /// `broken` is set when a request reports production stopped; completing the last open
    /// corrective order brings it back to `active`.
    EquipmentStatus => domain::EquipmentStatus { Active, Broken, InMaintenance, Inactive }
);
first!(EquipmentStatus, Active);

api_enum!(
    Urgency => domain::Urgency { Low, Normal, High, Critical }
);
first!(Urgency, Normal);

api_enum!(
    WorkRequestStatus => domain::WorkRequestStatus { Submitted, Approved, Rejected }
);
first!(WorkRequestStatus, Submitted);

api_enum!(
    Priority => domain::Priority { Low, Normal, High, Urgent }
);
first!(Priority, Normal);

api_enum!(
    WorkOrderType => domain::WorkOrderType { Corrective, Preventive, Improvement, Inspection }
);
first!(WorkOrderType, Corrective);

api_enum!(
    WorkOrderOrigin => domain::WorkOrderOrigin { Request, Plan, Manual }
);
first!(WorkOrderOrigin, Manual);

api_enum!(
    FailureCodeKind => domain::FailureCodeKind { Problem, Cause, Remedy }
);
first!(FailureCodeKind, Problem);

api_enum!(
    ChecklistKind => domain::ChecklistKind { Checkbox, PassFail, Number, Text }
);
first!(ChecklistKind, Checkbox);

api_enum!(
    /// `open → assigned → in_progress ⇄ on_hold → completed → closed`; `cancelled` from any state
    /// before completed.
    WorkOrderStatus => DomainStatus { Open, Assigned, InProgress, OnHold, Completed, Closed, Cancelled }
);
first!(WorkOrderStatus, Open);

api_enum!(
    /// A request as its requester follows it: `submitted`, `rejected`, or the progress of the
    /// order it became (`planned`, `in_progress`, `on_hold`, `done`, `closed`, `cancelled`).
    RequestProgress => domain::RequestProgress {
        Submitted, Rejected, Planned, InProgress, OnHold, Done, Closed, Cancelled
    }
);
first!(RequestProgress, Submitted);

api_enum!(
    /// Where an order falls in its technician's day, by its due time in its site's time zone:
    /// `overdue`; `today` (also work under way, and urgent work with no due date); `this_week`
    /// (to Sunday); `later` (or no due date); `on_hold` apart.
    WorkBucket => domain::WorkBucket { Overdue, Today, ThisWeek, Later, OnHold }
);
first!(WorkBucket, Later);
