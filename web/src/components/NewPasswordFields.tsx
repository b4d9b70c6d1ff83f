// A new password typed twice (validated by `newPasswordRules` of lib/forms.ts): the pages of the
// mailed links (confirm an address, reset a password, accept an invitation) and the forced change.
import { PasswordInput, Stack } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';

import type { NewPasswordValues } from '../lib/forms';

export function NewPasswordFields<V extends NewPasswordValues>({
  form,
  label,
  autoFocus = false,
}: {
  form: UseFormReturnType<V>;
  label?: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <PasswordInput
        label={label ?? t('account.newPassword')}
        description={t('passwordRules')}
        required
        autoComplete="new-password"
        data-autofocus={autoFocus || undefined}
        {...form.getInputProps('password')}
      />
      <PasswordInput
        label={t('account.confirmPassword')}
        required
        autoComplete="new-password"
        {...form.getInputProps('confirm')}
      />
    </Stack>
  );
}
