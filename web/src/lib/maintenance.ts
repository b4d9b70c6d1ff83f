// The maintenance cycle's vocabulary as the interface presents it: colours of statuses and
// priorities, which buttons a work order offers, the board's columns. Labels are in fr.ts/en.ts
// under the same names (`woStatus.open`…), typed there against the API's enums.
import type {
  Criticality,
  EquipmentStatus,
  Priority,
  RequestProgress,
  Urgency,
  WorkOrder,
  WorkOrderAction,
  WorkOrderOrigin,
  WorkOrderStatus,
  WorkOrderType,
  WorkRequest,
  WorkRequestStatus,
} from '../api/client';

export const EQUIPMENT_STATUSES: readonly EquipmentStatus[] = [
  'active',
  'broken',
  'in_maintenance',
  'inactive',
];
export const CRITICALITIES: readonly Criticality[] = ['low', 'medium', 'high', 'critical'];
export const URGENCIES: readonly Urgency[] = ['low', 'normal', 'high', 'critical'];
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];
export const WORK_ORDER_TYPES: readonly WorkOrderType[] = [
  'corrective',
  'preventive',
  'improvement',
  'inspection',
];
export const WORK_ORDER_ORIGINS: readonly WorkOrderOrigin[] = ['request', 'plan', 'manual'];
export const WORK_ORDER_STATUSES: readonly WorkOrderStatus[] = [
  'open',
  'assigned',
  'in_progress',
  'on_hold',
  'completed',
  'closed',
  'cancelled',
];
export const REQUEST_STATUSES: readonly WorkRequestStatus[] = ['submitted', 'approved', 'rejected'];

/** Work not finished yet (what "my work" shows by default). */
export const ACTIVE_STATUSES: readonly WorkOrderStatus[] = [
  'open',
  'assigned',
  'in_progress',
  'on_hold',
];
/** The board's columns, left to right. */
export const BOARD_COLUMNS: readonly WorkOrderStatus[] = [
  'open',
  'assigned',
  'in_progress',
  'on_hold',
  'completed',
];

/**
 * The action that takes an order from one board column to another (the state machine of
 * crates/domain/src/work_order.rs), or null when no single action does. `closed` and
 * `cancelled` have no column: they are the drop zones shown while a card is dragged.
 */
export function boardAction(from: WorkOrderStatus, to: WorkOrderStatus): WorkOrderAction | null {
  switch (to) {
    case 'assigned':
      return from === 'open' ? 'assign' : null;
    case 'in_progress':
      return from === 'assigned'
        ? 'start'
        : from === 'on_hold'
          ? 'resume'
          : from === 'completed'
            ? 'reopen'
            : null;
    case 'on_hold':
      return from === 'in_progress' ? 'hold' : null;
    case 'completed':
      return from === 'in_progress' ? 'complete' : null;
    case 'closed':
      return from === 'completed' ? 'close' : null;
    case 'cancelled':
      return ACTIVE_STATUSES.includes(from) ? 'cancel' : null;
    default:
      return null;
  }
}

export type BoardMove =
  /** Dropped where it already is. */
  | { kind: 'same' }
  /** No single action goes there from where the order stands. */
  | { kind: 'impossible' }
  /** The action exists, but the server does not allow it to the caller on this order now. */
  | { kind: 'forbidden'; action: WorkOrderAction }
  | { kind: 'action'; action: WorkOrderAction };

/** What dropping an order on a column means: its action, only when `allowed_actions` has it. */
export function boardMove(
  order: Pick<WorkOrder, 'status' | 'allowed_actions'>,
  to: WorkOrderStatus,
): BoardMove {
  if (order.status === to) return { kind: 'same' };
  const action = boardAction(order.status, to);
  if (!action) return { kind: 'impossible' };
  if (!order.allowed_actions.includes(action)) return { kind: 'forbidden', action };
  return { kind: 'action', action };
}

export function isFinal(status: WorkOrderStatus): boolean {
  return status === 'closed' || status === 'cancelled';
}

export const WORK_ORDER_STATUS_COLOR: Record<WorkOrderStatus, string> = {
  open: 'gray',
  assigned: 'indigo',
  in_progress: 'blue',
  on_hold: 'orange',
  completed: 'teal',
  closed: 'green',
  cancelled: 'dark',
};

export const PRIORITY_COLOR: Record<Priority, string> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

export const URGENCY_COLOR: Record<Urgency, string> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  critical: 'red',
};

export const CRITICALITY_COLOR: Record<Criticality, string> = {
  low: 'gray',
  medium: 'blue',
  high: 'orange',
  critical: 'red',
};

export const EQUIPMENT_STATUS_COLOR: Record<EquipmentStatus, string> = {
  active: 'teal',
  broken: 'red',
  in_maintenance: 'orange',
  inactive: 'gray',
};

export const REQUEST_STATUS_COLOR: Record<WorkRequestStatus, string> = {
  submitted: 'blue',
  approved: 'teal',
  rejected: 'gray',
};

/** A request as its requester follows it: the decision, then its order's progress. */
export const REQUEST_PROGRESS: readonly RequestProgress[] = [
  'submitted',
  'rejected',
  'planned',
  'in_progress',
  'on_hold',
  'done',
  'closed',
  'cancelled',
];

export const REQUEST_PROGRESS_COLOR: Record<RequestProgress, string> = {
  submitted: 'blue',
  rejected: 'gray',
  planned: 'indigo',
  in_progress: 'blue',
  on_hold: 'orange',
  done: 'teal',
  closed: 'green',
  cancelled: 'dark',
};

/** The priority a request's urgency suggests (what the server chooses when none is given). */
export function priorityForUrgency(urgency: Urgency): Priority {
  return urgency === 'critical' ? 'urgent' : urgency;
}

export type ActionKind = 'direct' | 'confirm' | 'reason' | 'assign' | 'complete';

export interface ActionButton {
  action: WorkOrderAction;
  /** What happens on click: call at once, confirm, ask a reason, pick people, fill the report. */
  kind: ActionKind;
  /** The main step forward is filled; others are outlined; cancel is red. */
  emphasis: 'primary' | 'secondary' | 'danger';
}

/** The order buttons appear in: the step forward first, cancelling last. */
const ACTION_ORDER: readonly WorkOrderAction[] = [
  'start',
  'resume',
  'complete',
  'close',
  'hold',
  'assign',
  'reopen',
  'cancel',
];

const ACTION_KIND: Record<WorkOrderAction, ActionKind> = {
  assign: 'assign',
  start: 'direct',
  hold: 'reason',
  resume: 'direct',
  complete: 'complete',
  reopen: 'reason',
  close: 'confirm',
  cancel: 'reason',
};

const PRIMARY: ReadonlySet<WorkOrderAction> = new Set(['start', 'resume', 'complete', 'close']);

/**
 * The buttons of a work order: exactly its `allowed_actions` (what the server says the caller
 * may do now), in a stable order, each with how it is taken. Unknown actions (a newer server)
 * are left out rather than guessed.
 */
export function actionButtons(allowed: readonly string[]): ActionButton[] {
  const known = ACTION_ORDER.filter((action) => allowed.includes(action));
  let primaryGiven = false;
  return known.map((action) => {
    let emphasis: ActionButton['emphasis'] = 'secondary';
    if (action === 'cancel') emphasis = 'danger';
    else if (PRIMARY.has(action) && !primaryGiven) {
      emphasis = 'primary';
      primaryGiven = true;
    }
    return { action, kind: ACTION_KIND[action], emphasis };
  });
}

/** Whether the caller carries out this order now (answers the checklist): the server allows an execution step. */
export function canExecute(order: Pick<WorkOrder, 'allowed_actions' | 'status'>): boolean {
  const executing = order.allowed_actions.some(
    (a) => a === 'hold' || a === 'resume' || a === 'complete',
  );
  return executing && (order.status === 'in_progress' || order.status === 'on_hold');
}

/**
 * Whether the caller may add time, photos and documents: someone who carries out work orders
 * and is assigned (or plans them), while the order is not closed or cancelled.
 */
export function canContribute(
  order: Pick<WorkOrder, 'status' | 'assignees'>,
  me: { userId: string; execute: boolean; manage: boolean },
): boolean {
  if (isFinal(order.status) || !me.execute) return false;
  return me.manage || order.assignees.some((a) => a.id === me.userId);
}

/** "1 h 35", "45 min", "2 h" — durations of work and downtime. */
export function formatMinutes(total: number | null | undefined): string {
  if (total == null || !Number.isFinite(total)) return '';
  const minutes = Math.max(0, Math.round(total));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  if (rest === 0) return `${hours} h`;
  return `${hours} h ${String(rest).padStart(2, '0')}`;
}

/** Minutes between two instants (rounded, at least 0), or null when one is missing or invalid. */
export function minutesBetween(start: string | null, end: string | null): number | null {
  if (!start || !end) return null;
  const from = new Date(start).getTime();
  const to = new Date(end).getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  return Math.round((to - from) / 60_000);
}

/** Whether a due date has passed for work not yet completed (the server's `overdue`, shown before a refresh). */
export function isOverdue(
  order: Pick<WorkOrder, 'due_at' | 'status'>,
  now: number = Date.now(),
): boolean {
  if (!order.due_at) return false;
  if (order.status === 'completed' || isFinal(order.status)) return false;
  return new Date(order.due_at).getTime() < now;
}

/** "PRESSE-01 — Presse hydraulique 60 t". */
export function equipmentLabel(e: { code: string; name: string }): string {
  return `${e.code} — ${e.name}`;
}

/** "Usine de Lyon › Atelier › Ligne 1": where equipment stands, as precisely as known. */
export function locationText(e: {
  site_name?: string | null;
  plant_name?: string | null;
  production_line_name?: string | null;
}): string {
  return [e.site_name, e.plant_name, e.production_line_name].filter(Boolean).join(' › ');
}

export type HistoryEntry =
  | { kind: 'order'; at: string; order: WorkOrder }
  | { kind: 'request'; at: string; request: WorkRequest };

/** Work orders and requests of one piece of equipment, newest first. */
export function mergeHistory(orders: WorkOrder[], requests: WorkRequest[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [
    ...orders.map((order) => ({ kind: 'order' as const, at: order.created_at, order })),
    ...requests.map((request) => ({ kind: 'request' as const, at: request.created_at, request })),
  ];
  const time = (at: string) => new Date(at).getTime();
  return entries.sort((a, b) => time(b.at) - time(a.at));
}

/** Statuses of an address (`open,assigned`), keeping only known ones, in their usual order. */
export function parseStatuses(value: string | null): WorkOrderStatus[] {
  if (!value) return [];
  const wanted = new Set(value.split(','));
  return WORK_ORDER_STATUSES.filter((s) => wanted.has(s));
}
