import { describe, expect, it } from 'vitest';

import { ApiError, toApiError } from '../api/errors';
import { testI18n } from '../i18n/testing';
import {
  importProblems,
  previewCsv,
  problemRows,
  sniffDelimiter,
  splitCsvLine,
} from './readingsImport';

const frI18n = await testI18n('fr');
const enI18n = await testI18n('en');

const FILE = `equipment_code,meter,value,read_at
PRESSE-01,Heures,200,2026-04-01T08:00:00Z
PRESSE-01,Heures,120,2026-05-01T08:00:00Z
NOPE,Heures,1,2026-05-01T08:00:00Z
PRESSE-01,Heures,abc,2026-05-02T08:00:00Z
`;

/** The server's answer to FILE (tests/api/meters.rs). */
const REFUSAL = toApiError(422, {
  code: 'import_refused',
  message: 'Requête refusée (import_refused).',
  details: {
    problems: [
      { line: 5, field: 'value', code: 'invalid_number' },
      {
        line: 3,
        field: 'value',
        code: 'reading_below_previous',
        previous_value: 1500,
        previous_read_at: '2026-04-01T08:00:00Z',
      },
      { line: 4, field: 'meter', code: 'unknown_meter', equipment_code: 'NOPE', meter: 'Heures' },
    ],
  },
});

describe('CSV preview', () => {
  it('chooses the delimiter like the server and reads quoted cells', () => {
    expect(sniffDelimiter('equipment_code;meter;value;read_at\n')).toBe(';');
    expect(sniffDelimiter(FILE)).toBe(',');
    expect(splitCsvLine('"A;B";Heures;"1,5"', ';')).toEqual(['A;B', 'Heures', '1,5']);
    expect(splitCsvLine('a,"say ""hi""",c', ',')).toEqual(['a', 'say "hi"', 'c']);
  });

  it('counts the lines and names the missing columns', () => {
    const preview = previewCsv(FILE, 2);
    expect(preview.lineCount).toBe(4);
    expect(preview.rows).toHaveLength(2);
    expect(preview.missing).toEqual([]);
    expect(previewCsv('\uFEFFcode,value\nX,1\n').missing).toEqual([
      'equipment_code',
      'meter',
      'read_at',
    ]);
  });
});

describe('problems of a refused import', () => {
  it('reads them from the 422, by line', () => {
    expect(importProblems(REFUSAL).map((p) => [p.line, p.code])).toEqual([
      [3, 'reading_below_previous'],
      [4, 'unknown_meter'],
      [5, 'invalid_number'],
    ]);
    expect(importProblems(new ApiError(422, 'validation_failed', ''))).toEqual([]);
    expect(importProblems(new Error('x'))).toEqual([]);
  });

  it('explains each line in the reader’s language, next to its content', () => {
    const rows = problemRows(frI18n, importProblems(REFUSAL), FILE);
    expect(rows[0]).toEqual({
      line: 3,
      column: 'Valeur',
      // Numbers and dates in the reader's format (1 500 with a narrow space in French).
      message: expect.stringMatching(
        /^Inférieur au relevé précédent \(1\s500 le .+\) : un compteur/,
      ) as unknown,
      content: 'PRESSE-01,Heures,120,2026-05-01T08:00:00Z',
    });
    expect(rows[1]?.message).toBe(
      'Aucun compteur « Heures » sur l’équipement NOPE (ou équipement inconnu, archivé, hors de vos sites).',
    );
    expect(rows[1]?.column).toBe('Compteur');
    const english = problemRows(enI18n, importProblems(REFUSAL), null);
    expect(english[2]).toEqual({
      line: 5,
      column: 'Value',
      message: 'The value is not a number.',
      content: null,
    });
  });

  it('explains a file it cannot read at all', () => {
    const missing = toApiError(422, {
      code: 'import_refused',
      message: '',
      details: {
        problems: [
          {
            line: 1,
            field: 'file',
            code: 'missing_columns',
            expected: ['equipment_code', 'meter', 'value', 'read_at'],
          },
        ],
      },
    });
    const [row] = problemRows(enI18n, importProblems(missing), 'code,value\nX,1\n');
    expect(row).toEqual({
      line: 1,
      column: 'File',
      message: 'The header must have the columns: equipment_code, meter, value, read_at.',
      content: null,
    });
  });
});
