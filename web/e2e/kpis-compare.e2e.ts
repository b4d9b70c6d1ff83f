// The management view of the demo company's dashboard (two sites, two years of history). The
// supervisor opens "Vue direction" over the last 12 months: the company's labour cost per month,
// then one row per site ("Usine de Lyon", "Usine de Montréal") with the availability the API
// answered the page and, on hover, what it is computed from. Switching to
// "Technicien" asks the API by person (kept in the address) and sorts by hours on a click of the
// header. A site's row leads to the overview filtered on that site, where clicking a month of
// the availability trend lands on the work-order list: corrective orders of that site created
// in that month.
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  DEMO_SUPERVISOR,
  DESKTOP,
  expectNoConsoleErrors,
  launch,
  openLoggedIn,
  segment,
  shot,
  type TrackedPage,
} from './helpers';

const baseUrl = inject('baseUrl');
/** The server computes the indicators: give it time on a loaded machine. */
const COMPUTED = { timeout: 15_000 };

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

interface Figure {
  value?: number | null;
  numerator: number;
  denominator: number;
}
interface Row {
  key: string;
  label: string;
  availability?: Figure;
  labour_hours?: number;
}
interface KpisAnswer {
  breakdown?: { by: string; truncated: boolean; rows: Row[] };
}

/** The dashboard once its figures are those of the filters on screen. */
async function settled(page: Page): Promise<void> {
  await page.locator('[data-testid="kpi-dashboard"][aria-busy="false"]').waitFor(COMPUTED);
}

/** A percentage as the French dashboard writes it ("99,2 %"). */
const percent = (value: number) =>
  new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 }).format(
    value / 100,
  );

const rowOf = (page: Page, name: string) =>
  page.getByTestId('kpi-compare-row').filter({ has: page.getByText(name, { exact: true }) });

/** The local day `YYYY-MM-DD` of a date. */
const day = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

describe('management view of the indicators', () => {
  it('sets the sites then the technicians side by side, and leads to the orders behind a trend', async () => {
    const supervisor = await openAs(DEMO_SUPERVISOR);
    const { page } = supervisor;
    await page.goto(`${baseUrl}/kpis?period=last_12_months`);
    await settled(page);

    // The management view: a tab, kept in the address, by site by default.
    const bySite = page.waitForResponse(
      (r) => r.url().includes('/api/v1/kpis?') && r.url().includes('breakdown=site') && r.ok(),
      COMPUTED,
    );
    await page.getByRole('tab', { name: 'Vue direction' }).click();
    await page.waitForURL(/[?&]view=compare/);
    // What the page shows is what the API answered it.
    const sites = (await (await bySite).json()) as KpisAnswer;
    await settled(page);
    const table = page.getByTestId('kpi-compare-table');
    await table.waitFor(COMPUTED);
    expect(await table.getAttribute('data-by')).toBe('site');
    await page.getByTestId('kpi-chart-cost').waitFor();

    // Both sites, each with the availability the API computes.
    expect(sites.breakdown?.rows.map((r) => r.label)).toEqual(
      expect.arrayContaining(['Usine de Lyon', 'Usine de Montréal']),
    );
    await expect
      .poll(() => page.getByTestId('kpi-compare-row').count())
      .toBe(sites.breakdown?.rows.length);
    const lyon = sites.breakdown?.rows.find((r) => r.label === 'Usine de Lyon');
    expect(lyon?.availability?.value).toBeTypeOf('number');
    const cell = rowOf(page, 'Usine de Lyon').locator('[data-column="availability"]');
    expect((await cell.textContent())?.trim()).toBe(percent(lyon?.availability?.value ?? NaN));
    await rowOf(page, 'Usine de Montréal').waitFor();
    // What the figure is computed from, on hover.
    await cell.locator('[data-how]').hover();
    await expect
      .poll(() => page.getByRole('tooltip').textContent())
      .toMatch(/de fonctionnement \/ .* calendaires$/);
    await page.mouse.move(0, 0);
    await shot(page, 'kpis-compare', true);

    // By technician: asked of the API, kept in the address.
    const byPerson = page.waitForResponse(
      (r) =>
        r.url().includes('/api/v1/kpis?') && r.url().includes('breakdown=technician') && r.ok(),
      COMPUTED,
    );
    await segment(page.getByTestId('kpi-compare'), 'Technicien').click();
    await page.waitForURL(/[?&]by=technician/);
    const people = (await (await byPerson).json()) as KpisAnswer;
    await settled(page);
    await expect.poll(() => table.getAttribute('data-by'), COMPUTED).toBe('technician');
    const rows = people.breakdown?.rows ?? [];
    expect(rows.length).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('kpi-compare-row').count()).toBe(rows.length);
    await table.getByRole('columnheader', { name: 'Heures' }).waitFor();
    // The most hours first on a click of the header.
    await table.getByRole('button', { name: 'Heures' }).click();
    await page.waitForURL(/[?&]sort=-labour_hours/);
    const most = [...rows].sort((a, b) => (b.labour_hours ?? -1) - (a.labour_hours ?? -1))[0];
    await expect
      .poll(() => page.getByTestId('kpi-compare-row').first().getAttribute('data-key'))
      .toBe(most?.key);

    // Back by site; a site's row leads to the overview filtered on it.
    await segment(page.getByTestId('kpi-compare'), 'Site').click();
    await page.waitForURL((url) => !url.searchParams.has('by'));
    await settled(page);
    await rowOf(page, 'Usine de Lyon').getByRole('link', { name: 'Usine de Lyon' }).click();
    await page.waitForURL((url) => url.searchParams.get('site') === lyon?.key);
    expect(new URL(page.url()).searchParams.get('view')).toBeNull();
    expect(new URL(page.url()).searchParams.get('period')).toBe('last_12_months');
    await settled(page);

    // A month of the availability trend: the corrective orders of that site created in it.
    const chart = page.getByTestId('kpi-chart-availability');
    const dots = chart.locator('.recharts-line-dots .recharts-dot');
    await expect.poll(() => dots.count(), COMPUTED).toBeGreaterThan(2);
    // As a reader would: on the point (its period comes forward), then a click.
    const dot = dots.nth((await dots.count()) - 2);
    await dot.hover();
    const active = chart.locator('.recharts-active-dot').first();
    await active.waitFor();
    // The click where the pointer already is: the highlighted point, not the dot under it.
    const box = await active.boundingBox();
    if (!box) throw new Error('the highlighted point has no box');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForURL(/\/work-orders\?/, COMPUTED);
    const list = new URL(page.url()).searchParams;
    expect(list.get('type')).toBe('corrective');
    expect(list.get('site')).toBe(lyon?.key);
    // A whole month, within the last 12.
    const from = list.get('created_from') ?? '';
    expect(from).toMatch(/^\d{4}-\d{2}-01$/);
    const [year, month] = from.split('-').map(Number);
    const first = new Date(year ?? 0, (month ?? 1) - 1, 1);
    expect(list.get('created_to')).toBe(day(new Date(year ?? 0, month ?? 1, 0)));
    const now = new Date();
    expect(first >= new Date(now.getFullYear(), now.getMonth() - 11, 1)).toBe(true);
    expect(first <= now).toBe(true);
    await page.getByRole('heading', { name: 'Bons de travail', level: 1 }).waitFor();
    expect(
      await page
        .getByRole('textbox', { name: 'Type' })
        .or(page.getByRole('combobox', { name: 'Type' }))
        .first()
        .inputValue(),
    ).toBe('Correctif');
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });
});
