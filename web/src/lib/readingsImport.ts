// The CSV import of meter readings: a preview of the file before it is sent, and the problems of
// a refusal (422 `import_refused`, `details.problems: [{line, field, code, …}]`) as rows people
// can act on, with the line of the file they point at.
import type { i18n as I18n } from 'i18next';

import { ApiError, isRecord } from '../api/errors';
import { fieldMessage } from '../i18n/messages';

export const EXPECTED_COLUMNS = ['equipment_code', 'meter', 'value', 'read_at'] as const;

/** `;` when the header line has one (a spreadsheet in French), else `,`, as the server decides. */
export function sniffDelimiter(text: string): ',' | ';' {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  return first.includes(';') ? ';' : ',';
}

/** One line split on the delimiter, honouring double quotes. */
export function splitCsvLine(line: string, delimiter: ',' | ';'): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      cells.push(current.trim());
      current = '';
    } else current += c;
  }
  cells.push(current.trim());
  return cells;
}

export interface CsvPreview {
  delimiter: ',' | ';';
  header: string[];
  /** Rows after the header (the first ones only). */
  rows: string[][];
  /** Data lines in the file (without the header and blank lines). */
  lineCount: number;
  /** Expected columns the header lacks. */
  missing: string[];
}

export function previewCsv(text: string, maxRows = 5): CsvPreview {
  const delimiter = sniffDelimiter(text);
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0] ? splitCsvLine(lines[0], delimiter).map((h) => h.toLowerCase()) : [];
  const missing = EXPECTED_COLUMNS.filter((c) => !header.includes(c));
  return {
    delimiter,
    header,
    rows: lines.slice(1, 1 + maxRows).map((l) => splitCsvLine(l, delimiter)),
    lineCount: Math.max(0, lines.length - 1),
    missing,
  };
}

export interface ImportProblem {
  line: number;
  field: string;
  code: string;
  [param: string]: unknown;
}

/** `details.problems` of an `import_refused`, or an empty list. */
export function importProblems(error: unknown): ImportProblem[] {
  if (!(error instanceof ApiError) || error.code !== 'import_refused') return [];
  const problems = error.details.problems;
  if (!Array.isArray(problems)) return [];
  return problems
    .filter(
      (p): p is ImportProblem =>
        isRecord(p) && typeof p.line === 'number' && typeof p.code === 'string',
    )
    .map((p) => ({ ...p, field: typeof p.field === 'string' ? p.field : 'file' }))
    .sort((a, b) => a.line - b.line);
}

export interface ProblemRow {
  line: number;
  /** The column in the interface's words ("Valeur", "Compteur", "Fichier"). */
  column: string;
  message: string;
  /** The text of that line in the file, when the file is at hand. */
  content: string | null;
}

/** The problems of a refused import as table rows, in the interface's language. */
export function problemRows(
  i18n: I18n,
  problems: readonly ImportProblem[],
  fileText: string | null = null,
): ProblemRow[] {
  // Line numbers count the header as line 1 and blank lines too, as the server reads the file.
  const lines = fileText === null ? [] : fileText.replace(/^\uFEFF/, '').split(/\r?\n/);
  return problems.map((problem) => {
    const { line, field, ...rest } = problem;
    const columnKey = `readingsImport.columns.${field}`;
    const content = lines[line - 1];
    return {
      line,
      column: i18n.exists(columnKey) ? i18n.t(columnKey) : field,
      message: importProblemMessage(i18n, rest),
      content: content === undefined || line === 1 ? null : content,
    };
  });
}

/** One problem's sentence: the import's own codes first, then the field codes of readings. */
export function importProblemMessage(i18n: I18n, problem: { code: string; [k: string]: unknown }) {
  const key = `readingsImport.problems.${problem.code}`;
  if (i18n.exists(key)) {
    const params: Record<string, unknown> = { ...problem };
    if (Array.isArray(problem.expected)) params.expected = problem.expected.join(', ');
    return i18n.t(key, params);
  }
  return fieldMessage(i18n, problem);
}
