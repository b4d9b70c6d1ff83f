// The rest of a work order's page: time spent, comments, and the timeline of what happened.
import {
  ActionIcon,
  Anchor,
  Avatar,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Textarea,
  Timeline,
  Title,
  Tooltip,
} from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import {
  IconArrowBackUp,
  IconCalendarTime,
  IconCheck,
  IconCirclePlus,
  IconPlayerPause,
  IconPlayerPlay,
  IconShieldCheck,
  IconSend,
  IconSubtask,
  IconTrash,
  IconUserPlus,
  IconX,
  type Icon,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { api, call, type TimeEntry, type WorkOrder, type WorkOrderEvent } from '../../api/client';
import { isRecord } from '../../api/errors';
import { useComments, useEvents, useTimeEntries } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormError } from '../../components/FormError';
import { QueryError } from '../../components/QueryError';
import { RelativeTime } from '../../components/RelativeTime';
import { fieldMessage } from '../../i18n/messages';
import { rule, useFormSubmit } from '../../lib/forms';
import { formatDateTime, initials, isoToPicker, pickerToIso } from '../../lib/format';
import { WORK_ORDER_STATUS_COLOR, formatMinutes, minutesBetween } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { checkName, checkOptionalText } from '../../lib/validation';
import { useOrderRefresh } from './useOrderRefresh';

interface TimeValues {
  mode: 'minutes' | 'period';
  minutes: number | string;
  started_at: string | null;
  ended_at: string | null;
  note: string;
}

function TimeForm({ order, onDone }: { order: WorkOrder; onDone?: () => void }) {
  const { t, i18n } = useTranslation();
  const refresh = useOrderRefresh();
  const now = isoToPicker(new Date().toISOString());
  const form = useForm<TimeValues>({
    initialValues: { mode: 'minutes', minutes: '', started_at: null, ended_at: now, note: '' },
    validate: {
      minutes: (v, values) => {
        if (values.mode !== 'minutes') return null;
        const n = Number(v);
        if (v === '') return fieldMessage(i18n, { code: 'required' });
        return Number.isInteger(n) && n >= 1 && n <= 1440
          ? null
          : fieldMessage(i18n, { code: 'out_of_range', min: 1, max: 1440 });
      },
      started_at: (v, values) =>
        values.mode === 'period' && !v ? fieldMessage(i18n, { code: 'required' }) : null,
      ended_at: (v, values) => {
        if (values.mode !== 'period') return null;
        if (!v) return fieldMessage(i18n, { code: 'required' });
        const m = minutesBetween(pickerToIso(values.started_at), pickerToIso(v));
        return m !== null && (m <= 0 || m > 1440)
          ? fieldMessage(i18n, { code: 'invalid_period' })
          : null;
      },
      note: rule(i18n, (v: string) => checkOptionalText(v, 1000)),
    },
  });
  const values = form.getValues();
  const period =
    values.mode === 'period'
      ? minutesBetween(pickerToIso(values.started_at), pickerToIso(values.ended_at))
      : null;
  const { busy, general, submit } = useFormSubmit(form, async (v: TimeValues) => {
    const note = v.note.trim();
    await call(
      api.POST('/work-orders/{id}/time-entries', {
        params: { path: { id: order.id } },
        body:
          v.mode === 'minutes'
            ? { minutes: Number(v.minutes), ...(note ? { note } : {}) }
            : {
                started_at: pickerToIso(v.started_at) ?? undefined,
                ended_at: pickerToIso(v.ended_at) ?? undefined,
                ...(note ? { note } : {}),
              },
      }),
    );
    await refresh();
    form.setValues({
      minutes: '',
      note: '',
      started_at: null,
      ended_at: isoToPicker(new Date().toISOString()),
    });
    onDone?.();
  });
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="sm">
        <FormError message={general} />
        <SegmentedControl
          size="xs"
          w="fit-content"
          aria-label={t('time.how')}
          data={[
            { value: 'minutes', label: t('time.asDuration') },
            { value: 'period', label: t('time.asPeriod') },
          ]}
          {...form.getInputProps('mode')}
        />
        {values.mode === 'minutes' ? (
          <Group gap="xs" align="flex-end" wrap="wrap">
            <NumberInput
              label={t('time.minutes')}
              min={1}
              max={1440}
              allowDecimal={false}
              w={140}
              inputMode="numeric"
              {...form.getInputProps('minutes')}
            />
            {[15, 30, 60, 120].map((m) => (
              <Button
                key={m}
                variant="default"
                size="sm"
                onClick={() => form.setFieldValue('minutes', m)}
                aria-label={t('time.quick', { duration: formatMinutes(m) })}
              >
                {formatMinutes(m)}
              </Button>
            ))}
          </Group>
        ) : (
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <DateTimePicker
              label={t('time.start')}
              valueFormat="D MMM YYYY HH:mm"
              {...form.getInputProps('started_at')}
            />
            <DateTimePicker
              label={t('time.end')}
              valueFormat="D MMM YYYY HH:mm"
              description={
                period !== null && period > 0
                  ? t('time.duration', { duration: formatMinutes(period) })
                  : undefined
              }
              {...form.getInputProps('ended_at')}
            />
          </SimpleGrid>
        )}
        <TextInput
          label={t('time.note')}
          placeholder={t('time.notePlaceholder')}
          {...form.getInputProps('note')}
        />
        <Group justify="flex-end">
          <Button type="submit" size="sm" loading={busy} leftSection={<IconCirclePlus size={16} />}>
            {t('time.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function TimeSection({
  order,
  canLog,
  canRemove,
}: {
  order: WorkOrder;
  canLog: boolean;
  /** Whose entries the caller may remove: their own, or everyone's (planners). */
  canRemove: (entry: TimeEntry) => boolean;
}) {
  const { t, i18n } = useTranslation();
  const refresh = useOrderRefresh();
  const list = useTimeEntries(order.id);
  const [removing, setRemoving] = useState<TimeEntry | null>(null);
  const items = list.data?.items ?? [];
  const remove = async (entry: TimeEntry) => {
    await call(
      api.DELETE('/work-orders/{id}/time-entries/{entry_id}', {
        params: { path: { id: order.id, entry_id: entry.id } },
      }),
    );
    await refresh();
  };
  return (
    <Card component="section" aria-labelledby="time-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="lg" id="time-title">
          {t('time.title')}
        </Title>
        <Text fw={600} data-testid="time-total">
          {t('time.total', { duration: formatMinutes(order.time_spent_minutes) })}
        </Text>
      </Group>
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <Skeleton h={60} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('time.empty')}
        </Text>
      ) : (
        <Stack gap={0} mb="sm" data-testid="time-entries">
          {items.map((entry) => (
            <Group
              key={entry.id}
              gap="xs"
              wrap="nowrap"
              align="flex-start"
              py={8}
              className="history-row"
            >
              <div style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={500}>
                  {entry.user_name ?? '—'}
                </Text>
                <Text size="xs" c="dimmed">
                  {entry.started_at && entry.ended_at
                    ? t('time.between', {
                        start: formatDateTime(entry.started_at, i18n.language),
                        end: formatDateTime(entry.ended_at, i18n.language),
                      })
                    : formatDateTime(entry.created_at, i18n.language)}
                </Text>
                {entry.note && (
                  <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                    {entry.note}
                  </Text>
                )}
              </div>
              <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                {formatMinutes(entry.minutes)}
              </Text>
              {canRemove(entry) && (
                <Tooltip label={t('time.remove')}>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    size="sm"
                    onClick={() => setRemoving(entry)}
                    aria-label={t('time.remove')}
                  >
                    <IconTrash size={15} />
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
          ))}
        </Stack>
      )}
      {canLog && <TimeForm order={order} />}
      <ConfirmDialog
        opened={removing !== null}
        title={t('time.removeTitle')}
        message={t('time.removeText', {
          duration: formatMinutes(removing?.minutes ?? 0),
          name: removing?.user_name ?? '',
        })}
        confirmLabel={t('time.remove')}
        danger
        onConfirm={() => (removing ? remove(removing) : Promise.resolve())}
        onClose={() => setRemoving(null)}
      />
    </Card>
  );
}

export function CommentsSection({ order }: { order: WorkOrder }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const refresh = useOrderRefresh();
  const list = useComments(order.id);
  const form = useForm({
    initialValues: { body: '' },
    validate: { body: rule(i18n, (v: string) => checkName(v, 5000)) },
  });
  const items = list.data?.items ?? [];
  const { busy, general, submit } = useFormSubmit(form, async ({ body }: { body: string }) => {
    await call(
      api.POST('/work-orders/{id}/comments', {
        params: { path: { id: order.id } },
        body: { body: body.trim() },
      }),
    );
    form.reset();
    await refresh();
  });
  return (
    <Card component="section" aria-labelledby="comments-title">
      <Title order={2} fz="lg" mb="sm" id="comments-title">
        {t('comments.title')}
      </Title>
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <Skeleton h={60} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('comments.empty')}
        </Text>
      ) : (
        <Stack gap="md" mb="md" data-testid="comments">
          {items.map((comment) => (
            <Group key={comment.id} gap="sm" wrap="nowrap" align="flex-start">
              <Avatar size={32} radius="xl" color="gmao">
                {initials(comment.author_name ?? '?')}
              </Avatar>
              <div style={{ minWidth: 0 }}>
                <Group gap={6}>
                  <Text size="sm" fw={600}>
                    {comment.author_name ?? '—'}
                  </Text>
                  <RelativeTime at={comment.created_at} />
                </Group>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {comment.body}
                </Text>
              </div>
            </Group>
          ))}
        </Stack>
      )}
      {can(PERMISSIONS.workOrdersComment) && (
        <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
          <Stack gap="xs">
            <FormError message={general} />
            <Textarea
              label={t('comments.add')}
              placeholder={t('comments.placeholder')}
              autosize
              minRows={2}
              maxRows={8}
              {...form.getInputProps('body')}
            />
            <Group justify="flex-end">
              <Button type="submit" size="sm" loading={busy} leftSection={<IconSend size={16} />}>
                {t('comments.send')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}

const EVENT_ICONS: Record<string, Icon> = {
  created: IconCirclePlus,
  assigned: IconUserPlus,
  rescheduled: IconCalendarTime,
  start: IconPlayerPlay,
  hold: IconPlayerPause,
  resume: IconPlayerPlay,
  complete: IconCheck,
  reopen: IconArrowBackUp,
  close: IconShieldCheck,
  cancel: IconX,
  follow_up: IconSubtask,
};

/** What an event adds to its title: who was assigned, the due date before and after. */
function EventDetails({ event, names }: { event: WorkOrderEvent; names: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  const details = isRecord(event.details) ? event.details : {};
  if (event.kind === 'assigned' && Array.isArray(details.assignees)) {
    // The step names the people as they were then (`assignees: [{id, full_name}]`).
    const people = details.assignees
      .map((p) => (isRecord(p) && typeof p.full_name === 'string' ? p.full_name : null))
      .filter((n): n is string => n !== null);
    return (
      <Text size="sm" c="dimmed" data-testid="assigned-names">
        {people.length > 0 ? people.join(', ') : t('timeline.nobody')}
      </Text>
    );
  }
  if (event.kind === 'assigned' && Array.isArray(details.assignee_ids)) {
    const ids = details.assignee_ids.filter((id): id is string => typeof id === 'string');
    const known = ids.map((id) => names.get(id)).filter((n): n is string => Boolean(n));
    return (
      <Text size="sm" c="dimmed">
        {known.length === ids.length
          ? known.join(', ')
          : t('timeline.people', { count: ids.length })}
      </Text>
    );
  }
  if (
    event.kind === 'follow_up' &&
    typeof details.work_order_id === 'string' &&
    typeof details.number === 'string'
  ) {
    return (
      <Anchor
        component={Link}
        to={`/work-orders/${details.work_order_id}`}
        size="sm"
        ff="monospace"
      >
        {details.number}
      </Anchor>
    );
  }
  if (event.kind === 'rescheduled') {
    const fmt = (v: unknown) =>
      typeof v === 'string' ? formatDateTime(v, i18n.language) : t('timeline.noDate');
    return (
      <Text size="sm" c="dimmed">
        {t('timeline.reschedule', { before: fmt(details.before), after: fmt(details.after) })}
      </Text>
    );
  }
  return null;
}

export function TimelineSection({ order }: { order: WorkOrder }) {
  const { t, i18n } = useTranslation();
  const events = useEvents(order.id);
  const items = events.data?.items ?? [];
  const names = new Map(order.assignees.map((a) => [a.id, a.full_name]));
  for (const e of items) if (e.actor_id && e.actor_name) names.set(e.actor_id, e.actor_name);
  const label = (kind: string) =>
    i18n.exists(`timeline.kinds.${kind}`) ? t(`timeline.kinds.${kind}`) : kind;
  return (
    <Card component="section" aria-labelledby="timeline-title">
      <Title order={2} fz="lg" mb="md" id="timeline-title">
        {t('timeline.title')}
      </Title>
      {events.isError && <QueryError error={events.error} onRetry={() => void events.refetch()} />}
      {events.isPending ? (
        <Skeleton h={120} />
      ) : (
        <Timeline bulletSize={26} lineWidth={2} data-testid="timeline">
          {items.map((event) => {
            const EventIcon = EVENT_ICONS[event.kind] ?? IconCirclePlus;
            return (
              <Timeline.Item
                key={event.id}
                bullet={<EventIcon size={14} />}
                color={event.to_status ? WORK_ORDER_STATUS_COLOR[event.to_status] : 'gray'}
                title={
                  <Text size="sm" fw={600} data-kind={event.kind}>
                    {label(event.kind)}
                  </Text>
                }
              >
                <EventDetails event={event} names={names} />
                {event.reason && (
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {t('common.quoted', { text: event.reason })}
                  </Text>
                )}
                <Text size="xs" c="dimmed" title={formatDateTime(event.at, i18n.language)}>
                  {[event.actor_name, formatDateTime(event.at, i18n.language)]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
    </Card>
  );
}
