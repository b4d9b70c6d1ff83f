// The mail a member would receive for the last complete period, as the server writes it,
// shown in a sandboxed frame.
import { Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useMailPreview } from '../../api/reports';
import { QueryError } from '../../components/QueryError';
import type { ReportSchedule } from '../../lib/reports';

export function MailPreview({ schedule }: { schedule: ReportSchedule }) {
  const { t } = useTranslation();
  const mail = useMailPreview(schedule.id);
  if (mail.isError) {
    return <QueryError error={mail.error} onRetry={() => void mail.refetch()} />;
  }
  if (mail.data === undefined) {
    return (
      <Stack align="center" py="xl" gap="xs" aria-busy>
        <Loader />
        <Text size="sm" c="dimmed">
          {t('reports.previewing')}
        </Text>
      </Stack>
    );
  }
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('reports.mailHelp')}
      </Text>
      {/* The mail is the server's HTML: shown in a sandbox (no script, no same origin). */}
      <iframe
        sandbox=""
        srcDoc={mail.data}
        title={t('reports.mailFrame')}
        data-testid="mail-preview"
        style={{
          width: '100%',
          height: '70vh',
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 'var(--mantine-radius-sm)',
          background: 'white',
        }}
      />
    </Stack>
  );
}
