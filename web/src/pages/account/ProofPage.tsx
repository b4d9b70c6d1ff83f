// The pages of two mailed links that prove the address and set the password: `/verify-email`
// (confirm the address of an account) and `/reset-password` (forgotten password). Both end
// every session of the person, so the way on is to log in again with the new password.
import { Alert, Button, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCircleCheck, IconInfoCircle, IconLinkOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { api, call } from '../../api/client';
import { isApiError } from '../../api/errors';
import { useAuth } from '../../auth/context';
import { AuthLayout } from '../../components/AuthLayout';
import { AuthResult } from '../../components/AuthResult';
import { FormError } from '../../components/FormError';
import { NewPasswordFields } from '../../components/NewPasswordFields';
import { newPasswordRules, useFormSubmit, type NewPasswordValues } from '../../lib/forms';

export type ProofKind = 'verify' | 'reset';

/** A link that no longer works: what it was, and how to get a new one. */
export function LinkGone({ kind }: { kind: ProofKind }) {
  const { t } = useTranslation();
  return (
    <AuthLayout title={t('account.linkGoneTitle')}>
      <AuthResult
        icon={<IconLinkOff size={26} />}
        color="orange"
        actions={
          kind === 'reset' ? (
            <>
              <Button component={Link} to="/forgot-password" fullWidth>
                {t('account.askNewLink')}
              </Button>
              <Button component={Link} to="/login" variant="subtle">
                {t('account.backToLogin')}
              </Button>
            </>
          ) : (
            <Button component={Link} to="/login" fullWidth>
              {t('auth.loginButton')}
            </Button>
          )
        }
      >
        <Text>{t(`account.${kind}.gone`)}</Text>
      </AuthResult>
    </AuthLayout>
  );
}

export default function ProofPage({ kind }: { kind: ProofKind }) {
  const { t, i18n } = useTranslation();
  const { endSession } = useAuth();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [outcome, setOutcome] = useState<'done' | 'gone' | null>(token === '' ? 'gone' : null);

  const form = useForm<NewPasswordValues>({
    initialValues: { password: '', confirm: '' },
    validateInputOnBlur: true,
    validate: newPasswordRules(i18n),
  });

  const { busy, general, submit } = useFormSubmit(
    form,
    async (values: NewPasswordValues) => {
      const body = { token, password: values.password };
      await call(
        kind === 'verify'
          ? api.POST('/auth/verify-email', { body })
          : api.POST('/auth/password-reset/confirm', { body }),
      );
      // The server ended every session of the person, this browser's included.
      endSession('password_changed');
      setOutcome('done');
    },
    (error) => {
      if (isApiError(error, 'link_expired')) setOutcome('gone');
    },
  );

  if (outcome === 'gone') return <LinkGone kind={kind} />;
  if (outcome === 'done') {
    return (
      <AuthLayout title={t(`account.${kind}.doneTitle`)}>
        <AuthResult
          icon={<IconCircleCheck size={26} />}
          color="teal"
          actions={
            <Button component={Link} to="/login" fullWidth>
              {t('auth.loginButton')}
            </Button>
          }
        >
          <Text>{t(`account.${kind}.doneText`)}</Text>
        </AuthResult>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t(`account.${kind}.title`)} subtitle={t(`account.${kind}.subtitle`)}>
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
          <Alert color="gmao" variant="light" icon={<IconInfoCircle />}>
            {t(`account.${kind}.sessionsEnd`)}
          </Alert>
          <FormError message={general} />
          <NewPasswordFields form={form} autoFocus />
          <Button type="submit" loading={busy} fullWidth size="md">
            {t(`account.${kind}.submit`)}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
