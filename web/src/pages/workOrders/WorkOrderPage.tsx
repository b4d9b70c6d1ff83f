// A work order, where the technician does everything (on a phone too): the actions the server
// allows now, the checklist, time, comments, photos, and the timeline; planners edit and
// reschedule it.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconInfoCircle, IconPencil, IconSubtask } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import type { WorkOrder, WorkOrderAction } from '../../api/client';
import { isApiError } from '../../api/errors';
import { useFailureCodes, useWorkOrder } from '../../api/queries';
import { useAuth, useMe } from '../../auth/context';
import { Attachments } from '../../components/Attachments';
import { Field } from '../../components/Field';
import {
  OverdueBadge,
  PriorityBadge,
  StoppedBadge,
  WorkOrderStatusBadge,
} from '../../components/badges';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import {
  canContribute,
  canExecute,
  formatMinutes,
  isFinal,
  type ActionButton,
} from '../../lib/maintenance';
import { canRaiseFollowUp } from '../../lib/followUp';
import { PERMISSIONS } from '../../lib/permissions';
import { NotFoundPage } from '../StatusPages';
import { ActionButtons, ActionDialogs, EditOrderDialog } from './WorkOrderActions';
import { FollowUpDialog, FollowUpOf, FollowUpsSection } from './FollowUp';
import { StoppedBanner } from './StoppedBanner';
import { WorkOrderChecklist } from './WorkOrderChecklist';
import { CommentsSection, TimeSection, TimelineSection } from './WorkOrderSections';
import { useDirectAction } from './useOrderRefresh';

function Summary({ order }: { order: WorkOrder }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  return (
    <Card component="section" aria-label={t('workOrders.summary')}>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="md" verticalSpacing="md">
        <Field label={t('workOrders.equipment')}>
          <Anchor component={Link} to={`/equipment/${order.equipment_id}`} size="sm">
            <Text span ff="monospace" fw={600}>
              {order.equipment_code}
            </Text>{' '}
            {order.equipment_name}
          </Anchor>
        </Field>
        <Field label={t('workOrders.priority')}>
          <PriorityBadge priority={order.priority} />
        </Field>
        <Field label={t('workOrders.type')}>{t(`woType.${order.type}`)}</Field>
        <Field label={t('workOrders.dueAt')}>
          {order.due_at ? (
            <Group gap={6}>
              <Text
                span
                size="sm"
                c={order.overdue ? 'red.8' : undefined}
                fw={order.overdue ? 600 : 400}
              >
                {formatDateTime(order.due_at, i18n.language)}
              </Text>
              {order.overdue && <OverdueBadge size="sm" />}
            </Group>
          ) : (
            <Text span size="sm" c="dimmed">
              {t('workOrders.noDueDate')}
            </Text>
          )}
        </Field>
        <Field label={t('workOrders.assignees')}>
          {order.assignees.length > 0 ? (
            <Text size="sm" data-testid="assignee-names">
              {order.assignees.map((a) => a.full_name).join(', ')}
            </Text>
          ) : (
            <Text span size="sm" c="dimmed">
              {t('workOrders.unassigned')}
            </Text>
          )}
        </Field>
        <Field label={t('workOrders.origin')}>
          {order.follow_up_of ? (
            <FollowUpOf link={order.follow_up_of} />
          ) : order.origin === 'request' && order.work_request_id ? (
            <Anchor component={Link} to={`/requests/${order.work_request_id}`} size="sm">
              {t('workOrders.fromRequest', { number: order.work_request_number ?? '' })}
            </Anchor>
          ) : order.pm_plan_id && can(PERMISSIONS.pmPlansRead) ? (
            <Anchor component={Link} to={`/pm-plans/${order.pm_plan_id}`} size="sm">
              {t('workOrders.seePlan')}
            </Anchor>
          ) : (
            t(`woOrigin.${order.origin}`)
          )}
        </Field>
        <Field label={t('workOrders.timeSpent')}>
          {formatMinutes(order.time_spent_minutes)}
          {order.estimated_minutes != null && (
            <Text span size="xs" c="dimmed">
              {' '}
              {t('workOrders.ofEstimated', { duration: formatMinutes(order.estimated_minutes) })}
            </Text>
          )}
        </Field>
        <Field label={t('workOrders.createdAt')}>
          {formatDateTime(order.created_at, i18n.language)}
        </Field>
      </SimpleGrid>
      {order.description && (
        <>
          <Text size="xs" c="dimmed" fw={500} tt="uppercase" lts={0.3} mt="md">
            {t('workOrders.descriptionLabel')}
          </Text>
          <Text size="sm" mt={2} style={{ whiteSpace: 'pre-wrap' }}>
            {order.description}
          </Text>
        </>
      )}
    </Card>
  );
}

function Report({ order }: { order: WorkOrder }) {
  const { t, i18n } = useTranslation();
  const codes = useFailureCodes(null, true);
  const label = (id: string | null | undefined) => {
    if (!id) return null;
    const code = codes.data?.items.find((c) => c.id === id);
    return code ? `${code.code} — ${code.label}` : '…';
  };
  if (!order.work_performed) return null;
  const downtime =
    order.downtime_minutes != null
      ? formatMinutes(order.downtime_minutes) +
        (order.downtime_start && order.downtime_end
          ? ` (${formatDateTime(order.downtime_start, i18n.language)} → ${formatDateTime(order.downtime_end, i18n.language)})`
          : '')
      : null;
  return (
    <Card component="section" aria-labelledby="report-title" data-testid="report">
      <Title order={2} fz="lg" mb="sm" id="report-title">
        {t('workOrders.report')}
      </Title>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {order.work_performed}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" mt="md">
        <Field label={t('failureKind.problem')}>{label(order.failure_problem_id) ?? '—'}</Field>
        <Field label={t('failureKind.cause')}>{label(order.failure_cause_id) ?? '—'}</Field>
        <Field label={t('failureKind.remedy')}>{label(order.failure_remedy_id) ?? '—'}</Field>
        <Field label={t('workOrders.rootCause')}>{order.root_cause ?? '—'}</Field>
        <Field label={t('workOrders.downtime')}>{downtime ?? '—'}</Field>
        <Field label={t('workOrders.completedAt')}>
          {formatDateTime(order.completed_at, i18n.language) || '—'}
        </Field>
      </SimpleGrid>
    </Card>
  );
}

function StatusBanner({ order }: { order: WorkOrder }) {
  const { t, i18n } = useTranslation();
  if (order.status === 'on_hold') {
    return (
      <Alert
        color="orange"
        variant="light"
        icon={<IconInfoCircle />}
        title={t('workOrders.onHoldTitle')}
      >
        {order.status_reason}
      </Alert>
    );
  }
  if (order.status === 'cancelled') {
    return (
      <Alert
        color="gray"
        variant="light"
        icon={<IconInfoCircle />}
        title={t('workOrders.cancelledTitle', {
          date: formatDateTime(order.cancelled_at, i18n.language),
        })}
      >
        {order.status_reason}
      </Alert>
    );
  }
  if (order.status === 'in_progress' && order.status_reason && order.completed_at) {
    return (
      <Alert
        color="orange"
        variant="light"
        icon={<IconInfoCircle />}
        title={t('workOrders.reopenedTitle')}
      >
        {order.status_reason}
      </Alert>
    );
  }
  if (order.status === 'closed') {
    return (
      <Alert color="green" variant="light" icon={<IconInfoCircle />}>
        {t('workOrders.closedText', { date: formatDateTime(order.closed_at, i18n.language) })}
      </Alert>
    );
  }
  return null;
}

export default function WorkOrderPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const { can } = useAuth();
  const compact = useMediaQuery('(max-width: 48em)');
  const query = useWorkOrder(id);
  const [dialog, setDialog] = useState<WorkOrderAction | null>(null);
  const direct = useDirectAction();
  const [editing, setEditing] = useState(false);
  const [followingUp, setFollowingUp] = useState(false);
  const [highlight, setHighlight] = useState(false);

  if (query.isError) {
    if (isApiError(query.error, 'not_found')) return <NotFoundPage />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  const order = query.data;
  if (!order) {
    return (
      <Stack gap="lg">
        <Skeleton h={60} w="60%" />
        <Skeleton h={140} />
        <Skeleton h={220} />
      </Stack>
    );
  }

  const manage = can(PERMISSIONS.workOrdersManage);
  const contribute = canContribute(order, {
    userId: me.user.id,
    execute: can(PERMISSIONS.workOrdersExecute),
    manage,
  });

  const followUp = canRaiseFollowUp(order, {
    userId: me.user.id,
    execute: can(PERMISSIONS.workOrdersExecute),
    manage,
  });

  const onAction = (button: ActionButton) => {
    if (button.kind === 'direct') void direct.run(order, button.action);
    else setDialog(button.action);
  };

  const actions = (
    <ActionButtons
      order={order}
      busy={direct.busy?.action ?? null}
      onAction={onAction}
      size={compact ? 'md' : 'sm'}
      fullWidth={compact}
    />
  );

  return (
    <>
      <PageHeader
        title={order.title}
        back={{ to: '/work-orders', label: t('workOrders.title') }}
        badge={<WorkOrderStatusBadge status={order.status} size="lg" />}
        description={
          <Group gap={8} component="span">
            <Text
              span
              ff="monospace"
              fw={600}
              c="var(--mantine-color-text)"
              data-testid="order-number"
            >
              {order.number}
            </Text>
            {order.overdue && <OverdueBadge size="sm" />}
            {order.production_stopped && <StoppedBadge size="sm" />}
            {order.checklist_total > 0 && (
              <Badge variant="default" size="sm">
                {t('workOrders.checklistProgress', {
                  done: order.checklist_done,
                  total: order.checklist_total,
                })}
              </Badge>
            )}
          </Group>
        }
        actions={
          <>
            {manage && !isFinal(order.status) && (
              <Button
                variant="default"
                leftSection={<IconPencil size={16} />}
                onClick={() => setEditing(true)}
                size={compact ? 'xs' : 'sm'}
              >
                {t('workOrders.edit')}
              </Button>
            )}
            {followUp && (
              <Button
                variant="default"
                leftSection={<IconSubtask size={16} />}
                onClick={() => setFollowingUp(true)}
                size={compact ? 'xs' : 'sm'}
              >
                {t('followUp.create')}
              </Button>
            )}
            {!compact && actions}
          </>
        }
      />
      <Stack gap="lg">
        <StoppedBanner order={order} />
        <StatusBanner order={order} />
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="lg">
              <Summary order={order} />
              <Report order={order} />
              <FollowUpsSection order={order} />
              <WorkOrderChecklist
                order={order}
                editable={canExecute(order)}
                plan={manage && !isFinal(order.status) && order.status !== 'completed'}
                highlight={highlight}
              />
              <Card component="section" aria-labelledby="photos-title">
                <Title order={2} fz="lg" mb="md" id="photos-title">
                  {t('workOrders.photos')}
                </Title>
                <Attachments
                  owner={{ kind: 'work-orders', id: order.id }}
                  canUpload={contribute}
                  canDelete={contribute}
                  emptyText={t('workOrders.noPhotos')}
                  cols={{ base: 2, sm: 3 }}
                  quiet
                />
              </Card>
              <CommentsSection order={order} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap="lg">
              <TimeSection
                order={order}
                canLog={contribute}
                canRemove={(entry) => contribute && (manage || entry.user_id === me.user.id)}
              />
              <TimelineSection order={order} />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
      {compact && order.allowed_actions.length > 0 && (
        <div className="sticky-actions">{actions}</div>
      )}
      <ActionDialogs
        order={order}
        action={dialog}
        onClose={() => setDialog(null)}
        onIncompleteChecklist={() => {
          setHighlight(true);
          document
            .getElementById('checklist')
            ?.scrollIntoView({ behavior: 'smooth', block: 'start' });
        }}
      />
      <EditOrderDialog order={order} opened={editing} onClose={() => setEditing(false)} />
      <FollowUpDialog order={order} opened={followingUp} onClose={() => setFollowingUp(false)} />
    </>
  );
}
