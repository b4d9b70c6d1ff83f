import { Card, Skeleton, Stack, Table } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';

import { Empty } from './Empty';
import { QueryError } from './QueryError';

interface EmptyText {
  title: string;
  description?: string;
}

/** What `ListBody` shows, and how. */
export interface ListBodyProps<T> {
  query: { isError: boolean; error: unknown; isPending: boolean; refetch: () => unknown };
  items: T[];
  filtered: boolean;
  /** Before there is anything: what the list is for, and how to start it. */
  empty: EmptyText & { icon: ReactNode; action?: ReactNode };
  noMatch: EmptyText;
  compact: boolean;
  renderCard: (item: T) => ReactNode;
  tableMinWidth: number;
  /** The header cells. */
  head: ReactNode;
  renderRow: (item: T) => ReactNode;
}

/**
 * A list's results: the load error, placeholders while it loads, why there is nothing (no items
 * yet, or none that match the filters), then cards on compact screens and a table elsewhere.
 */
export function ListBody<T extends { id: string }>({
  query,
  items,
  filtered,
  empty,
  noMatch,
  compact,
  renderCard,
  tableMinWidth,
  head,
  renderRow,
}: ListBodyProps<T>) {
  const shown = filtered ? noMatch : empty;
  return (
    <>
      {query.isError && <QueryError error={query.error} onRetry={() => void query.refetch()} />}
      {query.isPending ? (
        <Card>
          <Stack gap="md">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} h={22} />
            ))}
          </Stack>
        </Card>
      ) : items.length === 0 ? (
        <Card>
          <Empty py={40} icon={empty.icon} title={shown.title} description={shown.description}>
            {!filtered && empty.action}
          </Empty>
        </Card>
      ) : compact ? (
        <Stack gap="sm">
          {items.map((item) => (
            <Fragment key={item.id}>{renderCard(item)}</Fragment>
          ))}
        </Stack>
      ) : (
        <Card p={0}>
          <Table.ScrollContainer minWidth={tableMinWidth} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>{head}</Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Fragment key={item.id}>{renderRow(item)}</Fragment>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </>
  );
}
