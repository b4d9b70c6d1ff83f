// The page of an invitation's mailed link (`/invitation?token=…`), open whether someone is
// logged in or not: who invites, to which company and role; then what the address's account
// requires (a new account's password and name, a new password for an account never confirmed,
// or the account's own password). Accepting logs in to the inviting company.
import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle, IconLinkOff, IconMailOpened } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { api, call, type Schemas } from '../../api/client';
import { isApiError } from '../../api/errors';
import { useAuth } from '../../auth/context';
import { AuthLayout } from '../../components/AuthLayout';
import { AuthResult } from '../../components/AuthResult';
import { FormError } from '../../components/FormError';
import { FullPageLoader } from '../../components/FullPageLoader';
import { NewPasswordFields } from '../../components/NewPasswordFields';
import { QueryError } from '../../components/QueryError';
import { hasRememberedLanguage, isLanguage, setLanguage } from '../../i18n';
import { fieldMessage } from '../../i18n/messages';
import { formatDateTime } from '../../lib/format';
import { newPasswordRules, rule, useFormSubmit } from '../../lib/forms';
import { checkName } from '../../lib/validation';

type Preview = Schemas['InvitationPreview'];
const GONE_REASONS = ['expired', 'accepted', 'revoked'] as const;

function InvitationGone({ reason }: { reason: unknown }) {
  const { t } = useTranslation();
  const known = GONE_REASONS.find((r) => r === reason);
  return (
    <AuthLayout title={t('invitation.goneTitle')}>
      <AuthResult
        icon={<IconLinkOff size={26} />}
        color="orange"
        actions={
          <Button component={Link} to="/login" fullWidth>
            {t('auth.loginButton')}
          </Button>
        }
      >
        <Text>{t(`invitation.gone.${known ?? 'default'}`)}</Text>
      </AuthResult>
    </AuthLayout>
  );
}

interface AcceptValues {
  full_name: string;
  password: string;
  confirm: string;
}

function AcceptForm({
  token,
  preview,
  onStale,
}: {
  token: string;
  preview: Preview;
  /** The account of the address changed meanwhile: ask the invitation again. */
  onStale: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { signIn, me } = useAuth();
  const navigate = useNavigate();
  const [gone, setGone] = useState<unknown>(null);
  const account = preview.account;
  const choosing = account !== 'verified';
  const passwordRules = newPasswordRules(i18n, {
    email: preview.email,
    fullName: preview.full_name,
    company: preview.company,
  });

  const form = useForm<AcceptValues>({
    initialValues: { full_name: preview.full_name, password: '', confirm: '' },
    validateInputOnBlur: true,
    validate: {
      full_name: account === 'none' ? rule(i18n, (v: string) => checkName(v, 120)) : undefined,
      password: choosing
        ? passwordRules.password
        : (v: string) => (v === '' ? fieldMessage(i18n, { code: 'required' }) : null),
      confirm: choosing ? passwordRules.confirm : undefined,
    },
  });

  const { busy, general, submit } = useFormSubmit(
    form,
    async (values: AcceptValues) => {
      const response = await call(
        api.POST('/auth/invitations/accept', {
          body: {
            token,
            password: values.password,
            ...(account === 'none' ? { full_name: values.full_name.trim() } : {}),
          },
        }),
      );
      await signIn(response);
      void navigate('/', { replace: true });
    },
    (error) => {
      if (isApiError(error, 'link_expired')) setGone(error.details.reason ?? 'default');
      if (isApiError(error, 'invitation_state_changed')) onStale();
    },
  );

  if (gone !== null) return <InvitationGone reason={gone} />;

  const invitedBy = preview.invited_by
    ? t('invitation.invitedBy', { name: preview.invited_by, company: preview.company })
    : t('invitation.invitedTo', { company: preview.company });

  return (
    <AuthLayout title={t('invitation.title', { company: preview.company })} subtitle={invitedBy}>
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
          <Stack gap={2} data-testid="invitation-summary">
            <Group gap={6}>
              <Text size="sm" c="dimmed">
                {t('invitation.role')}
              </Text>
              <Text size="sm" fw={600}>
                {preview.role}
              </Text>
            </Group>
            <Group gap={6}>
              <Text size="sm" c="dimmed">
                {t('invitation.email')}
              </Text>
              <Text size="sm" fw={600}>
                {preview.email}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              {t('invitation.expires', { at: formatDateTime(preview.expires_at, i18n.language) })}
            </Text>
          </Stack>
          {me && me.user.email.toLowerCase() !== preview.email.toLowerCase() && (
            <Alert color="gray" variant="light" icon={<IconInfoCircle />}>
              {t('invitation.otherSession', { email: me.user.email })}
            </Alert>
          )}
          <Alert color="gmao" variant="light" icon={<IconMailOpened />}>
            {t(`invitation.account.${account}`)}
          </Alert>
          <FormError message={general} />
          {account === 'none' && (
            <TextInput
              label={t('invitation.fullName')}
              required
              autoComplete="name"
              {...form.getInputProps('full_name')}
            />
          )}
          {choosing ? (
            <NewPasswordFields
              form={form}
              label={account === 'none' ? t('invitation.choosePassword') : undefined}
            />
          ) : (
            <Stack gap={4}>
              <PasswordInput
                label={t('auth.password')}
                required
                autoComplete="current-password"
                data-autofocus
                {...form.getInputProps('password')}
              />
              <Anchor
                component={Link}
                to={`/forgot-password?email=${encodeURIComponent(preview.email)}`}
                size="sm"
                ta="right"
              >
                {t('auth.forgotPassword')}
              </Anchor>
            </Stack>
          )}
          <Button type="submit" loading={busy} fullWidth size="md">
            {t('invitation.accept', { company: preview.company })}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}

export default function InvitationPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const preview = useQuery({
    queryKey: ['invitation-preview', token],
    queryFn: async () => {
      const found = await call(
        api.GET('/auth/invitations/{token}', { params: { path: { token } } }),
      );
      // Someone who never chose a language on this device reads the invitation's.
      if (!hasRememberedLanguage() && isLanguage(found.locale)) await setLanguage(found.locale);
      return found;
    },
    enabled: token !== '',
    retry: false,
    staleTime: Infinity,
  });

  if (token === '') return <InvitationGone reason={null} />;
  if (preview.isPending) return <FullPageLoader />;
  if (preview.isError) {
    if (isApiError(preview.error, 'link_expired')) {
      return <InvitationGone reason={preview.error.details.reason} />;
    }
    return (
      <AuthLayout title={t('invitation.loadFailed')}>
        <QueryError error={preview.error} onRetry={() => void preview.refetch()} />
      </AuthLayout>
    );
  }
  return (
    <AcceptForm
      // What the form asks depends on the account: a new answer starts it afresh.
      key={preview.data.account}
      token={token}
      preview={preview.data}
      onStale={() => void preview.refetch()}
    />
  );
}
