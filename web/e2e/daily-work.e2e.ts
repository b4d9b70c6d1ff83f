// A day of real work at a sawmill, against the real server. A technician starts the day on a
// phone: all of their open work in the groups of a day with their true counts, new jobs marked,
// a search, the today filter, more of a long group on demand. An operator reports a failure that
// stops production; the supervisor approves it; the order says production is stopped and for how
// long; the technician completes it with the proposed end and minutes; the closed report keeps
// the downtime and the operator's request reads "Clôturée". Then a reading out of tolerance: the
// completion proposes a follow-up order, prefilled; it is created and linked both ways.
// Screenshots at phone and desktop sizes.
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  choose,
  expectNoConsoleErrors,
  field,
  launch,
  logIn,
  openPage,
  PHONE,
  segment,
  shot,
  signUp,
  tokenOf,
  type TrackedPage,
} from './helpers';

const baseUrl = inject('baseUrl');

const ADMIN = {
  company: 'Scierie du Jura',
  slug: 'scierie-du-jura',
  name: 'Hélène Roux',
  email: 'helene.roux@scierie.test',
  password: 'Sapin-2026-epicea',
};
const SUPERVISOR = {
  name: 'Bruno Vidal',
  email: 'bruno.vidal@scierie.test',
  password: 'Planning-42-grumes',
  role: 'supervisor',
};
const TECH = {
  name: 'Karim Benali',
  email: 'karim.benali@scierie.test',
  password: 'Roulement-6204-clé',
  role: 'technician',
};
const OPERATOR = {
  name: 'Julie Perret',
  email: 'julie.perret@scierie.test',
  password: 'Ligne-de-sciage-3',
  role: 'operator',
};
/** Orders in the "later" group: more than the page shows at first (10). */
const LATER = 13;

let browser: Browser;
let current: TrackedPage | null = null;
let tech: TrackedPage;
let supervisor: TrackedPage;
let operator: TrackedPage;
/** Who calls the API directly, by role (the server's access tokens last 30 s: renewed at 20). */
const people: Record<string, { email: string; password: string }> = {
  admin: ADMIN,
  supervisor: SUPERVISOR,
  technician: TECH,
  operator: OPERATOR,
};
const tokens = new Map<string, { token: string; at: number }>();

async function cachedToken(who: string): Promise<string> {
  const known = tokens.get(who);
  if (known && Date.now() - known.at < 20_000) return known.token;
  const person = people[who];
  expect(person, who).toBeTruthy();
  const token = await tokenOf(baseUrl, person?.email ?? '', person?.password ?? '');
  tokens.set(who, { token, at: Date.now() });
  return token;
}
let sawId = '';
let edgerId = '';
/** Whether an order due in 24 hours is still due this week (not on a Sunday, in Paris). */
let tomorrowThisWeek = true;
let requestNumber = '';
let requestId = '';
let orderNumber = '';
let orderId = '';

beforeAll(async () => {
  browser = await launch();
});

afterTests(
  () => browser,
  () => current,
);

async function logInAtWork(page: Page, email: string, password: string) {
  await logIn(page, baseUrl, email, password);
  // The team works without mailboxes: the reminder to confirm an address is put away.
  await page.getByRole('button', { name: 'Masquer pour l’instant' }).click();
}

const search = (page: Page) => page.getByRole('searchbox', { name: 'Rechercher dans mon travail' });

async function api<T = Record<string, unknown>>(
  who: string,
  method: string,
  path: string,
  body?: unknown,
  status = method === 'POST' ? [200, 201, 204] : [200],
): Promise<T> {
  const token = await cachedToken(who);
  const answer = await apiCall<T>(baseUrl, method, path, { token, body });
  expect(status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
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

/** Lists load and refresh while the tests poll them: up to the locators' 10 s. */
const WAIT = { timeout: 10_000 };

const HOUR = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

/** The groups of "my work" as shown: each bucket with its count, in order. */
async function groups(page: Page): Promise<Array<[string, string]>> {
  return page
    .getByTestId('my-work-group')
    .evaluateAll((nodes) =>
      nodes.map((n) => [n.getAttribute('data-bucket') ?? '', n.getAttribute('data-total') ?? '']),
    );
}

function group(page: Page, bucket: string): Locator {
  return page.locator(`[data-testid="my-work-group"][data-bucket="${bucket}"]`);
}

/** Nothing sticks out sideways on a phone. */
async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll, 'page wider than the screen').toBeLessThanOrEqual(widths.client);
}

describe.sequential('a day of work', () => {
  it('the company, its machines, its people and the technician’s open work', async () => {
    await signUp(baseUrl, ADMIN);
    const site = await api<{ id: string }>('admin', 'POST', '/sites', {
      code: 'MOREZ',
      name: 'Scierie de Morez',
      time_zone: 'Europe/Paris',
    });
    const saw = await api<{ id: string }>('admin', 'POST', '/equipment', {
      code: 'SCIE-01',
      name: 'Scie à ruban Kara',
      site_id: site.id,
      criticality: 'critical',
    });
    const edger = await api<{ id: string }>('admin', 'POST', '/equipment', {
      code: 'DEL-02',
      name: 'Déligneuse multilames',
      site_id: site.id,
    });
    sawId = saw.id;
    edgerId = edger.id;
    const roles = await api<{ items: Array<{ id: string; key?: string | null }> }>(
      'admin',
      'GET',
      '/roles',
    );
    await addMember(SUPERVISOR, roles.items);
    const techId = await addMember(TECH, roles.items);
    await addMember(OPERATOR, roles.items);

    const order = (title: string, extra: Record<string, unknown> = {}) =>
      api<{ id: string; number: string }>('supervisor', 'POST', '/work-orders', {
        type: 'corrective',
        equipment_id: edgerId,
        title,
        assignee_ids: [techId],
        ...extra,
      });
    // Overdue, due today (urgent work without a date counts as today), tomorrow, later, on hold.
    await order('Remplacer la courroie du convoyeur de sortie', {
      due_at: inHours(-48),
      priority: 'high',
    });
    await order('Contrôler les niveaux d’huile', { due_at: inHours(-20), type: 'inspection' });
    await order('Fuite au raccord du vérin de serrage', { priority: 'urgent' });
    await order('Capteur de présence grume hors service', { priority: 'urgent' });
    await order('Resserrer les carters de protection', { due_at: inHours(24) });
    for (let n = 1; n <= LATER; n += 1) {
      await order(`Graissage des paliers n°${n}`, {
        due_at: inHours(24 * 30 + n),
        type: 'preventive',
        equipment_id: sawId,
      });
    }
    const held = await order('Remplacer le moteur de la pompe de lubrification');
    await api('technician', 'POST', `/work-orders/${held.id}/start`);
    await api('technician', 'POST', `/work-orders/${held.id}/hold`, {
      reason: 'Moteur commandé, livraison jeudi',
    });
    // Tomorrow is next week when today is a Sunday in Paris.
    const weekday = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      weekday: 'short',
    }).format(new Date());
    tomorrowThisWeek = weekday !== 'Sun';
  });

  it('the technician’s day on a phone: grouped with counts, searched, filtered, more on demand', async () => {
    tech = await openPage(browser, PHONE);
    current = tech;
    const { page } = tech;
    await logInAtWork(page, TECH.email, TECH.password);
    await page.getByRole('button', { name: 'Ouvrir la navigation' }).click();
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Mon travail', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Mon travail' }).waitFor();

    // Every open order, in the groups of a day, with their true counts.
    const expected: Array<[string, string]> = tomorrowThisWeek
      ? [
          ['overdue', '2'],
          ['today', '2'],
          ['this_week', '1'],
          ['later', String(LATER)],
          ['on_hold', '1'],
        ]
      : [
          ['overdue', '2'],
          ['today', '2'],
          ['later', String(LATER + 1)],
          ['on_hold', '1'],
        ];
    await expect.poll(() => groups(page), WAIT).toEqual(expected);
    await page.getByTestId('my-work-total').getByText('19 bons à faire').waitFor();
    await group(page, 'overdue').getByRole('heading', { name: 'En retard' }).waitFor();
    await group(page, 'on_hold').getByText('Remplacer le moteur de la pompe').waitFor();
    // Urgent first within a group; everything was just assigned: new.
    expect(
      await group(page, 'overdue').getByTestId('work-order-card').first().textContent(),
    ).toContain('Remplacer la courroie');
    await expect.poll(() => page.getByTestId('new-badge').count(), WAIT).toBeGreaterThan(5);
    await group(page, 'overdue').getByTestId('new-badge').first().getByText('Nouveau').waitFor();
    await expectNoSidewaysScroll(page);
    await shot(page, 'my-work-phone');

    // A long group shows its first orders, then the rest on demand.
    const later = group(page, 'later');
    const laterTotal = tomorrowThisWeek ? LATER : LATER + 1;
    await expect.poll(() => later.getByTestId('work-order-card').count(), WAIT).toBe(10);
    const more = later.getByRole('button', { name: `Afficher plus (${laterTotal - 10})` });
    await more.scrollIntoViewIfNeeded();
    await shot(page, 'my-work-phone-more');
    await more.click();
    await expect.poll(() => later.getByTestId('work-order-card').count(), WAIT).toBe(laterTotal);
    expect(await later.getByRole('button', { name: /^Afficher plus/ }).count()).toBe(0);
    await later.getByText('Graissage des paliers n°13').waitFor();

    // A search narrows every group, and stays in the address.
    await page.evaluate(() => window.scrollTo(0, 0));
    await search(page).fill('courroie');
    await page.waitForURL(/[?&]q=courroie/);
    await expect.poll(() => groups(page), WAIT).toEqual([['overdue', '1']]);
    await page.getByTestId('my-work-total').getByText('1 bon à faire').waitFor();
    await shot(page, 'my-work-phone-search');
    await search(page).fill('vilebrequin');
    await page.getByText('Aucun bon ne correspond à « vilebrequin »').waitFor();
    await search(page).fill('');
    await expect.poll(() => groups(page), WAIT).toEqual(expected);

    // Today: what is late and what is for today, nothing further; kept on reload.
    await segment(page, 'Aujourd’hui').click();
    await page.waitForURL(/[?&]within=today/);
    await expect
      .poll(() => groups(page), WAIT)
      .toEqual([
        ['overdue', '2'],
        ['today', '2'],
      ]);
    await page.reload();
    await expect
      .poll(() => groups(page), WAIT)
      .toEqual([
        ['overdue', '2'],
        ['today', '2'],
      ]);
    await expectNoSidewaysScroll(page);
    await shot(page, 'my-work-phone-today');
    await segment(page, 'Cette semaine').click();
    await expect
      .poll(() => groups(page), WAIT)
      .toEqual(expected.filter(([b]) => b === 'overdue' || b === 'today' || b === 'this_week'));
    await segment(page, 'Tout').click();
    await expect.poll(() => groups(page), WAIT).toEqual(expected);

    // What was finished has its own view.
    await segment(page, 'Terminé').click();
    await page.getByText('Aucune intervention terminée').waitFor();
    await segment(page, 'À faire').click();
    await expect.poll(() => groups(page), WAIT).toEqual(expected);
    expectNoConsoleErrors(tech);

    // The same page at a desk.
    const desk = await openPage(browser);
    current = desk;
    await logInAtWork(desk.page, TECH.email, TECH.password);
    await desk.page.goto(`${baseUrl}/my-work`);
    await expect.poll(() => groups(desk.page), WAIT).toEqual(expected);
    await shot(desk.page, 'my-work-desktop', true);
    expectNoConsoleErrors(desk);
    await desk.context.close();
  });

  it('an operator reports a failure that stops production; the supervisor approves it', async () => {
    operator = await openPage(browser, PHONE);
    current = operator;
    let page = operator.page;
    await logInAtWork(page, OPERATOR.email, OPERATOR.password);
    await page.goto(`${baseUrl}/equipment/${sawId}/request`);
    await page.getByTestId('chosen-equipment').getByText('Scie à ruban Kara').waitFor();
    await field(page, 'Quel est le problème ?').fill('Lame de la scie cassée');
    await field(page, 'Détails').fill('La lame a sauté pendant la coupe, la ligne est à l’arrêt.');
    await page.getByRole('radio', { name: 'Critique' }).click();
    await page.getByRole('switch', { name: 'La production est arrêtée' }).check();
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.getByTestId('request-confirmation').waitFor();
    requestNumber = (await page.getByTestId('request-number').textContent()) ?? '';
    expect(requestNumber).toMatch(/^DI-\d{4}-00001$/);
    await page.goto(`${baseUrl}/requests`);
    const mine = page.getByTestId('my-request').filter({ hasText: requestNumber });
    await mine.getByTestId('request-progress').getByText('Envoyée').waitFor();
    expectNoConsoleErrors(operator);

    supervisor = await openPage(browser);
    current = supervisor;
    page = supervisor.page;
    await logInAtWork(page, SUPERVISOR.email, SUPERVISOR.password);
    await page.goto(`${baseUrl}/requests/inbox`);
    const card = page.getByTestId('inbox-request').filter({ hasText: requestNumber });
    await card.getByText('Production arrêtée').waitFor();
    await card.getByRole('button', { name: 'Accepter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accepter la demande' });
    await choose(dialog, page, 'Intervenants', new RegExp(TECH.name));
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Accepter' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Decided requests read their one status line: the work is planned.
    await segment(page, 'Acceptées').click();
    await card.getByTestId('request-progress').getByText('Planifiée').waitFor();
    await card.getByRole('link', { name: /^BT-\d{4}-\d{5}$/ }).click();
    await page.getByTestId('order-number').waitFor();
    orderNumber = (await page.getByTestId('order-number').textContent()) ?? '';
    orderId = /\/work-orders\/([0-9a-f-]+)$/.exec(page.url())?.[1] ?? '';
    expect(orderId).not.toBe('');
    // The order says production is stopped, since the request, and for how long.
    const banner = page.getByTestId('stopped-since');
    await banner.getByText(/^Production arrêtée depuis (moins d’une minute|\d+ min)$/).waitFor();
    await banner.getByText(`avec la demande ${requestNumber}`, { exact: false }).waitFor();
    await shot(page, 'production-stopped-desktop');
    expectNoConsoleErrors(supervisor);
  });

  it('the technician completes it with the proposed end and minutes; the report keeps the downtime', async () => {
    current = tech;
    const { page } = tech;
    await page.goto(`${baseUrl}/my-work`);
    // The new job, urgent, comes first of today's.
    const today = group(page, 'today');
    await expect.poll(() => today.getAttribute('data-total'), WAIT).toBe('3');
    const myCard = today.getByTestId('work-order-card').first();
    await expect.poll(() => myCard.textContent(), WAIT).toContain(orderNumber);
    await myCard.getByText('Production arrêtée').waitFor();
    await myCard.getByTestId('new-badge').waitFor();
    await myCard.click();

    const banner = page.getByTestId('stopped-since');
    await banner.getByText(/^Production arrêtée depuis /).waitFor();
    await expectNoSidewaysScroll(page);
    await shot(page, 'production-stopped-phone');
    const actions = page.getByTestId('order-actions');
    await actions.getByRole('button', { name: 'Démarrer' }).click();
    await actions.getByRole('button', { name: 'Terminer' }).click();
    const dialog = page.getByRole('dialog', { name: `Terminer le bon ${orderNumber}` });
    await field(dialog, 'Travaux réalisés').fill('Lame remplacée, guides réglés, essai de coupe.');
    // The stop's start is known; its end is proposed now, with its minutes, all editable.
    await dialog.getByText(/^La production est arrêtée depuis le /).waitFor();
    const period = dialog.getByTestId('downtime-period');
    const minutes = field(period, 'Durée de l’arrêt');
    await expect.poll(() => minutes.inputValue(), WAIT).toMatch(/^\d+ min$/);
    const proposed = Number.parseInt(await minutes.inputValue(), 10);
    expect(proposed).toBeLessThan(10);
    await period.getByText(/^Soit \d+ min$/).waitFor();
    await minutes.scrollIntoViewIfNeeded();
    await shot(page, 'complete-downtime-phone');
    await dialog.getByRole('button', { name: 'Terminer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // No reading out of tolerance: no follow-up proposed.
    expect(await page.getByTestId('follow-up-prompt').count()).toBe(0);
    await page.getByTestId('report').waitFor();
    expect(await page.getByTestId('stopped-since').count()).toBe(0);
    expectNoConsoleErrors(tech);
  });

  it('the supervisor closes it; the operator’s request reads “Clôturée”', async () => {
    current = supervisor;
    let page = supervisor.page;
    await page.goto(`${baseUrl}/work-orders/${orderId}`);
    const report = page.getByTestId('report');
    // The report says when production stopped and ran again: not "—".
    await report.getByText(/^\d+ min \(.+ → .+\)$/).waitFor();
    await page.getByRole('button', { name: 'Valider et clôturer' }).click();
    const confirm = page.getByRole('dialog', { name: 'Valider l’intervention ?' });
    await confirm.getByRole('button', { name: 'Valider et clôturer' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText(/^Intervention validée et clôturée le /).waitFor();
    await shot(page, 'closed-with-downtime', true);
    expectNoConsoleErrors(supervisor);

    current = operator;
    page = operator.page;
    await page.goto(`${baseUrl}/requests`);
    const mine = page.getByTestId('my-request').filter({ hasText: requestNumber });
    await mine.getByTestId('request-progress').getByText('Clôturée').waitFor();
    await mine
      .getByRole('link', { name: new RegExp(requestNumber) })
      .first()
      .click();
    requestId = /\/requests\/([0-9a-f-]+)$/.exec(page.url())?.[1] ?? '';
    expect(requestId).not.toBe('');
    await expect
      .poll(() => page.getByTestId('request-progress').first().getAttribute('data-progress'), WAIT)
      .toBe('closed');
    await page.getByTestId('request-progress').first().getByText('Clôturée').waitFor();
    await shot(page, 'request-closed-phone');
    expectNoConsoleErrors(operator);
    await operator.context.close();
  });

  it('a reading out of tolerance: completion proposes a follow-up, created and linked both ways', async () => {
    const source = await api<{ id: string; number: string }>('supervisor', 'POST', '/work-orders', {
      type: 'preventive',
      equipment_id: sawId,
      title: 'Contrôle mensuel de la scie à ruban',
      assignee_ids: [(await api<{ user: { id: string } }>('technician', 'GET', '/me')).user.id],
      checklist: [
        { label: 'Température du palier', kind: 'number', unit: '°C', max_value: 70 },
        { label: 'Tension de la lame', kind: 'number', unit: 'kN', min_value: 18, max_value: 24 },
        { label: 'Absence de bruit anormal', kind: 'pass_fail' },
      ],
    });
    const desk = await openPage(browser);
    current = desk;
    const { page } = desk;
    await logInAtWork(page, TECH.email, TECH.password);
    await page.goto(`${baseUrl}/work-orders/${source.id}`);
    await page.getByTestId('order-actions').getByRole('button', { name: 'Démarrer' }).click();
    const temperature = page.getByRole('textbox', { name: 'Température du palier' });
    await temperature.fill('82');
    await temperature.press('Enter');
    const item = page.getByTestId('checklist-item').filter({ hasText: 'Température du palier' });
    await item.getByText('Hors tolérance').waitFor();
    const tension = page.getByRole('textbox', { name: 'Tension de la lame' });
    await tension.fill('21');
    await tension.press('Enter');
    const tensionItem = page
      .getByTestId('checklist-item')
      .filter({ hasText: 'Tension de la lame' });
    await expect.poll(() => tensionItem.getAttribute('data-answered'), WAIT).toBe('true');
    const noise = page.getByTestId('checklist-item').filter({ hasText: 'Absence de bruit' });
    await segment(noise, 'Non conforme').click();
    await expect.poll(() => noise.getAttribute('data-answered'), WAIT).toBe('true');

    await page.getByTestId('order-actions').getByRole('button', { name: 'Terminer' }).click();
    let dialog = page.getByRole('dialog', { name: `Terminer le bon ${source.number}` });
    // Before completing: what was found, and that a follow-up will be proposed.
    const notice = dialog.getByTestId('findings-notice');
    await notice.getByText(/^2 relevés hors tolérance/).waitFor();
    await notice.getByText(/Au-dessus du maximum : 82 °C \(attendu ≤ 70 °C\)/).waitFor();
    await field(dialog, 'Travaux réalisés').fill('Contrôle fait ; palier chaud et bruyant.');
    await shot(page, 'complete-findings');
    await dialog.getByRole('button', { name: 'Terminer' }).click();

    // After completing: the prompt, with the follow-up prefilled from the findings.
    dialog = page.getByRole('dialog', { name: `Bon de suite de ${source.number}` });
    const prompt = dialog.getByTestId('follow-up-prompt');
    await prompt
      .getByText('2 constats hors tolérance — créer un bon de suite ?', { exact: true })
      .waitFor();
    await prompt.getByTestId('findings').getByText('Température du palier').waitFor();
    await prompt.getByTestId('findings').getByText('Absence de bruit anormal').waitFor();
    const title = await field(prompt, 'Titre').inputValue();
    expect(title.length).toBeGreaterThan(5);
    expect(await field(prompt, 'Description').inputValue()).toContain('Température du palier');
    await expect.poll(() => field(prompt, 'Priorité').inputValue(), WAIT).toBe('Haute');
    // A technician's follow-up waits for planning: no assignees to pick.
    await prompt.getByText(/^Le bon de suite sera ouvert/).waitFor();
    await shot(page, 'follow-up-prompt');
    await prompt.getByRole('button', { name: 'Créer le bon de suite' }).click();
    const created = dialog.getByTestId('follow-up-created');
    await created.getByText(/^Bon de suite BT-\d{4}-\d{5} créé$/).waitFor();
    await shot(page, 'follow-up-created');
    await created.getByRole('link', { name: /^Ouvrir BT-/ }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The follow-up names its source, which lists it back.
    await page.getByTestId('order-number').waitFor();
    const followUpNumber = (await page.getByTestId('order-number').textContent()) ?? '';
    expect(followUpNumber).not.toBe(source.number);
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByTestId('follow-up-of').getByText(`Suite de ${source.number}`).waitFor();
    await shot(page, 'follow-up-order');
    await page.getByRole('link', { name: `Suite de ${source.number}` }).click();
    await page.getByTestId('order-number').getByText(source.number).waitFor();
    const list = page.getByTestId('follow-ups');
    await list.getByRole('link', { name: followUpNumber }).waitFor();
    await list.getByText('À planifier').waitFor();
    await page
      .getByTestId('timeline')
      .locator('[data-kind="follow_up"]')
      .getByText('Bon de suite créé')
      .waitFor();
    // More may be raised from the page, by whoever may work on it.
    await page.getByRole('button', { name: 'Créer un bon de suite' }).click();
    const again = page.getByRole('dialog', { name: `Bon de suite de ${source.number}` });
    await expect.poll(() => field(again, 'Titre').inputValue(), WAIT).toBe(title);
    await shot(page, 'follow-up-dialog', true);
    await again.getByRole('button', { name: 'Annuler' }).click();
    await again.waitFor({ state: 'hidden' });
    await shot(page, 'follow-up-source', true);
    expectNoConsoleErrors(desk);
    await desk.context.close();

    // The same, from a phone.
    current = tech;
    const phone = tech.page;
    await phone.goto(`${baseUrl}/work-orders/${source.id}`);
    await phone.getByTestId('follow-ups').getByRole('link', { name: followUpNumber }).waitFor();
    await phone.getByRole('button', { name: 'Créer un bon de suite' }).click();
    const onPhone = phone.getByRole('dialog', { name: `Bon de suite de ${source.number}` });
    await expect.poll(() => field(onPhone, 'Titre').inputValue(), WAIT).toBe(title);
    await expectNoSidewaysScroll(phone);
    await shot(phone, 'follow-up-dialog-phone');
    await onPhone.getByRole('button', { name: 'Annuler' }).click();
    expectNoConsoleErrors(tech);
    await tech.context.close();
    await supervisor.context.close();
  });
});
