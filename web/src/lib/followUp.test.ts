import { describe, expect, it } from 'vitest';

import type { WorkOrderStatus } from '../api/client';
import { canRaiseFollowUp, findingValue, type Finding } from './followUp';

const me = { userId: 'u1', execute: true, manage: false };
const order = (status: WorkOrderStatus, assignees = [{ id: 'u1', full_name: 'Inès' }]) => ({
  status,
  assignees,
});

describe('who may raise a follow-up', () => {
  it('is whoever may work on the order, before and after its completion', () => {
    for (const status of ['assigned', 'in_progress', 'completed', 'closed'] as const) {
      expect(canRaiseFollowUp(order(status), me), status).toBe(true);
    }
  });

  it('is not a technician of someone else’s order, but a planner may', () => {
    const others = order('completed', [{ id: 'u2', full_name: 'Marc' }]);
    expect(canRaiseFollowUp(others, me)).toBe(false);
    expect(canRaiseFollowUp(others, { ...me, manage: true })).toBe(true);
  });

  it('is nobody on a cancelled order, nor someone who does no work', () => {
    expect(canRaiseFollowUp(order('cancelled'), { ...me, manage: true })).toBe(false);
    expect(canRaiseFollowUp(order('assigned'), { ...me, execute: false })).toBe(false);
  });
});

describe('a finding in words', () => {
  const finding: Finding = {
    item_id: 'i1',
    label: 'Pression de dosage',
    kind: 'above_max',
    value: 4.2,
    unit: 'bar',
    min_value: 2,
    max_value: 3.5,
  };
  const expected = (range: string) => `attendu ${range}`;

  it('gives the reading and its bounds', () => {
    expect(findingValue(finding, 'fr', expected)).toBe('4,2 bar (attendu 2 – 3,5 bar)');
    expect(findingValue({ ...finding, min_value: null }, 'en', expected)).toBe(
      '4.2 bar (attendu ≤ 3.5 bar)',
    );
  });

  it('gives nothing for a failed check, which has no reading', () => {
    expect(findingValue({ ...finding, kind: 'failed', value: null }, 'fr', expected)).toBeNull();
  });
});
