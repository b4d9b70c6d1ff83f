// The public request portal on the demo company, whose site LYON opened it. Someone without an
// account scans a machine's QR code with a phone: company, site and machine are named; an empty
// title is refused inline; a report with production stopped, a photo, a name and a telephone gets
// its number, and the form starts again for another problem. A machine of a closed site, an
// unknown company or no machine at all: one neutral message. In English on a desktop: a file that
// is no photo is refused before sending, a fake photo by the server, and once this connection has
// sent too many reports it is told how long to wait. A supervisor finds the report in the inbox
// marked anonymous with the reporter's name and telephone (the portal still works for them,
// without their token); an administrator closes the site's portal and opens it again, which the
// site list, the portal and the equipment's QR panel follow. Screenshots at phone and desktop
// sizes.
import type { Browser, Locator, Page, Request } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  DEMO_ADMIN,
  DEMO_SUPERVISOR,
  DESKTOP,
  expectNoConsoleErrors,
  fieldOf,
  launch,
  openLoggedIn,
  openPage,
  PHONE,
  pngPhoto,
  shot,
  tokenOf,
  type TrackedPage,
} from './helpers';

const baseUrl = inject('baseUrl');

const COMPANY = 'Démo Industries';
/** A machine of LYON that no other test touches (the report stops it). */
const MACHINE = { code: 'CONV-ASM-01', name: 'Convoyeur à rouleaux', site: 'Usine de Lyon' };
const TITLE = 'Le convoyeur s’arrête tout seul';
const REPORTER = 'Léa Martin (intérim)';
const CONTACT = '06 12 34 56 78';
/** The titles of the reports that use up this connection's budget. */
const BUDGET_CHECK = 'Budget check';

let browser: Browser;
let current: TrackedPage | null = null;
let machineId = '';
let closedMachineId = '';
let requestNumber = '';

const portalUrl = (id: string, company = 'demo') => `${baseUrl}/portal/${company}/equipment/${id}`;

/** A report sent as another phone on this connection would (multipart, no token). */
async function reportDirectly(title: string): Promise<number> {
  const form = new FormData();
  form.append('title', title);
  const response = await fetch(`${baseUrl}/api/v1/portal/demo/equipment/${machineId}/requests`, {
    method: 'POST',
    body: form,
  });
  await response.body?.cancel();
  return response.status;
}

const field = fieldOf('textbox');

/** Picks files through the browser's file chooser opened by a button. */
async function pickFiles(
  page: Page,
  button: Locator,
  files: Array<{ name: string; mimeType: string; buffer: Buffer }>,
) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button.click()]);
  await chooser.setFiles(files);
}

/** Every call the page makes to the portal's API, to see what it carries. */
function portalCalls(page: Page): Request[] {
  const calls: Request[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/v1/portal/')) calls.push(request);
  });
  return calls;
}

const openAs = (email: string, options = DESKTOP) =>
  openLoggedIn(browser, baseUrl, email, options, (tracked) => (current = tracked));

beforeAll(async () => {
  browser = await launch();
  const admin = await tokenOf(baseUrl, DEMO_ADMIN);
  const sites = await apiCall<{
    items: Array<{ id: string; code: string; public_requests: boolean }>;
  }>(baseUrl, 'GET', '/sites?per_page=50', { token: admin });
  const lyon = sites.body.items.find((s) => s.code === 'LYON');
  const montreal = sites.body.items.find((s) => s.code === 'MTL');
  // The demo opens the portal on LYON only.
  expect(lyon?.public_requests).toBe(true);
  expect(montreal?.public_requests).toBe(false);
  const machines = await apiCall<{ items: Array<{ id: string; code: string }> }>(
    baseUrl,
    'GET',
    `/equipment?q=${MACHINE.code}`,
    { token: admin },
  );
  machineId = machines.body.items.find((e) => e.code === MACHINE.code)?.id ?? '';
  expect(machineId).not.toBe('');
  const closed = await apiCall<{ items: Array<{ id: string }> }>(
    baseUrl,
    'GET',
    `/equipment?site_id=${montreal?.id ?? ''}&per_page=1`,
    { token: admin },
  );
  closedMachineId = closed.body.items[0]?.id ?? '';
  expect(closedMachineId).not.toBe('');
});

afterTests(
  () => browser,
  () => current,
);

describe('the public request portal', () => {
  it('someone without an account reports a failure from a phone and gets its number', async () => {
    const visitor = await openPage(browser, PHONE);
    current = visitor;
    const { page } = visitor;
    const calls = portalCalls(page);
    await page.goto(portalUrl(machineId));

    const machine = page.getByTestId('portal-equipment');
    await machine.getByText(MACHINE.name).waitFor();
    await machine.getByText(COMPANY).waitFor();
    await machine.getByText(MACHINE.code).waitFor();
    await machine.getByText(MACHINE.site).waitFor();
    await page.getByRole('heading', { name: 'Signaler une panne' }).waitFor();
    // The camera is offered on phones.
    expect(await page.locator('input[type="file"][capture="environment"]').count()).toBe(1);
    await shot(page, 'portal-phone');

    // Nothing typed: refused on the spot, nothing sent.
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByText('Ce champ est obligatoire.').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
    expect(calls.filter((c) => c.method() === 'POST')).toEqual([]);

    await field(page, 'Que se passe-t-il ?').fill(TITLE);
    await field(page, 'Détails').fill('Il repart après une minute, puis s’arrête encore.');
    await page.getByRole('switch', { name: 'La production est arrêtée' }).check();
    await pickFiles(page, page.getByRole('button', { name: 'Prendre une photo' }), [
      { name: 'convoyeur.png', mimeType: 'image/png', buffer: pngPhoto(64, [40, 110, 200]) },
    ]);
    await page.getByTestId('local-photo').getByRole('img', { name: 'convoyeur.png' }).waitFor();
    await field(page, 'Votre nom').fill(REPORTER);
    await field(page, 'Téléphone ou e-mail').fill(CONTACT);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'portal-phone-filled', true);

    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    const receipt = page.getByTestId('portal-receipt');
    await receipt.waitFor();
    requestNumber = (await receipt.getByTestId('request-number').textContent()) ?? '';
    expect(requestNumber).toMatch(/^DI-\d{4}-\d{5}$/);
    await receipt.getByText('Vous avez signalé que la production est arrêtée.').waitFor();
    await receipt.getByText('Photo jointe.').waitFor();
    await shot(page, 'portal-phone-receipt');

    // No account, no session: no token sent, none refreshed.
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const call of calls) expect(await call.headerValue('authorization')).toBeNull();
    expect(visitor.refreshes).toBe(0);

    // Another problem: the form again, empty.
    await page.getByRole('button', { name: 'Signaler un autre problème' }).click();
    await expect.poll(() => field(page, 'Que se passe-t-il ?').inputValue()).toBe('');
    expect(await page.getByTestId('local-photo').count()).toBe(0);
    expectNoConsoleErrors(visitor);
    await visitor.context.close();

    // The request as the company sees it: anonymous, with what its author gave and the photo.
    const supervisor = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const found = await apiCall<{
      items: Array<{
        id: string;
        number: string;
        anonymous: boolean;
        requested_by?: string | null;
        reporter_name?: string | null;
        reporter_contact?: string | null;
        production_stopped: boolean;
        urgency: string;
      }>;
    }>(baseUrl, 'GET', `/requests?q=${encodeURIComponent(requestNumber)}`, { token: supervisor });
    const request = found.body.items.find((r) => r.number === requestNumber);
    expect(request).toMatchObject({
      anonymous: true,
      reporter_name: REPORTER,
      reporter_contact: CONTACT,
      production_stopped: true,
    });
    expect(request?.requested_by ?? null).toBeNull();
    const photos = await apiCall<{ items: Array<{ content_type: string }> }>(
      baseUrl,
      'GET',
      `/requests/${request?.id ?? ''}/attachments`,
      { token: supervisor },
    );
    expect(photos.body.items.map((p) => p.content_type)).toEqual(['image/png']);
  });

  it('a closed site, an unknown company or no machine: one neutral message', async () => {
    const visitor = await openPage(browser, PHONE);
    current = visitor;
    const { page } = visitor;
    for (const url of [
      portalUrl(closedMachineId),
      portalUrl(machineId, 'no-such-company'),
      portalUrl('not-a-machine'),
    ]) {
      await page.goto(url);
      const unavailable = page.getByTestId('portal-unavailable');
      await unavailable.getByRole('heading', { name: 'Signalement indisponible' }).waitFor();
      await unavailable.getByText(/^Ce QR code ne mène à aucun formulaire ouvert/).waitFor();
      expect(await page.getByTestId('portal-equipment').count()).toBe(0);
      if (url === portalUrl(closedMachineId)) await shot(page, 'portal-phone-unavailable');
    }
    expectNoConsoleErrors(visitor);
    await visitor.context.close();
  });

  it('in English on a desktop: photos refused before and by the server, then a throttle', async () => {
    const visitor = await openPage(browser, DESKTOP);
    current = visitor;
    const { page } = visitor;
    await page.goto(portalUrl(machineId));
    await page.getByTestId('portal-equipment').getByText(MACHINE.name).waitFor();
    await page
      .locator('label')
      .filter({ hasText: /^English$/ })
      .click();
    await page.getByRole('heading', { name: 'Report a failure' }).waitFor();
    await shot(page, 'portal-desktop');

    // A file that is no photo: refused before anything is sent.
    await pickFiles(page, page.getByRole('button', { name: 'Choose a photo' }), [
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') },
    ]);
    await page
      .getByTestId('portal-photo-error')
      .getByText(/^Only photos \(JPEG, PNG, WebP, HEIF…\) and PDFs are accepted/)
      .waitFor();
    expect(await page.getByTestId('local-photo').count()).toBe(0);

    // Named and typed as a photo, but not one: the server refuses it (415), the text stays.
    await pickFiles(page, page.getByRole('button', { name: 'Choose a photo' }), [
      { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') },
    ]);
    await page.getByTestId('local-photo').waitFor();
    expect(await page.getByTestId('portal-photo-error').count()).toBe(0);
    await field(page, 'What is going on?').fill('Strange smell near the motor');
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page
      .getByTestId('portal-photo-error')
      .getByText(/^Only photos \(JPEG, PNG, WebP, HEIF…\) and PDFs are accepted/)
      .waitFor();
    expect(await field(page, 'What is going on?').inputValue()).toBe(
      'Strange smell near the motor',
    );
    expect(await page.getByTestId('portal-receipt').count()).toBe(0);

    // Other phones of this connection use up its budget (five reports an hour by default,
    // `[limits] portal_requests_per_address`; the ones above count too)…
    let status = 0;
    for (let sent = 0; sent < 10 && status !== 429; sent += 1) {
      status = await reportDirectly(`${BUDGET_CHECK} ${sent + 1}`);
      expect([201, 429]).toContain(status);
    }
    expect(status).toBe(429);
    // …so this one is told to wait, in minutes.
    await page.getByRole('button', { name: `Remove photo fake.png` }).click();
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Too many reports from this connection\. Try again in \d+ minutes?\.$/)
      .waitFor();
    expect(await page.getByTestId('portal-receipt').count()).toBe(0);
    await shot(page, 'portal-desktop-throttled');
    expectNoConsoleErrors(visitor);
    await visitor.context.close();

    // The budget's test reports leave the demo's inbox as they found it.
    const supervisor = await tokenOf(baseUrl, DEMO_SUPERVISOR);
    const checks = await apiCall<{ items: Array<{ id: string; title: string }> }>(
      baseUrl,
      'GET',
      `/requests?status=submitted&q=${encodeURIComponent(BUDGET_CHECK)}`,
      { token: supervisor },
    );
    for (const check of checks.body.items.filter((r) => r.title.startsWith(BUDGET_CHECK))) {
      const rejected = await apiCall(baseUrl, 'POST', `/requests/${check.id}/reject`, {
        token: supervisor,
        body: { reason: 'Essai de la limite du portail.' },
      });
      expect(rejected.status).toBe(200);
    }
  });

  it('a supervisor finds the report in the inbox, anonymous with its reporter', async () => {
    const supervisor = await openAs(DEMO_SUPERVISOR);
    const { page } = supervisor;
    await page.goto(`${baseUrl}/requests/inbox?order=newest`);
    const card = page.getByTestId('inbox-request').filter({ hasText: requestNumber });
    await card.getByText(TITLE).waitFor();
    await card.getByTestId('anonymous-badge').getByText('Anonyme (portail)').waitFor();
    const reporter = card.getByTestId('request-reporter');
    await reporter.getByText(REPORTER).waitFor();
    expect(await reporter.getByRole('link', { name: CONTACT }).getAttribute('href')).toBe(
      'tel:0612345678',
    );
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'portal-inbox');

    await card.getByRole('link', { name: requestNumber }).click();
    await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: TITLE }).waitFor();
    await page.getByTestId('anonymous-badge').waitFor();
    await page.getByTestId('request-reporter').getByText(REPORTER).waitFor();
    await page.getByTestId('attachment').first().waitFor();
    await shot(page, 'portal-request-detail');

    // Logged in, the portal works the same, and its calls carry no token.
    const calls = portalCalls(page);
    await page.goto(portalUrl(machineId));
    await page.getByTestId('portal-equipment').getByText(MACHINE.name).waitFor();
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const call of calls) expect(await call.headerValue('authorization')).toBeNull();
    expectNoConsoleErrors(supervisor);
    await supervisor.context.close();
  });

  it('an administrator closes the site’s portal and opens it again', async () => {
    const admin = await openAs(DEMO_ADMIN);
    const { page } = admin;
    const portalAnswer = async () =>
      (await apiCall(baseUrl, 'GET', `/portal/demo/equipment/${machineId}`)).status;
    const qrLine = async () => {
      await page.goto(`${baseUrl}/equipment/${machineId}?tab=qr`);
      return (await page.getByTestId('qr-portal').textContent()) ?? '';
    };
    expect(await qrLine()).toMatch(/^Le portail public de ce site est ouvert/);
    await page
      .getByRole('link', { name: `${baseUrl}/portal/demo/equipment/${machineId}` })
      .waitFor();
    await shot(page, 'portal-equipment-qr');

    await page.goto(`${baseUrl}/sites`);
    const row = page.locator('.tree-row').filter({ hasText: MACHINE.site });
    await row.getByTestId('site-portal-badge').waitFor();

    const setPortal = async (open: boolean) => {
      await row.getByRole('button', { name: `Modifier ${MACHINE.site}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Modifier le site' });
      const toggle = dialog.getByRole('switch', { name: 'Portail public de demandes' });
      await toggle.waitFor();
      expect(await toggle.isChecked()).toBe(!open);
      await dialog.getByText(/^Quiconque scanne le QR code/).waitFor();
      if (!open) await shot(page, 'portal-site-form');
      await toggle.setChecked(open);
      await dialog.getByRole('button', { name: 'Enregistrer' }).click();
      await dialog.waitFor({ state: 'hidden' });
    };

    await setPortal(false);
    await expect.poll(() => row.getByTestId('site-portal-badge').count()).toBe(0);
    expect(await portalAnswer()).toBe(404);
    expect(await qrLine()).toMatch(/^Le portail public de ce site est fermé/);
    await page.getByRole('link', { name: `${baseUrl}/equipment/${machineId}/request` }).waitFor();

    await page.goto(`${baseUrl}/sites`);
    await setPortal(true);
    await row.getByTestId('site-portal-badge').waitFor();
    await shot(page, 'portal-sites');
    expect(await portalAnswer()).toBe(200);
    expect(await qrLine()).toMatch(/^Le portail public de ce site est ouvert/);
    expectNoConsoleErrors(admin);
    await admin.context.close();
  });
});
