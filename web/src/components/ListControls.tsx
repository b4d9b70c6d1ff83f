// The controls every filtered list has: the search box, and the line under the filters with the
// order (on compact screens) and the way back to no filters.
import { Button, Group, Select, TextInput, type TextInputProps } from '@mantine/core';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function SearchInput({
  onChange,
  ...props
}: Omit<TextInputProps, 'onChange'> & { value: string; onChange: (value: string) => void }) {
  return (
    <TextInput
      leftSection={<IconSearch size={16} />}
      onChange={(e) => onChange(e.currentTarget.value)}
      {...props}
    />
  );
}

export function ResetFiltersButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button variant="subtle" size="xs" leftSection={<IconFilterOff size={14} />} onClick={onClick}>
      {t('common.resetFilters')}
    </Button>
  );
}

/**
 * The line under a list's filters: `children` on the left, then the order and the reset. Compact
 * screens show cards, without the table's headers to sort by, so they get a choice of order.
 */
export function ListToolbar({
  children,
  compact,
  sort,
  sortOptions,
  sortWidth = 200,
  onSort,
  filtered,
  onReset,
}: {
  children: ReactNode;
  compact: boolean;
  sort: string;
  sortOptions: { value: string; label: string }[];
  sortWidth?: number;
  onSort: (sort: string) => void;
  filtered: boolean;
  onReset: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" gap="sm">
      {children}
      <Group gap="sm">
        {compact && (
          <Select
            aria-label={t('common.sortBy')}
            size="xs"
            w={sortWidth}
            data={sortOptions}
            value={sort}
            allowDeselect={false}
            onChange={(value) => {
              if (value) onSort(value);
            }}
          />
        )}
        {filtered && <ResetFiltersButton onClick={onReset} />}
      </Group>
    </Group>
  );
}
