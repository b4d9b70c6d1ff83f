// One company's first day with gmao, end to end against the real server and database: sign-up,
// the address confirmed through the mailed link, a second company created from the company
// switcher, login (with the choice of company), the site tree, a shop-floor technician limited to
// one site who chooses their own password at first login, the roles, the audit log, the profile
// and the language, what a technician is not offered and what the server refuses anyway.
// Screenshots of every main page land in e2e/screenshots/.
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import { ACCESS_TOKEN_TTL_SECS } from './global-setup';
import {
  afterTests,
  apiCall,
  choose,
  expectNoConsoleErrors,
  fieldOf,
  launch,
  mailsTo,
  openPage,
  shot,
  signUp,
  type TrackedPage,
  waitForMail,
} from './helpers';

const baseUrl = inject('baseUrl');
const mailLog = inject('mailLog');

const ADMIN = {
  company: 'Fonderie du Rhône',
  slug: 'fonderie-du-rhone',
  name: 'Anne Martin',
  email: 'anne.martin@fonderie.test',
  password: 'Roulement-42-graisse',
};
/** Someone else's company, whose identifier the sign-up runs into. */
const OTHER_COMPANY = {
  company: 'Aciérie du Nord',
  slug: 'acierie-du-nord',
  name: 'Hugo Lambert',
  email: 'hugo.lambert@acierie.test',
  password: 'Laminoir-2026-bobine',
};
/** The administrator's second company, created from the company switcher. */
const SECOND_COMPANY = { company: 'Forge de Savoie', slug: 'forge-de-savoie' };
const TECH = {
  name: 'Karim Benali',
  email: 'karim.benali@fonderie.test',
  /** Given by the administrator (no mailbox on the shop floor); changed at first login. */
  initialPassword: 'Provisoire-2026-atelier',
  password: 'Clé-à-molette-88',
};

let browser: Browser;
let admin: TrackedPage;
let startedAt = 0;

beforeAll(async () => {
  browser = await launch();
  await signUp(baseUrl, OTHER_COMPANY);
});

afterTests(
  () => browser,
  () => admin,
);

const field = fieldOf('textbox', 'combobox');

async function logIn(page: Page, email: string, password: string) {
  await field(page, 'Adresse e-mail').or(field(page, 'Email address')).fill(email);
  await field(page, /^(Mot de passe|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(Se connecter|Log in)$/ }).click();
}

/** A link of the main navigation (the sidebar, or the burger menu on phones). */
function navLink(page: Page, name: string): Locator {
  return page
    .getByRole('navigation', { name: /^(Navigation principale|Main navigation)$/ })
    .getByRole('link', { name, exact: true });
}

/** The number on the home page's "Sites" card (maintenance cards come first for some roles). */
function siteCount(page: Page) {
  return page
    .getByRole('region', { name: 'Sites', exact: true })
    .getByTestId('stat-value')
    .textContent();
}

async function openUserMenu(page: Page) {
  await page.getByRole('button', { name: /^(Menu du compte|Account menu)$/ }).click();
}

describe.sequential('gmao web app', () => {
  it('signs a company up, checking the rules on the client and the server', async () => {
    admin = await openPage(browser);
    const { page } = admin;
    await page.goto(`${baseUrl}/signup`);
    await expect.poll(() => page.title()).toBe('Créer votre entreprise · gmao');

    await field(page, "Nom de l'entreprise").fill(ADMIN.company);
    // The workspace identifier follows the company name until edited.
    await expect.poll(() => field(page, "Identifiant de l'espace").inputValue()).toBe(ADMIN.slug);
    await field(page, 'Votre nom complet').fill(ADMIN.name);
    await field(page, 'Adresse e-mail professionnelle').fill(ADMIN.email);

    // Client-side: the server's password rules, in French.
    await field(page, 'Mot de passe').fill('martin-2026-xyz');
    await field(page, 'Mot de passe').blur();
    await page.getByText('Le mot de passe ne doit contenir ni votre nom').waitFor();
    await field(page, 'Mot de passe').fill(ADMIN.password);

    // Server-side: the identifier is taken by the other company (409 slug_taken on the field).
    await field(page, "Identifiant de l'espace").fill(OTHER_COMPANY.slug);
    await shot(page, 'signup');
    await page.getByRole('button', { name: "Créer l'entreprise" }).click();
    await page.getByText('Cet identifiant d’espace est déjà pris.').waitFor();
    await shot(page, 'signup-slug-taken');

    await field(page, "Identifiant de l'espace").fill(ADMIN.slug);
    await page.getByRole('button', { name: "Créer l'entreprise" }).click();
    await page.waitForURL(`${baseUrl}/`);
    startedAt = Date.now();
    await expect.poll(() => page.getByTestId('tenant-name').textContent()).toBe(ADMIN.company);
    await page.getByRole('heading', { name: 'Accueil' }).waitFor();
    await page.getByText('Commencez par décrire vos sites').waitFor();
    // The address is not confirmed yet: the banner says so on every page.
    await page.getByTestId('verification-banner').getByText(ADMIN.email).waitFor();
    await shot(page, 'home-new-company');
    expectNoConsoleErrors(admin);
  });

  it('confirms the address through the mailed link, then logs in again', async () => {
    const { page } = admin;
    // The sign-up mailed a link; "Renvoyer le lien" mails a new one, which replaces it.
    await waitForMail(mailLog, baseUrl, ADMIN.email, '/verify-email', 0);
    await page
      .getByTestId('verification-banner')
      .getByRole('button', { name: 'Renvoyer le lien' })
      .click();
    await page.getByText(`Un nouveau lien a été envoyé à ${ADMIN.email}.`).waitFor();
    const first = mailsTo(mailLog, ADMIN.email, '/verify-email')[0];
    const latest = await waitForMail(mailLog, baseUrl, ADMIN.email, '/verify-email', 1);
    await shot(page, 'verification-banner');

    // The link opens in this browser, where the session is open: confirming sets the password
    // and ends every session, this one too.
    await page.goto(latest.url);
    await page.getByRole('heading', { name: 'Confirmer votre adresse e-mail' }).waitFor();
    await field(page, 'Nouveau mot de passe').fill('court');
    await field(page, 'Nouveau mot de passe').blur();
    await page.getByText('Le mot de passe doit compter au moins 10 caractères.').waitFor();
    await field(page, 'Nouveau mot de passe').fill(ADMIN.password);
    await field(page, 'Confirmer le mot de passe').fill(`${ADMIN.password}!`);
    await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
    await page.getByText('Les deux mots de passe ne sont pas identiques.').waitFor();
    await field(page, 'Confirmer le mot de passe').fill(ADMIN.password);
    await shot(page, 'verify-email');
    await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
    await page.getByRole('heading', { name: 'Adresse confirmée' }).waitFor();
    await shot(page, 'verify-email-done');
    await page.getByRole('link', { name: 'Se connecter' }).click();
    await page.waitForURL(`${baseUrl}/login`);
    await page.getByText('Votre mot de passe a changé. Connectez-vous avec le nouveau.').waitFor();
    await logIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${baseUrl}/`);
    await page.getByRole('heading', { name: 'Accueil' }).waitFor();
    expect(await page.getByTestId('verification-banner').count()).toBe(0);

    // Both links are spent now (the first was replaced by the second, which has served): the
    // page says so once a password is sent.
    for (const link of [first?.link ?? '', latest.url]) {
      const gone = await openPage(browser);
      const { pathname, search } = new URL(link);
      await gone.page.goto(`${baseUrl}${pathname}${search}`);
      await field(gone.page, 'Nouveau mot de passe').fill(ADMIN.password);
      await field(gone.page, 'Confirmer le mot de passe').fill(ADMIN.password);
      await gone.page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
      await gone.page.getByRole('heading', { name: 'Ce lien ne fonctionne plus' }).waitFor();
      expectNoConsoleErrors(gone);
      await gone.context.close();
    }
    expectNoConsoleErrors(admin);
  });

  it('creates a second company from the company switcher, and switches back', async () => {
    const { page } = admin;
    // Another tab of the same browser follows the session to the new company.
    const otherTab = await admin.context.newPage();
    await otherTab.goto(`${baseUrl}/`);
    await expect.poll(() => otherTab.getByTestId('tenant-name').textContent()).toBe(ADMIN.company);
    const switcher = () =>
      page.getByRole('button', { name: /^Entreprise : .+\. Changer d’entreprise$/ });
    await switcher().click();
    await page.getByRole('menuitem', { name: new RegExp(`^${ADMIN.company}`) }).waitFor();
    await page.getByRole('menuitem', { name: 'Créer une autre entreprise' }).click();
    const dialog = page.getByRole('dialog', { name: 'Créer une autre entreprise' });
    await field(dialog, "Nom de l'entreprise").fill(SECOND_COMPANY.company);
    await expect
      .poll(() => field(dialog, "Identifiant de l'espace").inputValue())
      .toBe(SECOND_COMPANY.slug);
    // Someone else's identifier is refused under its field.
    await field(dialog, "Identifiant de l'espace").fill(OTHER_COMPANY.slug);
    await dialog.getByRole('button', { name: 'Créer l’entreprise' }).click();
    await dialog.getByText('Cet identifiant d’espace est déjà pris.').waitFor();
    await field(dialog, "Identifiant de l'espace").fill(SECOND_COMPANY.slug);
    await shot(page, 'switcher-create-company');
    await dialog.getByRole('button', { name: 'Créer l’entreprise' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.getByTestId('tenant-name').textContent())
      .toBe(SECOND_COMPANY.company);
    await page.getByText('Commencez par décrire vos sites').waitFor();
    await expect
      .poll(() => otherTab.getByTestId('tenant-name').textContent())
      .toBe(SECOND_COMPANY.company);
    await otherTab.close();

    // Both companies in the switcher; back to the first without a password.
    await switcher().click();
    await page.getByRole('menuitem', { name: new RegExp(`^${SECOND_COMPANY.company}`) }).waitFor();
    await shot(page, 'switcher');
    await page.getByRole('menuitem', { name: new RegExp(`^${ADMIN.company}`) }).click();
    await expect.poll(() => page.getByTestId('tenant-name').textContent()).toBe(ADMIN.company);
    expectNoConsoleErrors(admin);
  });

  it('logs out, then logs in choosing the company', async () => {
    const { page } = admin;
    await openUserMenu(page);
    await page.getByRole('menuitem', { name: 'Se déconnecter' }).click();
    await page.waitForURL(`${baseUrl}/login`);
    await page.getByText('Vous êtes déconnecté').waitFor();
    await shot(page, 'login');

    await logIn(page, ADMIN.email, 'wrong-password-1');
    await page.getByText('Adresse e-mail ou mot de passe incorrect.').waitFor();

    await logIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('heading', { name: 'Choisissez une entreprise' }).waitFor();
    const companies = page.getByRole('list', { name: 'Choisissez une entreprise' });
    await expect.poll(() => companies.getByRole('listitem').count()).toBe(2);
    await shot(page, 'login-choose-company');
    await page.getByRole('button', { name: `Ouvrir ${ADMIN.company}` }).click();
    await page.waitForURL(`${baseUrl}/`);
    await expect.poll(() => page.getByTestId('tenant-name').textContent()).toBe(ADMIN.company);
    expectNoConsoleErrors(admin);
  });

  it('builds the site tree: site, plant, line; refuses a taken code and a parent with children', async () => {
    const { page } = admin;
    // Navigation shows everything to an administrator.
    for (const item of [
      'Accueil',
      'Sites et installations',
      'Utilisateurs',
      'Rôles et permissions',
      "Journal d'audit",
    ]) {
      await navLink(page, item).waitFor();
    }
    await navLink(page, 'Sites et installations').click();
    await page.getByText("Aucun site pour l'instant — créez le premier").waitFor();
    await shot(page, 'sites-empty');

    await page.getByRole('button', { name: 'Créer le premier site' }).click();
    let dialog = page.getByRole('dialog', { name: 'Nouveau site' });
    await field(dialog, 'Code').fill('LY ON');
    await field(dialog, 'Code').blur();
    await dialog.getByText('Lettres, chiffres, « - », « _ » et « . » uniquement').waitFor();
    await field(dialog, 'Code').fill('lyon');
    await field(dialog, 'Nom').fill('Usine de Lyon');
    await field(dialog, 'Adresse').fill('12 rue de l’Industrie, 69007 Lyon');
    // The time zone defaults to the browser's.
    await expect.poll(() => field(dialog, 'Fuseau horaire').inputValue()).toMatch(/Europe\/Paris$/);
    await dialog.getByRole('button', { name: 'Créer le site' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const tree = page.getByTestId('site-tree');
    await tree.getByText('Usine de Lyon').waitFor();
    await tree.getByText('LYON', { exact: true }).waitFor();

    // Same code again: the server's 409 code_taken lands under the Code field.
    await page.getByRole('button', { name: 'Nouveau site' }).click();
    dialog = page.getByRole('dialog', { name: 'Nouveau site' });
    await field(dialog, 'Code').fill('LYON');
    await field(dialog, 'Nom').fill('Doublon');
    await dialog.getByRole('button', { name: 'Créer le site' }).click();
    await dialog.getByText('Ce code est déjà utilisé.').waitFor();
    await field(dialog, 'Code').fill('MTL');
    await field(dialog, 'Nom').fill('Usine de Montréal');
    await choose(dialog, page, 'Fuseau horaire', /— America\/Toronto$/, 'Toronto');
    await expect
      .poll(() => field(dialog, 'Fuseau horaire').inputValue())
      .toMatch(/America\/Toronto$/);
    await shot(page, 'site-form');
    await dialog.getByRole('button', { name: 'Créer le site' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await tree.getByText('Usine de Montréal').waitFor();
    await tree.getByText(/^America\/Toronto · Aucune usine$/).waitFor();

    await page.getByRole('button', { name: 'Ajouter une usine à Usine de Lyon' }).click();
    dialog = page.getByRole('dialog', { name: 'Nouvelle usine' });
    await field(dialog, 'Code').fill('ASM');
    await field(dialog, 'Nom').fill('Atelier assemblage');
    await dialog.getByRole('button', { name: "Créer l'usine" }).click();
    await dialog.waitFor({ state: 'hidden' });
    await tree.getByText('Atelier assemblage').waitFor();

    await page.getByRole('button', { name: 'Ajouter une ligne à Atelier assemblage' }).click();
    dialog = page.getByRole('dialog', { name: 'Nouvelle ligne de production' });
    await field(dialog, 'Code').fill('L1');
    await field(dialog, 'Nom').fill('Ligne moteurs');
    await dialog.getByRole('button', { name: 'Créer la ligne' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await tree.getByText('Ligne moteurs').waitFor();

    // Edit a plant's name.
    await page.getByRole('button', { name: 'Modifier Atelier assemblage' }).click();
    dialog = page.getByRole('dialog', { name: "Modifier l'usine" });
    await field(dialog, 'Nom').fill('Atelier d’assemblage');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await tree.getByText('Atelier d’assemblage').waitFor();

    // A site that still has a plant cannot go: the 409 has_children is explained.
    await page.getByRole('button', { name: 'Supprimer Usine de Lyon' }).click();
    dialog = page.getByRole('dialog', { name: 'Supprimer le site ?' });
    await dialog.getByRole('button', { name: 'Supprimer' }).click();
    await dialog
      .getByText('Ce site contient encore 1 usine : supprimez-la ou déplacez-la d’abord.')
      .waitFor();
    await shot(page, 'sites-delete-has-children');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await shot(page, 'sites-tree');

    // A reload keeps the session (the refresh token is in an HttpOnly cookie, that scripts
    // cannot read) and the page.
    await page.reload();
    await page.getByTestId('site-tree').getByText('Ligne moteurs').waitFor();
    expect(page.url()).toBe(`${baseUrl}/sites`);
    const cookie = (await admin.context.cookies()).find((c) => c.name === 'gmao_refresh');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
    const stored = await page.evaluate(() => ({
      keys: Object.keys(localStorage),
      marker: localStorage.getItem('gmao.session'),
      cookies: document.cookie,
    }));
    expect(stored.keys.filter((key) => /refresh|token/i.test(key))).toEqual([]);
    expect(stored.marker).toBe('1');
    expect(stored.cookies).not.toContain('gmao_refresh');
    expectNoConsoleErrors(admin);
  });

  it('adds a shop-floor technician limited to the Lyon site, with an initial password', async () => {
    const { page } = admin;
    await navLink(page, 'Utilisateurs').click();
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await page.getByRole('button', { name: 'Ajouter un membre' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ajouter un membre' });
    // By default, the person is invited by mail; no password is asked.
    await dialog.getByText('recevra par e-mail une invitation').waitFor();
    expect(await field(dialog, 'Mot de passe initial').count()).toBe(0);
    await field(dialog, 'Adresse e-mail').fill(TECH.email);
    await field(dialog, 'Nom complet').fill(TECH.name);
    await dialog
      .getByRole('checkbox', {
        name: 'Compte sans boîte mail (atelier) : définir un mot de passe initial',
      })
      .check();
    await field(dialog, 'Mot de passe initial').fill(TECH.initialPassword);
    await choose(dialog, page, 'Rôle', 'Technicien');
    await dialog.getByRole('radio', { name: 'Certains sites seulement' }).check();
    await choose(dialog, page, 'Sites', 'Usine de Lyon (LYON)');
    await page.keyboard.press('Escape');
    await shot(page, 'users-add-member');
    await dialog.getByRole('button', { name: 'Créer le compte' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(`Compte créé pour ${TECH.name}`).waitFor();
    const row = page.getByTestId('member-row').filter({ hasText: TECH.email });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toMatch(/Technicien.*Usine de Lyon.*Actif/);

    // Filters: by role.
    await choose(page, page, 'Rôle', 'Technicien');
    await expect.poll(() => page.getByTestId('member-row').count()).toBe(1);
    await choose(page, page, 'Rôle', 'Administrateur');
    await expect.poll(() => page.getByTestId('member-row').count()).toBe(1);
    await page.goto(`${baseUrl}/users`);
    await expect.poll(() => page.getByTestId('member-row').count()).toBe(2);
    await shot(page, 'users');
    expectNoConsoleErrors(admin);
  });

  it('shows built-in roles read-only and creates a custom role with the permission matrix', async () => {
    const { page } = admin;
    await navLink(page, 'Rôles et permissions').click();
    await expect.poll(() => page.getByTestId('role-row').count()).toBe(5);
    await shot(page, 'roles');

    await page.getByRole('link', { name: 'Technicien' }).click();
    await page.getByText('Rôle prédéfini', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Enregistrer' }).count()).toBe(0);
    expect(
      await page
        .getByRole('checkbox', { name: 'Voir les sites, usines et lignes de production' })
        .isDisabled(),
    ).toBe(true);
    await shot(page, 'role-builtin');

    await navLink(page, 'Rôles et permissions').click();
    await page.getByRole('link', { name: 'Nouveau rôle' }).click();
    await field(page, 'Nom du rôle').fill('Chef d’équipe');
    await field(page, 'Description').fill('Encadre les techniciens d’un atelier.');
    for (const permission of [
      'Voir les sites, usines et lignes de production',
      "Voir les membres de l'entreprise",
      'Voir les rôles et leurs permissions',
    ]) {
      await page.getByRole('checkbox', { name: permission }).check();
    }
    await page.setViewportSize({ width: 1360, height: 1500 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'role-editor');
    await page.setViewportSize({ width: 1360, height: 860 });
    await page.getByRole('button', { name: 'Créer le rôle' }).click();
    await page.getByText('Rôle « Chef d’équipe » créé.').waitFor();
    await page.getByRole('heading', { name: 'Chef d’équipe' }).waitFor();

    // A role held by nobody can be deleted; then it is gone from the list.
    await page.getByRole('button', { name: 'Supprimer' }).click();
    await page
      .getByRole('dialog', { name: 'Supprimer ce rôle ?' })
      .getByRole('button', { name: 'Supprimer' })
      .click();
    await page.waitForURL(`${baseUrl}/roles`);
    await expect.poll(() => page.getByTestId('role-row').count()).toBe(5);
    expectNoConsoleErrors(admin);
  });

  it('reads the audit log with filters and before/after values', async () => {
    const { page } = admin;
    await navLink(page, "Journal d'audit").click();
    await page.getByRole('heading', { name: "Journal d'audit" }).waitFor();
    await choose(page, page, 'Élément', 'Usine');
    await choose(page, page, 'Action', 'Modification');
    const rows = page.getByTestId('audit-row');
    await expect.poll(() => rows.count()).toBe(1);
    // A sentence, then what changed as labelled fields: the name before and after.
    await expect
      .poll(() => rows.first().getByTestId('audit-sentence').textContent())
      .toMatch(new RegExp(`^${ADMIN.name} a modifié l’usine (\\S+ — )?Atelier d’assemblage$`));
    const fields = rows.first().getByTestId('audit-fields');
    await fields.locator('dt', { hasText: /^Nom$/ }).waitFor();
    await fields.locator('.diff-before', { hasText: /^Atelier assemblage$/ }).waitFor();
    await fields.locator('.diff-after', { hasText: /^Atelier d’assemblage$/ }).waitFor();
    await shot(page, 'audit');
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(5);

    await navLink(page, 'Accueil').click();
    await expect.poll(() => siteCount(page)).toBe('2');
    await shot(page, 'home');
    expectNoConsoleErrors(admin);
  });

  it('edits the profile and switches to English, remembered on the account', async () => {
    const { page } = admin;
    await openUserMenu(page);
    await page.getByRole('menuitem', { name: 'Mon profil' }).click();
    await page.getByRole('heading', { name: 'Mon profil' }).waitFor();
    await field(page, 'Nouveau mot de passe').fill('court');
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
    await page.getByText('Le mot de passe doit compter au moins 10 caractères.').waitFor();
    await shot(page, 'profile');

    await openUserMenu(page);
    await page.getByRole('menuitem', { name: 'English' }).click();
    await navLink(page, 'Sites and facilities').waitFor();
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    await expect.poll(() => field(page, 'Language').inputValue()).toBe('English');

    await page.reload();
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    expectNoConsoleErrors(admin);

    // Another browser, nothing stored: after login the account's language applies.
    const fresh = await openPage(browser);
    await fresh.page.goto(`${baseUrl}/audit`);
    await fresh.page.waitForURL(/\/login\?next=%2Faudit$/);
    await logIn(fresh.page, ADMIN.email, ADMIN.password);
    await fresh.page.getByRole('button', { name: `Ouvrir ${ADMIN.company}` }).click();
    // Back where the person was heading, in English.
    await fresh.page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(fresh.page.url()).toBe(`${baseUrl}/audit`);
    expectNoConsoleErrors(fresh);
    await fresh.context.close();
  });

  it('has the technician choose their own password at first login', async () => {
    // Until then, the API refuses everything but the change (and /me, and logout).
    const first = await apiCall<{ access_token: string; user: { must_change_password: boolean } }>(
      baseUrl,
      'POST',
      '/auth/login',
      { body: { email: TECH.email, password: TECH.initialPassword } },
    );
    expect(first.status).toBe(200);
    expect(first.body.user.must_change_password).toBe(true);
    const refused = await apiCall(baseUrl, 'GET', '/sites', { token: first.body.access_token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('password_change_required');

    const tech = await openPage(browser);
    const { page } = tech;
    await page.goto(`${baseUrl}/sites`);
    await page.waitForURL(/\/login/);
    await logIn(page, TECH.email, TECH.initialPassword);
    // Whatever the address, the app shows only the page to choose a password.
    await page.getByRole('heading', { name: 'Choisissez votre mot de passe' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Navigation principale' }).count()).toBe(0);
    await field(page, 'Mot de passe provisoire').fill('pas-le-bon-2026');
    await field(page, 'Nouveau mot de passe').fill(TECH.initialPassword);
    await field(page, 'Confirmer le mot de passe').fill(TECH.initialPassword);
    await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
    await page.getByText('Le mot de passe actuel est incorrect.').waitFor();
    await field(page, 'Mot de passe provisoire').fill(TECH.initialPassword);
    await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
    await page.getByText('Choisissez un mot de passe différent de l’actuel.').waitFor();
    await field(page, 'Nouveau mot de passe').fill(TECH.password);
    await field(page, 'Confirmer le mot de passe').fill(TECH.password);
    await shot(page, 'forced-password-change');
    await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
    // The app opens where the person was heading.
    await page.getByTestId('site-tree').getByText('Ligne moteurs').waitFor();
    expect(page.url()).toBe(`${baseUrl}/sites`);
    expectNoConsoleErrors(tech);
    await tech.context.close();
  });

  it('shows the technician only the Lyon site and offers no admin action', async () => {
    const tech = await openPage(browser);
    const { page } = tech;
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(`${baseUrl}/login`);
    await logIn(page, TECH.email, TECH.password);
    await page.waitForURL(`${baseUrl}/`);
    // A technician's home is their work, not the company's set-up.
    await page.getByTestId('home-my-day').waitFor();
    expect(await page.getByTestId('home-company').count()).toBe(0);

    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    await nav.getByRole('link', { name: 'Sites et installations' }).waitFor();
    for (const hidden of ['Utilisateurs', 'Rôles et permissions', "Journal d'audit"]) {
      expect(await nav.getByRole('link', { name: hidden }).count(), hidden).toBe(0);
    }
    await shot(page, 'technician-home');

    await nav.getByRole('link', { name: 'Sites et installations' }).click();
    const tree = page.getByTestId('site-tree');
    await tree.getByText('Ligne moteurs').waitFor();
    expect(await tree.getByText('Usine de Montréal').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Nouveau site' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Ajouter|Modifier|Supprimer) / }).count()).toBe(
      0,
    );
    await shot(page, 'technician-sites');

    // A typed address is not a way in either.
    await page.goto(`${baseUrl}/users`);
    await page.getByRole('heading', { name: 'Accès réservé' }).waitFor();
    await shot(page, 'technician-forbidden');

    // Forced through the API with the technician's own token, the server refuses.
    const login = await apiCall<{ access_token: string }>(baseUrl, 'POST', '/auth/login', {
      body: { email: TECH.email, password: TECH.password },
    });
    expect(login.status).toBe(200);
    const token = login.body.access_token;
    const createSite = await apiCall(baseUrl, 'POST', '/sites', {
      token,
      body: { code: 'HACK', name: 'Intrus', time_zone: 'UTC' },
    });
    expect(createSite.status).toBe(403);
    expect(createSite.body.code).toBe('forbidden');
    const listUsers = await apiCall(baseUrl, 'GET', '/users', { token });
    expect(listUsers.status).toBe(403);
    expect(listUsers.body.code).toBe('forbidden');
    const sites = await apiCall<{ items: Array<{ name: string }> }>(baseUrl, 'GET', '/sites', {
      token,
    });
    expect(sites.body.items.map((s) => s.name)).toEqual(['Usine de Lyon']);

    // The same refusal from the page itself, with the session the app holds (its refresh token
    // is the cookie's; the next one goes back there).
    const fromPage = await page.evaluate(async () => {
      const tokens = (await (
        await fetch('/api/v1/auth/refresh', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Gmao-Session': 'cookie' },
          body: '{}',
        })
      ).json()) as { access_token: string; refresh_token?: string | null };
      if (tokens.refresh_token) throw new Error('a refresh token in the body');
      const response = await fetch('/api/v1/sites', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${tokens.access_token}`,
        },
        body: JSON.stringify({ code: 'HACK', name: 'Intrus', time_zone: 'UTC' }),
      });
      return { status: response.status, body: (await response.json()) as { code: string } };
    });
    expect(fromPage).toEqual({
      status: 403,
      body: expect.objectContaining({ code: 'forbidden' }) as unknown,
    });
    expectNoConsoleErrors(tech);
    await tech.context.close();
  });

  it('works on a phone: burger menu and the site tree', async () => {
    const phone = await openPage(browser, {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const { page } = phone;
    await page.goto(`${baseUrl}/sites`);
    await page.waitForURL(/\/login/);
    await logIn(page, TECH.email, TECH.password);
    await page.waitForURL(`${baseUrl}/sites`);
    await page.getByTestId('site-tree').getByText('Ligne moteurs').waitFor();
    await shot(page, 'phone-sites');
    await page.getByRole('button', { name: 'Ouvrir la navigation' }).click();
    await navLink(page, 'Accueil').waitFor();
    await shot(page, 'phone-navigation');
    await navLink(page, 'Accueil').click();
    await page.getByRole('heading', { name: 'Accueil' }).waitFor();
    await shot(page, 'phone-home');
    expectNoConsoleErrors(phone);
    await phone.context.close();
  });
  it('refreshed the access token invisibly all along', async () => {
    const { page } = admin;
    // Tokens live ACCESS_TOKEN_TTL_SECS (+5 s of leeway): make sure one expired during the run.
    const waitMs = (ACCESS_TOKEN_TTL_SECS + 6) * 1000 - (Date.now() - startedAt);
    if (waitMs > 0) await page.waitForTimeout(waitMs);
    await navLink(page, 'Home').click();
    await expect.poll(() => siteCount(page)).toBe('2');
    expect(page.url()).toBe(`${baseUrl}/`);
    expect(admin.refreshes).toBeGreaterThan(0);
    await shot(page, 'home-english');
    expectNoConsoleErrors(admin);
  });
});
