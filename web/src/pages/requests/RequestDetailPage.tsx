import {
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
import { IconCheck, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { isApiError } from '../../api/errors';
import { useRequest } from '../../api/queries';
import { useAuth, useMe } from '../../auth/context';
import { Attachments } from '../../components/Attachments';
import { RequestProgressBadge, StoppedBadge, UrgencyBadge } from '../../components/badges';
import { Field } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import { PERMISSIONS } from '../../lib/permissions';
import { NotFoundPage } from '../StatusPages';
import { ApproveDialog, RejectDialog } from './decisions';
import { ReporterValue } from './Reporter';

export default function RequestDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const { can } = useAuth();
  const query = useRequest(id);
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);

  if (query.isError) {
    if (isApiError(query.error, 'not_found')) return <NotFoundPage />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  const request = query.data;
  if (!request) return <Skeleton h={300} />;
  const approver = can(PERMISSIONS.requestsApprove);
  const mine = request.requested_by === me.user.id;

  return (
    <>
      <PageHeader
        title={request.title}
        back={
          approver
            ? { to: '/requests/inbox', label: t('nav.inbox') }
            : { to: '/requests', label: t('nav.myRequests') }
        }
        badge={<RequestProgressBadge progress={request.progress} size="lg" />}
        description={
          <Text span ff="monospace" fw={600}>
            {request.number}
          </Text>
        }
        actions={
          approver &&
          request.status === 'submitted' && (
            <>
              <Button
                variant="default"
                leftSection={<IconX size={16} />}
                onClick={() => setDeciding('reject')}
              >
                {t('inbox.reject')}
              </Button>
              <Button
                color="teal"
                leftSection={<IconCheck size={16} />}
                onClick={() => setDeciding('approve')}
              >
                {t('inbox.approve')}
              </Button>
            </>
          )
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <Card>
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
                <Field label={t('requests.equipment')}>
                  <Anchor component={Link} to={`/equipment/${request.equipment_id}`} size="sm">
                    <Text span ff="monospace" fw={600}>
                      {request.equipment_code}
                    </Text>{' '}
                    {request.equipment_name}
                  </Anchor>
                </Field>
                <Field label={t('requests.urgency')}>
                  <Group gap={6}>
                    <UrgencyBadge urgency={request.urgency} size="sm" />
                    {request.production_stopped && <StoppedBadge size="sm" />}
                  </Group>
                </Field>
                <Field label={t('requests.reportedByLabel')}>
                  <ReporterValue request={request} />
                </Field>
                <Field label={t('requests.reportedAt')}>
                  {formatDateTime(request.created_at, i18n.language)}
                </Field>
              </SimpleGrid>
              {request.description && (
                <>
                  <Text size="xs" c="dimmed" fw={500} tt="uppercase" lts={0.3} mt="md">
                    {t('requests.description')}
                  </Text>
                  <Text size="sm" mt={2} style={{ whiteSpace: 'pre-wrap' }}>
                    {request.description}
                  </Text>
                </>
              )}
            </Card>
            <Card component="section" aria-labelledby="request-photos">
              <Title order={2} fz="lg" mb="md" id="request-photos">
                {t('requests.photos')}
              </Title>
              <Attachments
                owner={{ kind: 'requests', id: request.id }}
                canUpload={(mine || approver) && request.status === 'submitted'}
                canDelete={(mine || approver) && request.status === 'submitted'}
                emptyText={t('requests.noPhotos')}
                cols={{ base: 2, sm: 3 }}
                quiet
              />
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card component="section" aria-labelledby="request-decision">
            <Title order={2} fz="lg" mb="md" id="request-decision">
              {t('requests.followUp')}
            </Title>
            {request.status === 'submitted' && (
              <Text size="sm" c="dimmed">
                {t('requests.waiting')}
              </Text>
            )}
            {request.status === 'approved' && (
              <Stack gap="sm">
                <Text size="sm">
                  {t('requests.approvedBy', {
                    name: request.decided_by_name ?? '—',
                    date: formatDateTime(request.decided_at, i18n.language),
                  })}
                </Text>
                {request.work_order_number && (
                  <Group gap="xs" data-testid="request-order">
                    <Text size="sm">{t('requests.orderLabel')}</Text>
                    {can(PERMISSIONS.workOrdersRead) && request.work_order_id ? (
                      <Anchor
                        component={Link}
                        to={`/work-orders/${request.work_order_id}`}
                        ff="monospace"
                        fw={600}
                        size="sm"
                      >
                        {request.work_order_number}
                      </Anchor>
                    ) : (
                      <Badge variant="default" ff="monospace">
                        {request.work_order_number}
                      </Badge>
                    )}
                  </Group>
                )}
              </Stack>
            )}
            {request.status === 'rejected' && (
              <Stack gap={4}>
                <Text size="sm">
                  {t('requests.rejectedBy', {
                    name: request.decided_by_name ?? '—',
                    date: formatDateTime(request.decided_at, i18n.language),
                  })}
                </Text>
                {request.rejection_reason && (
                  <Text size="sm">
                    <Text span c="dimmed">
                      {t('requests.rejectionReason')}
                    </Text>{' '}
                    {request.rejection_reason}
                  </Text>
                )}
              </Stack>
            )}
          </Card>
        </Grid.Col>
      </Grid>
      <ApproveDialog
        request={deciding === 'approve' ? request : null}
        onClose={() => setDeciding(null)}
      />
      <RejectDialog
        request={deciding === 'reject' ? request : null}
        onClose={() => setDeciding(null)}
      />
    </>
  );
}
