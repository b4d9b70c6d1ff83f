// The failure reports a person made, and what became of them: the order's number and where it
// stands, or why it was turned down.
import {
  Anchor,
  Button,
  Card,
  Group,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowRight, IconMessageReport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { WorkRequest } from '../../api/client';
import { useRequests } from '../../api/queries';
import { useAuth } from '../../auth/context';
import {
  RequestStatusBadge,
  StoppedBadge,
  UrgencyBadge,
  WorkOrderStatusBadge,
} from '../../components/badges';
import { Empty } from '../../components/Empty';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { RelativeTime } from '../../components/RelativeTime';
import { REQUEST_STATUSES } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { oneOf, useUrlParams } from '../../lib/useUrlParams';

function RequestCard({ request }: { request: WorkRequest }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  return (
    <Card p="md" data-testid="my-request">
      <UnstyledButton
        component={Link}
        to={`/requests/${request.id}`}
        style={{ display: 'block' }}
        aria-label={t('requests.openNamed', { number: request.number, title: request.title })}
      >
        <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
          <div style={{ minWidth: 0 }}>
            <Text size="sm" ff="monospace" fw={600} c="gmao.7">
              {request.number}
            </Text>
            <Text fw={600} fz="md" lh={1.35} style={{ overflowWrap: 'anywhere' }}>
              {request.title}
            </Text>
          </div>
          <RequestStatusBadge status={request.status} />
        </Group>
        <Text size="sm" c="dimmed" mt={4}>
          {request.equipment_code} — {request.equipment_name}
        </Text>
        <Group gap={6} mt="xs">
          <UrgencyBadge urgency={request.urgency} size="sm" />
          {request.production_stopped && <StoppedBadge size="sm" />}
          <RelativeTime at={request.created_at} />
        </Group>
      </UnstyledButton>
      {request.status === 'approved' && request.work_order_number && (
        <Group
          gap="xs"
          mt="sm"
          pt="sm"
          style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
          data-testid="request-order"
        >
          <Text size="sm">{t('requests.orderLabel')}</Text>
          {can(PERMISSIONS.workOrdersRead) && request.work_order_id ? (
            <Anchor
              component={Link}
              to={`/work-orders/${request.work_order_id}`}
              size="sm"
              ff="monospace"
              fw={600}
            >
              {request.work_order_number}
            </Anchor>
          ) : (
            <Text size="sm" ff="monospace" fw={600}>
              {request.work_order_number}
            </Text>
          )}
          {request.work_order_status && (
            <WorkOrderStatusBadge status={request.work_order_status} size="sm" />
          )}
        </Group>
      )}
      {request.status === 'rejected' && request.rejection_reason && (
        <Text
          size="sm"
          mt="sm"
          pt="sm"
          style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
        >
          <Text span c="dimmed">
            {t('requests.rejectionReason')}
          </Text>{' '}
          {request.rejection_reason}
        </Text>
      )}
    </Card>
  );
}

export default function MyRequestsPage() {
  const { t } = useTranslation();
  const { params, update, page } = useUrlParams();
  const status = oneOf(params.get('status'), REQUEST_STATUSES);
  const list = useRequests({
    status,
    mine: true,
    equipmentId: null,
    sort: '-created_at',
    page,
  });
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  return (
    <>
      <PageHeader
        title={t('requests.myTitle')}
        description={t('requests.myDescription')}
        actions={
          <Button
            component={Link}
            to="/requests/new"
            color="red"
            leftSection={<IconAlertTriangle size={18} />}
          >
            {t('nav.reportFailure')}
          </Button>
        }
      />
      <SegmentedControl
        mb="lg"
        fullWidth
        maw={560}
        aria-label={t('requests.filterStatus')}
        value={status ?? 'all'}
        onChange={(value) => update({ status: value === 'all' ? null : value })}
        data={[
          { value: 'all', label: t('requests.all') },
          ...REQUEST_STATUSES.map((s) => ({ value: s, label: t(`requestStatus.${s}`) })),
        ]}
      />
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <Stack gap="sm">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={110} />
          ))}
        </Stack>
      ) : items.length === 0 ? (
        <Card>
          <Empty
            py={40}
            icon={<IconMessageReport size={30} />}
            title={status ? t('requests.noMatch') : t('requests.emptyMine')}
            description={status ? undefined : t('requests.emptyMineText')}
          >
            {!status && (
              <Button
                component={Link}
                to="/requests/new"
                rightSection={<IconArrowRight size={16} />}
              >
                {t('nav.reportFailure')}
              </Button>
            )}
          </Empty>
        </Card>
      ) : (
        <Stack gap="sm" maw={880}>
          {items.map((request) => (
            <RequestCard key={request.id} request={request} />
          ))}
        </Stack>
      )}
      <ListFooter
        total={total}
        page={page}
        countLabel={t('requests.count', { count: total })}
        onPage={(p) => update({ page: String(p) })}
      />
    </>
  );
}
