// Accounts that mails prove, end to end against the real server (which writes its mails to
// files and announces them on stdout; `waitForMail` reads them): a sign-up with a registered
// address; a person invited by mail who accepts in a fresh browser with a new account; pending
// invitations resent and revoked; a password reset from the login page, which ends every
// session; an invitation accepted with an existing account's password; and the session that
// survives reloads through its HttpOnly cookie alone.
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import {
  afterTests,
  apiCall,
  choose,
  expectNoConsoleErrors,
  fieldOf,
  launch,
  mailsTo,
  nav,
  openPage,
  shot,
  signUp,
  submitLogin,
  type TrackedPage,
  waitForMail,
} from './helpers';

const baseUrl = inject('baseUrl');
const mailLog = inject('mailLog');

const ADMIN = {
  company: 'Brasserie des Monts',
  slug: 'brasserie-des-monts',
  name: 'Léa Fontaine',
  email: 'lea.fontaine@brasserie.test',
  password: 'Houblon-2026-cuve',
};
/** Invited by mail; makes a new account by accepting. */
const INVITEE = {
  name: 'Tom Perrin',
  email: 'tom.perrin@brasserie.test',
  password: 'Brassin-77-malt',
  /** After the reset of a forgotten password. */
  newPassword: 'Fermentation-99-levure',
};
/** Invited, then reminded, then revoked. */
const HESITANT = { name: 'Nina Roux', email: 'nina.roux@brasserie.test' };
/** Another company of the administrator, which invites someone who already has an account. */
const SECOND_COMPANY = { company: 'Malterie du Lac', slug: 'malterie-du-lac' };

let browser: Browser;
let admin: TrackedPage;
let invitee: TrackedPage | null = null;
/** Tom's browser after the reset, logged in to the first company. */
let tom: TrackedPage | null = null;
let current: TrackedPage | null = null;

beforeAll(async () => {
  browser = await launch();
  await signUp(baseUrl, ADMIN);
});

afterTests(
  () => browser,
  () => current,
);

const field = fieldOf('textbox', 'combobox');

async function invite(page: Page, person: { name: string; email: string }) {
  await page.getByRole('button', { name: 'Ajouter un membre' }).click();
  const dialog = page.getByRole('dialog', { name: 'Ajouter un membre' });
  await field(dialog, 'Adresse e-mail').fill(person.email);
  await field(dialog, 'Nom complet').fill(person.name);
  await choose(dialog, page, 'Rôle', 'Technicien');
  return dialog;
}

const invitationRow = (page: Page, email: string) =>
  page.getByTestId('invitation-row').filter({ hasText: email });

describe.sequential('accounts proven by mail', () => {
  it('signing up with a registered address only says to check the mailbox', async () => {
    const visitor = await openPage(browser);
    current = visitor;
    const { page } = visitor;
    const before = mailsTo(mailLog, ADMIN.email, '/login').length;
    await page.goto(`${baseUrl}/signup`);
    await field(page, "Nom de l'entreprise").fill('Cidrerie du Bocage');
    await field(page, 'Votre nom complet').fill(ADMIN.name);
    await field(page, 'Adresse e-mail professionnelle').fill(ADMIN.email);
    await field(page, 'Mot de passe').fill('Pommes-2026-pressoir');
    await page.getByRole('button', { name: "Créer l'entreprise" }).click();
    await page.getByRole('heading', { name: 'Consultez votre boîte mail' }).waitFor();
    await page.getByText(`L’adresse ${ADMIN.email} a déjà un compte gmao`).waitFor();
    await page.getByRole('link', { name: 'Choisir un nouveau mot de passe' }).waitFor();
    await shot(page, 'signup-registered-address');
    // Its owner is told by mail, with a way to log in; nothing was created.
    await waitForMail(mailLog, baseUrl, ADMIN.email, '/login', before);
    const login = await apiCall<{ tenant: { slug: string } }>(baseUrl, 'POST', '/auth/login', {
      body: { email: ADMIN.email, password: ADMIN.password },
    });
    expect(login.status).toBe(200);
    expect(login.body.tenant.slug).toBe(ADMIN.slug);
    await page.getByRole('link', { name: 'Se connecter' }).click();
    await page.waitForURL(`${baseUrl}/login`);
    expectNoConsoleErrors(visitor);
    await visitor.context.close();
  });

  it('invites a person by mail, who accepts in a fresh browser with a new account', async () => {
    admin = await openPage(browser);
    current = admin;
    const { page } = admin;
    await page.goto(`${baseUrl}/login`);
    await submitLogin(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${baseUrl}/`);
    await nav(page).getByRole('link', { name: 'Utilisateurs' }).click();
    const dialog = await invite(page, INVITEE);
    await dialog.getByText('recevra par e-mail une invitation').waitFor();
    await shot(page, 'users-invite');
    await dialog.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(`Invitation envoyée à ${INVITEE.email}`).waitFor();

    // The pending invitation: who invited, and when its link expires.
    await page.getByRole('tab', { name: /^Invitations en attente/ }).click();
    const row = invitationRow(page, INVITEE.email);
    await expect.poll(() => row.textContent()).toMatch(/Technicien.*Léa Fontaine.*Expire /);
    expect(page.url()).toBe(`${baseUrl}/users?view=invitations`);
    await shot(page, 'users-invitations');

    // The link, opened in another browser where nobody is logged in.
    const { url } = await waitForMail(mailLog, baseUrl, INVITEE.email, '/invitation');
    invitee = await openPage(browser);
    current = invitee;
    const other = invitee.page;
    await other.goto(url);
    await other.getByRole('heading', { name: `Rejoindre ${ADMIN.company}` }).waitFor();
    await other
      .getByText(`${ADMIN.name} vous invite à rejoindre ${ADMIN.company} sur gmao.`)
      .waitFor();
    await expect
      .poll(() => other.getByTestId('invitation-summary').textContent())
      .toMatch(new RegExp(`Technicien.*${INVITEE.email}`));
    await expect.poll(() => field(other, 'Votre nom complet').inputValue()).toBe(INVITEE.name);
    await field(other, 'Choisissez un mot de passe').fill(INVITEE.password);
    await field(other, 'Confirmer le mot de passe').fill(INVITEE.password);
    await shot(other, 'invitation-new-account');
    await other.getByRole('button', { name: `Rejoindre ${ADMIN.company}` }).click();
    await other.waitForURL(`${baseUrl}/`);
    await expect.poll(() => other.getByTestId('tenant-name').textContent()).toBe(ADMIN.company);
    await other.getByRole('heading', { name: 'Accueil' }).waitFor();
    expectNoConsoleErrors(invitee);

    // The administrator sees a member now, and no pending invitation.
    current = admin;
    await page.reload();
    await page.getByText('Aucune invitation en attente').waitFor();
    await page.getByRole('tab', { name: 'Membres' }).click();
    await page.getByTestId('member-row').filter({ hasText: INVITEE.email }).waitFor();
    // Inviting a member again is refused under the address.
    const again = await invite(page, INVITEE);
    await again.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await again.getByText('Cette personne est déjà membre de l’entreprise.').waitFor();
    await again.getByRole('button', { name: 'Annuler' }).click();
    expectNoConsoleErrors(admin);
  });

  it('resends and revokes a pending invitation; earlier links stop working', async () => {
    const { page } = admin;
    current = admin;
    let dialog = await invite(page, HESITANT);
    await dialog.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const first = await waitForMail(mailLog, baseUrl, HESITANT.email, '/invitation', 0);

    // Inviting the same address again offers to resend the pending invitation.
    dialog = await invite(page, HESITANT);
    await dialog.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await dialog
      .getByText('Une invitation est déjà en attente pour cette adresse : renvoyez-la plutôt.')
      .waitFor();
    await shot(page, 'users-invitation-pending');
    await dialog.getByRole('button', { name: 'Renvoyer l’invitation' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(`Invitation renvoyée à ${HESITANT.email}.`).waitFor();
    await waitForMail(mailLog, baseUrl, HESITANT.email, '/invitation', 1);

    // The first link was replaced.
    const visitor = await openPage(browser);
    await visitor.page.goto(first.url);
    await visitor.page
      .getByRole('heading', { name: 'Cette invitation n’est plus valable' })
      .waitFor();

    // Resent again from the list: a third mail.
    await page.getByRole('tab', { name: /^Invitations en attente/ }).click();
    const row = invitationRow(page, HESITANT.email);
    await row
      .getByRole('button', { name: `Actions pour l’invitation de ${HESITANT.name}` })
      .click();
    await page.getByRole('menuitem', { name: 'Renvoyer' }).click();
    await page.getByText(`Invitation renvoyée à ${HESITANT.email}.`).waitFor();
    await expect.poll(() => row.textContent()).toMatch(/Envoyée 3 fois/);
    const latest = await waitForMail(mailLog, baseUrl, HESITANT.email, '/invitation', 2);

    // Revoked: gone from the list, and its link says so.
    await row
      .getByRole('button', { name: `Actions pour l’invitation de ${HESITANT.name}` })
      .click();
    await page.getByRole('menuitem', { name: 'Révoquer' }).click();
    const confirm = page.getByRole('dialog', { name: 'Révoquer cette invitation ?' });
    await confirm.getByText(`Le lien envoyé à ${HESITANT.email} ne fonctionnera plus`).waitFor();
    await confirm.getByRole('button', { name: 'Révoquer' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText('Aucune invitation en attente').waitFor();
    await visitor.page.goto(latest.url);
    await visitor.page.getByText('Cette invitation a été annulée par l’entreprise.').waitFor();
    await shot(visitor.page, 'invitation-revoked');
    expectNoConsoleErrors(visitor);
    await visitor.context.close();
    expectNoConsoleErrors(admin);
  });

  it('resets a forgotten password from the login page, which ends every session', async () => {
    const visitor = await openPage(browser);
    current = visitor;
    const { page } = visitor;
    await page.goto(`${baseUrl}/login`);
    // An address without an account gets the same answer as one with.
    await field(page, 'Adresse e-mail').fill('personne@nulle-part.test');
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.waitForURL(/\/forgot-password\?email=/);
    await expect
      .poll(() => field(page, 'Adresse e-mail').inputValue())
      .toBe('personne@nulle-part.test');
    await page.getByRole('button', { name: 'Recevoir un lien' }).click();
    await page.getByText('Si un compte gmao existe pour personne@nulle-part.test').waitFor();
    await page.getByRole('button', { name: 'Utiliser une autre adresse' }).click();
    await field(page, 'Adresse e-mail').fill(INVITEE.email);
    await shot(page, 'forgot-password');
    await page.getByRole('button', { name: 'Recevoir un lien' }).click();
    await page.getByText(`Si un compte gmao existe pour ${INVITEE.email}`).waitFor();
    await shot(page, 'forgot-password-sent');

    const link = await waitForMail(mailLog, baseUrl, INVITEE.email, '/reset-password');
    await page.goto(link.url);
    await page.getByRole('heading', { name: 'Choisir un nouveau mot de passe' }).waitFor();
    await field(page, 'Nouveau mot de passe').fill(INVITEE.newPassword);
    await field(page, 'Confirmer le mot de passe').fill(INVITEE.newPassword);
    await shot(page, 'reset-password');
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await page.getByRole('heading', { name: 'Mot de passe enregistré' }).waitFor();
    await page.getByRole('link', { name: 'Se connecter' }).click();
    await page.waitForURL(`${baseUrl}/login`);
    await submitLogin(page, INVITEE.email, INVITEE.newPassword);
    await page.waitForURL(`${baseUrl}/`);
    const old = await apiCall(baseUrl, 'POST', '/auth/login', {
      body: { email: INVITEE.email, password: INVITEE.password },
    });
    expect(old.status).toBe(401);

    // The session opened by the invitation, in the other browser, is over.
    if (invitee) {
      await invitee.page.reload();
      await invitee.page.waitForURL(/\/login/);
      await invitee.page.getByRole('heading', { name: 'Connexion' }).waitFor();
      await invitee.context.close();
      invitee = null;
    }

    // The link worked once.
    const again = await openPage(browser);
    await again.page.goto(link.url);
    await field(again.page, 'Nouveau mot de passe').fill(INVITEE.password);
    await field(again.page, 'Confirmer le mot de passe').fill(INVITEE.password);
    await again.page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await again.page.getByRole('heading', { name: 'Ce lien ne fonctionne plus' }).waitFor();
    await again.page.getByRole('link', { name: 'Demander un nouveau lien' }).click();
    await again.page.waitForURL(`${baseUrl}/forgot-password`);
    expectNoConsoleErrors(again);
    await again.context.close();
    expectNoConsoleErrors(visitor);
    tom = visitor;
  });

  it('accepts an invitation with the password of an existing account', async () => {
    // The administrator confirms their address, then opens a second company that invites Tom.
    const verify = await waitForMail(mailLog, baseUrl, ADMIN.email, '/verify-email');
    const verified = await apiCall(baseUrl, 'POST', '/auth/verify-email', {
      body: { token: verify.token, password: ADMIN.password },
    });
    expect(verified.status).toBe(204);
    const login = await apiCall<{ access_token: string }>(baseUrl, 'POST', '/auth/login', {
      body: { email: ADMIN.email, password: ADMIN.password },
    });
    const created = await apiCall<{ access_token: string }>(baseUrl, 'POST', '/me/tenants', {
      token: login.body.access_token,
      body: { company_name: SECOND_COMPANY.company, tenant_slug: SECOND_COMPANY.slug },
    });
    expect(created.status).toBe(201);
    const token = created.body.access_token;
    const roles = await apiCall<{ items: Array<{ id: string; key: string }> }>(
      baseUrl,
      'GET',
      '/roles',
      { token },
    );
    const technician = roles.body.items.find((role) => role.key === 'technician');
    const invited = await apiCall(baseUrl, 'POST', '/users', {
      token,
      body: { email: INVITEE.email, full_name: INVITEE.name, role_id: technician?.id },
    });
    expect(invited.status).toBe(201);

    // Tom opens the link where he is logged in to the first company: accepting opens the second.
    const visitor = tom ?? (await openPage(browser));
    current = visitor;
    const { page } = visitor;
    await expect.poll(() => page.getByTestId('tenant-name').textContent()).toBe(ADMIN.company);
    const link = await waitForMail(mailLog, baseUrl, INVITEE.email, '/invitation', 1);
    await page.goto(link.url);
    await page.getByRole('heading', { name: `Rejoindre ${SECOND_COMPANY.company}` }).waitFor();
    await page
      .getByText('Cette adresse a déjà un compte gmao : saisissez son mot de passe')
      .waitFor();
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).waitFor();
    await field(page, 'Mot de passe').fill(INVITEE.password);
    await page.getByRole('button', { name: `Rejoindre ${SECOND_COMPANY.company}` }).click();
    await page.getByText('Adresse e-mail ou mot de passe incorrect.').waitFor();
    await shot(page, 'invitation-existing-account');
    await field(page, 'Mot de passe').fill(INVITEE.newPassword);
    await page.getByRole('button', { name: `Rejoindre ${SECOND_COMPANY.company}` }).click();
    await page.waitForURL(`${baseUrl}/`);
    await expect
      .poll(() => page.getByTestId('tenant-name').textContent())
      .toBe(SECOND_COMPANY.company);
    await page.getByRole('heading', { name: 'Accueil' }).waitFor();
    expectNoConsoleErrors(visitor);
    await visitor.context.close();
    tom = null;
  });

  it('keeps the session across reloads through its HttpOnly cookie alone', async () => {
    const { page, context } = admin;
    current = admin;
    // The verification above ended the administrator's sessions: this browser logs in again.
    await page.goto(`${baseUrl}/users`);
    await page.waitForURL(/\/login/);
    await submitLogin(page, ADMIN.email, ADMIN.password);
    await page.getByRole('button', { name: `Ouvrir ${ADMIN.company}` }).click();
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();

    // A refresh token an earlier version kept in localStorage is dropped at startup.
    await page.evaluate(() => localStorage.setItem('gmao.refresh_token', 'left-over'));
    const refreshes = admin.refreshes;
    await page.reload();
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    // No access token survives a reload: the cookie's refresh token brought a new one.
    expect(admin.refreshes).toBeGreaterThan(refreshes);
    const stored = await page.evaluate(() => ({
      keys: Object.keys(localStorage),
      cookies: document.cookie,
    }));
    expect(stored.keys).toContain('gmao.session');
    expect(stored.keys.filter((key) => /refresh|token/i.test(key))).toEqual([]);
    expect(stored.cookies).not.toContain('gmao_refresh');
    const cookie = (await context.cookies()).find((c) => c.name === 'gmao_refresh');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });

    // Logging out forgets the cookie and the marker; a reload stays logged out.
    await page.getByRole('button', { name: 'Menu du compte' }).click();
    await page.getByRole('menuitem', { name: 'Se déconnecter' }).click();
    await page.waitForURL(`${baseUrl}/login`);
    expect((await context.cookies()).some((c) => c.name === 'gmao_refresh')).toBe(false);
    expect(await page.evaluate(() => localStorage.getItem('gmao.session'))).toBeNull();
    await page.goto(`${baseUrl}/users`);
    await page.waitForURL(/\/login\?next=%2Fusers$/);
    expectNoConsoleErrors(admin);
    await context.close();
  });
});
