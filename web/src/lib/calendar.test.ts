import { describe, expect, it } from 'vitest';

import type { CalendarEntry, CalendarPage } from '../api/client';
import {
  DEFAULT_EVENT_MINUTES,
  dayKey,
  eventEnd,
  eventId,
  isTimedView,
  isReschedulable,
  parseDayKey,
  rangeQuery,
  shiftAnchor,
  toEvent,
  toEvents,
  visibleRange,
  withDueAt,
} from './calendar';

const order = (changes: Partial<CalendarEntry> = {}): CalendarEntry => ({
  kind: 'work_order',
  due_at: '2026-11-24T07:00:00Z',
  title: 'Graissage hebdomadaire du tour',
  equipment_id: 'e1',
  equipment_code: 'TOUR-CN-01',
  equipment_name: 'Tour CN',
  site_id: 's1',
  priority: 'normal',
  type: 'preventive',
  assignees: [],
  estimated_minutes: 90,
  work_order_id: 'wo-1',
  number: 'BT-2026-00042',
  status: 'assigned',
  overdue: false,
  pm_plan_id: 'plan-1',
  occurrence: null,
  ...changes,
});

const forecast = (changes: Partial<CalendarEntry> = {}): CalendarEntry =>
  order({
    kind: 'forecast',
    work_order_id: null,
    number: null,
    status: null,
    occurrence: 'cal:2026-12-01',
    due_at: '2026-12-01T07:00:00Z',
    ...changes,
  });

describe('which calendar entries may be dragged', () => {
  it('lets planners move work orders not finished yet', () => {
    for (const status of ['open', 'assigned', 'in_progress', 'on_hold'] as const) {
      expect(isReschedulable(order({ status })), status).toBe(true);
      expect(toEvent(order({ status }), true).startEditable, status).toBe(true);
    }
  });

  it('never moves finished orders, forecasts, or anything for those who may not reschedule', () => {
    for (const status of ['completed', 'closed', 'cancelled'] as const) {
      expect(isReschedulable(order({ status })), status).toBe(false);
      expect(toEvent(order({ status }), true).startEditable, status).toBe(false);
    }
    expect(isReschedulable(forecast())).toBe(false);
    expect(toEvent(forecast(), true).startEditable).toBe(false);
    expect(toEvents([order(), forecast()], false).map((e) => e.startEditable)).toEqual([
      false,
      false,
    ]);
  });

  it('never lets the length of the work be dragged', () => {
    expect(toEvent(order(), true).durationEditable).toBe(false);
  });
});

describe('calendar entries as events', () => {
  it('shows a work order with its number, in the colour of its status', () => {
    const event = toEvent(order(), true);
    expect(event).toMatchObject({
      id: 'wo:wo-1',
      title: 'BT-2026-00042 · Graissage hebdomadaire du tour',
      start: '2026-11-24T07:00:00Z',
      allDay: false,
      backgroundColor: 'var(--mantine-color-indigo-1)',
      borderColor: 'var(--mantine-color-indigo-6)',
    });
    expect(event.classNames).toEqual([
      'cal-event',
      'cal-order',
      'cal-priority-normal',
      'cal-draggable',
    ]);
    expect(event.extendedProps.entry.number).toBe('BT-2026-00042');
  });

  it('outlines overdue orders in red and marks their priority', () => {
    const event = toEvent(order({ overdue: true, priority: 'urgent', status: 'open' }), false);
    expect(event.borderColor).toBe('var(--mantine-color-red-7)');
    expect(event.classNames).toContain('cal-overdue');
    expect(event.classNames).toContain('cal-priority-urgent');
    expect(event.classNames).not.toContain('cal-draggable');
  });

  it('shows forecasts as ghosts, named by their plan and occurrence', () => {
    const event = toEvent(forecast(), true);
    expect(event.id).toBe('fc:plan-1:cal:2026-12-01');
    expect(event.title).toBe('Graissage hebdomadaire du tour');
    expect(event.classNames).toEqual(['cal-event', 'cal-forecast']);
    expect(event.backgroundColor).toBe('transparent');
    expect(eventId(forecast({ occurrence: 'meter:1500' }))).toBe('fc:plan-1:meter:1500');
  });
});

describe('how long an event is drawn', () => {
  it('lasts the estimated time of the work in the week and day views', () => {
    expect(eventEnd(order())).toBe('2026-11-24T08:30:00.000Z');
    expect(toEvent(order(), true, true)).toMatchObject({
      start: '2026-11-24T07:00:00Z',
      end: '2026-11-24T08:30:00.000Z',
    });
    expect(toEvent(forecast({ estimated_minutes: 240 }), false, true).end).toBe(
      '2026-12-01T11:00:00.000Z',
    );
    expect(toEvents([order()], true, true)[0]?.end).toBe('2026-11-24T08:30:00.000Z');
  });

  it('lasts an hour when the work is not estimated', () => {
    expect(DEFAULT_EVENT_MINUTES).toBe(60);
    expect(eventEnd(order({ estimated_minutes: null }))).toBe('2026-11-24T08:00:00.000Z');
    expect(eventEnd(order({ estimated_minutes: undefined }))).toBe('2026-11-24T08:00:00.000Z');
    expect(eventEnd(order({ estimated_minutes: 0 }))).toBe('2026-11-24T08:00:00.000Z');
  });

  it('has no end in the month and the list, where a day shows the work once', () => {
    expect(toEvent(order(), true)).not.toHaveProperty('end');
    expect(toEvents([order()], true, isTimedView('month'))[0]).not.toHaveProperty('end');
    expect(isTimedView('list')).toBe(false);
    expect(isTimedView('week')).toBe(true);
    expect(isTimedView('day')).toBe(true);
  });
});

describe('the days a view shows', () => {
  it('shows six whole weeks from the Monday on or before the first of the month', () => {
    // 1 November 2026 is a Sunday.
    const { start, end } = visibleRange('month', new Date(2026, 10, 17));
    expect(dayKey(start)).toBe('2026-10-26');
    expect(dayKey(end)).toBe('2026-12-07');
  });

  it('runs weeks from Monday to Sunday, and a day from midnight to midnight', () => {
    const week = visibleRange('week', new Date(2026, 10, 29, 15));
    expect([dayKey(week.start), dayKey(week.end)]).toEqual(['2026-11-23', '2026-11-30']);
    const day = visibleRange('day', new Date(2026, 2, 29, 15));
    expect([dayKey(day.start), dayKey(day.end)]).toEqual(['2026-03-29', '2026-03-30']);
    expect(visibleRange('list', new Date(2026, 10, 23)).start).toEqual(week.start);
  });

  it('asks the API for that window as instants', () => {
    const { from, to } = rangeQuery('week', new Date(2026, 10, 25));
    expect(new Date(from).getTime()).toBe(new Date(2026, 10, 23).getTime());
    expect(new Date(to).getTime()).toBe(new Date(2026, 10, 30).getTime());
  });

  it('moves by a period; a month goes to the first of the next one', () => {
    expect(dayKey(shiftAnchor('month', new Date(2026, 0, 31), 1))).toBe('2026-02-01');
    expect(dayKey(shiftAnchor('month', new Date(2026, 0, 31), -1))).toBe('2025-12-01');
    expect(dayKey(shiftAnchor('week', new Date(2026, 11, 28), 1))).toBe('2027-01-04');
    expect(dayKey(shiftAnchor('day', new Date(2026, 1, 28), 1))).toBe('2026-03-01');
  });

  it('reads and writes the day in the address', () => {
    expect(parseDayKey('2026-11-23')?.getDate()).toBe(23);
    expect(parseDayKey('23/11/2026')).toBeNull();
    expect(parseDayKey(null)).toBeNull();
  });
});

describe('a dropped order', () => {
  it('moves at once, in due order, its lateness recomputed', () => {
    const page: CalendarPage = {
      items: [
        order({ work_order_id: 'a', due_at: '2026-11-20T07:00:00Z', overdue: true }),
        order({ work_order_id: 'b', due_at: '2026-11-24T07:00:00Z' }),
      ],
      total: 2,
      page: 1,
      per_page: 2,
    };
    const now = new Date('2026-11-21T00:00:00Z').getTime();
    const moved = withDueAt(page, 'a', '2026-11-26T07:00:00Z', now);
    expect(moved.items.map((i) => [i.work_order_id, i.overdue])).toEqual([
      ['b', false],
      ['a', false],
    ]);
    expect(page.items[0]?.due_at).toBe('2026-11-20T07:00:00Z');
  });
});
