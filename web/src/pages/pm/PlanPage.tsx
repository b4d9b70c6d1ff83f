// A preventive plan: what it does and when, its coming due dates (one may be skipped, saying
// why), the orders it has created, and pausing, resuming or archiving it.
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
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
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { api, call, type Occurrence, type PmPlan } from '../../api/client';
import { isApiError, isRecord } from '../../api/errors';
import { useAssignable, usePlanForecast, usePlanSkips, usePmPlan } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { ComplianceBadge, PlanStateBadge, PriorityBadge } from '../../components/badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { ReasonDialog } from '../../components/ReasonDialog';
import { boundsText } from '../../lib/checklist';
import { formatDateTime, formatDay, formatNumber } from '../../lib/format';
import { formatMinutes } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { dayFromToday, formatOccurrence, planState, ruleInWords } from '../../lib/pm';
import { NotFoundPage } from '../StatusPages';
import { NextDue } from './PlanListPage';

/** How far the page looks ahead. */
const FORECAST_DAYS = 92;

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={500} tt="uppercase" lts={0.3}>
        {label}
      </Text>
      <Text size="sm" component="div" mt={2}>
        {children}
      </Text>
    </div>
  );
}

/** An occurrence skipped on this plan: just now on this page, or as the audit log says. */
interface Skipped {
  occurrence: string;
  /** An instant (skipped here) or a day (from the audit log). */
  due: string;
  reason: string | null;
  by: string | null;
}

type Row = { kind: 'coming'; item: Occurrence } | { kind: 'skipped'; item: Skipped };

const sortKey = (row: Row) => (row.kind === 'coming' ? row.item.due_at : row.item.due);

function formatDue(value: string, language: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? formatDay(value, language)
    : formatOccurrence(value, language);
}

function Details({ plan }: { plan: PmPlan }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  // Names of the assignees: those who may see who can be given work read them there.
  const people = useAssignable(
    plan.site_id,
    plan.assignee_ids.length > 0 &&
      (can(PERMISSIONS.workOrdersManage) || can(PERMISSIONS.usersRead)),
  );
  const names = plan.assignee_ids
    .map((id) => people.data?.items.find((m) => m.id === id)?.full_name)
    .filter((n): n is string => Boolean(n));
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
          {plan.assignee_ids.length === 0 ? (
            <Text span size="sm" c="dimmed">
              {t('pm.noAssignees')}
            </Text>
          ) : names.length === plan.assignee_ids.length ? (
            <span data-testid="plan-assignees">{names.join(', ')}</span>
          ) : (
            t('pm.assigneesCount', { count: plan.assignee_ids.length })
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

function Forecast({
  plan,
  skippedHere,
  onSkip,
}: {
  plan: PmPlan;
  skippedHere: Skipped[];
  onSkip: (occurrence: Occurrence) => void;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const state = planState(plan);
  const until = dayFromToday(FORECAST_DAYS);
  const forecast = usePlanForecast(plan.id, until, state === 'active');
  const logged = usePlanSkips(plan.id, can(PERMISSIONS.auditRead));
  const manage = can(PERMISSIONS.pmPlansManage) && state === 'active';

  const rows = useMemo(() => {
    const today = dayFromToday(0);
    const skipped = new Map<string, Skipped>();
    for (const entry of logged.data?.items ?? []) {
      const changes = isRecord(entry.changes) ? entry.changes : {};
      const occurrence = typeof changes.occurrence === 'string' ? changes.occurrence : null;
      const due = typeof changes.due_on === 'string' ? changes.due_on : null;
      if (!occurrence || !due || due < today || due > until) continue;
      skipped.set(occurrence, {
        occurrence,
        due,
        reason: typeof changes.reason === 'string' ? changes.reason : null,
        by: entry.actor_name ?? null,
      });
    }
    for (const item of skippedHere) skipped.set(item.occurrence, item);
    const list: Row[] = [
      ...(forecast.data?.items ?? [])
        .filter((o) => !skipped.has(o.occurrence))
        .map((item) => ({ kind: 'coming' as const, item })),
      ...[...skipped.values()].map((item) => ({ kind: 'skipped' as const, item })),
    ];
    return list.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  }, [forecast.data, logged.data, skippedHere, until]);

  const cause = (o: Occurrence) =>
    o.cause === 'meter' && o.threshold != null
      ? t('pm.forecast.meterAt', {
          value: `${formatNumber(o.threshold, i18n.language)}${plan.meter_unit ? ` ${plan.meter_unit}` : ''}`,
        })
      : t(o.cause === 'meter' ? 'pm.forecast.meter' : 'pm.forecast.calendar');

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
            const date = formatDue(sortKey(row), i18n.language);
            const skipped = row.kind === 'skipped';
            return (
              <Group
                key={row.item.occurrence}
                justify="space-between"
                wrap="nowrap"
                gap="sm"
                py={8}
                className="history-row"
                data-testid="occurrence"
                data-occurrence={row.item.occurrence}
                data-skipped={skipped ? 'true' : 'false'}
              >
                <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                  {row.kind === 'coming' && row.item.cause === 'meter' ? (
                    <IconGauge size={18} aria-hidden color="var(--mantine-color-gray-6)" />
                  ) : (
                    <IconCalendarTime size={18} aria-hidden color="var(--mantine-color-gray-6)" />
                  )}
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text
                      size="sm"
                      fw={500}
                      td={skipped ? 'line-through' : undefined}
                      c={skipped ? 'dimmed' : undefined}
                    >
                      {date}
                    </Text>
                    {row.kind === 'coming' ? (
                      <Text size="xs" c="dimmed">
                        {cause(row.item)}
                      </Text>
                    ) : (
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {[
                          row.item.reason ? t('common.quoted', { text: row.item.reason }) : null,
                          row.item.by ? t('pm.forecast.skippedBy', { name: row.item.by }) : null,
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </Text>
                    )}
                  </Stack>
                </Group>
                {skipped ? (
                  <Badge
                    color="gray"
                    variant="outline"
                    className="badge-nowrap"
                    leftSection={<IconPlayerSkipForward size={12} />}
                  >
                    {t('pm.forecast.skipped')}
                  </Badge>
                ) : (
                  manage && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="gray"
                      leftSection={<IconPlayerSkipForward size={14} />}
                      aria-label={t('pm.forecast.skipN', { date })}
                      onClick={() => onSkip(row.item)}
                    >
                      {t('pm.forecast.skip')}
                    </Button>
                  )
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
  // The plan does not list its skipped occurrences: those skipped here stay marked.
  const [skippedHere, setSkippedHere] = useState<Skipped[]>([]);

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

  const refresh = () =>
    Promise.all(
      ['pm-plans', 'calendar'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })),
    );

  const act = async (action: 'pause' | 'resume' | 'archive') => {
    const path = { params: { path: { id: plan.id } } };
    const updated = await call(
      action === 'pause'
        ? api.POST('/pm-plans/{id}/pause', path)
        : action === 'resume'
          ? api.POST('/pm-plans/{id}/resume', path)
          : api.POST('/pm-plans/{id}/archive', path),
    );
    queryClient.setQueryData(['pm-plans', 'one', plan.id], updated);
    await refresh();
    const done = { pause: 'pm.pausedDone', resume: 'pm.resumedDone', archive: 'pm.archivedDone' };
    notifications.show({ color: 'teal', message: t(done[action], { title: plan.title }) });
  };

  const skip = async (reason: string) => {
    if (!skipping) return;
    const updated = await call(
      api.POST('/pm-plans/{id}/skip', {
        params: { path: { id: plan.id } },
        body: { occurrence: skipping.occurrence, ...(reason ? { reason } : {}) },
      }),
    );
    setSkippedHere((list) => [
      ...list,
      { occurrence: skipping.occurrence, due: skipping.due_at, reason: reason || null, by: null },
    ]);
    queryClient.setQueryData(['pm-plans', 'one', plan.id], updated);
    await refresh();
    notifications.show({
      color: 'teal',
      message: t('pm.forecast.skippedDone', {
        date: formatOccurrence(skipping.due_at, i18n.language),
      }),
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
          <Forecast plan={plan} skippedHere={skippedHere} onSkip={setSkipping} />
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
