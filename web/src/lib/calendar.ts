// The maintenance calendar: which days a view shows (and so what to ask `GET /calendar` for),
// moving between periods, how entries look as calendar events (as long as the work is estimated
// to take) and which may be dragged to another day.
import type { CalendarEntry, CalendarPage, WorkOrderStatus } from '../api/client';
import { WORK_ORDER_STATUS_COLOR } from './maintenance';

export type CalendarView = 'month' | 'week' | 'day' | 'list';
export const CALENDAR_VIEWS: readonly CalendarView[] = ['month', 'week', 'day', 'list'];

/** FullCalendar's name of each view (the list shows a week, day by day). */
export const FULLCALENDAR_VIEW: Record<CalendarView, string> = {
  month: 'dayGridMonth',
  week: 'timeGridWeek',
  day: 'timeGridDay',
  list: 'listWeek',
};

function addDays(date: Date, days: number): Date {
  // Local midnights: a day of a daylight-saving change is 23 or 25 hours long.
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** Monday of the week holding `date` (weeks start on Monday, as in France). */
export function startOfWeek(date: Date): Date {
  return addDays(date, -((date.getDay() + 6) % 7));
}

/** "2026-11-23" of a local date. */
export function dayKey(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The local date of "2026-11-23", or null. */
export function parseDayKey(value: string | null | undefined): Date | null {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The days a view shows around `anchor`, from local midnight to local midnight (end excluded):
 * a month is six whole weeks from the Monday on or before its first day (as FullCalendar draws
 * it); a week and the list run Monday to Sunday.
 */
export function visibleRange(view: CalendarView, anchor: Date): { start: Date; end: Date } {
  const day = new Date(anchor.getFullYear(), anchor.getMonth(), anchor.getDate());
  switch (view) {
    case 'day':
      return { start: day, end: addDays(day, 1) };
    case 'week':
    case 'list': {
      const start = startOfWeek(day);
      return { start, end: addDays(start, 7) };
    }
    case 'month': {
      const start = startOfWeek(new Date(day.getFullYear(), day.getMonth(), 1));
      return { start, end: addDays(start, 42) };
    }
  }
}

/** The `from`/`to` of `GET /calendar` for a view. */
export function rangeQuery(view: CalendarView, anchor: Date): { from: string; to: string } {
  const { start, end } = visibleRange(view, anchor);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** The anchor of the previous (-1) or next (1) period; a month moves to the first of a month. */
export function shiftAnchor(view: CalendarView, anchor: Date, step: -1 | 1): Date {
  switch (view) {
    case 'day':
      return addDays(anchor, step);
    case 'week':
    case 'list':
      return addDays(anchor, 7 * step);
    case 'month':
      return new Date(anchor.getFullYear(), anchor.getMonth() + step, 1);
  }
}

/** "novembre 2026", "23 – 29 nov. 2026", "lundi 23 novembre 2026". */
export function rangeTitle(view: CalendarView, anchor: Date, language: string): string {
  if (view === 'month') {
    return new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric' }).format(anchor);
  }
  if (view === 'day') {
    return new Intl.DateTimeFormat(language, { dateStyle: 'full' }).format(anchor);
  }
  const { start, end } = visibleRange(view, anchor);
  return new Intl.DateTimeFormat(language, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).formatRange(start, addDays(end, -1));
}

const DONE: readonly WorkOrderStatus[] = ['completed', 'closed', 'cancelled'];

/** Whether an entry may be moved to another date: a work order not finished yet. */
export function isReschedulable(entry: Pick<CalendarEntry, 'kind' | 'status'>): boolean {
  return entry.kind === 'work_order' && entry.status != null && !DONE.includes(entry.status);
}

/** How long work is drawn in the hour-by-hour views when it has no estimate. */
export const DEFAULT_EVENT_MINUTES = 60;

/** The views drawn hour by hour, where an event is as tall as the work is long. */
export function isTimedView(view: CalendarView): boolean {
  return view === 'week' || view === 'day';
}

/** When the work of an entry ends: its estimated time after it is due (an hour without one). */
export function eventEnd(entry: Pick<CalendarEntry, 'due_at' | 'estimated_minutes'>): string {
  const estimate = entry.estimated_minutes;
  const minutes = estimate != null && estimate > 0 ? estimate : DEFAULT_EVENT_MINUTES;
  return new Date(new Date(entry.due_at).getTime() + minutes * 60_000).toISOString();
}

/** A calendar event as FullCalendar takes it (`EventInput`), built without FullCalendar. */
export interface CalendarEvent {
  id: string;
  title: string;
  start: string;
  /** Only in the hour-by-hour views: a month's or a list's day shows the work once, at its
   * start, however long it lasts. */
  end?: string;
  allDay: false;
  /** Dragging moves the due date; the length of the work is not edited here. */
  startEditable: boolean;
  durationEditable: false;
  classNames: string[];
  backgroundColor: string;
  borderColor: string;
  textColor: string;
  extendedProps: { entry: CalendarEntry };
}

/** The id of an entry's event: its work order, or its plan and occurrence. */
export function eventId(entry: CalendarEntry): string {
  return entry.kind === 'work_order'
    ? `wo:${entry.work_order_id ?? ''}`
    : `fc:${entry.pm_plan_id ?? ''}:${entry.occurrence ?? entry.due_at}`;
}

const color = (name: string, shade: number) => `var(--mantine-color-${name}-${shade})`;

/**
 * An entry as an event: a work order in the colour of its status (overdue ones outlined in
 * red, urgent and high priority marked), draggable when `canReschedule` and not finished; a
 * forecast occurrence as a ghost (dashed, translucent), never draggable. `timed` (the week and
 * day views) draws it as long as its work is estimated to take.
 */
export function toEvent(
  entry: CalendarEntry,
  canReschedule: boolean,
  timed = false,
): CalendarEvent {
  const base = {
    id: eventId(entry),
    start: entry.due_at,
    ...(timed ? { end: eventEnd(entry) } : {}),
    allDay: false as const,
    durationEditable: false as const,
    extendedProps: { entry },
  };
  if (entry.kind !== 'work_order') {
    return {
      ...base,
      title: entry.title,
      startEditable: false,
      classNames: ['cal-event', 'cal-forecast'],
      backgroundColor: 'transparent',
      borderColor: color('gray', 5),
      textColor: color('gray', 7),
    };
  }
  const status = entry.status ?? 'open';
  const statusColor = WORK_ORDER_STATUS_COLOR[status];
  const classNames = ['cal-event', 'cal-order', `cal-priority-${entry.priority}`];
  if (entry.overdue) classNames.push('cal-overdue');
  const draggable = canReschedule && isReschedulable(entry);
  if (draggable) classNames.push('cal-draggable');
  return {
    ...base,
    title: entry.number ? `${entry.number} · ${entry.title}` : entry.title,
    startEditable: draggable,
    classNames,
    backgroundColor: color(statusColor, 1),
    borderColor: entry.overdue ? color('red', 7) : color(statusColor, 6),
    textColor: color(statusColor === 'dark' ? 'dark' : statusColor, 9),
  };
}

export function toEvents(
  entries: readonly CalendarEntry[],
  canReschedule: boolean,
  timed = false,
): CalendarEvent[] {
  return entries.map((entry) => toEvent(entry, canReschedule, timed));
}

/**
 * The calendar with one work order moved to `dueAt` (shown at once, before the server
 * answers), its lateness recomputed, entries kept in due order.
 */
export function withDueAt(
  page: CalendarPage,
  workOrderId: string,
  dueAt: string,
  now: number = Date.now(),
): CalendarPage {
  const items = page.items
    .map((entry) =>
      entry.work_order_id === workOrderId
        ? { ...entry, due_at: dueAt, overdue: new Date(dueAt).getTime() < now }
        : entry,
    )
    .sort((a, b) => new Date(a.due_at).getTime() - new Date(b.due_at).getTime());
  return { ...page, items };
}
