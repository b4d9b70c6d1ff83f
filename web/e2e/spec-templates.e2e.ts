// Specification templates on the demo company. The administrator opens "Fiches techniques" from
// the sidebar, adds a field with a unit to the "Métrologie" template (its key derived from the
// label; a duplicate key refused inline; moved up a place), is told under the category that
// another template has it (409 from the server), opens a measuring machine of that category and
// reads labelled specifications with units, not keys; the equipment form asks the template's
// fields in order, keeps a typed value across a change of category and back, and the saved value
// reads with its unit (and stays a number in the API); the equipment page's link opens the
// category's template. The sidebar, one entry longer, still fits at 1366×850. A technician and
// a viewer see no such page: nothing in their navigation, the forbidden page at its address.
// Screenshots of the equipment page and the editor, desktop and phone.
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  DEMO_ADMIN,
  DEMO_TECHNICIAN,
  DEMO_VIEWER,
  DESKTOP,
  expectNoConsoleErrors,
  fieldOf,
  launch,
  nav,
  openLoggedIn,
  PHONE,
  shot,
  tokenOf,
  type TrackedPage,
} from './helpers';

const baseUrl = inject('baseUrl');

const CATEGORY = 'Métrologie';
/** The demo's label, with a straight apostrophe. */
const SUPPLY = "Tension d'alimentation";
const MACHINE = { code: 'CMM-01', name: 'Machine à mesurer Zeiss Contura' };

let browser: Browser;
let current: TrackedPage | null = null;
let machineId = '';

beforeAll(async () => {
  browser = await launch();
  const admin = await tokenOf(baseUrl, DEMO_ADMIN);
  const found = await apiCall<{ items: Array<{ id: string; code: string; category: string }> }>(
    baseUrl,
    'GET',
    `/equipment?q=${MACHINE.code}`,
    { token: admin },
  );
  const machine = found.body.items.find((e) => e.code === MACHINE.code);
  expect(machine?.category).toBe(CATEGORY);
  machineId = machine?.id ?? '';
});

afterTests(
  () => browser,
  () => current,
);

const field = fieldOf('textbox', 'combobox');

const openAs = (email: string, options = DESKTOP) =>
  openLoggedIn(browser, baseUrl, email, options, (tracked) => (current = tracked));

/** The specifications card's rows as "label: value" lines, in order. */
async function specRows(page: Page): Promise<string[]> {
  const rows = page.getByTestId('specifications').getByRole('row');
  await rows.first().waitFor();
  return rows.evaluateAll((trs) =>
    trs.map((tr) => {
      const th = tr.querySelector('th')?.textContent ?? '';
      const td = tr.querySelector('td');
      // What a reader sees: the hidden "Non renseigné" stays out, the dash stays in.
      const seen = td?.querySelector('[aria-hidden]')?.textContent ?? td?.textContent ?? '';
      return `${th}: ${seen}`;
    }),
  );
}

describe('specification templates', () => {
  it('lets the administrator add a field with a unit to a category’s template', async () => {
    const admin = await openAs(DEMO_ADMIN);
    const { page } = admin;
    // The sidebar still holds every entry above its footer at 1366×850.
    const entry = nav(page).getByRole('link', { name: 'Fiches techniques', exact: true });
    await entry.waitFor();
    const last = nav(page).getByRole('link', { name: 'Tâches de fond', exact: true });
    const link = await last.boundingBox();
    const footer = await page.getByTestId('nav-footer').boundingBox();
    if (!link || !footer) throw new Error('the sidebar is not on screen');
    expect(link.y + link.height).toBeLessThanOrEqual(footer.y);

    await entry.click();
    await page.getByRole('heading', { name: 'Fiches techniques', level: 1 }).waitFor();
    const row = page.getByTestId('spec-template-row').filter({ hasText: CATEGORY });
    await row.getByText(`Puissance (kW), ${SUPPLY}`).waitFor();
    // With the number of the category's equipment, linked to the filtered list.
    await row.getByRole('link', { name: /^\d+ équipements?$/ }).waitFor();

    await row.getByRole('button', { name: CATEGORY, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Fiche technique : ${CATEGORY}` });
    await expect.poll(() => field(dialog, 'Libellé du champ 1').inputValue()).toBe('Puissance');
    expect(await field(dialog, 'Clé du champ 1').inputValue()).toBe('puissance_kw');
    expect(await field(dialog, 'Unité du champ 1').inputValue()).toBe('kW');

    // A new field: its key follows the label, accents dropped.
    await dialog.getByRole('button', { name: 'Ajouter un champ' }).click();
    await field(dialog, 'Libellé du champ 3').fill('Précision');
    expect(await field(dialog, 'Clé du champ 3').inputValue()).toBe('precision');
    await field(dialog, 'Unité du champ 3').fill('µm');
    // A key another field has is refused before anything is sent, under the field.
    await field(dialog, 'Clé du champ 3').fill('tension');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.getByText('Un autre champ a déjà cette clé.').waitFor();
    await field(dialog, 'Clé du champ 3').fill('precision');
    expect(await dialog.getByText('Un autre champ a déjà cette clé.').count()).toBe(0);
    // Read second, before the supply voltage.
    await dialog.getByRole('button', { name: 'Monter le champ 3' }).click();
    expect(await field(dialog, 'Libellé du champ 2').inputValue()).toBe('Précision');
    expect(await field(dialog, 'Unité du champ 2').inputValue()).toBe('µm');
    expect(await dialog.getByRole('button', { name: 'Monter le champ 1' }).isDisabled()).toBe(true);
    await shot(page, 'spec-templates-editor');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText(`Puissance (kW), Précision (µm), ${SUPPLY}`).waitFor();
    await shot(page, 'spec-templates');

    // One template per category, case aside: the server's refusal shows under the category.
    await page.getByRole('button', { name: 'Nouvelle fiche technique' }).click();
    const added = page.getByRole('dialog', { name: 'Nouvelle fiche technique' });
    await field(added, 'Catégorie').fill(CATEGORY.toLowerCase());
    await page.keyboard.press('Escape');
    await field(added, 'Libellé du champ 1').fill('Débit d’air');
    expect(await field(added, 'Clé du champ 1').inputValue()).toBe('debit_d_air');
    await added.getByRole('button', { name: 'Créer la fiche' }).click();
    await added.getByText('Cette catégorie a déjà une fiche technique.').waitFor();
    await added.getByRole('button', { name: 'Annuler' }).click();
    await added.waitFor({ state: 'hidden' });
    expectNoConsoleErrors(admin);
    await admin.context.close();
  });

  it('shows the equipment’s specifications labelled, with units, and asks them in its form', async () => {
    const admin = await openAs(DEMO_ADMIN);
    const { page } = admin;
    await page.goto(`${baseUrl}/equipment/${machineId}`);
    await page.getByRole('heading', { name: MACHINE.name, level: 1 }).waitFor();
    // Labels in the template's order, units after numbers, the new field not filled in.
    const before = await specRows(page);
    expect(before).toHaveLength(3);
    expect(before[0]).toMatch(/^Puissance: \d+ kW$/);
    expect(before.slice(1)).toEqual(['Précision: —', `${SUPPLY}: 400 V`]);
    expect(await page.getByTestId('specifications').getByText('puissance_kw').count()).toBe(0);

    await page.getByRole('link', { name: 'Modifier', exact: true }).click();
    await page.getByRole('heading', { name: `Modifier ${MACHINE.name}` }).waitFor();
    const asked = page.getByTestId('spec-template-fields');
    const labels = await asked.locator('label').allTextContents();
    expect(labels).toEqual(['Puissance (kW)', 'Précision (µm)', SUPPLY]);
    expect(await field(asked, 'Puissance (kW)').inputValue()).toMatch(/^\d+$/);
    expect(await field(asked, SUPPLY).inputValue()).toBe('400 V');
    await field(asked, 'Précision (µm)').fill('1,8');

    // Another category (whose template has no "Précision"): the value becomes a free row;
    // back to this category, it is asked again with what was typed.
    const category = field(page, 'Catégorie');
    await category.fill('Tour');
    await page.keyboard.press('Escape');
    await field(page, 'Précision (µm)').waitFor({ state: 'detached' });
    expect(await field(page, 'Caractéristique 1').inputValue()).toBe('precision');
    expect(await field(page, 'Valeur 1').inputValue()).toBe('1,8');
    await category.fill(CATEGORY);
    await page.keyboard.press('Escape');
    expect(await field(asked, 'Précision (µm)').inputValue()).toBe('1,8');
    expect(await page.getByTestId('spec-row').count()).toBe(0);
    await shot(page, 'spec-templates-equipment-form', true);

    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('heading', { name: MACHINE.name, level: 1 }).waitFor();
    await expect.poll(() => specRows(page)).toContain('Précision: 1,8 µm');
    await shot(page, 'spec-templates-equipment');
    // Sent as a number, as free specifications are.
    const saved = await apiCall<{ specifications: Record<string, unknown> }>(
      baseUrl,
      'GET',
      `/equipment/${machineId}`,
      { token: await tokenOf(baseUrl, DEMO_ADMIN) },
    );
    expect(saved.body.specifications.precision).toBe(1.8);

    // From the equipment, its category's template is one click away.
    await page.getByRole('link', { name: 'Modifier la fiche technique de la catégorie' }).click();
    const dialog = page.getByRole('dialog', { name: `Fiche technique : ${CATEGORY}` });
    await expect.poll(() => field(dialog, 'Libellé du champ 2').inputValue()).toBe('Précision');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForURL(`${baseUrl}/spec-templates`);
    expectNoConsoleErrors(admin);
    await admin.context.close();
  });

  it('reads well on a phone', async () => {
    const admin = await openAs(DEMO_ADMIN, PHONE);
    const { page } = admin;
    await page.goto(`${baseUrl}/equipment/${machineId}`);
    await page.getByRole('heading', { name: MACHINE.name, level: 1 }).waitFor();
    await expect.poll(() => specRows(page)).toContain('Précision: 1,8 µm');
    await page.getByTestId('specifications').scrollIntoViewIfNeeded();
    await shot(page, 'spec-templates-equipment-phone');
    await page.goto(`${baseUrl}/equipment/${machineId}/edit`);
    await page.getByTestId('spec-template-fields').scrollIntoViewIfNeeded();
    await shot(page, 'spec-templates-equipment-form-phone');

    await page.goto(`${baseUrl}/spec-templates`);
    const card = page.getByTestId('spec-template-card').filter({ hasText: CATEGORY });
    await card.getByText(`Puissance (kW), Précision (µm), ${SUPPLY}`).waitFor();
    await shot(page, 'spec-templates-phone');
    await card.getByRole('button', { name: CATEGORY, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Fiche technique : ${CATEGORY}` });
    await expect.poll(() => field(dialog, 'Libellé du champ 2').inputValue()).toBe('Précision');
    await shot(page, 'spec-templates-editor-phone');
    expectNoConsoleErrors(admin);
    await admin.context.close();
  });

  it('offers the editor neither to a technician nor to a viewer', async () => {
    for (const email of [DEMO_TECHNICIAN, DEMO_VIEWER]) {
      const tracked = await openAs(email);
      const { page } = tracked;
      await nav(page).getByRole('link', { name: 'Équipements', exact: true }).waitFor();
      expect(await nav(page).getByRole('link', { name: 'Fiches techniques' }).count()).toBe(0);
      await page.goto(`${baseUrl}/spec-templates`);
      await page.getByRole('heading', { name: 'Accès réservé' }).waitFor();
      // They read the labelled specifications all the same, without a way to edit the template.
      await page.goto(`${baseUrl}/equipment/${machineId}`);
      await expect.poll(() => specRows(page)).toContain('Précision: 1,8 µm');
      expect(
        await page
          .getByRole('link', { name: 'Modifier la fiche technique de la catégorie' })
          .count(),
      ).toBe(0);
      expectNoConsoleErrors(tracked);
      await tracked.context.close();
    }
  });
});
