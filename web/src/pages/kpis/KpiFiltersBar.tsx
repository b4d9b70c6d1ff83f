import {
  Card,
  Group,
  Input,
  Pill,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';

import { useAllSites, useEquipment } from '../../api/queries';
import {
  GROUPINGS,
  KPI_CRITICALITIES,
  PERIOD_PRESETS,
  periodWindow,
  toDay,
  type Grouping,
  type KpiFilters,
} from '../../lib/kpis';

interface KpiFiltersBarProps {
  filters: KpiFilters;
  /** The grouping in force (the chosen one, or the period's default). */
  grouping: Grouping;
  onChange: (filters: KpiFilters) => void;
  /** Whether the caller may list the sites (`sites:read`). */
  withSites: boolean;
}

/** Period, grouping, site and criticality of the dashboard. */
export function KpiFiltersBar({ filters, grouping, onChange, withSites }: KpiFiltersBarProps) {
  const { t } = useTranslation();
  const sites = useAllSites(withSites);
  const machine = useEquipment(filters.equipmentId);
  const custom = filters.period === 'custom';

  const onPeriod = (value: string | null) => {
    const period = PERIOD_PRESETS.find((p) => p === value);
    if (!period || period === filters.period) return;
    if (period === 'custom') {
      // Dates to start from: those of the period on screen.
      const window = periodWindow(filters);
      const last = new Date(window.to.getFullYear(), window.to.getMonth(), window.to.getDate() - 1);
      onChange({ ...filters, period, from: toDay(window.from), to: toDay(last), group: null });
    } else {
      onChange({ ...filters, period, from: null, to: null, group: null });
    }
  };

  return (
    <Card
      withBorder
      padding="md"
      radius="md"
      mb="lg"
      aria-label={t('kpis.filters')}
      component="section"
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="md">
          <Select
            label={t('kpis.period')}
            data={PERIOD_PRESETS.map((p) => ({ value: p, label: t(`kpis.periods.${p}`) }))}
            value={filters.period}
            onChange={onPeriod}
            allowDeselect={false}
          />
          <Input.Wrapper label={t('kpis.grouping')} labelElement="div">
            <SegmentedControl
              fullWidth
              aria-label={t('kpis.grouping')}
              data={GROUPINGS.map((g) => ({ value: g, label: t(`kpis.groupings.${g}`) }))}
              value={grouping}
              onChange={(value) => {
                const group = GROUPINGS.find((g) => g === value);
                if (group) onChange({ ...filters, group });
              }}
            />
          </Input.Wrapper>
          {withSites && (
            <Select
              label={t('kpis.site')}
              placeholder={t('kpis.allSites')}
              data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
              value={filters.siteId}
              onChange={(siteId) => onChange({ ...filters, siteId })}
              clearable
              searchable
              nothingFoundMessage={t('common.nothingFound')}
            />
          )}
          <Select
            label={t('kpis.criticality')}
            placeholder={t('kpis.allCriticalities')}
            data={KPI_CRITICALITIES.map((c) => ({ value: c, label: t(`criticality.${c}`) }))}
            value={filters.criticality}
            onChange={(value) =>
              onChange({
                ...filters,
                criticality: KPI_CRITICALITIES.find((c) => c === value) ?? null,
              })
            }
            clearable
          />
        </SimpleGrid>
        {custom && (
          <DatePickerInput
            type="range"
            label={t('kpis.range')}
            placeholder={t('kpis.rangePlaceholder')}
            value={[filters.from, filters.to]}
            onChange={([from, to]) => {
              if (!from || !to) return;
              onChange({ ...filters, from: String(from), to: String(to), group: null });
            }}
            allowSingleDateInRange
            valueFormat="D MMM YYYY"
            maw={{ base: '100%', xs: 360 }}
          />
        )}
        {filters.equipmentId && (
          <Group gap="xs">
            <Pill
              size="md"
              withRemoveButton
              onRemove={() => onChange({ ...filters, equipmentId: null })}
              removeButtonProps={{ 'aria-label': t('kpis.clearEquipment') }}
              data-testid="kpi-equipment-filter"
            >
              {t('kpis.equipmentFilter', {
                name: machine.data ? `${machine.data.code} — ${machine.data.name}` : '…',
              })}
            </Pill>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
