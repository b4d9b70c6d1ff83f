// The planners' board: work by state, a column each, the most urgent at the top.
import { Anchor, Badge, Button, Group, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconList, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { WorkOrderStatus } from '../../api/client';
import { NO_WORK_ORDER_FILTERS, useAllSites, useWorkOrders } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { SearchInput } from '../../components/ListControls';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { BOARD_COLUMNS, WORK_ORDER_STATUS_COLOR } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { WorkOrderCard } from './WorkOrderCard';

const PER_COLUMN = 30;

function Column({
  status,
  q,
  siteId,
}: {
  status: WorkOrderStatus;
  q: string;
  siteId: string | null;
}) {
  const { t } = useTranslation();
  const list = useWorkOrders({
    ...NO_WORK_ORDER_FILTERS,
    statuses: [status],
    q,
    siteId,
    sort: status === 'completed' ? '-updated_at' : '-priority',
    perPage: PER_COLUMN,
  });
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const params = new URLSearchParams({ status });
  if (q) params.set('q', q);
  if (siteId) params.set('site', siteId);
  return (
    <section
      className="board-column"
      aria-labelledby={`column-${status}`}
      data-testid={`board-column-${status}`}
    >
      <Group justify="space-between" mb="sm" px={4}>
        <Group gap={8}>
          <span
            style={{
              width: 10,
              height: 10,
              borderRadius: 5,
              background: `var(--mantine-color-${WORK_ORDER_STATUS_COLOR[status]}-6)`,
            }}
            aria-hidden
          />
          <Title order={2} fz="sm" fw={700} id={`column-${status}`}>
            {t(`woStatus.${status}`)}
          </Title>
        </Group>
        <Badge variant="white" color="dark" size="sm">
          {total}
        </Badge>
      </Group>
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Stack gap="sm">
        {list.isPending
          ? [0, 1].map((i) => <Skeleton key={i} h={130} />)
          : items.map((order) => (
              <WorkOrderCard key={order.id} order={order} showStatus={false} compact />
            ))}
        {!list.isPending && items.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="lg">
            {t('board.emptyColumn')}
          </Text>
        )}
        {total > items.length && (
          <Anchor component={Link} to={`/work-orders?${params.toString()}`} size="sm" ta="center">
            {t('board.seeAll', { count: total })}
          </Anchor>
        )}
      </Stack>
    </section>
  );
}

export default function BoardPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [siteId, setSiteId] = useState<string | null>(null);
  const sites = useAllSites();
  return (
    <>
      <PageHeader
        title={t('board.title')}
        description={t('board.description')}
        actions={
          <>
            <Button
              component={Link}
              to="/work-orders"
              variant="default"
              leftSection={<IconList size={18} />}
            >
              {t('board.asList')}
            </Button>
            {can(PERMISSIONS.workOrdersManage) && (
              <Button component={Link} to="/work-orders/new" leftSection={<IconPlus size={18} />}>
                {t('workOrders.new')}
              </Button>
            )}
          </>
        }
      />
      <Group mb="lg" gap="md" align="flex-end">
        <SearchInput
          label={t('workOrders.search')}
          placeholder={t('workOrders.searchPlaceholder')}
          value={search}
          onChange={setSearch}
          w={{ base: '100%', xs: 300 }}
        />
        <Select
          label={t('location.site')}
          placeholder={t('location.allSites')}
          data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={siteId}
          onChange={setSiteId}
          clearable
          w={{ base: '100%', xs: 240 }}
        />
      </Group>
      <div className="board-scroller" data-testid="board">
        {BOARD_COLUMNS.map((status) => (
          <Column key={status} status={status} q={q} siteId={siteId} />
        ))}
      </div>
    </>
  );
}
