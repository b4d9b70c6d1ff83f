// The maintenance dashboard on the demo company (two years of history). The supervisor opens
// "Indicateurs" from the sidebar, picks the last 12 months and reads figures (not dashes) for
// availability and MTBF, written the French way, each with what it is computed from; a tile
// shows the value the API answers for the very same query. Grouping by week changes the address
// and the charts; a reload keeps every filter; the back button goes back to months. On a phone
// the tiles go two per row and nothing overflows. A technician and an operator have no such
// entry, the forbidden page at its address, and the API refuses them (403).
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  choose,
  DEMO_OPERATOR,
  DEMO_SUPERVISOR,
  DEMO_TECHNICIAN,
  DEMO_VIEWER,
  DESKTOP,
  expectNoConsoleErrors,
  goTo,
  launch,
  nav,
  openLoggedIn,
  PHONE,
  segment,
  shot,
  tokenOf,
  type TrackedPage,
} from './helpers';

const baseUrl = inject('baseUrl');
/** A new grouping is computed again by the server: give it time on a loaded machine. */
const RECOMPUTED = { timeout: 15_000 };

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

interface Indicator {
  value?: number | null;
  numerator: number;
  denominator: number;
}
interface KpisAnswer {
  mtbf: Indicator;
  mttr: Indicator;
  availability: Indicator & { series: Array<{ period: string }> };
  backlog: Indicator;
}

const tileValue = (page: Page, id: string) =>
  page.getByTestId(`kpi-tile-${id}`).getByTestId('kpi-value');

/** The dashboard once its figures are those of the filters on screen. */
async function settled(page: Page): Promise<void> {
  await page.locator('[data-testid="kpi-dashboard"][aria-busy="false"]').waitFor();
}

/** A figure as shown in French ("1 474,5 h", "99,2 %") as a number. */
function shownNumber(text: string): number {
  return Number(text.replace(/[^\d,-]/g, '').replace(',', '.'));
}

/** The labels of a chart's x-axis. */
function xTicks(page: Page, chart: string): Promise<string[]> {
  return page
    .getByTestId(`kpi-chart-${chart}`)
    .locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')
    .allTextContents();
}

describe('maintenance indicators', () => {
  let search = '';

  it('shows the supervisor the figures of the last 12 months, as the API computes them', async () => {
    const supervisor = await openAs(DEMO_SUPERVISOR);
    const { page } = supervisor;
    await goTo(page, 'Indicateurs');
    await page.waitForURL(`${baseUrl}/kpis`);
    await page.getByRole('heading', { name: 'Indicateurs de maintenance', level: 1 }).waitFor();
    await settled(page);

    const answered = page.waitForResponse(
      (r) => r.url().includes('/api/v1/kpis?') && r.url().includes('group_by=month') && r.ok(),
    );
    await choose(page, page, 'Période', 'Les 12 derniers mois');
    const response = await answered;
    await page.waitForURL(/[?&]period=last_12_months/);
    await settled(page);
    search = new URL(page.url()).search;

    // Figures, not dashes, written the French way.
    const availability = (await tileValue(page, 'availability').textContent()) ?? '';
    const mtbf = (await tileValue(page, 'mtbf').textContent()) ?? '';
    expect(availability).toMatch(/^\d{1,3}(,\d)?\u00a0%$/);
    expect(mtbf).toMatch(/^[\d\u202f]+(,\d)?\u00a0h$/);
    expect(await tileValue(page, 'mttr').textContent()).toMatch(/\u00a0h$/);
    expect(await tileValue(page, 'backlog').textContent()).toMatch(/^[\d\u202f]+$/);

    // What the page shows is what the API answered it. The same query asked again by another
    // client counts the same failures; its operating hours have grown with the seconds lived
    // since, the window reaching now.
    const expected = (await response.json()) as KpisAnswer;
    const query = new URL(response.url()).search;
    const token = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const api = await apiCall<KpisAnswer>(baseUrl, 'GET', `/kpis${query}`, { token });
    expect(api.status).toBe(200);
    expect(api.body.mtbf.denominator).toBe(expected.mtbf.denominator);
    expect(expected.availability.value).toBeTypeOf('number');
    expect(expected.mtbf.value).toBeTypeOf('number');
    expect(Math.abs(shownNumber(availability) - (expected.availability.value ?? NaN))).toBeLessThan(
      0.051,
    );
    expect(Math.abs(shownNumber(mtbf) - (expected.mtbf.value ?? NaN))).toBeLessThan(0.051);
    expect(shownNumber((await tileValue(page, 'backlog').textContent()) ?? '')).toBe(
      expected.backlog.value ?? expected.backlog.numerator,
    );
    // What MTBF is computed from: operating hours over failures.
    const how =
      (await page.getByTestId('kpi-tile-mtbf').getByTestId('kpi-how').textContent()) ?? '';
    expect(how).toContain('de fonctionnement /');
    expect(how).toMatch(new RegExp(`/ ${expected.mtbf.denominator} pannes?$`));
    expect(Math.abs(shownNumber(how.split('/')[0] ?? '') - expected.mtbf.numerator)).toBeLessThan(
      0.051,
    );

    // One point a month on the charts, labelled by month.
    const chart = page.getByTestId('kpi-chart-availability');
    expect(Number(await chart.getAttribute('data-points'))).toBe(
      expected.availability.series.length,
    );
    expect(expected.availability.series.length).toBeGreaterThanOrEqual(12);
    const months = await xTicks(page, 'availability');
    expect(months.length).toBeGreaterThan(0);
    for (const label of months) expect(label).toMatch(/^\S+ \d{4}$/);
    // No tooltip in the picture.
    await page.mouse.move(0, 0);
    await shot(page, 'kpis', true);
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });

  it('groups by week in the address and on the charts, kept on reload, undone by back', async () => {
    const supervisor = await openAs(DEMO_SUPERVISOR);
    const { page } = supervisor;
    await page.goto(`${baseUrl}/kpis${search}`);
    await settled(page);
    const monthly = Number(
      await page.getByTestId('kpi-chart-availability').getAttribute('data-points'),
    );
    const availability = await tileValue(page, 'availability').textContent();

    await segment(page, 'Semaine').click();
    await page.waitForURL(/[?&]group=week/);
    await settled(page);
    const chart = page.getByTestId('kpi-chart-availability');
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')), RECOMPUTED)
      .toBeGreaterThan(50);
    expect(monthly).toBeLessThan(14);
    await expect
      .poll(() => xTicks(page, 'availability'), RECOMPUTED)
      .toContainEqual(expect.stringMatching(/^S\d{1,2} \d{4}$/));
    // The window is the same: so are its figures.
    expect(await tileValue(page, 'availability').textContent()).toBe(availability);

    // A site and a criticality, then a reload: everything is still there.
    await choose(page, page, 'Criticité', 'Critique');
    await page.waitForURL(/[?&]criticality=critical/);
    await settled(page);
    await page.reload();
    await settled(page);
    const url = new URL(page.url());
    expect(url.searchParams.get('period')).toBe('last_12_months');
    expect(url.searchParams.get('group')).toBe('week');
    expect(url.searchParams.get('criticality')).toBe('critical');
    expect(
      await page
        .getByRole('textbox', { name: 'Période' })
        .or(page.getByRole('combobox', { name: 'Période' }))
        .first()
        .inputValue(),
    ).toBe('Les 12 derniers mois');
    expect(await page.getByRole('radio', { name: 'Semaine' }).isChecked()).toBe(true);
    expect(
      await page
        .getByRole('textbox', { name: 'Criticité' })
        .or(page.getByRole('combobox', { name: 'Criticité' }))
        .first()
        .inputValue(),
    ).toBe('Critique');
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(50);
    await shot(page, 'kpis-week');

    // Back: the criticality goes, then the weeks.
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('criticality'));
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('group'));
    await settled(page);
    expect(await page.getByRole('radio', { name: 'Mois' }).isChecked()).toBe(true);
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')), RECOMPUTED)
      .toBe(monthly);
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });

  it('reads on a phone: two tiles a row, charts across, nothing wider than the screen', async () => {
    const supervisor = await openAs(DEMO_SUPERVISOR, PHONE);
    const { page } = supervisor;
    await page.goto(`${baseUrl}/kpis${search}`);
    await settled(page);
    const box = async (id: string) => {
      const b = await page.getByTestId(id).boundingBox();
      if (!b) throw new Error(`${id} is not on screen`);
      return b;
    };
    const mtbf = await box('kpi-tile-mtbf');
    const mttr = await box('kpi-tile-mttr');
    const availability = await box('kpi-tile-availability');
    expect(Math.abs(mtbf.y - mttr.y)).toBeLessThan(2);
    expect(mttr.x).toBeGreaterThan(mtbf.x + mtbf.width - 1);
    expect(availability.y).toBeGreaterThan(mtbf.y + mtbf.height - 1);
    const chart = await box('kpi-chart-availability');
    expect(chart.width).toBeGreaterThan(320);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    await shot(page, 'kpis-phone');
    await page.getByTestId('kpi-chart-reliability').scrollIntoViewIfNeeded();
    await shot(page, 'kpis-phone-charts');
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });

  it('is offered to a viewer but neither to a technician nor to an operator', async () => {
    const viewer = await openAs(DEMO_VIEWER);
    await nav(viewer.page).getByRole('link', { name: 'Indicateurs', exact: true }).waitFor();
    await viewer.context.close();

    for (const email of [DEMO_TECHNICIAN, DEMO_OPERATOR]) {
      const tracked = await openAs(email);
      const { page } = tracked;
      await nav(page).getByRole('link', { name: 'Accueil', exact: true }).waitFor();
      expect(await nav(page).getByRole('link', { name: 'Indicateurs' }).count()).toBe(0);
      await page.goto(`${baseUrl}/kpis`);
      await page.getByRole('heading', { name: 'Accès réservé' }).waitFor();
      const refused = await apiCall(baseUrl, 'GET', '/kpis', {
        token: await tokenOf(baseUrl, email),
      });
      expect(refused.status).toBe(403);
      expectNoConsoleErrors(tracked);
      await tracked.context.close();
    }
  });
});
