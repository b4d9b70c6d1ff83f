import { Table, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** A column header that sorts the list by `field` (`-field` descending), as the API names it. */
export function SortableTh({
  field,
  sort,
  onSort,
  children,
  w,
  descendingFirst = false,
}: {
  field: string;
  sort: string;
  onSort: (sort: string) => void;
  children: ReactNode;
  w?: number | string;
  /** Columns people read from the top (priority, criticality) start descending. */
  descendingFirst?: boolean;
}) {
  const active = sort === field || sort === `-${field}`;
  const descending = sort === `-${field}`;
  const next = active ? (descending ? field : `-${field}`) : descendingFirst ? `-${field}` : field;
  const Icon = !active ? IconArrowsSort : descending ? IconArrowDown : IconArrowUp;
  return (
    <Table.Th
      w={w}
      aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}
      style={{ whiteSpace: 'nowrap' }}
    >
      <UnstyledButton
        onClick={() => onSort(next)}
        fw={600}
        fz="sm"
        style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
      >
        {children}
        <Icon size={14} aria-hidden opacity={active ? 1 : 0.4} />
      </UnstyledButton>
    </Table.Th>
  );
}
