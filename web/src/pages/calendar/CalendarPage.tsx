// The maintenance calendar: scheduled work orders and the coming due dates of preventive plans,
// by month, week or day, for a site and a technician. Planners drag an order to another day
// (or pick a new date in its details) to reschedule it.
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Drawer,
  Group,
  Loader,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconChevronLeft,
  IconChevronRight,
  IconClipboardList,
  IconCalendarRepeat,
  IconHandMove,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { api, call, type CalendarEntry, type CalendarPage as Page } from '../../api/client';
import {
  calendarKey,
  useAllMembers,
  useAllSites,
  useAssignable,
  useCalendar,
} from '../../api/queries';
import { useAuth, useMe } from '../../auth/context';
import { OverdueBadge, PriorityBadge, WorkOrderStatusBadge } from '../../components/badges';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { errorMessage } from '../../i18n/messages';
import {
  CALENDAR_VIEWS,
  dayKey,
  isReschedulable,
  isTimedView,
  parseDayKey,
  rangeQuery,
  rangeTitle,
  shiftAnchor,
  toEvents,
  withDueAt,
  type CalendarView,
} from '../../lib/calendar';
import { isoToPicker, pickerToIso } from '../../lib/format';
import { formatMinutes } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { formatOccurrence } from '../../lib/pm';
import { oneOf, useUrlParams } from '../../lib/useUrlParams';
import { Field } from '../../components/Field';

const MaintenanceCalendar = lazy(() => import('./MaintenanceCalendar'));

/** "novembre 2026" → "Novembre 2026" (only the first letter: "nov." stays as it is). */
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function Swatch({ className, label }: { className: string; label: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <span className={`cal-swatch ${className}`} aria-hidden />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}

/** What a click on an entry opens: its details, links, and a date to reschedule it by hand. */
function EntryDetails({
  entry,
  canReschedule,
  onReschedule,
}: {
  entry: CalendarEntry;
  canReschedule: boolean;
  onReschedule: (entry: CalendarEntry, dueAt: string) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const [due, setDue] = useState<string | null>(isoToPicker(entry.due_at));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const order = entry.kind === 'work_order';
  const movable = order && canReschedule && isReschedulable(entry);
  const save = async () => {
    const iso = pickerToIso(due);
    if (!iso) return;
    setBusy(true);
    setError(null);
    try {
      await onReschedule(entry, iso);
    } catch (e) {
      setError(errorMessage(i18n, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="md" data-testid="calendar-details">
      <Group gap={6}>
        {order && entry.status ? (
          <WorkOrderStatusBadge status={entry.status} />
        ) : (
          <Badge variant="outline" color="gray" className="badge-nowrap">
            {t('calendar.forecastBadge')}
          </Badge>
        )}
        <PriorityBadge priority={entry.priority} />
        {entry.overdue && <OverdueBadge />}
      </Group>
      <SimpleGrid cols={2} spacing="md">
        <Field label={t('calendar.due')}>{formatOccurrence(entry.due_at, i18n.language)}</Field>
        <Field label={t('calendar.equipment')}>
          <Anchor component={Link} to={`/equipment/${entry.equipment_id}`} size="sm">
            <Text span ff="monospace" fw={600}>
              {entry.equipment_code}
            </Text>{' '}
            {entry.equipment_name}
          </Anchor>
        </Field>
        <Field label={t('calendar.assignees')}>
          {entry.assignees.length > 0 ? (
            entry.assignees.map((a) => a.full_name).join(', ')
          ) : (
            <Text span size="sm" c="dimmed">
              {t('calendar.nobody')}
            </Text>
          )}
        </Field>
        <Field label={t('workOrders.type')}>{t(`woType.${entry.type}`)}</Field>
        <Field label={t('calendar.estimated')}>
          {entry.estimated_minutes != null ? (
            formatMinutes(entry.estimated_minutes)
          ) : (
            <Text span size="sm" c="dimmed">
              {t('calendar.notEstimated')}
            </Text>
          )}
        </Field>
      </SimpleGrid>
      {!order && (
        <Text size="sm" c="dimmed">
          {t('calendar.forecastText')}
        </Text>
      )}
      {order && !isReschedulable(entry) && (
        <Text size="sm" c="dimmed">
          {t('calendar.finishedText')}
        </Text>
      )}
      {movable && (
        <Card withBorder p="sm" bg="var(--mantine-color-gray-0)">
          <Stack gap="sm">
            <FormError message={error} />
            <DateTimePicker
              label={t('calendar.newDue')}
              description={t('workOrders.rescheduleHelp')}
              valueFormat="D MMM YYYY HH:mm"
              value={due}
              onChange={(value) => setDue(value)}
              popoverProps={{ withinPortal: true }}
            />
            <Button
              onClick={() => void save()}
              loading={busy}
              disabled={!due || pickerToIso(due) === new Date(entry.due_at).toISOString()}
              w="fit-content"
            >
              {t('calendar.reschedule')}
            </Button>
          </Stack>
        </Card>
      )}
      <Group gap="sm">
        {order && entry.work_order_id && (
          <Button
            component={Link}
            to={`/work-orders/${entry.work_order_id}`}
            variant="light"
            leftSection={<IconClipboardList size={16} />}
          >
            {t('calendar.openOrder')}
          </Button>
        )}
        {entry.pm_plan_id && can(PERMISSIONS.pmPlansRead) && (
          <Button
            component={Link}
            to={`/pm-plans/${entry.pm_plan_id}`}
            variant={order ? 'default' : 'light'}
            leftSection={<IconCalendarRepeat size={16} />}
          >
            {t('calendar.openPlan')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

export default function CalendarPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const me = useMe();
  const queryClient = useQueryClient();
  const compact = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const { params, update } = useUrlParams();
  // On phones a month of boxes is unreadable: the list of the week by default.
  const view: CalendarView =
    oneOf(params.get('view'), CALENDAR_VIEWS) ?? (compact ? 'list' : 'month');
  const today = useMemo(() => new Date(), []);
  const anchor = parseDayKey(params.get('date')) ?? today;
  const siteId = params.get('site');
  const assigneeId = params.get('assignee');
  const range = rangeQuery(view, anchor);
  const filters = { ...range, siteId, assigneeId };
  const calendar = useCalendar(filters);
  const canReschedule = can(PERMISSIONS.workOrdersManage);
  const items = calendar.data?.items;
  // Hour by hour, each block is as long as its work is estimated to take.
  const timed = isTimedView(view);
  const events = useMemo(
    () => toEvents(items ?? [], canReschedule, timed),
    [items, canReschedule, timed],
  );
  const [opened, setOpened] = useState<CalendarEntry | null>(null);

  // Who to filter by: the people of the chosen site, or every member for those who may list
  // them; anyone who does work may at least choose themselves.
  const canListPeople = can(PERMISSIONS.workOrdersManage) || can(PERMISSIONS.usersRead);
  const sites = useAllSites();
  const assignable = useAssignable(siteId, canListPeople && siteId !== null);
  const members = useAllMembers(can(PERMISSIONS.usersRead) && siteId === null);
  const people = useMemo(() => {
    const list = (siteId ? assignable.data?.items : members.data?.items) ?? [];
    const options = list
      .filter((m) => m.id !== me.user.id)
      .map((m) => ({ value: m.id, label: m.full_name }));
    if (can(PERMISSIONS.workOrdersExecute) || list.some((m) => m.id === me.user.id)) {
      options.unshift({ value: me.user.id, label: t('calendar.me', { name: me.user.full_name }) });
    }
    return options;
  }, [siteId, assignable.data, members.data, me.user, can, t]);

  const reschedule = async (entry: CalendarEntry, dueAt: string) => {
    const id = entry.work_order_id;
    if (!id) return;
    const key = calendarKey(filters);
    const before = queryClient.getQueryData<Page>(key);
    // Shown at once where it was dropped; put back if the server refuses.
    if (before) queryClient.setQueryData(key, withDueAt(before, id, dueAt));
    try {
      await call(
        api.PATCH('/work-orders/{id}', { params: { path: { id } }, body: { due_at: dueAt } }),
      );
    } catch (error) {
      if (before) queryClient.setQueryData(key, before);
      throw error;
    }
    notifications.show({
      color: 'teal',
      message: t('calendar.moved', {
        number: entry.number ?? '',
        date: formatOccurrence(dueAt, i18n.language),
      }),
    });
    setOpened((current) =>
      current?.work_order_id === id ? { ...current, due_at: dueAt } : current,
    );
    await Promise.all(
      ['calendar', 'work-orders', 'tenant'].map((k) =>
        queryClient.invalidateQueries({ queryKey: [k] }),
      ),
    );
  };

  const onMove = (entry: CalendarEntry, dueAt: Date, revert: () => void) => {
    reschedule(entry, dueAt.toISOString()).catch((error: unknown) => {
      revert();
      notifications.show({
        color: 'red',
        icon: <IconAlertTriangle size={18} />,
        message: t('calendar.moveFailed', {
          number: entry.number ?? '',
          reason: errorMessage(i18n, error),
        }),
        autoClose: 8000,
      });
    });
  };

  const go = (date: Date) => update({ date: dayKey(date) });

  return (
    <>
      <PageHeader title={t('calendar.title')} description={t('calendar.description')} />
      <Card mb="md" p="md">
        <Stack gap="md">
          <Group justify="space-between" gap="sm" wrap="wrap">
            <Group gap="xs" wrap="wrap">
              <Button variant="default" onClick={() => go(new Date())}>
                {t('calendar.today')}
              </Button>
              <Tooltip label={t('calendar.previous')}>
                <ActionIcon
                  variant="default"
                  size={36}
                  aria-label={t('calendar.previous')}
                  onClick={() => go(shiftAnchor(view, anchor, -1))}
                >
                  <IconChevronLeft size={18} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('calendar.next')}>
                <ActionIcon
                  variant="default"
                  size={36}
                  aria-label={t('calendar.next')}
                  onClick={() => go(shiftAnchor(view, anchor, 1))}
                >
                  <IconChevronRight size={18} />
                </ActionIcon>
              </Tooltip>
              <Title order={2} fz={{ base: 'md', sm: 'lg' }} ml={4} aria-live="polite">
                {capitalized(rangeTitle(view, anchor, i18n.language))}
              </Title>
              {calendar.isFetching && <Loader size="xs" aria-label={t('common.loading')} />}
            </Group>
            <SegmentedControl
              aria-label={t('calendar.view')}
              data={CALENDAR_VIEWS.map((v) => ({ value: v, label: t(`calendar.views.${v}`) }))}
              value={view}
              onChange={(value) => update({ view: value })}
            />
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
            <Select
              label={t('calendar.site')}
              placeholder={t('location.allSites')}
              data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
              value={siteId}
              onChange={(value) => update({ site: value })}
              clearable
            />
            <Select
              label={t('calendar.technician')}
              placeholder={t('calendar.anyone')}
              data={people}
              value={assigneeId}
              onChange={(value) => update({ assignee: value })}
              searchable
              clearable
              nothingFoundMessage={t('common.nothingFound')}
            />
          </SimpleGrid>
          <Group justify="space-between" gap="sm">
            <Group gap="md">
              <Swatch className="cal-swatch-order" label={t('calendar.legendOrder')} />
              <Swatch className="cal-swatch-forecast" label={t('calendar.legendForecast')} />
              <Swatch className="cal-swatch-overdue" label={t('calendar.legendOverdue')} />
            </Group>
            {canReschedule && (
              <Group gap={6} c="dimmed" visibleFrom="sm">
                <IconHandMove size={16} aria-hidden />
                <Text size="xs">{t('calendar.dragHint')}</Text>
              </Group>
            )}
          </Group>
        </Stack>
      </Card>

      {calendar.isError && (
        <Box mb="md">
          <QueryError error={calendar.error} onRetry={() => void calendar.refetch()} />
        </Box>
      )}
      {items && items.length === 0 && (
        <Alert variant="light" color="gray" mb="md">
          {t('calendar.empty')}
        </Alert>
      )}
      <Card p={{ base: 'xs', sm: 'md' }}>
        <Suspense
          fallback={
            <Stack gap="sm" aria-label={t('calendar.loadingCalendar')}>
              <Skeleton h={36} />
              <Skeleton h={420} />
            </Stack>
          }
        >
          <MaintenanceCalendar
            view={view}
            anchor={anchor}
            events={events}
            onOpen={setOpened}
            onMove={onMove}
          />
        </Suspense>
      </Card>

      <Drawer
        opened={opened !== null}
        onClose={() => setOpened(null)}
        position="right"
        size="md"
        title={
          opened ? (
            <Text fw={600} lineClamp={2}>
              {opened.number ? `${opened.number} · ${opened.title}` : opened.title}
            </Text>
          ) : null
        }
      >
        {opened && (
          <EntryDetails
            key={`${opened.kind}:${opened.work_order_id ?? opened.occurrence ?? ''}`}
            entry={opened}
            canReschedule={canReschedule}
            onReschedule={reschedule}
          />
        )}
      </Drawer>
    </>
  );
}
