import { Group, Select, Text, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Equipment } from '../api/client';
import { useEquipmentSearch } from '../api/queries';
import { equipmentLabel } from '../lib/maintenance';

interface EquipmentPickerProps {
  label: string;
  value: string | null;
  onChange: (id: string | null, equipment: Equipment | null) => void;
  /** Equipment already chosen (its label is known before any search). */
  selected?: Equipment | null;
  siteId?: string | null;
  /** Leave one piece of equipment out (itself, as its own parent). */
  exclude?: string;
  error?: string | null | undefined;
  required?: boolean;
  clearable?: boolean;
  description?: string;
  placeholder?: string;
  size?: SelectProps['size'];
  onBlur?: () => void;
}

/** Finds equipment by code, name or serial number, searching the server as people type. */
export function EquipmentPicker({
  label,
  value,
  onChange,
  selected = null,
  siteId = null,
  exclude,
  error,
  required,
  clearable = true,
  description,
  placeholder,
  size,
  onBlur,
}: EquipmentPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Equipment | null>(null);
  const chosen = value === null ? null : ([picked, selected].find((e) => e?.id === value) ?? null);
  // Typing searches; the label of the chosen equipment shown in the box does not.
  const typed = chosen && search === equipmentLabel(chosen) ? '' : search.trim();
  const [q] = useDebouncedValue(typed, 250);
  const matches = useEquipmentSearch(q, siteId);
  const items = matches.data?.items;

  const lookup = useMemo(() => {
    const map = new Map<string, Equipment>();
    for (const e of items ?? []) map.set(e.id, e);
    if (chosen) map.set(chosen.id, chosen);
    return map;
  }, [items, chosen]);

  const options = useMemo(() => {
    const list = (items ?? []).filter((e) => e.id !== exclude);
    if (chosen && !list.some((e) => e.id === chosen.id)) list.unshift(chosen);
    return list.map((e) => ({ value: e.id, label: equipmentLabel(e) }));
  }, [items, chosen, exclude]);

  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder ?? t('equipment.pickerPlaceholder')}
      data={options}
      value={value}
      onChange={(id) => {
        const equipment = id ? (lookup.get(id) ?? null) : null;
        setPicked(equipment);
        onChange(id, equipment);
      }}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The server has filtered already (code, name and serial number).
      filter={({ options: all }) => all}
      clearable={clearable}
      required={required}
      error={error}
      size={size}
      onBlur={onBlur}
      leftSection={<IconSearch size={16} />}
      nothingFoundMessage={matches.isFetching ? t('common.loading') : t('common.nothingFound')}
      maxDropdownHeight={300}
      comboboxProps={{ withinPortal: true }}
      renderOption={({ option }) => {
        const e = lookup.get(option.value);
        return (
          <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
            <Text size="sm" ff="monospace" fw={600} style={{ flexShrink: 0 }}>
              {e?.code}
            </Text>
            <Text size="sm" truncate>
              {e?.name}
            </Text>
            {e?.site_name && (
              <Text size="xs" c="dimmed" truncate style={{ marginLeft: 'auto' }}>
                {e.production_line_name ?? e.plant_name ?? e.site_name}
              </Text>
            )}
          </Group>
        );
      }}
    />
  );
}
