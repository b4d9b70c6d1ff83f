// "Exporter": the figures on screen as a file (`GET /kpis/export` with exactly the dashboard's
// query), downloaded under the name the server gives it.
import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconChevronDown,
  IconFileExport,
  IconFileSpreadsheet,
  IconFileTypeCsv,
  IconFileTypePdf,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { fetchFile, saveBlob } from '../../api/files';
import { errorMessage } from '../../i18n/messages';
import { apiUrl } from '../../lib/download';
import {
  EXPORT_FORMATS,
  kpiExportFileName,
  kpiExportQuery,
  type ExportFormat,
  type KpiQuery,
  type KpiWindow,
} from '../../lib/kpis';

const ICONS: Record<ExportFormat, typeof IconFileTypePdf> = {
  pdf: IconFileTypePdf,
  xlsx: IconFileSpreadsheet,
  csv: IconFileTypeCsv,
};

export function KpiExportMenu({ query, window }: { query: KpiQuery; window: KpiWindow }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);

  const download = async (format: ExportFormat) => {
    setBusy(true);
    try {
      const url = apiUrl('/kpis/export', { ...kpiExportQuery(query, format, i18n.language) });
      const file = await fetchFile(url);
      saveBlob(
        file.blob,
        file.fileName ?? kpiExportFileName(window, format, t('kpis.export.fileStem')),
      );
    } catch (error) {
      notifications.show({
        color: 'red',
        message: t('kpis.export.failed', { error: errorMessage(i18n, error) }),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconFileExport size={16} />}
          rightSection={<IconChevronDown size={14} />}
          loading={busy}
        >
          {t('kpis.export.label')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('kpis.export.menu')}</Menu.Label>
        {EXPORT_FORMATS.map((format) => {
          const Icon = ICONS[format];
          return (
            <Menu.Item
              key={format}
              leftSection={<Icon size={16} />}
              onClick={() => void download(format)}
            >
              {t(`kpis.export.${format}`)}
            </Menu.Item>
          );
        })}
      </Menu.Dropdown>
    </Menu>
  );
}
