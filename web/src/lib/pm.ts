// Preventive plans as the interface presents them: the rule in words, the editor's trigger fields
// ⇄ the API's `trigger`, where the server's `trigger.*` errors belong, plans' states, the colour
// of their compliance, and the coming due dates with the skipped ones among them.
import type { i18n as I18n } from 'i18next';

import type {
  ChecklistTemplate,
  Occurrence,
  PlanRequest,
  PlanTrigger,
  PmPlan,
  Priority,
  RecurrenceUnit,
  ScheduleMode,
  Schemas,
  SkippedOccurrence,
  Weekday,
} from '../api/client';
import type { FieldProblem } from '../api/errors';
import { parseDecimal, type ChecklistDraft } from './checklist';
import { formatNumber } from './format';
import { checkName, checkOptionalText } from './validation';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const UNITS: readonly RecurrenceUnit[] = ['day', 'week', 'month', 'year'];
export type TriggerKind = PlanTrigger['kind'];
export const TRIGGER_KINDS: readonly TriggerKind[] = ['calendar', 'meter', 'calendar_or_meter'];
export const SCHEDULE_MODES: readonly ScheduleMode[] = ['fixed', 'floating'];

/** Limits of the server (crates/domain/src/recurrence.rs, routes/pm_plans.rs). */
export const EVERY_MAX = 1000;
export const LEAD_TIME_MAX = 365;

/** "lun." / "Mon": short weekday names in the reader's language (1 January 2024 was a Monday). */
export function weekdayName(day: Weekday, language: string, style: 'short' | 'long' = 'short') {
  const date = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day)));
  return new Intl.DateTimeFormat(language, { weekday: style, timeZone: 'UTC' }).format(date);
}

function listOf(items: string[], language: string): string {
  return new Intl.ListFormat(language, { style: 'long', type: 'conjunction' }).format(items);
}

/** "1er" / "1st", "15" / "15th": a day of the month as a date reads it. */
function ordinalDay(i18n: I18n, day: number): string {
  const category = new Intl.PluralRules(i18n.language, { type: 'ordinal' }).select(day);
  const key = `pm.rule.ordinal.${category}`;
  return i18n.exists(key) ? i18n.t(key, { n: day }) : i18n.t('pm.rule.ordinal.other', { n: day });
}

function monthName(month: number, language: string): string {
  return new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, month - 1, 1)),
  );
}

/** A calendar date of the API ("2026-03-01") as its parts. */
function dayParts(value: string | null | undefined): { y: number; m: number; d: number } | null {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return match ? { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) } : null;
}

/** Units that are feminine in French ("toutes les 500 h"); others are masculine (cycles, km). */
const FEMININE_UNITS = new Set([
  'h',
  'heure',
  'heures',
  'hr',
  'hrs',
  'min',
  'minutes',
  'pièces',
  'tonnes',
  't',
]);

export interface RuleContext {
  /** The meter's unit ("h", "cycles"), when the trigger counts one. */
  meterUnit?: string | null;
  /** The plan's first day: the weekday, day or date a rule without them falls on. */
  startsOn?: string | null;
  /** A floating schedule counts from the last completion: no fixed weekday or day. */
  scheduleMode?: ScheduleMode;
}

interface CalendarPart {
  every: number;
  unit: RecurrenceUnit;
  weekdays?: Weekday[] | null;
  day_of_month?: number | null;
}

const WORKING_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

function calendarWords(i18n: I18n, rule: CalendarPart, context: RuleContext): string {
  const n = formatNumber(rule.every, i18n.language);
  const calendar = i18n.t(`pm.rule.${rule.unit}`, { count: rule.every, n });
  if (context.scheduleMode === 'floating') return calendar;
  const start = dayParts(context.startsOn);
  if (rule.unit === 'week') {
    let days = (rule.weekdays ?? []).filter((d) => WEEKDAYS.includes(d));
    if (days.length === 0 && start) {
      const weekday = (new Date(Date.UTC(start.y, start.m - 1, start.d)).getUTCDay() + 6) % 7;
      days = [WEEKDAYS[weekday] ?? 'mon'];
    }
    if (days.length === 0) return calendar;
    const sorted = WEEKDAYS.filter((d) => days.includes(d));
    if (sorted.length === WORKING_DAYS.length && WORKING_DAYS.every((d) => sorted.includes(d))) {
      return i18n.t('pm.rule.onWorkingDays', { calendar });
    }
    const names = sorted.map((d) =>
      i18n.t('pm.rule.weekdayItem', { day: weekdayName(d, i18n.language, 'long') }),
    );
    return i18n.t('pm.rule.onDays', { calendar, days: listOf(names, i18n.language) });
  }
  if (rule.unit === 'month' || rule.unit === 'year') {
    const day = rule.day_of_month ?? start?.d ?? null;
    if (day === null) return calendar;
    if (rule.unit === 'year' && start) {
      const length = new Date(Date.UTC(2000, start.m, 0)).getUTCDate();
      return i18n.t('pm.rule.onDate', {
        calendar,
        day: ordinalDay(i18n, Math.min(day, length)),
        month: monthName(start.m, i18n.language),
      });
    }
    if (rule.unit === 'month' && day >= 31) return i18n.t('pm.rule.onLastDay', { calendar });
    return i18n.t('pm.rule.onDayOfMonth', { calendar, day: ordinalDay(i18n, day) });
  }
  return calendar;
}

function meterAmount(i18n: I18n, everyUnits: number, unit: string | null | undefined): string {
  const value = formatNumber(everyUnits, i18n.language);
  return unit ? `${value} ${unit}` : value;
}

/**
 * The rule of a plan in words: "Toutes les 2 semaines, le lundi et le jeudi", "Every 500 h",
 * "Tous les 3 mois ou toutes les 1 500 h, au premier atteint".
 */
export function ruleInWords(i18n: I18n, trigger: PlanTrigger, context: RuleContext = {}): string {
  const feminine = FEMININE_UNITS.has((context.meterUnit ?? '').trim().toLowerCase());
  if (trigger.kind === 'meter') {
    const amount = meterAmount(i18n, trigger.every_units, context.meterUnit);
    return i18n.t(feminine ? 'pm.rule.meterFeminine' : 'pm.rule.meter', { amount });
  }
  const calendar = calendarWords(i18n, trigger, context);
  if (trigger.kind === 'calendar') return calendar;
  const amount = meterAmount(i18n, trigger.every_units, context.meterUnit);
  const meter = i18n.t(feminine ? 'pm.rule.orMeterFeminine' : 'pm.rule.orMeter', { amount });
  return i18n.t('pm.rule.calendarOrMeter', { calendar, meter });
}

// ---- The editor's trigger fields.

/** The trigger as the editor's inputs hold it (numbers may be strings being typed). */
export interface TriggerDraft {
  kind: TriggerKind;
  every: number | string;
  unit: RecurrenceUnit;
  weekdays: Weekday[];
  /** Blank: the day the plan starts on. */
  day_of_month: number | string;
  meter_id: string | null;
  every_units: number | string;
}

export type TriggerField = 'every' | 'weekdays' | 'day_of_month' | 'meter_id' | 'every_units';

export function emptyTrigger(): TriggerDraft {
  return {
    kind: 'calendar',
    every: 1,
    unit: 'month',
    weekdays: [],
    day_of_month: '',
    meter_id: null,
    every_units: '',
  };
}

/** The editor's fields for a plan's trigger. */
export function triggerToDraft(trigger: PlanTrigger): TriggerDraft {
  const draft = emptyTrigger();
  draft.kind = trigger.kind;
  if (trigger.kind !== 'meter') {
    draft.every = trigger.every;
    draft.unit = trigger.unit;
    draft.weekdays = trigger.weekdays ?? [];
    draft.day_of_month = trigger.day_of_month ?? '';
  }
  if (trigger.kind !== 'calendar') {
    draft.meter_id = trigger.meter_id;
    draft.every_units = trigger.every_units;
  }
  return draft;
}

/**
 * The API's `trigger` from the editor's fields, or the problems that keep it from being sent.
 * Fields that do not apply to the chosen unit (weekdays of a monthly rule) are left out, so the
 * server never sees them.
 */
export function draftToTrigger(
  draft: TriggerDraft,
): { trigger: PlanTrigger } | { problems: Partial<Record<TriggerField, FieldProblem>> } {
  const problems: Partial<Record<TriggerField, FieldProblem>> = {};
  const calendar = draft.kind !== 'meter';
  const meter = draft.kind !== 'calendar';

  let every = 0;
  let dayOfMonth: number | null = null;
  if (calendar) {
    const value = parseDecimal(draft.every);
    if (value === null) problems.every = { code: 'required' };
    else if (Number.isNaN(value)) problems.every = { code: 'invalid_number' };
    else if (!Number.isInteger(value) || value < 1 || value > EVERY_MAX) {
      problems.every = { code: 'out_of_range', min: 1, max: EVERY_MAX };
    } else every = value;
    if (draft.unit === 'month' || draft.unit === 'year') {
      const day = parseDecimal(draft.day_of_month);
      if (day !== null) {
        if (Number.isNaN(day)) problems.day_of_month = { code: 'invalid_number' };
        else if (!Number.isInteger(day) || day < 1 || day > 31) {
          problems.day_of_month = { code: 'out_of_range', min: 1, max: 31 };
        } else dayOfMonth = day;
      }
    }
  }
  let everyUnits = 0;
  if (meter) {
    if (!draft.meter_id) problems.meter_id = { code: 'required' };
    const value = parseDecimal(draft.every_units);
    if (value === null) problems.every_units = { code: 'required' };
    else if (Number.isNaN(value)) problems.every_units = { code: 'invalid_number' };
    else if (value <= 0) problems.every_units = { code: 'out_of_range', min: 0 };
    else everyUnits = value;
  }
  if (Object.keys(problems).length > 0) return { problems };

  const weekdays =
    draft.unit === 'week' && draft.weekdays.length > 0
      ? WEEKDAYS.filter((d) => draft.weekdays.includes(d))
      : null;
  const rule = { every, unit: draft.unit, weekdays, day_of_month: dayOfMonth };
  if (draft.kind === 'calendar') return { trigger: { kind: 'calendar', ...rule } };
  const meterId = draft.meter_id ?? '';
  if (draft.kind === 'meter') {
    return { trigger: { kind: 'meter', meter_id: meterId, every_units: everyUnits } };
  }
  return {
    trigger: { kind: 'calendar_or_meter', ...rule, meter_id: meterId, every_units: everyUnits },
  };
}

const TRIGGER_FIELDS: readonly TriggerField[] = [
  'every',
  'weekdays',
  'day_of_month',
  'meter_id',
  'every_units',
];

/** Where a plain `trigger` error goes, by its code (anything else: the interval). */
const TRIGGER_FIELD_OF_CODE: Partial<Record<string, TriggerField>> = {
  unknown_meter: 'meter_id',
  weekdays_need_weekly_rule: 'weekdays',
  day_of_month_needs_monthly_rule: 'day_of_month',
};

/**
 * The editor's field of a server error on the trigger: the server names the part
 * (`trigger.every`, `trigger.meter_id`…); an error on the plain `trigger` is placed by its code.
 */
export function triggerFieldOf(name: string, problem: FieldProblem): TriggerField {
  const part = name.startsWith('trigger.') ? name.slice('trigger.'.length) : '';
  const named = TRIGGER_FIELDS.find((field) => field === part);
  return named ?? TRIGGER_FIELD_OF_CODE[problem.code] ?? 'every';
}

// ---- Plans at a glance.

export type PlanState = 'active' | 'paused' | 'archived';

export function planState(plan: Pick<PmPlan, 'active' | 'archived_at'>): PlanState {
  if (plan.archived_at) return 'archived';
  return plan.active ? 'active' : 'paused';
}

export const PLAN_STATE_COLOR: Record<PlanState, string> = {
  active: 'teal',
  paused: 'orange',
  archived: 'gray',
};

/** Compliance at or above this is good (green); below the second, poor (red). */
export const COMPLIANCE_GOOD = 0.9;
export const COMPLIANCE_FAIR = 0.7;

/** The colour of a compliance rate (0 to 1); grey when there is no history yet. */
export function complianceColor(compliance: number | null | undefined): string {
  if (compliance == null || !Number.isFinite(compliance)) return 'gray';
  if (compliance >= COMPLIANCE_GOOD) return 'teal';
  if (compliance >= COMPLIANCE_FAIR) return 'orange';
  return 'red';
}

/** "92 %" / "92%", or "—" without history. */
export function formatCompliance(compliance: number | null | undefined, language: string): string {
  if (compliance == null || !Number.isFinite(compliance)) return '—';
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(
    compliance,
  );
}

/** "lun. 15 juin 2026, 08:00": a due date with its weekday, as schedules are read. */
export function formatOccurrence(value: string, language: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

/** A calendar day (YYYY-MM-DD) `days` after today, in the reader's calendar. */
export function dayFromToday(days: number, now: Date = new Date()): string {
  const date = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "lun. 23 nov. 2026": a calendar day (YYYY-MM-DD) with its weekday. */
export function formatDueDay(day: string, language: string): string {
  const parts = dayParts(day);
  if (!parts) return day;
  return new Intl.DateTimeFormat(language, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(parts.y, parts.m - 1, parts.d)));
}

/** The threshold a meter occurrence is named by (`meter:1500` → 1500), or null. */
export function meterThreshold(occurrence: string): number | null {
  const match = /^meter:(.+)$/.exec(occurrence);
  const value = match ? Number(match[1]) : Number.NaN;
  return Number.isFinite(value) ? value : null;
}

/** A line of a plan's coming due dates: an occurrence still coming, or one skipped on purpose. */
export type ForecastRow =
  | { kind: 'coming'; occurrence: string; item: Occurrence }
  | { kind: 'skipped'; occurrence: string; item: SkippedOccurrence };

/**
 * Where a line falls in time. A skip knows only its day (in the site's time zone): noon UTC of
 * that day, which stays between the day before and the day after at 08:00 in any zone.
 */
function rowTime(row: ForecastRow): number {
  if (row.kind === 'coming') return new Date(row.item.due_at).getTime();
  const day = dayParts(row.item.due_on);
  return day ? Date.UTC(day.y, day.m - 1, day.d, 12) : Number.POSITIVE_INFINITY;
}

/**
 * A plan's coming due dates with its skipped ones among them, in date order: the forecast, and
 * the skips due from `from` to `until` (days, YYYY-MM-DD), those without a day last. An
 * occurrence still in the forecast (not yet refreshed after a skip) shows once, as skipped.
 */
export function forecastRows(
  coming: readonly Occurrence[],
  skipped: readonly SkippedOccurrence[],
  from: string,
  until: string,
): ForecastRow[] {
  const skips = skipped.filter((s) => !s.due_on || (s.due_on >= from && s.due_on <= until));
  const names = new Set(skipped.map((s) => s.occurrence));
  const rows: ForecastRow[] = [
    ...coming
      .filter((o) => !names.has(o.occurrence))
      .map((item) => ({ kind: 'coming' as const, occurrence: item.occurrence, item })),
    ...skips.map((item) => ({ kind: 'skipped' as const, occurrence: item.occurrence, item })),
  ];
  return rows
    .map((row) => ({ row, time: rowTime(row) }))
    .sort((a, b) => (a.time === b.time ? 0 : a.time < b.time ? -1 : 1))
    .map(({ row }) => row);
}

// ---- The whole editor: its values ⇄ the API's plan, checked with the server's rules.

/** Limits of the server (routes/pm_plans.rs). */
export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const ESTIMATE_MAX = 100_000;
export const DEFAULT_LEAD_TIME = 7;

/** The editor's values: the plan's fields and its trigger's, flat, as the inputs hold them. */
export interface PlanValues extends TriggerDraft {
  equipment_id: string | null;
  title: string;
  description: string;
  priority: Priority;
  estimated_minutes: number | string;
  assignee_ids: string[];
  /** YYYY-MM-DD. */
  starts_on: string | null;
  ends_on: string | null;
  lead_time_days: number | string;
  schedule_mode: ScheduleMode;
  /**
   * The first occurrence may fall due from the start date, within the lead time (so its order
   * may come late); otherwise none falls due before the lead time has passed.
   */
  first_from_start: boolean;
}

export type PlanField = keyof PlanValues;

export function emptyPlanValues(equipmentId: string | null, today: string): PlanValues {
  return {
    ...emptyTrigger(),
    equipment_id: equipmentId,
    title: '',
    description: '',
    priority: 'normal',
    estimated_minutes: '',
    assignee_ids: [],
    starts_on: today,
    ends_on: null,
    lead_time_days: DEFAULT_LEAD_TIME,
    schedule_mode: 'fixed',
    first_from_start: false,
  };
}

export function planToValues(plan: PmPlan): PlanValues {
  return {
    ...triggerToDraft(plan.trigger),
    equipment_id: plan.equipment_id,
    title: plan.title,
    description: plan.description ?? '',
    priority: plan.priority,
    estimated_minutes: plan.estimated_minutes ?? '',
    assignee_ids: plan.assignee_ids,
    starts_on: plan.starts_on,
    ends_on: plan.ends_on ?? null,
    lead_time_days: plan.lead_time_days,
    schedule_mode: plan.schedule_mode,
    first_from_start: false,
  };
}

/** A plan's checklist as the builder edits it. */
export function templateToDraft(item: ChecklistTemplate): ChecklistDraft {
  return {
    label: item.label,
    kind: item.kind,
    required: item.required,
    unit: item.unit ?? '',
    min: item.min_value ?? '',
    max: item.max_value ?? '',
  };
}

function wholeNumber(
  raw: number | string,
  min: number,
  max: number,
): { value: number | null } | { problem: FieldProblem } {
  const value = parseDecimal(raw);
  if (value === null) return { value: null };
  if (Number.isNaN(value)) return { problem: { code: 'invalid_number' } };
  if (!Number.isInteger(value) || value < min || value > max) {
    return { problem: { code: 'out_of_range', min, max } };
  }
  return { value };
}

/**
 * The API's plan from the editor's values (without its checklist), or every problem by field,
 * with the server's rules. `scheduleOnly` checks only what a preview needs (not the title,
 * description or estimate).
 */
export function valuesToRequest(
  values: PlanValues,
  scheduleOnly = false,
): { request: PlanRequest } | { problems: Partial<Record<PlanField, FieldProblem>> } {
  const problems: Partial<Record<PlanField, FieldProblem>> = {};
  if (!values.equipment_id) problems.equipment_id = { code: 'required' };
  if (!scheduleOnly) {
    const title = checkName(values.title, TITLE_MAX);
    if (title) problems.title = title;
    const description = checkOptionalText(values.description, DESCRIPTION_MAX);
    if (description) problems.description = description;
  }
  const estimate = wholeNumber(values.estimated_minutes, 1, ESTIMATE_MAX);
  if ('problem' in estimate && !scheduleOnly) problems.estimated_minutes = estimate.problem;
  const lead = wholeNumber(values.lead_time_days, 0, LEAD_TIME_MAX);
  if ('problem' in lead) problems.lead_time_days = lead.problem;
  if (!values.starts_on) problems.starts_on = { code: 'required' };
  else if (values.ends_on && values.ends_on < values.starts_on) {
    problems.ends_on = { code: 'before_start' };
  }
  const trigger = draftToTrigger(values);
  if ('problems' in trigger) Object.assign(problems, trigger.problems);
  if (Object.keys(problems).length > 0 || 'problems' in trigger) return { problems };

  const description = values.description.trim();
  const request: PlanRequest = {
    equipment_id: values.equipment_id ?? '',
    title: values.title.trim(),
    description: description === '' ? null : description,
    estimated_minutes: 'value' in estimate ? estimate.value : null,
    assignee_ids: values.assignee_ids,
    priority: values.priority,
    starts_on: values.starts_on ?? '',
    ends_on: values.ends_on || null,
    lead_time_days: 'value' in lead && lead.value !== null ? lead.value : DEFAULT_LEAD_TIME,
    trigger: trigger.trigger,
    schedule_mode: values.schedule_mode,
    first_occurrence: values.first_from_start ? 'from_start' : 'after_lead_time',
  };
  return { request };
}

/**
 * What `POST /pm-plans/preview` needs to list the coming occurrences: the schedule alone (a
 * title stands in until one is typed; assignees and checklist change nothing to the dates).
 * Null while the schedule has problems.
 */
export function previewBody(
  values: PlanValues,
  placeholderTitle: string,
  until: string,
): Schemas['PreviewRequest'] | null {
  const built = valuesToRequest(values, true);
  if ('problems' in built) return null;
  const { request } = built;
  const title = checkName(values.title, TITLE_MAX) ? placeholderTitle : request.title;
  return {
    equipment_id: request.equipment_id,
    title,
    starts_on: request.starts_on,
    ends_on: request.ends_on ?? null,
    lead_time_days: request.lead_time_days ?? DEFAULT_LEAD_TIME,
    trigger: request.trigger,
    schedule_mode: request.schedule_mode ?? 'fixed',
    first_occurrence: request.first_occurrence ?? 'after_lead_time',
    until,
  };
}

/** The editor's field a server error is about (`trigger.every` → `every`, `checklist[2]`…). */
export function editorFieldOf(name: string, problem: FieldProblem): string {
  if (name === 'trigger' || name.startsWith('trigger.')) return triggerFieldOf(name, problem);
  if (name.startsWith('checklist')) return 'checklist';
  return name;
}
