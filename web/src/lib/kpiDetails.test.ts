import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  formatDuration,
  hoursPeriodFromParams,
  hoursPeriodToParams,
  hoursQuery,
  hoursWindow,
  lastDayOf,
  machineOrdersLink,
  paretoRows,
  shareOf,
} from './kpiDetails';
import { toDay } from './kpis';

// Windows are read in the browser's zone: these tests live in Paris, whatever the machine's.
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Paris';
});
afterAll(() => {
  process.env.TZ = savedTz;
});

describe('the work orders behind a machine', () => {
  it('filters the list on the machine, corrective work and the window’s days', () => {
    const window = { from: new Date(2026, 8, 1), to: new Date(2026, 11, 1) };
    expect(toDay(lastDayOf(window))).toBe('2026-11-30');
    const link = machineOrdersLink('0190-abc', window);
    const [path, search] = link.split('?');
    expect(path).toBe('/work-orders');
    const params = new URLSearchParams(search);
    expect(Object.fromEntries(params)).toEqual({
      equipment: '0190-abc',
      type: 'corrective',
      created_from: '2026-09-01',
      created_to: '2026-11-30',
    });
  });
});

describe('the Pareto of causes', () => {
  it('labels each cause, names the failures without one, rounds the figures', () => {
    const rows = paretoRows(
      [
        {
          cause: { code: 'MEC', label: 'Usure mécanique' },
          downtime_hours: 12.345,
          failures: 4,
          cumulative_percent: 61.72,
        },
        { cause: null, downtime_hours: 7.66, failures: 2, cumulative_percent: 100.0000001 },
      ],
      'Cause non renseignée',
    );
    expect(rows).toEqual([
      {
        key: 'MEC',
        label: 'MEC — Usure mécanique',
        short: 'MEC',
        downtime: 12.3,
        failures: 4,
        cumulative: 61.7,
        unknown: false,
      },
      {
        key: '\u0000unknown',
        label: 'Cause non renseignée',
        short: 'Cause non renseignée',
        downtime: 7.7,
        failures: 2,
        cumulative: 100,
        unknown: true,
      },
    ]);
  });

  it('reads a cause left out like a null one', () => {
    const [row] = paretoRows([{ downtime_hours: 1, failures: 1, cumulative_percent: 100 }], '?');
    expect(row?.unknown).toBe(true);
    expect(row?.label).toBe('?');
  });

  it('is empty without failures', () => {
    expect(paretoRows([], '?')).toEqual([]);
  });
});

describe('bars', () => {
  it('gives a share of the largest, never beyond 100 and 0 without anything to compare', () => {
    expect(shareOf(5, 10)).toBe(50);
    expect(shareOf(12, 10)).toBe(100);
    expect(shareOf(3, 0)).toBe(0);
    expect(shareOf(-1, 10)).toBe(0);
    expect(shareOf(Number.NaN, 10)).toBe(0);
  });
});

describe('durations', () => {
  it('writes minutes, hours or days as reads best', () => {
    expect(formatDuration(0.75, 'fr')).toBe('45\u00a0min');
    expect(formatDuration(5.25, 'fr')).toBe('5,3\u00a0h');
    expect(formatDuration(5.25, 'en')).toBe('5.3\u00a0h');
    expect(formatDuration(74.4, 'fr')).toBe('3,1\u00a0j');
    expect(formatDuration(74.4, 'en')).toBe('3.1\u00a0d');
  });

  it('writes a dash when there is no duration', () => {
    expect(formatDuration(undefined, 'fr')).toBe('—');
    expect(formatDuration(null, 'fr')).toBe('—');
    expect(formatDuration(Number.NaN, 'fr')).toBe('—');
  });
});

describe('the periods of “My hours”', () => {
  it('reads the period from the address, this week by default', () => {
    expect(hoursPeriodFromParams(new URLSearchParams(''))).toBe('this_week');
    expect(hoursPeriodFromParams(new URLSearchParams('period=last_month'))).toBe('last_month');
    expect(hoursPeriodFromParams(new URLSearchParams('period=yesterday'))).toBe('this_week');
    expect(hoursPeriodToParams('this_week').toString()).toBe('');
    expect(hoursPeriodToParams('this_month').toString()).toBe('period=this_month');
  });

  it('starts a week on Monday, a Sunday included', () => {
    // Thursday 3 December 2026.
    const thursday = hoursWindow('this_week', new Date(2026, 11, 3, 15, 30));
    expect(toDay(thursday.from)).toBe('2026-11-30');
    expect(toDay(thursday.to)).toBe('2026-12-07');
    // Sunday 6 December belongs to the week of Monday 30 November.
    const sunday = hoursWindow('this_week', new Date(2026, 11, 6, 23, 0));
    expect(toDay(sunday.from)).toBe('2026-11-30');
    // Monday midnight starts the week.
    const monday = hoursWindow('this_week', new Date(2026, 11, 7, 0, 0));
    expect(toDay(monday.from)).toBe('2026-12-07');
  });

  it('covers whole months, the previous one across a year', () => {
    const now = new Date(2026, 0, 15);
    const month = hoursWindow('this_month', now);
    expect([toDay(month.from), toDay(month.to)]).toEqual(['2026-01-01', '2026-02-01']);
    const last = hoursWindow('last_month', now);
    expect([toDay(last.from), toDay(last.to)]).toEqual(['2025-12-01', '2026-01-01']);
  });

  it('asks the API from local midnights', () => {
    // Paris is UTC+1 in winter.
    expect(hoursQuery('this_month', new Date(2026, 11, 3))).toEqual({
      from: '2026-11-30T23:00:00.000Z',
      to: '2026-12-31T23:00:00.000Z',
    });
  });
});
