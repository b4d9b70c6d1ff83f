import { Group, Pagination, Text } from '@mantine/core';

import { PAGE_SIZE } from '../api/queries';

/** "12 équipements" and the pages, under a list. */
export function ListFooter({
  total,
  page,
  countLabel,
  onPage,
  perPage = PAGE_SIZE,
}: {
  total: number;
  page: number;
  countLabel: string;
  onPage: (page: number) => void;
  perPage?: number;
}) {
  if (total <= 0) return null;
  return (
    <Group justify="space-between" mt="md" gap="sm">
      <Text size="sm" c="dimmed" data-testid="list-count">
        {countLabel}
      </Text>
      {total > perPage && (
        <Pagination
          total={Math.ceil(total / perPage)}
          value={page}
          onChange={onPage}
          size="sm"
          siblings={1}
        />
      )}
    </Group>
  );
}
