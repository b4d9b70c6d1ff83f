// The maintenance dashboard's filters (kept in the address), the window each period preset
// covers in the browser's time zone, and the figures as the reader's language writes them.
// Definitions of the indicators: docs/kpis.md.

export const PERIOD_PRESETS = [
  'this_month',
  'last_month',
  'last_3_months',
  'last_12_months',
  'custom',
] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export const GROUPINGS = ['day', 'week', 'month'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export const KPI_CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
export type KpiCriticality = (typeof KPI_CRITICALITIES)[number];

export type KpiUnit = 'hours' | 'percent' | 'orders' | 'weeks' | 'currency';

/** The period shown when the address names none. */
export const DEFAULT_PERIOD: PeriodPreset = 'last_3_months';

export interface KpiFilters {
  period: PeriodPreset;
  /** First day of a custom range (`YYYY-MM-DD`, local), included. */
  from: string | null;
  /** Last day of a custom range (`YYYY-MM-DD`, local), included. */
  to: string | null;
  /** The grouping chosen; null: the period's default. */
  group: Grouping | null;
  siteId: string | null;
  /** One machine (`equipment` in the address), from a row of the side-by-side view. */
  equipmentId: string | null;
  criticality: KpiCriticality | null;
  /** The dashboard's view: the overview, or the indicators side by side (`view=compare`). */
  view: KpiView;
  /** What the side-by-side view sets side by side (`by`, `site` by default). */
  by: BreakdownBy;
}

export const KPI_VIEWS = ['overview', 'compare'] as const;
export type KpiView = (typeof KPI_VIEWS)[number];

export const BREAKDOWNS = ['site', 'equipment', 'category', 'cause', 'technician'] as const;
export type BreakdownBy = (typeof BREAKDOWNS)[number];

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A local calendar day `YYYY-MM-DD` as the Date of its midnight, or null. */
export function parseDay(value: string | null | undefined, plusDays = 0): Date | null {
  const match = value ? DAY.exec(value) : null;
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(y, m - 1, d);
  // 2026-02-31 is no day.
  if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) return null;
  return plusDays ? new Date(y, m - 1, d + plusDays) : date;
}

/** The local day of a Date as `YYYY-MM-DD`. */
export function toDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The filters the address holds (`period`, `from`, `to`, `group`, `site`, `equipment`,
 * `criticality`, and the view: `view`, `by`);
 * whatever is unknown or malformed reads as not given. A custom range without both its days
 * (or backwards) falls back to the default period.
 */
export function filtersFromParams(params: URLSearchParams): KpiFilters {
  let period = oneOf(params.get('period'), PERIOD_PRESETS) ?? DEFAULT_PERIOD;
  let from: string | null = null;
  let to: string | null = null;
  if (period === 'custom') {
    const start = parseDay(params.get('from'));
    const end = parseDay(params.get('to'));
    if (start && end && start <= end) {
      from = params.get('from');
      to = params.get('to');
    } else {
      period = DEFAULT_PERIOD;
    }
  }
  return {
    period,
    from,
    to,
    group: oneOf(params.get('group'), GROUPINGS),
    siteId: params.get('site') || null,
    equipmentId: params.get('equipment') || null,
    criticality: oneOf(params.get('criticality'), KPI_CRITICALITIES),
    view: oneOf(params.get('view'), KPI_VIEWS) ?? 'overview',
    by: oneOf(params.get('by'), BREAKDOWNS) ?? 'site',
  };
}

/** The address's search for `filters`: defaults left out, so that a bare `/kpis` is the default. */
export function filtersToParams(filters: KpiFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.period !== DEFAULT_PERIOD) params.set('period', filters.period);
  if (filters.period === 'custom') {
    if (filters.from) params.set('from', filters.from);
    if (filters.to) params.set('to', filters.to);
  }
  if (filters.group) params.set('group', filters.group);
  if (filters.siteId) params.set('site', filters.siteId);
  if (filters.equipmentId) params.set('equipment', filters.equipmentId);
  if (filters.criticality) params.set('criticality', filters.criticality);
  if (filters.view !== 'overview') params.set('view', filters.view);
  if (filters.view === 'compare' && filters.by !== 'site') params.set('by', filters.by);
  return params;
}

export interface KpiWindow {
  /** Included. */
  from: Date;
  /** Excluded. */
  to: Date;
}

/**
 * The window `[from, to)` of a period, in the browser's time zone: whole months from the first
 * midnight of a month to the first of the next ("the last 3 months" are this month and the two
 * before it; the server measures a window reaching into the future up to now); a custom range
 * from the midnight of its first day to the midnight after its last.
 */
export function periodWindow(
  filters: Pick<KpiFilters, 'period' | 'from' | 'to'> & Partial<KpiFilters>,
  now: Date = new Date(),
): KpiWindow {
  const y = now.getFullYear();
  const m = now.getMonth();
  const months = (first: number, last: number): KpiWindow => ({
    from: new Date(y, m + first, 1),
    to: new Date(y, m + last + 1, 1),
  });
  switch (filters.period) {
    case 'this_month':
      return months(0, 0);
    case 'last_month':
      return months(-1, -1);
    case 'last_3_months':
      return months(-2, 0);
    case 'last_12_months':
      return months(-11, 0);
    case 'custom': {
      const from = parseDay(filters.from);
      const to = parseDay(filters.to, 1);
      if (from && to && from < to) return { from, to };
      return months(-2, 0);
    }
  }
}

/** Calendar days a window covers (a day of a clock change counts as one). */
export function windowDays(window: KpiWindow): number {
  return Math.round((window.to.getTime() - window.from.getTime()) / 86_400_000);
}

/** How to cut a window when nobody chose: by month from 3 months, by week from a month, else by day. */
export function defaultGrouping(window: KpiWindow): Grouping {
  const days = windowDays(window);
  if (days >= 84) return 'month';
  if (days >= 28) return 'week';
  return 'day';
}

export interface KpiQuery {
  from: string;
  to: string;
  group_by: Grouping;
  site_id?: string;
  equipment_id?: string;
  criticality?: KpiCriticality;
  breakdown?: BreakdownBy;
}

/** The `GET /kpis` query of the filters (with the breakdown in the side-by-side view). */
export function kpiQuery(filters: KpiFilters, now: Date = new Date()): KpiQuery {
  const window = periodWindow(filters, now);
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    group_by: filters.group ?? defaultGrouping(window),
    ...(filters.siteId ? { site_id: filters.siteId } : {}),
    ...(filters.equipmentId ? { equipment_id: filters.equipmentId } : {}),
    ...(filters.criticality ? { criticality: filters.criticality } : {}),
    ...(filters.view === 'compare' ? { breakdown: filters.by } : {}),
  };
}

// ---- From a period of a series to the work orders behind it.

/** First and last local days (`YYYY-MM-DD`, both included) of a period. */
export interface DayRange {
  from: string;
  to: string;
}

/** The Monday of ISO week 1 of `year` (the week holding 4 January). */
function isoWeekOne(year: number): Date {
  const jan4 = new Date(year, 0, 4);
  const weekday = (jan4.getDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(year, 0, 4 - weekday);
}

/**
 * The days a period of a series covers, in the browser's calendar: a day `2026-03-29` itself, an
 * ISO week `2026-W13` from its Monday to its Sunday, a month `2026-03` from its first day to its
 * last; cut to `window` when given (the first and last periods may reach beyond it). Null for
 * what is no period, or a period outside the window.
 */
export function periodDays(period: string, window?: KpiWindow): DayRange | null {
  let first: Date | null;
  let last: Date | null;
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (week) {
    const n = Number(week[2]);
    const monday = isoWeekOne(Number(week[1]));
    first = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + (n - 1) * 7);
    // A year has 52 or 53 ISO weeks.
    if (n < 1 || first >= isoWeekOne(Number(week[1]) + 1)) return null;
    last = new Date(first.getFullYear(), first.getMonth(), first.getDate() + 6);
  } else if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    if (m < 1 || m > 12) return null;
    first = new Date(y, m - 1, 1);
    last = new Date(y, m, 0);
  } else {
    first = parseDay(period);
    last = first;
  }
  if (!first || !last) return null;
  if (window) {
    const windowLast = new Date(
      window.to.getFullYear(),
      window.to.getMonth(),
      window.to.getDate() - 1,
    );
    if (first < window.from) first = window.from;
    if (last > windowLast) last = windowLast;
    if (first > last) return null;
  }
  return { from: toDay(first), to: toDay(last) };
}

/** Statuses of an order not finished yet: the backlog. */
export const BACKLOG_STATUSES = ['open', 'assigned', 'in_progress', 'on_hold'] as const;

/** Which series a period was picked on: failures and repairs, preventive work, or the backlog. */
export type SeriesKind = 'failures' | 'preventive' | 'backlog';

/**
 * The work-order list behind a period of a series, with the dashboard's site and machine:
 * failures (MTBF, MTTR, availability): corrective orders created in the period; preventive:
 * preventive orders due in it; backlog: orders still open now that were created by the period's
 * end (the list cannot tell which were open at that date). Null for what is no period.
 */
export function periodOrdersLink(
  period: string,
  kind: SeriesKind,
  filters: Pick<KpiFilters, 'siteId' | 'equipmentId'>,
  window?: KpiWindow,
): string | null {
  const days = periodDays(period, window);
  if (!days) return null;
  const params = new URLSearchParams();
  if (kind === 'backlog') {
    params.set('status', BACKLOG_STATUSES.join(','));
    params.set('created_to', days.to);
  } else if (kind === 'preventive') {
    params.set('type', 'preventive');
    params.set('due_from', days.from);
    params.set('due_to', days.to);
  } else {
    params.set('type', 'corrective');
    params.set('created_from', days.from);
    params.set('created_to', days.to);
  }
  if (filters.siteId) params.set('site', filters.siteId);
  if (filters.equipmentId) params.set('equipment', filters.equipmentId);
  return `/work-orders?${params.toString()}`;
}

// ---- Figures in the reader's language.

/** The dash of a figure that does not exist (nothing to divide by). */
export const NO_VALUE = '—';

/** The key figures' grid: two a row on a phone, six on a wide screen. */
export const TILE_COLS = { base: 2, sm: 3, lg: 6 };

/** A number with at most `digits` decimals: "1 474,5" in French, "1,474.5" in English. */
export function formatDecimal(value: number, language: string, digits = 1): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value);
}

/** Hours: "294,9 h". */
export function formatHours(value: number, language: string): string {
  return `${formatDecimal(value, language)}\u00a0h`;
}

/** A percentage given as 0–100: "99,2 %" in French, "99.2%" in English. */
export function formatPercent(value: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(
    value / 100,
  );
}

/**
 * An amount of money in `currency` (ISO 4217): "112,50 €" / "€112.50"; whole amounts and those
 * from a thousand without cents ("1 235 €"). A code the browser does not know reads "112,50 XYZ".
 */
export function formatMoney(value: number, currency: string, language: string): string {
  const cents = Math.round(value * 100);
  const digits = cents % 100 === 0 || Math.abs(value) >= 1000 ? 0 : 2;
  try {
    return new Intl.NumberFormat(language, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value);
  } catch {
    return `${formatDecimal(value, language, digits)}\u00a0${currency}`;
  }
}

/** The sign of a currency as the reader's language writes it ("€", "CHF"), else its code. */
export function currencySymbol(currency: string, language: string): string {
  try {
    const parts = new Intl.NumberFormat(language, { style: 'currency', currency }).formatToParts(0);
    return parts.find((part) => part.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}

/**
 * An indicator's value in its unit, or "—" when there is none; an amount in `currency` when the
 * indicator gives one (`cost`).
 */
export function formatKpi(
  value: number | null | undefined,
  unit: KpiUnit,
  language: string,
  currency?: string,
) {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  switch (unit) {
    case 'hours':
      return formatHours(value, language);
    case 'percent':
      return formatPercent(value, language);
    case 'orders':
      return formatDecimal(value, language, 0);
    case 'weeks':
      return `${formatDecimal(value, language, 1)}\u00a0${language.startsWith('fr') ? 'sem.' : 'wk'}`;
    case 'currency':
      return currency ? formatMoney(value, currency, language) : formatDecimal(value, language, 0);
  }
}

/** Crew-weeks as a bare number: a tenth under ten ("1,2"), hundredths under one ("0,22"). */
export function formatWeeks(value: number, language: string): string {
  return formatDecimal(value, language, Math.abs(value) < 1 ? 2 : value < 10 ? 1 : 0);
}

/**
 * A period of a series as a short label: a day "29 mars", an ISO week "S13 2026" ("W13 2026"
 * in English), a month "mars 2026".
 */
export function formatPeriod(period: string, language: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) return `${language.startsWith('fr') ? 'S' : 'W'}${Number(week[2])} ${week[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const date = new Date(Number(month[1]), Number(month[2]) - 1, 1);
    return new Intl.DateTimeFormat(language, { month: 'short', year: 'numeric' }).format(date);
  }
  const day = parseDay(period);
  if (day) return new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short' }).format(day);
  return period;
}

/** One period of a series (`KpiPoint` of the API). */
export interface SeriesPoint {
  period: string;
  value?: number | null;
}

/** One row per period for the charts: each indicator's value under its name (null when none). */
export function chartRows(
  series: Record<string, readonly SeriesPoint[]>,
  language: string,
): Array<Record<string, string | number | null>> {
  const rows = new Map<string, Record<string, string | number | null>>();
  for (const [name, points] of Object.entries(series)) {
    for (const point of points) {
      let row = rows.get(point.period);
      if (!row) {
        row = { period: point.period, label: formatPeriod(point.period, language) };
        rows.set(point.period, row);
      }
      row[name] = point.value === null || point.value === undefined ? null : round1(point.value);
    }
  }
  return [...rows.values()];
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Reads a figure as shown ("1 474,5 h", "99.2%") back as a number (for checks), or null. */
export function parseShown(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(/[^\d,.-]/g, '');
  if (!cleaned) return null;
  // A comma is the decimal separator in French, a thousands one in English.
  const normalised =
    cleaned.includes(',') && !cleaned.includes('.') && /,\d{1,2}$/.test(cleaned)
      ? cleaned.replace(',', '.')
      : cleaned.replace(/,/g, '');
  const value = Number(normalised);
  return Number.isFinite(value) ? value : null;
}

// ---- Export of the dashboard (`GET /kpis/export`).

export const EXPORT_FORMATS = ['pdf', 'xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The export's query: exactly the dashboard's (`kpiQuery`), with the format and language. */
export function kpiExportQuery(
  query: KpiQuery,
  format: ExportFormat,
  language: string,
): KpiQuery & { format: ExportFormat; language: 'fr' | 'en' } {
  return { ...query, format, language: language.startsWith('en') ? 'en' : 'fr' };
}

/**
 * The name of an export when the server gives none: `indicateurs-2026-09-01-2026-11-30.pdf`,
 * the first and last days of the window on screen.
 */
export function kpiExportFileName(
  window: KpiWindow,
  format: ExportFormat,
  stem = 'indicateurs',
): string {
  const last = new Date(window.to.getFullYear(), window.to.getMonth(), window.to.getDate() - 1);
  return `${stem}-${toDay(window.from)}-${toDay(last)}.${format}`;
}
