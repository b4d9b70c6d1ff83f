import { Anchor, Card, Group, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconClipboardList, IconHistory, IconMessageReport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Equipment, WorkOrder, WorkRequest } from '../../api/client';
import { NO_WORK_ORDER_FILTERS, useRequests, useWorkOrders } from '../../api/queries';
import { useAuth } from '../../auth/context';
import {
  OverdueBadge,
  PriorityBadge,
  RequestStatusBadge,
  StoppedBadge,
  UrgencyBadge,
  WorkOrderStatusBadge,
} from '../../components/badges';
import { Empty } from '../../components/Empty';
import { QueryError } from '../../components/QueryError';
import { RelativeTime } from '../../components/RelativeTime';
import { mergeHistory } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { ReporterLine } from '../requests/Reporter';

function OrderRow({ order }: { order: WorkOrder }) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start" py="sm" className="history-row">
      <ThemeIcon variant="light" color="blue" size={34} radius="md" aria-hidden>
        <IconClipboardList size={18} />
      </ThemeIcon>
      <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
        <Group gap={8} wrap="wrap" style={{ rowGap: 4 }}>
          <Anchor
            component={Link}
            to={`/work-orders/${order.id}`}
            fw={600}
            size="sm"
            ff="monospace"
          >
            {order.number}
          </Anchor>
          <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
            {order.title}
          </Text>
        </Group>
        <Group gap={6}>
          <WorkOrderStatusBadge status={order.status} size="sm" />
          <PriorityBadge priority={order.priority} size="sm" />
          <Text size="xs" c="dimmed">
            {t(`woType.${order.type}`)}
          </Text>
          {order.overdue && <OverdueBadge size="sm" />}
        </Group>
        {order.work_performed && (
          <Text size="xs" c="dimmed" lineClamp={2}>
            {order.work_performed}
          </Text>
        )}
      </Stack>
      <RelativeTime at={order.created_at} style={{ flexShrink: 0 }} />
    </Group>
  );
}

function RequestRow({ request }: { request: WorkRequest }) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start" py="sm" className="history-row">
      <ThemeIcon variant="light" color="orange" size={34} radius="md" aria-hidden>
        <IconMessageReport size={18} />
      </ThemeIcon>
      <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
        <Group gap={8} wrap="wrap" style={{ rowGap: 4 }}>
          <Anchor component={Link} to={`/requests/${request.id}`} fw={600} size="sm" ff="monospace">
            {request.number}
          </Anchor>
          <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
            {request.title}
          </Text>
        </Group>
        <Group gap={6}>
          <RequestStatusBadge status={request.status} size="sm" />
          <UrgencyBadge urgency={request.urgency} size="sm" />
          {request.production_stopped && <StoppedBadge size="sm" />}
          {request.work_order_number && request.work_order_id && (
            <Text size="xs" c="dimmed">
              {t('requests.becameOrder', { number: request.work_order_number })}
            </Text>
          )}
        </Group>
        {request.anonymous ? (
          <ReporterLine request={request} />
        ) : (
          request.requested_by_name && (
            <Text size="xs" c="dimmed">
              {t('requests.reportedBy', { name: request.requested_by_name })}
            </Text>
          )
        )}
      </Stack>
      <RelativeTime at={request.created_at} style={{ flexShrink: 0 }} />
    </Group>
  );
}

export function EquipmentHistory({ equipment }: { equipment: Equipment }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const readOrders = can(PERMISSIONS.workOrdersRead);
  const readRequests = can(PERMISSIONS.requestsRead) || can(PERMISSIONS.requestsCreate);
  const orders = useWorkOrders(
    { ...NO_WORK_ORDER_FILTERS, equipmentId: equipment.id, perPage: 50 },
    readOrders,
  );
  const requests = useRequests(
    { status: null, mine: false, equipmentId: equipment.id, sort: '-created_at', page: 1 },
    readRequests,
  );
  const loading = (readOrders && orders.isPending) || (readRequests && requests.isPending);
  const entries = mergeHistory(orders.data?.items ?? [], requests.data?.items ?? []);
  const moreOrders = (orders.data?.total ?? 0) > (orders.data?.items.length ?? 0);
  return (
    <Card component="section" aria-label={t('equipment.tabs.history')}>
      {orders.isError && <QueryError error={orders.error} onRetry={() => void orders.refetch()} />}
      {requests.isError && (
        <QueryError error={requests.error} onRetry={() => void requests.refetch()} />
      )}
      {loading ? (
        <Stack gap="md">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={48} />
          ))}
        </Stack>
      ) : entries.length === 0 ? (
        <Empty py={32} icon={<IconHistory size={28} />} title={t('equipment.noHistory')} />
      ) : (
        <Stack gap={0} data-testid="maintenance-history">
          {entries.map((entry) =>
            entry.kind === 'order' ? (
              <OrderRow key={`o-${entry.order.id}`} order={entry.order} />
            ) : (
              <RequestRow key={`r-${entry.request.id}`} request={entry.request} />
            ),
          )}
        </Stack>
      )}
      {readOrders && (moreOrders || (orders.data?.total ?? 0) > 0) && (
        <Anchor
          component={Link}
          to={`/work-orders?equipment=${equipment.id}`}
          size="sm"
          mt="md"
          display="block"
        >
          {t('equipment.allOrders', { count: orders.data?.total ?? 0 })}
        </Anchor>
      )}
    </Card>
  );
}
