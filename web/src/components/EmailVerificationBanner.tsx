// Until the person confirms their address (the link mailed at sign-up), the app says so at the
// top of every page, with a way to get the link again. It can be put away for the rest of the
// tab's session (shop-floor staff may have no mailbox to read it).
import { Alert, Button, Group, Text } from '@mantine/core';
import { IconMailExclamation } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useMe } from '../auth/context';
import { useResendVerification } from '../auth/verification';

const DISMISSED_KEY = 'gmao.verification-dismissed';

function dismissedFor(userId: string): boolean {
  try {
    return sessionStorage.getItem(DISMISSED_KEY) === userId;
  } catch {
    return false;
  }
}

export function EmailVerificationBanner() {
  const { t } = useTranslation();
  const me = useMe();
  const { busy, resend } = useResendVerification();
  const [dismissed, setDismissed] = useState(() => dismissedFor(me.user.id));
  if (me.user.email_verified || dismissed) return null;
  const dismiss = () => {
    try {
      sessionStorage.setItem(DISMISSED_KEY, me.user.id);
    } catch {
      // Private browsing: hidden until the next reload.
    }
    setDismissed(true);
  };
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconMailExclamation />}
      title={t('verification.title')}
      withCloseButton
      closeButtonLabel={t('verification.dismiss')}
      onClose={dismiss}
      mb="lg"
      data-testid="verification-banner"
    >
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text size="sm" style={{ flex: '1 1 320px' }}>
          {t('verification.text', { email: me.user.email })}
        </Text>
        <Button
          size="xs"
          variant="white"
          color="yellow.9"
          loading={busy}
          onClick={() => void resend()}
        >
          {t('verification.resend')}
        </Button>
      </Group>
    </Alert>
  );
}
