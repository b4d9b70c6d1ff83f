// What an hour of work costs and how long people work: the company's figures
// (`/tenant/labour`) and each member's own (`weekly_capacity_hours`, `hourly_rate` of
// `/users/{id}`, null for the company's), as the forms hold them and the requests they make.
import type { Schemas } from '../api/client';

export type Labour = Schemas['Labour'];
export type LabourUpdate = Schemas['LabourUpdate'];

/** What a number field holds: a number, or '' when empty. */
export type NumberField = number | string;

/** A number field as the API wants it: null when empty (or not a number). */
export function numberOrNull(value: NumberField): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const trimmed = value.trim().replace(',', '.');
  if (trimmed === '') return null;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : null;
}

/** A figure of the API as a number field holds it. */
export function toField(value: number | null | undefined): NumberField {
  return value === null || value === undefined ? '' : value;
}

/** A member's own figures in the member form; empty: the company's. */
export interface MemberLabourValues {
  weekly_capacity_hours: NumberField;
  hourly_rate: NumberField;
}

export function memberLabourValues(member: {
  weekly_capacity_hours?: number | null;
  hourly_rate?: number | null;
}): MemberLabourValues {
  return {
    weekly_capacity_hours: toField(member.weekly_capacity_hours),
    hourly_rate: toField(member.hourly_rate),
  };
}

/** What of a member's own figures changed, for `PATCH /users/{id}` (null: back to the company's). */
export function memberLabourChanges(
  member: { weekly_capacity_hours?: number | null; hourly_rate?: number | null },
  values: MemberLabourValues,
): { weekly_capacity_hours?: number | null; hourly_rate?: number | null } {
  const changes: { weekly_capacity_hours?: number | null; hourly_rate?: number | null } = {};
  const hours = numberOrNull(values.weekly_capacity_hours);
  if (hours !== (member.weekly_capacity_hours ?? null)) changes.weekly_capacity_hours = hours;
  const rate = numberOrNull(values.hourly_rate);
  if (rate !== (member.hourly_rate ?? null)) changes.hourly_rate = rate;
  return changes;
}

/** The company's figures in their form. */
export interface LabourValues {
  currency: string;
  default_hourly_rate: NumberField;
  default_weekly_capacity_hours: NumberField;
}

export function labourValues(labour: Labour): LabourValues {
  return {
    currency: labour.currency,
    default_hourly_rate: toField(labour.default_hourly_rate),
    default_weekly_capacity_hours: labour.default_weekly_capacity_hours,
  };
}

/**
 * What of the company's figures changed, for `PATCH /tenant/labour`: the currency in capitals
 * (the server checks it), an empty rate as null (no rate).
 */
export function labourChanges(labour: Labour, values: LabourValues): LabourUpdate {
  const body: LabourUpdate = {};
  const currency = values.currency.trim().toUpperCase();
  if (currency !== labour.currency) body.currency = currency;
  const rate = numberOrNull(values.default_hourly_rate);
  if (rate !== (labour.default_hourly_rate ?? null)) body.default_hourly_rate = rate;
  const hours = numberOrNull(values.default_weekly_capacity_hours);
  if (hours !== null && hours !== labour.default_weekly_capacity_hours) {
    body.default_weekly_capacity_hours = hours;
  }
  return body;
}
