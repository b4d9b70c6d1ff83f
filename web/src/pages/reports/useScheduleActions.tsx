// What one can do with a scheduled report from the list and from its page alike: send it now
// (after asking), preview its file (a PDF in a new tab, a workbook or CSV downloaded) and its
// mail (in a dialog, sandboxed). The hook's `dialogs` go once on the page.
import { Loader, Modal, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call } from '../../api/client';
import { fetchFile, openFile, saveBlob } from '../../api/files';
import { useMailPreview, useReportsRefresh } from '../../api/reports';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { QueryError } from '../../components/QueryError';
import { errorMessage } from '../../i18n/messages';
import { apiUrl } from '../../lib/download';
import type { ReportFormat, ReportSchedule } from '../../lib/reports';

function MailPreview({ schedule }: { schedule: ReportSchedule }) {
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

export function useScheduleActions() {
  const { t, i18n } = useTranslation();
  const refresh = useReportsRefresh();
  const phone = useMediaQuery('(max-width: 48em)');
  const [sending, setSending] = useState<ReportSchedule | null>(null);
  const [mailOf, setMailOf] = useState<ReportSchedule | null>(null);

  const sendNow = async (schedule: ReportSchedule) => {
    await call(api.POST('/report-schedules/{id}/send', { params: { path: { id: schedule.id } } }));
    await refresh();
    notifications.show({ color: 'teal', message: t('reports.sending', { name: schedule.name }) });
  };

  /** The report as its recipients would get it now: a PDF opens, other formats download. */
  const previewFile = async (schedule: ReportSchedule, format: ReportFormat) => {
    const url = apiUrl(`/report-schedules/${schedule.id}/preview`, { format });
    const id = `report-preview-${schedule.id}`;
    notifications.show({
      id,
      loading: true,
      message: t('reports.previewing'),
      autoClose: false,
      withCloseButton: false,
    });
    try {
      if (format === 'pdf') {
        await openFile(url);
      } else {
        const file = await fetchFile(url);
        saveBlob(file.blob, file.fileName ?? `${schedule.name}.${format}`);
      }
      notifications.hide(id);
    } catch (error) {
      notifications.update({
        id,
        loading: false,
        color: 'red',
        message: errorMessage(i18n, error),
        autoClose: 6000,
        withCloseButton: true,
      });
    }
  };

  const dialogs = (
    <>
      <ConfirmDialog
        opened={sending !== null}
        title={t('reports.sendTitle', { name: sending?.name ?? '' })}
        message={t('reports.sendText')}
        confirmLabel={t('reports.sendConfirm')}
        onConfirm={() => (sending ? sendNow(sending) : Promise.resolve())}
        onClose={() => setSending(null)}
      />
      <Modal
        opened={mailOf !== null}
        onClose={() => setMailOf(null)}
        title={t('reports.mailTitle', { name: mailOf?.name ?? '' })}
        size="xl"
        fullScreen={phone ?? false}
      >
        {mailOf && <MailPreview schedule={mailOf} />}
      </Modal>
    </>
  );

  return {
    askSend: (schedule: ReportSchedule) => setSending(schedule),
    previewFile: (schedule: ReportSchedule, format: ReportFormat) =>
      void previewFile(schedule, format),
    showMail: (schedule: ReportSchedule) => setMailOf(schedule),
    dialogs,
  };
}
