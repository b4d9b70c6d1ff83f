// Reading an audit entry: a sentence ("Karim Benali a démarré le bon BT-2026-00042 — Fuite"),
// then its changes as labelled fields. `changes` holds `{"name": {"before": "Lyon", "after":
// "Lyon Est"}}` for recorded writes, or plain facts (`{"reason": "…"}`, `{"time_entry": {…}}`)
// for domain actions; `labels` names the ids the entry mentions (those that still exist).
import type { i18n as I18n } from 'i18next';

import { isRecord } from '../api/errors';
import { formatDate, formatDateTime, formatDay, formatNumber } from './format';
import { formatMinutes } from './maintenance';
import { WEEKDAYS, weekdayName } from './pm';

export interface ChangeRow {
  field: string;
  before: unknown;
  after: unknown;
  /** A plain fact rather than a before/after pair. */
  plain: boolean;
}

export function changeRows(changes: unknown): ChangeRow[] {
  if (!isRecord(changes)) return [];
  return Object.entries(changes).map(([field, value]) => {
    if (isRecord(value) && ('before' in value || 'after' in value)) {
      return { field, before: value.before ?? null, after: value.after ?? null, plain: false };
    }
    return { field, before: null, after: value, plain: true };
  });
}

/** A name for the entry's object, from what it recorded (`name`, `full_name`, `code`…). */
export function entityLabel(changes: unknown): string | null {
  const rows = changeRows(changes);
  for (const field of ['name', 'full_name', 'email', 'slug', 'code']) {
    const row = rows.find((r) => r.field === field);
    const value = row ? (row.after ?? row.before) : null;
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** Local calendar days (YYYY-MM-DD, inclusive) → the API's instants (`from` inclusive, `to` exclusive). */
export function dayRangeToInstants(
  from: string | null,
  to: string | null,
): { from: string | null; to: string | null } {
  const startOf = (day: string, plusDays = 0): string | null => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
    if (!match) return null;
    const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays);
    return date.toISOString();
  };
  return { from: from ? startOf(from) : null, to: to ? startOf(to, 1) : null };
}

// ---- Entries as sentences.

/** What of an audit entry is read here (`AuditEntry` of the API). */
export interface AuditEntryLike {
  action: string;
  entity: string;
  entity_id?: string | null;
  actor_id?: string | null;
  actor_name?: string | null;
  actor_email?: string | null;
  changes: unknown;
  labels: Record<string, string>;
}

/** Names the page knows besides the entry's `labels` (sites, roles, the company…), by id. */
export type Names = Record<string, string>;

/** "seed_demo_history" → "Seed demo history": a key no translation knows yet, readable. */
export function humanize(key: string): string {
  const words = key.replace(/[_.:-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : key;
}

function translated(i18n: I18n, key: string, fallback: string): string {
  return i18n.exists(key) ? i18n.t(key) : fallback;
}

/** An action's name for filters and badges ("Démarrage"), humanised when unknown. */
export function actionName(i18n: I18n, action: string): string {
  return translated(i18n, `auditActions.${action}`, humanize(action));
}

/** A kind of entity's name ("Bon de travail"), humanised when unknown. */
export function entityName(i18n: I18n, entity: string): string {
  return translated(i18n, `auditEntities.${entity}`, humanize(entity));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A field's value whether recorded as a fact or as a pair (the new value, else the old one). */
function pick(changes: unknown, field: string): unknown {
  if (!isRecord(changes)) return null;
  const value = changes[field];
  if (isRecord(value) && ('before' in value || 'after' in value)) {
    return value.after ?? value.before ?? null;
  }
  return value ?? null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** A name for the entry's object from what it recorded, when nothing names its id any more. */
export function nameFromChanges(changes: unknown): string | null {
  const number = text(pick(changes, 'number'));
  const title = text(pick(changes, 'title'));
  if (number && title) return `${number} — ${title}`;
  const code = text(pick(changes, 'code'));
  const name = text(pick(changes, 'name')) ?? text(pick(changes, 'label'));
  if (code && name) return `${code} — ${name}`;
  return (
    name ??
    title ??
    number ??
    text(pick(changes, 'full_name')) ??
    text(pick(changes, 'email')) ??
    code ??
    text(pick(changes, 'slug')) ??
    // A specification template is known by its category.
    text(pick(changes, 'category'))
  );
}

/** What an id names: the entry's labels first, then what the page knows. */
function nameOf(entry: AuditEntryLike, names: Names, id: unknown): string | null {
  if (!isUuid(id)) return null;
  return entry.labels[id] ?? names[id] ?? null;
}

/** The object's name: what its id names today, else what the entry recorded of it. */
export function objectName(entry: AuditEntryLike, names: Names = {}): string | null {
  const byId = nameOf(entry, names, entry.entity_id);
  if (byId) return byId;
  // An invitation is named by its address (not by the invitee's name: that is who it was for).
  if (entry.entity === 'invitation') return text(pick(entry.changes, 'email'));
  return nameFromChanges(entry.changes);
}

/** Where the object is seen, for those whose page is by id. */
const OBJECT_PAGES: Record<string, string> = {
  work_order: '/work-orders/',
  work_request: '/requests/',
  equipment: '/equipment/',
  pm_plan: '/pm-plans/',
};

/** "A et B", "A, B and C". */
function listOf(language: string, items: string[]): string {
  try {
    return new Intl.ListFormat(language, { type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}

/** An enum's label (`woStatus.in_progress` → "En cours"), humanised when unknown. */
function enumLabel(i18n: I18n, prefix: string | null, value: unknown): string {
  const raw = typeof value === 'string' ? value : String(value);
  return prefix ? translated(i18n, `${prefix}.${raw}`, humanize(raw)) : raw;
}

const STATUS_PREFIX: Record<string, string> = {
  work_order: 'woStatus',
  work_request: 'requestStatus',
  equipment: 'equipmentStatus',
};

/** The values a sentence may use besides the actor and the object. */
function sentenceValues(i18n: I18n, entry: AuditEntryLike, names: Names): Record<string, string> {
  const language = i18n.language;
  const changes = entry.changes;
  const values: Record<string, string> = {};
  const deleted = i18n.t('audit.deletedObject');
  const nested = (field: string, key: string): unknown => {
    const value = pick(changes, field);
    return isRecord(value) ? value[key] : null;
  };
  const roleId = pick(changes, 'role_id');
  if (roleId) values.role = nameOf(entry, names, roleId) ?? deleted;
  const email = text(pick(changes, 'email'));
  if (email) values.email = email;
  const status = pick(changes, 'status');
  if (status) values.status = enumLabel(i18n, STATUS_PREFIX[entry.entity] ?? null, status);
  const reading = pick(changes, 'value');
  if (typeof reading === 'number') values.value = formatNumber(reading, language);
  const file = text(nested('attachment', 'file_name'));
  if (file) values.file = file;
  const item = text(nested('item', 'label'));
  if (item) values.item = item;
  const minutes = nested('time_entry', 'minutes');
  if (typeof minutes === 'number') values.duration = formatMinutes(minutes);
  const personId = nested('time_entry', 'user_id');
  if (isUuid(personId) && personId !== entry.actor_id) {
    values.person = nameOf(entry, names, personId) ?? deleted;
  }
  const dueOn = text(pick(changes, 'due_on'));
  if (dueOn) values.date = formatDay(dueOn, language);
  const planId = pick(changes, 'pm_plan_id');
  if (planId) values.plan = nameOf(entry, names, planId) ?? deleted;
  const orderId = pick(changes, 'work_order_id');
  if (orderId) values.order = nameOf(entry, names, orderId) ?? deleted;
  const assignees = pick(changes, 'assignee_ids');
  if (Array.isArray(assignees) && assignees.length > 0) {
    values.people = listOf(
      language,
      assignees.map((id) => nameOf(entry, names, id) ?? deleted),
    );
  }
  const from = text(pick(changes, 'from'));
  const to = text(pick(changes, 'to'));
  if (from && to) {
    values.from = formatDate(from, language);
    values.to = formatDate(to, language);
  }
  return values;
}

/** The keys a sentence needs: without them it reads another way. */
const NEEDS: Record<string, readonly string[]> = {
  'member.create': ['role'],
  'invitation.invite': ['role'],
  'equipment.change_status': ['status'],
  'equipment.attach': ['file'],
  'equipment.detach': ['file'],
  'work_request.attach': ['file'],
  'work_request.detach': ['file'],
  'work_request.approve': ['order'],
  'work_order.attach': ['file'],
  'work_order.detach': ['file'],
  'work_order.assign': ['people'],
  'work_order.generate': ['plan'],
  'work_order.add_checklist_item': ['item'],
  'work_order.remove_checklist_item': ['item'],
  'work_order.answer_checklist_item': ['item'],
  'work_order.log_time': ['duration'],
  'work_order.remove_time': ['duration'],
  'meter.record_reading': ['value'],
  'pm_plan.skip_occurrence': ['date'],
  'pm_plan.unskip_occurrence': ['date'],
  'tenant.seed_demo_history': ['from', 'to'],
};

export interface Sentence {
  /** The sentence with `{{actor}}` and `{{name}}` left in, to be shown in bold (or as a link). */
  template: string;
  actor: string;
  /** The object's name (`{{name}}`), or what stands for a deleted one. */
  name: string;
  /** The object's page, when it has one and still exists. */
  link: string | null;
  /** The whole sentence as text. */
  text: string;
}

const ACTOR = '{{actor}}';
const NAME = '{{name}}';

/**
 * The entry as a sentence in the reader's language: a sentence of its own for each known
 * (entity, action), the same verb for every entity's creation, change, deletion…, and for an
 * action this version does not know, its name humanised ("Seed demo history").
 */
export function describeEntry(i18n: I18n, entry: AuditEntryLike, names: Names = {}): Sentence {
  const { entity, action } = entry;
  const actor = entry.actor_id
    ? (entry.actor_name ?? entry.actor_email ?? i18n.t('audit.someone'))
    : i18n.t('audit.theSystem');
  const name = objectName(entry, names);
  const values = sentenceValues(i18n, entry, names);
  const needs = NEEDS[`${entity}.${action}`] ?? [];
  const specific = needs.every((k) => values[k] !== undefined)
    ? [`auditSentences.${entity}.${action}`]
    : [];
  // Time logged for someone else says who for.
  const variants = [...specific, `auditSentences.any.${action}`].flatMap((key) =>
    values.person ? [`${key}_for`, key] : [key],
  );
  const key = variants.find((k) => i18n.exists(k));

  const objectKey = `auditObjects.${entity}${name ? '' : '_unnamed'}`;
  const object = i18n.exists(objectKey)
    ? i18n.t(objectKey, { name: NAME })
    : name
      ? `${entityName(i18n, entity).toLowerCase()} ${NAME}`
      : entityName(i18n, entity).toLowerCase();
  const params = { ...values, actor: ACTOR, name: NAME, object };
  const template = key
    ? i18n.t(key, params)
    : i18n.t(name ? 'auditSentences.other' : 'auditSentences.otherAlone', {
        ...params,
        action: actionName(i18n, action),
      });
  const shownName = name ?? i18n.t('audit.deletedObject');
  const page = OBJECT_PAGES[entity];
  const link =
    page && entry.entity_id && (entry.labels[entry.entity_id] ?? names[entry.entity_id])
      ? `${page}${entry.entity_id}`
      : null;
  return {
    template,
    actor,
    name: shownName,
    link,
    text: template.split(ACTOR).join(actor).split(NAME).join(shownName),
  };
}

/** A sentence's template cut into text and the parts shown apart (`actor`, `name`). */
export function sentenceParts(
  template: string,
): Array<{ kind: 'text'; text: string } | { kind: 'actor' | 'name' }> {
  return template
    .split(/(\{\{actor\}\}|\{\{name\}\})/)
    .filter((piece) => piece !== '')
    .map((piece) =>
      piece === ACTOR
        ? { kind: 'actor' as const }
        : piece === NAME
          ? { kind: 'name' as const }
          : { kind: 'text' as const, text: piece },
    );
}

// ---- Changes as labelled fields.

export interface DetailRow {
  /** The field's name in `changes` (`reason`), or inside a recorded object (`minutes`). */
  field: string;
  /** The recorded object it belongs to (`time_entry`), if any. */
  parent: string | null;
  before: unknown;
  after: unknown;
  /** `value`: one value to show (`after`); `change`: `before` → `after`. */
  kind: 'value' | 'change';
}

/** Fields first in the details, in this order; the others follow as recorded. */
const FIELD_ORDER = [
  'status',
  'reason',
  'title',
  'name',
  'full_name',
  'code',
  'label',
  'number',
  'email',
  'role_id',
  'type',
  'kind',
  'priority',
  'urgency',
  'equipment_id',
  'due_at',
  'assignee_ids',
  'body',
  'minutes',
  'user_id',
  'file_name',
];

function rank(field: string): number {
  const index = FIELD_ORDER.indexOf(field);
  return index === -1 ? FIELD_ORDER.length : index;
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.keys(value).length === 0;
  return false;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Values that are objects of their own (not lists of facts to open up). */
const WHOLE_OBJECTS = new Set(['specifications']);

/** The entry's changes as rows to show, objects opened up, empty values and ids left out. */
export function detailRows(entry: Pick<AuditEntryLike, 'action' | 'changes'>): DetailRow[] {
  const rows: DetailRow[] = [];
  const all = changeRows(entry.changes);
  // A deletion, or an undoing whose every field went empty (a due date restored), shows what
  // was there rather than "x → —".
  const removal =
    entry.action === 'delete' ||
    (all.length > 0 && all.every((r) => !r.plain && isEmpty(r.after) && !isEmpty(r.before)));
  // A plan's occurrence says again what its due date says.
  const dated = all.some((r) => r.field === 'due_on' || r.field === 'due_at');
  const push = (field: string, parent: string | null, before: unknown, after: unknown) => {
    if (field === 'id') return;
    if (removal && isEmpty(after)) {
      if (!isEmpty(before))
        rows.push({ field, parent, before: null, after: before, kind: 'value' });
      return;
    }
    if (isEmpty(before)) {
      if (!isEmpty(after)) rows.push({ field, parent, before: null, after, kind: 'value' });
      return;
    }
    if (!same(before, after)) rows.push({ field, parent, before, after, kind: 'change' });
  };
  for (const row of all) {
    const { field, before, after } = row;
    if (field === 'occurrence' && dated) continue;
    const open = !WHOLE_OBJECTS.has(field) && (isRecord(before) || isRecord(after));
    if (!open) {
      push(field, null, before, after);
      continue;
    }
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
      push(key, field, row.plain ? null : (b[key] ?? null), a[key] ?? null);
    }
  }
  return rows
    .map((row, index) => ({ row, index }))
    .sort((x, y) => rank(x.row.field) - rank(y.row.field) || x.index - y.index)
    .map(({ row }) => row);
}

/** A field's label: `auditFields.item_label` for a field of a recorded object, else `auditFields.label`. */
export function fieldName(i18n: I18n, row: Pick<DetailRow, 'field' | 'parent'>): string {
  if (row.parent && i18n.exists(`auditFields.${row.parent}_${row.field}`)) {
    return i18n.t(`auditFields.${row.parent}_${row.field}`);
  }
  return translated(i18n, `auditFields.${row.field}`, humanize(row.field));
}

/** Which translated list a field's values come from. */
function enumPrefix(entity: string, row: Pick<DetailRow, 'field' | 'parent'>): string | null {
  switch (row.field) {
    case 'status':
      return STATUS_PREFIX[entity] ?? null;
    case 'priority':
      return 'priority';
    case 'urgency':
      return 'urgency';
    case 'criticality':
      return 'criticality';
    case 'type':
      return entity === 'work_order' ? 'woType' : null;
    case 'kind':
      return row.parent === 'item' || row.parent === 'checklist'
        ? 'checklistKind'
        : entity === 'failure_code'
          ? 'failureKind'
          : null;
    case 'locale':
      return 'languages';
    case 'trigger_kind':
      return 'pm.triggers';
    case 'cal_unit':
      return 'pm.units';
    case 'schedule_mode':
      return 'pm.modes';
    case 'source':
      return 'audit.readingSource';
    default:
      return null;
  }
}

const MINUTES = new Set([
  'minutes',
  'estimated_minutes',
  'downtime_minutes',
  'weekly_capacity_minutes',
  'default_weekly_capacity_minutes',
]);
/** Rates, kept in cents. */
const CENTS = new Set(['hourly_rate_cents', 'default_hourly_rate_cents']);
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface ValueContext {
  entity: string;
  row: Pick<DetailRow, 'field' | 'parent'>;
  entry: AuditEntryLike;
  names: Names;
}

/** One value of a field as text: names for ids, dates and numbers in the reader's way. */
export function valueText(i18n: I18n, value: unknown, context: ValueContext): string {
  const { row, entry, names } = context;
  const language = i18n.language;
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return i18n.t(value ? 'common.yes' : 'common.no');
  if (Array.isArray(value)) {
    if (value.length === 0) return i18n.t('audit.emptyList');
    if (row.field === 'cal_weekdays') {
      return value
        .map((day) => {
          const weekday = typeof day === 'number' ? WEEKDAYS[day - 1] : undefined;
          return weekday ? weekdayName(weekday, language, 'long') : String(day);
        })
        .join(', ');
    }
    // A plan's checklist: its items by label.
    if (value.every(isRecord)) {
      const labels = value.map((item) => text(item.label) ?? JSON.stringify(item));
      return i18n.t('audit.items', { count: labels.length, list: labels.join(' · ') });
    }
    return value.map((v) => valueText(i18n, v, context)).join(', ');
  }
  if (isRecord(value)) {
    return Object.entries(value)
      .map(([k, v]) => `${k} : ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' · ');
  }
  if (typeof value === 'number') {
    if (MINUTES.has(row.field)) return formatMinutes(value);
    if (CENTS.has(row.field)) {
      return new Intl.NumberFormat(language, {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }).format(value / 100);
    }
    if (row.field === 'size_bytes') return fileSize(value, language);
    return formatNumber(value, language);
  }
  if (typeof value !== 'string') return JSON.stringify(value);
  if (isUuid(value)) return nameOf(entry, names, value) ?? i18n.t('audit.deletedObject');
  const prefix = enumPrefix(context.entity, row);
  if (prefix) return enumLabel(i18n, prefix, value);
  if (row.field === 'permissions' || row.parent === 'permissions') return names[value] ?? value;
  if (DATETIME.test(value)) return formatDateTime(value, language);
  if (DAY.test(value)) return formatDay(value, language);
  // A plan's occurrence: "cal:2026-12-14" is a day, "meter:1500" a meter's value.
  const occurrence = /^cal:(\d{4}-\d{2}-\d{2})$/.exec(value);
  if (occurrence?.[1]) return formatDay(occurrence[1], language);
  const atMeter = /^meter:([\d.]+)$/.exec(value);
  if (atMeter?.[1]) return i18n.t('audit.atMeter', { value: atMeter[1] });
  return value;
}

function fileSize(bytes: number, language: string): string {
  const french = language.startsWith('fr');
  if (bytes < 1024) return `${formatNumber(bytes, language)} ${french ? 'o' : 'B'}`;
  if (bytes < 1024 * 1024) {
    return `${formatNumber(Math.round(bytes / 102.4) / 10, language)} ${french ? 'Ko' : 'KB'}`;
  }
  return `${formatNumber(Math.round(bytes / (1024 * 102.4)) / 10, language)} ${french ? 'Mo' : 'MB'}`;
}

/** What a list gained and lost (permissions, sites, people): the change of a list, readable. */
export function listChange(
  before: unknown,
  after: unknown,
): { added: unknown[]; removed: unknown[] } | null {
  if (!Array.isArray(before) || !Array.isArray(after)) return null;
  if (before.some(isRecord) || after.some(isRecord)) return null;
  const had = new Set(before.map((v) => JSON.stringify(v)));
  const has = new Set(after.map((v) => JSON.stringify(v)));
  return {
    added: after.filter((v) => !had.has(JSON.stringify(v))),
    removed: before.filter((v) => !has.has(JSON.stringify(v))),
  };
}

/** Colours of actions' badges: creation green, deletion red, the rest by what it does. */
export function actionColor(action: string): string {
  if (
    ['create', 'invite', 'generate', 'reactivate', 'restore', 'accept', 'approve'].includes(action)
  )
    return 'teal';
  if (['delete', 'cancel', 'revoke', 'reject', 'detach', 'remove_time'].includes(action))
    return 'red';
  if (['deactivate', 'archive', 'hold', 'pause', 'skip_occurrence'].includes(action))
    return 'orange';
  if (['login', 'logout', 'seed_demo_history'].includes(action)) return 'gray';
  if (['change_password', 'close', 'complete'].includes(action)) return 'violet';
  return 'gmao';
}
