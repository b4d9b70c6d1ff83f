//! The life of a work order (bon de travail), as a state machine with no I/O.
//!
//! ```text
//! open → assigned → in_progress ⇄ on_hold
//!                       ↓
//!                   completed → closed        (closed: validated by a supervisor)
//!                       ↓ reopen (with a reason) back to in_progress
//! cancelled: from any state before completed
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkOrderStatus {
    Open,
    Assigned,
    InProgress,
    OnHold,
    Completed,
    Closed,
    Cancelled,
}

impl WorkOrderStatus {
    pub const ALL: &'static [WorkOrderStatus] = &[
        WorkOrderStatus::Open,
        WorkOrderStatus::Assigned,
        WorkOrderStatus::InProgress,
        WorkOrderStatus::OnHold,
        WorkOrderStatus::Completed,
        WorkOrderStatus::Closed,
        WorkOrderStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkOrderStatus::Open => "open",
            WorkOrderStatus::Assigned => "assigned",
            WorkOrderStatus::InProgress => "in_progress",
            WorkOrderStatus::OnHold => "on_hold",
            WorkOrderStatus::Completed => "completed",
            WorkOrderStatus::Closed => "closed",
            WorkOrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<WorkOrderStatus> {
        WorkOrderStatus::ALL
            .iter()
            .copied()
            .find(|s| s.as_str() == raw)
    }

    /// Work is still to be done (or being done): counts as open work and can become overdue.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            WorkOrderStatus::Open
                | WorkOrderStatus::Assigned
                | WorkOrderStatus::InProgress
                | WorkOrderStatus::OnHold
        )
    }

    /// No action changes it any more.
    pub fn is_final(self) -> bool {
        matches!(self, WorkOrderStatus::Closed | WorkOrderStatus::Cancelled)
    }
}

impl fmt::Display for WorkOrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What people do to a work order. Each is an endpoint (`POST /work-orders/{id}/<action>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkOrderAction {
    Assign,
    Start,
    Hold,
    Resume,
    Complete,
    Reopen,
    Close,
    Cancel,
}

impl WorkOrderAction {
    pub const ALL: &'static [WorkOrderAction] = &[
        WorkOrderAction::Assign,
        WorkOrderAction::Start,
        WorkOrderAction::Hold,
        WorkOrderAction::Resume,
        WorkOrderAction::Complete,
        WorkOrderAction::Reopen,
        WorkOrderAction::Close,
        WorkOrderAction::Cancel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkOrderAction::Assign => "assign",
            WorkOrderAction::Start => "start",
            WorkOrderAction::Hold => "hold",
            WorkOrderAction::Resume => "resume",
            WorkOrderAction::Complete => "complete",
            WorkOrderAction::Reopen => "reopen",
            WorkOrderAction::Close => "close",
            WorkOrderAction::Cancel => "cancel",
        }
    }

    /// Who may take the action. Execution actions also require being an assignee unless the
    /// person manages work orders (see [`WorkOrderAction::needs_assignment`]).
    pub fn permission(self) -> crate::Permission {
        use crate::Permission;
        match self {
            WorkOrderAction::Assign | WorkOrderAction::Cancel => Permission::WorkOrdersManage,
            WorkOrderAction::Start
            | WorkOrderAction::Hold
            | WorkOrderAction::Resume
            | WorkOrderAction::Complete => Permission::WorkOrdersExecute,
            WorkOrderAction::Reopen | WorkOrderAction::Close => Permission::WorkOrdersValidate,
        }
    }

    /// Technicians act only on the orders assigned to them.
    pub fn needs_assignment(self) -> bool {
        self.permission() == crate::Permission::WorkOrdersExecute
    }

    /// Actions that must say why (`{"reason": "…"}`).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            WorkOrderAction::Hold | WorkOrderAction::Reopen | WorkOrderAction::Cancel
        )
    }
}

impl fmt::Display for WorkOrderAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An action that the order's current state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidTransition {
    pub from: WorkOrderStatus,
    pub action: WorkOrderAction,
}

/// The state after `action`, or why it is refused.
pub fn transition(
    from: WorkOrderStatus,
    action: WorkOrderAction,
) -> Result<WorkOrderStatus, InvalidTransition> {
    use WorkOrderAction as A;
    use WorkOrderStatus as S;
    let to = match (from, action) {
        // Assigning (or re-assigning) work not yet started makes it assigned; re-assigning
        // work under way changes who does it, not where it stands.
        (S::Open | S::Assigned, A::Assign) => S::Assigned,
        (S::InProgress | S::OnHold, A::Assign) => from,
        (S::Assigned, A::Start) => S::InProgress,
        (S::InProgress, A::Hold) => S::OnHold,
        (S::OnHold, A::Resume) => S::InProgress,
        (S::InProgress, A::Complete) => S::Completed,
        (S::Completed, A::Reopen) => S::InProgress,
        (S::Completed, A::Close) => S::Closed,
        (S::Open | S::Assigned | S::InProgress | S::OnHold, A::Cancel) => S::Cancelled,
        _ => return Err(InvalidTransition { from, action }),
    };
    Ok(to)
}

/// The actions the state allows, in the order a person would look for them.
pub fn allowed_actions(from: WorkOrderStatus) -> Vec<WorkOrderAction> {
    WorkOrderAction::ALL
        .iter()
        .copied()
        .filter(|a| transition(from, *a).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::WorkOrderAction as A;
    use super::WorkOrderStatus as S;
    use super::*;

    /// The whole table, written by hand: every (state, action) pair and its outcome.
    #[test]
    fn every_state_and_action_has_the_expected_outcome() {
        let expected: &[(S, A, Option<S>)] = &[
            (S::Open, A::Assign, Some(S::Assigned)),
            (S::Open, A::Start, None),
            (S::Open, A::Hold, None),
            (S::Open, A::Resume, None),
            (S::Open, A::Complete, None),
            (S::Open, A::Reopen, None),
            (S::Open, A::Close, None),
            (S::Open, A::Cancel, Some(S::Cancelled)),
            (S::Assigned, A::Assign, Some(S::Assigned)),
            (S::Assigned, A::Start, Some(S::InProgress)),
            (S::Assigned, A::Hold, None),
            (S::Assigned, A::Resume, None),
            (S::Assigned, A::Complete, None),
            (S::Assigned, A::Reopen, None),
            (S::Assigned, A::Close, None),
            (S::Assigned, A::Cancel, Some(S::Cancelled)),
            (S::InProgress, A::Assign, Some(S::InProgress)),
            (S::InProgress, A::Start, None),
            (S::InProgress, A::Hold, Some(S::OnHold)),
            (S::InProgress, A::Resume, None),
            (S::InProgress, A::Complete, Some(S::Completed)),
            (S::InProgress, A::Reopen, None),
            (S::InProgress, A::Close, None),
            (S::InProgress, A::Cancel, Some(S::Cancelled)),
            (S::OnHold, A::Assign, Some(S::OnHold)),
            (S::OnHold, A::Start, None),
            (S::OnHold, A::Hold, None),
            (S::OnHold, A::Resume, Some(S::InProgress)),
            (S::OnHold, A::Complete, None),
            (S::OnHold, A::Reopen, None),
            (S::OnHold, A::Close, None),
            (S::OnHold, A::Cancel, Some(S::Cancelled)),
            (S::Completed, A::Assign, None),
            (S::Completed, A::Start, None),
            (S::Completed, A::Hold, None),
            (S::Completed, A::Resume, None),
            (S::Completed, A::Complete, None),
            (S::Completed, A::Reopen, Some(S::InProgress)),
            (S::Completed, A::Close, Some(S::Closed)),
            (S::Completed, A::Cancel, None),
        ];
        for (from, action, to) in expected {
            assert_eq!(transition(*from, *action).ok(), *to, "{from} --{action}-->");
        }
        // Final states refuse everything.
        for from in [S::Closed, S::Cancelled] {
            for action in A::ALL {
                assert_eq!(
                    transition(from, *action),
                    Err(InvalidTransition {
                        from,
                        action: *action
                    })
                );
            }
            assert!(from.is_final());
        }
        assert_eq!(
            expected.len() + 2 * A::ALL.len(),
            S::ALL.len() * A::ALL.len()
        );
    }

    #[test]
    fn allowed_actions_follow_the_table() {
        assert_eq!(allowed_actions(S::Open), vec![A::Assign, A::Cancel]);
        assert_eq!(
            allowed_actions(S::InProgress),
            vec![A::Assign, A::Hold, A::Complete, A::Cancel]
        );
        assert_eq!(allowed_actions(S::Completed), vec![A::Reopen, A::Close]);
        assert!(allowed_actions(S::Closed).is_empty());
    }

    #[test]
    fn a_full_life_reaches_closed() {
        let mut state = S::Open;
        for action in [
            A::Assign,
            A::Start,
            A::Hold,
            A::Resume,
            A::Complete,
            A::Reopen,
            A::Complete,
            A::Close,
        ] {
            state = transition(state, action).unwrap_or(state);
        }
        assert_eq!(state, S::Closed);
    }

    #[test]
    fn names_round_trip_and_permissions_are_split_by_role() {
        for status in S::ALL {
            assert_eq!(S::parse(status.as_str()), Some(*status));
        }
        assert_eq!(S::parse("done"), None);
        assert!(A::Start.needs_assignment() && A::Complete.needs_assignment());
        assert!(!A::Close.needs_assignment() && !A::Assign.needs_assignment());
        assert!(A::Hold.needs_reason() && A::Reopen.needs_reason() && A::Cancel.needs_reason());
        assert!(!A::Start.needs_reason());
        assert!(S::OnHold.is_active() && !S::Completed.is_active());
    }
}
