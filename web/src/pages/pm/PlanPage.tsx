// A preventive plan: what it does and when, its coming due dates (one may be skipped, saying
// why, and restored), the orders it has created, and pausing, resuming or archiving it.
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Grid,
  Group,
  List,
  Menu,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArchive,
  IconCalendarOff,
  IconClipboardList,
  IconDots,
  IconGauge,
  IconCalendarTime,
  IconPencil,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlayerSkipForward,
  IconRestore,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { i18n as I18n } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { api, call, type Occurrence, type PmPlan, type SkippedOccurrence } from '../../api/client';
import { isApiError } from '../../api/errors';
import { usePlanForecast, usePmPlan } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { ComplianceBadge, PlanStateBadge, PriorityBadge } from '../../components/badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { ReasonDialog } from '../../components/ReasonDialog';
import { boundsText } from '../../lib/checklist';
import { formatDate, formatDateTime, formatDay, formatNumber } from '../../lib/format';
import { formatMinutes } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import {
  dayFromToday,
  forecastRows,
  formatDueDay,
  formatOccurrence,
  meterThreshold,
  planState,
  ruleInWords,
} from '../../lib/pm';
import { NotFoundPage } from '../StatusPages';
import { NextDue } from './PlanListPage';
import { Field } from '../../components/Field';

/** How far the page looks ahead. */
const FORECAST_DAYS = 92;

/** Refusals that mean the page is behind (someone else skipped, restored or archived). */
const STALE_CODES = ['unknown_occurrence', 'occurrence_generated', 'not_skipped', 'plan_archived'];

function Details({ plan }: { plan: PmPlan }) {
  const { t, i18n } = useTranslation();
  const rule = ruleInWords(i18n, plan.trigger, {
    meterUnit: plan.meter_unit,
    startsOn: plan.starts_on,
    scheduleMode: plan.schedule_mode,
  });
  return (
    <Card component="section" aria-labelledby="plan-schedule">
      <Title order={2} fz="lg" mb="md" id="plan-schedule">
        {t('pm.schedule')}
      </Title>
      <Text fw={600} size="lg" mb="md" data-testid="plan-rule">
        {rule}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md" verticalSpacing="md">
        <Field label={t('pm.nextDue')}>
          <NextDue plan={plan} />
        </Field>
        <Field label={t('pm.compliance')}>
          <ComplianceBadge compliance={plan.compliance} />
        </Field>
        <Field label={t('pm.scheduleMode')}>
          <Tooltip label={t(`pm.modeHelp.${plan.schedule_mode}`)} multiline w={260}>
            <Text span size="sm" style={{ borderBottom: '1px dotted currentColor' }}>
              {t(`pm.modes.${plan.schedule_mode}`)}
            </Text>
          </Tooltip>
        </Field>
        {plan.meter_name && (
          <Field label={t('pm.meter')}>
            {plan.meter_name}
            {plan.meter_unit ? ` (${plan.meter_unit})` : ''}
          </Field>
        )}
        <Field label={t('pm.startsOn')}>{formatDay(plan.starts_on, i18n.language)}</Field>
        <Field label={t('pm.endsOn')}>
          {plan.ends_on ? formatDay(plan.ends_on, i18n.language) : t('pm.noEnd')}
        </Field>
        <Field label={t('pm.leadTime')}>
          {t('pm.leadTimeValue', { count: plan.lead_time_days })}
        </Field>
        <Field label={t('pm.priority')}>
          <PriorityBadge priority={plan.priority} />
        </Field>
        <Field label={t('pm.estimated')}>
          {plan.estimated_minutes != null ? formatMinutes(plan.estimated_minutes) : '—'}
        </Field>
        <Field label={t('pm.assignees')}>
          {plan.assignees.length === 0 ? (
            <Text span size="sm" c="dimmed">
              {t('pm.noAssignees')}
            </Text>
          ) : (
            <span data-testid="plan-assignees">
              {plan.assignees.map((person) => person.full_name).join(', ')}
            </span>
          )}
        </Field>
      </SimpleGrid>
    </Card>
  );
}

function Work({ plan }: { plan: PmPlan }) {
  const { t, i18n } = useTranslation();
  return (
    <Card component="section" aria-labelledby="plan-work">
      <Title order={2} fz="lg" mb="md" id="plan-work">
        {t('pm.work')}
      </Title>
      {plan.description && (
        <Text size="sm" mb="md" style={{ whiteSpace: 'pre-wrap' }}>
          {plan.description}
        </Text>
      )}
      <Text size="xs" c="dimmed" fw={500} tt="uppercase" lts={0.3} mb={6}>
        {t('pm.checklist')}
      </Text>
      {plan.checklist.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('pm.noChecklist')}
        </Text>
      ) : (
        <List spacing={6} size="sm" type="ordered" data-testid="plan-checklist">
          {plan.checklist.map((item, index) => {
            const bounds = boundsText(item, i18n.language);
            return (
              <List.Item key={index}>
                <Group gap={6} wrap="wrap">
                  <Text span size="sm">
                    {item.label}
                  </Text>
                  <Badge size="xs" variant="default" className="badge-nowrap">
                    {t(`checklistKind.${item.kind}`)}
                  </Badge>
                  {item.required && (
                    <Badge size="xs" variant="light" color="orange" className="badge-nowrap">
                      {t('checklist.required')}
                    </Badge>
                  )}
                  {bounds && (
                    <Text span size="xs" c="dimmed">
                      {t('checklist.expected', { range: bounds })}
                    </Text>
                  )}
                </Group>
              </List.Item>
            );
          })}
        </List>
      )}
    </Card>
  );
}

/** When a skipped occurrence was due: its day, or the meter reading it was for. */
function skippedDate(skip: SkippedOccurrence, plan: PmPlan, i18n: I18n): string {
  if (skip.due_on) return formatDueDay(skip.due_on, i18n.language);
  const threshold = meterThreshold(skip.occurrence);
  if (threshold === null) return skip.occurrence;
  const unit = plan.meter_unit ? ` ${plan.meter_unit}` : '';
  return i18n.t('pm.forecast.meterAt', {
    value: `${formatNumber(threshold, i18n.language)}${unit}`,
  });
}

function OccurrenceIcon({ meter }: { meter: boolean }) {
  const Icon = meter ? IconGauge : IconCalendarTime;
  return (
    <Icon size={18} aria-hidden color="var(--mantine-color-gray-6)" style={{ flex: 'none' }} />
  );
}

function Forecast({
  plan,
  onSkip,
  onRestore,
}: {
  plan: PmPlan;
  onSkip: (occurrence: Occurrence) => void;
  onRestore: (skip: SkippedOccurrence) => void;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const state = planState(plan);
  const today = dayFromToday(0);
  const until = dayFromToday(FORECAST_DAYS);
  const forecast = usePlanForecast(plan.id, until, state === 'active');
  const manage = can(PERMISSIONS.pmPlansManage) && state === 'active';
  const rows = useMemo(
    () => forecastRows(forecast.data?.items ?? [], plan.skipped, today, until),
    [forecast.data, plan.skipped, today, until],
  );

  const cause = (o: Occurrence) =>
    o.cause === 'meter' && o.threshold != null
      ? t('pm.forecast.meterAt', {
          value: `${formatNumber(o.threshold, i18n.language)}${plan.meter_unit ? ` ${plan.meter_unit}` : ''}`,
        })
      : t(o.cause === 'meter' ? 'pm.forecast.meter' : 'pm.forecast.calendar');

  const skippedWho = (skip: SkippedOccurrence) => {
    const date = formatDate(skip.skipped_at, i18n.language);
    return skip.skipped_by
      ? t('pm.forecast.skippedByOn', { name: skip.skipped_by.full_name, date })
      : t('pm.forecast.skippedOn', { date });
  };

  return (
    <Card component="section" aria-labelledby="plan-forecast">
      <Title order={2} fz="lg" id="plan-forecast">
        {t('pm.forecast.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('pm.forecast.subtitle')}
      </Text>
      {state !== 'active' ? (
        <Group gap="xs" c="dimmed">
          <IconCalendarOff size={18} aria-hidden />
          <Text size="sm">
            {state === 'paused' ? t('pm.pausedBanner') : t('pm.states.archived')}
          </Text>
        </Group>
      ) : forecast.isError ? (
        <QueryError error={forecast.error} onRetry={() => void forecast.refetch()} />
      ) : forecast.isPending ? (
        <Stack gap="sm">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h={36} />
          ))}
        </Stack>
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('pm.forecast.empty')}
        </Text>
      ) : (
        <Stack gap={0} data-testid="forecast">
          {rows.map((row) => {
            if (row.kind === 'coming') {
              const date = formatOccurrence(row.item.due_at, i18n.language);
              return (
                <Group
                  key={row.occurrence}
                  justify="space-between"
                  wrap="nowrap"
                  gap="sm"
                  py={8}
                  className="history-row"
                  data-testid="occurrence"
                  data-occurrence={row.occurrence}
                  data-skipped="false"
                >
                  <Group gap="sm" wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
                    <OccurrenceIcon meter={row.item.cause === 'meter'} />
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <Text size="sm" fw={500}>
                        {date}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {cause(row.item)}
                      </Text>
                    </Stack>
                  </Group>
                  {manage && (
                    <Button
                      size="compact-sm"
                      style={{ flex: 'none' }}
                      variant="subtle"
                      color="gray"
                      leftSection={<IconPlayerSkipForward size={14} />}
                      aria-label={t('pm.forecast.skipN', { date })}
                      onClick={() => onSkip(row.item)}
                    >
                      {t('pm.forecast.skip')}
                    </Button>
                  )}
                </Group>
              );
            }
            const skip = row.item;
            const date = skippedDate(skip, plan, i18n);
            return (
              <Group
                key={row.occurrence}
                justify="space-between"
                wrap="nowrap"
                align="flex-start"
                gap="sm"
                py={8}
                className="history-row"
                data-testid="occurrence"
                data-occurrence={row.occurrence}
                data-skipped="true"
              >
                <Group gap="sm" wrap="nowrap" align="flex-start" style={{ minWidth: 0, flex: 1 }}>
                  <Box pt={1}>
                    <OccurrenceIcon meter={skip.occurrence.startsWith('meter:')} />
                  </Box>
                  <Stack gap={2} style={{ minWidth: 0 }}>
                    <Group gap={8} wrap="wrap" style={{ rowGap: 2 }}>
                      <Text size="sm" fw={500} td="line-through" c="dimmed">
                        {date}
                      </Text>
                      <Badge
                        size="sm"
                        color="gray"
                        variant="outline"
                        className="badge-nowrap"
                        leftSection={<IconPlayerSkipForward size={11} />}
                      >
                        {t('pm.forecast.skipped')}
                      </Badge>
                    </Group>
                    {skip.reason && (
                      <Text size="xs" lineClamp={2} data-testid="skip-reason">
                        {t('common.quoted', { text: skip.reason })}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {skippedWho(skip)}
                    </Text>
                  </Stack>
                </Group>
                {manage && (
                  <Button
                    size="compact-sm"
                    style={{ flex: 'none' }}
                    variant="subtle"
                    leftSection={<IconRestore size={14} />}
                    aria-label={t('pm.forecast.restoreN', { date })}
                    onClick={() => onRestore(skip)}
                  >
                    {t('pm.forecast.restore')}
                  </Button>
                )}
              </Group>
            );
          })}
        </Stack>
      )}
    </Card>
  );
}

type Dialog = 'pause' | 'resume' | 'archive' | null;

export default function PlanPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const query = usePmPlan(id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [skipping, setSkipping] = useState<Occurrence | null>(null);
  const [restoring, setRestoring] = useState<SkippedOccurrence | null>(null);

  if (query.isError) {
    if (isApiError(query.error, 'not_found')) return <NotFoundPage />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  const plan = query.data;
  if (!plan) {
    return (
      <Stack gap="lg">
        <Skeleton h={60} w="50%" />
        <Skeleton h={200} />
        <Skeleton h={260} />
      </Stack>
    );
  }
  const state = planState(plan);
  const manage = can(PERMISSIONS.pmPlansManage);

  // The plan, its forecast and the calendar's ghosts of it.
  const refresh = () =>
    Promise.all(
      ['pm-plans', 'calendar'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })),
    );

  /** Sends a change and shows the plan it answers; a refusal that says the page is behind
   * refreshes it (the dialog still says why). */
  const change = async (request: Promise<PmPlan>) => {
    let updated: PmPlan;
    try {
      updated = await request;
    } catch (error) {
      if (STALE_CODES.some((code) => isApiError(error, code))) void refresh();
      throw error;
    }
    queryClient.setQueryData(['pm-plans', 'one', plan.id], updated);
    await refresh();
  };

  const act = async (action: 'pause' | 'resume' | 'archive') => {
    const path = { params: { path: { id: plan.id } } };
    await change(
      call(
        action === 'pause'
          ? api.POST('/pm-plans/{id}/pause', path)
          : action === 'resume'
            ? api.POST('/pm-plans/{id}/resume', path)
            : api.POST('/pm-plans/{id}/archive', path),
      ),
    );
    const done = { pause: 'pm.pausedDone', resume: 'pm.resumedDone', archive: 'pm.archivedDone' };
    notifications.show({ color: 'teal', message: t(done[action], { title: plan.title }) });
  };

  const skip = async (reason: string) => {
    if (!skipping) return;
    await change(
      call(
        api.POST('/pm-plans/{id}/skip', {
          params: { path: { id: plan.id } },
          body: { occurrence: skipping.occurrence, ...(reason ? { reason } : {}) },
        }),
      ),
    );
    notifications.show({
      color: 'teal',
      message: t('pm.forecast.skippedDone', {
        date: formatOccurrence(skipping.due_at, i18n.language),
      }),
    });
  };

  const restoringDate = restoring ? skippedDate(restoring, plan, i18n) : '';
  // Restored within the lead time (or late), its order is made at the workers' next sweep.
  const restoredSoon =
    restoring !== null &&
    (!restoring.due_on || restoring.due_on <= dayFromToday(plan.lead_time_days));
  const restore = async () => {
    if (!restoring) return;
    await change(
      call(
        api.POST('/pm-plans/{id}/unskip', {
          params: { path: { id: plan.id } },
          body: { occurrence: restoring.occurrence },
        }),
      ),
    );
    notifications.show({
      color: 'teal',
      message: t('pm.forecast.restoredDone', { date: restoringDate }),
    });
  };

  return (
    <>
      <PageHeader
        title={plan.title}
        back={{ to: '/pm-plans', label: t('pm.title') }}
        badge={<PlanStateBadge state={state} size="lg" />}
        description={
          <Anchor component={Link} to={`/equipment/${plan.equipment_id}`} c="dimmed">
            <Text span ff="monospace" fw={600}>
              {plan.equipment_code}
            </Text>{' '}
            {plan.equipment_name}
          </Anchor>
        }
        actions={
          <>
            {can(PERMISSIONS.workOrdersRead) && (
              <Button
                component={Link}
                to={`/work-orders?pm_plan_id=${plan.id}&type=preventive`}
                variant="default"
                leftSection={<IconClipboardList size={18} />}
              >
                {t('pm.seeOrders')}
              </Button>
            )}
            {manage && state !== 'archived' && (
              <Button
                variant="default"
                leftSection={
                  state === 'active' ? <IconPlayerPause size={18} /> : <IconPlayerPlay size={18} />
                }
                onClick={() => setDialog(state === 'active' ? 'pause' : 'resume')}
              >
                {state === 'active' ? t('pm.pause') : t('pm.resume')}
              </Button>
            )}
            {manage && state !== 'archived' && (
              <Button
                component={Link}
                to={`/pm-plans/${plan.id}/edit`}
                leftSection={<IconPencil size={18} />}
              >
                {t('common.edit')}
              </Button>
            )}
            {manage && state !== 'archived' && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <ActionIcon variant="default" size={36} aria-label={t('pm.moreActions')}>
                    <IconDots size={18} />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item
                    color="red"
                    leftSection={<IconArchive size={16} />}
                    onClick={() => setDialog('archive')}
                  >
                    {t('pm.archive')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </>
        }
      />
      {state === 'paused' && (
        <Alert color="orange" variant="light" icon={<IconPlayerPause />} mb="lg">
          {t('pm.pausedBanner')}
        </Alert>
      )}
      {state === 'archived' && (
        <Alert color="gray" variant="light" icon={<IconArchive />} mb="lg">
          {t('pm.archivedBanner', { date: formatDateTime(plan.archived_at, i18n.language) })}
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="lg">
            <Details plan={plan} />
            <Work plan={plan} />
            <Text size="sm" c="dimmed">
              {t('pm.generated', { count: plan.generated_count })}
            </Text>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Forecast plan={plan} onSkip={setSkipping} onRestore={setRestoring} />
        </Grid.Col>
      </Grid>

      <ConfirmDialog
        opened={dialog !== null}
        title={dialog ? t(`pm.${dialog}Title`) : ''}
        message={dialog ? t(`pm.${dialog}Text`, { title: plan.title }) : ''}
        confirmLabel={dialog ? t(`pm.${dialog}`) : ''}
        danger={dialog === 'archive'}
        onConfirm={() => (dialog ? act(dialog) : Promise.resolve())}
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        opened={restoring !== null}
        title={t('pm.forecast.restoreTitle')}
        message={
          restoredSoon
            ? t('pm.forecast.restoreTextSoon', { date: restoringDate })
            : t('pm.forecast.restoreText', {
                date: restoringDate,
                lead: t('pm.leadTimeValue', { count: plan.lead_time_days }),
              })
        }
        confirmLabel={t('pm.forecast.restore')}
        onConfirm={restore}
        onClose={() => setRestoring(null)}
      />
      <ReasonDialog
        opened={skipping !== null}
        title={t('pm.forecast.skipTitle')}
        message={
          skipping
            ? t('pm.forecast.skipText', {
                date: formatOccurrence(skipping.due_at, i18n.language),
              })
            : undefined
        }
        label={t('pm.forecast.skipReason')}
        placeholder={t('pm.forecast.skipPlaceholder')}
        confirmLabel={t('pm.forecast.skip')}
        optional
        onConfirm={skip}
        onClose={() => setSkipping(null)}
      />
    </>
  );
}
