// "My work": what is assigned to me, the most urgent first; a tap opens the order.
import { Card, SegmentedControl, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconMoodSmile } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

import type { WorkOrder } from '../../api/client';
import { NO_WORK_ORDER_FILTERS, useWorkOrders } from '../../api/queries';
import { Empty } from '../../components/Empty';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { useUrlParams } from '../../lib/useUrlParams';
import { WorkOrderCard } from './WorkOrderCard';

function OrderGroup({ title, orders }: { title: string; orders: WorkOrder[] }) {
  if (orders.length === 0) return null;
  return (
    <section aria-label={title}>
      <Title order={2} fz="sm" c="dimmed" tt="uppercase" fw={700} mb="xs" lts={0.4}>
        {title} · {orders.length}
      </Title>
      <Stack gap="sm">
        {orders.map((order) => (
          <WorkOrderCard key={order.id} order={order} />
        ))}
      </Stack>
    </section>
  );
}

export default function MyWorkPage() {
  const { t } = useTranslation();
  const { params, update, page } = useUrlParams();
  const done = params.get('show') === 'done';
  const list = useWorkOrders({
    ...NO_WORK_ORDER_FILTERS,
    mine: true,
    statuses: done ? ['completed', 'closed'] : ['assigned', 'in_progress', 'on_hold'],
    sort: done ? '-updated_at' : '-priority',
    page,
  });
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const underWay = items.filter((o) => o.status === 'in_progress' || o.status === 'on_hold');
  const toDo = items.filter((o) => o.status === 'assigned');
  return (
    <>
      <PageHeader title={t('myWork.title')} description={t('myWork.description')} />
      <SegmentedControl
        mb="lg"
        fullWidth
        maw={420}
        aria-label={t('myWork.show')}
        value={done ? 'done' : 'todo'}
        onChange={(value) => update({ show: value === 'done' ? 'done' : null })}
        data={[
          { value: 'todo', label: t('myWork.todo') },
          { value: 'done', label: t('myWork.done') },
        ]}
      />
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <Stack gap="sm" maw={720}>
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={140} />
          ))}
        </Stack>
      ) : items.length === 0 ? (
        <Card maw={720}>
          <Empty
            py={40}
            icon={<IconMoodSmile size={30} />}
            color="teal"
            title={done ? t('myWork.emptyDone') : t('myWork.empty')}
            description={done ? undefined : t('myWork.emptyText')}
          />
        </Card>
      ) : done ? (
        <Stack gap="sm" maw={720}>
          {items.map((order) => (
            <WorkOrderCard key={order.id} order={order} />
          ))}
        </Stack>
      ) : (
        <Stack gap="xl" maw={720}>
          <OrderGroup title={t('myWork.underWay')} orders={underWay} />
          <OrderGroup title={t('myWork.toStart')} orders={toDo} />
        </Stack>
      )}
      {items.length > 0 && !done && (
        <Text size="xs" c="dimmed" mt="md">
          {t('myWork.sortedHint')}
        </Text>
      )}
      <ListFooter
        total={total}
        page={page}
        countLabel={t('workOrders.count', { count: total })}
        onPage={(p) => update({ page: String(p) })}
      />
    </>
  );
}
