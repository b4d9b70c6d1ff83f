import { describe, expect, it } from 'vitest';

import type { Occurrence, PlanTrigger, PmPlan, SkippedOccurrence, Weekday } from '../api/client';
import { testI18n } from '../i18n/testing';
import {
  COMPLIANCE_FAIR,
  COMPLIANCE_GOOD,
  complianceColor,
  dayFromToday,
  draftToTrigger,
  editorFieldOf,
  emptyPlanValues,
  emptyTrigger,
  forecastRows,
  formatCompliance,
  formatDueDay,
  meterThreshold,
  planState,
  planToValues,
  previewBody,
  ruleInWords,
  templateToDraft,
  triggerFieldOf,
  triggerToDraft,
  valuesToRequest,
  type PlanValues,
  type TriggerDraft,
} from './pm';

const frI18n = await testI18n('fr');
const enI18n = await testI18n('en');

const calendar = (
  every: number,
  unit: 'day' | 'week' | 'month' | 'year',
  extra: { weekdays?: Weekday[]; day_of_month?: number } = {},
): PlanTrigger => ({ kind: 'calendar', every, unit, ...extra });

/** Numbers as the reader's language writes them (French groups with a narrow no-break space). */
const n = (value: number, language: string) => new Intl.NumberFormat(language).format(value);

describe('the rule in words, in French', () => {
  const fr = (trigger: PlanTrigger, context = {}) => ruleInWords(frI18n, trigger, context);

  it('says the interval with its plural', () => {
    expect(fr(calendar(1, 'day'))).toBe('Tous les jours');
    expect(fr(calendar(3, 'day'))).toBe('Tous les 3 jours');
    expect(fr(calendar(1, 'week'))).toBe('Toutes les semaines');
    expect(fr(calendar(2, 'week'))).toBe('Toutes les 2 semaines');
    expect(fr(calendar(6, 'month'))).toBe('Tous les 6 mois');
    expect(fr(calendar(1, 'year'))).toBe('Tous les ans');
    expect(fr(calendar(2, 'year'))).toBe('Tous les 2 ans');
  });

  it('names the weekdays of a weekly rule, in week order', () => {
    expect(fr(calendar(1, 'week', { weekdays: ['mon'] }))).toBe('Toutes les semaines, le lundi');
    expect(fr(calendar(2, 'week', { weekdays: ['thu', 'mon'] }))).toBe(
      'Toutes les 2 semaines, le lundi et le jeudi',
    );
    expect(fr(calendar(1, 'week', { weekdays: ['fri', 'mon', 'wed'] }))).toBe(
      'Toutes les semaines, le lundi, le mercredi et le vendredi',
    );
    expect(fr(calendar(1, 'week', { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] }))).toBe(
      'Toutes les semaines, du lundi au vendredi',
    );
  });

  it('takes the weekday or the day of the start when the rule names none', () => {
    // 4 March 2026 is a Wednesday.
    expect(fr(calendar(1, 'week'), { startsOn: '2026-03-04' })).toBe(
      'Toutes les semaines, le mercredi',
    );
    expect(fr(calendar(1, 'month'), { startsOn: '2026-03-04' })).toBe('Tous les mois, le 4');
  });

  it('says the day of the month as a date reads it: 1er, 15, the last day', () => {
    expect(fr(calendar(1, 'month', { day_of_month: 1 }))).toBe('Tous les mois, le 1er');
    expect(fr(calendar(3, 'month', { day_of_month: 15 }))).toBe('Tous les 3 mois, le 15');
    expect(fr(calendar(1, 'month', { day_of_month: 31 }))).toBe(
      'Tous les mois, le dernier jour du mois',
    );
  });

  it('dates a yearly rule from its start', () => {
    expect(fr(calendar(1, 'year'), { startsOn: '2026-03-01' })).toBe('Tous les ans, le 1er mars');
    expect(fr(calendar(1, 'year'), { startsOn: '2024-02-29' })).toBe('Tous les ans, le 29 février');
  });

  it('leaves days out of a floating rule: it counts from the last completion', () => {
    expect(
      fr(calendar(1, 'week', { weekdays: ['mon'] }), {
        scheduleMode: 'floating',
        startsOn: '2026-03-04',
      }),
    ).toBe('Toutes les semaines');
  });

  it('agrees with the meter unit: toutes les 500 h, tous les 10 000 cycles', () => {
    const meter = (every_units: number): PlanTrigger => ({
      kind: 'meter',
      meter_id: 'm',
      every_units,
    });
    expect(fr(meter(500), { meterUnit: 'h' })).toBe('Toutes les 500 h');
    expect(fr(meter(10_000), { meterUnit: 'cycles' })).toBe(`Tous les ${n(10_000, 'fr')} cycles`);
    expect(
      fr(
        {
          kind: 'calendar_or_meter',
          every: 3,
          unit: 'month',
          meter_id: 'm',
          every_units: 1500,
        },
        { meterUnit: 'h', scheduleMode: 'floating' },
      ),
    ).toBe(`Tous les 3 mois ou toutes les ${n(1500, 'fr')} h, au premier atteint`);
  });
});

describe('the rule in words, in English', () => {
  const en = (trigger: PlanTrigger, context = {}) => ruleInWords(enI18n, trigger, context);

  it('says the interval with its plural', () => {
    expect(en(calendar(1, 'day'))).toBe('Every day');
    expect(en(calendar(3, 'day'))).toBe('Every 3 days');
    expect(en(calendar(1, 'month'))).toBe('Every month');
    expect(en(calendar(2, 'year'))).toBe('Every 2 years');
  });

  it('names the weekdays', () => {
    expect(en(calendar(1, 'week', { weekdays: ['mon'] }))).toBe('Every week on Monday');
    expect(en(calendar(2, 'week', { weekdays: ['thu', 'mon'] }))).toBe(
      'Every 2 weeks on Monday and Thursday',
    );
    expect(en(calendar(1, 'week', { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] }))).toBe(
      'Every week on weekdays',
    );
  });

  it('uses ordinal days: 1st, 2nd, 3rd, 11th, 21st, 22nd, 23rd', () => {
    const day = (d: number) => en(calendar(1, 'month', { day_of_month: d }));
    expect(day(1)).toBe('Every month on the 1st');
    expect(day(2)).toBe('Every month on the 2nd');
    expect(day(3)).toBe('Every month on the 3rd');
    expect(day(11)).toBe('Every month on the 11th');
    expect(day(12)).toBe('Every month on the 12th');
    expect(day(21)).toBe('Every month on the 21st');
    expect(day(22)).toBe('Every month on the 22nd');
    expect(day(23)).toBe('Every month on the 23rd');
    expect(day(31)).toBe('Every month on the last day');
    expect(en(calendar(1, 'year'), { startsOn: '2026-03-01' })).toBe('Every year on March 1st');
  });

  it('says meter rules and whichever comes first', () => {
    expect(en({ kind: 'meter', meter_id: 'm', every_units: 500 }, { meterUnit: 'h' })).toBe(
      'Every 500 h',
    );
    expect(
      en(
        { kind: 'calendar_or_meter', every: 3, unit: 'month', meter_id: 'm', every_units: 1500 },
        { meterUnit: 'h', scheduleMode: 'floating' },
      ),
    ).toBe('Every 3 months or every 1,500 h, whichever comes first');
  });
});

describe('the trigger fields ⇄ the API trigger', () => {
  const draft = (changes: Partial<TriggerDraft>): TriggerDraft => ({
    ...emptyTrigger(),
    ...changes,
  });

  it('round-trips every kind of trigger', () => {
    const triggers: PlanTrigger[] = [
      { kind: 'calendar', every: 2, unit: 'week', weekdays: ['mon', 'thu'], day_of_month: null },
      { kind: 'calendar', every: 1, unit: 'month', weekdays: null, day_of_month: 31 },
      { kind: 'calendar', every: 1, unit: 'year', weekdays: null, day_of_month: null },
      { kind: 'meter', meter_id: 'meter-1', every_units: 500 },
      {
        kind: 'calendar_or_meter',
        every: 3,
        unit: 'month',
        weekdays: null,
        day_of_month: null,
        meter_id: 'meter-1',
        every_units: 1500,
      },
    ];
    for (const trigger of triggers) {
      expect(draftToTrigger(triggerToDraft(trigger))).toEqual({ trigger });
    }
  });

  it('reads numbers as they are typed and sorts the weekdays', () => {
    expect(draftToTrigger(draft({ every: '2', unit: 'week', weekdays: ['fri', 'mon'] }))).toEqual({
      trigger: {
        kind: 'calendar',
        every: 2,
        unit: 'week',
        weekdays: ['mon', 'fri'],
        day_of_month: null,
      },
    });
    expect(draftToTrigger(draft({ kind: 'meter', meter_id: 'm', every_units: '1 500,5' }))).toEqual(
      { trigger: { kind: 'meter', meter_id: 'm', every_units: 1500.5 } },
    );
  });

  it('leaves out what does not apply to the unit', () => {
    const monthly = draftToTrigger(draft({ unit: 'month', weekdays: ['mon'], day_of_month: '15' }));
    expect(monthly).toEqual({
      trigger: { kind: 'calendar', every: 1, unit: 'month', weekdays: null, day_of_month: 15 },
    });
    const weekly = draftToTrigger(draft({ unit: 'week', day_of_month: 12 }));
    expect(weekly).toEqual({
      trigger: { kind: 'calendar', every: 1, unit: 'week', weekdays: null, day_of_month: null },
    });
  });

  it('refuses what the server refuses, field by field', () => {
    const problems = (d: Partial<TriggerDraft>) => {
      const result = draftToTrigger(draft(d));
      return 'problems' in result ? result.problems : {};
    };
    expect(problems({ every: '' })).toEqual({ every: { code: 'required' } });
    expect(problems({ every: 0 })).toEqual({
      every: { code: 'out_of_range', min: 1, max: 1000 },
    });
    expect(problems({ every: '1,5' }).every?.code).toBe('out_of_range');
    expect(problems({ every: 1001 }).every?.code).toBe('out_of_range');
    expect(problems({ every: 'deux' })).toEqual({ every: { code: 'invalid_number' } });
    expect(problems({ day_of_month: 32 })).toEqual({
      day_of_month: { code: 'out_of_range', min: 1, max: 31 },
    });
    expect(problems({ kind: 'meter', every_units: '0' })).toEqual({
      meter_id: { code: 'required' },
      every_units: { code: 'out_of_range', min: 0 },
    });
    expect(problems({ kind: 'calendar_or_meter', meter_id: 'm', every_units: 'abc' })).toEqual({
      every_units: { code: 'invalid_number' },
    });
  });

  it('puts the server’s trigger errors under the field they name', () => {
    expect(triggerFieldOf('trigger.every', { code: 'out_of_range', min: 1, max: 1000 })).toBe(
      'every',
    );
    expect(triggerFieldOf('trigger.weekdays', { code: 'weekdays_need_weekly_rule' })).toBe(
      'weekdays',
    );
    expect(triggerFieldOf('trigger.day_of_month', { code: 'out_of_range', min: 1, max: 31 })).toBe(
      'day_of_month',
    );
    expect(triggerFieldOf('trigger.every_units', { code: 'out_of_range', min: 0 })).toBe(
      'every_units',
    );
    expect(triggerFieldOf('trigger.meter_id', { code: 'unknown_meter' })).toBe('meter_id');
    // The name wins over the code.
    expect(
      triggerFieldOf('trigger.day_of_month', { code: 'day_of_month_needs_monthly_rule' }),
    ).toBe('day_of_month');
    expect(editorFieldOf('trigger.every_units', { code: 'out_of_range', min: 0 })).toBe(
      'every_units',
    );
    expect(editorFieldOf('checklist[2]', { code: 'required' })).toBe('checklist');
    expect(editorFieldOf('lead_time_days', { code: 'out_of_range' })).toBe('lead_time_days');
  });

  it('places an error on the plain trigger by its code, else under the interval', () => {
    expect(triggerFieldOf('trigger', { code: 'unknown_meter' })).toBe('meter_id');
    expect(triggerFieldOf('trigger', { code: 'weekdays_need_weekly_rule' })).toBe('weekdays');
    expect(triggerFieldOf('trigger', { code: 'day_of_month_needs_monthly_rule' })).toBe(
      'day_of_month',
    );
    expect(triggerFieldOf('trigger', { code: 'out_of_range', min: 1, max: 1000 })).toBe('every');
    expect(triggerFieldOf('trigger.unit', { code: 'shiny_new' })).toBe('every');
    expect(editorFieldOf('trigger', { code: 'unknown_meter' })).toBe('meter_id');
  });
});

describe('the plan editor ⇄ the API plan', () => {
  const values = (changes: Partial<PlanValues> = {}): PlanValues => ({
    ...emptyPlanValues('equipment-1', '2026-03-02'),
    title: '  Graissage du tour ',
    unit: 'week',
    weekdays: ['mon'],
    ...changes,
  });

  it('builds the request, with the defaults of the server', () => {
    expect(valuesToRequest(values())).toEqual({
      request: {
        equipment_id: 'equipment-1',
        title: 'Graissage du tour',
        description: null,
        estimated_minutes: null,
        assignee_ids: [],
        priority: 'normal',
        starts_on: '2026-03-02',
        ends_on: null,
        lead_time_days: 7,
        trigger: {
          kind: 'calendar',
          every: 1,
          unit: 'week',
          weekdays: ['mon'],
          day_of_month: null,
        },
        schedule_mode: 'fixed',
        first_occurrence: 'after_lead_time',
      },
    });
    // Asked for: from the start date, within the lead time.
    expect(valuesToRequest(values({ first_from_start: true }))).toMatchObject({
      request: { first_occurrence: 'from_start' },
    });
  });

  it('checks every field with the server’s rules', () => {
    const result = valuesToRequest(
      values({
        equipment_id: null,
        title: ' ',
        estimated_minutes: 0,
        lead_time_days: 400,
        ends_on: '2026-03-01',
        every: 0,
      }),
    );
    expect('problems' in result && result.problems).toEqual({
      equipment_id: { code: 'required' },
      title: { code: 'required' },
      estimated_minutes: { code: 'out_of_range', min: 1, max: 100_000 },
      lead_time_days: { code: 'out_of_range', min: 0, max: 365 },
      ends_on: { code: 'before_start' },
      every: { code: 'out_of_range', min: 1, max: 1000 },
    });
  });

  it('previews the schedule before the title is typed, and nothing while it is wrong', () => {
    const body = previewBody(values({ title: '' }), 'Plan sans titre', '2027-03-02');
    expect(body).toMatchObject({
      title: 'Plan sans titre',
      starts_on: '2026-03-02',
      until: '2027-03-02',
      trigger: { kind: 'calendar', every: 1, unit: 'week', weekdays: ['mon'] },
      first_occurrence: 'after_lead_time',
    });
    expect(body).not.toHaveProperty('checklist');
    expect(previewBody(values({ first_from_start: true }), 'x', '2027-03-02')).toMatchObject({
      first_occurrence: 'from_start',
    });
    expect(previewBody(values({ every: '' }), 'x', '2027-03-02')).toBeNull();
    expect(previewBody(values({ equipment_id: null }), 'x', '2027-03-02')).toBeNull();
  });

  it('opens a saved plan in the editor as it was written', () => {
    const plan = {
      equipment_id: 'e',
      title: 'Vidange',
      description: null,
      checklist: [
        {
          label: 'Niveau',
          kind: 'number',
          required: true,
          unit: 'l',
          min_value: 2,
          max_value: null,
        },
      ],
      estimated_minutes: 45,
      assignee_ids: ['u1'],
      priority: 'high',
      starts_on: '2026-01-05',
      ends_on: null,
      lead_time_days: 3,
      trigger: { kind: 'meter', meter_id: 'm', every_units: 2000 },
      schedule_mode: 'floating',
    } as unknown as PmPlan;
    const opened = planToValues(plan);
    expect(opened).toMatchObject({
      kind: 'meter',
      meter_id: 'm',
      every_units: 2000,
      description: '',
      estimated_minutes: 45,
      lead_time_days: 3,
      schedule_mode: 'floating',
    });
    expect(valuesToRequest(opened)).toMatchObject({
      request: { trigger: { kind: 'meter', meter_id: 'm', every_units: 2000 }, priority: 'high' },
    });
    expect(plan.checklist.map(templateToDraft)).toEqual([
      { label: 'Niveau', kind: 'number', required: true, unit: 'l', min: 2, max: '' },
    ]);
  });
});

describe('plans at a glance', () => {
  it('colours compliance: green from 90 %, orange from 70 %, red below, grey without history', () => {
    expect(COMPLIANCE_GOOD).toBe(0.9);
    expect(COMPLIANCE_FAIR).toBe(0.7);
    expect(complianceColor(1)).toBe('teal');
    expect(complianceColor(0.9)).toBe('teal');
    expect(complianceColor(0.8999)).toBe('orange');
    expect(complianceColor(0.7)).toBe('orange');
    expect(complianceColor(0.6999)).toBe('red');
    expect(complianceColor(0)).toBe('red');
    expect(complianceColor(null)).toBe('gray');
    expect(complianceColor(undefined)).toBe('gray');
    expect(complianceColor(Number.NaN)).toBe('gray');
  });

  it('writes compliance as a percentage', () => {
    expect(formatCompliance(0.92, 'en')).toBe('92%');
    expect(formatCompliance(0.92, 'fr')).toBe(
      new Intl.NumberFormat('fr', { style: 'percent' }).format(0.92),
    );
    expect(formatCompliance(null, 'fr')).toBe('—');
  });

  it('tells active, paused and archived plans apart', () => {
    expect(planState({ active: true, archived_at: null })).toBe('active');
    expect(planState({ active: false, archived_at: null })).toBe('paused');
    expect(planState({ active: false, archived_at: '2026-01-01T00:00:00Z' })).toBe('archived');
  });

  it('counts days from today in the reader’s calendar', () => {
    expect(dayFromToday(0, new Date(2026, 1, 27))).toBe('2026-02-27');
    expect(dayFromToday(2, new Date(2026, 1, 27))).toBe('2026-03-01');
    expect(dayFromToday(92, new Date(2026, 11, 1))).toBe('2027-03-03');
  });
});

describe('the coming due dates with the skipped ones', () => {
  const coming = (occurrence: string, due_at: string): Occurrence => ({
    occurrence,
    due_at,
    cause: 'calendar',
  });
  const skip = (occurrence: string, due_on: string | null): SkippedOccurrence => ({
    occurrence,
    due_on,
    reason: 'Arrêt technique',
    skipped_by: { id: 'u1', full_name: 'Sophie Durand' },
    skipped_at: '2026-11-20T09:30:00Z',
  });

  it('puts the skipped ones among the others, in date order', () => {
    const rows = forecastRows(
      [
        coming('cal:2026-11-30', '2026-11-30T07:00:00Z'),
        coming('cal:2026-12-14', '2026-12-14T07:00:00Z'),
      ],
      [skip('cal:2026-12-07', '2026-12-07'), skip('cal:2026-11-23', '2026-11-23')],
      '2026-11-21',
      '2027-02-21',
    );
    expect(rows.map((r) => [r.kind, r.occurrence])).toEqual([
      ['skipped', 'cal:2026-11-23'],
      ['coming', 'cal:2026-11-30'],
      ['skipped', 'cal:2026-12-07'],
      ['coming', 'cal:2026-12-14'],
    ]);
  });

  it('orders a skipped day right whatever the site’s time zone', () => {
    // 08:00 in Auckland (UTC+13) is the evening before in UTC; in Hawaii, the afternoon.
    const rows = forecastRows(
      [
        coming('cal:2026-12-02', '2026-12-01T19:00:00Z'),
        coming('cal:2026-12-04', '2026-12-04T18:00:00Z'),
      ],
      [skip('cal:2026-12-03', '2026-12-03')],
      '2026-11-21',
      '2027-02-21',
    );
    expect(rows.map((r) => r.occurrence)).toEqual([
      'cal:2026-12-02',
      'cal:2026-12-03',
      'cal:2026-12-04',
    ]);
  });

  it('keeps to the window, with skips of no known day last', () => {
    const rows = forecastRows(
      [coming('meter:1500', '2026-12-01T07:00:00Z')],
      [
        skip('meter:1000', null),
        skip('cal:2026-11-02', '2026-11-02'),
        skip('cal:2027-06-07', '2027-06-07'),
        skip('cal:2026-11-21', '2026-11-21'),
      ],
      '2026-11-21',
      '2027-02-21',
    );
    expect(rows.map((r) => r.occurrence)).toEqual(['cal:2026-11-21', 'meter:1500', 'meter:1000']);
  });

  it('shows an occurrence just skipped once, as skipped, before the forecast is refreshed', () => {
    const rows = forecastRows(
      [coming('cal:2026-11-23', '2026-11-23T07:00:00Z')],
      [skip('cal:2026-11-23', '2026-11-23')],
      '2026-11-21',
      '2027-02-21',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.kind).toBe('skipped');
  });

  it('writes a skipped day with its weekday, and reads a meter occurrence', () => {
    expect(formatDueDay('2026-11-23', 'fr')).toMatch(/^lun\. 23 nov\. 2026$/);
    expect(formatDueDay('2026-11-23', 'en')).toMatch(/^Mon, Nov 23, 2026$/);
    expect(meterThreshold('meter:1500')).toBe(1500);
    expect(meterThreshold('meter:1500.5')).toBe(1500.5);
    expect(meterThreshold('cal:2026-11-23')).toBeNull();
  });
});
