// The dashboard's side-by-side view (`GET /kpis?breakdown=…`): which columns a breakdown has,
// each cell's value, the order of the rows, and where a row of a site or a machine leads.
import { filtersToParams, type BreakdownBy, type KpiFilters, type KpiUnit } from './kpis';

/** A ratio of a row: its value, and what it is computed from. */
export interface BreakdownFigure {
  value?: number | null;
  numerator: number;
  denominator: number;
  unit: KpiUnit;
}

/** What of a `KpiBreakdownRow` is read here. */
export interface BreakdownRow {
  key: string;
  label: string;
  mtbf?: BreakdownFigure;
  mttr?: BreakdownFigure;
  availability?: BreakdownFigure;
  pm_compliance?: BreakdownFigure;
  planned_work?: BreakdownFigure;
  failures?: number;
  downtime_hours?: number;
  labour_hours?: number;
  cost?: number;
}

/** The columns of the table, in order: ratios, then counts and amounts. */
export const FIGURE_COLUMNS = [
  'availability',
  'mtbf',
  'mttr',
  'pm_compliance',
  'planned_work',
] as const;
export const AMOUNT_COLUMNS = ['failures', 'downtime_hours', 'labour_hours', 'cost'] as const;
export type FigureColumn = (typeof FIGURE_COLUMNS)[number];
export type AmountColumn = (typeof AMOUNT_COLUMNS)[number];
export type CompareColumn = FigureColumn | AmountColumn;
export const COMPARE_COLUMNS: readonly CompareColumn[] = [...FIGURE_COLUMNS, ...AMOUNT_COLUMNS];

/** The sort of the rows: `label`, a column, `-` before it for descending. */
export type CompareSort = string;

export function isFigureColumn(column: CompareColumn): column is FigureColumn {
  return (FIGURE_COLUMNS as readonly string[]).includes(column);
}

/** The columns some row has (a dimension leaves out what it does not split). */
export function presentColumns(rows: readonly BreakdownRow[]): CompareColumn[] {
  return COMPARE_COLUMNS.filter((column) => rows.some((row) => row[column] !== undefined));
}

/** A cell's number, or null when it has none (a ratio without a denominator). */
export function cellValue(row: BreakdownRow, column: CompareColumn): number | null {
  const cell = row[column];
  if (cell === undefined || cell === null) return null;
  const value = typeof cell === 'number' ? cell : cell.value;
  return value === undefined || value === null || !Number.isFinite(value) ? null : value;
}

/**
 * The rows in the order of `sort` (`label`, `-availability`…): by name in the reader's
 * language, or by a column; rows without a value last either way, then by name. "None given"
 * (an empty key) stays last when sorting by name, as the API sends it.
 */
export function sortRows(
  rows: readonly BreakdownRow[],
  sort: CompareSort,
  language: string,
): BreakdownRow[] {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  const sign = descending ? -1 : 1;
  const collator = new Intl.Collator(language, { sensitivity: 'base', numeric: true });
  const none = (a: BreakdownRow, b: BreakdownRow) => Number(a.key === '') - Number(b.key === '');
  const byName = (a: BreakdownRow, b: BreakdownRow, direction = 1) =>
    none(a, b) || direction * collator.compare(a.label, b.label);
  const column = COMPARE_COLUMNS.find((c) => c === field);
  return [...rows].sort((a, b) => {
    if (!column) return field === 'label' ? byName(a, b, sign) : 0;
    const x = cellValue(a, column);
    const y = cellValue(b, column);
    if (x === null || y === null) {
      if (x === null && y === null) return byName(a, b);
      return x === null ? 1 : -1;
    }
    return x === y ? byName(a, b) : sign * (x - y);
  });
}

/** The sort an address names (`sort`), if it is one of the table's; `label` else. */
export function parseCompareSort(value: string | null): CompareSort {
  if (!value) return 'label';
  const field = value.startsWith('-') ? value.slice(1) : value;
  return field === 'label' || COMPARE_COLUMNS.some((c) => c === field) ? value : 'label';
}

/**
 * Where a row leads: the overview of the dashboard filtered on that site or machine (the other
 * filters kept); null for the other dimensions and for "none given".
 */
export function rowDashboardLink(
  row: BreakdownRow,
  by: BreakdownBy,
  filters: KpiFilters,
): string | null {
  if (!row.key || (by !== 'site' && by !== 'equipment')) return null;
  const next: KpiFilters = {
    ...filters,
    view: 'overview',
    ...(by === 'site' ? { siteId: row.key } : { equipmentId: row.key }),
  };
  return `/kpis?${filtersToParams(next).toString()}`;
}
