// Scheduled reports: the dashboard's figures mailed on a schedule (the plant director's monthly
// PDF). Each says when it goes out in words, to how many people, in which format, and when the
// next one goes with the days it will cover; its page has the delivery log.
import { Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { api, call } from '../../api/client';
import { useReportSchedules, useReportsRefresh } from '../../api/reports';
import {
  EditableListPage,
  ItemCard,
  ItemLink,
  ItemMenu,
  type ListDialog,
} from '../../components/EditableListPage';
import { defaultTimeZone } from '../../lib/validation';
import { recipientCount, scheduleSentence, type ReportSchedule } from '../../lib/reports';
import { NextRun, ScheduleMenuItems, ScheduleStateBadge } from './ScheduleParts';
import { ScheduleForm } from './ScheduleForm';
import { useScheduleActions } from './useScheduleActions';

type Dialog = ListDialog<ReportSchedule>;

export default function ReportsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const list = useReportSchedules();
  const refresh = useReportsRefresh();
  const actions = useScheduleActions();
  const [dialog, setDialog] = useState<Dialog>(null);
  const items = list.data?.items ?? [];
  // The zone is said only when it is not the reader's own.
  const here = defaultTimeZone();
  const when = (s: ReportSchedule) =>
    scheduleSentence(i18n, s.frequency, s.time, s.time_zone === here ? null : s.time_zone);
  const open = (s: ReportSchedule) => void navigate(`/reports/${s.id}`);

  const remove = async (schedule: ReportSchedule) => {
    await call(api.DELETE('/report-schedules/{id}', { params: { path: { id: schedule.id } } }));
    await refresh();
    notifications.show({ color: 'teal', message: t('reports.deleted', { name: schedule.name }) });
  };
  const menu = (schedule: ReportSchedule) => (
    <ItemMenu
      label={t('reports.actionsFor', { name: schedule.name })}
      onEdit={() => setDialog({ kind: 'form', item: schedule })}
      onDelete={() => setDialog({ kind: 'delete', item: schedule })}
    >
      <ScheduleMenuItems schedule={schedule} actions={actions} />
    </ItemMenu>
  );
  const facts = (schedule: ReportSchedule) =>
    `${t('reports.recipientCount', { count: recipientCount(schedule) })} · ${t(
      `reports.formats.${schedule.format}`,
    )}`;

  return (
    <>
      <EditableListPage
        title={t('reports.title')}
        description={t('reports.description')}
        addLabel={t('reports.add')}
        onAdd={() => setDialog({ kind: 'form', item: null })}
        list={{
          query: list,
          items,
          filtered: false,
          empty: {
            icon: <IconMailForward size={28} />,
            title: t('reports.empty'),
            description: t('reports.emptyText'),
          },
          noMatch: { title: t('reports.noMatch') },
          tableMinWidth: 860,
          head: (
            <>
              <Table.Th>{t('reports.name')}</Table.Th>
              <Table.Th w={150}>{t('reports.recipients')}</Table.Th>
              <Table.Th w={90}>{t('reports.format')}</Table.Th>
              <Table.Th w={110}>{t('reports.state')}</Table.Th>
              <Table.Th w={230}>{t('reports.nextRun')}</Table.Th>
              <Table.Th w={56} aria-label={t('common.actions')} />
            </>
          ),
          renderRow: (schedule) => (
            <Table.Tr data-testid="report-row" opacity={schedule.active ? 1 : 0.65}>
              <Table.Td>
                <ItemLink size="sm" fw={500} onClick={() => open(schedule)}>
                  {schedule.name}
                </ItemLink>
                <Text size="xs" c="dimmed" data-testid="report-when">
                  {when(schedule)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {t('reports.recipientCount', { count: recipientCount(schedule) })}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{t(`reports.formats.${schedule.format}`)}</Text>
              </Table.Td>
              <Table.Td>
                <ScheduleStateBadge active={schedule.active} />
              </Table.Td>
              <Table.Td>
                <NextRun schedule={schedule} />
              </Table.Td>
              <Table.Td>{menu(schedule)}</Table.Td>
            </Table.Tr>
          ),
          renderCard: (schedule) => (
            <ItemCard
              testId="report-card"
              opacity={schedule.active ? 1 : 0.65}
              aside={
                <Group gap="xs" wrap="nowrap">
                  <ScheduleStateBadge active={schedule.active} />
                  {menu(schedule)}
                </Group>
              }
            >
              <Stack gap={4} style={{ minWidth: 0 }}>
                <ItemLink fw={600} onClick={() => open(schedule)}>
                  {schedule.name}
                </ItemLink>
                <Text size="sm" data-testid="report-when">
                  {when(schedule)}
                </Text>
                <Text size="xs" c="dimmed">
                  {facts(schedule)}
                </Text>
                <NextRun schedule={schedule} />
              </Stack>
            </ItemCard>
          ),
        }}
        footer={
          items.length > 0 && (
            <Text size="sm" c="dimmed" mt="md" data-testid="list-count">
              {t('reports.count', { count: items.length })}
            </Text>
          )
        }
        dialog={dialog}
        closeDialog={() => setDialog(null)}
        editTitle={(schedule) => t('reports.editTitle', { name: schedule.name })}
        editor={(form) => <ScheduleForm schedule={form.item} onClose={() => setDialog(null)} />}
        deleteTitle={t('reports.deleteTitle')}
        deleteText={(schedule) => t('reports.deleteText', { name: schedule?.name ?? '' })}
        remove={remove}
      />
      {actions.dialogs}
    </>
  );
}
