import { Button } from '@mantine/core';
import { IconLock, IconMapQuestion } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { Empty } from '../components/Empty';
import { usePageTitle } from '../lib/usePageTitle';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('status.notFoundTitle'));
  return (
    <Empty
      mt="xl"
      order={1}
      icon={<IconMapQuestion size={32} />}
      title={t('status.notFoundTitle')}
      description={t('status.notFoundText')}
    >
      <Button component={Link} to="/">
        {t('status.backHome')}
      </Button>
    </Empty>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  usePageTitle(t('status.forbiddenTitle'));
  return (
    <Empty
      mt="xl"
      order={1}
      icon={<IconLock size={32} />}
      color="orange"
      title={t('status.forbiddenTitle')}
      description={t('status.forbiddenText')}
    >
      <Button component={Link} to="/">
        {t('status.backHome')}
      </Button>
    </Empty>
  );
}
