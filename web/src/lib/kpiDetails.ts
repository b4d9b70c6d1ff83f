// The dashboard's details ("where the failures are", requests, labour) and the technician's
// "My hours" page: the work orders behind a machine's figures, the Pareto of causes, durations in
// words, and the windows of the hours page.
import {
  formatDecimal,
  formatHours,
  NO_VALUE,
  periodWindow,
  toDay,
  type KpiFilters,
  type KpiWindow,
} from './kpis';

/** The last day a window covers (its end is excluded). */
export function lastDayOf(window: KpiWindow): Date {
  return new Date(window.to.getFullYear(), window.to.getMonth(), window.to.getDate() - 1);
}

/**
 * The work-order list of one machine's corrective orders created in the dashboard's window:
 * `/work-orders?equipment=…&type=corrective&created_from=…&created_to=…` (days, both included).
 */
export function machineOrdersLink(equipmentId: string, window: KpiWindow): string {
  const params = new URLSearchParams({
    equipment: equipmentId,
    type: 'corrective',
    created_from: toDay(window.from),
    created_to: toDay(lastDayOf(window)),
  });
  return `/work-orders?${params.toString()}`;
}

/** What of a `KpiCauseShare` is read here. */
export interface CauseShare {
  cause?: { code: string; label: string } | null;
  downtime_hours: number;
  failures: number;
  cumulative_percent: number;
}

export interface ParetoRow {
  /** The cause's code, or the label of a failure without cause. */
  key: string;
  /** "CODE — label", or the label of a failure without cause. */
  label: string;
  /** Short, for an axis: the code. */
  short: string;
  downtime: number;
  failures: number;
  cumulative: number;
  /** Whether the cause was not given. */
  unknown: boolean;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * The Pareto's rows, largest first as the API sends them, each with a label (`unknownLabel`
 * for the failures whose cause was not given) and figures rounded to a tenth.
 */
export function paretoRows(causes: readonly CauseShare[], unknownLabel: string): ParetoRow[] {
  return causes.map((share) => {
    const cause = share.cause ?? null;
    return {
      key: cause ? cause.code : '\u0000unknown',
      label: cause ? `${cause.code} — ${cause.label}` : unknownLabel,
      short: cause ? cause.code : unknownLabel,
      downtime: round1(share.downtime_hours),
      failures: share.failures,
      cumulative: round1(Math.min(100, Math.max(0, share.cumulative_percent))),
      unknown: cause === null,
    };
  });
}

/** `value` as a share (0–100) of `max`, for a bar; 0 when there is nothing to compare with. */
export function shareOf(value: number, max: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(max) || max <= 0 || value <= 0) return 0;
  return Math.min(100, (value / max) * 100);
}

/**
 * A duration given in hours, in the unit that reads best: minutes under an hour ("45 min"),
 * hours under two days ("5,2 h"), days beyond ("3,1 j" / "3.1 d"); "—" when there is none.
 */
export function formatDuration(hours: number | null | undefined, language: string): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours) || hours < 0) {
    return NO_VALUE;
  }
  if (hours < 1) return `${formatDecimal(Math.round(hours * 60), language, 0)}\u00a0min`;
  if (hours < 48) return formatHours(hours, language);
  const day = language.startsWith('fr') ? 'j' : 'd';
  return `${formatDecimal(hours / 24, language)}\u00a0${day}`;
}

// ---- "My hours": this week, this month, last month.

export const HOURS_PERIODS = ['this_week', 'this_month', 'last_month'] as const;
export type HoursPeriod = (typeof HOURS_PERIODS)[number];
export const DEFAULT_HOURS_PERIOD: HoursPeriod = 'this_week';

/** The period the address names (`?period=`), or this week. */
export function hoursPeriodFromParams(params: URLSearchParams): HoursPeriod {
  const value = params.get('period');
  return HOURS_PERIODS.find((p) => p === value) ?? DEFAULT_HOURS_PERIOD;
}

/** The address's search for a period: empty for the default. */
export function hoursPeriodToParams(period: HoursPeriod): URLSearchParams {
  return new URLSearchParams(period === DEFAULT_HOURS_PERIOD ? {} : { period });
}

const MONTHS: Record<Exclude<HoursPeriod, 'this_week'>, KpiFilters['period']> = {
  this_month: 'this_month',
  last_month: 'last_month',
};

/** The window of a period in the browser's time zone; a week starts on Monday. */
export function hoursWindow(period: HoursPeriod, now: Date = new Date()): KpiWindow {
  if (period === 'this_week') {
    const sinceMonday = (now.getDay() + 6) % 7;
    const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - sinceMonday);
    const to = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 7);
    return { from, to };
  }
  return periodWindow(
    {
      period: MONTHS[period],
      from: null,
      to: null,
      group: null,
      siteId: null,
      criticality: null,
    },
    now,
  );
}

/** The `GET /kpis/technicians` query of a period. */
export function hoursQuery(period: HoursPeriod, now: Date = new Date()) {
  const window = hoursWindow(period, now);
  return { from: window.from.toISOString(), to: window.to.toISOString() };
}
