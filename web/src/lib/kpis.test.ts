import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  chartRows,
  defaultGrouping,
  filtersFromParams,
  filtersToParams,
  currencySymbol,
  formatKpi,
  formatMoney,
  formatPeriod,
  formatWeeks,
  kpiExportFileName,
  kpiExportQuery,
  kpiQuery,
  parseDay,
  parseShown,
  periodDays,
  periodOrdersLink,
  periodWindow,
  type KpiFilters,
} from './kpis';

// Presets are read in the browser's zone: these tests live in Paris (UTC+1 in winter, +2 in
// summer), whatever the machine's.
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Paris';
});
afterAll(() => {
  process.env.TZ = savedTz;
});

const BASE: KpiFilters = {
  period: 'last_3_months',
  from: null,
  to: null,
  group: null,
  siteId: null,
  equipmentId: null,
  criticality: null,
  view: 'overview',
  by: 'site',
};

const params = (search: string) => new URLSearchParams(search);

describe('filters in the address', () => {
  it('reads a bare address as the default period, nothing filtered', () => {
    expect(filtersFromParams(params(''))).toEqual(BASE);
  });

  it('reads every filter, and writes them back the same', () => {
    const search = 'period=custom&from=2026-03-01&to=2026-03-31&group=day&site=s1&criticality=high';
    const filters = filtersFromParams(params(search));
    expect(filters).toEqual({
      period: 'custom',
      from: '2026-03-01',
      to: '2026-03-31',
      group: 'day',
      siteId: 's1',
      equipmentId: null,
      criticality: 'high',
      view: 'overview',
      by: 'site',
    });
    expect(filtersToParams(filters).toString()).toBe(search);
  });

  it('keeps the machine and the side-by-side view in the address', () => {
    const search = 'equipment=e1&view=compare&by=technician';
    const filters = filtersFromParams(params(search));
    expect(filters).toEqual({ ...BASE, equipmentId: 'e1', view: 'compare', by: 'technician' });
    expect(filtersToParams(filters).toString()).toBe(search);
    // By site is the default; an unknown view or dimension reads as the default.
    expect(filtersToParams({ ...BASE, view: 'compare' }).toString()).toBe('view=compare');
    expect(filtersFromParams(params('view=table&by=planet'))).toEqual(BASE);
    // The overview keeps no dimension.
    expect(filtersToParams({ ...BASE, by: 'cause' }).toString()).toBe('');
  });

  it('leaves the defaults out of the address', () => {
    expect(filtersToParams(BASE).toString()).toBe('');
    expect(filtersToParams({ ...BASE, period: 'last_12_months' }).toString()).toBe(
      'period=last_12_months',
    );
    // Days of a preset are not kept.
    expect(filtersToParams({ ...BASE, from: '2026-01-01', to: '2026-01-02' }).toString()).toBe('');
  });

  it('ignores unknown values and malformed or backwards custom ranges', () => {
    expect(filtersFromParams(params('period=decade&group=year&criticality=extreme'))).toEqual(BASE);
    expect(filtersFromParams(params('period=custom&from=2026-03-01')).period).toBe('last_3_months');
    expect(filtersFromParams(params('period=custom&from=2026-02-30&to=2026-03-01')).period).toBe(
      'last_3_months',
    );
    expect(filtersFromParams(params('period=custom&from=2026-03-02&to=2026-03-01')).period).toBe(
      'last_3_months',
    );
    // One day is a range.
    expect(filtersFromParams(params('period=custom&from=2026-03-01&to=2026-03-01')).period).toBe(
      'custom',
    );
  });
});

describe('period windows in the browser’s zone', () => {
  // 15 April 2026, 10:00 in Paris (CEST).
  const now = new Date('2026-04-15T08:00:00Z');
  const window = (period: KpiFilters['period'], extra: Partial<KpiFilters> = {}) => {
    const w = periodWindow({ ...BASE, period, ...extra }, now);
    return [w.from.toISOString(), w.to.toISOString()];
  };

  it('covers this month, up to the first of the next', () => {
    expect(window('this_month')).toEqual(['2026-03-31T22:00:00.000Z', '2026-04-30T22:00:00.000Z']);
  });

  it('covers last month: March, clocks changed on the 29th', () => {
    // Paris midnight is 23:00 UTC on 1 March (CET), 22:00 UTC on 1 April (CEST).
    expect(window('last_month')).toEqual(['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']);
  });

  it('covers the last 3 and 12 months, this one included', () => {
    expect(window('last_3_months')).toEqual([
      '2026-01-31T23:00:00.000Z',
      '2026-04-30T22:00:00.000Z',
    ]);
    expect(window('last_12_months')).toEqual([
      '2025-04-30T22:00:00.000Z',
      '2026-04-30T22:00:00.000Z',
    ]);
  });

  it('crosses the new year', () => {
    const january = new Date('2026-01-10T12:00:00Z');
    const w = periodWindow({ ...BASE, period: 'last_month' }, january);
    expect([w.from.toISOString(), w.to.toISOString()]).toEqual([
      '2025-11-30T23:00:00.000Z',
      '2025-12-31T23:00:00.000Z',
    ]);
  });

  it('covers a custom range from its first midnight to the one after its last day', () => {
    expect(window('custom', { from: '2026-03-01', to: '2026-03-31' })).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ]);
  });

  it('groups by month from 3 months, by week from a month, by day below', () => {
    const grouping = (period: KpiFilters['period'], extra: Partial<KpiFilters> = {}) =>
      defaultGrouping(periodWindow({ ...BASE, period, ...extra }, now));
    expect(grouping('last_12_months')).toBe('month');
    expect(grouping('last_3_months')).toBe('month');
    expect(grouping('this_month')).toBe('week');
    // February: 28 days.
    expect(grouping('custom', { from: '2026-02-01', to: '2026-02-28' })).toBe('week');
    expect(grouping('custom', { from: '2026-03-01', to: '2026-03-14' })).toBe('day');
  });

  it('builds the API query, the chosen grouping first', () => {
    expect(kpiQuery({ ...BASE, period: 'last_month', siteId: 's1' }, now)).toEqual({
      from: '2026-02-28T23:00:00.000Z',
      to: '2026-03-31T22:00:00.000Z',
      group_by: 'week',
      site_id: 's1',
    });
    expect(
      kpiQuery({ ...BASE, period: 'last_month', group: 'day', criticality: 'critical' }, now),
    ).toEqual({
      from: '2026-02-28T23:00:00.000Z',
      to: '2026-03-31T22:00:00.000Z',
      group_by: 'day',
      criticality: 'critical',
    });
  });

  it('exports exactly the query on screen, named after its first and last days', () => {
    const filters: KpiFilters = { ...BASE, period: 'last_month', siteId: 's1' };
    const query = kpiQuery(filters, now);
    expect(kpiExportQuery(query, 'xlsx', 'fr')).toEqual({
      ...query,
      format: 'xlsx',
      language: 'fr',
    });
    expect(kpiExportQuery(query, 'pdf', 'en-GB').language).toBe('en');
    const window = periodWindow(filters, now);
    expect(kpiExportFileName(window, 'pdf')).toBe('indicateurs-2026-03-01-2026-03-31.pdf');
    expect(kpiExportFileName(window, 'csv', 'indicators')).toBe(
      'indicators-2026-03-01-2026-03-31.csv',
    );
  });

  it('reads only real days', () => {
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2026-13-01')).toBeNull();
    expect(parseDay('2026-03-31', 1)?.getDate()).toBe(1);
  });
});

describe('figures in the reader’s language', () => {
  // The worked example of docs/kpis.md.
  it('writes hours and percentages the French way', () => {
    expect(formatKpi(294.9, 'hours', 'fr')).toBe('294,9\u00a0h');
    expect(formatKpi(1474.5, 'hours', 'fr')).toBe('1\u202f474,5\u00a0h');
    // 1474.5 / 1486 = 99.2261…
    expect(formatKpi((1474.5 / 1486) * 100, 'percent', 'fr')).toBe('99,2\u00a0%');
    expect(formatKpi(40, 'percent', 'fr')).toBe('40\u00a0%');
    expect(formatKpi(4, 'orders', 'fr')).toBe('4');
    expect(formatKpi(1234, 'orders', 'fr')).toBe('1\u202f234');
  });

  it('writes them the English way', () => {
    expect(formatKpi(1474.5, 'hours', 'en')).toBe('1,474.5\u00a0h');
    // 2.5 / 6.5 = 38.46…
    expect(formatKpi((2.5 / 6.5) * 100, 'percent', 'en')).toBe('38.5%');
    expect(formatKpi(3.5, 'hours', 'en')).toBe('3.5\u00a0h');
  });

  it('writes amounts in their currency, cents only when there are some', () => {
    expect(formatKpi(110, 'currency', 'fr', 'EUR')).toBe('110\u00a0€');
    expect(formatKpi(112.5, 'currency', 'fr', 'EUR')).toBe('112,50\u00a0€');
    expect(formatKpi(1234.56, 'currency', 'fr', 'EUR')).toBe('1\u202f235\u00a0€');
    expect(formatKpi(112.5, 'currency', 'en', 'EUR')).toBe('€112.50');
    expect(formatKpi(1234, 'currency', 'en')).toBe('1,234');
    expect(formatMoney(48, 'CHF', 'fr')).toMatch(/^48\u00a0CHF$/);
    expect(currencySymbol('EUR', 'fr')).toBe('€');
    expect(currencySymbol('EUR', 'en')).toBe('€');
  });

  it('writes crew-weeks with what decimals they need', () => {
    expect(formatKpi(1.2, 'weeks', 'fr')).toBe('1,2\u00a0sem.');
    expect(formatWeeks(22 / 66, 'fr')).toBe('0,33');
    expect(formatWeeks(1.25, 'en')).toBe('1.3');
    expect(formatWeeks(12.4, 'en')).toBe('12');
  });

  it('writes a dash for a figure that does not exist', () => {
    expect(formatKpi(null, 'hours', 'fr')).toBe('—');
    expect(formatKpi(undefined, 'percent', 'en')).toBe('—');
  });

  it('reads a shown figure back', () => {
    expect(parseShown('1\u202f474,5\u00a0h')).toBe(1474.5);
    expect(parseShown('99,2\u00a0%')).toBe(99.2);
    expect(parseShown('1,474.5 h')).toBe(1474.5);
    expect(parseShown('38.5%')).toBe(38.5);
    expect(parseShown('—')).toBeNull();
  });

  it('labels periods of each grouping', () => {
    expect(formatPeriod('2026-03', 'fr')).toBe('mars 2026');
    expect(formatPeriod('2026-03', 'en')).toBe('Mar 2026');
    expect(formatPeriod('2026-W13', 'fr')).toBe('S13 2026');
    expect(formatPeriod('2026-W05', 'en')).toBe('W5 2026');
    expect(formatPeriod('2026-03-29', 'fr')).toBe('29 mars');
    expect(formatPeriod('2026-03-29', 'en')).toBe('Mar 29');
  });

  it('puts the series side by side, one row per period', () => {
    const rows = chartRows(
      {
        availability: [
          { period: '2026-02', value: 99.2261 },
          { period: '2026-03', value: null },
        ],
        mtbf: [{ period: '2026-03', value: 294.94 }],
      },
      'fr',
    );
    expect(rows).toEqual([
      { period: '2026-02', label: 'févr. 2026', availability: 99.2 },
      { period: '2026-03', label: 'mars 2026', availability: null, mtbf: 294.9 },
    ]);
  });
});

describe('the orders behind a period of a series', () => {
  it('reads a month, an ISO week and a day as local days, both included', () => {
    expect(periodDays('2026-03')).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(periodDays('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodDays('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodDays('2026-W13')).toEqual({ from: '2026-03-23', to: '2026-03-29' });
    // Week 1 of 2026 starts in 2025 (the week holding 4 January), week 1 of 2027 on 4 January.
    expect(periodDays('2026-W01')).toEqual({ from: '2025-12-29', to: '2026-01-04' });
    expect(periodDays('2027-W01')).toEqual({ from: '2027-01-04', to: '2027-01-10' });
    expect(periodDays('2026-W53')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
    expect(periodDays('2026-03-29')).toEqual({ from: '2026-03-29', to: '2026-03-29' });
  });

  it('refuses what is no period', () => {
    expect(periodDays('2025-W53')).toBeNull();
    expect(periodDays('2026-W00')).toBeNull();
    expect(periodDays('2026-13')).toBeNull();
    expect(periodDays('2026-02-30')).toBeNull();
    expect(periodDays('mars')).toBeNull();
  });

  it('cuts the first and last periods to the window', () => {
    const window = { from: new Date(2026, 2, 1), to: new Date(2026, 4, 1) };
    // The week of 1 March 2026 starts on Monday 23 February.
    expect(periodDays('2026-W09', window)).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(periodDays('2026-W18', window)).toEqual({ from: '2026-04-27', to: '2026-04-30' });
    expect(periodDays('2026-04', window)).toEqual({ from: '2026-04-01', to: '2026-04-30' });
    expect(periodDays('2026-05', window)).toBeNull();
  });

  it('leads to the corrective orders, the preventive due, or the backlog of a period', () => {
    const none = { siteId: null, equipmentId: null };
    expect(periodOrdersLink('2026-03', 'failures', none)).toBe(
      '/work-orders?type=corrective&created_from=2026-03-01&created_to=2026-03-31',
    );
    expect(periodOrdersLink('2026-W13', 'failures', { siteId: 's1', equipmentId: 'e1' })).toBe(
      '/work-orders?type=corrective&created_from=2026-03-23&created_to=2026-03-29&site=s1&equipment=e1',
    );
    expect(periodOrdersLink('2026-03-29', 'preventive', none)).toBe(
      '/work-orders?type=preventive&due_from=2026-03-29&due_to=2026-03-29',
    );
    const backlog = new URLSearchParams(
      periodOrdersLink('2026-03', 'backlog', none)?.split('?')[1],
    );
    expect(backlog.get('status')).toBe('open,assigned,in_progress,on_hold');
    expect(backlog.get('created_to')).toBe('2026-03-31');
    expect(backlog.get('created_from')).toBeNull();
    expect(periodOrdersLink('later', 'failures', none)).toBeNull();
  });
});
