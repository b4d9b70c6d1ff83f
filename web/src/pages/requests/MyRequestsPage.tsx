// The failure reports a person made, and what became of them: the order's number and where it
// stands, or why it was turned down.
import { Button, Card, SegmentedControl, Skeleton, Stack } from '@mantine/core';
import { IconAlertTriangle, IconArrowRight, IconMessageReport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useRequests } from '../../api/queries';
import { Empty } from '../../components/Empty';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { REQUEST_STATUSES } from '../../lib/maintenance';
import { oneOf, useUrlParams } from '../../lib/useUrlParams';
import { RequestCard } from './RequestCard';

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
