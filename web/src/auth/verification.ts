// A new link to confirm the address (`POST /me/email-verification`), for the banner and the
// dialog that creates another company.
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call } from '../api/client';
import { isApiError } from '../api/errors';
import { errorMessage } from '../i18n/messages';
import { useMe } from './context';

/** Asks for a new link, saying what happened (sent, already confirmed, too many). */
export function useResendVerification() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const resend = async () => {
    setBusy(true);
    try {
      await call(api.POST('/me/email-verification'));
      notifications.show({
        color: 'teal',
        message: t('verification.sent', { email: me.user.email }),
      });
    } catch (error) {
      if (isApiError(error, 'already_verified')) {
        notifications.show({ color: 'teal', message: t('errors.already_verified') });
        await queryClient.invalidateQueries({ queryKey: ['me'] });
      } else {
        notifications.show({ color: 'red', message: errorMessage(i18n, error) });
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, resend };
}
