// Preventive maintenance end to end, on the demo company (two sites, two years of history, five
// plans): a supervisor writes a weekly plan with the live preview, skips one of its due dates
// (still skipped after a reload, with its reason, who and when) and restores it, pauses and
// resumes the plan; the calendar shows orders and ghost forecasts, and an order dragged to
// another day is rescheduled (and recorded); a technician sees the calendar and who a plan's
// work goes to, but moves nothing; an operator is not offered plans and the server refuses them;
// an administrator reads the background jobs, by state. Screenshots of every new page.
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  choose,
  DEMO_ADMIN,
  DEMO_OPERATOR,
  DEMO_SUPERVISOR,
  DEMO_TECHNICIAN,
  expectNoConsoleErrors,
  field,
  goTo,
  launch,
  logIn,
  nav,
  openPage,
  PHONE,
  shot,
  tokenOf,
  type TrackedPage,
} from './helpers';

const baseUrl = inject('baseUrl');

const PLAN_TITLE = 'Contrôle des carters de la fraiseuse';

let browser: Browser;
let supervisor: TrackedPage;
let current: TrackedPage | null = null;
let planId = '';

beforeAll(async () => {
  browser = await launch();
});

afterTests(
  () => browser,
  () => current,
);

/** A segment of a Mantine SegmentedControl or a chip (their inputs hide behind their labels). */
function labelled(scope: Page | Locator, name: string): Locator {
  return scope.locator('label').filter({ hasText: new RegExp(`^${name.replace('.', '\\.')}$`) });
}

/** "2026-11-26" two days after "2026-11-24", in calendar days. */
function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + days));
  return date.toISOString().slice(0, 10);
}

/** The day of an instant in Paris, where the browser and the demo's Lyon site are. */
function parisDay(instant: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
}

const events = (page: Page, kind: 'work_order' | 'forecast') =>
  page.locator(`[data-testid="calendar-event"][data-kind="${kind}"]`);

describe.sequential('preventive maintenance', () => {
  it('the supervisor writes a weekly plan; the preview follows the rule as it changes', async () => {
    supervisor = await openPage(browser);
    current = supervisor;
    const { page } = supervisor;
    await logIn(page, baseUrl, DEMO_SUPERVISOR);
    // Today's preventive work has its panel on the home page, with the overdue ones' count.
    const preventive = page.getByTestId('panel-preventive');
    await preventive.getByTestId('stat-value').waitFor();
    await preventive.getByRole('link', { name: /^\d+ préventifs? en retard$/ }).waitFor();
    await shot(page, 'home-preventive');

    await goTo(page, 'Plans préventifs');
    await page.getByRole('heading', { name: 'Plans préventifs' }).waitFor();
    await expect.poll(() => page.getByTestId('plan-row').count()).toBe(5);
    await page
      .getByTestId('plan-row')
      .filter({ hasText: 'Graissage hebdomadaire du tour' })
      .getByText('Toutes les semaines, le lundi')
      .waitFor();
    await shot(page, 'pm-plans');

    await page.getByRole('link', { name: 'Nouveau plan' }).click();
    await page.getByRole('heading', { name: 'Nouveau plan préventif' }).waitFor();
    const preview = page.getByTestId('plan-preview').filter({ visible: true });
    await preview
      .getByText('Choisissez l’équipement pour voir les prochaines échéances.')
      .waitFor();
    await choose(page, page, 'Équipement', /FRAIS-01/, 'FRAIS-01');
    await field(page, 'Titre').fill(PLAN_TITLE);
    await choose(page, page, 'Unité', 'semaines');
    await labelled(page, 'lun.').click();
    const occurrences = preview.getByTestId('preview-occurrence');
    await expect
      .poll(() => preview.getByTestId('preview-rule').textContent())
      .toBe('Toutes les semaines, le lundi');
    await expect.poll(() => occurrences.count()).toBe(8);
    await expect
      .poll(async () => (await occurrences.first().textContent()) ?? '')
      .toMatch(/^lun\./);
    const weekly = (await occurrences.allTextContents()).join(' | ');
    const weeklyCount = (await preview.getByTestId('preview-count').textContent()) ?? '';

    // A rule the server refuses is caught as it is typed, under its field.
    await field(page, 'Tous les').fill('0');
    await page.getByText(/^Entre 1 et 1.000\.$/).waitFor();
    await preview.getByText('Corrigez la règle pour voir les prochaines échéances.').waitFor();

    // Every 2 weeks: other dates, half as many in the year.
    await field(page, 'Tous les').fill('2');
    await expect
      .poll(() => preview.getByTestId('preview-rule').textContent())
      .toBe('Toutes les 2 semaines, le lundi');
    await expect
      .poll(async () => (await occurrences.allTextContents()).join(' | '), { timeout: 8000 })
      .not.toBe(weekly);
    await expect
      .poll(async () => (await preview.getByTestId('preview-count').textContent()) ?? '')
      .not.toBe(weeklyCount);
    const biweekly = await occurrences.allTextContents();
    expect(biweekly.every((text) => text.startsWith('lun.'))).toBe(true);

    // Who does it, how long it takes, and the steps they follow.
    await field(page, 'Durée estimée (minutes)').fill('90');
    await choose(page, page, 'Intervenants', /Karim Benali/);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Ajouter un point' }).click();
    await field(page, 'Intitulé du point 1').fill('Carters remontés et vissés');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'pm-plan-editor', true);

    await page.getByRole('button', { name: 'Créer le plan' }).click();
    await page.waitForURL(/\/pm-plans\/[0-9a-f-]{36}$/);
    planId = /\/pm-plans\/([0-9a-f-]+)$/.exec(page.url())?.[1] ?? '';
    await page.getByRole('heading', { name: PLAN_TITLE }).waitFor();
    await expect
      .poll(() => page.getByTestId('plan-rule').textContent())
      .toBe('Toutes les 2 semaines, le lundi');
    await page.getByTestId('plan-assignees').getByText('Karim Benali').waitFor();
    await page.getByTestId('plan-checklist').getByText('Carters remontés et vissés').waitFor();
    await page.getByText('1 h 30').waitFor();
    expectNoConsoleErrors(supervisor);
  });

  it('skips one due date with a reason, still skipped after a reload, then restores it', async () => {
    current = supervisor;
    const { page } = supervisor;
    const coming = page.getByTestId('occurrence');
    await expect.poll(() => coming.count()).toBeGreaterThan(3);
    const first = coming.first();
    const occurrence = (await first.getAttribute('data-occurrence')) ?? '';
    expect(occurrence).toMatch(/^cal:\d{4}-\d{2}-\d{2}$/);
    await first.getByRole('button', { name: /^Sauter l’échéance du / }).click();
    const dialog = page.getByRole('dialog', { name: 'Sauter une échéance' });
    await field(dialog, 'Motif (facultatif)').fill('Arrêt technique de la ligne');
    await dialog.getByRole('button', { name: 'Sauter', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const skipped = page.locator(`[data-testid="occurrence"][data-occurrence="${occurrence}"]`);
    await expect.poll(() => skipped.getAttribute('data-skipped')).toBe('true');
    await skipped.getByText('Sautée', { exact: true }).waitFor();
    await skipped.getByText('Arrêt technique de la ligne', { exact: false }).waitFor();
    // The server agrees: the occurrence is no longer coming.
    const token = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const forecast = await apiCall<{ items: Array<{ occurrence: string }> }>(
      baseUrl,
      'GET',
      `/pm-plans/${planId}/forecast`,
      { token },
    );
    expect(forecast.status).toBe(200);
    expect(forecast.body.items.map((o) => o.occurrence)).not.toContain(occurrence);

    // The plan itself lists the skip: after a reload, the supervisor (who does not read the audit
    // log) still sees it in its place among the coming ones, with why, who and when.
    await page.reload();
    await page.getByRole('heading', { name: PLAN_TITLE }).waitFor();
    await skipped.getByText('« Arrêt technique de la ligne »').waitFor();
    expect(await skipped.getAttribute('data-skipped')).toBe('true');
    await skipped.getByText('Sautée', { exact: true }).waitFor();
    await skipped.getByText(/^Sautée par Sophie Durand le /).waitFor();
    expect(await coming.first().getAttribute('data-occurrence')).toBe(occurrence);
    const rows = await coming.evaluateAll((nodes) =>
      nodes.map((n) => n.getAttribute('data-occurrence') ?? ''),
    );
    expect(rows.filter((name) => name.startsWith('cal:'))).toEqual(
      [...rows].filter((name) => name.startsWith('cal:')).sort(),
    );
    await page.getByTestId('plan-assignees').getByText('Karim Benali').waitFor();
    const plan = await apiCall<{
      skipped: Array<{ occurrence: string; reason: string; skipped_by: { full_name: string } }>;
    }>(baseUrl, 'GET', `/pm-plans/${planId}`, { token });
    expect(plan.body.skipped).toMatchObject([
      {
        occurrence,
        reason: 'Arrêt technique de la ligne',
        skipped_by: { full_name: 'Sophie Durand' },
      },
    ]);
    await shot(page, 'pm-plan', true);

    // Restored, after confirming: a coming due date like the others again.
    await skipped.getByRole('button', { name: /^Rétablir l’échéance du / }).click();
    const restore = page.getByRole('dialog', { name: 'Rétablir l’échéance ?' });
    await restore.getByText('revient parmi les prochaines', { exact: false }).waitFor();
    await restore.getByRole('button', { name: 'Rétablir', exact: true }).click();
    await restore.waitFor({ state: 'hidden' });
    await skipped.getByRole('button', { name: /^Sauter l’échéance du / }).waitFor();
    expect(await skipped.getAttribute('data-skipped')).toBe('false');
    expect(await skipped.getByText('Sautée', { exact: false }).count()).toBe(0);
    expect(await page.getByText('Arrêt technique de la ligne', { exact: false }).count()).toBe(0);
    const back = await apiCall<{ items: Array<{ occurrence: string }> }>(
      baseUrl,
      'GET',
      `/pm-plans/${planId}/forecast`,
      { token },
    );
    expect(back.body.items.map((o) => o.occurrence)).toContain(occurrence);
    const restored = await apiCall<{ skipped: unknown[] }>(baseUrl, 'GET', `/pm-plans/${planId}`, {
      token,
    });
    expect(restored.body.skipped).toEqual([]);
    // Restoring it twice is refused: it is no longer skipped.
    const twice = await apiCall(baseUrl, 'POST', `/pm-plans/${planId}/unskip`, {
      token,
      body: { occurrence },
    });
    expect(twice.status).toBe(422);
    expect(twice.body.code).toBe('not_skipped');
    expectNoConsoleErrors(supervisor);
  });

  it('pauses and resumes the plan, edits it, and finds it on its equipment', async () => {
    current = supervisor;
    const { page } = supervisor;
    const token = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const state = page.getByTestId('plan-state');
    await page.getByRole('button', { name: 'Mettre en pause' }).click();
    let confirm = page.getByRole('dialog', { name: 'Mettre le plan en pause ?' });
    await confirm.getByRole('button', { name: 'Mettre en pause' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(() => state.getAttribute('data-state')).toBe('paused');
    await page.getByText('Ce plan est en pause', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: 'Reprendre' }).click();
    confirm = page.getByRole('dialog', { name: 'Reprendre le plan ?' });
    await confirm.getByRole('button', { name: 'Reprendre' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(() => state.getAttribute('data-state')).toBe('active');
    await expect.poll(() => page.getByTestId('occurrence').count()).toBeGreaterThan(3);

    // Edited: the rule and the work open as they were written; the change is saved (PUT).
    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.getByRole('heading', { name: `Modifier « ${PLAN_TITLE} »` }).waitFor();
    await expect.poll(() => field(page, 'Tous les').inputValue()).toBe('2');
    await expect
      .poll(() => field(page, 'Intitulé du point 1').inputValue())
      .toBe('Carters remontés et vissés');
    await field(page, 'Création anticipée (jours)').fill('3');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(`${baseUrl}/pm-plans/${planId}`);
    await page.getByText('3 jours avant l’échéance').waitFor();

    // Its orders, in the work-order list; none yet.
    await page.getByRole('link', { name: 'Voir les bons de ce plan' }).click();
    await page.getByTestId('plan-filter').getByText(`Bons du plan « ${PLAN_TITLE} »`).waitFor();
    expect(new URL(page.url()).searchParams.get('type')).toBe('preventive');
    await page.getByText('Aucun bon ne correspond').waitFor();

    // The equipment lists its plans, and starts a new one for itself.
    const equipment = await apiCall<{ items: Array<{ id: string }> }>(
      baseUrl,
      'GET',
      '/equipment?q=FRAIS-01',
      { token },
    );
    const equipmentId = equipment.body.items[0]?.id ?? '';
    await page.goto(`${baseUrl}/equipment/${equipmentId}?tab=preventive`);
    await page.getByTestId('equipment-plan').filter({ hasText: PLAN_TITLE }).waitFor();
    await shot(page, 'equipment-preventive');
    await page.getByRole('link', { name: 'Nouveau plan pour cet équipement' }).click();
    await page.getByRole('heading', { name: 'Nouveau plan préventif' }).waitFor();
    await expect.poll(() => field(page, 'Équipement').inputValue()).toMatch(/^FRAIS-01/);
    expectNoConsoleErrors(supervisor);
  });

  it('the calendar shows orders and ghost forecasts; an order dragged to another day is rescheduled', async () => {
    current = supervisor;
    const { page } = supervisor;
    await goTo(page, 'Calendrier');
    await page.getByTestId('maintenance-calendar').waitFor();
    await expect.poll(() => events(page, 'forecast').count()).toBeGreaterThan(0);
    await expect.poll(() => events(page, 'work_order').count()).toBeGreaterThan(0);
    // Forecasts are never draggable.
    const forecastDraggable = await events(page, 'forecast').evaluateAll(
      (nodes) => nodes.filter((n) => n.getAttribute('data-draggable') === 'true').length,
    );
    expect(forecastDraggable).toBe(0);
    await shot(page, 'calendar-month', true);

    // An order not finished yet, visible in its day.
    const draggable = page
      .locator('[data-testid="calendar-event"][data-kind="work_order"][data-draggable="true"]')
      .filter({ visible: true });
    await expect.poll(() => draggable.count()).toBeGreaterThan(0);
    const number = (await draggable.first().getAttribute('data-number')) ?? '';
    expect(number).toMatch(/^BT-\d{4}-\d{5}$/);
    const token = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const found = await apiCall<{ items: Array<{ id: string; due_at: string }> }>(
      baseUrl,
      'GET',
      `/work-orders?q=${number}`,
      { token },
    );
    const order = found.body.items[0];
    expect(order).toBeDefined();
    const orderId = order?.id ?? '';
    const dueBefore = order?.due_at ?? '';

    const event = page.locator(`.fc-event:has([data-number="${number}"])`).filter({
      visible: true,
    });
    const from =
      (await page
        .locator('td.fc-daygrid-day', { has: page.locator(`[data-number="${number}"]`) })
        .first()
        .getAttribute('data-date')) ?? '';
    expect(from).toBe(parisDay(dueBefore));
    // A day on screen nearby with room left (a full day ends with a "+2 more" link instead).
    let shift = 0;
    for (const days of [2, -2, 3, -3, 1, -1]) {
      const cell = page.locator(`td.fc-daygrid-day[data-date="${addDays(from, days)}"]`);
      if (
        (await cell.count()) === 1 &&
        (await cell.locator('.fc-daygrid-more-link').count()) === 0 &&
        (await cell.locator('.fc-daygrid-event-harness').count()) < 3
      ) {
        shift = days;
        break;
      }
    }
    expect(shift).not.toBe(0);
    const to = addDays(from, shift);
    const target = page.locator(`td.fc-daygrid-day[data-date="${to}"] .fc-daygrid-day-frame`);
    const box = await event.first().boundingBox();
    const goal = await target.boundingBox();
    if (!box || !goal) throw new Error('the event or its target day is not on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 12, box.y + box.height / 2 + 4, { steps: 4 });
    await page.mouse.move(goal.x + goal.width / 2, goal.y + goal.height - 8, { steps: 20 });
    await page.mouse.up();

    // The server has it on the new day, at the same time, and the order's timeline says so.
    await expect
      .poll(async () => {
        const now = await apiCall<{ due_at: string }>(baseUrl, 'GET', `/work-orders/${orderId}`, {
          token,
        });
        return parisDay(now.body.due_at);
      })
      .toBe(to);
    const after = await apiCall<{ due_at: string }>(baseUrl, 'GET', `/work-orders/${orderId}`, {
      token,
    });
    // As many days later, at the same time (FullCalendar drops the fraction of a second).
    const moved = new Date(after.body.due_at).getTime() - new Date(dueBefore).getTime();
    expect(Math.abs(moved - shift * 86_400_000)).toBeLessThan(1000);
    const timeline = await apiCall<{ items: Array<{ kind: string }> }>(
      baseUrl,
      'GET',
      `/work-orders/${orderId}/events`,
      { token },
    );
    expect(timeline.body.items.map((e) => e.kind)).toContain('rescheduled');
    await page
      .locator(`td.fc-daygrid-day[data-date="${to}"] [data-number="${number}"]`)
      .first()
      .waitFor();

    // Without a mouse: the order opens from the keyboard, with a date to reschedule it.
    await event.first().focus();
    await page.keyboard.press('Enter');
    const details = page.getByTestId('calendar-details');
    await details.waitFor();
    await details.getByText('Durée estimée', { exact: true }).waitFor();
    await details.getByText('Nouvelle échéance', { exact: true }).waitFor();
    await details.getByRole('button', { name: 'Replanifier' }).waitFor();
    await details.getByRole('link', { name: 'Ouvrir le bon' }).waitFor();
    await shot(page, 'calendar-details');
    // The order's own timeline tells of the move.
    await details.getByRole('link', { name: 'Ouvrir le bon' }).click();
    await page.getByTestId('order-number').getByText(number).waitFor();
    await page.getByTestId('timeline').locator('[data-kind="rescheduled"]').waitFor();
    await page.goBack();
    await page.getByTestId('maintenance-calendar').waitFor();

    // The week, hour by hour.
    await labelled(page, 'Semaine').click();
    await expect
      .poll(() => page.getByTestId('maintenance-calendar').getAttribute('data-view'))
      .toBe('week');
    await page.locator('.fc-timegrid').waitFor();
    await shot(page, 'calendar-week');
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });

  it('a technician sees the calendar on a phone but moves nothing', async () => {
    const tech = await openPage(browser, PHONE);
    current = tech;
    const { page } = tech;
    await logIn(page, baseUrl, DEMO_TECHNICIAN);
    await page.getByRole('button', { name: 'Ouvrir la navigation' }).click();
    await nav(page).getByRole('link', { name: 'Plans préventifs', exact: true }).waitFor();
    await goTo(page, 'Calendrier');
    // On a phone, the week as a list.
    await expect
      .poll(() => page.getByTestId('maintenance-calendar').getAttribute('data-view'))
      .toBe('list');
    await expect.poll(() => events(page, 'work_order').count()).toBeGreaterThan(0);
    const draggable = await page
      .locator('[data-testid="calendar-event"]')
      .evaluateAll(
        (nodes) => nodes.filter((n) => n.getAttribute('data-draggable') === 'true').length,
      );
    expect(draggable).toBe(0);
    expect(await page.locator('.fc-event-draggable').count()).toBe(0);
    expect(await page.getByText('Glissez un bon vers un autre jour').count()).toBe(0);
    await shot(page, 'calendar-phone', true);
    // Plans are read, not written.
    await page.getByRole('button', { name: 'Ouvrir la navigation' }).click();
    await goTo(page, 'Plans préventifs');
    await expect.poll(() => page.getByTestId('plan-card').count()).toBeGreaterThan(0);
    await shot(page, 'pm-plans-phone');
    expect(await page.getByRole('link', { name: 'Nouveau plan' }).count()).toBe(0);
    // A plan names the people it gives work to, for every reader (not only those who assign).
    await page.goto(`${baseUrl}/pm-plans/${planId}`);
    await page.getByRole('heading', { name: PLAN_TITLE }).waitFor();
    await page.getByTestId('plan-assignees').getByText('Karim Benali').waitFor();
    expect(await page.getByRole('button', { name: /^Sauter l’échéance du / }).count()).toBe(0);
    expectNoConsoleErrors(tech);
    await tech.context.close();
  });

  it('an operator is not offered plans, and the server refuses them', async () => {
    const operator = await openPage(browser);
    current = operator;
    const { page } = operator;
    await logIn(page, baseUrl, DEMO_OPERATOR);
    await nav(page).getByRole('link', { name: 'Signaler une panne', exact: true }).waitFor();
    for (const hidden of ['Plans préventifs', 'Calendrier', 'Tâches de fond']) {
      expect(await nav(page).getByRole('link', { name: hidden, exact: true }).count(), hidden).toBe(
        0,
      );
    }
    await page.goto(`${baseUrl}/pm-plans`);
    await page.getByRole('heading', { name: 'Accès réservé' }).waitFor();
    const token = await tokenOf(baseUrl, DEMO_OPERATOR);
    const plans = await apiCall(baseUrl, 'GET', '/pm-plans', { token });
    expect(plans.status).toBe(403);
    expect(plans.body.code).toBe('forbidden');
    const calendar = await apiCall(
      baseUrl,
      'GET',
      `/calendar?from=${new Date().toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`,
      { token },
    );
    expect(calendar.status).toBe(403);
    expectNoConsoleErrors(operator);
    await operator.context.close();
  });

  it('an administrator reads the background jobs: nothing failed', async () => {
    const admin = await openPage(browser);
    current = admin;
    const { page } = admin;
    await logIn(page, baseUrl, DEMO_ADMIN);
    await goTo(page, 'Tâches de fond');
    await page.getByRole('heading', { name: 'Tâches de fond' }).waitFor();
    await page.getByTestId('jobs-empty').getByText('Tout va bien').waitFor();
    await shot(page, 'jobs');
    // By state: those done (the demo's sweep ran at start-up, or nothing yet), then all.
    await labelled(page, 'Terminées').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('show')).toBe('done');
    await page
      .getByTestId('jobs-empty')
      .getByText('Aucune tâche terminée')
      .or(page.getByTestId('job').first())
      .waitFor();
    const statuses = await page
      .getByTestId('job')
      .locator('[data-status]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-status')));
    expect(statuses.filter((s) => s !== 'done')).toEqual([]);
    await labelled(page, 'Toutes').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('show')).toBe('all');
    await page.getByTestId('jobs-empty').or(page.getByTestId('job').first()).waitFor();
    expectNoConsoleErrors(admin);
    await admin.context.close();
  });
});
