import { Select, SimpleGrid, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useAllSites, useLines, usePlants } from '../api/queries';

export interface LocationValue {
  siteId: string | null;
  plantId: string | null;
  lineId: string | null;
}

interface LocationSelectsProps {
  value: LocationValue;
  onChange: (value: LocationValue) => void;
  /** A form: the site is required and the labels say what is optional. */
  required?: boolean;
  errors?: Partial<Record<'siteId' | 'plantId' | 'lineId', string | null | undefined>>;
  size?: SelectProps['size'];
  cols?: { base?: number; xs?: number; sm?: number; md?: number; lg?: number };
  /** A filter: empty choices read "all sites / plants / lines". */
  filter?: boolean;
}

/**
 * Site → plant → line: each choice narrows the next, and the most precise one given is where the
 * equipment stands (or what a list is filtered by).
 */
export function LocationSelects({
  value,
  onChange,
  required,
  errors = {},
  size,
  cols = { base: 1, sm: 3 },
  filter,
}: LocationSelectsProps) {
  const { t } = useTranslation();
  const sites = useAllSites();
  const plants = usePlants(value.siteId, value.siteId !== null);
  const lines = useLines(value.plantId, value.plantId !== null);
  return (
    <SimpleGrid cols={cols} spacing="md">
      <Select
        label={t('location.site')}
        placeholder={filter ? t('location.allSites') : t('location.pickSite')}
        data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
        value={value.siteId}
        onChange={(siteId) => onChange({ siteId, plantId: null, lineId: null })}
        required={required}
        clearable={!required}
        allowDeselect={!required}
        searchable
        error={errors.siteId}
        size={size}
        nothingFoundMessage={t('common.nothingFound')}
      />
      <Select
        label={t('location.plant')}
        placeholder={
          value.siteId === null
            ? t('location.siteFirst')
            : filter
              ? t('location.allPlants')
              : t('location.noPlant')
        }
        data={(plants.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
        value={value.plantId}
        onChange={(plantId) => onChange({ ...value, plantId, lineId: null })}
        disabled={value.siteId === null}
        clearable
        error={errors.plantId}
        size={size}
      />
      <Select
        label={t('location.line')}
        placeholder={
          value.plantId === null
            ? t('location.plantFirst')
            : filter
              ? t('location.allLines')
              : t('location.noLine')
        }
        data={(lines.data?.items ?? []).map((l) => ({ value: l.id, label: l.name }))}
        value={value.lineId}
        onChange={(lineId) => onChange({ ...value, lineId })}
        disabled={value.plantId === null}
        clearable
        error={errors.lineId}
        size={size}
      />
    </SimpleGrid>
  );
}
