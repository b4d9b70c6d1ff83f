import { describe, expect, it } from 'vitest';

import type { WorkOrder, WorkRequest } from '../api/client';
import en from '../i18n/en';
import fr from '../i18n/fr';
import {
  ACTIVE_STATUSES,
  BOARD_COLUMNS,
  CRITICALITIES,
  EQUIPMENT_STATUSES,
  PRIORITIES,
  PRIORITY_COLOR,
  REQUEST_PROGRESS,
  REQUEST_PROGRESS_COLOR,
  URGENCIES,
  WORK_ORDER_STATUSES,
  WORK_ORDER_STATUS_COLOR,
  actionButtons,
  boardAction,
  boardMove,
  canContribute,
  canExecute,
  formatMinutes,
  isFinal,
  isOverdue,
  locationText,
  mergeHistory,
  minutesBetween,
  parseStatuses,
  priorityForUrgency,
} from './maintenance';

describe('allowed actions → buttons', () => {
  it('shows exactly the allowed actions, the step forward first and cancelling last', () => {
    const buttons = actionButtons(['cancel', 'hold', 'assign', 'complete']);
    expect(buttons.map((b) => b.action)).toEqual(['complete', 'hold', 'assign', 'cancel']);
    expect(buttons.map((b) => b.emphasis)).toEqual(['primary', 'secondary', 'secondary', 'danger']);
  });

  it('asks for what each action needs', () => {
    const kinds = Object.fromEntries(
      actionButtons([
        'assign',
        'start',
        'hold',
        'resume',
        'complete',
        'reopen',
        'close',
        'cancel',
      ]).map((b) => [b.action, b.kind]),
    );
    expect(kinds).toEqual({
      start: 'direct',
      resume: 'direct',
      complete: 'complete',
      close: 'confirm',
      hold: 'reason',
      assign: 'assign',
      reopen: 'reason',
      cancel: 'reason',
    });
  });

  it('offers a technician only "start" on an assigned order, nothing on a closed one', () => {
    expect(actionButtons(['start'])).toEqual([
      { action: 'start', kind: 'direct', emphasis: 'primary' },
    ]);
    expect(actionButtons([])).toEqual([]);
  });

  it('never invents a button: no close without "close", unknown actions left out', () => {
    const actions = actionButtons(['hold', 'complete', 'teleport']).map((b) => b.action);
    expect(actions).toEqual(['complete', 'hold']);
    expect(actions).not.toContain('close');
  });

  it('gives a single primary button (reopen and close: close is the step forward)', () => {
    const buttons = actionButtons(['reopen', 'close']);
    expect(buttons.filter((b) => b.emphasis === 'primary').map((b) => b.action)).toEqual(['close']);
  });
});

describe('who works on an order', () => {
  const order = (status: WorkOrder['status'], allowed: WorkOrder['allowed_actions']) => ({
    status,
    allowed_actions: allowed,
  });

  it('answers the checklist while the work is under way and the server allows an execution step', () => {
    expect(canExecute(order('in_progress', ['hold', 'complete']))).toBe(true);
    expect(canExecute(order('on_hold', ['resume']))).toBe(true);
    expect(canExecute(order('assigned', ['start']))).toBe(false);
    // A planner who is not executing (only assign/cancel) reads it.
    expect(canExecute(order('in_progress', ['assign', 'cancel']))).toBe(false);
    expect(canExecute(order('completed', ['reopen', 'close']))).toBe(false);
  });

  it('lets assignees and planners add time and photos until the order is closed or cancelled', () => {
    const o = { status: 'in_progress' as const, assignees: [{ id: 'tech', full_name: 'T' }] };
    const tech = { userId: 'tech', execute: true, manage: false };
    expect(canContribute(o, tech)).toBe(true);
    expect(canContribute(o, { ...tech, userId: 'other' })).toBe(false);
    expect(canContribute(o, { userId: 'boss', execute: true, manage: true })).toBe(true);
    expect(canContribute(o, { userId: 'tech', execute: false, manage: false })).toBe(false);
    expect(canContribute({ ...o, status: 'closed' }, tech)).toBe(false);
    expect(canContribute({ ...o, status: 'completed' }, tech)).toBe(true);
  });
});

describe('presentation', () => {
  it('has a colour and a label in both languages for every status and priority', () => {
    for (const status of WORK_ORDER_STATUSES) {
      expect(WORK_ORDER_STATUS_COLOR[status]).toBeTruthy();
      expect(fr.woStatus[status]).toBeTruthy();
      expect(en.woStatus[status]).not.toBe(fr.woStatus[status]);
    }
    for (const p of PRIORITIES) expect(PRIORITY_COLOR[p]).toBeTruthy();
    for (const s of EQUIPMENT_STATUSES) expect(en.equipmentStatus[s]).toBeTruthy();
    for (const c of CRITICALITIES) expect(fr.criticality[c]).toBeTruthy();
    for (const u of URGENCIES) expect(fr.urgency[u]).toBeTruthy();
    for (const p of REQUEST_PROGRESS) {
      expect(REQUEST_PROGRESS_COLOR[p]).toBeTruthy();
      expect(fr.requestProgress[p]).toBeTruthy();
      expect(en.requestProgress[p]).toBeTruthy();
    }
  });

  it('orders the board like the life of an order, final states apart', () => {
    expect(BOARD_COLUMNS).toEqual(['open', 'assigned', 'in_progress', 'on_hold', 'completed']);
    expect(ACTIVE_STATUSES.some(isFinal)).toBe(false);
    expect(isFinal('closed') && isFinal('cancelled')).toBe(true);
  });

  it('suggests the priority of a request from its urgency', () => {
    expect(URGENCIES.map(priorityForUrgency)).toEqual(['low', 'normal', 'high', 'urgent']);
  });

  it('writes durations as people say them', () => {
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(95)).toBe('1 h 35');
    expect(formatMinutes(125)).toBe('2 h 05');
    expect(formatMinutes(0)).toBe('0 min');
    expect(formatMinutes(null)).toBe('');
  });

  it('measures periods and flags late work the way the server does', () => {
    expect(minutesBetween('2026-11-05T08:00:00Z', '2026-11-05T14:30:00Z')).toBe(390);
    expect(minutesBetween('2026-11-05T08:00:00Z', null)).toBeNull();
    const now = Date.parse('2026-11-10T00:00:00Z');
    expect(isOverdue({ due_at: '2026-11-09T00:00:00Z', status: 'in_progress' }, now)).toBe(true);
    expect(isOverdue({ due_at: '2026-11-09T00:00:00Z', status: 'completed' }, now)).toBe(false);
    expect(isOverdue({ due_at: '2026-11-11T00:00:00Z', status: 'open' }, now)).toBe(false);
  });

  it('reads statuses from an address, keeping known ones in order', () => {
    expect(parseStatuses('on_hold,open,bogus')).toEqual(['open', 'on_hold']);
    expect(parseStatuses(null)).toEqual([]);
  });

  it('says where equipment stands as precisely as known', () => {
    expect(
      locationText({ site_name: 'Lyon', plant_name: 'Atelier', production_line_name: null }),
    ).toBe('Lyon › Atelier');
  });

  it('merges the maintenance history of equipment, newest first', () => {
    const order = { id: 'o', created_at: '2026-11-02T10:00:00Z' } as WorkOrder;
    const older = { id: 'r1', created_at: '2026-11-01T10:00:00Z' } as WorkRequest;
    const newer = { id: 'r2', created_at: '2026-11-03T10:00:00+01:00' } as WorkRequest;
    expect(mergeHistory([order], [older, newer]).map((e) => e.kind + e.at)).toEqual([
      'request2026-11-03T10:00:00+01:00',
      'order2026-11-02T10:00:00Z',
      'request2026-11-01T10:00:00Z',
    ]);
  });
});

describe('the board: a card dropped on another column', () => {
  const order = (status: WorkOrder['status'], allowed: string[]) =>
    ({ status, allowed_actions: allowed }) as Pick<WorkOrder, 'status' | 'allowed_actions'>;

  it('takes the one action that leads there', () => {
    expect(boardAction('open', 'assigned')).toBe('assign');
    expect(boardAction('assigned', 'in_progress')).toBe('start');
    expect(boardAction('on_hold', 'in_progress')).toBe('resume');
    expect(boardAction('completed', 'in_progress')).toBe('reopen');
    expect(boardAction('in_progress', 'on_hold')).toBe('hold');
    expect(boardAction('in_progress', 'completed')).toBe('complete');
    expect(boardAction('completed', 'closed')).toBe('close');
    expect(boardAction('on_hold', 'cancelled')).toBe('cancel');
  });

  it('refuses what no single action does', () => {
    expect(boardAction('open', 'in_progress')).toBeNull();
    expect(boardAction('assigned', 'completed')).toBeNull();
    expect(boardAction('assigned', 'open')).toBeNull();
    expect(boardAction('in_progress', 'assigned')).toBeNull();
    expect(boardAction('completed', 'cancelled')).toBeNull();
    expect(boardMove(order('open', ['assign', 'cancel']), 'completed')).toEqual({
      kind: 'impossible',
    });
  });

  it('moves only when the server allows the action to the caller now', () => {
    expect(boardMove(order('assigned', ['start', 'assign']), 'in_progress')).toEqual({
      kind: 'action',
      action: 'start',
    });
    expect(boardMove(order('assigned', ['assign', 'cancel']), 'in_progress')).toEqual({
      kind: 'forbidden',
      action: 'start',
    });
    expect(boardMove(order('on_hold', ['resume']), 'on_hold')).toEqual({ kind: 'same' });
  });
});
