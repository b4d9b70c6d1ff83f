// Templates: named checklists and work-order starting points that plans, request approvals and
// new orders copy from. Copying is one-way: changing a template later changes no form value.
import type { ChecklistTemplate, Priority, Schemas, WorkOrderType } from '../api/client';
import { draftToItem, type ChecklistDraft } from './checklist';
import { templateToDraft } from './pm';

export type Template = Schemas['Template'];
export type TemplateKind = Schemas['TemplateKind'];
export type TemplateRequest = Schemas['TemplateRequest'];

export const TEMPLATE_KINDS: readonly TemplateKind[] = ['checklist', 'work_order'];

/** Limits of the server (routes/templates.rs). */
export const TEMPLATE_NAME_MAX = 120;
export const TEMPLATE_ITEMS_MAX = 200;

/** A checklist template's items as the builder edits them. */
export function checklistDrafts(items: readonly ChecklistTemplate[]): ChecklistDraft[] {
  return items.map(templateToDraft);
}

/**
 * The fields of a form a work-order template can fill. Each form gives those it has: the
 * approval of a request has no title nor description, a plan has no type.
 */
export interface TemplateTarget {
  type?: WorkOrderType;
  priority?: Priority;
  title?: string;
  description?: string;
  estimated_minutes?: number | string;
  checklist?: ChecklistDraft[];
}

export type TargetField = keyof TemplateTarget;

/**
 * What a template brings to a form that has the fields of `current`: only the fields the
 * template fills (an empty description or estimate leaves the form's as it is).
 */
export function templateFill(template: Template, current: TemplateTarget): TemplateTarget {
  const fill: TemplateTarget = {};
  if ('type' in current && template.type) fill.type = template.type;
  if ('priority' in current && template.priority) fill.priority = template.priority;
  if ('title' in current && template.title?.trim()) fill.title = template.title;
  if ('description' in current && template.description?.trim()) {
    fill.description = template.description;
  }
  if ('estimated_minutes' in current && template.estimated_minutes != null) {
    fill.estimated_minutes = template.estimated_minutes;
  }
  if ('checklist' in current && template.checklist.length > 0) {
    fill.checklist = checklistDrafts(template.checklist);
  }
  return fill;
}

/** What a blank form starts with: a type or priority other than these was chosen. */
export const BLANK_CHOICES: Pick<TemplateTarget, 'type' | 'priority'> = {
  type: 'corrective',
  priority: 'normal',
};

/**
 * Whether a form's field holds something a person chose: text typed, items written, or a type
 * or priority other than a blank form's (the urgency of a request sets its priority, for one).
 */
function filled(field: TargetField, value: TemplateTarget[TargetField]): boolean {
  switch (field) {
    case 'type':
    case 'priority':
      return value !== undefined && value !== BLANK_CHOICES[field];
    case 'checklist':
      return Array.isArray(value) && value.length > 0;
    default:
      return scalar(value) !== '';
  }
}

/** A text or number field as compared: trimmed text, '' when empty. */
function scalar(value: TemplateTarget[TargetField]): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return '';
}

function same(a: TemplateTarget[TargetField], b: TemplateTarget[TargetField]): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return scalar(a) === scalar(b);
}

const FIELD_ORDER: readonly TargetField[] = [
  'title',
  'description',
  'type',
  'priority',
  'estimated_minutes',
  'checklist',
];

/**
 * The fields the fill would overwrite although the person filled them in: these are asked about
 * before anything changes.
 */
export function wouldReplace(current: TemplateTarget, fill: TemplateTarget): TargetField[] {
  return FIELD_ORDER.filter(
    (field) =>
      fill[field] !== undefined &&
      filled(field, current[field]) &&
      !same(current[field], fill[field]),
  );
}

/**
 * The form's values once the template is applied: everything it fills, or with `keepFilled`,
 * only what the person left empty.
 */
export function applyFill(
  current: TemplateTarget,
  fill: TemplateTarget,
  keepFilled = false,
): TemplateTarget {
  const next: TemplateTarget = { ...current };
  for (const field of FIELD_ORDER) {
    const value = fill[field];
    if (value === undefined) continue;
    if (keepFilled && filled(field, current[field])) continue;
    (next as Record<TargetField, unknown>)[field] = value;
  }
  return next;
}

/** The template editor's values, as the inputs hold them. */
export interface TemplateValues {
  name: string;
  description: string;
  title: string;
  type: WorkOrderType;
  priority: Priority;
  estimated_minutes: number | string;
  active: boolean;
}

export function templateToValues(template: Template | null): TemplateValues {
  return {
    name: template?.name ?? '',
    description: template?.description ?? '',
    title: template?.title ?? '',
    type: template?.type ?? 'corrective',
    priority: template?.priority ?? 'normal',
    estimated_minutes: template?.estimated_minutes ?? '',
    active: template?.active ?? true,
  };
}

/** The body of `POST /templates` or `PUT /templates/{id}` (the whole template). */
export function templateRequest(
  kind: TemplateKind,
  values: TemplateValues,
  drafts: readonly ChecklistDraft[],
): TemplateRequest {
  const description = values.description.trim();
  const body: TemplateRequest = {
    kind,
    name: values.name.trim(),
    checklist: drafts.map(draftToItem),
    active: values.active,
    ...(description ? { description } : {}),
  };
  if (kind === 'work_order') {
    body.title = values.title.trim();
    body.type = values.type;
    body.priority = values.priority;
    if (values.estimated_minutes !== '') body.estimated_minutes = Number(values.estimated_minutes);
  }
  return body;
}
