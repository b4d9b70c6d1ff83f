import { describe, expect, it } from 'vitest';

import { checkSpecRows, rowsToSpecs, sameSpecs, specValue, specsToRows } from './specifications';

describe('equipment specifications', () => {
  it('round-trips through the editor, numbers staying numbers', () => {
    const rows = specsToRows({ puissance_kw: 22, tension: '400 V', atex: true });
    expect(rows).toEqual([
      { key: 'puissance_kw', value: '22' },
      { key: 'tension', value: '400 V' },
      { key: 'atex', value: 'true' },
    ]);
    expect(rowsToSpecs(rows)).toEqual({ puissance_kw: 22, tension: '400 V', atex: 'true' });
    expect(specValue('7,5')).toBe(7.5);
    expect(specValue('0042')).toBe('0042');
    expect(specsToRows(null)).toEqual([]);
  });

  it('drops blank rows and refuses nameless or repeated ones', () => {
    expect(rowsToSpecs([{ key: ' ', value: '' }])).toEqual({});
    expect(checkSpecRows([{ key: '', value: '3' }])).toEqual({
      code: 'specification_key_required',
    });
    expect(
      checkSpecRows([
        { key: 'Tension', value: '1' },
        { key: 'tension', value: '2' },
      ]),
    ).toEqual({ code: 'specification_key_twice', key: 'tension' });
    expect(checkSpecRows([{ key: 'k', value: 'v' }])).toBeNull();
  });

  it('sees unchanged specifications as the same (left out of a PATCH)', () => {
    expect(sameSpecs({ a: 1, b: 'x' }, { a: 1, b: 'x' })).toBe(true);
    expect(sameSpecs({ a: 1 }, { a: 2 })).toBe(false);
  });
});
