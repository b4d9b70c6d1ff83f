import { describe, expect, it } from 'vitest';

import { endAfter, formatElapsed, proposedDowntime } from './downtime';

const now = new Date('2026-12-03T10:30:00Z');
const none = { downtime_start: null, downtime_end: null, downtime_minutes: null };

describe('the downtime a completion proposes', () => {
  it('ends a running stop now and counts its minutes', () => {
    expect(proposedDowntime({ ...none, downtime_start: '2026-12-03T08:15:00Z' }, now)).toEqual({
      mode: 'period',
      start: '2026-12-03T08:15:00Z',
      end: '2026-12-03T10:30:00.000Z',
      minutes: 135,
    });
  });

  it('never proposes an end before the start, whatever the clock says', () => {
    const proposed = proposedDowntime({ ...none, downtime_start: '2026-12-03T10:31:00Z' }, now);
    expect(proposed.end).toBe('2026-12-03T10:31:00.000Z');
    expect(proposed.minutes).toBe(0);
  });

  it('shows again what an earlier report recorded (a reopened order)', () => {
    expect(
      proposedDowntime(
        {
          downtime_start: '2026-12-02T08:00:00Z',
          downtime_end: '2026-12-02T09:00:00Z',
          downtime_minutes: 50,
        },
        now,
      ),
    ).toEqual({
      mode: 'period',
      start: '2026-12-02T08:00:00Z',
      end: '2026-12-02T09:00:00Z',
      minutes: 50,
    });
    expect(proposedDowntime({ ...none, downtime_minutes: 20 }, now)).toEqual({
      mode: 'minutes',
      start: null,
      end: null,
      minutes: 20,
    });
  });

  it('proposes no downtime when production did not stop', () => {
    expect(proposedDowntime(none, now).mode).toBe('none');
  });
});

describe('start, minutes and end in step', () => {
  it('puts the end minutes after the start', () => {
    expect(endAfter('2026-12-03T08:15:00Z', 135)).toBe('2026-12-03T10:30:00.000Z');
    expect(endAfter('2026-12-03T08:15:00Z', '45')).toBe('2026-12-03T09:00:00.000Z');
    expect(endAfter('2026-12-03T08:15:00Z', 0)).toBe('2026-12-03T08:15:00.000Z');
  });

  it('has no end without a start or with minutes that are not a duration', () => {
    expect(endAfter(null, 10)).toBeNull();
    expect(endAfter('2026-12-03T08:15:00Z', '')).toBeNull();
    expect(endAfter('2026-12-03T08:15:00Z', null)).toBeNull();
    expect(endAfter('2026-12-03T08:15:00Z', -5)).toBeNull();
    expect(endAfter('2026-12-03T08:15:00Z', 'abc')).toBeNull();
    expect(endAfter('yesterday', 10)).toBeNull();
  });
});

describe('how long production has been stopped', () => {
  const fr = { lessThanAMinute: 'moins d’une minute', dayUnit: 'j' };
  it('reads in minutes, hours, then days', () => {
    expect(formatElapsed(0.4, fr)).toBe('moins d’une minute');
    expect(formatElapsed(45, fr)).toBe('45 min');
    expect(formatElapsed(125, fr)).toBe('2 h 05');
    expect(formatElapsed(24 * 60, fr)).toBe('1 j');
    expect(formatElapsed(3 * 24 * 60 + 4 * 60 + 59, fr)).toBe('3 j 4 h');
    expect(formatElapsed(Number.NaN, fr)).toBe('moins d’une minute');
  });
});
