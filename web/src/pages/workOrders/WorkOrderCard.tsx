import { Avatar, Card, Group, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconCalendarDue, IconListCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { WorkOrder } from '../../api/client';
import {
  OverdueBadge,
  PriorityBadge,
  StoppedBadge,
  WorkOrderStatusBadge,
} from '../../components/badges';
import { formatDateTime, initials } from '../../lib/format';
import { PRIORITY_COLOR } from '../../lib/maintenance';

/** The people doing the work, as initials (names on hover and for screen readers). */
export function Assignees({ order, max = 3 }: { order: WorkOrder; max?: number }) {
  const { t } = useTranslation();
  if (order.assignees.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        {t('workOrders.unassigned')}
      </Text>
    );
  }
  return (
    <Tooltip.Group openDelay={200}>
      <Avatar.Group spacing={6} aria-label={order.assignees.map((a) => a.full_name).join(', ')}>
        {order.assignees.slice(0, max).map((a) => (
          <Tooltip key={a.id} label={a.full_name}>
            <Avatar size={26} radius="xl" color="gmao" aria-hidden>
              {initials(a.full_name)}
            </Avatar>
          </Tooltip>
        ))}
        {order.assignees.length > max && (
          <Avatar size={26} radius="xl" aria-hidden>
            +{order.assignees.length - max}
          </Avatar>
        )}
      </Avatar.Group>
    </Tooltip.Group>
  );
}

/** A work order at a glance: for "my work", the board and lists on phones. */
export function WorkOrderCard({
  order,
  showStatus = true,
  compact = false,
  describedBy,
  flag,
}: {
  order: WorkOrder;
  showStatus?: boolean;
  compact?: boolean;
  /** What else a screen reader says of the card (how to move it on the board). */
  describedBy?: string;
  /** A mark beside the number ("new" in my work). */
  flag?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  return (
    <UnstyledButton
      component={Link}
      to={`/work-orders/${order.id}`}
      style={{ display: 'block' }}
      data-testid="work-order-card"
      aria-label={`${order.number} · ${order.title}`}
      aria-describedby={describedBy}
      draggable={false}
    >
      <Card
        p={compact ? 'sm' : 'md'}
        style={{ borderLeft: `4px solid var(--mantine-color-${PRIORITY_COLOR[order.priority]}-5)` }}
      >
        <Stack gap={6}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Group gap={6} wrap="nowrap">
              <Text size="xs" ff="monospace" fw={600} c="gmao.7">
                {order.number}
              </Text>
              {flag}
            </Group>
            {showStatus && <WorkOrderStatusBadge status={order.status} size="sm" />}
          </Group>
          <Text
            fw={600}
            size={compact ? 'sm' : 'md'}
            lh={1.35}
            style={{ overflowWrap: 'anywhere' }}
          >
            {order.title}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {order.equipment_code} — {order.equipment_name}
          </Text>
          <Group gap={6} wrap="wrap">
            <PriorityBadge priority={order.priority} size="sm" />
            {order.overdue && <OverdueBadge size="sm" />}
            {order.production_stopped && <StoppedBadge size="sm" />}
            {order.checklist_total > 0 && (
              <Group gap={2} c="dimmed">
                <IconListCheck size={14} aria-hidden />
                <Text size="xs">
                  {t('workOrders.checklistProgress', {
                    done: order.checklist_done,
                    total: order.checklist_total,
                  })}
                </Text>
              </Group>
            )}
          </Group>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            {order.due_at ? (
              <Group gap={4} c={order.overdue ? 'red.8' : 'dimmed'} wrap="nowrap">
                <IconCalendarDue size={14} aria-hidden />
                <Text size="xs" fw={order.overdue ? 600 : 400}>
                  {formatDateTime(order.due_at, i18n.language)}
                </Text>
              </Group>
            ) : (
              <Text size="xs" c="dimmed">
                {t('workOrders.noDueDate')}
              </Text>
            )}
            <Assignees order={order} />
          </Group>
        </Stack>
      </Card>
    </UnstyledButton>
  );
}
