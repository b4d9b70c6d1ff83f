// Daily work on the demo company, as each role lives it: every home page shows its own work
// first (an operator their requests and how the work goes, a technician today's work, a
// supervisor the inbox, overdue orders and equipment down, an administrator the set-up and
// people, a viewer a read-only overview); the work-order list on a phone keeps its filters behind
// one button; the sidebar's last item stays above its footer at 1366×850; the member form names
// whose name a password must not contain; the board counts every order, loads more as a column
// scrolls, and a card dragged to another column takes the action that leads there, through its
// dialog, only when allowed (from the keyboard too); the audit log reads as sentences with
// labelled fields in French and in English. Screenshots at desktop and phone sizes.
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  BROWSER_TIME_ZONE,
  choose,
  DEMO_ADMIN,
  DEMO_OPERATOR,
  DEMO_SUPERVISOR,
  DEMO_TECHNICIAN,
  DEMO_VIEWER,
  DESKTOP,
  expectNoConsoleErrors,
  fieldOf,
  launch,
  openLoggedIn,
  PHONE,
  shot,
  tokenOf,
  type TrackedPage,
  untilMidnight,
} from './helpers';

const baseUrl = inject('baseUrl');

/** What the board's search keeps: the orders this file makes, and nothing of the demo's. */
const ROUND = 'Tournée de graissage';
const OPEN_ORDERS = 25;

let browser: Browser;
let current: TrackedPage | null = null;
let requestNumber = '';
let todayOrder = '';
let assignedOrder = '';

beforeAll(async () => {
  browser = await launch();
  const operator = await tokenOf(baseUrl, DEMO_OPERATOR);
  const supervisor = await tokenOf(baseUrl, DEMO_SUPERVISOR);
  const technician = await tokenOf(baseUrl, DEMO_TECHNICIAN);
  const admin = await tokenOf(baseUrl, DEMO_ADMIN);
  // Equipment of the technician's site, and the technician.
  const equipment = await apiCall<{ items: Array<{ id: string }> }>(
    baseUrl,
    'GET',
    '/equipment?per_page=1&sort=code',
    { token: technician },
  );
  const equipmentId = equipment.body.items[0]?.id ?? '';
  expect(equipmentId).not.toBe('');
  const users = await apiCall<{ items: Array<{ id: string; email: string }> }>(
    baseUrl,
    'GET',
    `/users?q=${encodeURIComponent(DEMO_TECHNICIAN)}`,
    { token: admin },
  );
  const technicianId = users.body.items.find((u) => u.email === DEMO_TECHNICIAN)?.id ?? '';
  expect(technicianId).not.toBe('');

  // The operator's request, accepted: its order is planned.
  const request = await apiCall<{ id: string; number: string }>(baseUrl, 'POST', '/requests', {
    token: operator,
    body: {
      equipment_id: equipmentId,
      title: 'Capot de protection desserré',
      description: 'Le capot vibre quand la machine tourne.',
      urgency: 'normal',
    },
  });
  expect(request.status).toBe(201);
  requestNumber = request.body.number;
  const approved = await apiCall(baseUrl, 'POST', `/requests/${request.body.id}/approve`, {
    token: supervisor,
    body: { assignee_ids: [technicianId] },
  });
  expect(approved.status).toBe(200);

  // Work for the technician later today (before the browser's midnight, whatever the hour of the
  // run and the zone of the machine running the tests).
  const now = Date.now();
  const due = new Date(now + Math.min(60 * 60_000, untilMidnight(BROWSER_TIME_ZONE) / 2));
  const today = await apiCall<{ number: string }>(baseUrl, 'POST', '/work-orders', {
    token: supervisor,
    body: {
      equipment_id: equipmentId,
      title: 'Contrôle des courroies du convoyeur',
      type: 'inspection',
      priority: 'high',
      due_at: due.toISOString(),
      assignee_ids: [technicianId],
    },
  });
  expect(today.status).toBe(201);
  todayOrder = today.body.number;

  // The board's round: one order assigned, more open ones than a column shows at first.
  const assigned = await apiCall<{ number: string }>(baseUrl, 'POST', '/work-orders', {
    token: supervisor,
    body: {
      equipment_id: equipmentId,
      title: `${ROUND} — palier du convoyeur`,
      type: 'preventive',
      assignee_ids: [technicianId],
    },
  });
  expect(assigned.status).toBe(201);
  assignedOrder = assigned.body.number;
  for (let n = 1; n <= OPEN_ORDERS; n += 1) {
    const open = await apiCall(baseUrl, 'POST', '/work-orders', {
      token: supervisor,
      body: { equipment_id: equipmentId, title: `${ROUND} — point ${n}`, type: 'preventive' },
    });
    expect(open.status).toBe(201);
  }
});

afterTests(
  () => browser,
  () => current,
);

const field = fieldOf('textbox', 'combobox');

const openAs = (email: string, options = DESKTOP) =>
  openLoggedIn(browser, baseUrl, email, options, (tracked) => (current = tracked));

function nav(page: Page): Locator {
  return page.getByRole('navigation', { name: /^(Navigation principale|Main navigation)$/ });
}

/** Whether an element lies wholly within the first screen, without scrolling. */
async function inFirstScreen(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const height = page.viewportSize()?.height ?? 0;
  return box !== null && box.y >= 0 && box.y + box.height <= height;
}

/** The vertical order of the home page's sections, by test id. */
async function sectionsInOrder(page: Page, ids: string[]): Promise<string[]> {
  const found: Array<{ id: string; y: number }> = [];
  for (const id of ids) {
    const box = await page.getByTestId(id).first().boundingBox();
    if (box) found.push({ id, y: box.y });
  }
  return found.sort((a, b) => a.y - b.y).map((s) => s.id);
}

async function setLanguage(page: Page, language: 'English' | 'Français') {
  await page.getByRole('button', { name: /^(Menu du compte|Account menu)$/ }).click();
  await page.getByRole('menuitem', { name: language }).click();
}

function column(page: Page, status: string): Locator {
  return page.getByTestId(`board-column-${status}`);
}

function columnTotal(page: Page, status: string) {
  return column(page, status).getByTestId('column-total').textContent();
}

function boardCard(page: Page, number: string): Locator {
  return page.locator(`[data-testid="board-card"][data-number="${number}"]`);
}

/**
 * Drags with the mouse, as a person does: press, a first move past the threshold, then on.
 * Like a click, it waits until the card is what the pointer would hit (a dialog that just
 * closed may still fade out above it), and until the board has picked the card up.
 */
async function drag(page: Page, from: Locator, to: Locator) {
  await from.scrollIntoViewIfNeeded();
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('the card or its target is not on screen');
  const x = a.x + a.width / 2;
  const y = a.y + 24;
  const number = await from.getAttribute('data-number');
  await expect
    .poll(() =>
      page.evaluate(
        ({ px, py }) =>
          document
            .elementFromPoint(px, py)
            ?.closest('[data-testid="board-card"]')
            ?.getAttribute('data-number') ?? null,
        { px: x, py: y },
      ),
    )
    .toBe(number);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 12, y + 6, { steps: 3 });
  await expect.poll(() => page.getByTestId('board').getAttribute('data-dragging')).toBe('true');
  await page.mouse.move(b.x + b.width / 2, b.y + 90, { steps: 12 });
}

describe.sequential('daily work', () => {
  it('an operator’s home: the report button, then their requests and how the work goes', async () => {
    for (const options of [PHONE, DESKTOP]) {
      const operator = await openAs(DEMO_OPERATOR, options);
      const { page } = operator;
      const phone = options === PHONE;
      // The big button first, on the first screen, without scrolling.
      const report = page.getByTestId('report-failure');
      await report.waitFor();
      expect(await inFirstScreen(page, report)).toBe(true);
      const mine = page.getByTestId('home-my-requests');
      const card = mine.getByTestId('my-request').filter({ hasText: requestNumber });
      await card.waitFor();
      // One status line: the decision taken, the work is planned.
      await expect
        .poll(() => card.getByTestId('request-progress').getAttribute('data-progress'))
        .toBe('planned');
      await card.getByTestId('request-progress').getByText('Planifiée').waitFor();
      await card
        .getByTestId('request-order')
        .getByText(/^BT-\d{4}-\d{5}$/)
        .waitFor();
      // Nothing of the company's set-up or of the planners' panels.
      expect(await page.getByTestId('home-company').count()).toBe(0);
      expect(await page.getByTestId('home-panels').count()).toBe(0);
      await shot(page, phone ? 'daily-home-operator-phone' : 'daily-home-operator');
      expectNoConsoleErrors(operator);
      await operator.context.close();
    }
  });

  it('a technician’s home on a phone: today’s work first; the work-order list with its filters behind one button', async () => {
    const technician = await openAs(DEMO_TECHNICIAN, PHONE);
    const { page } = technician;
    const day = page.getByTestId('home-my-day');
    await day.waitFor();
    await day.getByTestId('home-today').getByTestId('work-order-card').first().waitFor();
    await day
      .getByTestId('home-today')
      .getByTestId('work-order-card')
      .filter({ hasText: todayOrder })
      .waitFor();
    await day.getByRole('region', { name: 'Aujourd’hui' }).getByTestId('stat-value').waitFor();
    expect(await page.getByTestId('home-company').count()).toBe(0);
    await shot(page, 'daily-home-technician-phone');
    await page.getByTestId('home-today').getByTestId('work-order-card').first().waitFor();

    // The list of work orders: the search and one button, the list on the first screen.
    await page.getByRole('button', { name: 'Ouvrir la navigation' }).click();
    await nav(page).getByRole('link', { name: 'Bons de travail', exact: true }).click();
    const filters = page.getByRole('button', { name: /^Filtres/ });
    await filters.waitFor();
    expect(await filters.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('textbox', { name: 'Statuts', exact: true }).isVisible()).toBe(
      false,
    );
    const first = page.getByTestId('work-order-card').first();
    await first.waitFor();
    expect(await inFirstScreen(page, first)).toBe(true);
    await shot(page, 'daily-work-orders-phone');
    await filters.click();
    expect(await filters.getAttribute('aria-expanded')).toBe('true');
    await choose(page, page, 'Priorité', 'Haute');
    await expect.poll(() => filters.textContent(), { timeout: 5000 }).toBe('Filtres (1)');
    await shot(page, 'daily-work-orders-phone-filters');
    await filters.click();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Statuts', exact: true }).isVisible())
      .toBe(false);
    expectNoConsoleErrors(technician);
    await technician.context.close();
  });

  it('a supervisor’s home: the inbox, overdue orders, equipment down, today’s preventive', async () => {
    for (const options of [DESKTOP, PHONE]) {
      const supervisor = await openAs(DEMO_SUPERVISOR, options);
      const { page } = supervisor;
      await page.getByTestId('panel-pending').getByTestId('stat-value').waitFor();
      await page.getByTestId('panel-pending').getByTestId('home-request').first().waitFor();
      await page.getByTestId('panel-overdue').getByTestId('stat-value').waitFor();
      await page.getByTestId('panel-down').getByTestId('home-equipment').first().waitFor();
      await page.getByTestId('panel-preventive').getByTestId('stat-value').waitFor();
      expect(
        await sectionsInOrder(page, [
          'panel-pending',
          'panel-overdue',
          'panel-down',
          'panel-preventive',
        ]),
      ).toEqual(['panel-pending', 'panel-overdue', 'panel-down', 'panel-preventive']);
      expect(await page.getByTestId('home-company').count()).toBe(0);
      // The inbox's title and first request on the first screen, phones included.
      expect(
        await inFirstScreen(
          page,
          page.getByTestId('panel-pending').getByTestId('home-request').first(),
        ),
      ).toBe(true);
      await page
        .getByTestId('panel-pending')
        .getByRole('link', { name: /^Traiter/ })
        .waitFor();
      await shot(
        page,
        options === DESKTOP ? 'daily-home-supervisor' : 'daily-home-supervisor-phone',
      );
      expectNoConsoleErrors(supervisor);
      await supervisor.context.close();
    }
  });

  it('an administrator’s home: set-up and people first; the sidebar’s last item clear of its footer', async () => {
    const admin = await openAs(DEMO_ADMIN);
    const { page } = admin;
    const company = page.getByTestId('home-company');
    await company
      .getByRole('region', { name: 'Membres actifs' })
      .getByTestId('stat-value')
      .waitFor();
    await company.getByRole('region', { name: 'Invitations en attente' }).waitFor();
    await company.getByRole('region', { name: 'Sites', exact: true }).waitFor();
    expect(await sectionsInOrder(page, ['home-panels', 'home-company'])).toEqual([
      'home-company',
      'home-panels',
    ]);
    await page
      .getByRole('region', { name: 'Activité récente' })
      .getByTestId('audit-sentence')
      .first()
      .waitFor();

    // At 1366×850 every item of the sidebar is on screen, the last one above "Votre accès",
    // without scrolling the navigation.
    const last = nav(page).getByRole('link', { name: 'Tâches de fond', exact: true });
    await last.waitFor();
    const link = await last.boundingBox();
    const footer = await page.getByTestId('nav-footer').boundingBox();
    if (!link || !footer) throw new Error('the sidebar is not on screen');
    expect(link.y + link.height).toBeLessThanOrEqual(footer.y);
    // Nothing covers it: the point at its middle belongs to the link.
    const hit = await last.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      return top !== null && element.contains(top);
    });
    expect(hit).toBe(true);
    await shot(page, 'daily-home-admin');
    expectNoConsoleErrors(admin);
    await admin.context.close();
  });

  it('a viewer’s home: open and overdue orders, equipment down, nothing to decide', async () => {
    const viewer = await openAs(DEMO_VIEWER);
    const { page } = viewer;
    await page.getByTestId('panel-open').getByTestId('home-order').first().waitFor();
    await page.getByTestId('panel-overdue').waitFor();
    await page.getByTestId('panel-down').waitFor();
    expect(await page.getByTestId('panel-pending').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Signaler une panne' }).count()).toBe(0);
    await shot(page, 'daily-home-viewer');
    expectNoConsoleErrors(viewer);
    await viewer.context.close();
  });

  it('the member form says whose name the password must not contain', async () => {
    const admin = await openAs(DEMO_ADMIN);
    const { page } = admin;
    await nav(page).getByRole('link', { name: 'Utilisateurs', exact: true }).click();
    await page.getByRole('button', { name: 'Ajouter un membre' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ajouter un membre' });
    await field(dialog, 'Adresse e-mail').fill('jean.dupont@demo.test');
    await field(dialog, 'Nom complet').fill('Jean Dupont');
    await dialog
      .getByRole('checkbox', {
        name: 'Compte sans boîte mail (atelier) : définir un mot de passe initial',
      })
      .check();
    await field(dialog, 'Mot de passe initial').fill('Dupont-Atelier-2026');
    await dialog.getByRole('button', { name: 'Créer le compte' }).click();
    await dialog
      .getByText('Le mot de passe ne doit contenir ni le nom de Jean Dupont ni son adresse e-mail.')
      .waitFor();
    // Not the admin's own name, nor the company's.
    expect(await dialog.getByText('votre nom', { exact: false }).count()).toBe(0);
    await shot(page, 'daily-member-password');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expectNoConsoleErrors(admin);
    await admin.context.close();
  });

  it('the board: true counts, more cards as a column scrolls, cards dragged through their actions', async () => {
    const supervisor = await openAs(DEMO_SUPERVISOR);
    const { page } = supervisor;
    await nav(page).getByRole('link', { name: 'Tableau', exact: true }).click();
    await field(page, 'Rechercher').fill(ROUND);
    await expect.poll(() => columnTotal(page, 'open')).toBe(String(OPEN_ORDERS));
    await expect.poll(() => columnTotal(page, 'assigned')).toBe('1');
    await expect.poll(() => columnTotal(page, 'in_progress')).toBe('0');
    await expect.poll(() => columnTotal(page, 'on_hold')).toBe('0');

    // The first page of a column, then the rest as it scrolls.
    const open = column(page, 'open').getByTestId('board-card');
    await expect.poll(() => open.count()).toBe(20);
    await column(page, 'open')
      .getByRole('button', { name: /^Afficher la suite \(5 restants\)$/ })
      .waitFor();
    await column(page, 'open')
      .locator('.board-column-body')
      .evaluate((body) => body.scrollTo(0, body.scrollHeight));
    await expect.poll(() => open.count()).toBe(OPEN_ORDERS);
    await shot(page, 'daily-board');

    // An assigned card dropped on "in progress" starts the order.
    await drag(page, boardCard(page, assignedOrder), column(page, 'in_progress'));
    await expect.poll(() => column(page, 'in_progress').getAttribute('data-drop')).toBe('allowed');
    expect(await column(page, 'completed').getAttribute('data-drop')).toBe('refused');
    await shot(page, 'daily-board-dragging');
    await page.mouse.up();
    await page.getByText(`Bon ${assignedOrder} démarré.`).waitFor();
    await expect.poll(() => columnTotal(page, 'in_progress')).toBe('1');
    await expect.poll(() => columnTotal(page, 'assigned')).toBe('0');
    await column(page, 'in_progress').locator(`[data-number="${assignedOrder}"]`).waitFor();

    // Dropped on "on hold", it asks why first.
    await drag(page, boardCard(page, assignedOrder), column(page, 'on_hold'));
    await page.mouse.up();
    const hold = page.getByRole('dialog', { name: 'Mettre en attente' });
    await hold.getByRole('button', { name: 'Mettre en attente' }).click();
    await hold.getByText('Ce champ est obligatoire.').waitFor();
    await field(hold, 'Motif').fill('Attente du roulement 6204');
    await shot(page, 'daily-board-hold');
    await hold.getByRole('button', { name: 'Mettre en attente' }).click();
    await hold.waitFor({ state: 'hidden' });
    await expect.poll(() => columnTotal(page, 'on_hold')).toBe('1');
    await expect.poll(() => columnTotal(page, 'in_progress')).toBe('0');

    // A move no single action makes is refused, saying why; nothing changes.
    const someOpen = open.first();
    const someNumber = (await someOpen.getAttribute('data-number')) ?? '';
    await drag(page, someOpen, column(page, 'completed'));
    await page.mouse.up();
    await page
      .getByText(
        `Le bon ${someNumber} est « À planifier » : il ne peut pas passer directement à « Terminé ».`,
      )
      .waitFor();
    expect(await columnTotal(page, 'open')).toBe(String(OPEN_ORDERS));

    // Dropped on "assigned", it asks for the people.
    await drag(page, boardCard(page, someNumber), column(page, 'assigned'));
    await page.mouse.up();
    const assign = page.getByRole('dialog', { name: `Attribuer le bon ${someNumber}` });
    await choose(assign, page, 'Intervenants', /^Karim Benali/);
    // The list of people closes before the button below it can be reached.
    await assign.getByRole('heading').or(assign.locator('.mantine-Modal-title')).first().click();
    await assign.getByRole('button', { name: 'Attribuer' }).click();
    await assign.waitFor({ state: 'hidden' });
    await expect.poll(() => columnTotal(page, 'assigned')).toBe('1');
    await expect.poll(() => columnTotal(page, 'open')).toBe(String(OPEN_ORDERS - 1));

    // From the keyboard: Space picks the card up, the arrows change column, Space drops it.
    await boardCard(page, assignedOrder).getByRole('link').focus();
    const announced = () => page.locator('[id^="DndLiveRegion"]').first().textContent();
    await page.keyboard.press('Space');
    // Picked up where it stands (the sensor listens to the arrows from then on).
    await expect
      .poll(announced)
      .toMatch(new RegExp(`^Bon ${assignedOrder} (saisi|sur la colonne « En attente »)\\.$`));
    await page.waitForTimeout(200);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(announced).toBe(`Bon ${assignedOrder} sur la colonne « En cours ».`);
    await page.keyboard.press('Space');
    await page.getByText(`Bon ${assignedOrder} repris.`).waitFor();
    await expect.poll(() => columnTotal(page, 'on_hold')).toBe('0');
    await expect.poll(() => columnTotal(page, 'in_progress')).toBe('1');

    // The server agrees.
    const token = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const found = await apiCall<{ items: Array<{ status: string }> }>(
      baseUrl,
      'GET',
      `/work-orders?q=${assignedOrder}`,
      { token },
    );
    expect(found.body.items[0]?.status).toBe('in_progress');
    // A click on a card still opens it.
    await boardCard(page, assignedOrder).getByRole('link').click();
    await page.getByTestId('order-number').getByText(assignedOrder).waitFor();
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });

  it('the board on a phone: columns side by side, scrolled sideways', async () => {
    const supervisor = await openAs(DEMO_SUPERVISOR, PHONE);
    const { page } = supervisor;
    await page.goto(`${baseUrl}/work-orders/board`);
    await field(page, 'Rechercher').fill(ROUND);
    await expect.poll(() => columnTotal(page, 'open')).toBe(String(OPEN_ORDERS - 1));
    const board = page.getByTestId('board');
    const sizes = await board.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
    }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client * 3);
    // No page-wide sideways scrolling: only the board moves.
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    await column(page, 'open').getByTestId('board-card').first().waitFor();
    await shot(page, 'daily-board-phone');
    await column(page, 'in_progress').scrollIntoViewIfNeeded();
    await column(page, 'in_progress').locator(`[data-number="${assignedOrder}"]`).waitFor();
    await shot(page, 'daily-board-phone-in-progress');
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });

  it('the audit log reads as sentences with labelled fields, in French and in English', async () => {
    const admin = await openAs(DEMO_ADMIN);
    const { page } = admin;
    await nav(page).getByRole('link', { name: "Journal d'audit", exact: true }).click();
    await page.getByRole('heading', { name: "Journal d'audit" }).waitFor();
    // Every action the log holds can be chosen, named in words.
    await choose(page, page, 'Élément', 'Bon de travail');
    await field(page, 'Action').click();
    for (const action of ['Attribution', 'Démarrage', 'Mise en attente', 'Reprise']) {
      await page.getByRole('option', { name: action, exact: true }).waitFor();
    }
    await page.getByRole('option', { name: 'Mise en attente', exact: true }).click();
    const rows = page.getByTestId('audit-row');
    const held = rows.filter({ hasText: assignedOrder });
    await expect.poll(() => held.count()).toBe(1);
    await expect
      .poll(() => held.getByTestId('audit-sentence').textContent())
      .toMatch(new RegExp(`^Sophie Durand a mis en attente le bon ${assignedOrder}`));
    const fields = held.getByTestId('audit-fields');
    await fields.locator('dt', { hasText: /^Motif$/ }).waitFor();
    await fields.getByText('Attente du roulement 6204').waitFor();
    // No raw keys or JSON.
    const text = (await held.textContent()) ?? '';
    expect(text).not.toMatch(/[{}"]|status_reason|\breason\b/);
    await shot(page, 'daily-audit');

    await setLanguage(page, 'English');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await expect
      .poll(() => held.getByTestId('audit-sentence').textContent())
      .toMatch(new RegExp(`^Sophie Durand put work order ${assignedOrder}.* on hold$`));
    await held
      .getByTestId('audit-fields')
      .locator('dt', { hasText: /^Reason$/ })
      .waitFor();
    await expect.poll(() => field(page, 'Action').inputValue()).toBe('Put on hold');
    await shot(page, 'daily-audit-en');
    await setLanguage(page, 'Français');
    await page.getByRole('heading', { name: "Journal d'audit" }).waitFor();
    expectNoConsoleErrors(admin);
    await admin.context.close();

    // On a phone, the entries first; the filters behind one button.
    const phone = await openAs(DEMO_ADMIN, PHONE);
    await phone.page.goto(`${baseUrl}/audit`);
    const filters = phone.page.getByRole('button', { name: /^Filtres/ });
    await filters.waitFor();
    const first = phone.page.getByTestId('audit-row').first();
    await first.waitFor();
    expect(await inFirstScreen(phone.page, first.getByTestId('audit-sentence'))).toBe(true);
    await shot(phone.page, 'daily-audit-phone');
    expectNoConsoleErrors(phone);
    await phone.context.close();
  });
});
