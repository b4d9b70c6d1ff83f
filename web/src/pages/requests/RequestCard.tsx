// A request as its author follows it: the machine, the urgency, and what became of it in one
// status line (sent, refused, then the work's progress), with the order's number or why it was
// turned down. "My requests" and the home page.
import { Anchor, Card, Group, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { WorkRequest } from '../../api/client';
import { useAuth } from '../../auth/context';
import { RequestProgressBadge, StoppedBadge, UrgencyBadge } from '../../components/badges';
import { RelativeTime } from '../../components/RelativeTime';
import { PERMISSIONS } from '../../lib/permissions';
import { AnonymousBadge } from './Reporter';

export function RequestCard({ request }: { request: WorkRequest }) {
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
          {/* One status line: the decision, then how the work goes. */}
          <RequestProgressBadge progress={request.progress} />
        </Group>
        <Text size="sm" c="dimmed" mt={4}>
          {request.equipment_code} — {request.equipment_name}
        </Text>
        <Group gap={6} mt="xs">
          <UrgencyBadge urgency={request.urgency} size="sm" />
          {request.production_stopped && <StoppedBadge size="sm" />}
          {request.anonymous && <AnonymousBadge />}
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
