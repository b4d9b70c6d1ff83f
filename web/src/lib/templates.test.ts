import { describe, expect, it } from 'vitest';

import { emptyDraft } from './checklist';
import {
  applyFill,
  templateFill,
  templateRequest,
  templateToValues,
  wouldReplace,
  type Template,
  type TemplateTarget,
} from './templates';

const template = (changes: Partial<Template> = {}): Template => ({
  id: 't1',
  kind: 'work_order',
  name: 'Remplacement courroie',
  description: 'Consigner la machine avant.',
  checklist: [
    { label: 'Consignation faite', kind: 'checkbox', required: true },
    { label: 'Tension', kind: 'number', required: false, unit: 'N', min_value: 10, max_value: 20 },
  ],
  type: 'corrective',
  priority: 'high',
  title: 'Remplacer la courroie',
  estimated_minutes: 90,
  active: true,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...changes,
});

const emptyOrder = (): TemplateTarget => ({
  type: 'corrective',
  priority: 'normal',
  title: '',
  description: '',
  estimated_minutes: '',
  checklist: [],
});

describe('templateFill', () => {
  it('fills every field the form has', () => {
    const fill = templateFill(template(), emptyOrder());
    expect(fill).toMatchObject({
      type: 'corrective',
      priority: 'high',
      title: 'Remplacer la courroie',
      description: 'Consigner la machine avant.',
      estimated_minutes: 90,
    });
    expect(fill.checklist).toEqual([
      { label: 'Consignation faite', kind: 'checkbox', required: true, unit: '', min: '', max: '' },
      { label: 'Tension', kind: 'number', required: false, unit: 'N', min: 10, max: 20 },
    ]);
  });

  it('leaves out the fields the form does not have', () => {
    const fill = templateFill(template(), {
      priority: 'normal',
      estimated_minutes: '',
      checklist: [],
    });
    expect(Object.keys(fill).sort()).toEqual(['checklist', 'estimated_minutes', 'priority']);
  });

  it('does not clear a field the template leaves empty', () => {
    const fill = templateFill(
      template({ description: null, estimated_minutes: null, checklist: [] }),
      emptyOrder(),
    );
    expect(fill.description).toBeUndefined();
    expect(fill.estimated_minutes).toBeUndefined();
    expect(fill.checklist).toBeUndefined();
  });
});

describe('wouldReplace', () => {
  it('asks about nothing on an empty form', () => {
    const current = emptyOrder();
    expect(wouldReplace(current, templateFill(template(), current))).toEqual([]);
  });

  it('names the filled fields the template would change', () => {
    const current: TemplateTarget = {
      ...emptyOrder(),
      title: 'Courroie cassée',
      estimated_minutes: 30,
      checklist: [{ ...emptyDraft(), label: 'Vérifier' }],
    };
    expect(wouldReplace(current, templateFill(template(), current))).toEqual([
      'title',
      'estimated_minutes',
      'checklist',
    ]);
  });

  it('does not ask about what a blank form holds, nor about what is already the same', () => {
    const current: TemplateTarget = {
      ...emptyOrder(),
      title: ' Remplacer la courroie ',
      estimated_minutes: '90',
    };
    expect(wouldReplace(current, templateFill(template(), current))).toEqual([]);
  });

  it('asks about a type or priority someone chose', () => {
    const current: TemplateTarget = { ...emptyOrder(), type: 'improvement', priority: 'urgent' };
    expect(wouldReplace(current, templateFill(template(), current))).toEqual(['type', 'priority']);
    // The template's own priority is no question.
    const same: TemplateTarget = { ...emptyOrder(), priority: 'high' };
    expect(wouldReplace(same, templateFill(template(), same))).toEqual([]);
  });
});

describe('applyFill', () => {
  const current: TemplateTarget = { ...emptyOrder(), title: 'Courroie cassée' };
  const fill = templateFill(template(), current);

  it('replaces everything the template fills', () => {
    const next = applyFill(current, fill);
    expect(next.title).toBe('Remplacer la courroie');
    expect(next.priority).toBe('high');
    expect(next.checklist).toHaveLength(2);
  });

  it('keeps what the person filled in when asked to', () => {
    const urgent = applyFill({ ...current, priority: 'urgent' }, fill, true);
    expect(urgent.priority).toBe('urgent');
    const next = applyFill(current, fill, true);
    expect(next.title).toBe('Courroie cassée');
    expect(next.description).toBe('Consigner la machine avant.');
    expect(next.type).toBe('corrective');
    expect(next.estimated_minutes).toBe(90);
  });
});

describe('templateRequest', () => {
  it('sends the whole work-order template', () => {
    const values = { ...templateToValues(template()), name: ' Courroie ', description: ' ' };
    expect(templateRequest('work_order', values, [])).toEqual({
      kind: 'work_order',
      name: 'Courroie',
      checklist: [],
      active: true,
      title: 'Remplacer la courroie',
      type: 'corrective',
      priority: 'high',
      estimated_minutes: 90,
    });
  });

  it('sends only the checklist fields for a checklist', () => {
    const values = { ...templateToValues(null), name: 'Hebdo', title: 'ignored' };
    expect(
      templateRequest('checklist', values, [{ ...emptyDraft(), label: ' Graisser ' }]),
    ).toEqual({
      kind: 'checklist',
      name: 'Hebdo',
      checklist: [{ label: 'Graisser', kind: 'checkbox', required: false }],
      active: true,
    });
  });
});
