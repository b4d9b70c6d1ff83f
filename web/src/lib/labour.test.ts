import { describe, expect, it } from 'vitest';

import {
  labourChanges,
  labourValues,
  memberLabourChanges,
  memberLabourValues,
  numberOrNull,
  type Labour,
} from './labour';

const COMPANY: Labour = {
  currency: 'EUR',
  default_hourly_rate: 40,
  default_weekly_capacity_hours: 38,
  updated_at: '2026-03-01T08:00:00Z',
};

describe('labour figures in forms', () => {
  it('reads an empty field as none', () => {
    expect(numberOrNull('')).toBeNull();
    expect(numberOrNull('  ')).toBeNull();
    expect(numberOrNull(0)).toBe(0);
    expect(numberOrNull('12,5')).toBe(12.5);
    expect(numberOrNull('abc')).toBeNull();
  });

  it('sends only what changed of a member, null to go back to the company’s', () => {
    const own = { weekly_capacity_hours: 28, hourly_rate: 60 };
    expect(memberLabourValues(own)).toEqual({ weekly_capacity_hours: 28, hourly_rate: 60 });
    expect(memberLabourValues({})).toEqual({ weekly_capacity_hours: '', hourly_rate: '' });
    expect(memberLabourChanges(own, memberLabourValues(own))).toEqual({});
    expect(memberLabourChanges(own, { weekly_capacity_hours: '', hourly_rate: 62.5 })).toEqual({
      weekly_capacity_hours: null,
      hourly_rate: 62.5,
    });
    expect(
      memberLabourChanges(
        { weekly_capacity_hours: null, hourly_rate: null },
        { weekly_capacity_hours: 0, hourly_rate: '' },
      ),
    ).toEqual({ weekly_capacity_hours: 0 });
  });

  it('sends only what changed of the company, the currency in capitals', () => {
    expect(labourChanges(COMPANY, labourValues(COMPANY))).toEqual({});
    expect(
      labourChanges(COMPANY, {
        currency: ' chf',
        default_hourly_rate: '',
        default_weekly_capacity_hours: 35,
      }),
    ).toEqual({ currency: 'CHF', default_hourly_rate: null, default_weekly_capacity_hours: 35 });
    // Weekly hours cannot be none: an empty field leaves them.
    expect(
      labourChanges(COMPANY, {
        currency: 'EUR',
        default_hourly_rate: 45,
        default_weekly_capacity_hours: '',
      }),
    ).toEqual({ default_hourly_rate: 45 });
  });
});
