import { describe, expect, it } from 'vitest';

import { jobError } from './jobs';

describe('the last error of a job', () => {
  it('reads the error apalis stores, and nothing for a success', () => {
    expect(jobError({ last_result: { Err: 'tenant schema missing' } })).toBe(
      'tenant schema missing',
    );
    expect(jobError({ last_result: { Ok: null } })).toBeNull();
    expect(jobError({ last_result: null })).toBeNull();
    expect(jobError({ last_result: 'timeout' })).toBe('timeout');
    expect(jobError({ last_result: { code: 7 } })).toBe('{"code":7}');
  });
});
