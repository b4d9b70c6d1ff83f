import { describe, expect, it } from 'vitest';

import type { ChecklistItem } from '../api/client';
import {
  answerBody,
  checkDraft,
  draftToItem,
  emptyDraft,
  isAnswered,
  openRequired,
  outOfRange,
  parseDecimal,
} from './checklist';

const item = (changes: Partial<ChecklistItem>): ChecklistItem => ({
  id: 'i',
  position: 0,
  label: 'Pression',
  kind: 'number',
  required: true,
  out_of_range: false,
  ...changes,
});

describe('checklist answers', () => {
  it('reads numbers as people type them', () => {
    expect(parseDecimal('12,5')).toBe(12.5);
    expect(parseDecimal(' 1 250 ')).toBe(1250);
    expect(parseDecimal('-3')).toBe(-3);
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('abc')).toBeNaN();
    expect(parseDecimal('1.2.3')).toBeNaN();
    expect(parseDecimal(7)).toBe(7);
  });

  it('sends the field of the item’s kind, and clears an emptied answer', () => {
    expect(answerBody({ kind: 'checkbox', checked: true })).toEqual({ body: { checked: true } });
    expect(answerBody({ kind: 'checkbox', checked: false })).toEqual({ body: { clear: true } });
    expect(answerBody({ kind: 'pass_fail', passed: false })).toEqual({ body: { passed: false } });
    expect(answerBody({ kind: 'pass_fail', passed: null })).toEqual({ body: { clear: true } });
    expect(answerBody({ kind: 'number', value: '240' })).toEqual({ body: { number_value: 240 } });
    expect(answerBody({ kind: 'number', value: '' })).toEqual({ body: { clear: true } });
    expect(answerBody({ kind: 'text', value: '  joint changé ' })).toEqual({
      body: { text_value: 'joint changé' },
    });
  });

  it('refuses what is not a number before calling the server', () => {
    expect(answerBody({ kind: 'number', value: '12 bars' })).toEqual({
      problem: { code: 'invalid_number' },
    });
    expect(answerBody({ kind: 'text', value: 'x'.repeat(2001) })).toEqual({
      problem: { code: 'too_long', max: 2000 },
    });
  });

  it('flags values outside the bounds (recorded anyway)', () => {
    const bounded = { min_value: 180, max_value: 220 };
    expect(outOfRange(bounded, 240)).toBe(true);
    expect(outOfRange(bounded, 179.9)).toBe(true);
    expect(outOfRange(bounded, 200)).toBe(false);
    expect(outOfRange({ min_value: 0 }, 5)).toBe(false);
    expect(outOfRange(bounded, null)).toBe(false);
  });

  it('lists the required items still open (what blocks completion)', () => {
    const items = [
      item({ id: 'a', kind: 'number', number_value: 200, completed_at: '2026-11-05T08:00:00Z' }),
      item({ id: 'b', kind: 'checkbox', label: 'Carter remonté' }),
      item({ id: 'c', kind: 'pass_fail', required: false }),
      item({ id: 'd', kind: 'text', text_value: '  ' }),
    ];
    expect(items.map(isAnswered)).toEqual([true, false, false, false]);
    expect(openRequired(items).map((i) => i.id)).toEqual(['b', 'd']);
  });
});

describe('checklist builder', () => {
  it('needs a label and coherent bounds', () => {
    expect(checkDraft(emptyDraft())).toEqual({ label: { code: 'required' } });
    expect(
      checkDraft({ ...emptyDraft(), label: 'Pression', kind: 'number', min: '220', max: '180' }),
    ).toEqual({ max: { code: 'invalid_bounds' } });
    expect(checkDraft({ ...emptyDraft(), label: 'P', kind: 'number', min: 'x', max: '' })).toEqual({
      min: { code: 'invalid_number' },
    });
  });

  it('builds the API item, with unit and bounds for measurements only', () => {
    expect(
      draftToItem({
        label: ' Pression hydraulique ',
        kind: 'number',
        required: true,
        unit: 'bar',
        min: '180',
        max: '220,5',
      }),
    ).toEqual({
      label: 'Pression hydraulique',
      kind: 'number',
      required: true,
      unit: 'bar',
      min_value: 180,
      max_value: 220.5,
    });
    expect(
      draftToItem({
        label: 'Carter',
        kind: 'checkbox',
        required: false,
        unit: 'x',
        min: 1,
        max: 2,
      }),
    ).toEqual({ label: 'Carter', kind: 'checkbox', required: false });
  });
});
