// "Where the failures are" on the demo company's dashboard (two years of history), and the
// technician's "My hours". The supervisor reads downtime by cause (the first cause the one the
// API ranks first), the machines with the most downtime, and follows "voir les bons" of the first
// one to the work-order list filtered on that machine, corrective work and the dashboard's window.
// A technician opens "Mes heures" from the sidebar and reads their hours, as the API counts them,
// for this week then last month (kept in the address); a supervisor, led there from the
// dashboard's labour card, sees the team. On a phone nothing is wider than the screen.
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  DEMO_SUPERVISOR,
  DEMO_TECHNICIAN,
  DESKTOP,
  expectNoConsoleErrors,
  goTo,
  launch,
  openLoggedIn,
  PHONE,
  segment,
  shot,
  tokenOf,
  type TrackedPage,
} from './helpers';

const baseUrl = inject('baseUrl');
/** The server computes the indicators: give it time on a loaded machine. */
const COMPUTED = { timeout: 15_000 };
const DASHBOARD = '/kpis?period=last_12_months';

let browser: Browser;
let current: TrackedPage | null = null;

beforeAll(async () => {
  browser = await launch();
});

afterTests(
  () => browser,
  () => current,
);

const openAs = (email: string, options = DESKTOP) =>
  openLoggedIn(browser, baseUrl, email, options, (tracked) => (current = tracked));

interface Code {
  code: string;
  label: string;
}
interface Rank {
  equipment_id: string;
  code: string;
  name: string;
}
interface KpisAnswer {
  failures: {
    by_cause: Array<{ cause?: Code | null; failures: number }>;
    most_downtime: Rank[];
  };
}
interface LabourAnswer {
  total_hours: number;
  by_technician: Array<{ user_id: string; full_name: string; hours: number }>;
}

/** A figure as shown in French ("1 474,5 h") as a number. */
function shownNumber(text: string): number {
  return Number(text.replace(/[^\d,-]/g, '').replace(',', '.'));
}

/** The page once its figures are those of the filters on screen. */
async function settled(page: Page, testId: string): Promise<void> {
  await page.locator(`[data-testid="${testId}"][aria-busy="false"]`).waitFor(COMPUTED);
}

const noOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('where the failures are', () => {
  it('shows the supervisor the causes and the machines, each machine leading to its orders', async () => {
    const supervisor = await openAs(DEMO_SUPERVISOR);
    const { page } = supervisor;
    const answered = page.waitForResponse(
      (r) => r.url().includes('/api/v1/kpis?') && r.ok(),
      COMPUTED,
    );
    await page.goto(`${baseUrl}${DASHBOARD}`);
    const response = await answered;
    await settled(page, 'kpi-dashboard');
    const section = page.getByTestId('kpi-failures');
    await section.getByRole('heading', { name: 'Où sont les pannes' }).waitFor();

    // The very same query, asked with the supervisor's token.
    const token = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const query = new URL(response.url()).search;
    const api = await apiCall<KpisAnswer>(baseUrl, 'GET', `/kpis${query}`, { token });
    expect(api.status).toBe(200);
    const { by_cause: causes, most_downtime: machines } = api.body.failures;
    expect(causes.length).toBeGreaterThan(0);
    expect(machines.length).toBeGreaterThan(0);

    // Downtime by cause: one row per cause, the first one the API's first.
    const causeRows = page.getByTestId('kpi-pareto').getByTestId('kpi-cause-row');
    await expect.poll(() => causeRows.count(), COMPUTED).toBe(causes.length);
    const first = causes[0]?.cause;
    const firstLabel = (await causeRows.first().textContent()) ?? '';
    expect(firstLabel).toContain(first ? first.code : 'Cause non renseignée');

    // The machines with the most downtime, in the API's order.
    const ranking = page.getByTestId('kpi-most-downtime');
    const machineRows = ranking.getByTestId('kpi-machine-row');
    await expect.poll(() => machineRows.count(), COMPUTED).toBe(machines.length);
    const top = machines[0] as Rank;
    const topLink = machineRows.first().getByTestId('kpi-machine-link');
    expect(await topLink.textContent()).toBe(`${top.code} — ${top.name}`);
    expect(await topLink.getAttribute('href')).toBe(`/equipment/${top.equipment_id}`);
    // The requests and labour cards say something.
    await page.getByTestId('kpi-requests').getByRole('heading').waitFor();
    await page.getByTestId('kpi-labour').getByRole('heading').waitFor();
    await section.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await shot(page, 'kpis-failures');

    // "voir les bons": the list of that machine's corrective orders in the window.
    await machineRows
      .first()
      .getByRole('link', { name: /Voir les bons correctifs de/ })
      .click();
    await page.waitForURL(/\/work-orders\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('equipment')).toBe(top.equipment_id);
    expect(url.searchParams.get('type')).toBe('corrective');
    expect(url.searchParams.get('created_from')).toMatch(/^\d{4}-\d{2}-01$/);
    expect(url.searchParams.get('created_to')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByRole('heading', { name: 'Bons de travail', level: 1 }).waitFor();
    const orders = page.getByTestId('work-order-row');
    await expect.poll(() => orders.count(), COMPUTED).toBeGreaterThan(0);
    for (const text of await orders.allTextContents()) {
      expect(text).toContain(`${top.code} — ${top.name}`);
      expect(text).toContain('Correctif');
    }
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });

  it('shows a machine’s own figures on its page, to those who read the indicators only', async () => {
    const token = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const list = await apiCall<{ items: Array<{ id: string; code: string }> }>(
      baseUrl,
      'GET',
      '/equipment?q=PRESSE-01',
      { token },
    );
    const machine = list.body.items[0];
    if (!machine) throw new Error('the demo has no PRESSE-01');
    const supervisor = await openAs(DEMO_SUPERVISOR);
    const { page } = supervisor;
    const answered = page.waitForResponse(
      (r) => r.url().includes(`/api/v1/kpis/equipment/${machine.id}?`) && r.ok(),
      COMPUTED,
    );
    await page.goto(`${baseUrl}/equipment/${machine.id}`);
    const api = (await (await answered).json()) as {
      availability: { denominator: number; value?: number | null };
    };
    const card = page.getByTestId('equipment-kpis');
    await card.getByRole('heading', { name: 'Indicateurs des 12 derniers mois' }).waitFor();
    const availability = card.getByTestId('kpi-tile-availability');
    await availability.waitFor(COMPUTED);
    // A year of this one machine's calendar, less its stops.
    expect(api.availability.denominator).toBeGreaterThan(8000);
    expect(await card.getByTestId('kpi-tile-mtbf').count()).toBe(1);
    expect(await card.getByTestId('kpi-tile-pm_compliance').count()).toBe(0);
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();

    const technician = await openAs(DEMO_TECHNICIAN);
    await technician.page.goto(`${baseUrl}/equipment/${machine.id}`);
    // The overview is there, its status card included, but no figures.
    await technician.page.locator('#details-title').waitFor();
    await technician.page.locator('#status-title').waitFor();
    expect(await technician.page.getByTestId('equipment-kpis').count()).toBe(0);
    await technician.context.close();
  });

  it('stacks on a phone without anything wider than the screen', async () => {
    const supervisor = await openAs(DEMO_SUPERVISOR, PHONE);
    const { page } = supervisor;
    await page.goto(`${baseUrl}${DASHBOARD}`);
    await settled(page, 'kpi-dashboard');
    await expect.poll(() => page.getByTestId('kpi-cause-row').count(), COMPUTED).toBeGreaterThan(0);
    const pareto = await page.getByTestId('kpi-pareto').boundingBox();
    const repeats = await page.getByTestId('kpi-repeats').boundingBox();
    if (!pareto || !repeats) throw new Error('the failures section is not on screen');
    // One column: the second card under the first, both nearly the screen's width.
    expect(repeats.y).toBeGreaterThan(pareto.y + pareto.height - 1);
    expect(pareto.width).toBeGreaterThan(320);
    expect(await noOverflow(page)).toBe(true);
    await page.getByTestId('kpi-most-downtime').scrollIntoViewIfNeeded();
    await shot(page, 'kpis-failures-phone');
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });
});

describe('my hours', () => {
  it('shows a technician their own hours, as the API counts them, for the period chosen', async () => {
    const technician = await openAs(DEMO_TECHNICIAN);
    const { page } = technician;
    const token = await tokenOf(baseUrl, DEMO_TECHNICIAN);
    const labourOf = async (response: { url(): string }) => {
      const query = new URL(response.url()).search;
      const api = await apiCall<LabourAnswer>(baseUrl, 'GET', `/kpis/technicians${query}`, {
        token,
      });
      expect(api.status).toBe(200);
      // A technician gets only their own hours.
      expect(api.body.by_technician.length).toBeLessThanOrEqual(1);
      return api.body.by_technician[0]?.hours ?? 0;
    };
    const total = page.getByTestId('my-hours-total');

    const weekly = page.waitForResponse(
      (r) => r.url().includes('/api/v1/kpis/technicians?') && r.ok(),
      COMPUTED,
    );
    await goTo(page, 'Mes heures');
    await page.waitForURL(`${baseUrl}/my-hours`);
    await page.getByRole('heading', { name: 'Mes heures', level: 1 }).waitFor();
    const week = await labourOf(await weekly);
    await settled(page, 'my-hours');
    expect((await total.textContent()) ?? '').toMatch(/^[\d\u202f]+(,\d)?\u00a0h$/);
    expect(Math.abs(shownNumber((await total.textContent()) ?? '') - week)).toBeLessThan(0.051);
    expect(await page.getByRole('radio', { name: 'Cette semaine' }).isChecked()).toBe(true);

    // Last month, in the address.
    const monthly = page.waitForResponse(
      (r) => r.url().includes('/api/v1/kpis/technicians?') && r.ok(),
      COMPUTED,
    );
    await segment(page, 'Le mois dernier').click();
    await page.waitForURL(/[?&]period=last_month/);
    const month = await labourOf(await monthly);
    await settled(page, 'my-hours');
    await expect
      .poll(async () => Math.abs(shownNumber((await total.textContent()) ?? '') - month), COMPUTED)
      .toBeLessThan(0.051);
    expect(
      await page
        .getByTestId('my-hours-card')
        .getByText(/de capacité$/)
        .count(),
    ).toBe(1);
    // No team for a technician.
    expect(await page.getByTestId('team-hours').count()).toBe(0);
    await page.reload();
    await settled(page, 'my-hours');
    expect(await page.getByRole('radio', { name: 'Le mois dernier' }).isChecked()).toBe(true);
    await shot(page, 'my-hours');
    expectNoConsoleErrors(technician);
    await technician.context.close();
  });

  it('reads on a phone, and shows a supervisor the team', async () => {
    const technician = await openAs(DEMO_TECHNICIAN, PHONE);
    await technician.page.goto(`${baseUrl}/my-hours?period=last_month`);
    await settled(technician.page, 'my-hours');
    await technician.page.getByTestId('my-hours-total').waitFor();
    expect(await noOverflow(technician.page)).toBe(true);
    await shot(technician.page, 'my-hours-phone');
    expectNoConsoleErrors(technician);
    await technician.context.close();

    const supervisor = await openAs(DEMO_SUPERVISOR);
    const { page } = supervisor;
    // The dashboard leads there (the sidebar keeps "Mes heures" for those without it).
    await page.goto(`${baseUrl}${DASHBOARD}`);
    await page.getByTestId('kpi-team-hours').click(COMPUTED);
    await page.waitForURL(`${baseUrl}/my-hours`);
    await settled(page, 'my-hours');
    await segment(page, 'Le mois dernier').click();
    await page.waitForURL(/[?&]period=last_month/);
    await settled(page, 'my-hours');
    const team = page.getByTestId('team-hours');
    await expect
      .poll(() => team.getByTestId('technician-row').count(), COMPUTED)
      .toBeGreaterThan(0);
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });
});
