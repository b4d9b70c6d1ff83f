// Follow-up orders: who may raise one from an order (the server's rule, so the button is only
// offered to them), and a finding of the checklist in words.
import type { Schemas, WorkOrder } from '../api/client';
import { boundsText } from './checklist';
import { formatNumber } from './format';

export type FollowUpDraft = Schemas['FollowUpDraft'];
export type Finding = Schemas['Finding'];

/**
 * Whoever may work on the order (someone who carries out work and is assigned to it, or a
 * planner) raises a follow-up from it, done or not; a cancelled order takes none.
 */
export function canRaiseFollowUp(
  order: Pick<WorkOrder, 'status' | 'assignees'>,
  me: { userId: string; execute: boolean; manage: boolean },
): boolean {
  if (order.status === 'cancelled' || !me.execute) return false;
  return me.manage || order.assignees.some((a) => a.id === me.userId);
}

/** A reading and its bounds: "4,2 bar (attendu 2 – 3,5 bar)"; a failed check has no value. */
export function findingValue(
  finding: Finding,
  language: string,
  expected: (range: string) => string,
): string | null {
  if (finding.value == null) return null;
  const value = `${formatNumber(finding.value, language)}${finding.unit ? ` ${finding.unit}` : ''}`;
  const bounds = boundsText(finding, language);
  return bounds ? `${value} (${expected(bounds)})` : value;
}
