// Scheduled KPI reports on the demo company. The supervisor opens "Rapports programmés" (when
// empty, it says what they are for; the demo may seed "Indicateurs mensuels", left alone), is
// told to choose a recipient, then that an address is wrong, and schedules a monthly report to
// an outside address and a member who reads the indicators (a technician is offered greyed
// out); the list says "Le 1er de chaque mois à 07:00", two recipients, PDF, active, the next
// report on the 1st at 07:00 and the month it will cover. On its page the mail preview shows
// the figures (MTBF), the Excel preview downloads a workbook; "Envoyer maintenant" asks, then
// the log shows the delivery of last month, followed live until it leaves "En préparation",
// and the outside address gets its mail. Edited to 08:30, the page and the list say so; a
// second report of the same name is refused under the name; deleted, it leaves the list. On
// the dashboard, "Exporter" downloads the PDF of exactly the filters on screen, and a link
// leads here. On a phone nothing is wider than the screen. A technician has no such entry, the
// forbidden page at its address, and the API refuses them.
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  choose,
  DEMO_SUPERVISOR,
  DEMO_TECHNICIAN,
  DESKTOP,
  expectNoConsoleErrors,
  field,
  goTo,
  launch,
  mailsTo,
  nav,
  openLoggedIn,
  PHONE,
  segment,
  shot,
  tokenOf,
  type TrackedPage,
} from './helpers';

const baseUrl = inject('baseUrl');
const mailLog = inject('mailLog');

const NAME = 'Indicateurs du mois — Lyon';
const OUTSIDE = 'directeur.usine@example.com';
const MEMBER = 'Marc Lefèvre';
const TECHNICIAN = 'Karim Benali';
const SITE = 'Usine de Lyon';
/** Figures computed by the server (previews, reports) on a loaded machine. */
const COMPUTED = { timeout: 30_000 };
/** The worker prepares and mails a report a moment after "send now". */
const DELIVERED = { timeout: 20_000, interval: 500 };

let browser: Browser;
let supervisor: TrackedPage;
let current: TrackedPage | null = null;
let scheduleId = '';

beforeAll(async () => {
  browser = await launch();
});

afterTests(
  () => browser,
  () => current,
);

const openAs = async (email: string, options = DESKTOP) => {
  const tracked = await openLoggedIn(browser, baseUrl, email, options, (t) => (current = t));
  return tracked;
};

interface Schedule {
  id: string;
  name: string;
  time: string;
  time_zone: string;
  next_run_at: string;
  next_period_start: string;
  next_period_end: string;
}

async function schedules(): Promise<Schedule[]> {
  const token = await tokenOf(baseUrl, DEMO_SUPERVISOR);
  const list = await apiCall<{ items: Schedule[] }>(baseUrl, 'GET', '/report-schedules', {
    token,
  });
  expect(list.status).toBe(200);
  return list.body.items;
}

/** How the page writes an instant (`formatDateTime`), or a day of a zone, in French. */
function written(page: Page, iso: string, zone?: string): Promise<string> {
  return page.evaluate(
    ([instant, timeZone]) =>
      timeZone
        ? new Intl.DateTimeFormat('fr', { dateStyle: 'medium', timeZone }).format(
            new Date(instant ?? ''),
          )
        : new Intl.DateTimeFormat('fr', { dateStyle: 'medium', timeStyle: 'short' }).format(
            new Date(instant ?? ''),
          ),
    [iso, zone],
  );
}

/** The local day and time of an instant in a zone: `{ day, time }` ("1", "07:00"). */
function localParts(iso: string, zone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: part('day'), time: `${part('hour')}:${part('minute')}` };
}

const rowOf = (page: Page) => page.getByTestId('report-row').filter({ hasText: NAME });
const timeInput = (scope: Locator) => scope.getByLabel(/^Heure d’envoi/);

describe.sequential('scheduled reports', () => {
  it('the supervisor schedules a monthly report to an outside address and a member', async () => {
    supervisor = await openAs(DEMO_SUPERVISOR);
    const { page } = supervisor;
    const before = await schedules();
    // Reached from the indicators, which the sidebar keeps marked.
    await goTo(page, 'Indicateurs');
    await page.getByRole('link', { name: 'Programmer l’envoi par e-mail' }).click();
    await page.waitForURL(`${baseUrl}/reports`);
    await expect
      .poll(() =>
        nav(page)
          .getByRole('link', { name: 'Indicateurs', exact: true })
          .getAttribute('aria-current'),
      )
      .toBe('page');
    await page.getByRole('heading', { name: 'Rapports programmés', level: 1 }).waitFor();
    if (before.length === 0) {
      await page.getByRole('heading', { name: 'Aucun rapport programmé' }).waitFor();
      await page.getByText('au directeur d’usine chaque 1er du mois').waitFor();
      await shot(page, 'reports-empty');
    }

    await page.getByRole('button', { name: 'Programmer un rapport' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Programmer un rapport' });
    await field(dialog, 'Nom').fill(NAME);
    await segment(dialog, 'Chaque mois').click();
    await choose(dialog, page, 'Jour du mois', /^1er$/);
    expect(await timeInput(dialog).inputValue()).toBe('07:00');
    // Nobody to send it to: said under the recipients.
    await dialog.getByRole('button', { name: 'Programmer', exact: true }).click();
    await dialog.getByText('Choisissez au moins un membre ou une adresse.').waitFor();

    // A wrong address, said under the addresses, then replaced.
    const emails = field(dialog, 'Adresses extérieures');
    await emails.fill('directeur@usine');
    await emails.press('Enter');
    await dialog.getByRole('button', { name: 'Programmer', exact: true }).click();
    await dialog.getByText('« directeur@usine » n’est pas une adresse e-mail valide.').waitFor();
    await emails.press('Backspace');
    await emails.fill(OUTSIDE);
    await emails.press('Enter');

    // Members: those who read the indicators; a technician is offered greyed out.
    await field(dialog, 'Membres').click();
    const technician = page.getByRole('option', { name: new RegExp(TECHNICIAN) });
    await technician.waitFor();
    expect(await technician.getAttribute('aria-disabled')).toBe('true');
    await choose(dialog, page, 'Membres', MEMBER, 'Marc');
    await choose(dialog, page, 'Site', SITE);
    // Every indicator by default, a PDF in French.
    expect(await dialog.getByRole('checkbox', { name: 'MTBF' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Demandes' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('radio', { name: 'PDF' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('radio', { name: 'Français' }).isChecked()).toBe(true);
    await shot(page, 'report-form');
    await dialog.getByRole('button', { name: 'Programmer', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = rowOf(page);
    await row.waitFor();
    const saved = (await schedules()).find((s) => s.name === NAME);
    expect(saved).toBeDefined();
    if (!saved) return;
    scheduleId = saved.id;
    // No zone chosen: the first site's, Lyon's.
    expect(saved.time_zone).toBe('Europe/Paris');
    expect(localParts(saved.next_run_at, saved.time_zone)).toEqual({ day: '1', time: '07:00' });
    expect(await row.getByTestId('report-when').textContent()).toBe(
      'Le 1er de chaque mois à 07:00',
    );
    await row.getByText('2 destinataires', { exact: true }).waitFor();
    await row.getByText('PDF', { exact: true }).waitFor();
    await row.getByText('Actif', { exact: true }).waitFor();
    expect(await row.getByTestId('next-run').textContent()).toBe(
      await written(page, saved.next_run_at),
    );
    // The month before the next report, read in Paris.
    const lastDay = new Date(new Date(saved.next_period_end).getTime() - 1).toISOString();
    expect(await row.getByTestId('next-period').textContent()).toBe(
      `Couvrira du ${await written(page, saved.next_period_start, saved.time_zone)} au ${await written(page, lastDay, saved.time_zone)}`,
    );
    await shot(page, 'reports');
    expectNoConsoleErrors(supervisor);
  });

  it('previews the mail, sends the report now and follows its delivery in the log', async () => {
    current = supervisor;
    const { page } = supervisor;
    await rowOf(page).getByRole('button', { name: NAME, exact: true }).click();
    await page.waitForURL(`${baseUrl}/reports/${scheduleId}`);
    await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await page.getByTestId('report-recipients').getByText(MEMBER).waitFor();
    await page.getByTestId('report-recipients').getByText(OUTSIDE).waitFor();
    await page.getByRole('heading', { name: 'Aucun envoi pour l’instant' }).waitFor();

    // The mail, as the server writes it, in a sandboxed frame.
    await page.getByRole('button', { name: 'Aperçu' }).click();
    await page.getByRole('menuitem', { name: 'Le mail' }).click();
    const preview = page.getByRole('dialog', { name: `Aperçu du mail — ${NAME}` });
    await preview.waitFor();
    const frame = page.frameLocator('[data-testid="mail-preview"]');
    await frame.getByText('MTBF').first().waitFor(COMPUTED);
    expect(await page.getByTestId('mail-preview').getAttribute('sandbox')).toBe('');
    await shot(page, 'report-mail-preview');
    await page.keyboard.press('Escape');
    await preview.waitFor({ state: 'hidden' });

    // The workbook the recipients would get, downloaded under the server's name.
    const workbook = page.waitForEvent('download', COMPUTED);
    await page.getByRole('button', { name: 'Aperçu' }).click();
    await page.getByRole('menuitem', { name: 'Rapport Excel' }).click();
    expect((await workbook).suggestedFilename()).toMatch(/\.xlsx$/);

    // Send now: asked first, then on its way.
    await page.getByRole('button', { name: 'Envoyer maintenant' }).click();
    const confirm = page.getByRole('dialog', { name: `Envoyer « ${NAME} » maintenant ?` });
    await confirm.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText(`Envoi de « ${NAME} » lancé`).waitFor();
    const delivery = page.getByTestId('delivery').first();
    await delivery.waitFor();
    await delivery.getByText('À la demande', { exact: false }).waitFor();
    // Last month, read in Paris.
    const now = new Date();
    const firstOfLast = new Date(now.getFullYear(), now.getMonth() - 1, 1, 12);
    const lastOfLast = new Date(now.getFullYear(), now.getMonth(), 0, 12);
    expect(await delivery.getByTestId('delivery-period').textContent()).toBe(
      `du ${await written(page, firstOfLast.toISOString(), 'Europe/Paris')} au ${await written(page, lastOfLast.toISOString(), 'Europe/Paris')}`,
    );
    // The worker prepares it, then mails it: the log follows by itself.
    await expect.poll(() => delivery.getAttribute('data-outcome'), DELIVERED).not.toBe('preparing');
    const outcome = await delivery.getAttribute('data-outcome');
    expect(['sending', 'sent', 'no_recipients']).toContain(outcome);
    if (outcome !== 'no_recipients') {
      await delivery.getByTestId('delivery-mail').filter({ hasText: OUTSIDE }).waitFor();
      await expect.poll(() => delivery.getAttribute('data-outcome'), DELIVERED).toBe('sent');
      await expect.poll(() => mailsTo(mailLog, OUTSIDE).length, DELIVERED).toBeGreaterThan(0);
      await delivery
        .getByTestId('delivery-mail')
        .filter({ hasText: OUTSIDE })
        .getByText('Envoyé', { exact: true })
        .waitFor();
    }
    await shot(page, 'report-log', true);
    expectNoConsoleErrors(supervisor);
  });

  it('edits the time: the page and the list say it', async () => {
    current = supervisor;
    const { page } = supervisor;
    await page.getByRole('button', { name: `Actions pour « ${NAME} »` }).click();
    await page.getByRole('menuitem', { name: 'Modifier' }).click();
    const edit = page.getByRole('dialog', { name: `Modifier « ${NAME} »` });
    await expect.poll(() => field(edit, 'Nom').inputValue()).toBe(NAME);
    expect(await field(edit, 'Adresses extérieures').count()).toBe(1);
    await edit.getByText(OUTSIDE).waitFor();
    await timeInput(edit).fill('08:30');
    await edit.getByRole('button', { name: 'Enregistrer' }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.getByTestId('report-when').textContent())
      .toBe('Le 1er de chaque mois à 08:30 (Europe/Paris)');
    const saved = (await schedules()).find((s) => s.id === scheduleId);
    expect(saved?.time).toBe('08:30');
    if (saved) {
      expect(localParts(saved.next_run_at, saved.time_zone)).toEqual({ day: '1', time: '08:30' });
    }
    await page.getByRole('link', { name: 'Rapports programmés' }).first().click();
    await page.waitForURL(`${baseUrl}/reports`);
    await expect
      .poll(() => rowOf(page).getByTestId('report-when').textContent())
      .toBe('Le 1er de chaque mois à 08:30');
    expectNoConsoleErrors(supervisor);
  });

  it('refuses a second report of the same name, under the name', async () => {
    current = supervisor;
    const { page } = supervisor;
    await page.getByRole('button', { name: 'Programmer un rapport' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Programmer un rapport' });
    await field(dialog, 'Nom').fill(NAME);
    await segment(dialog, 'Chaque semaine').click();
    await choose(dialog, page, 'Jour de la semaine', 'vendredi');
    const emails = field(dialog, 'Adresses extérieures');
    await emails.fill('qualite@example.com');
    await emails.press('Enter');
    await dialog.getByRole('button', { name: 'Programmer', exact: true }).click();
    await dialog.getByText('Ce nom est déjà utilisé.').waitFor();
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await schedules()).filter((s) => s.name === NAME)).toHaveLength(1);
    expectNoConsoleErrors(supervisor);
  });

  it('reads on a phone: cards, nothing wider than the screen', async () => {
    const phone = await openAs(DEMO_SUPERVISOR, PHONE);
    const { page } = phone;
    await page.goto(`${baseUrl}/reports`);
    const card = page.getByTestId('report-card').filter({ hasText: NAME });
    await card.waitFor();
    await card.getByText('Le 1er de chaque mois à 08:30').waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    await shot(page, 'reports-phone');
    await card.getByRole('button', { name: NAME, exact: true }).click();
    await page.getByTestId('delivery-log').waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    await shot(page, 'report-phone', true);
    expectNoConsoleErrors(phone);
    await phone.context.close();
  });

  it('deletes it after asking', async () => {
    current = supervisor;
    const { page } = supervisor;
    await page.goto(`${baseUrl}/reports`);
    await rowOf(page)
      .getByRole('button', { name: `Actions pour « ${NAME} »` })
      .click();
    await page.getByRole('menuitem', { name: 'Supprimer' }).click();
    const confirm = page.getByRole('dialog', { name: 'Supprimer ce rapport programmé ?' });
    await confirm.getByRole('button', { name: 'Supprimer', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText(`Rapport « ${NAME} » supprimé.`).waitFor();
    await expect.poll(() => rowOf(page).count()).toBe(0);
    expect((await schedules()).some((s) => s.id === scheduleId)).toBe(false);
    expectNoConsoleErrors(supervisor);
  });

  it('exports the dashboard on screen as a PDF, and leads to the scheduled reports', async () => {
    current = supervisor;
    const { page } = supervisor;
    const shown = page.waitForResponse(
      (r) => r.url().includes('/api/v1/kpis?') && r.url().includes('criticality=high') && r.ok(),
    );
    await page.goto(`${baseUrl}/kpis?period=last_month&criticality=high`);
    const dashboard = new URL((await shown).url()).searchParams;
    await page.getByRole('link', { name: 'Programmer l’envoi par e-mail' }).waitFor();

    const asked = page.waitForRequest((r) => r.url().includes('/api/v1/kpis/export?'));
    const download = page.waitForEvent('download', COMPUTED);
    await page.getByRole('button', { name: 'Exporter' }).click();
    await page.getByRole('menuitem', { name: 'Classeur Excel' }).waitFor();
    await shot(page, 'kpis-export');
    await page.getByRole('menuitem', { name: 'Rapport PDF' }).click();
    const exported = new URL((await asked).url()).searchParams;
    expect(exported.get('format')).toBe('pdf');
    expect(exported.get('language')).toBe('fr');
    // Exactly the dashboard's query.
    for (const key of ['from', 'to', 'group_by', 'criticality']) {
      expect(exported.get(key), key).toBe(dashboard.get(key));
    }
    expect(exported.has('site_id')).toBe(false);
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.pdf$/);

    await page.getByRole('link', { name: 'Programmer l’envoi par e-mail' }).click();
    await page.waitForURL(`${baseUrl}/reports`);
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });

  it('is neither offered nor open to a technician', async () => {
    const technician = await openAs(DEMO_TECHNICIAN);
    const { page } = technician;
    await nav(page).getByRole('link', { name: 'Accueil', exact: true }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Rapports programmés' }).count()).toBe(0);
    await page.goto(`${baseUrl}/reports`);
    await page.getByRole('heading', { name: 'Accès réservé' }).waitFor();
    const refused = await apiCall(baseUrl, 'GET', '/report-schedules', {
      token: await tokenOf(baseUrl, DEMO_TECHNICIAN),
    });
    expect(refused.status).toBe(403);
    expectNoConsoleErrors(technician);
    await technician.context.close();
  });
});
