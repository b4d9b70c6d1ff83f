// What maintenance labour costs, at a foundry of its own. The administrator sets the company's
// figures on the members page ("Coûts de main-d’œuvre": a currency that is no ISO code is refused
// under its field), then gives a technician their own weekly hours and rate (the company's shown
// as placeholders; 200 hours a week refused under the field). Time is logged on an order (through
// the API, as the technician and the supervisor would from their phones): the dashboard's labour
// card shows the cost at each one's rate, by type of work, and the backlog tile its crew-weeks,
// as the API computes them. Without a company rate, the supervisor's next hours are not priced:
// the card says how many, and leads the administrator to the rate. A supervisor, who does not
// manage members, gets neither the tab nor the link. The report form offers the cost indicator.
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  expectNoConsoleErrors,
  field,
  goTo,
  launch,
  logIn,
  openPage,
  shot,
  signUp,
  tokenOf,
  type TrackedPage,
} from './helpers';

const baseUrl = inject('baseUrl');
/** The server computes the indicators: give it time on a loaded machine. */
const COMPUTED = { timeout: 15_000 };

const ADMIN = {
  company: 'Fonderie du Forez',
  slug: 'fonderie-du-forez',
  name: 'Claire Fabre',
  email: 'claire.fabre@fonderie.test',
  password: 'Coulee-2026-bronze',
};
const SUPERVISOR = {
  name: 'Marc Teyssier',
  email: 'marc.teyssier@fonderie.test',
  password: 'Planning-57-moules',
  role: 'supervisor',
};
const TECH = {
  name: 'Nadia Bouzid',
  email: 'nadia.bouzid@fonderie.test',
  password: 'Roulement-6205-noyau',
  role: 'technician',
};

let browser: Browser;
let current: TrackedPage | null = null;
let admin: TrackedPage;
let techId = '';
let orderId = '';
let kpiSearch = '';

const people: Record<string, { email: string; password: string }> = {
  admin: ADMIN,
  supervisor: SUPERVISOR,
  technician: TECH,
};
const tokens = new Map<string, { token: string; at: number }>();

/** A token of `who` (the server's access tokens last 30 s: renewed at 20). */
async function cachedToken(who: string): Promise<string> {
  const known = tokens.get(who);
  if (known && Date.now() - known.at < 20_000) return known.token;
  const person = people[who];
  expect(person, who).toBeTruthy();
  const token = await tokenOf(baseUrl, person?.email ?? '', person?.password ?? '');
  tokens.set(who, { token, at: Date.now() });
  return token;
}

async function api<T = Record<string, unknown>>(
  who: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const answer = await apiCall<T>(baseUrl, method, path, { token: await cachedToken(who), body });
  expect([200, 201, 204], `${method} ${path}: ${JSON.stringify(answer.body)}`).toContain(
    answer.status,
  );
  return answer.body;
}

/** A member with an initial password, replaced at once by their own (as at a first login). */
async function addMember(person: typeof TECH, roles: Array<{ id: string; key?: string | null }>) {
  const initial = `Provisoire-${person.password}`;
  const role = roles.find((r) => r.key === person.role);
  expect(role, person.role).toBeTruthy();
  const added = await api<{ member: { id: string } }>('admin', 'POST', '/users', {
    email: person.email,
    full_name: person.name,
    role_id: role?.id,
    password: initial,
  });
  const first = await tokenOf(baseUrl, person.email, initial);
  const changed = await apiCall(baseUrl, 'POST', '/me/password', {
    token: first,
    body: { current_password: initial, new_password: person.password },
  });
  expect(changed.status).toBe(204);
  return added.member.id;
}

async function logInAtWork(page: Page, email: string, password: string) {
  await logIn(page, baseUrl, email, password);
  // No mailbox to confirm here: the reminder is put away.
  await page.getByRole('button', { name: 'Masquer pour l’instant' }).click();
}

/** The dashboard once its figures are those of the filters on screen. */
async function settled(page: Page): Promise<void> {
  await page.locator('[data-testid="kpi-dashboard"][aria-busy="false"]').waitFor(COMPUTED);
}

/** An amount as the French dashboard writes it ("112,50 €", "1 235 €"). */
function euros(value: number): string {
  return new Intl.NumberFormat('fr-FR', {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: Number.isInteger(value) ? 0 : 2,
    maximumFractionDigits: Number.isInteger(value) ? 0 : 2,
  }).format(value);
}

interface KpisAnswer {
  cost: {
    value?: number | null;
    currency: string;
    priced_hours: number;
    unpriced_hours: number;
    by_type: Array<{ type: string; amount: number }>;
  };
  backlog: { crew_weeks: { value?: number | null; numerator: number; denominator: number } };
}

beforeAll(async () => {
  browser = await launch();
});

afterTests(
  () => browser,
  () => current,
);

describe.sequential('labour costs', () => {
  it('the foundry, its furnace and its people', async () => {
    await signUp(baseUrl, ADMIN);
    const site = await api<{ id: string }>('admin', 'POST', '/sites', {
      code: 'FEURS',
      name: 'Fonderie de Feurs',
      time_zone: 'Europe/Paris',
    });
    const furnace = await api<{ id: string }>('admin', 'POST', '/equipment', {
      code: 'FOUR-01',
      name: 'Four à induction',
      site_id: site.id,
      criticality: 'critical',
    });
    const roles = await api<{ items: Array<{ id: string; key?: string | null }> }>(
      'admin',
      'GET',
      '/roles',
    );
    const supervisorId = await addMember(SUPERVISOR, roles.items);
    techId = await addMember(TECH, roles.items);
    // 22 estimated hours of work, open: the backlog.
    const order = await api<{ id: string }>('supervisor', 'POST', '/work-orders', {
      type: 'corrective',
      equipment_id: furnace.id,
      title: 'Bobine du four : fuite d’eau de refroidissement',
      estimated_minutes: 1320,
      assignee_ids: [techId, supervisorId],
    });
    orderId = order.id;
  });

  it('the administrator sets the company’s rate and weekly hours; a bad currency is refused', async () => {
    admin = await openPage(browser, { viewport: { width: 1366, height: 850 } });
    current = admin;
    const { page } = admin;
    await logInAtWork(page, ADMIN.email, ADMIN.password);
    await goTo(page, 'Utilisateurs');
    await page.getByRole('tab', { name: 'Coûts de main-d’œuvre' }).click();
    await page.waitForURL(/[?&]view=labour/);
    const card = page.getByTestId('labour-settings');
    await card.getByRole('heading', { name: 'Coûts de main-d’œuvre' }).waitFor();
    // The company starts in euros, without a rate.
    expect(await field(card, 'Devise').inputValue()).toBe('EUR');
    expect(await field(card, 'Taux horaire').inputValue()).toBe('');

    await field(card, 'Devise').fill('EU');
    await field(card, 'Taux horaire').fill('45');
    await field(card, 'Heures par semaine').fill('35');
    const refused = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/tenant/labour') && r.request().method() === 'PATCH',
    );
    await card.getByRole('button', { name: 'Enregistrer' }).click();
    expect((await refused).status()).toBe(422);
    await card
      .getByText('Code de devise ISO en trois lettres majuscules (EUR, CHF…).', { exact: true })
      .waitFor();
    await shot(page, 'labour-settings-refused');

    await field(card, 'Devise').fill('EUR');
    await card.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Coûts de main-d’œuvre enregistrés.').waitFor();
    const saved = await api<{
      currency: string;
      default_hourly_rate: number | null;
      default_weekly_capacity_hours: number;
    }>('admin', 'GET', '/tenant/labour');
    expect(saved).toMatchObject({
      currency: 'EUR',
      default_hourly_rate: 45,
      default_weekly_capacity_hours: 35,
    });
    // A reload shows what the server keeps.
    await page.reload();
    await expect.poll(() => field(card, 'Taux horaire').inputValue()).toBe('45');
    expect(await field(card, 'Heures par semaine').inputValue()).toBe('35');
    await shot(page, 'labour-settings');
    expectNoConsoleErrors(admin);
  });

  it('gives the technician their own weekly hours and rate, the company’s as placeholders', async () => {
    const { page } = admin;
    await page.getByRole('tab', { name: 'Membres' }).click();
    const row = page.getByTestId('member-row').filter({ hasText: TECH.email });
    await row.getByRole('button', { name: `Actions pour ${TECH.name}` }).click();
    await page.getByRole('menuitem', { name: 'Modifier le membre' }).click();
    const dialog = page.getByRole('dialog', { name: `Modifier ${TECH.name}` });
    const hours = field(dialog, 'Heures par semaine');
    const rate = field(dialog, 'Taux horaire');
    expect(await hours.inputValue()).toBe('');
    await expect.poll(() => hours.getAttribute('placeholder')).toBe('Entreprise : 35\u00a0h');
    expect(await rate.getAttribute('placeholder')).toBe(`Entreprise : ${euros(45)}`);

    // More hours than a week has: refused under the field, nothing saved.
    await hours.fill('200');
    await rate.fill('60');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.getByText('Entre 0 et 168.', { exact: true }).waitFor();
    await shot(page, 'member-labour-refused');
    await hours.fill('28');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(`Modifications de ${TECH.name} enregistrées.`).waitFor();
    await expect
      .poll(() => row.getByTestId('member-labour').textContent())
      .toBe(`28\u00a0h/sem. · ${euros(60)}/h`);
    const member = await api<{ weekly_capacity_hours: number; hourly_rate: number }>(
      'admin',
      'GET',
      `/users/${techId}`,
    );
    expect(member).toMatchObject({ weekly_capacity_hours: 28, hourly_rate: 60 });
    await shot(page, 'users-labour');
    expectNoConsoleErrors(admin);
  });

  it('shows on the dashboard what the time logged cost, and the backlog in crew-weeks', async () => {
    // 90 minutes of the technician at their 60 €, 30 of the supervisor at the company's 45 €.
    await api('technician', 'POST', `/work-orders/${orderId}/start`, {});
    await api('technician', 'POST', `/work-orders/${orderId}/time-entries`, { minutes: 90 });
    await api('supervisor', 'POST', `/work-orders/${orderId}/time-entries`, { minutes: 30 });

    const { page } = admin;
    const answered = page.waitForResponse(
      (r) => r.url().includes('/api/v1/kpis?') && r.ok(),
      COMPUTED,
    );
    await page.goto(`${baseUrl}/kpis?period=this_month`);
    const response = await answered;
    await settled(page);
    kpiSearch = new URL(response.url()).search;
    const expected = await api<KpisAnswer>('admin', 'GET', `/kpis${kpiSearch}`);
    expect(expected.cost.value).toBeCloseTo(112.5, 2);
    expect(expected.cost.unpriced_hours).toBe(0);

    const card = page.getByTestId('kpi-labour');
    const cost = card.getByTestId('kpi-figure-cost');
    await cost.getByText('Coût main-d’œuvre').waitFor();
    expect(await cost.getByTestId('kpi-value').textContent()).toBe(euros(112.5));
    expect(await cost.getByTestId('kpi-how').textContent()).toMatch(/^sur 2\u00a0h valorisées/);
    expect(await cost.getByTestId('kpi-cost-unpriced').count()).toBe(0);
    // By type of work: all of it corrective.
    const types = card.getByTestId('hours-type-row');
    await expect.poll(() => types.count()).toBe(1);
    expect(await types.first().textContent()).toBe(`Correctif2\u00a0h · ${euros(112.5)}`);

    // 22 estimated hours over the crew's week (administrator 35 + supervisor 35 + technician 28).
    const crew = expected.backlog.crew_weeks;
    expect(crew.numerator).toBeCloseTo(22, 3);
    expect(crew.denominator).toBeCloseTo(98, 3);
    const weeks = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(
      crew.value ?? NaN,
    );
    expect(
      await page.getByTestId('kpi-tile-backlog').getByTestId('kpi-how').textContent(),
    ).toContain(`≈ ${weeks} sem. d’équipe`);
    await page.mouse.move(0, 0);
    await shot(page, 'kpis-labour-tiles');
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'kpis-labour-cost');
    expectNoConsoleErrors(admin);
  });

  it('says how many hours have no rate, and leads the administrator to it', async () => {
    // No company rate any more: the supervisor's next half-hour has no price.
    await api('admin', 'PATCH', '/tenant/labour', { default_hourly_rate: null });
    await api('supervisor', 'POST', `/work-orders/${orderId}/time-entries`, { minutes: 30 });
    const expected = await api<KpisAnswer>('admin', 'GET', `/kpis${kpiSearch}`);
    expect(expected.cost.unpriced_hours).toBeCloseTo(0.5, 3);

    const { page } = admin;
    await page.reload();
    await settled(page);
    const cost = page.getByTestId('kpi-figure-cost');
    // Time already logged keeps its rate.
    await expect.poll(() => cost.getByTestId('kpi-value').textContent()).toBe(euros(112.5));
    const unpriced = cost.getByTestId('kpi-cost-unpriced');
    expect(await unpriced.textContent()).toBe(
      '0,5\u00a0h sans taux horaire, non comptées. Renseigner un taux',
    );
    await unpriced.scrollIntoViewIfNeeded();
    await shot(page, 'kpis-labour-unpriced');
    await unpriced.getByRole('link', { name: 'Renseigner un taux' }).click();
    await page.waitForURL(`${baseUrl}/users?view=labour`);
    await page.getByTestId('labour-settings').getByRole('heading').waitFor();
    expectNoConsoleErrors(admin);
    await admin.context.close();
  });

  it('gives a supervisor neither the company’s costs nor the link, and offers the cost in reports', async () => {
    const supervisor = await openPage(browser, { viewport: { width: 1366, height: 850 } });
    current = supervisor;
    const { page } = supervisor;
    await logInAtWork(page, SUPERVISOR.email, SUPERVISOR.password);
    await page.goto(`${baseUrl}/users?view=labour`);
    await page.getByRole('tab', { name: 'Membres' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Coûts de main-d’œuvre' }).count()).toBe(0);
    expect(await page.getByTestId('labour-settings').count()).toBe(0);
    // Nor anyone's rate.
    await page.getByTestId('member-row').filter({ hasText: TECH.email }).waitFor();
    expect(
      await page
        .getByTestId('member-row')
        .filter({ hasText: TECH.email })
        .getByTestId('member-labour')
        .textContent(),
    ).toBe('28\u00a0h/sem.');

    await page.goto(`${baseUrl}/kpis?period=this_month`);
    await settled(page);
    const unpriced = page.getByTestId('kpi-cost-unpriced');
    await unpriced.waitFor();
    expect(await unpriced.getByRole('link').count()).toBe(0);
    expect(await unpriced.textContent()).toContain('Il manque un taux horaire');

    await page.goto(`${baseUrl}/reports`);
    await page.getByRole('button', { name: 'Programmer un rapport' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Programmer un rapport' });
    const indicator = dialog.getByRole('checkbox', { name: 'Coût main-d’œuvre' });
    expect(await indicator.isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });
});
