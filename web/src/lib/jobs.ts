// Background jobs as the jobs page shows them.
import type { JobInfo } from '../api/client';
import { isRecord } from '../api/errors';

/** The last error of a job as people read it (apalis stores `{"Err": "..."}`), or null. */
export function jobError(job: Pick<JobInfo, 'last_result'>): string | null {
  const result = job.last_result;
  if (result == null) return null;
  if (typeof result === 'string') return result;
  if (isRecord(result)) {
    if (typeof result.Err === 'string') return result.Err;
    if ('Ok' in result) return null;
  }
  return JSON.stringify(result);
}
