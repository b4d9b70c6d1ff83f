import { describe, expect, it } from 'vitest';

import { testI18n } from '../i18n/testing';
import {
  actionName,
  changeRows,
  dayRangeToInstants,
  describeEntry,
  detailRows,
  entityLabel,
  entityName,
  fieldName,
  humanize,
  listChange,
  sentenceParts,
  valueText,
} from './audit';

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

describe('audit entries as sentences', () => {
  const karim = { actor_id: 'u-1', actor_name: 'Karim Benali', actor_email: 'karim@demo.test' };
  const orderId = '01a23c7e-7f16-70c2-a7fc-faf8e8811dee';
  const techId = '01a23c7a-3bfa-7408-bb1c-748a74c411db';
  const roleId = '3fbd5e9f-e364-4040-8ca5-32abd04d6535';

  it('says who did what to which object, in French and in English', async () => {
    const start = {
      ...karim,
      action: 'start',
      entity: 'work_order',
      entity_id: orderId,
      changes: { reason: null, status: { before: 'assigned', after: 'in_progress' } },
      labels: { [orderId]: 'BT-2026-00042 — Fuite' },
    };
    const fr = describeEntry(await testI18n('fr'), start);
    expect(fr.text).toBe('Karim Benali a démarré le bon BT-2026-00042 — Fuite');
    expect(fr.link).toBe(`/work-orders/${orderId}`);
    expect(sentenceParts(fr.template)).toEqual([
      { kind: 'actor' },
      { kind: 'text', text: ' a démarré le bon ' },
      { kind: 'name' },
    ]);
    expect(describeEntry(await testI18n('en'), start).text).toBe(
      'Karim Benali started work order BT-2026-00042 — Fuite',
    );
  });

  it('names invitees by their address and roles by the labels', async () => {
    const i18n = await testI18n('fr');
    const invite = {
      actor_id: 'u-2',
      actor_name: 'Anne Martin',
      action: 'invite',
      entity: 'invitation',
      entity_id: '01a23c7e-9747-7559-bdd6-b3ec3bf0a7cf',
      changes: { email: 'nadia@demo.test', full_name: 'Nadia Benali', role_id: roleId },
      labels: { [roleId]: 'Technicien' },
    };
    expect(describeEntry(i18n, invite).text).toBe(
      'Anne Martin a invité nadia@demo.test comme Technicien',
    );
    // Without its labels, an id is not shown raw.
    expect(describeEntry(i18n, { ...invite, labels: {} }).text).toBe(
      'Anne Martin a invité nadia@demo.test comme (supprimé)',
    );
  });

  it('uses the values an action carries: people, durations, files, dates', async () => {
    const i18n = await testI18n('fr');
    const base = { ...karim, entity: 'work_order', entity_id: orderId };
    const labels = { [orderId]: 'BT-1 — Fuite', [techId]: 'Karim Benali', 'u-3': 'Sophie Durand' };
    expect(
      describeEntry(i18n, {
        ...base,
        action: 'assign',
        changes: { assignee_ids: { before: [], after: [techId, 'u-3'] } },
        labels: { ...labels, '11111111-1111-1111-1111-111111111111': 'x' },
      }).text,
    ).toBe('Karim Benali a attribué le bon BT-1 — Fuite à Karim Benali et (supprimé)');
    expect(
      describeEntry(i18n, {
        ...base,
        action: 'log_time',
        changes: { time_entry: { id: 'x', minutes: 95, user_id: techId } },
        labels,
      }).text,
    ).toBe('Karim Benali a saisi 1 h 35 pour Karim Benali sur le bon BT-1 — Fuite');
    expect(
      describeEntry(i18n, {
        ...base,
        actor_id: techId,
        action: 'log_time',
        changes: { time_entry: { id: 'x', minutes: 60, user_id: techId } },
        labels,
      }).text,
    ).toBe('Karim Benali a saisi 1 h sur le bon BT-1 — Fuite');
    expect(
      describeEntry(i18n, {
        ...base,
        action: 'attach',
        changes: { attachment: { id: 'a', file_name: 'fuite.jpg' } },
        labels,
      }).text,
    ).toBe('Karim Benali a joint fuite.jpg au bon BT-1 — Fuite');
  });

  it('reads system entries and actions no translation knows', async () => {
    const i18n = await testI18n('fr');
    expect(
      describeEntry(i18n, {
        action: 'generate',
        entity: 'work_order',
        entity_id: orderId,
        changes: { pm_plan_id: { before: null, after: 'p-1' } },
        labels: { [orderId]: 'BT-7 — Graissage' },
      }).text,
    ).toBe('Le système a créé le bon BT-7 — Graissage depuis le plan (supprimé)');
    expect(
      describeEntry(await testI18n('en'), {
        ...karim,
        action: 'calibrate',
        entity: 'meter',
        entity_id: null,
        changes: {},
        labels: {},
      }).text,
    ).toBe('Karim Benali — Calibrate');
    // A deleted object keeps the name it had.
    expect(
      describeEntry(i18n, {
        ...karim,
        action: 'delete',
        entity: 'role',
        entity_id: roleId,
        changes: { name: { before: 'Magasinier', after: null } },
        labels: {},
      }).text,
    ).toBe('Karim Benali a supprimé le rôle Magasinier');
    expect(humanize('seed_demo_history')).toBe('Seed demo history');
    expect(actionName(i18n, 'seed_demo_history')).toBe('Historique de démonstration');
    expect(actionName(i18n, 'calibrate')).toBe('Calibrate');
    expect(entityName(i18n, 'work_order')).toBe('Bon de travail');
  });
});

describe('audit changes as fields', () => {
  it('opens recorded objects, leaves ids and empty values out, puts the status first', () => {
    expect(
      detailRows({
        action: 'log_time',
        changes: { time_entry: { id: 'x', minutes: 60, user_id: 'u' } },
      }),
    ).toEqual([
      { field: 'minutes', parent: 'time_entry', before: null, after: 60, kind: 'value' },
      { field: 'user_id', parent: 'time_entry', before: null, after: 'u', kind: 'value' },
    ]);
    expect(
      detailRows({
        action: 'hold',
        changes: { reason: 'Pièce', status: { before: 'in_progress', after: 'on_hold' } },
      }).map((r) => [r.field, r.kind]),
    ).toEqual([
      ['status', 'change'],
      ['reason', 'value'],
    ]);
    expect(detailRows({ action: 'start', changes: { reason: null } })).toEqual([]);
    // A deletion shows what was there.
    expect(
      detailRows({ action: 'delete', changes: { name: { before: 'Magasinier', after: null } } }),
    ).toEqual([{ field: 'name', parent: null, before: null, after: 'Magasinier', kind: 'value' }]);
    // A checklist answer: only what was answered.
    expect(
      detailRows({
        action: 'answer_checklist_item',
        changes: {
          item: { id: 'i', label: 'Pression' },
          answer: {
            before: { checked: null, number_value: null },
            after: { checked: null, number_value: 2.5 },
          },
        },
      }).map((r) => [r.parent, r.field, r.after]),
    ).toEqual([
      ['item', 'label', 'Pression'],
      ['answer', 'number_value', 2.5],
    ]);
  });

  it('formats values with names, dates, durations and translated enums', async () => {
    const i18n = await testI18n('fr');
    const entry = {
      action: 'update',
      entity: 'work_order',
      changes: {},
      labels: { '01a23c7a-3bfa-7408-bb1c-748a74c411db': 'Karim Benali' },
    };
    const value = (v: unknown, field: string, parent: string | null = null) =>
      valueText(i18n, v, { entity: entry.entity, row: { field, parent }, entry, names: {} });
    expect(value('in_progress', 'status')).toBe('En cours');
    expect(value('urgent', 'priority')).toBe('Urgente');
    expect(value('01a23c7a-3bfa-7408-bb1c-748a74c411db', 'user_id')).toBe('Karim Benali');
    expect(value(90, 'minutes', 'time_entry')).toBe('1 h 30');
    expect(value(true, 'required')).toBe('Oui');
    expect(value('cal:2026-12-14', 'occurrence')).toBe('14 déc. 2026');
    expect(value([1, 3], 'cal_weekdays')).toBe('lundi, mercredi');
    expect(value([{ label: 'A' }, { label: 'B' }], 'checklist')).toBe('2 points : A · B');
    expect(value(1536, 'size_bytes')).toBe('1,5 Ko');
    expect(listChange(['a', 'b'], ['b', 'c'])).toEqual({ added: ['c'], removed: ['a'] });
    expect(fieldName(i18n, { field: 'label', parent: 'item' })).toBe('Point');
    expect(fieldName(i18n, { field: 'minutes', parent: 'time_entry' })).toBe('Durée');
    expect(fieldName(i18n, { field: 'brand_new', parent: null })).toBe('Brand new');
  });
});

describe('audit changes of undoings', () => {
  it('shows what a restored due date was, once', () => {
    expect(
      detailRows({
        action: 'unskip_occurrence',
        changes: {
          due_on: { before: '2026-12-14', after: null },
          occurrence: { before: 'cal:2026-12-14', after: null },
          reason: { before: 'Arrêt usine', after: null },
        },
      }).map((r) => [r.field, r.kind, r.after]),
    ).toEqual([
      ['reason', 'value', 'Arrêt usine'],
      ['due_on', 'value', '2026-12-14'],
    ]);
  });
});
