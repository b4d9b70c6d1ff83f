import { describe, expect, it } from 'vitest';

import { testI18n } from '../i18n/testing';
import { describeEntry } from './audit';
import { sameSpecs } from './specifications';
import {
  checkFieldDrafts,
  checkSpecForm,
  checkSpecKey,
  draftErrorPath,
  keyFromLabel,
  moveField,
  relabel,
  retemplate,
  specForm,
  specFormToSpecs,
  specLines,
  templateFor,
  templateRequest,
  uniqueKey,
  withUnit,
  type FieldDraft,
} from './specTemplates';

const PUMP = {
  category: 'Pompe',
  fields: [
    { key: 'puissance_kw', label: 'Puissance', unit: 'kW' },
    { key: 'tension', label: 'Tension d’alimentation', unit: null },
    { key: 'debit', label: 'Débit', unit: 'm³/h' },
  ],
};

const draft = (label: string, key: string, keyEdited = false, unit = ''): FieldDraft => ({
  uid: key || label,
  label,
  key,
  unit,
  keyEdited,
});

describe('keys from labels', () => {
  it('lowercases, drops accents and joins words with _', () => {
    expect(keyFromLabel('Puissance')).toBe('puissance');
    expect(keyFromLabel('Tension d’alimentation')).toBe('tension_d_alimentation');
    expect(keyFromLabel('Débit d’air (m³/h)')).toBe('debit_d_air_m3_h');
    expect(keyFromLabel('  Cœur — Ø ext. ')).toBe('coeur_ext');
    expect(keyFromLabel('Année')).toBe('annee');
  });

  it('starts with a letter, stays within 40 characters, and is blank for a blank label', () => {
    expect(keyFromLabel('2e vitesse')).toBe('spec_2e_vitesse');
    expect(keyFromLabel('')).toBe('');
    expect(keyFromLabel(' — ')).toBe('');
    const long = keyFromLabel('Pression maximale de service en sortie de pompe');
    expect(long).toBe('pression_maximale_de_service_en_sortie_d');
    expect(long).toHaveLength(40);
    expect(keyFromLabel('a'.repeat(39) + ' b')).toBe('a'.repeat(39));
  });

  it('numbers a key another field has', () => {
    expect(uniqueKey('debit', new Set(['debit']))).toBe('debit_2');
    expect(uniqueKey('debit', new Set(['debit', 'debit_2']))).toBe('debit_3');
    expect(uniqueKey('debit', new Set())).toBe('debit');
    expect(uniqueKey('x'.repeat(40), new Set(['x'.repeat(40)]))).toBe(`${'x'.repeat(38)}_2`);
  });

  it('checks keys as the server does', () => {
    expect(checkSpecKey('puissance_kw')).toBeNull();
    expect(checkSpecKey('')).toEqual({ code: 'required' });
    expect(checkSpecKey('Puissance')).toEqual({ code: 'invalid_key' });
    expect(checkSpecKey('2e')).toEqual({ code: 'invalid_key' });
    expect(checkSpecKey('débit')).toEqual({ code: 'invalid_key' });
    expect(checkSpecKey('k'.repeat(41))).toEqual({ code: 'too_long', max: 40 });
  });
});

describe('the template editor', () => {
  it('lets the key follow the label until the key is edited', () => {
    let list = [draft('Puissance', 'puissance'), draft('', '')];
    list = relabel(list, 1, 'Débit');
    expect(list[1]?.key).toBe('debit');
    list = relabel(list, 1, 'Puissance');
    expect(list[1]?.key).toBe('puissance_2');
    const edited = relabel([draft('Débit', 'debit_eau', true)], 0, 'Débit d’eau');
    expect(edited[0]).toMatchObject({ label: 'Débit d’eau', key: 'debit_eau' });
  });

  it('moves a field up and down, not past the ends', () => {
    expect(moveField(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveField(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveField(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveField(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('reports every problem of every field', () => {
    const errors = checkFieldDrafts([
      draft('Puissance', 'puissance', true, 'kW'),
      draft('', 'Puissance', true),
      draft('Puissance bis', 'puissance', true, 'x'.repeat(21)),
    ]);
    expect(errors).toEqual([
      {},
      { label: { code: 'required' }, key: { code: 'invalid_key' } },
      { key: { code: 'duplicate_key' }, unit: { code: 'too_long', max: 20 } },
    ]);
  });

  it('sends trimmed fields, a blank unit as null', () => {
    expect(templateRequest(' Pompe ', [draft(' Débit ', 'debit ', true, ' ')])).toEqual({
      category: 'Pompe',
      fields: [{ key: 'debit', label: 'Débit', unit: null }],
    });
  });

  it('places the server’s field errors', () => {
    expect(draftErrorPath('fields[3].key')).toEqual({ index: 3, part: 'key' });
    expect(draftErrorPath('fields')).toBeNull();
    expect(draftErrorPath('category')).toBeNull();
  });
});

describe('an equipment’s specifications through its template', () => {
  it('finds the template case and spaces aside', () => {
    expect(templateFor([PUMP], ' pompe ')).toBe(PUMP);
    expect(templateFor([PUMP], 'POMPE')).toBe(PUMP);
    expect(templateFor([PUMP], 'Pompes')).toBeNull();
    expect(templateFor([PUMP], null)).toBeNull();
    expect(templateFor(undefined, 'Pompe')).toBeNull();
  });

  it('reads labels in the template’s order with units, then the other keys', () => {
    const specs = { serie: 'A-12', tension: '400 V', puissance_kw: 7.5, annee: 2019 };
    expect(specLines(specs, PUMP, 'fr-FR')).toEqual([
      { key: 'puissance_kw', label: 'Puissance', unit: 'kW', text: '7,5 kW' },
      { key: 'tension', label: 'Tension d’alimentation', unit: null, text: '400 V' },
      { key: 'debit', label: 'Débit', unit: 'm³/h', text: null },
      { key: 'serie', label: null, unit: null, text: 'A-12' },
      { key: 'annee', label: null, unit: null, text: '2019' },
    ]);
    expect(specLines({ puissance_kw: 7.5 }, PUMP, 'en')[0]?.text).toBe('7.5 kW');
    expect(specLines({ debit: 12000 }, PUMP, 'en')[2]?.text).toBe('12,000 m³/h');
    // The narrow no-break space French groups thousands with.
    expect(specLines({ debit: 12000 }, PUMP, 'fr-FR')[2]?.text).toBe('12\u202f000 m³/h');
    expect(specLines({ a: 1 }, null, 'fr-FR')).toEqual([
      { key: 'a', label: null, unit: null, text: '1' },
    ]);
    expect(specLines(null, null, 'fr-FR')).toEqual([]);
  });

  it('does not repeat a unit the value carries', () => {
    expect(withUnit('400 V', 'V')).toBe('400 V');
    expect(withUnit('400', 'V')).toBe('400 V');
    expect(withUnit('7,5', null)).toBe('7,5');
  });
});

describe('the equipment form under a template', () => {
  const SPECS = { puissance_kw: 22, tension: '400 V', serie: 'A-12' };

  it('asks the template’s fields and keeps the other keys as free rows', () => {
    const form = specForm(SPECS, PUMP.fields);
    expect(form).toEqual({
      values: { puissance_kw: '22', tension: '400 V' },
      rows: [{ key: 'serie', value: 'A-12' }],
    });
    // Numbers stay numbers; blank fields are left out; the template's order first.
    expect(
      specFormToSpecs({ ...form, values: { ...form.values, debit: ' ' } }, PUMP.fields),
    ).toEqual({ puissance_kw: 22, tension: '400 V', serie: 'A-12' });
    expect(sameSpecs(specFormToSpecs(form, PUMP.fields), SPECS)).toBe(true);
  });

  it('writes numbers with the reader’s decimal separator, read back as numbers', () => {
    const fr = specForm({ puissance_kw: 7.5, code: '7.5' }, PUMP.fields, 'fr-FR');
    expect(fr).toEqual({ values: { puissance_kw: '7,5' }, rows: [{ key: 'code', value: '7.5' }] });
    expect(specFormToSpecs(fr, PUMP.fields)).toEqual({ puissance_kw: 7.5, code: 7.5 });
    expect(specForm({ puissance_kw: 7.5 }, PUMP.fields, 'en').values).toEqual({
      puissance_kw: '7.5',
    });
  });

  it('switches the asked fields without losing what was typed', () => {
    const form = specForm(SPECS, PUMP.fields);
    const typed = { ...form, values: { ...form.values, debit: '12,5' } };
    const MOTOR = [{ key: 'tension', label: 'Tension', unit: 'V' }];
    const motor = retemplate(typed, MOTOR);
    expect(motor).toEqual({
      values: { tension: '400 V' },
      rows: [
        { key: 'serie', value: 'A-12' },
        { key: 'puissance_kw', value: '22' },
        { key: 'debit', value: '12,5' },
      ],
    });
    const none = retemplate(motor, []);
    expect(specFormToSpecs(none, [])).toEqual({
      serie: 'A-12',
      puissance_kw: 22,
      debit: 12.5,
      tension: '400 V',
    });
    expect(retemplate(none, PUMP.fields)).toEqual({
      values: { puissance_kw: '22', tension: '400 V', debit: '12,5' },
      rows: [{ key: 'serie', value: 'A-12' }],
    });
  });

  it('refuses a free row named like a filled field of the template', () => {
    const form = { values: { puissance_kw: '22' }, rows: [{ key: 'puissance_kw', value: '30' }] };
    expect(checkSpecForm(form, PUMP.fields)).toEqual({
      code: 'specification_key_twice',
      key: 'puissance_kw',
    });
    expect(checkSpecForm({ values: { puissance_kw: '' }, rows: [] }, PUMP.fields)).toBeNull();
  });
});

describe('a specification template in the audit log', () => {
  it('is named by its category', async () => {
    const entry = {
      actor_id: 'u-1',
      actor_name: 'Camille Admin',
      actor_email: 'admin@demo.test',
      action: 'update',
      entity: 'spec_template',
      entity_id: '01a23c7e-7f16-70c2-a7fc-faf8e8811dee',
      changes: {
        category: 'Pompe',
        fields: { before: [], after: [{ key: 'debit', label: 'Débit', unit: 'm³/h' }] },
      },
      labels: {},
    };
    expect(describeEntry(await testI18n('fr'), entry).text).toBe(
      'Camille Admin a modifié la fiche technique Pompe',
    );
    expect(describeEntry(await testI18n('en'), entry).text).toBe(
      'Camille Admin changed specification template Pompe',
    );
  });
});
