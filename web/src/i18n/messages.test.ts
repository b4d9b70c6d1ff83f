import { describe, expect, it } from 'vitest';

import { ApiError, networkError, toApiError } from '../api/errors';
import { errorMessage, fieldMessage, formErrors } from './messages';
import { testI18n } from './testing';

const frI18n = await testI18n('fr');
const enI18n = await testI18n('en');

/** Every code of docs/api.md, top-level and field-level. */
const TOP_LEVEL_CODES = [
  'invalid_json',
  'invalid_request',
  'invalid_parameter',
  'invalid_sort',
  'unauthenticated',
  'invalid_token',
  'token_expired',
  'session_ended',
  'invalid_credentials',
  'invalid_refresh_token',
  'refresh_token_reused',
  'forbidden',
  'tenant_suspended',
  'account_disabled',
  'no_tenant',
  'cannot_grant_role',
  'cannot_grant_permission',
  'site_scope_exceeded',
  'cannot_change_self',
  'not_found',
  'route_not_found',
  'method_not_allowed',
  'tenant_required',
  'slug_taken',
  'email_taken',
  'code_taken',
  'name_taken',
  'has_children',
  'role_in_use',
  'builtin_role_read_only',
  'already_member',
  'last_admin',
  'payload_too_large',
  'unsupported_content_type',
  'validation_failed',
  'too_many_attempts',
  'internal_error',
  // The maintenance cycle.
  'not_assigned',
  'not_your_time_entry',
  'serial_number_taken',
  'has_history',
  'open_work_orders',
  'equipment_archived',
  'invalid_transition',
  'checklist_incomplete',
  'request_already_decided',
  'work_order_finished',
  'work_order_cancelled',
  'work_order_not_in_progress',
  'in_use',
  'unsupported_file_type',
  'import_refused',
  // Preventive maintenance.
  'plan_archived',
  'occurrence_generated',
  'too_many_entries',
  // Scheduled reports.
  'already_preparing',
  // Accounts: mailed links, invitations, forced password changes.
  'password_change_required',
  'already_verified',
  'email_not_verified',
  'link_expired',
  'invitation_pending',
  'invitation_closed',
  'invitation_state_changed',
  'cannot_manage_member',
  'cannot_change_role',
  'server_busy',
  'invalid_characters',
];
const FIELD_CODES = [
  'required',
  'too_long',
  'invalid_characters',
  'invalid_code',
  'invalid_time_zone',
  'invalid_email',
  'invalid_slug',
  'reserved_slug',
  'unknown_role',
  'unknown_site',
  'unknown_plant',
  'unknown_permission',
  'password_required_for_new_account',
  'wrong_password',
  'unknown_production_line',
  'unknown_equipment',
  'location_required',
  'inconsistent_location',
  'invalid_parent',
  'invalid_specifications',
  'before_purchase_date',
  'invalid_assignee',
  'unknown_failure_code',
  'invalid_number',
  'reading_below_previous',
  'reading_above_next',
  'reading_exists',
  'reading_in_future',
  'reading_negative',
  'invalid_bounds',
  'out_of_range',
  'before_start',
  'invalid_period',
  'unknown_meter',
  'unknown_occurrence',
  'weekdays_need_weekly_rule',
  'day_of_month_needs_monthly_rule',
  'not_skipped',
  'same_password',
  'range_too_long',
  'invalid_time',
  'cannot_receive',
  'too_many_recipients',
];

describe('errorMessage', () => {
  it('has a French and an English sentence for every documented code', () => {
    for (const code of TOP_LEVEL_CODES) {
      const error = new ApiError(400, code, `server says ${code}`);
      const inFrench = errorMessage(frI18n, error);
      const inEnglish = errorMessage(enI18n, error);
      expect(inFrench, code).not.toContain(code);
      expect(inFrench, code).not.toBe(`server says ${code}`);
      expect(inEnglish, code).not.toBe(inFrench);
    }
  });

  it('chooses by code, not by the server message', () => {
    const error = toApiError(409, {
      code: 'slug_taken',
      message: 'whatever',
      details: { field: 'tenant_slug' },
    });
    expect(errorMessage(frI18n, error)).toBe('Cet identifiant d’espace est déjà pris.');
    expect(errorMessage(enI18n, error)).toBe('This workspace identifier is already taken.');
  });

  it('uses details: members holding a role, children of a site, minutes to wait', () => {
    const inUse = new ApiError(409, 'role_in_use', '', { members: 3 });
    expect(errorMessage(frI18n, inUse)).toBe(
      'Ce rôle est attribué à 3 membres : changez d’abord leur rôle.',
    );
    expect(errorMessage(enI18n, inUse)).toBe(
      'This role is given to 3 members: change their role first.',
    );
    const children = new ApiError(409, 'has_children', '', { plants: 1 });
    expect(errorMessage(frI18n, children)).toBe(
      'Ce site contient encore 1 usine : supprimez-la ou déplacez-la d’abord.',
    );
    expect(
      errorMessage(enI18n, new ApiError(409, 'has_children', '', { production_lines: 2 })),
    ).toBe('This plant still has 2 lines: delete or move them first.');
    expect(errorMessage(enI18n, new ApiError(409, 'has_children', '', {}))).toBe(
      'Delete what depends on this item first.',
    );
    const wait = new ApiError(429, 'too_many_attempts', '', { retry_after_seconds: 125 });
    expect(errorMessage(frI18n, wait)).toBe('Trop de tentatives. Réessayez dans 3 minutes.');
    expect(errorMessage(enI18n, wait)).toBe('Too many attempts. Try again in 3 minutes.');
  });

  it('explains a single field code raised at the top level', () => {
    const error = toApiError(422, {
      code: 'invalid_slug',
      message: '…',
      details: { fields: { tenant_slug: { code: 'invalid_slug', min: 3, max: 40 } } },
    });
    expect(errorMessage(enI18n, error)).toMatch(/^3 to 40 characters/);
  });

  it('falls back to the server message for a code it does not know, then to a generic one', () => {
    expect(
      errorMessage(enI18n, new ApiError(409, 'shiny_conflict', 'Cannot close an open order.')),
    ).toBe('Cannot close an open order.');
    expect(errorMessage(enI18n, new ApiError(409, 'brand_new_code', ''))).toBe(
      'Something unexpected went wrong. Try again.',
    );
    expect(errorMessage(frI18n, new Error('boom'))).toBe(
      'Une erreur inattendue est survenue. Réessayez.',
    );
    expect(errorMessage(frI18n, networkError(new TypeError('fetch failed')))).toMatch(
      /^Impossible de joindre/,
    );
  });
});

describe('errors of the maintenance cycle', () => {
  it('explains a refused archive or delete with its counts', () => {
    expect(
      errorMessage(frI18n, new ApiError(409, 'open_work_orders', '', { open_work_orders: 2 })),
    ).toBe(
      '2 interventions sont encore ouvertes sur cet équipement : terminez-les ou annulez-les d’abord.',
    );
    expect(errorMessage(enI18n, new ApiError(409, 'has_children', '', { components: 1 }))).toBe(
      'This equipment still has 1 component in service: archive or detach it first.',
    );
    // A site with no plant left but equipment on it says so (not "0 plants").
    expect(
      errorMessage(frI18n, new ApiError(409, 'has_children', '', { plants: 0, equipment: 3 })),
    ).toBe('3 équipements s’y trouvent encore : déplacez-les ou archivez-les d’abord.');
    expect(errorMessage(enI18n, new ApiError(409, 'in_use', '', { work_orders: 4 }))).toBe(
      'This code is used by 4 work orders: deactivate it instead, it will stay on those orders.',
    );
    expect(errorMessage(enI18n, new ApiError(409, 'has_history', ''))).toMatch(
      /archive it instead/,
    );
  });

  it('names the open required checklist items of a refused completion', () => {
    const error = toApiError(409, {
      code: 'checklist_incomplete',
      message: '',
      details: { items: [{ id: 'a', label: 'Carter remonté' }] },
    });
    expect(errorMessage(frI18n, error)).toBe(
      'Renseignez d’abord le point obligatoire « Carter remonté ».',
    );
    expect(errorMessage(enI18n, error)).toBe('Answer the required item “Carter remonté” first.');
  });

  it('says which action a state refuses, in words', () => {
    const error = toApiError(409, {
      code: 'invalid_transition',
      message: '',
      details: { from: 'open', action: 'start', allowed: ['assign', 'cancel'] },
    });
    expect(errorMessage(frI18n, error)).toBe(
      'Impossible de « Démarrer » : le bon est maintenant « À planifier ». La page a été mise à jour.',
    );
  });

  it('shows the previous reading of a refused one, formatted', () => {
    const error = toApiError(422, {
      code: 'reading_below_previous',
      message: '',
      details: {
        fields: {
          value: {
            code: 'reading_below_previous',
            previous_value: 1500,
            previous_read_at: '2026-02-10T08:00:00Z',
          },
        },
      },
    });
    const { fields } = formErrors(enI18n, error, ['value', 'read_at']);
    expect(fields.value).toMatch(/^Below the previous reading \(1,500 on Feb 10, 2026, .+\)/);
  });

  it('gives the size limit of a refused upload', () => {
    const error = new ApiError(413, 'payload_too_large', '', { max_bytes: 20 * 1024 * 1024 });
    expect(errorMessage(frI18n, error)).toBe(
      'Le fichier dépasse la taille maximale acceptée (20 Mo).',
    );
    expect(errorMessage(enI18n, new ApiError(415, 'unsupported_file_type', ''))).toBe(
      'Only photos (JPEG, PNG, WebP, HEIF…) and PDFs are accepted.',
    );
  });
});

describe('errors of accounts', () => {
  it('explains mailed links, invitations and forced password changes', () => {
    expect(errorMessage(frI18n, new ApiError(410, 'link_expired', '', { reason: 'expired' }))).toBe(
      'Ce lien ne fonctionne plus : il a déjà servi, a expiré ou a été remplacé. Demandez-en un nouveau.',
    );
    const pending = toApiError(409, {
      code: 'invitation_pending',
      message: '',
      details: { field: 'email', invitation_id: '0190-…' },
    });
    expect(formErrors(enI18n, pending, ['email', 'full_name']).fields).toEqual({
      email: 'An invitation is already waiting for this address: resend it instead.',
    });
    expect(errorMessage(enI18n, new ApiError(403, 'password_change_required', ''))).toMatch(
      /^Choose your own password first/,
    );
  });

  it('puts the refusals of a password change under their fields', () => {
    const same = toApiError(422, {
      code: 'same_password',
      message: '',
      details: { fields: { new_password: { code: 'same_password' } } },
    });
    expect(
      formErrors(frI18n, same, ['current', 'password'], {
        current_password: 'current',
        new_password: 'password',
      }).fields,
    ).toEqual({ password: 'Choisissez un mot de passe différent de l’actuel.' });
  });

  it('says the latest day of a period too long as a date', () => {
    const error = toApiError(422, {
      code: 'range_too_long',
      message: '',
      details: {
        fields: { to: { code: 'range_too_long', max_days: 400, max: '2031-12-03T10:00:00Z' } },
      },
    });
    expect(formErrors(enI18n, error, ['to']).fields.to).toBe(
      'Period too long: up to Dec 3, 2031 at most.',
    );
  });
});

describe('fieldMessage', () => {
  it('has both languages for every field code', () => {
    for (const code of FIELD_CODES) {
      const inFrench = fieldMessage(frI18n, { code, max: 32, min: 3, value: 'x:y' });
      const inEnglish = fieldMessage(enI18n, { code, max: 32, min: 3, value: 'x:y' });
      expect(inFrench, code).not.toMatch(/Valeur refusée/);
      expect(inEnglish, code).not.toMatch(/Value refused/);
      expect(inFrench, code).not.toBe(inEnglish);
    }
  });

  it('says both bounds of a range when there are two, formatted', () => {
    expect(fieldMessage(frI18n, { code: 'out_of_range', min: 1, max: 1000 })).toBe(
      `Entre 1 et ${new Intl.NumberFormat('fr').format(1000)}.`,
    );
    expect(fieldMessage(enI18n, { code: 'out_of_range', min: 0, max: 1_000_000 })).toBe(
      'Between 0 and 1,000,000.',
    );
    expect(fieldMessage(enI18n, { code: 'out_of_range', min: 1, max: 31 })).toBe(
      'Between 1 and 31.',
    );
  });

  it('says a lower bound alone without an empty upper one (an interval above 0)', () => {
    expect(fieldMessage(frI18n, { code: 'out_of_range', min: 0 })).toBe('Doit être supérieur à 0.');
    expect(fieldMessage(enI18n, { code: 'out_of_range', min: 0 })).toBe('Must be more than 0.');
    expect(fieldMessage(enI18n, { code: 'out_of_range', min: 0, max: null })).toBe(
      'Must be more than 0.',
    );
    expect(fieldMessage(enI18n, { code: 'out_of_range', max: 500 })).toBe('At most 500.');
    expect(fieldMessage(frI18n, { code: 'out_of_range' })).not.toContain('{{');
    expect(fieldMessage(enI18n, { code: 'out_of_range' })).not.toContain('{{');
  });

  it('explains refusals about skipped due dates', () => {
    const notSkipped = toApiError(422, {
      code: 'not_skipped',
      message: '',
      details: { fields: { occurrence: { code: 'not_skipped' } } },
    });
    expect(errorMessage(frI18n, notSkipped)).toBe(
      'Cette échéance n’est plus sautée ; la liste a été mise à jour.',
    );
    expect(errorMessage(enI18n, new ApiError(409, 'plan_archived', ''))).toBe(
      'This plan is archived: it can no longer be changed.',
    );
  });

  it('gives each weak-password reason its own sentence, with parameters', () => {
    expect(fieldMessage(frI18n, { code: 'weak_password', reason: 'too_short', min: 10 })).toBe(
      'Le mot de passe doit compter au moins 10 caractères.',
    );
    expect(fieldMessage(enI18n, { code: 'weak_password', reason: 'too_short', min: 10 })).toBe(
      'The password must have at least 10 characters.',
    );
    for (const reason of ['too_long', 'needs_variety', 'too_common', 'contains_personal_info']) {
      expect(fieldMessage(enI18n, { code: 'weak_password', reason })).not.toBe(
        'Password too weak.',
      );
    }
    expect(fieldMessage(enI18n, { code: 'weak_password', reason: 'new_rule' })).toBe(
      'Password too weak.',
    );
    expect(fieldMessage(enI18n, { code: 'too_long', max: 120 })).toBe('At most 120 characters.');
  });

  it('uses the server message for an unknown field code', () => {
    expect(fieldMessage(enI18n, { code: 'shiny_new', message: 'Shiny.' })).toBe('Shiny.');
    expect(fieldMessage(enI18n, { code: 'shiny_new' })).toBe('Value refused (shiny_new).');
  });
});

describe('plurals', () => {
  it('says "none" for zero and agrees in number', () => {
    expect(frI18n.t('sites.plantCount', { count: 0 })).toBe('Aucune usine');
    expect(frI18n.t('sites.plantCount', { count: 1 })).toBe('1 usine');
    expect(frI18n.t('sites.plantCount', { count: 3 })).toBe('3 usines');
    expect(enI18n.t('sites.plantCount', { count: 0 })).toBe('No plants');
    expect(enI18n.t('sites.plantCount', { count: 1 })).toBe('1 plant');
    expect(enI18n.t('roles.memberCount', { count: 2 })).toBe('2 members');
  });
});

describe('formErrors', () => {
  it('puts every 422 field under its form field', () => {
    const error = toApiError(422, {
      code: 'validation_failed',
      message: '',
      details: {
        fields: {
          tenant_slug: { code: 'reserved_slug' },
          password: { code: 'weak_password', reason: 'needs_variety' },
        },
      },
    });
    const result = formErrors(enI18n, error, ['tenant_slug', 'password', 'email']);
    expect(result.general).toBeNull();
    expect(result.fields).toEqual({
      tenant_slug: 'This identifier is reserved; choose another one.',
      password: 'Mix letters with digits or symbols.',
    });
  });

  it('attaches a conflict to the field it names', () => {
    const error = toApiError(409, { code: 'code_taken', message: '', details: { field: 'code' } });
    expect(formErrors(frI18n, error, ['code', 'name'])).toEqual({
      fields: { code: 'Ce code est déjà utilisé.' },
      general: null,
    });
  });

  it('keeps what belongs to no field of the form as a general message', () => {
    const forbidden = new ApiError(403, 'forbidden', '', { permission: 'sites:manage' });
    expect(formErrors(enI18n, forbidden, ['code'])).toEqual({
      fields: {},
      general: 'Your role does not allow this action.',
    });
    const unplaced = toApiError(422, {
      code: 'validation_failed',
      message: '',
      details: {
        fields: {
          name: { code: 'required' },
          permissions: { code: 'unknown_permission', value: 'a:b' },
        },
      },
    });
    const result = formErrors(enI18n, unplaced, ['name']);
    expect(result.fields).toEqual({ name: 'This field is required.' });
    expect(result.general).toBe('Some fields are invalid: fix them and try again.');
  });

  it('maps API field names to form field names', () => {
    const error = toApiError(422, {
      code: 'wrong_password',
      message: '',
      details: { fields: { current_password: { code: 'wrong_password' } } },
    });
    expect(formErrors(enI18n, error, ['current'], { current_password: 'current' }).fields).toEqual({
      current: 'The current password is incorrect.',
    });
  });
});
