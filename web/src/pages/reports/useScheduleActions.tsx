// What one can do with a scheduled report from the list and from its page alike: send it now
// (after asking), preview its file (a PDF in a new tab, a workbook or CSV downloaded) and its
// mail (in a dialog, sandboxed). The hook's `dialogs` go once on the page.
import { Modal } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call } from '../../api/client';
import { fetchFile, openFile, saveBlob } from '../../api/files';
import { useReportsRefresh } from '../../api/reports';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { errorMessage } from '../../i18n/messages';
import { apiUrl } from '../../lib/download';
import type { ReportFormat, ReportSchedule } from '../../lib/reports';
import { MailPreview } from './MailPreview';

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
