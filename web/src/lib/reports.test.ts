import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/errors';
import { testI18n } from '../i18n/testing';
import {
  REPORT_INDICATORS,
  checkSchedule,
  deliveryInProgress,
  mayReceive,
  ordinalDay,
  periodLabel,
  recipientCount,
  reportSites,
  scheduleErrors,
  scheduleFieldOf,
  scheduleRequest,
  scheduleSentence,
  scheduleToValues,
  type ReportDelivery,
  type ReportSchedule,
  type ScheduleValues,
} from './reports';

const fr = await testI18n('fr');
const en = await testI18n('en');

const SCHEDULE: ReportSchedule = {
  id: 's1',
  name: 'Indicateurs du mois',
  frequency: { kind: 'monthly', day: 1 },
  time: '07:00',
  time_zone: 'Europe/Paris',
  recipients: { member_ids: ['m1'], emails: ['direction@example.com', 'parti@example.com'] },
  unsubscribed: ['Parti@example.com'],
  filters: { site_id: 'site-a', category: 'Compresseurs', equipment_id: 'eq-1' },
  indicators: ['mttr', 'mtbf'],
  format: 'pdf',
  language: 'fr',
  active: true,
  next_run_at: '2026-12-01T06:00:00Z',
  next_period_start: '2026-10-31T23:00:00Z',
  next_period_end: '2026-11-30T23:00:00Z',
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
};

const values = (over: Partial<ScheduleValues> = {}): ScheduleValues => ({
  ...scheduleToValues(null, 'fr'),
  name: 'Rapport',
  emails: ['direction@example.com'],
  ...over,
});

describe('when a report goes out, in words', () => {
  it('writes the day of the month as an ordinal', () => {
    expect(ordinalDay(1, 'fr')).toBe('1er');
    expect(ordinalDay(2, 'fr')).toBe('2');
    expect(ordinalDay(1, 'en')).toBe('1st');
    expect(ordinalDay(2, 'en')).toBe('2nd');
    expect(ordinalDay(3, 'en')).toBe('3rd');
    expect(ordinalDay(11, 'en')).toBe('11th');
    expect(ordinalDay(22, 'en')).toBe('22nd');
  });

  it('says each frequency in French', () => {
    expect(scheduleSentence(fr, { kind: 'daily' }, '07:00')).toBe('Chaque jour à 07:00');
    expect(scheduleSentence(fr, { kind: 'weekly', weekday: 1 }, '07:00', 'Europe/Paris')).toBe(
      'Chaque lundi à 07:00 (Europe/Paris)',
    );
    expect(scheduleSentence(fr, { kind: 'weekly', weekday: 7 }, '18:30')).toBe(
      'Chaque dimanche à 18:30',
    );
    expect(scheduleSentence(fr, { kind: 'monthly', day: 1 }, '07:00')).toBe(
      'Le 1er de chaque mois à 07:00',
    );
    expect(scheduleSentence(fr, { kind: 'monthly', day: 15 }, '06:45')).toBe(
      'Le 15 de chaque mois à 06:45',
    );
  });

  it('says each frequency in English', () => {
    expect(scheduleSentence(en, { kind: 'daily' }, '07:00')).toBe('Every day at 07:00');
    expect(scheduleSentence(en, { kind: 'weekly', weekday: 5 }, '07:00', 'America/Toronto')).toBe(
      'Every Friday at 07:00 (America/Toronto)',
    );
    expect(scheduleSentence(en, { kind: 'monthly', day: 23 }, '07:00')).toBe(
      'On the 23rd of every month at 07:00',
    );
  });

  it('reads the period in the schedule’s zone, its end excluded', () => {
    // November 2026 in Paris: from the midnight of the 1st to that of 1 December.
    expect(
      periodLabel(fr, SCHEDULE.next_period_start, SCHEDULE.next_period_end, 'Europe/Paris'),
    ).toBe('du 1 nov. 2026 au 30 nov. 2026');
    expect(
      periodLabel(en, SCHEDULE.next_period_start, SCHEDULE.next_period_end, 'Europe/Paris'),
    ).toBe('Nov 1, 2026 to Nov 30, 2026');
    // One day, across the autumn clock change (25 hours).
    expect(periodLabel(fr, '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', 'Europe/Paris')).toBe(
      '25 oct. 2026',
    );
    // The same instants are other days in Toronto.
    expect(periodLabel(fr, '2026-11-02T05:00:00Z', '2026-11-09T05:00:00Z', 'America/Toronto')).toBe(
      'du 2 nov. 2026 au 8 nov. 2026',
    );
  });
});

describe('recipients', () => {
  it('counts members and the outside addresses still subscribed', () => {
    expect(recipientCount(SCHEDULE)).toBe(2);
  });

  const member = { role: { id: 'r' }, site_ids: null, active: true };
  it('lets a member receive a report when their role reads the indicators of its sites', () => {
    expect(mayReceive(member, ['kpis:read'], null)).toBe(true);
    expect(mayReceive(member, ['sites:read'], null)).toBe(false);
    // Roles unknown (no `roles:read`): the server decides.
    expect(mayReceive(member, undefined, ['a'])).toBe(true);
    expect(mayReceive({ ...member, active: false }, ['kpis:read'], null)).toBe(false);
    const scoped = { ...member, site_ids: ['a'] };
    expect(mayReceive(scoped, ['kpis:read'], ['a'])).toBe(true);
    expect(mayReceive(scoped, ['kpis:read'], ['b'])).toBe(false);
    expect(mayReceive(scoped, ['kpis:read'], null)).toBe(false);
  });

  it('takes the sites of a report from its filter, else from its author', () => {
    expect(reportSites('a', ['b'])).toEqual(['a']);
    expect(reportSites(null, ['b', 'c'])).toEqual(['b', 'c']);
    expect(reportSites(null, null)).toBeNull();
  });
});

describe('the editor and its request', () => {
  it('starts a new report monthly on the 1st at 07:00, every indicator, PDF, active', () => {
    const blank = scheduleToValues(null, 'en');
    expect(blank).toMatchObject({
      kind: 'monthly',
      day: '1',
      time: '07:00',
      time_zone: null,
      indicators: [...REPORT_INDICATORS],
      format: 'pdf',
      language: 'en',
      active: true,
    });
  });

  it('leaves out the time zone when none is chosen (the server takes the first site’s)', () => {
    const body = scheduleRequest(values());
    expect(body).not.toHaveProperty('time_zone');
    expect(body.frequency).toEqual({ kind: 'monthly', day: 1 });
    expect(body.filters).toEqual({});
  });

  it('leaves out the indicators when every one is chosen (the server takes them all)', () => {
    expect(scheduleRequest(values())).not.toHaveProperty('indicators');
    expect(scheduleRequest(values({ indicators: ['cost', 'mtbf'] })).indicators).toEqual([
      'mtbf',
      'cost',
    ]);
  });

  it('sends the weekday of a weekly report and nothing of a daily one', () => {
    expect(scheduleRequest(values({ kind: 'weekly', weekday: '3', day: '12' })).frequency).toEqual({
      kind: 'weekly',
      weekday: 3,
    });
    expect(scheduleRequest(values({ kind: 'daily' })).frequency).toEqual({ kind: 'daily' });
  });

  it('sends each outside address once, trimmed and in lower case', () => {
    const body = scheduleRequest(
      values({ emails: [' Direction@Example.com', 'direction@example.com', 'b@example.com'] }),
    );
    expect(body.recipients.emails).toEqual(['direction@example.com', 'b@example.com']);
  });

  it('gives back the schedule it was read from, keeping the filters it does not show', () => {
    const body = scheduleRequest(scheduleToValues(SCHEDULE, 'en'), SCHEDULE);
    expect(body).toEqual({
      name: SCHEDULE.name,
      frequency: { kind: 'monthly', day: 1 },
      time: '07:00',
      time_zone: 'Europe/Paris',
      recipients: SCHEDULE.recipients,
      filters: SCHEDULE.filters,
      // In the report's order.
      indicators: ['mtbf', 'mttr'],
      format: 'pdf',
      language: 'fr',
      active: true,
    });
  });

  it('drops the equipment of another site, a plant without its site', () => {
    const moved = scheduleToValues(SCHEDULE, 'fr');
    moved.site_id = 'site-b';
    moved.criticality = 'high';
    expect(scheduleRequest(moved, SCHEDULE).filters).toEqual({
      site_id: 'site-b',
      category: 'Compresseurs',
      criticality: 'high',
    });
    expect(scheduleRequest(values({ plant_id: 'p', production_line_id: 'l' })).filters).toEqual({});
  });

  it('checks what it can before sending', () => {
    expect(checkSchedule(values())).toEqual({});
    expect(checkSchedule(values({ emails: [] }))).toEqual({
      recipients: { code: 'no_recipient' },
    });
    expect(checkSchedule(values({ emails: ['ok@example.com', 'not an address'] }))).toEqual({
      emails: { code: 'invalid_email_in_list', email: 'not an address' },
    });
    expect(checkSchedule(values({ name: ' ', time: '25:00', indicators: [] }))).toEqual({
      name: { code: 'required' },
      time: { code: 'invalid_time' },
      indicators: { code: 'no_indicator' },
    });
  });
});

describe('refusals of the server', () => {
  it('places each field the server names', () => {
    expect(scheduleFieldOf('frequency.weekday')).toBe('weekday');
    expect(scheduleFieldOf('frequency.day')).toBe('day');
    expect(scheduleFieldOf('recipients.emails[2]')).toBe('emails');
    expect(scheduleFieldOf('recipients.member_ids')).toBe('member_ids');
    expect(scheduleFieldOf('recipients')).toBe('recipients');
    expect(scheduleFieldOf('filters.site_id')).toBe('site_id');
    expect(scheduleFieldOf('time_zone')).toBe('time_zone');
    expect(scheduleFieldOf('filters.category')).toBeNull();
    expect(scheduleFieldOf('something_else')).toBeNull();
  });

  const names: Record<string, string> = { m1: 'Karim Benali', m2: 'Julie Martin' };
  const nameOf = (id: string) => names[id] ?? '?';

  it('says which address and which members, under their fields', () => {
    const error = new ApiError(422, 'validation_failed', 'invalid', {
      fields: {
        'recipients.emails[1]': { code: 'invalid_email' },
        'recipients.member_ids': { code: 'cannot_receive', member_ids: ['m1', 'm2'] },
        'frequency.weekday': { code: 'required' },
      },
    });
    const { fields, general } = scheduleErrors(fr, error, ['a@example.com', 'x@y'], nameOf);
    expect(general).toBeNull();
    expect(fields.emails).toBe('« x@y » n’est pas une adresse e-mail valide.');
    expect(fields.member_ids).toBe(
      'Karim Benali, Julie Martin ne peuvent pas recevoir ce rapport : pas d’accès aux indicateurs de ces sites.',
    );
    expect(fields.weekday).toBe('Ce champ est obligatoire.');
  });

  it('puts a taken name under the name, and what has no field above the form', () => {
    const taken = new ApiError(409, 'name_taken', 'taken', { field: 'name' });
    expect(scheduleErrors(en, taken, [], nameOf)).toEqual({
      fields: { name: 'This name is already in use.' },
      general: null,
    });
    const category = new ApiError(422, 'validation_failed', 'invalid', {
      fields: {
        'filters.equipment_id': { code: 'not_found' },
        name: { code: 'too_long', max: 120 },
      },
    });
    const spread = scheduleErrors(en, category, [], nameOf);
    expect(spread.fields).toEqual({ name: 'At most 120 characters.' });
    expect(spread.general).not.toBeNull();
  });
});

describe('the delivery log', () => {
  const delivery = (over: Partial<ReportDelivery>): ReportDelivery => ({
    id: 'd',
    schedule_id: 's1',
    period_start: SCHEDULE.next_period_start,
    period_end: SCHEDULE.next_period_end,
    trigger: 'manual',
    outcome: 'sent',
    attempts: 1,
    created_at: '2026-12-01T06:00:00Z',
    mails: [],
    ...over,
  });
  it('is followed while a report is prepared or a mail is on its way', () => {
    expect(deliveryInProgress(delivery({ outcome: 'preparing' }))).toBe(true);
    expect(deliveryInProgress(delivery({ outcome: 'sending' }))).toBe(true);
    expect(
      deliveryInProgress(
        delivery({ mails: [{ recipient: 'a@example.com', status: 'pending', attempts: 0 }] }),
      ),
    ).toBe(true);
    expect(deliveryInProgress(delivery({ outcome: 'sent' }))).toBe(false);
    expect(deliveryInProgress(delivery({ outcome: 'no_recipients' }))).toBe(false);
  });
});
