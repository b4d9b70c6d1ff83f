// The two languages have the same keys, and the code uses only keys that exist.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import en from './en';
import fr from './fr';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    keys(v, prefix ? `${prefix}.${k}` : k),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')
      ? [full]
      : [];
  });
}

const PLURAL = /_(zero|one|other)$/;

describe('translations', () => {
  const frKeys = keys(fr);
  const enKeys = keys(en);

  it('French and English have the same keys', () => {
    expect([...enKeys].sort()).toEqual([...frKeys].sort());
  });

  it('no translation is empty', () => {
    for (const key of frKeys) {
      const get = (res: unknown) =>
        key
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], res);
      expect(String(get(fr)).trim(), key).not.toBe('');
      expect(String(get(en)).trim(), key).not.toBe('');
    }
  });

  it('every literal key the code translates exists', () => {
    const known = new Set(frKeys.flatMap((k) => [k, k.replace(PLURAL, '')]));
    const srcDir = path.resolve(import.meta.dirname, '..');
    const missing: string[] = [];
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
        const key = match[1] ?? '';
        if (!known.has(key)) missing.push(`${path.relative(srcDir, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
