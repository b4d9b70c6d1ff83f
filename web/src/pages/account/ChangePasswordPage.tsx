// What the whole app shows while `me.user.must_change_password`: an administrator chose this
// person's password, and every call but this change (and logout) is refused until they choose
// their own.
import { Alert, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconLogout } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call } from '../../api/client';
import { useAuth, useMe } from '../../auth/context';
import { AuthLayout } from '../../components/AuthLayout';
import { FormError } from '../../components/FormError';
import { NewPasswordFields } from '../../components/NewPasswordFields';
import { fieldMessage } from '../../i18n/messages';
import { applyServerErrors, newPasswordRules } from '../../lib/forms';

interface ChangeValues {
  current: string;
  password: string;
  confirm: string;
}

export default function ChangePasswordPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { signOut } = useAuth();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm<ChangeValues>({
    initialValues: { current: '', password: '', confirm: '' },
    validateInputOnBlur: ['password', 'confirm'],
    validate: {
      current: (v) => (v === '' ? fieldMessage(i18n, { code: 'required' }) : null),
      ...newPasswordRules(i18n, {
        email: me.user.email,
        fullName: me.user.full_name,
        company: me.tenant.name,
      }),
    },
  });

  const submit = async (values: ChangeValues) => {
    setBusy(true);
    setGeneral(null);
    try {
      await call(
        api.POST('/me/password', {
          body: { current_password: values.current, new_password: values.password },
        }),
      );
      notifications.show({ color: 'teal', message: t('forcedPassword.done') });
      // `must_change_password` is over: the app opens.
      await queryClient.refetchQueries({ queryKey: ['me'] });
    } catch (error) {
      setGeneral(
        applyServerErrors(form, i18n, error, {
          current_password: 'current',
          new_password: 'password',
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title={t('forcedPassword.title')}
      subtitle={t('forcedPassword.subtitle', { name: me.user.full_name, company: me.tenant.name })}
    >
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
          <Alert color="gmao" variant="light" icon={<IconInfoCircle />}>
            {t('forcedPassword.why')}
          </Alert>
          <FormError message={general} />
          <PasswordInput
            label={t('forcedPassword.current')}
            description={t('forcedPassword.currentHelp')}
            required
            autoComplete="current-password"
            data-autofocus
            {...form.getInputProps('current')}
          />
          <NewPasswordFields form={form} />
          <Button type="submit" loading={busy} fullWidth size="md">
            {t('forcedPassword.submit')}
          </Button>
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconLogout size={16} />}
            onClick={() => void signOut()}
          >
            {t('menu.logout')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
