// An order whose equipment stopped production says so first: for how long (counting, minute by
// minute), since when, and that completing the work ends the stop.
import { Alert, Text } from '@mantine/core';
import { IconAlertOctagon } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { WorkOrder } from '../../api/client';
import { formatElapsed } from '../../lib/downtime';
import { formatDateTime } from '../../lib/format';

export function StoppedBanner({ order }: { order: WorkOrder }) {
  const { t, i18n } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  if (!order.production_stopped || !order.downtime_start) return null;
  const start = new Date(order.downtime_start).getTime();
  const elapsed = formatElapsed((now - start) / 60_000, {
    lessThanAMinute: t('stoppedBanner.lessThanAMinute'),
    dayUnit: t('stoppedBanner.dayUnit'),
  });
  const date = formatDateTime(order.downtime_start, i18n.language);
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertOctagon />}
      title={t('stoppedBanner.title', { elapsed })}
      data-testid="stopped-since"
      styles={{
        root: { borderLeft: '4px solid var(--mantine-color-red-6)' },
        title: { fontSize: 'var(--mantine-font-size-md)' },
      }}
    >
      <Text size="sm">
        {order.work_request_number
          ? t('stoppedBanner.sinceRequest', { date, number: order.work_request_number })
          : t('stoppedBanner.since', { date })}{' '}
        {t('stoppedBanner.text')}
      </Text>
    </Alert>
  );
}
