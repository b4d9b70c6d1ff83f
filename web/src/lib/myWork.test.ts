import { describe, expect, it } from 'vitest';

import fr from '../i18n/fr';
import en from '../i18n/en';
import {
  MY_WORK_RANGES,
  NEW_FOR_MS,
  WORK_BUCKETS,
  WORK_BUCKET_COLOR,
  isNewAssignment,
  mergePages,
  withinOf,
} from './myWork';

describe('my work', () => {
  const now = Date.parse('2026-12-03T16:00:00Z');

  it('marks as new what was assigned less than a day ago', () => {
    expect(isNewAssignment('2026-12-03T15:59:00Z', now)).toBe(true);
    expect(isNewAssignment('2026-12-02T16:00:01Z', now)).toBe(true);
    expect(isNewAssignment(new Date(now - NEW_FOR_MS).toISOString(), now)).toBe(false);
    expect(isNewAssignment('2026-11-20T08:00:00Z', now)).toBe(false);
  });

  it('counts an assignment from a clock slightly ahead as new, and an unreadable one as old', () => {
    expect(isNewAssignment('2026-12-03T16:00:30Z', now)).toBe(true);
    expect(isNewAssignment('not a date', now)).toBe(false);
    expect(isNewAssignment(null, now)).toBe(false);
    expect(isNewAssignment(undefined, now)).toBe(false);
  });

  it('asks the API for today, this week or everything', () => {
    expect(MY_WORK_RANGES.map(withinOf)).toEqual(['today', 'week', null]);
  });

  it('shows the groups in the order of a day, each with its colour and its words', () => {
    expect(WORK_BUCKETS).toEqual(['overdue', 'today', 'this_week', 'later', 'on_hold']);
    for (const bucket of WORK_BUCKETS) {
      expect(WORK_BUCKET_COLOR[bucket]).toBeTruthy();
      expect(fr.myWork.buckets[bucket]).toBeTruthy();
      expect(en.myWork.buckets[bucket]).toBeTruthy();
    }
  });

  it('adds the pages loaded since the first orders, each order once', () => {
    const o = (id: string) => ({ id });
    expect(mergePages([o('a'), o('b')], [[o('c'), o('b')], [o('d')]])).toEqual([
      o('a'),
      o('b'),
      o('c'),
      o('d'),
    ]);
    expect(mergePages([], [])).toEqual([]);
  });
});
