//! The vocabulary of maintenance: how critical equipment is, where it stands, how urgent a
//! request is, what kind of work an order is. Stored and sent as their snake_case names.

use crate::work_order::WorkOrderStatus;

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Option<$name> {
                match raw { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// How much a failure of the equipment hurts production or safety.
    Criticality { Low => "low", Medium => "medium", High => "high", Critical => "critical" }
}

string_enum! {
    /// Where the equipment stands. `broken` is set when a request reports production stopped;
    /// the last corrective order completed brings it back to `active`.
    EquipmentStatus {
        Active => "active",
        Broken => "broken",
        InMaintenance => "in_maintenance",
        Inactive => "inactive",
    }
}

string_enum! {
    /// How soon the reporter needs help.
    Urgency { Low => "low", Normal => "normal", High => "high", Critical => "critical" }
}

string_enum! {
    WorkRequestStatus { Submitted => "submitted", Approved => "approved", Rejected => "rejected" }
}

string_enum! {
    /// The order in which work should be done.
    Priority { Low => "low", Normal => "normal", High => "high", Urgent => "urgent" }
}

string_enum! {
    WorkOrderType {
        Corrective => "corrective",
        Preventive => "preventive",
        Improvement => "improvement",
        Inspection => "inspection",
    }
}

string_enum! {
    /// Where a work order came from.
    WorkOrderOrigin { Request => "request", Plan => "plan", Manual => "manual" }
}

string_enum! {
    /// The three parts of a failure code: what was seen, why, what was done.
    FailureCodeKind { Problem => "problem", Cause => "cause", Remedy => "remedy" }
}

string_enum! {
    ChecklistKind { Checkbox => "checkbox", PassFail => "pass_fail", Number => "number", Text => "text" }
}

string_enum! {
    /// Where a request stands for the person who made it, in one line: its decision, then the
    /// progress of the order it became.
    RequestProgress {
        Submitted => "submitted",
        Rejected => "rejected",
        Planned => "planned",
        InProgress => "in_progress",
        OnHold => "on_hold",
        Done => "done",
        Closed => "closed",
        Cancelled => "cancelled",
    }
}

string_enum! {
    /// Where a piece of a technician's open work falls in their day ("Mon travail"), by its
    /// due time in its site's time zone: on hold first set apart, then overdue, today (also
    /// work under way and urgent work with no due date), the rest of this week (to Sunday),
    /// and later (or no due date).
    WorkBucket {
        Overdue => "overdue",
        Today => "today",
        ThisWeek => "this_week",
        Later => "later",
        OnHold => "on_hold",
    }
}

impl RequestProgress {
    /// `order_status` is the status of the order an approved request became.
    pub fn of(
        request: WorkRequestStatus,
        order_status: Option<WorkOrderStatus>,
    ) -> RequestProgress {
        match (request, order_status) {
            (WorkRequestStatus::Submitted, _) => RequestProgress::Submitted,
            (WorkRequestStatus::Rejected, _) => RequestProgress::Rejected,
            (WorkRequestStatus::Approved, None) => RequestProgress::Planned,
            (WorkRequestStatus::Approved, Some(status)) => match status {
                WorkOrderStatus::Open | WorkOrderStatus::Assigned => RequestProgress::Planned,
                WorkOrderStatus::InProgress => RequestProgress::InProgress,
                WorkOrderStatus::OnHold => RequestProgress::OnHold,
                WorkOrderStatus::Completed => RequestProgress::Done,
                WorkOrderStatus::Closed => RequestProgress::Closed,
                WorkOrderStatus::Cancelled => RequestProgress::Cancelled,
            },
        }
    }
}

impl Urgency {
    /// The work-order priority a request of this urgency starts with.
    pub fn default_priority(self) -> Priority {
        match self {
            Urgency::Low => Priority::Low,
            Urgency::Normal => Priority::Normal,
            Urgency::High => Priority::High,
            Urgency::Critical => Priority::Urgent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Criticality::ALL {
            assert_eq!(Criticality::parse(c.as_str()), Some(*c));
        }
        for s in EquipmentStatus::ALL {
            assert_eq!(EquipmentStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(
            ChecklistKind::parse("pass_fail"),
            Some(ChecklistKind::PassFail)
        );
        assert_eq!(Priority::parse("asap"), None);
    }

    #[test]
    fn a_request_reads_as_the_progress_of_its_order() {
        use RequestProgress as P;
        use WorkOrderStatus as O;
        let approved = WorkRequestStatus::Approved;
        assert_eq!(P::of(WorkRequestStatus::Submitted, None), P::Submitted);
        assert_eq!(P::of(WorkRequestStatus::Rejected, None), P::Rejected);
        assert_eq!(P::of(approved, Some(O::Open)), P::Planned);
        assert_eq!(P::of(approved, Some(O::Assigned)), P::Planned);
        assert_eq!(P::of(approved, Some(O::InProgress)), P::InProgress);
        assert_eq!(P::of(approved, Some(O::OnHold)), P::OnHold);
        assert_eq!(P::of(approved, Some(O::Completed)), P::Done);
        assert_eq!(P::of(approved, Some(O::Closed)), P::Closed);
        assert_eq!(P::of(approved, Some(O::Cancelled)), P::Cancelled);
    }

    #[test]
    fn urgency_maps_to_priority() {
        assert_eq!(Urgency::Critical.default_priority(), Priority::Urgent);
        assert_eq!(Urgency::Low.default_priority(), Priority::Low);
    }
}
