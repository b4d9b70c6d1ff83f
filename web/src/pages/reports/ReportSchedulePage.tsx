// One scheduled report: when it goes out, to whom, over what, and its delivery log; sent now,
// previewed, edited or deleted from here.
import {
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  SimpleGrid,
  Skeleton,
  Stack,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconEye, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';

import { api, call } from '../../api/client';
import { isApiError } from '../../api/errors';
import { useAllMembers, useAllSites, useLines, usePlants } from '../../api/queries';
import { useReportSchedule, useReportsRefresh } from '../../api/reports';
import { useAuth } from '../../auth/context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ItemMenu } from '../../components/EditableListPage';
import { Field } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { PERMISSIONS } from '../../lib/permissions';
import { scheduleSentence, type ReportSchedule } from '../../lib/reports';
import { NotFoundPage } from '../StatusPages';
import { DeliveryLog } from './DeliveryLog';
import { NextRun, ScheduleMenuItems, ScheduleStateBadge } from './ScheduleParts';
import { ScheduleForm } from './ScheduleForm';
import { useScheduleActions } from './useScheduleActions';

/** The report's scope in words: site › plant › line, criticality, what the API alone sets. */
function Scope({ schedule }: { schedule: ReportSchedule }) {
  const { t } = useTranslation();
  const { filters } = schedule;
  const sites = useAllSites();
  const plants = usePlants(filters.site_id ?? null, Boolean(filters.plant_id));
  const lines = useLines(filters.plant_id ?? null, Boolean(filters.production_line_id));
  const parts = [
    filters.site_id
      ? (sites.data?.items.find((s) => s.id === filters.site_id)?.name ?? '…')
      : t('reports.wholeCompany'),
    filters.plant_id
      ? (plants.data?.items.find((p) => p.id === filters.plant_id)?.name ?? '…')
      : null,
    filters.production_line_id
      ? (lines.data?.items.find((l) => l.id === filters.production_line_id)?.name ?? '…')
      : null,
  ].filter((part): part is string => part !== null);
  const more = [
    filters.criticality ? t(`criticality.${filters.criticality}`) : null,
    filters.category ? t('reports.category', { category: filters.category }) : null,
    filters.equipment_id ? t('reports.oneEquipment') : null,
  ].filter((part): part is string => part !== null);
  return <>{[parts.join(' › '), ...more].join(' · ')}</>;
}

function Summary({
  schedule,
  nameOf,
}: {
  schedule: ReportSchedule;
  nameOf: (id: string) => string | null;
}) {
  const { t, i18n } = useTranslation();
  const gone = new Set(schedule.unsubscribed.map((e) => e.toLowerCase()));
  return (
    <Card mb="lg">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="lg">
        <Field label={t('reports.when.label')}>
          <span data-testid="report-when">
            {scheduleSentence(i18n, schedule.frequency, schedule.time, schedule.time_zone)}
          </span>
        </Field>
        <Field label={t('reports.nextRun')}>
          <NextRun schedule={schedule} />
        </Field>
        <Field label={t('reports.scope')}>
          <Scope schedule={schedule} />
        </Field>
        <Field label={t('reports.recipients')}>
          <Group gap={6} data-testid="report-recipients">
            {schedule.recipients.member_ids.map((id) => (
              <Badge key={id} variant="light" color="blue" tt="none">
                {nameOf(id) ?? t('reports.unknownMember')}
              </Badge>
            ))}
            {schedule.recipients.emails.map((email) => (
              <Badge
                key={email}
                variant="outline"
                color={gone.has(email.toLowerCase()) ? 'gray' : 'blue'}
                tt="none"
                td={gone.has(email.toLowerCase()) ? 'line-through' : undefined}
                title={gone.has(email.toLowerCase()) ? t('reports.unsubscribed') : undefined}
              >
                {email}
              </Badge>
            ))}
          </Group>
        </Field>
        <Field label={t('reports.indicatorsLabel')}>
          {schedule.indicators.map((i) => t(`reports.indicators.${i}`)).join(', ')}
        </Field>
        <Field label={t('reports.format')}>
          {`${t(`reports.formats.${schedule.format}`)} · ${t(`languages.${schedule.language}`)}`}
        </Field>
      </SimpleGrid>
    </Card>
  );
}

export default function ReportSchedulePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { can } = useAuth();
  const query = useReportSchedule(id);
  const members = useAllMembers(can(PERMISSIONS.usersRead));
  const refresh = useReportsRefresh();
  const actions = useScheduleActions();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const nameOf = (memberId: string) =>
    members.data?.items.find((m) => m.id === memberId)?.full_name ?? null;

  if (query.isError) {
    if (isApiError(query.error, 'not_found')) return <NotFoundPage />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  const schedule = query.data;
  if (!schedule) {
    return (
      <Stack gap="lg">
        <Skeleton h={60} w="50%" />
        <Skeleton h={160} />
        <Skeleton h={240} />
      </Stack>
    );
  }

  const remove = async () => {
    await call(api.DELETE('/report-schedules/{id}', { params: { path: { id: schedule.id } } }));
    notifications.show({ color: 'teal', message: t('reports.deleted', { name: schedule.name }) });
    void navigate('/reports');
    await refresh();
  };

  return (
    <>
      <PageHeader
        title={schedule.name}
        back={{ to: '/reports', label: t('reports.back') }}
        badge={<ScheduleStateBadge active={schedule.active} />}
        actions={
          <>
            <Button leftSection={<IconSend size={16} />} onClick={() => actions.askSend(schedule)}>
              {t('reports.sendNow')}
            </Button>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button
                  variant="default"
                  leftSection={<IconEye size={16} />}
                  rightSection={<IconChevronDown size={14} />}
                >
                  {t('reports.preview')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <ScheduleMenuItems schedule={schedule} actions={actions} previewOnly />
              </Menu.Dropdown>
            </Menu>
            <ItemMenu
              label={t('reports.actionsFor', { name: schedule.name })}
              onEdit={() => setEditing(true)}
              onDelete={() => setDeleting(true)}
            />
          </>
        }
      />
      <Summary schedule={schedule} nameOf={nameOf} />
      <DeliveryLog schedule={schedule} nameOf={nameOf} />
      <Modal
        opened={editing}
        onClose={() => setEditing(false)}
        size="xl"
        title={t('reports.editTitle', { name: schedule.name })}
      >
        {editing && <ScheduleForm schedule={schedule} onClose={() => setEditing(false)} />}
      </Modal>
      <ConfirmDialog
        opened={deleting}
        title={t('reports.deleteTitle')}
        message={t('reports.deleteText', { name: schedule.name })}
        confirmLabel={t('common.delete')}
        danger
        onConfirm={remove}
        onClose={() => setDeleting(false)}
      />
      {actions.dialogs}
    </>
  );
}
