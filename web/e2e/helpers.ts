import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core';
import { afterAll, afterEach, expect } from 'vitest';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
    headless: true,
  });
}

/** A page whose console errors and uncaught exceptions are collected (the tests want none). */
export interface TrackedPage {
  context: BrowserContext;
  page: Page;
  errors: string[];
  refreshes: number;
}

/** The zone every browser of the tests lives in, whatever the machine's. */
export const BROWSER_TIME_ZONE = 'Europe/Paris';

/**
 * Milliseconds from `now` to the next midnight in `zone`. Wall-clock time left equals real time
 * left except across a daylight-saving change, which happens at night when plenty is left.
 */
export function untilMidnight(zone: string, now: Date = new Date()): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const elapsed = ((part('hour') * 60 + part('minute')) * 60 + part('second')) * 1000;
  return 86_400_000 - elapsed - now.getMilliseconds();
}

export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<TrackedPage> {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 860 },
    locale: 'fr-FR',
    timezoneId: BROWSER_TIME_ZONE,
    ...options,
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const tracked: TrackedPage = { context, page, errors: [], refreshes: 0 };
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The browser logs refused HTTP calls (401 before a refresh, 403/409 the tests provoke).
    if (message.text().startsWith('Failed to load resource')) return;
    tracked.errors.push(message.text());
  });
  page.on('pageerror', (error) => tracked.errors.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.url().endsWith('/api/v1/auth/refresh') && response.ok()) tracked.refreshes += 1;
  });
  return tracked;
}

export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  // Let transitions and notifications settle.
  await page.waitForTimeout(350);
  // A whole page is taken in a window as tall as the page: the app's fixed header and sticky
  // bars stay where they belong instead of being painted in the middle of the image.
  const viewport = page.viewportSize();
  if (fullPage && viewport) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    if (height > viewport.height) {
      await page.setViewportSize({ width: viewport.width, height: Math.min(height, 4000) });
      await page.waitForTimeout(150);
    }
  }
  // Toasts come and go; the page is what the screenshot is about.
  await page.screenshot({
    path: path.join(screenshots, `${name}.png`),
    style: '.mantine-Notifications-root { display: none !important; }',
  });
  if (fullPage && viewport) await page.setViewportSize(viewport);
}

/** The demo company's people (`gmao demo`), who all share one password. */
export const DEMO_PASSWORD = 'Maintenance-2026';
export const DEMO_ADMIN = 'admin@demo.test';
export const DEMO_SUPERVISOR = 'superviseur@demo.test';
export const DEMO_TECHNICIAN = 'technicien@demo.test';
export const DEMO_OPERATOR = 'operateur@demo.test';
export const DEMO_VIEWER = 'lecteur@demo.test';

/** A laptop's window. */
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1366, height: 850 } };
/** A phone in the hand. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

export type FieldRole = 'textbox' | 'combobox' | 'spinbutton';

/**
 * A form field finder by visible label (the accessible name; the required asterisk is
 * aria-hidden), among the given roles.
 */
export function fieldOf(...roles: [FieldRole, ...FieldRole[]]) {
  return (scope: Page | Locator, label: string | RegExp): Locator => {
    const [first, ...others] = roles.map((role) =>
      scope.getByRole(role, { name: label, exact: true }),
    );
    return others.reduce((all, locator) => all.or(locator), first as Locator);
  };
}

/** A text field, select or number field by its visible label. */
export const field = fieldOf('textbox', 'combobox', 'spinbutton');

/** Fills the login form on screen and submits it. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(email);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** Logs in from the login page and waits for the home page. */
export async function logIn(
  page: Page,
  baseUrl: string,
  email: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await submitLogin(page, email, password);
  await page.waitForURL(`${baseUrl}/`);
}

/**
 * Opens a page (a desktop one unless told) and logs in; `opened` hears of the page before the
 * login, for a screenshot if it fails.
 */
export async function openLoggedIn(
  browser: Browser,
  baseUrl: string,
  email: string,
  options: BrowserContextOptions = DESKTOP,
  opened?: (tracked: TrackedPage) => void,
): Promise<TrackedPage> {
  const tracked = await openPage(browser, options);
  opened?.(tracked);
  await logIn(tracked.page, baseUrl, email);
  return tracked;
}

/** An access token for the API, as `email` logs in. */
export async function tokenOf(
  baseUrl: string,
  email: string,
  password = DEMO_PASSWORD,
): Promise<string> {
  const login = await apiCall<{ access_token: string }>(baseUrl, 'POST', '/auth/login', {
    body: { email, password },
  });
  expect(login.status).toBe(200);
  return login.body.access_token;
}

/** The sidebar (or, on phones, the burger menu's) navigation. */
export function nav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Navigation principale' });
}

/** Follows an item of the main navigation, opening it first on a phone. */
export async function goTo(page: Page, item: string, phone = false): Promise<void> {
  if (phone) await page.getByRole('button', { name: 'Ouvrir la navigation' }).click();
  await nav(page).getByRole('link', { name: item, exact: true }).click();
}

/** A segment of a Mantine SegmentedControl (its radio input is hidden behind its label). */
export function segment(scope: Page | Locator, name: string): Locator {
  return scope.locator('label').filter({ hasText: new RegExp(`^${name}$`) });
}

/**
 * The hooks every test file wants: after a failed test, a screenshot of the page it was on
 * (`current()`), if still open; after the last, the browser closed.
 */
export function afterTests(
  browser: () => Browser | undefined,
  current: () => TrackedPage | null | undefined,
): void {
  afterEach(async ({ task }) => {
    const tracked = current();
    if (task.result?.state === 'fail' && tracked && !tracked.page.isClosed()) {
      await shot(tracked.page, `failed-${task.name.replace(/\W+/g, '-').slice(0, 40)}`).catch(
        () => undefined,
      );
    }
  });
  afterAll(async () => {
    await browser()?.close();
  });
}

/** A company signed up through the API, by its first administrator. */
export interface Founder {
  company: string;
  slug: string;
  name: string;
  email: string;
  password: string;
}

export async function signUp(baseUrl: string, founder: Founder): Promise<void> {
  const signup = await apiCall(baseUrl, 'POST', '/auth/signup', {
    body: {
      company_name: founder.company,
      tenant_slug: founder.slug,
      full_name: founder.name,
      email: founder.email,
      password: founder.password,
    },
  });
  expect(signup.status).toBe(201);
}

/** Picks an option of a Mantine Select / MultiSelect by the visible text of the option. */
export async function choose(
  scope: Page | Locator,
  page: Page,
  label: string | RegExp,
  option: string | RegExp,
  search?: string,
) {
  const input = scope
    .getByRole('textbox', { name: label, exact: true })
    .or(scope.getByRole('combobox', { name: label, exact: true }))
    .first();
  await input.click();
  if (search !== undefined) await input.fill(search);
  await page.getByRole('option', { name: option }).first().click();
}

export function expectNoConsoleErrors(tracked: TrackedPage): void {
  expect(tracked.errors, 'console errors').toEqual([]);
}

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** A direct HTTP call to the API, as another client (or an attacker with a real token) would make. */
export async function apiCall<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  apiPath: string,
  options: { token?: string; body?: unknown } = {},
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${baseUrl}/api/v1${apiPath}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A small real PNG (a coloured square), as a phone's camera would give a photo. */
export function pngPhoto(size = 48, rgb: [number, number, number] = [200, 80, 40]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(size).fill(rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A mail the server wrote to its outbox (no SMTP in the tests), as its stdout line says. */
export interface Mail {
  to: string;
  subject: string;
  /** The link the mail is about (`…/invitation?token=…`), as the server's public address writes it. */
  link: string | null;
  file: string;
}

const MAIL_LINE = /^✉ mail to (.+?): (.*?)(?: → (\S+))? {2}\((.+)\)$/;

/** Every mail sent so far, in delivery order (`mailLog` is provided by global-setup.ts). */
export function readMails(mailLog: string): Mail[] {
  return readFileSync(mailLog, 'utf8')
    .split('\n')
    .map((line) => MAIL_LINE.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, to = '', subject = '', link, file = '']) => ({
      to,
      subject,
      link: link ?? null,
      file,
    }));
}

/** The mails to `address` whose link goes to `linkPath` (`/invitation`, `/verify-email`…). */
export function mailsTo(mailLog: string, address: string, linkPath?: string): Mail[] {
  return readMails(mailLog).filter(
    (mail) =>
      mail.to.toLowerCase() === address.toLowerCase() &&
      (linkPath === undefined || (mail.link !== null && new URL(mail.link).pathname === linkPath)),
  );
}

/**
 * Waits for a new mail to `address` with a link to `linkPath` (mails go out through a job queue,
 * a moment after the answer): the first one past the `seen` mails already there. The link must
 * lead to the server under test (`baseUrl`: without a configured public address, mails link
 * where the server listens).
 */
export async function waitForMail(
  mailLog: string,
  baseUrl: string,
  address: string,
  linkPath: string,
  seen = 0,
  timeoutMs = 20_000,
): Promise<{ mail: Mail; url: string; token: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = mailsTo(mailLog, address, linkPath)[seen];
    if (mail?.link) {
      const link = new URL(mail.link);
      expect(link.origin).toBe(new URL(baseUrl).origin);
      return {
        mail,
        url: link.toString(),
        token: link.searchParams.get('token') ?? '',
      };
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no mail #${seen + 1} to ${address} linking to ${linkPath} within ${timeoutMs / 1000} s; mails so far:\n` +
          readMails(mailLog)
            .map((m) => `${m.to}: ${m.subject} → ${m.link}`)
            .join('\n'),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
