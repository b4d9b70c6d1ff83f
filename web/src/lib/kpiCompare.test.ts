import { describe, expect, it } from 'vitest';

import {
  cellValue,
  parseCompareSort,
  presentColumns,
  rowDashboardLink,
  sortRows,
  type BreakdownRow,
} from './kpiCompare';
import type { KpiFilters } from './kpis';

const figure = (value: number | undefined, numerator = 1, denominator = 1) => ({
  value,
  numerator,
  denominator,
  unit: 'percent' as const,
});

const ROWS: BreakdownRow[] = [
  { key: 'b', label: 'Usine de Montréal', availability: figure(97.5), failures: 4, cost: 120 },
  { key: 'a', label: 'Usine de Lyon', availability: figure(99.1), failures: 4, cost: 80 },
  { key: 'c', label: 'atelier', availability: figure(undefined, 0, 0), failures: 0 },
  { key: '', label: '', availability: figure(50), failures: 9 },
];

const keys = (rows: BreakdownRow[]) => rows.map((r) => r.key);

describe('the side-by-side table', () => {
  it('has the columns some row has, in their usual order', () => {
    expect(presentColumns(ROWS)).toEqual(['availability', 'failures', 'cost']);
    expect(
      presentColumns([{ key: 'u', label: 'Nadia', labour_hours: 3, planned_work: figure(10) }]),
    ).toEqual(['planned_work', 'labour_hours']);
    expect(presentColumns([])).toEqual([]);
  });

  it('reads a cell, none without a value', () => {
    expect(cellValue(ROWS[0] as BreakdownRow, 'availability')).toBe(97.5);
    expect(cellValue(ROWS[0] as BreakdownRow, 'failures')).toBe(4);
    expect(cellValue(ROWS[2] as BreakdownRow, 'availability')).toBeNull();
    expect(cellValue(ROWS[2] as BreakdownRow, 'cost')).toBeNull();
  });

  it('sorts by name, "none given" last either way', () => {
    expect(keys(sortRows(ROWS, 'label', 'fr'))).toEqual(['c', 'a', 'b', '']);
    expect(keys(sortRows(ROWS, '-label', 'fr'))).toEqual(['b', 'a', 'c', '']);
  });

  it('sorts by a column, rows without a value last, ties by name', () => {
    expect(keys(sortRows(ROWS, 'availability', 'fr'))).toEqual(['', 'b', 'a', 'c']);
    expect(keys(sortRows(ROWS, '-availability', 'fr'))).toEqual(['a', 'b', '', 'c']);
    expect(keys(sortRows(ROWS, '-failures', 'fr'))).toEqual(['', 'a', 'b', 'c']);
    expect(keys(sortRows(ROWS, 'cost', 'fr'))).toEqual(['a', 'b', 'c', '']);
    // The rows given are left as they were.
    expect(keys(ROWS)).toEqual(['b', 'a', 'c', '']);
  });

  it('reads the sort of the address, the name else', () => {
    expect(parseCompareSort('-cost')).toBe('-cost');
    expect(parseCompareSort('label')).toBe('label');
    expect(parseCompareSort('-price')).toBe('label');
    expect(parseCompareSort(null)).toBe('label');
  });

  it('leads a site or a machine to the overview filtered on it', () => {
    const filters: KpiFilters = {
      period: 'last_12_months',
      from: null,
      to: null,
      group: 'week',
      siteId: null,
      equipmentId: null,
      criticality: null,
      view: 'compare',
      by: 'site',
    };
    const site = ROWS[1] as BreakdownRow;
    expect(rowDashboardLink(site, 'site', filters)).toBe(
      '/kpis?period=last_12_months&group=week&site=a',
    );
    expect(rowDashboardLink(site, 'equipment', { ...filters, siteId: 's' })).toBe(
      '/kpis?period=last_12_months&group=week&site=s&equipment=a',
    );
    expect(rowDashboardLink(site, 'category', filters)).toBeNull();
    expect(rowDashboardLink(ROWS[3] as BreakdownRow, 'site', filters)).toBeNull();
  });
});
