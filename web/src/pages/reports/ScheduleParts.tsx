// Pieces of a scheduled report shown on the list and on its page: its state, its next report
// with the period it will cover, and the items of its actions menu.
import { Badge, Menu, Stack, Text } from '@mantine/core';
import {
  IconFileSpreadsheet,
  IconFileTypeCsv,
  IconFileTypePdf,
  IconHistory,
  IconMailOpened,
  IconSend,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { formatDateTime } from '../../lib/format';
import { periodLabel, type ReportFormat, type ReportSchedule } from '../../lib/reports';
import type { useScheduleActions } from './useScheduleActions';

export type ScheduleActions = ReturnType<typeof useScheduleActions>;

export function ScheduleStateBadge({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge variant="dot" color={active ? 'teal' : 'gray'} className="badge-nowrap">
      {active ? t('reports.active') : t('reports.paused')}
    </Badge>
  );
}

/** When the next report goes out (in the reader's zone) and the days it will cover. */
export function NextRun({ schedule }: { schedule: ReportSchedule }) {
  const { t, i18n } = useTranslation();
  if (!schedule.active) {
    return (
      <Text size="sm" c="dimmed">
        {t('reports.noNextRun')}
      </Text>
    );
  }
  return (
    <Stack gap={0}>
      <Text size="sm" data-testid="next-run">
        {formatDateTime(schedule.next_run_at, i18n.language)}
      </Text>
      <Text size="xs" c="dimmed" data-testid="next-period">
        {t('reports.covers', {
          period: periodLabel(
            i18n,
            schedule.next_period_start,
            schedule.next_period_end,
            schedule.time_zone,
          ),
        })}
      </Text>
    </Stack>
  );
}

const FORMAT_ICONS: Record<ReportFormat, typeof IconFileTypePdf> = {
  pdf: IconFileTypePdf,
  xlsx: IconFileSpreadsheet,
  csv: IconFileTypeCsv,
};

/**
 * Send now, the delivery log and the previews, as items of a menu (the list's); only the
 * previews with `previewOnly` (the report's page has its own buttons for the rest).
 */
export function ScheduleMenuItems({
  schedule,
  actions,
  previewOnly = false,
}: {
  schedule: ReportSchedule;
  actions: ScheduleActions;
  previewOnly?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      {!previewOnly && (
        <>
          <Menu.Item leftSection={<IconSend size={16} />} onClick={() => actions.askSend(schedule)}>
            {t('reports.sendNow')}
          </Menu.Item>
          <Menu.Item
            leftSection={<IconHistory size={16} />}
            component={Link}
            to={`/reports/${schedule.id}`}
          >
            {t('reports.openLog')}
          </Menu.Item>
          <Menu.Label>{t('reports.preview')}</Menu.Label>
        </>
      )}
      <Menu.Item
        leftSection={<IconMailOpened size={16} />}
        onClick={() => actions.showMail(schedule)}
      >
        {t('reports.previewMail')}
      </Menu.Item>
      {(['pdf', 'xlsx', 'csv'] as const).map((format) => {
        const Icon = FORMAT_ICONS[format];
        return (
          <Menu.Item
            key={format}
            leftSection={<Icon size={16} />}
            onClick={() => actions.previewFile(schedule, format)}
          >
            {t('reports.previewFile', { format: t(`reports.formats.${format}`) })}
          </Menu.Item>
        );
      })}
    </>
  );
}
