// Specification templates: per equipment category, the labelled fields (with units) of its
// equipment's `specifications`. The pure part of the administrators' editor (keys derived from
// labels, the server's rules checked before sending) and of the equipment pages (a template and
// an equipment's specifications merged for reading and for the form).
import type { Schemas } from '../api/client';
import { checkSpecRows, specValue, specsToRows, type SpecRow } from './specifications';
import { checkName, checkOptionalText, type Problem } from './validation';

export type SpecTemplate = Schemas['SpecTemplate'];
export type SpecField = Schemas['SpecFieldView'];

/** The server's limits (crates/api/src/routes/spec_templates.rs). */
export const SPEC_FIELDS_MAX = 50;
export const SPEC_KEY_MAX = 40;
export const SPEC_LABEL_MAX = 80;
export const SPEC_UNIT_MAX = 20;
export const SPEC_CATEGORY_MAX = 80;
export const SPEC_VALUE_MAX = 500;

const KEY = /^[a-z][a-z0-9_]*$/;

/**
 * The key a label suggests: `Puissance` → `puissance`, `Débit d'air (m³/h)` → `debit_d_air_m3_h`.
 * Accents are dropped, anything else than a letter or a digit becomes one `_`, and a key must
 * start with a letter (`2e vitesse` → `spec_2e_vitesse`). Blank for a blank label.
 */
export function keyFromLabel(label: string): string {
  let key = label
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (key !== '' && !/^[a-z]/.test(key)) key = `spec_${key}`;
  return key.slice(0, SPEC_KEY_MAX).replace(/_+$/, '');
}

/** `base`, or `base_2`, `base_3`… when another field has it already (still 40 characters). */
export function uniqueKey(base: string, taken: ReadonlySet<string>): string {
  if (base === '' || !taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `_${n}`;
    const key = `${base.slice(0, SPEC_KEY_MAX - suffix.length).replace(/_+$/, '')}${suffix}`;
    if (!taken.has(key)) return key;
  }
}

/** A key as the server accepts it: lowercase letters, digits and `_`, from a letter, 40 at most. */
export function checkSpecKey(raw: string): Problem {
  const key = raw.trim();
  if (key === '') return { code: 'required' };
  if (key.length > SPEC_KEY_MAX) return { code: 'too_long', max: SPEC_KEY_MAX };
  if (!KEY.test(key)) return { code: 'invalid_key' };
  return null;
}

/** A field as the editor holds it; `keyEdited` stops the key following the label. */
export interface FieldDraft {
  /** Local identity for React, never sent. */
  uid: string;
  label: string;
  key: string;
  unit: string;
  keyEdited: boolean;
}

let drafts = 0;
export function newDraftUid(): string {
  drafts += 1;
  return `field-${drafts}`;
}

/** The editor's rows for a template; existing keys never follow their label (values use them). */
export function fieldDrafts(fields: readonly SpecField[]): FieldDraft[] {
  return fields.map((f) => ({
    uid: newDraftUid(),
    label: f.label,
    key: f.key,
    unit: f.unit ?? '',
    keyEdited: true,
  }));
}

/** The label changed: the key follows it until someone edits the key itself. */
export function relabel(list: readonly FieldDraft[], index: number, label: string): FieldDraft[] {
  return list.map((draft, i) => {
    if (i !== index) return draft;
    if (draft.keyEdited) return { ...draft, label };
    const taken = new Set(list.filter((_, j) => j !== i).map((d) => d.key.trim()));
    return { ...draft, label, key: uniqueKey(keyFromLabel(label), taken) };
  });
}

/** Moves the field at `index` by `by` places (−1 up, +1 down); out of bounds changes nothing. */
export function moveField<T>(list: readonly T[], index: number, by: number): T[] {
  const target = index + by;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(index, 1);
  if (item !== undefined) out.splice(target, 0, item);
  return out;
}

export type DraftErrors = Partial<Record<'label' | 'key' | 'unit', Problem>>;

/** Every problem of every field, by position (the server reports them all at once too). */
export function checkFieldDrafts(list: readonly FieldDraft[]): DraftErrors[] {
  const seen = new Set<string>();
  return list.map((draft) => {
    const errors: DraftErrors = {};
    const label = checkName(draft.label, SPEC_LABEL_MAX);
    if (label) errors.label = label;
    const unit = checkOptionalText(draft.unit, SPEC_UNIT_MAX);
    if (unit) errors.unit = unit;
    const key = draft.key.trim();
    const keyProblem = checkSpecKey(key);
    if (keyProblem) errors.key = keyProblem;
    else if (seen.has(key)) errors.key = { code: 'duplicate_key' };
    seen.add(key);
    return errors;
  });
}

export function hasDraftErrors(errors: readonly DraftErrors[]): boolean {
  return errors.some((e) => Object.values(e).some(Boolean));
}

/** The body of a create or a replace. */
export function templateRequest(
  category: string,
  list: readonly FieldDraft[],
): Schemas['SpecTemplateRequest'] {
  return {
    category: category.trim(),
    fields: list.map((d) => {
      const unit = d.unit.trim();
      return { key: d.key.trim(), label: d.label.trim(), unit: unit === '' ? null : unit };
    }),
  };
}

/** `fields[3].key` of a 422 → position 3, part `key` (or null for another field). */
export function draftErrorPath(name: string): { index: number; part: keyof DraftErrors } | null {
  const match = /^fields\[(\d+)\]\.(label|key|unit)$/.exec(name);
  if (!match) return null;
  return { index: Number(match[1]), part: match[2] as keyof DraftErrors };
}

/** The template of a category, matched case (and surrounding spaces) aside, as the server does. */
export function templateFor<T extends { category: string }>(
  templates: readonly T[] | undefined,
  category: string | null | undefined,
): T | null {
  const wanted = (category ?? '').trim().toLowerCase();
  if (wanted === '' || !templates) return null;
  return templates.find((t) => t.category.trim().toLowerCase() === wanted) ?? null;
}

/** A value as people read it: numbers in the reader's language, `null` when there is none. */
export function specText(value: unknown, language: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    // `min2`: 12 000 is grouped, a year (2019) is not.
    return new Intl.NumberFormat(language, { useGrouping: 'min2' }).format(value);
  }
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A value followed by its unit (`7,5 kW`), unless the text carries it already (`400 V`). */
export function withUnit(text: string, unit: string | null | undefined): string {
  const u = (unit ?? '').trim();
  if (u === '' || text.toLowerCase().endsWith(u.toLowerCase())) return text;
  return `${text} ${u}`;
}

export interface SpecLine {
  key: string;
  /** The template's label, or null for a key the template does not know. */
  label: string | null;
  unit: string | null;
  /** What to show (with its unit), or null for a template field without a value. */
  text: string | null;
}

/**
 * An equipment's specifications as people read them: the template's fields in its order with
 * their units, then the keys it does not know, under their key and as recorded.
 */
export function specLines(
  specifications: unknown,
  template: Pick<SpecTemplate, 'fields'> | null,
  language: string,
): SpecLine[] {
  const specs =
    typeof specifications === 'object' && specifications !== null && !Array.isArray(specifications)
      ? (specifications as Record<string, unknown>)
      : {};
  const fields = template?.fields ?? [];
  const known = new Set(fields.map((f) => f.key));
  const lines: SpecLine[] = fields.map((f) => {
    const text = specText(specs[f.key], language);
    return {
      key: f.key,
      label: f.label,
      unit: f.unit ?? null,
      text: text === null ? null : withUnit(text, f.unit),
    };
  });
  for (const row of specsToRows(specs)) {
    if (!known.has(row.key)) lines.push({ key: row.key, label: null, unit: null, text: row.value });
  }
  return lines;
}

/**
 * The specifications part of the equipment form: the values of the template's fields by key, and
 * the other specifications as free rows (today's key/value editor).
 */
export interface SpecForm {
  values: Record<string, string>;
  rows: SpecRow[];
}

/**
 * The form for an equipment's specifications under a template (or none). Numbers are written
 * with the reader's decimal separator (`1,8` in French), which `specValue` reads back.
 */
export function specForm(
  specifications: unknown,
  fields: readonly SpecField[],
  language = 'en',
): SpecForm {
  const specs =
    typeof specifications === 'object' && specifications !== null && !Array.isArray(specifications)
      ? (specifications as Record<string, unknown>)
      : {};
  const decimal =
    new Intl.NumberFormat(language).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ??
    '.';
  const rows = specsToRows(specs).map((row) =>
    typeof specs[row.key] === 'number' ? { ...row, value: row.value.replace('.', decimal) } : row,
  );
  return retemplate({ values: {}, rows }, fields);
}

/**
 * The category changed (or its template came): the new template's fields take their values from
 * free rows of the same key; values typed for fields the new template does not have become free
 * rows. Nothing typed is lost; switching back brings them back into their fields.
 */
export function retemplate(form: SpecForm, fields: readonly SpecField[]): SpecForm {
  const keys = new Set(fields.map((f) => f.key));
  const values: Record<string, string> = {};
  const kept: SpecRow[] = [];
  const carried: SpecRow[] = [];
  for (const [key, value] of Object.entries(form.values)) {
    if (keys.has(key)) values[key] = value;
    else if (value.trim() !== '') carried.push({ key, value });
  }
  for (const row of form.rows) {
    const key = row.key.trim();
    if (keys.has(key) && (values[key] ?? '').trim() === '') values[key] = row.value;
    else kept.push(row);
  }
  // Free rows stay where they were; what left the template comes after them.
  return { values, rows: [...kept, ...carried] };
}

/** The `specifications` to send: the template's fields in order (blank ones left out), then the rest. */
export function specFormToSpecs(
  form: SpecForm,
  fields: readonly SpecField[],
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const f of fields) {
    const value = form.values[f.key] ?? '';
    if (value.trim() !== '') out[f.key] = specValue(value);
  }
  for (const row of form.rows) {
    const key = row.key.trim();
    if (key === '' && row.value.trim() === '') continue;
    out[key] = specValue(row.value);
  }
  return out;
}

/**
 * The first problem of the free rows, counting the template's filled fields: a name twice
 * (a free row named like a field of the template too), too many, too long.
 */
export function checkSpecForm(form: SpecForm, fields: readonly SpecField[]): Problem {
  const filled = fields
    .filter((f) => (form.values[f.key] ?? '').trim() !== '')
    .map((f) => ({ key: f.key, value: form.values[f.key] ?? '' }));
  return checkSpecRows([...filled, ...form.rows]);
}
