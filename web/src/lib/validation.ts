// Client-side validation with the server's rules (crates/domain/src: tenant.rs, password.rs,
// email.rs, text.rs), so that people see a problem before they submit. Each check answers
// `null` or the same `{code, ...params}` the server puts in `details.fields`, so one set of
// messages serves both.
import type { FieldProblem } from '../api/errors';

export type Problem = FieldProblem | null;

/** Rust's `chars().count()`: Unicode scalar values, not UTF-16 units. */
function charCount(value: string): number {
  return [...value].length;
}

const RESERVED_SLUGS = new Set([
  'about',
  'account',
  'accounts',
  'admin',
  'administrator',
  'api',
  'app',
  'apps',
  'assets',
  'auth',
  'billing',
  'blog',
  'cdn',
  'dashboard',
  'docs',
  'gmao',
  'healthz',
  'help',
  'home',
  'info',
  'internal',
  'login',
  'logout',
  'mail',
  'metrics',
  'new',
  'null',
  'platform',
  'postgres',
  'public',
  'readyz',
  'register',
  'root',
  'settings',
  'signup',
  'static',
  'status',
  'support',
  'system',
  'undefined',
  'www',
]);

export const SLUG_MIN = 3;
export const SLUG_MAX = 40;

/** The workspace identifier: 3–40 lowercase letters, digits and single hyphens, starting with a letter. */
export function checkSlug(raw: string): Problem {
  const slug = raw.trim();
  if (slug === '') return { code: 'required' };
  const wellFormed =
    slug.length >= SLUG_MIN &&
    slug.length <= SLUG_MAX &&
    /^[a-z][a-z0-9-]*$/.test(slug) &&
    !slug.endsWith('-') &&
    !slug.includes('--');
  if (!wellFormed) return { code: 'invalid_slug', min: SLUG_MIN, max: SLUG_MAX };
  if (RESERVED_SLUGS.has(slug)) return { code: 'reserved_slug' };
  return null;
}

/** A slug suggestion from a company name (`Fonderie du Rhône` → `fonderie-du-rhone`). */
export function suggestSlug(companyName: string): string {
  let slug = companyName
    .normalize('NFD')
    .replace(/\p{Mark}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  if (RESERVED_SLUGS.has(slug)) slug = `${slug}-gmao`;
  return slug;
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

const COMMON_PASSWORDS = new Set([
  'password123',
  'password1!',
  'motdepasse1',
  'motdepasse123',
  'azerty1234',
  'azertyuiop1',
  'qwerty1234',
  'qwertyuiop1',
  '1234567890a',
  'a1234567890',
  'abc1234567',
  'abcd123456',
  'bonjour1234',
  'soleil12345',
  'welcome123',
  'letmein1234',
  'iloveyou12',
  'admin12345',
  'administrator1',
  'changeme123',
  'p@ssw0rd123',
  'passw0rd123',
  'maintenance1',
  'gmao123456',
]);

/** Words a password must not contain: the email's local part, the person's and company's names. */
export interface PersonalWords {
  email?: string | null;
  fullName?: string | null;
  company?: string | null;
}

const ALPHABETIC = /^\p{Alphabetic}$/u;
const NON_ALPHANUMERIC = /[^\p{Alphabetic}\p{N}]/u;

/** One character repeated over most of the password (`aaaaaaaaaa1`). */
function hasLongRun(chars: string[]): boolean {
  let longest = 1;
  let current = 1;
  for (let i = 1; i < chars.length; i += 1) {
    if (chars[i] === chars[i - 1]) {
      current += 1;
      longest = Math.max(longest, current);
    } else {
      current = 1;
    }
  }
  return longest * 2 > chars.length;
}

export function checkPassword(password: string, personal: PersonalWords = {}): Problem {
  const chars = [...password];
  if (chars.length === 0) return { code: 'required' };
  if (chars.length < PASSWORD_MIN) {
    return { code: 'weak_password', reason: 'too_short', min: PASSWORD_MIN };
  }
  if (chars.length > PASSWORD_MAX) {
    return { code: 'weak_password', reason: 'too_long', max: PASSWORD_MAX };
  }
  const hasLetter = chars.some((c) => ALPHABETIC.test(c));
  const hasOther = chars.some((c) => !ALPHABETIC.test(c));
  if (!hasLetter || !hasOther) return { code: 'weak_password', reason: 'needs_variety' };
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered) || hasLongRun([...lowered])) {
    return { code: 'weak_password', reason: 'too_common' };
  }
  const localPart = personal.email?.trim().toLowerCase().split('@')[0];
  const words = [localPart, personal.fullName, personal.company]
    .filter((w): w is string => typeof w === 'string')
    .flatMap((w) => w.split(NON_ALPHANUMERIC))
    .filter((w) => charCount(w) >= 4);
  if (words.some((w) => lowered.includes(w.toLowerCase()))) {
    return { code: 'weak_password', reason: 'contains_personal_info' };
  }
  return null;
}

const LOCAL_SPECIALS = "!#$%&'*+/=?^_`{|}~.-";
const ALNUM_CHAR = /^[\p{Alphabetic}\p{N}]$/u;

function utf8Length(value: string): number {
  return new TextEncoder().encode(value).length;
}

export function checkEmail(raw: string): Problem {
  const candidate = raw.trim().toLowerCase();
  if (candidate === '') return { code: 'required' };
  const invalid = { code: 'invalid_email' };
  if (utf8Length(candidate) > 254) return invalid;
  const at = candidate.indexOf('@');
  if (at < 0) return invalid;
  const local = candidate.slice(0, at);
  const domain = candidate.slice(at + 1);
  const localOk =
    local !== '' &&
    utf8Length(local) <= 64 &&
    !local.startsWith('.') &&
    !local.endsWith('.') &&
    !local.includes('..') &&
    [...local].every((c) => ALNUM_CHAR.test(c) || LOCAL_SPECIALS.includes(c));
  const labels = domain.split('.');
  const domainOk =
    labels.length >= 2 &&
    labels.every(
      (label) =>
        label !== '' &&
        utf8Length(label) <= 63 &&
        !label.startsWith('-') &&
        !label.endsWith('-') &&
        [...label].every((c) => ALNUM_CHAR.test(c) || c === '-'),
    );
  return localOk && domainOk ? null : invalid;
}

// Rust's `char::is_control`: the Cc category.
const CONTROL = /\p{Cc}/u;

/** A required human name (site, plant, role, person…) of at most `max` characters. */
export function checkName(raw: string, max = 120): Problem {
  const trimmed = raw.trim();
  if (trimmed === '') return { code: 'required' };
  if (charCount(trimmed) > max) return { code: 'too_long', max };
  if (CONTROL.test(trimmed)) return { code: 'invalid_characters' };
  return null;
}

/** Optional free text (address, description): blank is fine. */
export function checkOptionalText(raw: string | null | undefined, max = 500): Problem {
  const trimmed = (raw ?? '').trim();
  if (charCount(trimmed) > max) return { code: 'too_long', max };
  return null;
}

export const CODE_MAX = 32;

/** A code (`LYON-1`, `L2.A`): 1–32 letters, digits, `-`, `_` or `.`; the server upper-cases it. */
export function checkCode(raw: string): Problem {
  const trimmed = raw.trim();
  if (trimmed === '') return { code: 'required' };
  if (charCount(trimmed) > CODE_MAX) return { code: 'too_long', max: CODE_MAX };
  if (!/^[A-Za-z0-9._-]+$/.test(trimmed)) return { code: 'invalid_code' };
  return null;
}

/** The IANA time zones this browser knows (the server knows the same tz database names). */
export function timeZones(): string[] {
  const zones =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? zones : [...zones, 'UTC'];
}

export function checkTimeZone(raw: string, known: readonly string[] = timeZones()): Problem {
  const zone = raw.trim();
  if (zone === '') return { code: 'invalid_time_zone' };
  if (known.includes(zone)) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return null;
  } catch {
    return { code: 'invalid_time_zone' };
  }
}

/** The browser's own time zone, a sensible default for a new site. */
export function defaultTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Paris';
  } catch {
    return 'Europe/Paris';
  }
}
