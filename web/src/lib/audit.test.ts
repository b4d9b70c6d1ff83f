import { describe, expect, it } from 'vitest';

import { changeRows, dayRangeToInstants, entityLabel } from './audit';

describe('audit entries', () => {
  it('reads before/after pairs and plain facts', () => {
    expect(
      changeRows({
        name: { before: 'Lyon', after: 'Lyon Est' },
        code: { before: null, after: 'LY' },
      }),
    ).toEqual([
      { field: 'name', before: 'Lyon', after: 'Lyon Est', plain: false },
      { field: 'code', before: null, after: 'LY', plain: false },
    ]);
    expect(changeRows({ other_sessions_ended: 2 })).toEqual([
      { field: 'other_sessions_ended', before: null, after: 2, plain: true },
    ]);
    expect(changeRows(null)).toEqual([]);
    expect(changeRows('nope')).toEqual([]);
  });

  it('names the object by its name first, whatever the order of fields', () => {
    expect(
      entityLabel({
        code: { before: null, after: 'L1' },
        name: { before: null, after: 'Ligne 1' },
      }),
    ).toBe('Ligne 1');
    expect(entityLabel({ name: { before: 'Gone', after: null } })).toBe('Gone');
    expect(
      entityLabel({
        email: { before: null, after: 'a@b.fr' },
        active: { before: null, after: true },
      }),
    ).toBe('a@b.fr');
    expect(entityLabel({ client_address: '127.0.0.1' })).toBeNull();
  });

  it('turns a range of local days into instants, the end exclusive', () => {
    const range = dayRangeToInstants('2026-03-01', '2026-03-02');
    expect(range.from).toBe(new Date(2026, 2, 1).toISOString());
    expect(range.to).toBe(new Date(2026, 2, 3).toISOString());
    expect(dayRangeToInstants(null, null)).toEqual({ from: null, to: null });
    expect(dayRangeToInstants('yesterday', null)).toEqual({ from: null, to: null });
  });
});
