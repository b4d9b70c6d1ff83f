// The same cases as the server's unit tests (crates/domain/src), so that the form and the API
// agree.
import { describe, expect, it } from 'vitest';

import {
  checkCode,
  checkEmail,
  checkName,
  checkOptionalText,
  checkPassword,
  checkSlug,
  checkTimeZone,
  suggestSlug,
} from './validation';

const codeOf = (problem: { code: string } | null) => problem?.code ?? null;
const reasonOf = (problem: { code: string; reason?: unknown } | null) =>
  problem === null ? null : typeof problem.reason === 'string' ? problem.reason : problem.code;

describe('workspace identifier (tenant.rs)', () => {
  it('accepts well-formed slugs', () => {
    for (const good of [
      'abc',
      'fonderie-rhone',
      'usine42',
      'a-b-c',
      'a'.repeat(40),
      '  usine-lyon  ',
    ]) {
      expect(checkSlug(good), good).toBeNull();
    }
  });

  it('refuses malformed ones with invalid_slug', () => {
    for (const bad of [
      'ab',
      'Fonderie',
      '-abc',
      'abc-',
      'a--b',
      '4usine',
      'usine_lyon',
      'usine lyon',
      'é-usine',
      'a'.repeat(41),
    ]) {
      expect(codeOf(checkSlug(bad)), bad).toBe('invalid_slug');
    }
    expect(checkSlug('ab')).toEqual({ code: 'invalid_slug', min: 3, max: 40 });
  });

  it('refuses reserved words and blanks', () => {
    for (const reserved of ['admin', 'api', 'login', 'www', 'gmao', 'undefined']) {
      expect(codeOf(checkSlug(reserved)), reserved).toBe('reserved_slug');
    }
    expect(codeOf(checkSlug('  '))).toBe('required');
    expect(codeOf(checkSlug(''))).toBe('required');
  });

  it('suggests a valid slug from a company name', () => {
    expect(suggestSlug('Fonderie du Rhône')).toBe('fonderie-du-rhone');
    expect(suggestSlug('  42 Usines & Cie ')).toBe('usines-cie');
    expect(suggestSlug('Admin')).toBe('admin-gmao');
    expect(checkSlug(suggestSlug('Société Générale d’Usinage — Lyon Est'))).toBeNull();
    expect(suggestSlug('x'.repeat(60))).toHaveLength(40);
  });
});

describe('password policy (password.rs)', () => {
  it('accepts reasonable passwords', () => {
    expect(checkPassword('Roulement-42-graisse')).toBeNull();
    expect(checkPassword('correct horse 7 battery')).toBeNull();
    expect(checkPassword('Clé à molette 12')).toBeNull();
  });

  it('refuses each rule with its reason', () => {
    expect(reasonOf(checkPassword('Court-1'))).toBe('too_short');
    expect(checkPassword('Court-1')).toEqual({
      code: 'weak_password',
      reason: 'too_short',
      min: 10,
    });
    expect(reasonOf(checkPassword('ab1'.repeat(50)))).toBe('too_long');
    expect(reasonOf(checkPassword('seulementdeslettres'))).toBe('needs_variety');
    expect(reasonOf(checkPassword('12345678901234'))).toBe('needs_variety');
    expect(reasonOf(checkPassword('Azerty1234'))).toBe('too_common');
    expect(reasonOf(checkPassword('aaaaaaaaaaaa1'))).toBe('too_common');
    expect(reasonOf(checkPassword(''))).toBe('required');
  });

  it('counts characters as the server does (not UTF-16 units)', () => {
    // Eight emoji and a letter: 9 characters for Rust, but 17 UTF-16 units.
    expect(reasonOf(checkPassword('🔧🔩🛠🏭🧰🔥💧🚒a'))).toBe('too_short');
    expect(checkPassword('🔧🔩🛠🏭🧰🔥💧🚒🚧a')).toBeNull();
  });

  it('refuses personal words of four letters or more', () => {
    const personal = {
      email: 'anne.martin@usine.fr',
      fullName: 'Anne Martin',
      company: 'Fonderie Rhône',
    };
    expect(reasonOf(checkPassword('martin-2026-xyz', personal))).toBe('contains_personal_info');
    expect(reasonOf(checkPassword('FONDERIE!2026', personal))).toBe('contains_personal_info');
    expect(reasonOf(checkPassword('rhône-pompe-42', personal))).toBe('contains_personal_info');
    expect(checkPassword('li-bo-pompe-42', { fullName: 'Li Bo' })).toBeNull();
    expect(checkPassword('Pompe-hydraulique-77', personal)).toBeNull();
  });
});

describe('email (email.rs)', () => {
  it('accepts ordinary and international addresses', () => {
    for (const good of [' Anne.Martin@Usine-Lyon.fr ', 'a+gmao@example.co.uk', 'josé@société.fr']) {
      expect(checkEmail(good), good).toBeNull();
    }
  });

  it('refuses malformed addresses', () => {
    for (const bad of [
      'anne',
      'anne@',
      '@usine.fr',
      'anne@usine',
      'an ne@usine.fr',
      'anne@@usine.fr',
      'anne@usine..fr',
      '.anne@usine.fr',
      'anne@-usine.fr',
    ]) {
      expect(codeOf(checkEmail(bad)), bad).toBe('invalid_email');
    }
    expect(codeOf(checkEmail(''))).toBe('required');
    expect(codeOf(checkEmail('x'))).toBe('invalid_email');
  });
});

describe('names, codes, time zones (text.rs)', () => {
  it('names are trimmed, required and bounded', () => {
    expect(checkName('  Usine de Lyon ')).toBeNull();
    expect(codeOf(checkName('   '))).toBe('required');
    expect(checkName('x'.repeat(121))).toEqual({ code: 'too_long', max: 120 });
    expect(checkName('x'.repeat(81), 80)).toEqual({ code: 'too_long', max: 80 });
    expect(codeOf(checkName('a\u0000b'))).toBe('invalid_characters');
    expect(checkName('Élévateur n°2')).toBeNull();
  });

  it('codes are 1–32 letters, digits, -, _ or .', () => {
    expect(checkCode(' lyon-1 ')).toBeNull();
    expect(checkCode('L2.A_b')).toBeNull();
    expect(codeOf(checkCode('a b'))).toBe('invalid_code');
    expect(codeOf(checkCode('é'))).toBe('invalid_code');
    expect(checkCode('A'.repeat(33))).toEqual({ code: 'too_long', max: 32 });
    expect(codeOf(checkCode(''))).toBe('required');
  });

  it('optional text may be blank but not too long', () => {
    expect(checkOptionalText('  ')).toBeNull();
    expect(checkOptionalText(null)).toBeNull();
    expect(checkOptionalText('abcdefghijk', 10)).toEqual({ code: 'too_long', max: 10 });
  });

  it('time zones are IANA names', () => {
    expect(checkTimeZone('Europe/Paris')).toBeNull();
    expect(checkTimeZone(' America/Montreal ')).toBeNull();
    expect(checkTimeZone('UTC')).toBeNull();
    expect(codeOf(checkTimeZone('Europe/Lyon'))).toBe('invalid_time_zone');
    expect(codeOf(checkTimeZone('CEST+2'))).toBe('invalid_time_zone');
    expect(codeOf(checkTimeZone(''))).toBe('invalid_time_zone');
  });
});
