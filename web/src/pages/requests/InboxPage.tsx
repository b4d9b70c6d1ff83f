// The supervisors' inbox: failure reports waiting for a decision, the most urgent (or the
// newest) first, each approved into a work order or rejected with a reason.
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
} from '@mantine/core';
import { IconCheck, IconInbox, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { WorkRequest } from '../../api/client';
import { useRequests } from '../../api/queries';
import { PhotoStrip } from '../../components/Attachments';
import { RequestProgressBadge, StoppedBadge, UrgencyBadge } from '../../components/badges';
import { Empty } from '../../components/Empty';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { RelativeTime } from '../../components/RelativeTime';
import { REQUEST_STATUSES, URGENCY_COLOR } from '../../lib/maintenance';
import { oneOf, useUrlParams } from '../../lib/useUrlParams';
import { ApproveDialog, RejectDialog } from './decisions';
import { ReporterLine } from './Reporter';

function InboxCard({
  request,
  onApprove,
  onReject,
}: {
  request: WorkRequest;
  onApprove: () => void;
  onReject: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Card
      p="md"
      data-testid="inbox-request"
      style={{ borderLeft: `4px solid var(--mantine-color-${URGENCY_COLOR[request.urgency]}-5)` }}
    >
      <Stack gap="sm">
        <Group justify="space-between" gap="xs" align="flex-start">
          <div style={{ minWidth: 0, flex: 1 }}>
            <Group gap={8} wrap="wrap" style={{ rowGap: 4 }}>
              <Anchor
                component={Link}
                to={`/requests/${request.id}`}
                ff="monospace"
                fw={600}
                size="sm"
              >
                {request.number}
              </Anchor>
              <UrgencyBadge urgency={request.urgency} size="sm" />
              {request.production_stopped && <StoppedBadge size="sm" />}
              {/* Once decided, one status line: refused, or how its work goes. */}
              {request.status !== 'submitted' && (
                <RequestProgressBadge progress={request.progress} size="sm" />
              )}
            </Group>
            <Text fw={600} fz="lg" mt={4} style={{ overflowWrap: 'anywhere' }}>
              {request.title}
            </Text>
          </div>
          <RelativeTime at={request.created_at} style={{ flexShrink: 0 }} />
        </Group>
        {request.description && (
          <Text size="sm" c="dimmed" lineClamp={3} style={{ whiteSpace: 'pre-wrap' }}>
            {request.description}
          </Text>
        )}
        <Group gap={4} wrap="wrap" style={{ columnGap: 'var(--mantine-spacing-md)' }}>
          <Anchor component={Link} to={`/equipment/${request.equipment_id}`} size="sm">
            <Text span ff="monospace" fw={600}>
              {request.equipment_code}
            </Text>{' '}
            {request.equipment_name}
          </Anchor>
          <ReporterLine request={request} />
        </Group>
        <PhotoStrip owner={{ kind: 'requests', id: request.id }} />
        {request.status === 'submitted' ? (
          <Group gap="sm" justify="flex-end">
            <Button
              variant="default"
              color="red"
              leftSection={<IconX size={16} />}
              onClick={onReject}
            >
              {t('inbox.reject')}
            </Button>
            <Button color="teal" leftSection={<IconCheck size={16} />} onClick={onApprove}>
              {t('inbox.approve')}
            </Button>
          </Group>
        ) : request.status === 'approved' && request.work_order_id ? (
          <Group gap="xs">
            <Text size="sm">{t('requests.orderLabel')}</Text>
            <Anchor
              component={Link}
              to={`/work-orders/${request.work_order_id}`}
              ff="monospace"
              fw={600}
              size="sm"
            >
              {request.work_order_number}
            </Anchor>
            {request.decided_by_name && (
              <Text size="xs" c="dimmed">
                · {t('requests.decidedBy', { name: request.decided_by_name })}
              </Text>
            )}
          </Group>
        ) : (
          request.rejection_reason && (
            <Text size="sm">
              <Text span c="dimmed">
                {t('requests.rejectionReason')}
              </Text>{' '}
              {request.rejection_reason}
            </Text>
          )
        )}
      </Stack>
    </Card>
  );
}

export default function InboxPage() {
  const { t } = useTranslation();
  const { params, update, page } = useUrlParams();
  const status = oneOf(params.get('status'), REQUEST_STATUSES) ?? 'submitted';
  const order = params.get('order') === 'newest' ? 'newest' : 'urgent';
  const list = useRequests({
    status,
    mine: false,
    equipmentId: null,
    sort: status === 'submitted' && order === 'urgent' ? '-urgency' : '-created_at',
    page,
  });
  const [approving, setApproving] = useState<WorkRequest | null>(null);
  const [rejecting, setRejecting] = useState<WorkRequest | null>(null);
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;

  return (
    <>
      <PageHeader
        title={t('inbox.title')}
        description={t('inbox.description')}
        badge={
          status === 'submitted' && total > 0 ? (
            <Badge color="red" size="lg" circle={total < 10}>
              {total}
            </Badge>
          ) : undefined
        }
      />
      <Group justify="space-between" mb="lg" gap="sm">
        <SegmentedControl
          aria-label={t('inbox.show')}
          value={status}
          onChange={(value) => update({ status: value === 'submitted' ? null : value })}
          data={REQUEST_STATUSES.map((s) => ({ value: s, label: t(`inbox.tabs.${s}`) }))}
        />
        {status === 'submitted' && (
          <SegmentedControl
            size="xs"
            aria-label={t('common.sortBy')}
            value={order}
            onChange={(value) => update({ order: value === 'urgent' ? null : value })}
            data={[
              { value: 'urgent', label: t('inbox.mostUrgent') },
              { value: 'newest', label: t('inbox.newest') },
            ]}
          />
        )}
      </Group>
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <Stack gap="md">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={150} />
          ))}
        </Stack>
      ) : items.length === 0 ? (
        <Card>
          <Empty
            py={40}
            icon={<IconInbox size={30} />}
            title={status === 'submitted' ? t('inbox.empty') : t('inbox.emptyDecided')}
            description={status === 'submitted' ? t('inbox.emptyText') : undefined}
          />
        </Card>
      ) : (
        <Stack gap="md">
          {items.map((request) => (
            <InboxCard
              key={request.id}
              request={request}
              onApprove={() => setApproving(request)}
              onReject={() => setRejecting(request)}
            />
          ))}
        </Stack>
      )}
      <ListFooter
        total={total}
        page={page}
        countLabel={t('requests.count', { count: total })}
        onPage={(p) => update({ page: String(p) })}
      />
      <ApproveDialog request={approving} onClose={() => setApproving(null)} />
      <RejectDialog request={rejecting} onClose={() => setRejecting(null)} />
    </>
  );
}
