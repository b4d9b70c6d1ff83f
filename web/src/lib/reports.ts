// Scheduled KPI reports (`/report-schedules`): when one goes out in words, the period it covers,
// the editor's values and the request they make, and where the server's refusals belong.
import type { i18n as I18n } from 'i18next';

import type { Schemas } from '../api/client';
import { ApiError, type FieldProblem } from '../api/errors';
import { errorMessage, fieldMessage, formErrors } from '../i18n/messages';
import { KPI_CRITICALITIES, type KpiCriticality } from './kpis';
import { WEEKDAYS, weekdayName } from './pm';
import { checkEmail, checkName, type Problem } from './validation';

export type ReportSchedule = Schemas['ReportSchedule'];
export type ReportScheduleRequest = Schemas['ReportScheduleRequest'];
export type ReportDelivery = Schemas['ReportDelivery'];
export type ReportFrequency = Schemas['ReportFrequency'];
export type FrequencyKind = Schemas['FrequencyKind'];
export type ReportIndicator = Schemas['ReportIndicator'];
export type ReportFormat = Schemas['ReportFormat'];
export type ReportLanguage = Schemas['ReportLanguage'];
export type DeliveryOutcome = Schemas['DeliveryOutcome'];
export type MailStatus = Schemas['MailStatus'];

export const FREQUENCY_KINDS: readonly FrequencyKind[] = ['daily', 'weekly', 'monthly'];
/** In the order the report shows them (and the API lists them). */
export const REPORT_INDICATORS: readonly ReportIndicator[] = [
  'mtbf',
  'mttr',
  'availability',
  'pm_compliance',
  'planned_work',
  'backlog',
  'cost',
  'failures',
  'labour',
  'requests',
];
export const REPORT_FORMATS: readonly ReportFormat[] = ['pdf', 'xlsx', 'csv'];
export const REPORT_LANGUAGES: readonly ReportLanguage[] = ['fr', 'en'];
/** ISO weekdays, Monday first, as the API numbers them. */
export const ISO_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
/** Days of the month a monthly report may go out on: every month has them. */
export const MONTH_DAYS = Array.from({ length: 28 }, (_, i) => i + 1);

/** Limits of the server (routes/reports.rs). */
export const REPORT_NAME_MAX = 120;
export const MAX_RECIPIENTS = 50;

export const OUTCOME_COLOR: Record<DeliveryOutcome, string> = {
  preparing: 'blue',
  sending: 'indigo',
  sent: 'teal',
  failed: 'red',
  no_recipients: 'orange',
};

export const MAIL_STATUS_COLOR: Record<MailStatus, string> = {
  pending: 'gray',
  sending: 'blue',
  sent: 'teal',
  failed: 'red',
};

/** Whether the log still changes on its own (the worker prepares, then mails). */
export function deliveryInProgress(delivery: ReportDelivery): boolean {
  return (
    delivery.outcome === 'preparing' ||
    delivery.outcome === 'sending' ||
    delivery.mails.some((mail) => mail.status === 'pending' || mail.status === 'sending')
  );
}

// ---- In words.

/** A day of the month as an ordinal: "1er", "2" in French; "1st", "2nd", "23rd" in English. */
export function ordinalDay(day: number, language: string): string {
  if (language.startsWith('fr')) return day === 1 ? '1er' : String(day);
  const suffixes: Record<Intl.LDMLPluralRule, string> = {
    zero: 'th',
    one: 'st',
    two: 'nd',
    few: 'rd',
    many: 'th',
    other: 'th',
  };
  return `${day}${suffixes[new Intl.PluralRules('en', { type: 'ordinal' }).select(day)]}`;
}

/** An ISO weekday (1 Monday … 7 Sunday) in full: "lundi", "Monday". */
export function isoWeekdayName(weekday: number, language: string): string {
  const day = WEEKDAYS[weekday - 1] ?? 'mon';
  return weekdayName(day, language, 'long');
}

/**
 * When a report goes out: "Chaque lundi à 07:00", "Le 1er de chaque mois à 07:00", "Chaque
 * jour à 07:00", followed by its time zone when given ("… (Europe/Paris)").
 */
export function scheduleSentence(
  i18n: I18n,
  frequency: ReportFrequency,
  time: string,
  timeZone?: string | null,
): string {
  const language = i18n.language;
  let sentence: string;
  switch (frequency.kind) {
    case 'daily':
      sentence = i18n.t('reports.when.daily', { time });
      break;
    case 'weekly':
      sentence = i18n.t('reports.when.weekly', {
        time,
        weekday: isoWeekdayName(frequency.weekday ?? 1, language),
      });
      break;
    case 'monthly':
      sentence = i18n.t('reports.when.monthly', {
        time,
        day: ordinalDay(frequency.day ?? 1, language),
      });
      break;
  }
  return timeZone ? i18n.t('reports.when.zone', { sentence, zone: timeZone }) : sentence;
}

/** A day in a time zone ("1 nov. 2026"); the browser's zone if the name is unknown. */
function dayIn(instant: Date, timeZone: string, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone }).format(instant);
  } catch {
    return new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(instant);
  }
}

/**
 * The days a report covers, `[start, end)` read in the schedule's zone: "du 1 oct. 2026 au
 * 31 oct. 2026", or one day ("3 déc. 2026") for a daily report.
 */
export function periodLabel(i18n: I18n, start: string, end: string, timeZone: string): string {
  const first = new Date(start);
  // The end is the midnight after the last day: a millisecond before it is that day.
  const last = new Date(new Date(end).getTime() - 1);
  if (Number.isNaN(first.getTime()) || Number.isNaN(last.getTime())) return '';
  const from = dayIn(first, timeZone, i18n.language);
  const to = dayIn(last, timeZone, i18n.language);
  return from === to ? from : i18n.t('reports.period', { from, to });
}

/** How many people a report goes to (outside addresses that unsubscribed excluded). */
export function recipientCount(schedule: ReportSchedule): number {
  const gone = new Set(schedule.unsubscribed.map((email) => email.toLowerCase()));
  return (
    schedule.recipients.member_ids.length +
    schedule.recipients.emails.filter((email) => !gone.has(email.toLowerCase())).length
  );
}

// ---- Who may receive a report (as the server checks it: db/report_schedules.rs `may_receive`).

export interface Recipient {
  role: { id: string };
  site_ids?: string[] | null;
  active: boolean;
}

/**
 * Whether a member may receive a report over `reportSites` (null: every site): an active member
 * whose role reads the indicators (`rolePermissions`, unknown: assumed so, the server decides)
 * and who sees every site the report covers.
 */
export function mayReceive(
  member: Recipient,
  rolePermissions: readonly string[] | undefined,
  reportSites: readonly string[] | null,
): boolean {
  if (!member.active) return false;
  if (rolePermissions && !rolePermissions.includes('kpis:read')) return false;
  const scope = member.site_ids;
  if (scope === null || scope === undefined) return true;
  if (reportSites === null) return false;
  return reportSites.every((site) => scope.includes(site));
}

/** The sites a report covers: the one chosen, else the author's own scope (null: all). */
export function reportSites(
  siteId: string | null,
  authorScope: readonly string[] | null | undefined,
): string[] | null {
  if (siteId) return [siteId];
  return authorScope ? [...authorScope] : null;
}

// ---- The editor.

export interface ScheduleValues {
  name: string;
  kind: FrequencyKind;
  /** `'1'` (Monday) to `'7'`, as the select holds it. */
  weekday: string;
  /** `'1'` to `'28'`. */
  day: string;
  /** `HH:MM`. */
  time: string;
  /** Null: the server takes the first site's. */
  time_zone: string | null;
  member_ids: string[];
  emails: string[];
  site_id: string | null;
  plant_id: string | null;
  production_line_id: string | null;
  criticality: KpiCriticality | null;
  indicators: ReportIndicator[];
  format: ReportFormat;
  language: ReportLanguage;
  active: boolean;
}

export type ScheduleField = keyof ScheduleValues | 'recipients';

export const DEFAULT_TIME = '07:00';

export function scheduleToValues(
  schedule: ReportSchedule | null,
  language: ReportLanguage,
): ScheduleValues {
  if (!schedule) {
    return {
      name: '',
      kind: 'monthly',
      weekday: '1',
      day: '1',
      time: DEFAULT_TIME,
      time_zone: null,
      member_ids: [],
      emails: [],
      site_id: null,
      plant_id: null,
      production_line_id: null,
      criticality: null,
      indicators: [...REPORT_INDICATORS],
      format: 'pdf',
      language,
      active: true,
    };
  }
  const { frequency, filters } = schedule;
  return {
    name: schedule.name,
    kind: frequency.kind,
    weekday: String(frequency.weekday ?? 1),
    day: String(frequency.day ?? 1),
    time: schedule.time,
    time_zone: schedule.time_zone,
    member_ids: [...schedule.recipients.member_ids],
    emails: [...schedule.recipients.emails],
    site_id: filters.site_id ?? null,
    plant_id: filters.plant_id ?? null,
    production_line_id: filters.production_line_id ?? null,
    criticality: KPI_CRITICALITIES.find((c) => c === filters.criticality) ?? null,
    indicators: REPORT_INDICATORS.filter((i) => schedule.indicators.includes(i)),
    format: schedule.format,
    language: schedule.language,
    active: schedule.active,
  };
}

/** An outside address as sent: trimmed, lower-case. */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/**
 * The body of `POST /report-schedules` or `PUT /report-schedules/{id}` (the whole schedule).
 * Filters the editor does not show (an equipment, a category, set through the API) are kept
 * from `previous`, the equipment only while the site stays the same.
 */
export function scheduleRequest(
  values: ScheduleValues,
  previous: ReportSchedule | null = null,
): ReportScheduleRequest {
  const frequency: ReportFrequency = { kind: values.kind };
  if (values.kind === 'weekly') frequency.weekday = Number(values.weekday);
  if (values.kind === 'monthly') frequency.day = Number(values.day);
  const emails = [...new Set(values.emails.map(normaliseEmail).filter((e) => e !== ''))];
  const kept = previous?.filters ?? {};
  const sameSite = (kept.site_id ?? null) === values.site_id;
  const filters: Schemas['ReportFilters'] = {
    ...(values.site_id ? { site_id: values.site_id } : {}),
    ...(values.site_id && values.plant_id ? { plant_id: values.plant_id } : {}),
    ...(values.site_id && values.plant_id && values.production_line_id
      ? { production_line_id: values.production_line_id }
      : {}),
    ...(sameSite && kept.equipment_id ? { equipment_id: kept.equipment_id } : {}),
    ...(kept.category ? { category: kept.category } : {}),
    ...(values.criticality ? { criticality: values.criticality } : {}),
  };
  const indicators = REPORT_INDICATORS.filter((i) => values.indicators.includes(i));
  return {
    name: values.name.trim(),
    frequency,
    time: values.time,
    ...(values.time_zone ? { time_zone: values.time_zone } : {}),
    recipients: { member_ids: [...new Set(values.member_ids)], emails },
    filters,
    // Every one: left out, which the server reads as every indicator (the API caps the list
    // below their number).
    ...(indicators.length === REPORT_INDICATORS.length ? {} : { indicators }),
    format: values.format,
    language: values.language,
    active: values.active,
  };
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** `HH:MM`, 00:00 to 23:59. */
export function checkTime(raw: string): Problem {
  if (raw.trim() === '') return { code: 'required' };
  return TIME.test(raw.trim()) ? null : { code: 'invalid_time' };
}

/** The first outside address that is not one (or null): `{code: 'invalid_email_in_list', email}`. */
export function checkEmails(emails: readonly string[]): Problem {
  if (emails.length > MAX_RECIPIENTS) return { code: 'too_many_recipients', max: MAX_RECIPIENTS };
  const wrong = emails.find((email) => checkEmail(email) !== null);
  return wrong === undefined ? null : { code: 'invalid_email_in_list', email: wrong.trim() };
}

/** The editor's checks before anything is sent, by field (those with no problem left out). */
export function checkSchedule(values: ScheduleValues): Partial<Record<ScheduleField, Problem>> {
  const problems: Partial<Record<ScheduleField, Problem>> = {
    name: checkName(values.name, REPORT_NAME_MAX),
    time: checkTime(values.time),
    emails: checkEmails(values.emails),
    member_ids:
      values.member_ids.length > MAX_RECIPIENTS
        ? { code: 'too_many_recipients', max: MAX_RECIPIENTS }
        : null,
    recipients:
      values.member_ids.length === 0 && values.emails.length === 0
        ? { code: 'no_recipient' }
        : null,
    indicators: values.indicators.length === 0 ? { code: 'no_indicator' } : null,
  };
  return Object.fromEntries(Object.entries(problems).filter(([, problem]) => problem !== null));
}

/** The message of a problem of the editor (its own codes first, then the shared ones). */
export function scheduleProblemMessage(i18n: I18n, problem: FieldProblem): string {
  const own = `reports.form.errors.${problem.code}`;
  return i18n.exists(own) ? i18n.t(own, problem) : fieldMessage(i18n, problem);
}

/**
 * The editor's field a server error names: `frequency.weekday` → `weekday`,
 * `recipients.emails[2]` → `emails`, `filters.site_id` → `site_id`; null for what the editor
 * does not show (an equipment, a category).
 */
export function scheduleFieldOf(name: string): ScheduleField | null {
  if (name === 'frequency.weekday') return 'weekday';
  if (name === 'frequency.day') return 'day';
  if (name === 'recipients.member_ids') return 'member_ids';
  if (/^recipients\.emails(\[\d+\])?$/.test(name)) return 'emails';
  if (name === 'recipients') return 'recipients';
  const filters: readonly ScheduleField[] = [
    'site_id',
    'plant_id',
    'production_line_id',
    'criticality',
  ];
  if (name.startsWith('filters.')) {
    // An equipment or a category, which the editor does not show: no field of its own.
    return filters.find((field) => `filters.${field}` === name) ?? null;
  }
  const plain: readonly ScheduleField[] = [
    'name',
    'time',
    'time_zone',
    'indicators',
    'format',
    'language',
  ];
  return plain.find((field) => field === name) ?? null;
}

export interface ScheduleErrors {
  fields: Partial<Record<ScheduleField, string>>;
  general: string | null;
}

/**
 * A refusal spread over the editor: each rejected field's message under it (the members who
 * cannot receive the report named, the wrong address quoted), a conflict (`name_taken`) under
 * its field, and the rest as a general message. `sentEmails` are the addresses of the request.
 */
export function scheduleErrors(
  i18n: I18n,
  error: unknown,
  sentEmails: readonly string[],
  memberName: (id: string) => string,
): ScheduleErrors {
  const problems = error instanceof ApiError ? Object.entries(error.fields) : [];
  if (problems.length === 0) {
    // A conflict names its field (`name_taken` → `name`).
    const { fields, general } = formErrors(i18n, error, ['name']);
    return { fields: fields.name ? { name: fields.name } : {}, general };
  }
  const fields: Partial<Record<ScheduleField, string>> = {};
  let unplaced = false;
  for (const [name, problem] of problems) {
    const field = scheduleFieldOf(name);
    if (field === null) {
      unplaced = true;
      continue;
    }
    let message: string;
    if (problem.code === 'cannot_receive' && Array.isArray(problem.member_ids)) {
      const ids = problem.member_ids.filter((id): id is string => typeof id === 'string');
      message = i18n.t('reports.form.errors.cannot_receive_names', {
        count: ids.length,
        names: ids.map(memberName).join(', '),
      });
    } else if (field === 'emails') {
      const index = /\[(\d+)\]$/.exec(name);
      // The index is that of the addresses sent (trimmed, lower-case, each once).
      const email = index ? sentEmails[Number(index[1])] : undefined;
      message = email
        ? i18n.t('reports.form.errors.invalid_email_in_list', { email })
        : scheduleProblemMessage(i18n, problem);
    } else {
      message = scheduleProblemMessage(i18n, problem);
    }
    // The first problem of a field is the one shown.
    fields[field] ??= message;
  }
  return { fields, general: unplaced ? errorMessage(i18n, error) : null };
}
