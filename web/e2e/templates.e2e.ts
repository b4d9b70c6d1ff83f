// Templates on the demo company. A supervisor opens "Modèles" and finds the demo's checklists
// and work-order templates, writes a work-order template (title, description, type, estimate,
// two checklist items, one a measurement with bounds and a unit) and renames it; starts a new
// work order from it (a title already typed is replaced after asking) and the saved order
// carries its checklist; approves an operator's request with it from the inbox, and the order
// created has the template's checklist; starts a preventive plan from it, whose live preview
// has no due date before the lead time has passed, unless "first occurrence from the start
// date" is ticked, and the plan saved that way is due today. A technician is offered no
// templates page and the server refuses their writing one. Screenshots of the templates page
// and the picker, desktop and phone.
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  choose,
  DEMO_OPERATOR,
  DEMO_SUPERVISOR,
  DEMO_TECHNICIAN,
  DESKTOP,
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

const EQUIPMENT = 'FRAIS-01';
/** The supervisor's template, as first written and once renamed. */
const TEMPLATE = {
  name: 'Contrôle de la broche',
  renamed: 'Contrôle annuel de la broche',
  title: 'Contrôle de la broche de la fraiseuse',
  description: 'Démonter le capot, contrôler le jeu et la température de la broche.',
  minutes: '75',
  duration: '1 h 15',
  first: 'Jeu de la broche contrôlé',
  second: 'Température de la broche',
  unit: '°C',
  min: '20',
  max: '65',
};
const DEMO_CHECKLISTS = ['Consignation électrique', 'Contrôle vibratoire'];
const DEMO_ORDERS = [
  'Vidange compresseur',
  'Remplacement courroie convoyeur',
  'Inspection sécurité machine',
];

let browser: Browser;
let supervisor: TrackedPage;
let current: TrackedPage | null = null;
let equipmentId = '';
let requestId = '';
let requestNumber = '';

beforeAll(async () => {
  browser = await launch();
  const operator = await tokenOf(baseUrl, DEMO_OPERATOR);
  const found = await apiCall<{ items: Array<{ id: string; code: string }> }>(
    baseUrl,
    'GET',
    `/equipment?q=${EQUIPMENT}`,
    { token: operator },
  );
  expect(found.status).toBe(200);
  equipmentId = found.body.items.find((e) => e.code === EQUIPMENT)?.id ?? '';
  expect(equipmentId).not.toBe('');
  // The operator's report, waiting in the supervisor's inbox.
  const request = await apiCall<{ id: string; number: string }>(baseUrl, 'POST', '/requests', {
    token: operator,
    body: {
      equipment_id: equipmentId,
      title: 'Broche de la fraiseuse bruyante',
      description: 'La broche chauffe et fait un bruit de roulement en fin de poste.',
      urgency: 'normal',
    },
  });
  expect(request.status, JSON.stringify(request.body)).toBe(201);
  requestId = request.body.id;
  requestNumber = request.body.number;
});

afterTests(
  () => browser,
  () => current,
);

const picker = (scope: Page | Locator) => field(scope, 'Partir d’un modèle');

/** The template's fields as a form shows them once the template is applied. */
async function expectChecklistDrafts(scope: Page | Locator) {
  await expect.poll(() => scope.getByTestId('checklist-draft').count()).toBe(2);
  expect(await field(scope, 'Intitulé du point 1').inputValue()).toBe(TEMPLATE.first);
  expect(await field(scope, 'Intitulé du point 2').inputValue()).toBe(TEMPLATE.second);
  expect(await field(scope, 'Type de réponse du point 2').inputValue()).toBe('Mesure');
  const measure = scope.getByTestId('checklist-draft').nth(1);
  expect(await field(measure, 'Unité').inputValue()).toBe(TEMPLATE.unit);
  expect(await field(measure, 'Minimum').inputValue()).toBe(TEMPLATE.min);
  expect(await field(measure, 'Maximum').inputValue()).toBe(TEMPLATE.max);
}

/** An order's page shows the template's two checklist items, the measurement with its bounds. */
async function expectOrderChecklist(page: Page) {
  const items = page.getByTestId('checklist-item');
  await expect.poll(() => items.count()).toBe(2);
  await items.nth(0).getByText(TEMPLATE.first, { exact: true }).waitFor();
  const measure = items.nth(1);
  await measure.getByText(TEMPLATE.second, { exact: true }).waitFor();
  await measure
    .getByText(`Attendu : ${TEMPLATE.min} – ${TEMPLATE.max} ${TEMPLATE.unit}`, { exact: true })
    .waitFor();
  // The first item was written as required.
  await items.nth(0).getByTitle('Obligatoire').waitFor();
}

/**
 * How the browser writes the day `offset` days from today (as the preview's dates begin:
 * "jeu. 10 déc. 2026"), for offsets 0 to `count - 1`.
 */
function dayLabels(page: Page, count: number): Promise<string[]> {
  return page.evaluate((n) => {
    const now = new Date();
    const format = new Intl.DateTimeFormat('fr', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    });
    return Array.from({ length: n }, (_, offset) =>
      format.format(new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset, 12)),
    );
  }, count);
}

/** Days from today of a preview's date ("jeu. 10 déc. 2026 à 08:00"), or -1. */
function offsetOf(text: string, labels: string[]): number {
  return labels.findIndex((label) => text.startsWith(label));
}

/** The day of an instant in Paris, where the browser and the demo's Lyon site are. */
function parisDay(instant: string | Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
}

describe.sequential('templates', () => {
  it('the supervisor finds the demo’s templates, writes a work-order template and renames it', async () => {
    supervisor = await openPage(browser, DESKTOP);
    current = supervisor;
    const { page } = supervisor;
    await logIn(page, baseUrl, DEMO_SUPERVISOR);
    await goTo(page, 'Modèles');
    await page.getByRole('heading', { name: 'Modèles', exact: true }).waitFor();
    const rows = page.getByTestId('template-row');
    // Checklists first, then the work-order templates.
    for (const name of DEMO_CHECKLISTS) {
      await rows.filter({ hasText: name }).getByText('Actif', { exact: true }).waitFor();
    }
    await rows
      .filter({ hasText: 'Consignation électrique' })
      .getByText('3 points', { exact: true })
      .waitFor();
    await page.getByRole('tab', { name: 'Modèles de bon de travail' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('kind')).toBe('work_order');
    for (const name of DEMO_ORDERS) await rows.filter({ hasText: name }).waitFor();
    await rows
      .filter({ hasText: 'Vidange compresseur' })
      .getByText('Vidange huile et filtres du compresseur', { exact: true })
      .waitFor();
    await rows.filter({ hasText: 'Vidange compresseur' }).getByText('1 h 30').waitFor();
    expect(await rows.filter({ hasText: 'Consignation électrique' }).count()).toBe(0);
    await shot(page, 'templates');

    // A new work-order template.
    await page.getByRole('button', { name: 'Nouveau modèle de bon' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Nouveau modèle de bon' });
    await field(dialog, 'Nom').fill(TEMPLATE.name);
    await field(dialog, 'Titre du bon').fill(TEMPLATE.title);
    await field(dialog, 'Description du bon').fill(TEMPLATE.description);
    await choose(dialog, page, 'Type', 'Inspection');
    await field(dialog, 'Durée estimée (minutes)').fill(TEMPLATE.minutes);
    await dialog.getByRole('button', { name: 'Ajouter un point' }).click();
    await field(dialog, 'Intitulé du point 1').fill(TEMPLATE.first);
    await dialog
      .getByTestId('checklist-draft')
      .nth(0)
      .getByRole('checkbox', { name: 'Obligatoire' })
      .check();
    await dialog.getByRole('button', { name: 'Ajouter un point' }).click();
    await field(dialog, 'Intitulé du point 2').fill(TEMPLATE.second);
    await choose(dialog, page, 'Type de réponse du point 2', 'Mesure');
    const measure = dialog.getByTestId('checklist-draft').nth(1);
    await field(measure, 'Unité').fill(TEMPLATE.unit);
    await field(measure, 'Minimum').fill(TEMPLATE.min);
    await field(measure, 'Maximum').fill(TEMPLATE.max);
    await shot(page, 'template-form');
    await dialog.getByRole('button', { name: 'Créer', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = rows.filter({ hasText: TEMPLATE.name });
    await row.getByText(TEMPLATE.title, { exact: true }).waitFor();
    await row.getByText('2 points', { exact: true }).waitFor();
    await row.getByText(TEMPLATE.duration, { exact: true }).waitFor();
    await row.getByText('Actif', { exact: true }).waitFor();

    // Renamed: the editor opens with what was written, the list shows the new name.
    await row.getByRole('button', { name: TEMPLATE.name, exact: true }).click();
    const edit = page.getByRole('dialog', { name: `Modifier « ${TEMPLATE.name} »` });
    await expect.poll(() => field(edit, 'Titre du bon').inputValue()).toBe(TEMPLATE.title);
    expect(await field(edit, 'Durée estimée (minutes)').inputValue()).toBe(TEMPLATE.minutes);
    expect(await field(edit, 'Type').inputValue()).toBe('Inspection');
    await expectChecklistDrafts(edit);
    await field(edit, 'Nom').fill(TEMPLATE.renamed);
    await edit.getByRole('button', { name: 'Enregistrer' }).click();
    await edit.waitFor({ state: 'hidden' });
    await rows.filter({ hasText: TEMPLATE.renamed }).getByText('2 points').waitFor();
    await expect
      .poll(() => rows.getByRole('button', { name: TEMPLATE.name, exact: true }).count())
      .toBe(0);
    // The server keeps the measurement's bounds as numbers.
    const token = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const listed = await apiCall<{
      items: Array<{
        name: string;
        checklist: Array<{
          label: string;
          kind: string;
          required: boolean;
          unit?: string | null;
          min_value?: number | null;
          max_value?: number | null;
        }>;
      }>;
    }>(baseUrl, 'GET', `/templates?kind=work_order&q=${encodeURIComponent(TEMPLATE.renamed)}`, {
      token,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t) => t.name)).toEqual([TEMPLATE.renamed]);
    expect(listed.body.items[0]?.checklist).toMatchObject([
      { label: TEMPLATE.first, kind: 'checkbox', required: true },
      {
        label: TEMPLATE.second,
        kind: 'number',
        required: false,
        unit: TEMPLATE.unit,
        min_value: Number(TEMPLATE.min),
        max_value: Number(TEMPLATE.max),
      },
    ]);
    expectNoConsoleErrors(supervisor);
  });

  it('a new work order starts from the template; the saved order carries its checklist', async () => {
    current = supervisor;
    const { page } = supervisor;
    await goTo(page, 'Bons de travail');
    await page.getByRole('link', { name: 'Nouveau bon' }).first().click();
    await page.getByRole('heading', { name: 'Nouveau bon de travail' }).waitFor();
    // Something typed first: the template asks before replacing it.
    await field(page, 'Titre').fill('Bruit sur la fraiseuse');
    await picker(page).click();
    await page.getByRole('option', { name: TEMPLATE.renamed }).waitFor();
    for (const name of DEMO_ORDERS) await page.getByRole('option', { name }).waitFor();
    // Checklists are imported elsewhere, not offered here.
    expect(await page.getByRole('option', { name: 'Consignation électrique' }).count()).toBe(0);
    await shot(page, 'template-picker');
    await page.getByRole('option', { name: TEMPLATE.renamed }).click();
    const replace = page.getByRole('dialog', { name: 'Remplacer des champs déjà remplis ?' });
    await replace.getByRole('listitem').filter({ hasText: 'Titre' }).waitFor();
    expect(await replace.getByRole('listitem').count()).toBe(1);
    await replace.getByRole('button', { name: 'Remplacer', exact: true }).click();
    await replace.waitFor({ state: 'hidden' });
    await expect.poll(() => field(page, 'Titre').inputValue()).toBe(TEMPLATE.title);
    expect(await field(page, 'Description').inputValue()).toBe(TEMPLATE.description);
    expect(await field(page, 'Durée estimée (minutes)').inputValue()).toBe(TEMPLATE.minutes);
    expect(await field(page, 'Type').inputValue()).toBe('Inspection');
    expect(await field(page, 'Priorité').inputValue()).toBe('Normale');
    await expectChecklistDrafts(page);

    await choose(page, page, 'Équipement', new RegExp(EQUIPMENT), EQUIPMENT);
    await page.getByRole('button', { name: 'Créer le bon de travail' }).click();
    await page.waitForURL(/\/work-orders\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: TEMPLATE.title }).waitFor();
    await page.getByText(TEMPLATE.description, { exact: true }).waitFor();
    await page.getByText(`sur ${TEMPLATE.duration} prévues`).waitFor();
    await expectOrderChecklist(page);
    expectNoConsoleErrors(supervisor);
  });

  it('an operator’s request approved with the template gets the template’s checklist', async () => {
    current = supervisor;
    const { page } = supervisor;
    await page.goto(`${baseUrl}/requests/inbox`);
    const card = page.getByTestId('inbox-request').filter({ hasText: requestNumber });
    await card.getByRole('button', { name: 'Accepter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accepter la demande' });
    await dialog.getByText(requestNumber).waitFor();
    await choose(dialog, page, 'Partir d’un modèle', TEMPLATE.renamed);
    // Nothing was filled in yet: no question, the template's fields at once.
    await expect
      .poll(() => field(dialog, 'Durée estimée (minutes)').inputValue())
      .toBe(TEMPLATE.minutes);
    expect(await field(dialog, 'Type').inputValue()).toBe('Inspection');
    await expectChecklistDrafts(dialog);
    expect(
      await page.getByRole('dialog', { name: 'Remplacer des champs déjà remplis ?' }).count(),
    ).toBe(0);
    await shot(page, 'template-picker-approve');
    await dialog.getByRole('button', { name: 'Accepter', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await card.waitFor({ state: 'detached' });

    // The order created for the request.
    const token = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const request = await apiCall<{ status: string; work_order_id: string | null }>(
      baseUrl,
      'GET',
      `/requests/${requestId}`,
      { token },
    );
    expect(request.status).toBe(200);
    expect(request.body.status).toBe('approved');
    const orderId = request.body.work_order_id ?? '';
    expect(orderId).not.toBe('');
    await page.goto(`${baseUrl}/work-orders/${orderId}`);
    await page.getByTestId('order-number').waitFor();
    await page.getByText(`sur ${TEMPLATE.duration} prévues`).waitFor();
    await expectOrderChecklist(page);
    expectNoConsoleErrors(supervisor);
  });

  it('a plan starts from the template; its first due date waits for the lead time unless asked', async () => {
    current = supervisor;
    const { page } = supervisor;
    await goTo(page, 'Plans préventifs');
    await page.getByRole('link', { name: 'Nouveau plan' }).click();
    await page.getByRole('heading', { name: 'Nouveau plan préventif' }).waitFor();
    await choose(page, page, 'Partir d’un modèle', TEMPLATE.renamed);
    await expect.poll(() => field(page, 'Titre').inputValue()).toBe(TEMPLATE.title);
    expect(await field(page, 'Description').inputValue()).toBe(TEMPLATE.description);
    expect(await field(page, 'Durée estimée (minutes)').inputValue()).toBe(TEMPLATE.minutes);
    const checklist = page.getByRole('region', { name: 'Checklist' });
    await expectChecklistDrafts(checklist);
    // A demo checklist imported after them: its items come after the template's.
    await checklist.getByRole('button', { name: 'Importer une liste de contrôle' }).click();
    await page.getByRole('menuitem', { name: /Consignation électrique/ }).click();
    await expect.poll(() => checklist.getByTestId('checklist-draft').count()).toBe(5);
    expect(await field(checklist, 'Intitulé du point 2').inputValue()).toBe(TEMPLATE.second);
    expect(await field(checklist, 'Intitulé du point 3').inputValue()).toBe(
      'Sectionneur ouvert et cadenassé',
    );
    await choose(page, page, 'Équipement', new RegExp(EQUIPMENT), EQUIPMENT);

    // Every day from today, with the default lead time (7 days).
    const rule = page.getByRole('region', { name: 'La règle' });
    await choose(rule, page, 'Unité', 'jours');
    expect(await field(page, 'Tous les').inputValue()).toBe('1');
    expect(await field(page, 'Création anticipée (jours)').inputValue()).toBe('7');
    const fromStart = page.getByRole('checkbox', {
      name: 'Première échéance dès la date de début',
    });
    expect(await fromStart.isChecked()).toBe(false);
    const preview = page.getByTestId('plan-preview').filter({ visible: true });
    await expect
      .poll(() => preview.getByTestId('preview-rule').textContent())
      .toBe('Tous les jours');
    const first = preview.getByTestId('preview-occurrence').first();
    const labels = await dayLabels(page, 30);
    // No due date before the lead time has passed: the first order is not born overdue. Daily
    // due dates come at a time of day: the first one 7 days from now is today + 7 or + 8 (the
    // preview of the monthly rule the form started with may still be on screen a moment).
    await expect
      .poll(async () => offsetOf((await first.textContent()) ?? '', labels), { timeout: 8000 })
      .toSatisfy((offset: number) => offset === 7 || offset === 8);
    const byDefault = (await first.textContent()) ?? '';
    expect(await preview.getByTestId('preview-occurrence').count()).toBe(8);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'template-plan-editor');

    // From the start date: today.
    await fromStart.check();
    await expect
      .poll(async () => offsetOf((await first.textContent()) ?? '', labels), { timeout: 8000 })
      .toBe(0);
    expect((await first.textContent()) ?? '').not.toBe(byDefault);
    await fromStart.uncheck();
    await expect
      .poll(async () => (await first.textContent()) ?? '', { timeout: 8000 })
      .toBe(byDefault);
    await fromStart.check();
    await expect
      .poll(async () => offsetOf((await first.textContent()) ?? '', labels), { timeout: 8000 })
      .toBe(0);

    await page.getByRole('button', { name: 'Créer le plan' }).click();
    await page.waitForURL(/\/pm-plans\/[0-9a-f-]{36}$/);
    const planId = /\/pm-plans\/([0-9a-f-]+)$/.exec(page.url())?.[1] ?? '';
    await page.getByRole('heading', { name: TEMPLATE.title }).waitFor();
    await page.getByTestId('plan-checklist').getByText(TEMPLATE.first).waitFor();
    await page.getByTestId('plan-checklist').getByText(TEMPLATE.second).waitFor();
    await page.getByTestId('plan-checklist').getByText('Mise à la terre posée').waitFor();
    const token = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const plan = await apiCall<{ next_due_at: string | null; checklist: unknown[] }>(
      baseUrl,
      'GET',
      `/pm-plans/${planId}`,
      { token },
    );
    expect(plan.status).toBe(200);
    expect(plan.body.checklist).toHaveLength(5);
    expect(plan.body.next_due_at).toBeTruthy();
    expect(parisDay(plan.body.next_due_at ?? '')).toBe(parisDay(new Date()));
    // And the plan page's coming due dates begin today.
    await expect
      .poll(async () =>
        offsetOf((await page.getByTestId('occurrence').first().textContent()) ?? '', labels),
      )
      .toBe(0);
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
    // Archived: the demo keeps its five plans for whatever runs next on this server.
    const archived = await apiCall(baseUrl, 'POST', `/pm-plans/${planId}/archive`, {
      token: await tokenOf(baseUrl, DEMO_SUPERVISOR),
    });
    expect(archived.status, JSON.stringify(archived.body)).toBeLessThan(300);
  });

  it('a technician is offered no templates page, and the server refuses their writing one', async () => {
    const tech = await openPage(browser, DESKTOP);
    current = tech;
    const { page } = tech;
    await logIn(page, baseUrl, DEMO_TECHNICIAN);
    await nav(page).getByRole('link', { name: 'Bons de travail', exact: true }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Modèles', exact: true }).count()).toBe(0);
    await page.goto(`${baseUrl}/templates`);
    await page.getByRole('heading', { name: 'Accès réservé' }).waitFor();
    expect(await page.getByRole('button', { name: 'Nouvelle liste de contrôle' }).count()).toBe(0);
    const token = await tokenOf(baseUrl, DEMO_TECHNICIAN);
    const refused = await apiCall(baseUrl, 'POST', '/templates', {
      token,
      body: { kind: 'checklist', name: 'Liste du technicien', checklist: [] },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    // Reading them is theirs (they read work orders).
    const read = await apiCall<{ items: unknown[] }>(baseUrl, 'GET', '/templates', { token });
    expect(read.status).toBe(200);
    expectNoConsoleErrors(tech);
    await tech.context.close();
  });

  it('on a phone: the templates as cards, and the picker of a new order', async () => {
    const phone = await openPage(browser, PHONE);
    current = phone;
    const { page } = phone;
    await logIn(page, baseUrl, DEMO_SUPERVISOR);
    await page.goto(`${baseUrl}/templates?kind=work_order`);
    await page.getByRole('heading', { name: 'Modèles', exact: true }).waitFor();
    const cards = page.getByTestId('template-card');
    await cards
      .filter({ hasText: TEMPLATE.renamed })
      .getByText(`2 points · ${TEMPLATE.duration}`)
      .waitFor();
    for (const name of DEMO_ORDERS) await cards.filter({ hasText: name }).waitFor();
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll, 'page wider than the screen').toBeLessThanOrEqual(widths.client);
    await shot(page, 'templates-phone', true);

    await page.goto(`${baseUrl}/work-orders/new`);
    await page.getByRole('heading', { name: 'Nouveau bon de travail' }).waitFor();
    await picker(page).click();
    await page.getByRole('option', { name: TEMPLATE.renamed }).waitFor();
    await shot(page, 'template-picker-phone');
    await page.getByRole('option', { name: TEMPLATE.renamed }).click();
    await expect.poll(() => field(page, 'Titre').inputValue()).toBe(TEMPLATE.title);
    await expect.poll(() => page.getByTestId('checklist-draft').count()).toBe(2);
    await shot(page, 'template-applied-phone', true);
    expectNoConsoleErrors(phone);
    await phone.context.close();
  });
});
