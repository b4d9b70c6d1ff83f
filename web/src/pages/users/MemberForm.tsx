// Add a member (an invitation by mail, or for shop-floor staff without a mailbox an account with
// an initial password), or change a member's role and site scope, and their own weekly hours and
// hourly rate (empty: the company's).
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  PasswordInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call, type Member, type Role, type Schemas, type Site } from '../../api/client';
import { ApiError, isApiError } from '../../api/errors';
import { useLabour } from '../../api/queries';
import { useAuth, useMe } from '../../auth/context';
import { FormError } from '../../components/FormError';
import { LANGUAGES, currentLanguage, type AppLanguage } from '../../i18n';
import { errorMessage, fieldMessage } from '../../i18n/messages';
import { rule, useFormSubmit } from '../../lib/forms';
import { formatHours, formatMoney, currencySymbol } from '../../lib/kpis';
import { memberLabourChanges, memberLabourValues, type NumberField } from '../../lib/labour';
import { grantableRoles, PERMISSIONS } from '../../lib/permissions';
import { checkEmail, checkName, checkPassword, type Problem } from '../../lib/validation';

type AddedMember = Schemas['AddedMember'];

interface MemberValues {
  email: string;
  full_name: string;
  /** No mailbox: an account is made at once with `password`, to be changed at first login. */
  shop_floor: boolean;
  password: string;
  role_id: string;
  locale: AppLanguage;
  scope: 'all' | 'some';
  site_ids: string[];
  /** Their own; empty: the company's. */
  weekly_capacity_hours: NumberField;
  hourly_rate: NumberField;
}

interface MemberFormModalProps {
  opened: boolean;
  member: Member | null;
  roles: Role[];
  sites: Site[];
  onClose: () => void;
  onSaved: (result: MemberSaved) => void;
}

/** What saving did. */
export type MemberSaved =
  | { kind: 'updated'; member: Member }
  /** An account made with an initial password. */
  | { kind: 'created'; member: Member }
  /** An invitation mailed; `instead` when an initial password was given for an address that has an account. */
  | { kind: 'invited'; email: string; instead: boolean }
  /** The invitation already pending for the address, sent again. */
  | { kind: 'resent'; email: string };

export function MemberFormModal(props: MemberFormModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={
        props.member ? t('users.editTitle', { name: props.member.full_name }) : t('users.addTitle')
      }
      size="lg"
    >
      {props.opened && <MemberForm {...props} />}
    </Modal>
  );
}

function MemberForm({ member, roles, sites, onClose, onSaved }: MemberFormModalProps) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  // What people cost and how long they work is for those who manage them and see every site
  // (the server says the same); nobody sets their own rate.
  const withLabour =
    member !== null &&
    can(PERMISSIONS.usersManage) &&
    (me.site_scope ?? null) === null &&
    member.id !== me.user.id;
  const labour = useLabour(withLabour);
  const myScope = me.site_scope ?? null;
  // A member limited to some sites can only give scopes within theirs, never "every site".
  const mustScope = myScope !== null;
  const siteOptions = sites
    .filter((s) => myScope === null || myScope.includes(s.id))
    .map((s) => ({ value: s.id, label: `${s.name} (${s.code})` }));
  const roleOptions = grantableRoles(roles, me.permissions).map((r) => ({
    value: r.id,
    label: r.name,
  }));
  const defaultRole = roles.find((r) => r.key === 'technician') ?? roles.find((r) => !r.builtin);

  // The password is the new member's: the rule speaks of their name and address, not the
  // reader's (the server sends the same `contains_personal_info`, without the company here).
  const passwordMessage = (problem: NonNullable<Problem>, fullName: string) => {
    if (problem.code !== 'weak_password' || problem.reason !== 'contains_personal_info') {
      return fieldMessage(i18n, problem);
    }
    const name = fullName.trim();
    return name ? t('users.passwordPersonalInfoNamed', { name }) : t('users.passwordPersonalInfo');
  };
  const form = useForm<MemberValues>({
    initialValues: {
      email: member?.email ?? '',
      full_name: member?.full_name ?? '',
      shop_floor: false,
      password: '',
      role_id:
        member?.role.id ??
        (defaultRole && roleOptions.some((o) => o.value === defaultRole.id) ? defaultRole.id : ''),
      locale: currentLanguage(),
      scope: member ? (member.site_ids != null ? 'some' : 'all') : mustScope ? 'some' : 'all',
      site_ids: member?.site_ids ?? [],
      ...memberLabourValues(member ?? {}),
    },
    validateInputOnBlur: true,
    validate: {
      email: member ? undefined : rule(i18n, checkEmail),
      full_name: member ? undefined : rule(i18n, (v: string) => checkName(v, 120)),
      password: (value, values) => {
        if (member || !values.shop_floor) return null;
        const problem = checkPassword(value, { email: values.email, fullName: values.full_name });
        return problem ? passwordMessage(problem, values.full_name) : null;
      },
      role_id: (value) => (value ? null : fieldMessage(i18n, { code: 'required' })),
      site_ids: (value, values) =>
        values.scope === 'some' && value.length === 0 ? t('users.pickSites') : null,
    },
  });

  // 409 invitation_pending: the invitation already waiting for this address, to resend.
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [resending, setResending] = useState(false);
  const [resendError, setResendError] = useState<string | null>(null);

  const { busy, general, submit } = useFormSubmit(
    form,
    async (values: MemberValues) => {
      const siteIds = values.scope === 'some' ? values.site_ids : null;
      if (member) {
        const body: Schemas['MemberUpdate'] = {};
        if (values.role_id !== member.role.id) body.role_id = values.role_id;
        const before = member.site_ids == null ? null : [...member.site_ids].sort().join(',');
        const after = siteIds == null ? null : [...siteIds].sort().join(',');
        // `null` gives every site back.
        if (before !== after) body.site_ids = siteIds;
        if (withLabour) Object.assign(body, memberLabourChanges(member, values));
        const saved =
          Object.keys(body).length === 0
            ? member
            : await call(api.PATCH('/users/{id}', { params: { path: { id: member.id } }, body }));
        onSaved({ kind: 'updated', member: saved });
      } else {
        const email = values.email.trim();
        const added: AddedMember = await call(
          api.POST('/users', {
            body: {
              email,
              full_name: values.full_name.trim(),
              role_id: values.role_id,
              locale: values.locale,
              ...(values.shop_floor ? { password: values.password } : {}),
              ...(siteIds ? { site_ids: siteIds } : {}),
            },
          }),
        );
        if (added.status === 'created' && added.member) {
          onSaved({ kind: 'created', member: added.member });
        } else {
          onSaved({ kind: 'invited', email, instead: values.shop_floor });
        }
      }
      onClose();
    },
    (error) => {
      const refused = error instanceof ApiError ? error.fields.password : undefined;
      if (refused) {
        form.setFieldError('password', passwordMessage(refused, form.getValues().full_name));
      }
      setPendingId(
        isApiError(error, 'invitation_pending') && typeof error.details.invitation_id === 'string'
          ? error.details.invitation_id
          : null,
      );
    },
  );

  const resendPending = async () => {
    if (pendingId === null) return;
    setResending(true);
    setResendError(null);
    try {
      const invitation = await call(
        api.POST('/invitations/{id}/resend', { params: { path: { id: pendingId } } }),
      );
      onSaved({ kind: 'resent', email: invitation.email });
      onClose();
    } catch (error) {
      setResendError(errorMessage(i18n, error));
    } finally {
      setResending(false);
    }
  };

  const { scope, shop_floor: shopFloor } = form.getValues();
  return (
    <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        {member ? (
          <Text size="sm" c="dimmed">
            {member.email}
          </Text>
        ) : (
          <>
            <Alert color="gmao" variant="light" icon={<IconMailForward />}>
              {shopFloor ? t('users.shopFloorText') : t('users.inviteText')}
            </Alert>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
              <TextInput
                label={t('users.email')}
                type="email"
                required
                data-autofocus
                autoComplete="off"
                {...form.getInputProps('email')}
                onChange={(event) => {
                  form.setFieldValue('email', event.currentTarget.value);
                  setPendingId(null);
                }}
              />
              <TextInput
                label={t('users.fullName')}
                required
                autoComplete="off"
                {...form.getInputProps('full_name')}
              />
            </SimpleGrid>
            {pendingId !== null && (
              <Alert color="orange" variant="light" data-testid="invitation-pending">
                <Stack gap="xs" align="flex-start">
                  <Text size="sm">{t('users.pendingText')}</Text>
                  {resendError && (
                    <Text size="sm" c="red">
                      {resendError}
                    </Text>
                  )}
                  <Button
                    size="xs"
                    variant="white"
                    color="orange"
                    loading={resending}
                    onClick={() => void resendPending()}
                  >
                    {t('users.resendPending')}
                  </Button>
                </Stack>
              </Alert>
            )}
            <Checkbox
              label={t('users.shopFloor')}
              description={t('users.shopFloorHelp')}
              {...form.getInputProps('shop_floor', { type: 'checkbox' })}
            />
            {shopFloor && (
              <PasswordInput
                label={t('users.initialPassword')}
                description={t('users.initialPasswordHelp')}
                required
                autoComplete="new-password"
                {...form.getInputProps('password')}
              />
            )}
          </>
        )}
        <SimpleGrid cols={{ base: 1, xs: member ? 1 : 2 }} spacing="md">
          <Select
            label={t('users.role')}
            required
            data={roleOptions}
            allowDeselect={false}
            description={t('users.roleHelp')}
            {...form.getInputProps('role_id')}
          />
          {!member && (
            <Select
              label={t('users.language')}
              data={LANGUAGES.map((language) => ({
                value: language,
                label: t(`languages.${language}`),
              }))}
              allowDeselect={false}
              description={t('users.languageHelp')}
              {...form.getInputProps('locale')}
            />
          )}
        </SimpleGrid>
        <Radio.Group label={t('users.siteAccess')} {...form.getInputProps('scope')}>
          <Group mt={6} gap="lg">
            <Radio value="all" label={t('users.allSites')} disabled={mustScope} />
            <Radio value="some" label={t('users.someSites')} />
          </Group>
        </Radio.Group>
        {scope === 'some' && (
          <MultiSelect
            label={t('users.sites')}
            placeholder={t('users.sitesPlaceholder')}
            data={siteOptions}
            searchable
            clearable
            nothingFoundMessage={t('common.nothingFound')}
            {...form.getInputProps('site_ids')}
          />
        )}
        {withLabour && <MemberLabourFields form={form} labour={labour.data ?? null} />}
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {member
              ? t('common.save')
              : shopFloor
                ? t('users.createSubmit')
                : t('users.inviteSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A member's own weekly hours and hourly rate; the company's as placeholders. */
function MemberLabourFields({
  form,
  labour,
}: {
  form: UseFormReturnType<MemberValues>;
  labour: Schemas['Labour'] | null;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const currency = labour?.currency ?? null;
  const hoursPlaceholder = labour
    ? t('users.labour.companyValue', {
        value: formatHours(labour.default_weekly_capacity_hours, language),
      })
    : t('users.labour.companyDefault');
  const ratePlaceholder = !labour
    ? t('users.labour.companyDefault')
    : labour.default_hourly_rate == null
      ? t('users.labour.companyNoRate')
      : t('users.labour.companyValue', {
          value: formatMoney(labour.default_hourly_rate, labour.currency, language),
        });
  return (
    <Stack gap={4} data-testid="member-labour-fields">
      <Text size="sm" fw={500}>
        {t('users.labour.title')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('users.labour.help')}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" mt={4}>
        <NumberInput
          label={t('users.labour.weeklyHours')}
          placeholder={hoursPlaceholder}
          min={0}
          allowNegative={false}
          decimalScale={2}
          hideControls
          rightSection={
            <Text size="xs" c="dimmed" pr={6}>
              {t('users.labour.hoursUnit')}
            </Text>
          }
          rightSectionWidth={64}
          {...form.getInputProps('weekly_capacity_hours')}
        />
        <NumberInput
          label={t('users.labour.hourlyRate')}
          placeholder={ratePlaceholder}
          min={0}
          allowNegative={false}
          decimalScale={2}
          hideControls
          rightSection={
            <Text size="xs" c="dimmed" pr={6}>
              {t('users.labour.rateUnit', {
                currency: currency ? currencySymbol(currency, language) : '',
              })}
            </Text>
          }
          rightSectionWidth={64}
          {...form.getInputProps('hourly_rate')}
        />
      </SimpleGrid>
    </Stack>
  );
}
