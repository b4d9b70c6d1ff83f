import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useAuth } from '../auth/context';

/** `GET /me` failed for another reason than an ended session (server unreachable…). */
export function SessionError() {
  const { t } = useTranslation();
  const { retry, signOut } = useAuth();
  return (
    <Center h="100dvh" p="md">
      <Stack align="center" gap="sm" maw={420} ta="center">
        <Title order={2}>{t('session.errorTitle')}</Title>
        <Text c="dimmed">{t('session.errorText')}</Text>
        <Stack gap="xs" w="100%" maw={240}>
          <Button onClick={retry}>{t('common.retry')}</Button>
          <Button variant="subtle" onClick={() => void signOut()}>
            {t('menu.logout')}
          </Button>
        </Stack>
      </Stack>
    </Center>
  );
}
