// "My work": every open order assigned to me, whatever its page, in the groups of a day (overdue,
// today, this week, later, on hold) with their true totals; urgent and newly assigned first in
// each, more on demand. A search and a today / this week filter, both in the address; the work
// I finished apart. A tap opens the order.
import {
  Badge,
  Button,
  Card,
  Flex,
  Group,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconChevronDown, IconMoodSmile, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Schemas } from '../../api/client';
import {
  NO_WORK_ORDER_FILTERS,
  useMyWork,
  useMyWorkBucket,
  useWorkOrders,
} from '../../api/queries';
import { Empty } from '../../components/Empty';
import { SearchInput } from '../../components/ListControls';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import {
  MY_WORK_RANGES,
  WORK_BUCKET_COLOR,
  isNewAssignment,
  mergePages,
  withinOf,
  type MyWorkRange,
} from '../../lib/myWork';
import { oneOf, useListParams } from '../../lib/useUrlParams';
import { WorkOrderCard } from './WorkOrderCard';

/** Orders shown per group at first, and per "show more". */
const PER_GROUP = 10;

function NewBadge() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('myWork.newHint')}>
      <Badge size="xs" color="grape" variant="filled" data-testid="new-badge">
        {t('myWork.newBadge')}
      </Badge>
    </Tooltip>
  );
}

function WorkGroup({ group, q, now }: { group: Schemas['MyWorkGroup']; q: string; now: number }) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const more = useMyWorkBucket(group.bucket, { q, perPage: PER_GROUP }, expanded);
  const items = mergePages(group.items, more.data?.pages.map((p) => p.items) ?? []);
  const remaining = Math.max(0, group.total - items.length);
  const title = t(`myWork.buckets.${group.bucket}`);
  const headingId = `my-work-${group.bucket}`;
  return (
    <section
      aria-labelledby={headingId}
      data-testid="my-work-group"
      data-bucket={group.bucket}
      data-total={group.total}
    >
      <Group gap={8} mb="xs" wrap="nowrap">
        <Title
          order={2}
          id={headingId}
          fz="sm"
          c={group.bucket === 'overdue' ? 'red.8' : 'dimmed'}
          tt="uppercase"
          fw={700}
          lts={0.4}
        >
          {title}
        </Title>
        <Badge
          size="sm"
          circle={group.total < 10}
          color={WORK_BUCKET_COLOR[group.bucket]}
          variant={group.bucket === 'overdue' ? 'filled' : 'light'}
          data-testid="group-total"
          aria-label={t('myWork.total', { count: group.total })}
        >
          {group.total}
        </Badge>
      </Group>
      <Stack gap="sm">
        {items.map((order) => (
          <WorkOrderCard
            key={order.id}
            order={order}
            flag={isNewAssignment(order.assigned_at, now) ? <NewBadge /> : undefined}
          />
        ))}
        {more.isError && <QueryError error={more.error} onRetry={() => void more.refetch()} />}
        {remaining > 0 && (
          <Button
            variant="light"
            color="gray"
            fullWidth
            leftSection={<IconChevronDown size={16} />}
            loading={more.isFetching}
            onClick={() => {
              if (expanded) void more.fetchNextPage();
              else setExpanded(true);
            }}
          >
            {t('myWork.showMore', { count: remaining })}
          </Button>
        )}
      </Stack>
    </section>
  );
}

function OpenWork({
  q,
  range,
  onRange,
}: {
  q: string;
  range: MyWorkRange;
  onRange: (range: MyWorkRange) => void;
}) {
  const { t } = useTranslation();
  // Fixed at the first render: what counts as new does not change while the page is read.
  const [now] = useState(() => Date.now());
  const work = useMyWork({ q, within: withinOf(range), perGroup: PER_GROUP });
  if (work.isError) return <QueryError error={work.error} onRetry={() => void work.refetch()} />;
  if (!work.data) {
    return (
      <Stack gap="sm">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} h={140} />
        ))}
      </Stack>
    );
  }
  const groups = work.data.groups.filter((g) => g.total > 0);
  if (groups.length === 0) {
    const narrowed = range !== 'all';
    return (
      <Card>
        {q ? (
          <Empty
            py={40}
            icon={<IconSearch size={30} />}
            title={t('myWork.noMatch', { q })}
            description={t('myWork.noMatchText')}
          />
        ) : (
          <Empty
            py={40}
            icon={<IconMoodSmile size={30} />}
            color="teal"
            title={
              range === 'today'
                ? t('myWork.nothingToday')
                : range === 'week'
                  ? t('myWork.nothingWeek')
                  : t('myWork.empty')
            }
            description={narrowed ? t('myWork.nothingInRangeText') : t('myWork.emptyText')}
          >
            {narrowed && (
              <Button variant="light" onClick={() => onRange('all')}>
                {t('myWork.seeAll')}
              </Button>
            )}
          </Empty>
        )}
      </Card>
    );
  }
  return (
    <Stack gap="xl" style={{ opacity: work.isPlaceholderData ? 0.6 : 1 }}>
      <Text size="sm" c="dimmed" data-testid="my-work-total" mb={-8}>
        {t('myWork.total', { count: work.data.total })}
      </Text>
      {groups.map((group) => (
        <WorkGroup key={`${group.bucket}:${q}:${range}`} group={group} q={q} now={now} />
      ))}
      <Text size="xs" c="dimmed">
        {t('myWork.sortedHint')}
      </Text>
    </Stack>
  );
}

function FinishedWork({ page, onPage }: { page: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  const list = useWorkOrders({
    ...NO_WORK_ORDER_FILTERS,
    mine: true,
    statuses: ['completed', 'closed'],
    sort: '-updated_at',
    page,
  });
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  if (list.isError) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  if (list.isPending) {
    return (
      <Stack gap="sm">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} h={140} />
        ))}
      </Stack>
    );
  }
  if (items.length === 0) {
    return (
      <Card>
        <Empty
          py={40}
          icon={<IconMoodSmile size={30} />}
          color="teal"
          title={t('myWork.emptyDone')}
        />
      </Card>
    );
  }
  return (
    <>
      <Stack gap="sm">
        {items.map((order) => (
          <WorkOrderCard key={order.id} order={order} />
        ))}
      </Stack>
      <ListFooter
        total={total}
        page={page}
        countLabel={t('workOrders.count', { count: total })}
        onPage={onPage}
      />
    </>
  );
}

export default function MyWorkPage() {
  const { t } = useTranslation();
  const { params, update, page, q, search, onSearch } = useListParams();
  const done = params.get('show') === 'done';
  const range: MyWorkRange = oneOf(params.get('within'), MY_WORK_RANGES) ?? 'all';
  const onRange = (value: MyWorkRange) => update({ within: value === 'all' ? null : value });
  return (
    <>
      <PageHeader title={t('myWork.title')} description={t('myWork.description')} />
      <Stack gap="lg" maw={720}>
        <SegmentedControl
          fullWidth
          maw={420}
          aria-label={t('myWork.show')}
          value={done ? 'done' : 'todo'}
          onChange={(value) => update({ show: value === 'done' ? 'done' : null, within: null })}
          data={[
            { value: 'todo', label: t('myWork.todo') },
            { value: 'done', label: t('myWork.done') },
          ]}
        />
        {done ? (
          <FinishedWork page={page} onPage={(p) => update({ page: String(p) })} />
        ) : (
          <>
            <Flex direction={{ base: 'column', sm: 'row' }} gap="sm" align={{ sm: 'center' }}>
              <SearchInput
                value={search}
                onChange={onSearch}
                placeholder={t('myWork.search')}
                aria-label={t('myWork.searchLabel')}
                type="search"
                style={{ flex: 1 }}
              />
              <SegmentedControl
                aria-label={t('myWork.range')}
                value={range}
                onChange={onRange}
                data={MY_WORK_RANGES.map((r) => ({ value: r, label: t(`myWork.ranges.${r}`) }))}
              />
            </Flex>
            <OpenWork q={q} range={range} onRange={onRange} />
          </>
        )}
      </Stack>
    </>
  );
}
