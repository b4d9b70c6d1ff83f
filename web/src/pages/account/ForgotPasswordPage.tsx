// "Mot de passe oublié ?": a reset link is mailed. The answer is the same whether the address
// has an account or not, and so is this page.
import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { api, call } from '../../api/client';
import { AuthLayout } from '../../components/AuthLayout';
import { AuthResult } from '../../components/AuthResult';
import { FormError } from '../../components/FormError';
import { rule, useFormSubmit } from '../../lib/forms';
import { checkEmail } from '../../lib/validation';

export default function ForgotPasswordPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: params.get('email') ?? '' },
    validate: { email: rule(i18n, checkEmail) },
  });

  const { busy, general, submit } = useFormSubmit(form, async (values: { email: string }) => {
    const email = values.email.trim();
    await call(api.POST('/auth/password-reset', { body: { email } }));
    setSentTo(email);
  });

  if (sentTo !== null) {
    return (
      <AuthLayout title={t('account.forgotSentTitle')}>
        <AuthResult
          icon={<IconMailForward size={26} />}
          actions={
            <>
              <Button component={Link} to="/login" fullWidth>
                {t('account.backToLogin')}
              </Button>
              <Button variant="subtle" onClick={() => setSentTo(null)}>
                {t('account.otherAddress')}
              </Button>
            </>
          }
        >
          <Text>{t('account.forgotSentText', { email: sentTo })}</Text>
          <Text size="sm" c="dimmed">
            {t('account.forgotSentHelp')}
          </Text>
        </AuthResult>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('account.forgotTitle')} subtitle={t('account.forgotSubtitle')}>
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
          <FormError message={general} />
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            required
            data-autofocus
            {...form.getInputProps('email')}
          />
          <Button type="submit" loading={busy} fullWidth size="md">
            {t('account.forgotSubmit')}
          </Button>
          <Text size="sm" ta="center" c="dimmed">
            <Anchor component={Link} to="/login" fw={600}>
              {t('account.backToLogin')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
