// The maintenance cycle end to end, against the real server: an administrator registers the
// equipment and the team; an operator reports a failure from a phone, with a photo; a supervisor
// approves it from the inbox and adds a checklist item; a technician does the work on a phone;
// the supervisor closes it; the operator sees it closed. Screenshots of every new page.
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  choose,
  expectNoConsoleErrors,
  field,
  goTo,
  launch,
  logIn,
  nav,
  openPage,
  PHONE,
  pngPhoto,
  segment,
  shot,
  signUp,
  tokenOf,
  type TrackedPage,
} from './helpers';

const baseUrl = inject('baseUrl');

const ADMIN = {
  company: 'Laiterie des Alpes',
  slug: 'laiterie-des-alpes',
  name: 'Claire Dubois',
  email: 'claire.dubois@laiterie.test',
  password: 'Fromage-2026-alpage',
};
const SUPERVISOR = {
  name: 'Marc Lefèvre',
  email: 'marc.lefevre@laiterie.test',
  password: 'Superviseur-88-lait',
};
const TECH = {
  name: 'Inès Moreau',
  email: 'ines.moreau@laiterie.test',
  password: 'Clé-de-12-tournevis',
};
const OPERATOR = {
  name: 'Paul Girard',
  email: 'paul.girard@laiterie.test',
  password: 'Opérateur-77-ligne',
};

let browser: Browser;
let admin: TrackedPage;
let supervisor: TrackedPage;
let operator: TrackedPage;
let current: TrackedPage | null = null;
let equipmentId = '';
let requestNumber = '';
let orderId = '';
let orderNumber = '';

beforeAll(async () => {
  browser = await launch();
  await signUp(baseUrl, ADMIN);
});

afterTests(
  () => browser,
  () => current,
);

/** Picks files through the browser's file chooser opened by a button. */
async function pickFiles(
  page: Page,
  button: Locator,
  files: Array<{ name: string; buffer: Buffer }>,
) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button.click()]);
  await chooser.setFiles(files.map((f) => ({ ...f, mimeType: 'image/png' })));
}

/**
 * Adds a member with an initial password (the team is on the shop floor, without mailboxes),
 * then, as that person would at their first login, replaces it with their own.
 */
async function addMember(page: Page, person: typeof SUPERVISOR, role: string) {
  const initial = `Provisoire-${person.password}`;
  await page.getByRole('button', { name: 'Ajouter un membre' }).click();
  const dialog = page.getByRole('dialog', { name: 'Ajouter un membre' });
  await field(dialog, 'Adresse e-mail').fill(person.email);
  await field(dialog, 'Nom complet').fill(person.name);
  await dialog
    .getByRole('checkbox', {
      name: 'Compte sans boîte mail (atelier) : définir un mot de passe initial',
    })
    .check();
  await field(dialog, 'Mot de passe initial').fill(initial);
  await choose(dialog, page, 'Rôle', role);
  await dialog.getByRole('button', { name: 'Créer le compte' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByTestId('member-row').filter({ hasText: person.email }).waitFor();
  const token = await tokenOf(baseUrl, person.email, initial);
  const changed = await apiCall(baseUrl, 'POST', '/me/password', {
    token,
    body: { current_password: initial, new_password: person.password },
  });
  expect(changed.status).toBe(204);
}

describe.sequential('the maintenance cycle', () => {
  it('the administrator registers the plant, the equipment and the team', async () => {
    admin = await openPage(browser);
    current = admin;
    const { page } = admin;
    await logIn(page, baseUrl, ADMIN.email, ADMIN.password);

    // Site, plant and line.
    await goTo(page, 'Sites et installations');
    await page.getByRole('button', { name: 'Créer le premier site' }).click();
    let dialog = page.getByRole('dialog', { name: 'Nouveau site' });
    await field(dialog, 'Code').fill('ANNECY');
    await field(dialog, 'Nom').fill('Usine d’Annecy');
    await dialog.getByRole('button', { name: 'Créer le site' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Ajouter une usine à Usine d’Annecy' }).click();
    dialog = page.getByRole('dialog', { name: 'Nouvelle usine' });
    await field(dialog, 'Code').fill('CONDI');
    await field(dialog, 'Nom').fill('Atelier conditionnement');
    await dialog.getByRole('button', { name: "Créer l'usine" }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Ajouter une ligne à Atelier conditionnement' }).click();
    dialog = page.getByRole('dialog', { name: 'Nouvelle ligne de production' });
    await field(dialog, 'Code').fill('L2');
    await field(dialog, 'Nom').fill('Ligne yaourts');
    await dialog.getByRole('button', { name: 'Créer la ligne' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The equipment, located in the tree (the line wins), with free specifications.
    await goTo(page, 'Équipements');
    await page.getByText('Aucun équipement pour l’instant').waitFor();
    await page.getByRole('link', { name: 'Nouvel équipement' }).first().click();
    await page.getByRole('heading', { name: 'Nouvel équipement' }).waitFor();
    await field(page, 'Code').fill('rempl-01');
    await field(page, 'Nom').fill('Remplisseuse de pots Erca');
    await field(page, 'Catégorie').fill('Remplisseuse');
    await choose(page, page, 'Criticité', 'Critique');
    await choose(page, page, 'Site', 'Usine d’Annecy');
    await choose(page, page, 'Usine', 'Atelier conditionnement');
    await choose(page, page, 'Ligne de production', 'Ligne yaourts');
    await field(page, 'Fabricant').fill('Erca');
    await field(page, 'Numéro de série').fill('ERC-4471');
    await page.getByRole('button', { name: 'Ajouter une caractéristique' }).click();
    await field(page, 'Caractéristique 1').fill('cadence_pots_h');
    await field(page, 'Valeur 1').fill('12000');
    await page.getByRole('button', { name: 'Ajouter une caractéristique' }).click();
    await field(page, 'Caractéristique 2').fill('tension');
    await field(page, 'Valeur 2').fill('400 V');
    await shot(page, 'equipment-form', true);
    await page.getByRole('button', { name: "Créer l'équipement" }).click();
    await page.getByRole('heading', { name: 'Remplisseuse de pots Erca' }).waitFor();
    equipmentId = /\/equipment\/([0-9a-f-]+)$/.exec(page.url())?.[1] ?? '';
    expect(equipmentId).not.toBe('');
    await page
      .getByText('Usine d’Annecy › Atelier conditionnement › Ligne yaourts')
      .first()
      .waitFor();
    await page.getByTestId('specifications').getByText('12000').waitFor();
    await expect
      .poll(() => page.getByTestId('equipment-status').first().getAttribute('data-status'))
      .toBe('active');
    await shot(page, 'equipment-detail');

    // A meter and its readings; a cumulative meter refuses to go down, naming the previous value.
    await page.getByRole('tab', { name: 'Compteurs' }).click();
    await page.getByRole('button', { name: 'Ajouter un compteur' }).click();
    dialog = page.getByRole('dialog', { name: 'Ajouter un compteur' });
    await field(dialog, 'Nom').fill('Heures de marche');
    await field(dialog, 'Unité').fill('h');
    await dialog.getByRole('button', { name: 'Ajouter un compteur' }).click();
    await dialog.waitFor({ state: 'hidden' });
    for (const value of ['1200', '1500']) {
      await page.getByRole('button', { name: 'Saisir un relevé' }).click();
      dialog = page.getByRole('dialog', { name: 'Relevé : Heures de marche' });
      await field(dialog, 'Valeur').fill(value);
      await dialog.getByRole('button', { name: 'Saisir un relevé' }).click();
      await dialog.waitFor({ state: 'hidden' });
    }
    await page.getByTestId('meter-chart').waitFor();
    await page.getByRole('button', { name: 'Saisir un relevé' }).click();
    dialog = page.getByRole('dialog', { name: 'Relevé : Heures de marche' });
    await field(dialog, 'Valeur').fill('1400');
    await dialog.getByRole('button', { name: 'Saisir un relevé' }).click();
    await dialog.getByText(/^Inférieur au relevé précédent \(1\s500 le /).waitFor();
    await shot(page, 'equipment-meter-refused');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await expect.poll(() => page.getByTestId('readings').getByRole('row').count()).toBe(3);
    await shot(page, 'equipment-meters');

    // A document: a photo, shown as a thumbnail.
    await page.getByRole('tab', { name: 'Documents' }).click();
    await pickFiles(page, page.getByRole('button', { name: 'Ajouter des fichiers' }), [
      { name: 'plaque-signaletique.png', buffer: pngPhoto(64, [40, 90, 200]) },
    ]);
    await page.getByTestId('attachment').locator('img[alt="plaque-signaletique.png"]').waitFor();
    await shot(page, 'equipment-documents');

    // The QR code opens the request form of this equipment; its PNG downloads.
    await page.getByRole('tab', { name: 'QR code' }).click();
    await page.getByTestId('qr-code').waitFor();
    await page.getByText(`${baseUrl}/equipment/${equipmentId}/request`).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger en PNG' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('QR-REMPL-01.png');
    await shot(page, 'equipment-qr');

    // The team.
    await goTo(page, 'Utilisateurs');
    await addMember(page, SUPERVISOR, 'Responsable GMAO');
    await addMember(page, TECH, 'Technicien');
    await addMember(page, OPERATOR, 'Opérateur');

    await goTo(page, 'Équipements');
    await expect.poll(() => page.getByTestId('equipment-row').count()).toBe(1);
    await shot(page, 'equipment-list');
    expectNoConsoleErrors(admin);
  });

  it('the operator reports a failure from a phone, with production stopped and a photo', async () => {
    operator = await openPage(browser, PHONE);
    current = operator;
    const { page } = operator;
    await logIn(page, baseUrl, OPERATOR.email, OPERATOR.password);
    // What an operator is offered: reporting and following their requests, no work orders.
    await page.getByRole('button', { name: 'Ouvrir la navigation' }).click();
    await nav(page).getByRole('link', { name: 'Signaler une panne', exact: true }).waitFor();
    await nav(page).getByRole('link', { name: 'Mes demandes', exact: true }).waitFor();
    for (const hidden of ['Bons de travail', 'Mon travail', 'Demandes à traiter', 'Tableau']) {
      expect(await nav(page).getByRole('link', { name: hidden, exact: true }).count(), hidden).toBe(
        0,
      );
    }
    await page.getByRole('button', { name: 'Fermer la navigation' }).click();

    // As from the QR code on the machine: the equipment is already chosen.
    await page.goto(`${baseUrl}/equipment/${equipmentId}/request`);
    await page.getByTestId('chosen-equipment').getByText('Remplisseuse de pots Erca').waitFor();
    await field(page, 'Quel est le problème ?').fill('Fuite de produit sous la buse 3');
    await field(page, 'Détails').fill('Les pots débordent depuis le changement de format.');
    await page.getByRole('radio', { name: 'Critique' }).click();
    await page.getByRole('switch', { name: 'La production est arrêtée' }).check();
    expect(await page.locator('input[type="file"][capture="environment"]').count()).toBe(1);
    await pickFiles(page, page.getByRole('button', { name: 'Prendre une photo' }), [
      { name: 'buse-3.png', buffer: pngPhoto(48, [210, 60, 40]) },
    ]);
    await pickFiles(page, page.getByRole('button', { name: 'Ajouter des photos' }), [
      { name: 'flaque.png', buffer: pngPhoto(48, [220, 200, 60]) },
    ]);
    await expect.poll(() => page.getByTestId('local-photo').count()).toBe(2);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'request-form-phone', true);
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();

    const confirmation = page.getByTestId('request-confirmation');
    await confirmation.waitFor();
    requestNumber = (await page.getByTestId('request-number').textContent()) ?? '';
    expect(requestNumber).toMatch(/^DI-\d{4}-00001$/);
    await confirmation.getByText('L’équipement est marqué en panne.').waitFor();
    // The photos go up after the request exists, with their progress.
    await confirmation.getByText('2 photos envoyées.').waitFor();
    await shot(page, 'request-sent-phone');

    await confirmation.getByRole('link', { name: 'Mes demandes' }).click();
    const mine = page.getByTestId('my-request');
    await expect.poll(() => mine.count()).toBe(1);
    await expect.poll(() => mine.first().textContent()).toContain(requestNumber);
    expectNoConsoleErrors(operator);
  });

  it('the supervisor approves it from the inbox, assigning the technician, and adds a checklist item', async () => {
    supervisor = await openPage(browser);
    current = supervisor;
    const { page } = supervisor;
    await logIn(page, baseUrl, SUPERVISOR.email, SUPERVISOR.password);
    for (const item of [
      'Demandes à traiter',
      'Tableau',
      'Codes de défaillance',
      'Bons de travail',
    ]) {
      await nav(page).getByRole('link', { name: item, exact: true }).waitFor();
    }
    // The home page: what needs attention.
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: 'Demandes à traiter' })
          .getByTestId('stat-value')
          .textContent(),
      )
      .toBe('1');
    await shot(page, 'home-supervisor');

    // The report made the equipment "broken".
    await page.goto(`${baseUrl}/equipment/${equipmentId}`);
    await expect
      .poll(() => page.getByTestId('equipment-status').first().getAttribute('data-status'))
      .toBe('broken');

    // A failure code for the report.
    await goTo(page, 'Codes de défaillance');
    await page.getByRole('button', { name: 'Ajouter un symptôme' }).click();
    let dialog = page.getByRole('dialog', { name: 'Ajouter un symptôme' });
    await field(dialog, 'Code').fill('fuite');
    await field(dialog, 'Libellé').fill('Fuite de produit');
    await dialog.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('failure-code-row').filter({ hasText: 'FUITE' }).waitFor();

    await goTo(page, 'Demandes à traiter');
    const card = page.getByTestId('inbox-request').filter({ hasText: requestNumber });
    await card.waitFor();
    await card.getByText('Production arrêtée').waitFor();
    await expect.poll(() => card.locator('img[alt$=".png"]').count()).toBe(2);
    await shot(page, 'inbox');
    await card.getByRole('button', { name: 'Accepter' }).click();
    dialog = page.getByRole('dialog', { name: 'Accepter la demande' });
    await expect.poll(() => field(dialog, 'Priorité').inputValue()).toBe('Urgente');
    await choose(dialog, page, 'Intervenants', new RegExp(TECH.name));
    await page.keyboard.press('Escape');
    await field(dialog, 'Durée estimée (minutes)').fill('45');
    await shot(page, 'inbox-approve');
    await dialog.getByRole('button', { name: 'Accepter' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Aucune demande en attente').waitFor();

    // Approved requests link to their order.
    await segment(page, 'Acceptées').click();
    await card.getByRole('link', { name: /^BT-\d{4}-00001$/ }).click();
    await page.getByTestId('order-number').waitFor();
    orderNumber = (await page.getByTestId('order-number').textContent()) ?? '';
    orderId = /\/work-orders\/([0-9a-f-]+)$/.exec(page.url())?.[1] ?? '';
    expect(orderNumber).toMatch(/^BT-\d{4}-00001$/);
    await page.getByTestId('assignee-names').getByText(TECH.name).waitFor();
    await page.getByText('sur 45 min prévues').waitFor();

    // A required item on the checklist, and a measurement with bounds.
    await page.getByRole('button', { name: 'Ajouter un point' }).click();
    let adding = page.getByTestId('checklist-add');
    await field(adding, 'Intitulé du point 1').fill('Buse 3 remontée et serrée');
    await adding.getByRole('checkbox', { name: 'Obligatoire' }).check();
    await adding.getByRole('button', { name: 'Ajouter un point' }).click();
    await page.getByTestId('checklist-item').filter({ hasText: 'Buse 3 remontée' }).waitFor();
    await page.getByRole('button', { name: 'Ajouter un point' }).click();
    adding = page.getByTestId('checklist-add');
    await field(adding, 'Intitulé du point 1').fill('Pression de dosage');
    await choose(adding, page, 'Type de réponse du point 1', 'Mesure');
    await field(adding, 'Unité').fill('bar');
    await field(adding, 'Minimum').fill('2');
    await field(adding, 'Maximum').fill('3,5');
    await adding.getByRole('button', { name: 'Ajouter un point' }).click();
    await expect.poll(() => page.getByTestId('checklist-item').count()).toBe(2);
    await shot(page, 'work-order-desktop', true);

    await goTo(page, 'Bons de travail');
    await expect.poll(() => page.getByTestId('work-order-row').count()).toBe(1);
    await shot(page, 'work-orders');
    await goTo(page, 'Tableau');
    await page
      .getByTestId('board-column-assigned')
      .getByTestId('work-order-card')
      .filter({ hasText: orderNumber })
      .waitFor();
    await shot(page, 'board');
    expectNoConsoleErrors(supervisor);
  });

  it('the technician does the work on a phone; completion waits for the required item', async () => {
    const tech = await openPage(browser, PHONE);
    current = tech;
    const { page } = tech;
    await logIn(page, baseUrl, TECH.email, TECH.password);
    await page.getByRole('button', { name: 'Ouvrir la navigation' }).click();
    for (const item of ['Mon travail', 'Bons de travail', 'Équipements']) {
      await nav(page).getByRole('link', { name: item, exact: true }).waitFor();
    }
    for (const hidden of ['Demandes à traiter', 'Tableau', 'Codes de défaillance']) {
      expect(await nav(page).getByRole('link', { name: hidden, exact: true }).count(), hidden).toBe(
        0,
      );
    }
    await nav(page).getByRole('link', { name: 'Mon travail', exact: true }).click();
    const myCard = page.getByTestId('work-order-card').filter({ hasText: orderNumber });
    await myCard.waitFor();
    await shot(page, 'my-work-phone');
    await myCard.click();

    // The order says production is stopped, since the request.
    await page
      .getByTestId('stopped-since')
      .getByText(/^Production arrêtée depuis /)
      .waitFor();
    // Only what the technician may do now: start. No validation, no cancelling.
    const actions = page.getByTestId('order-actions');
    await actions.getByRole('button', { name: 'Démarrer' }).waitFor();
    expect(await actions.getByRole('button').allTextContents()).toEqual(['Démarrer']);
    await actions.getByRole('button', { name: 'Démarrer' }).click();
    await actions.getByRole('button', { name: 'Terminer' }).waitFor();
    expect(await actions.getByRole('button', { name: 'Valider et clôturer' }).count()).toBe(0);

    // A measurement out of its bounds is recorded and flagged.
    const pressure = page.getByRole('textbox', { name: 'Pression de dosage' });
    await pressure.fill('4,2');
    await pressure.press('Enter');
    const pressureItem = page
      .getByTestId('checklist-item')
      .filter({ hasText: 'Pression de dosage' });
    await expect.poll(() => pressureItem.getAttribute('data-answered')).toBe('true');
    await pressureItem.getByText('Hors tolérance').waitFor();

    // Time, a comment, a photo from the camera.
    await page.getByRole('button', { name: 'Durée de 30 min' }).click();
    await field(page, 'Note').fill('Démontage de la buse');
    await page.getByRole('button', { name: 'Ajouter le temps' }).click();
    await expect.poll(() => page.getByTestId('time-total').textContent()).toBe('Total : 30 min');
    await field(page, 'Ajouter un commentaire').fill('Joint de buse fendu, remplacé.');
    await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await page.getByTestId('comments').getByText('Joint de buse fendu, remplacé.').waitFor();
    await pickFiles(page, page.getByRole('button', { name: 'Prendre une photo' }), [
      { name: 'buse-apres.png', buffer: pngPhoto(48, [60, 160, 90]) },
    ]);
    await page.getByTestId('attachment').locator('img[alt="buse-apres.png"]').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'work-order-phone');

    // Completing is refused while the required item is open, and says which one.
    await actions.getByRole('button', { name: 'Terminer' }).click();
    let dialog = page.getByRole('dialog', { name: `Terminer le bon ${orderNumber}` });
    await field(dialog, 'Travaux réalisés').fill(
      'Remplacement du joint de la buse 3, réglage du dosage.',
    );
    await choose(dialog, page, 'Symptôme', /^FUITE/);
    await segment(dialog, 'En minutes').click();
    await field(dialog, 'Durée de l’arrêt').fill('45');
    await dialog.getByRole('button', { name: 'Terminer' }).click();
    await dialog
      .getByText('Renseignez d’abord le point obligatoire « Buse 3 remontée et serrée ».')
      .waitFor();
    await shot(page, 'work-order-complete-refused');
    await dialog.getByRole('button', { name: 'Aller à la checklist' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const required = page.getByTestId('checklist-item').filter({ hasText: 'Buse 3 remontée' });
    await required.getByRole('checkbox').check();
    await expect.poll(() => required.getAttribute('data-answered')).toBe('true');
    await actions.getByRole('button', { name: 'Terminer' }).click();
    dialog = page.getByRole('dialog', { name: `Terminer le bon ${orderNumber}` });
    await field(dialog, 'Travaux réalisés').fill(
      'Remplacement du joint de la buse 3, réglage du dosage.',
    );
    await choose(dialog, page, 'Symptôme', /^FUITE/);
    // Production has been stopped since the request: the stop's start is known, its end proposed.
    await dialog.getByText(/^La production est arrêtée depuis le /).waitFor();
    await dialog.getByText(/^Soit /).waitFor();
    await dialog.getByRole('button', { name: 'Terminer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('report').waitFor();
    expect(await page.getByTestId('stopped-since').count()).toBe(0);
    await expect.poll(() => page.getByTestId('order-actions').count()).toBe(0);

    // Closing is not offered to the technician, and the server refuses it anyway.
    const token = await tokenOf(baseUrl, TECH.email, TECH.password);
    const forced = await apiCall(baseUrl, 'POST', `/work-orders/${orderId}/close`, { token });
    expect(forced.status).toBe(403);
    expect(forced.body.code).toBe('forbidden');
    // The repaired equipment works again.
    const equipment = await apiCall<{ status: string }>(
      baseUrl,
      'GET',
      `/equipment/${equipmentId}`,
      {
        token,
      },
    );
    expect(equipment.body.status).toBe('active');
    expectNoConsoleErrors(tech);
    await tech.context.close();
  });

  it('the supervisor validates and closes it; the timeline tells the story', async () => {
    current = supervisor;
    const { page } = supervisor;
    await page.goto(`${baseUrl}/work-orders/${orderId}`);
    await page.getByTestId('report').getByText('FUITE — Fuite de produit').waitFor();
    await page.getByRole('button', { name: 'Valider et clôturer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Valider l’intervention ?' });
    await dialog.getByRole('button', { name: 'Valider et clôturer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(/^Intervention validée et clôturée le /).waitFor();
    const kinds = await page
      .getByTestId('timeline')
      .locator('[data-kind]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-kind')));
    expect(kinds).toEqual(['created', 'assigned', 'start', 'complete', 'close']);
    // The assignment names the people, not their ids.
    await page.getByTestId('timeline').getByTestId('assigned-names').getByText(TECH.name).waitFor();
    await shot(page, 'work-order-closed', true);

    // The equipment's history shows the request and the order, newest first.
    await page.goto(`${baseUrl}/equipment/${equipmentId}?tab=history`);
    const history = page.getByTestId('maintenance-history');
    await history.getByRole('link', { name: orderNumber }).waitFor();
    await history.getByRole('link', { name: requestNumber }).waitFor();
    await page.getByRole('tab', { name: 'Vue d’ensemble' }).click();
    await expect
      .poll(() => page.getByTestId('equipment-status').first().getAttribute('data-status'))
      .toBe('active');

    // A code used on an order cannot be deleted: the refusal says why and offers to deactivate it.
    await goTo(page, 'Codes de défaillance');
    await page.getByRole('button', { name: 'Actions pour FUITE' }).click();
    await page.getByRole('menuitem', { name: 'Supprimer' }).click();
    const confirm = page.getByRole('dialog', { name: 'Supprimer ce code ?' });
    await confirm.getByRole('button', { name: 'Supprimer' }).click();
    await confirm.getByText(/^Ce code est utilisé par 1 bon de travail/).waitFor();
    await confirm.getByRole('button', { name: 'Le désactiver plutôt' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByTestId('failure-code-row').filter({ hasText: 'Désactivé' }).waitFor();
    await shot(page, 'failure-codes');

    // Readings from a file: a refusal lists each line's problem; a good file goes in whole.
    await goTo(page, 'Équipements');
    await page.getByRole('link', { name: 'Importer des relevés' }).click();
    const csv = (rows: string) => Buffer.from(`equipment_code;meter;value;read_at\n${rows}`);
    // Before the readings typed above (a cumulative meter's value fits between its neighbours).
    const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const now = new Date().toISOString();
    const pick = async (name: string, buffer: Buffer) => {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Fichier CSV' }).click(),
      ]);
      await chooser.setFiles({ name, mimeType: 'text/csv', buffer });
    };
    await pick(
      'releves-faux.csv',
      csv(
        `REMPL-01;Heures de marche;1000;${monthAgo}\n` +
          `REMPL-09;Heures de marche;10;${monthAgo}\n` +
          `REMPL-01;Heures de marche;douze;${monthAgo}\n`,
      ),
    );
    await page.getByTestId('csv-preview').waitFor();
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    const problems = page.getByTestId('import-problem');
    await expect.poll(() => problems.count()).toBe(2);
    await problems
      .filter({ hasText: 'REMPL-09' })
      .getByText(/^Aucun compteur « Heures de marche » sur l’équipement REMPL-09/)
      .waitFor();
    await problems
      .filter({ hasText: 'douze' })
      .getByText('La valeur n’est pas un nombre.')
      .waitFor();
    await shot(page, 'readings-import', true);
    await pick('releves.csv', csv(`REMPL-01;Heures de marche;1620,5;${now}\n`));
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.getByTestId('import-done').getByText('1 relevé importé.').waitFor();

    // Planned work by hand, with a checklist written beforehand; then cancelled, saying why.
    await page.goto(`${baseUrl}/equipment/${equipmentId}`);
    await page.getByRole('link', { name: 'Bon de travail', exact: true }).click();
    await page.getByRole('heading', { name: 'Nouveau bon de travail' }).waitFor();
    await expect.poll(() => field(page, 'Équipement').inputValue()).toMatch(/^REMPL-01/);
    await field(page, 'Titre').fill('Contrôle des buses après réparation');
    await choose(page, page, 'Type', 'Inspection');
    await page.getByRole('button', { name: 'Ajouter un point' }).click();
    await field(page, 'Intitulé du point 1').fill('Étanchéité des 6 buses');
    await choose(page, page, 'Type de réponse du point 1', 'Conforme / non conforme');
    await page.getByRole('button', { name: 'Ajouter un point' }).click();
    await field(page, 'Intitulé du point 2').fill('Température du produit');
    await choose(page, page, 'Type de réponse du point 2', 'Mesure');
    await field(page, 'Minimum').fill('6');
    await field(page, 'Maximum').fill('4');
    await page.getByRole('button', { name: 'Créer le bon de travail' }).click();
    // Bounds that contradict each other are caught before sending.
    await page.getByText('Le minimum doit être inférieur ou égal au maximum.').waitFor();
    await field(page, 'Maximum').fill('8');
    await page.getByRole('button', { name: 'Descendre le point 1' }).click();
    await shot(page, 'work-order-new', true);
    await page.getByRole('button', { name: 'Créer le bon de travail' }).click();
    await page
      .getByTestId('order-number')
      .getByText(/^BT-\d{4}-00002$/)
      .waitFor();
    const items = page.getByTestId('checklist-item');
    await expect.poll(() => items.count()).toBe(2);
    await expect.poll(() => items.first().textContent()).toContain('Température du produit');
    await page.getByRole('button', { name: 'Annuler le bon' }).click();
    const cancel = page.getByRole('dialog', { name: 'Annuler le bon de travail' });
    await cancel.getByRole('button', { name: 'Annuler le bon' }).click();
    await cancel.getByText('Ce champ est obligatoire.').waitFor();
    await field(cancel, 'Motif').fill('Contrôle fait pendant la réparation');
    await cancel.getByRole('button', { name: 'Annuler le bon' }).click();
    await cancel.waitFor({ state: 'hidden' });
    await page.getByText('Contrôle fait pendant la réparation').first().waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Annuler le bon' }).count()).toBe(0);
    expectNoConsoleErrors(supervisor);
  });

  it('the operator sees the order of their request closed', async () => {
    current = operator;
    const { page } = operator;
    await page.reload();
    const mine = page.getByTestId('my-request').filter({ hasText: requestNumber });
    await mine.waitFor();
    await mine.getByTestId('request-order').getByText(orderNumber).waitFor();
    // One status line: the work's progress, not "accepted" while the order is long closed.
    await expect
      .poll(() => mine.getByTestId('request-progress').getAttribute('data-progress'))
      .toBe('closed');
    await mine.getByTestId('request-progress').getByText('Clôturée').waitFor();
    await shot(page, 'my-requests-phone');
    expectNoConsoleErrors(operator);
    await operator.context.close();
  });
});
