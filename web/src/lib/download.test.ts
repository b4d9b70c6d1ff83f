import { describe, expect, it } from 'vitest';

import { apiUrl, fileNameFromDisposition } from './download';

describe('the name of a downloaded file', () => {
  it('reads the UTF-8 name gmao writes', () => {
    expect(
      fileNameFromDisposition("attachment; filename*=UTF-8''indicateurs-2026-09-01-2026-11-30.pdf"),
    ).toBe('indicateurs-2026-09-01-2026-11-30.pdf');
    expect(fileNameFromDisposition("inline; filename*=UTF-8''Arr%C3%AAts%20nord.xlsx")).toBe(
      'Arrêts nord.xlsx',
    );
  });

  it('falls back on a plain name, quoted or not', () => {
    expect(fileNameFromDisposition('attachment; filename="rapport \\"mensuel\\".csv"')).toBe(
      'rapport "mensuel".csv',
    );
    expect(fileNameFromDisposition('attachment; filename=rapport.csv')).toBe('rapport.csv');
  });

  it('answers null without a name, and keeps no folder', () => {
    expect(fileNameFromDisposition(null)).toBeNull();
    expect(fileNameFromDisposition('attachment')).toBeNull();
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
  });
});

describe('an API address', () => {
  it('leaves out empty parameters', () => {
    expect(apiUrl('/kpis/export', { format: 'pdf', site_id: undefined, q: '', n: 0 })).toBe(
      '/api/v1/kpis/export?format=pdf&n=0',
    );
    expect(apiUrl('/report-schedules')).toBe('/api/v1/report-schedules');
  });
});
