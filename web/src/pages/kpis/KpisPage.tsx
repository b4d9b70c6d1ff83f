// The maintenance dashboard: MTBF, MTTR, availability, preventive compliance, planned work and
// backlog over a period (`GET /kpis`), each with what it is computed from, and their trends.
// Every filter lives in the address: a reload keeps them, the back button undoes them.
import { Button, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconChartLine, IconMailForward, IconRestore } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import type { KpiIndicator, Kpis } from '../../api/client';
import { useKpis } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { Empty } from '../../components/Empty';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDate } from '../../lib/format';
import {
  filtersFromParams,
  filtersToParams,
  formatDecimal,
  formatHours,
  formatKpi,
  kpiQuery,
  periodWindow,
  type KpiFilters,
} from '../../lib/kpis';
import { PERMISSIONS } from '../../lib/permissions';
import { KpiCharts, KpiChartsSkeleton } from './KpiCharts';
import { KpiDetails } from './KpiDetails';
import { KpiExportMenu } from './KpiExportMenu';
import { KpiFiltersBar } from './KpiFiltersBar';
import { KpiTile, KpiTileSkeleton } from './KpiTile';

const TILE_COLS = { base: 2, sm: 3, lg: 6 };

/** Nothing in scope: no equipment time, no order, no hour logged. */
function isEmpty(data: Kpis): boolean {
  return (
    data.availability.denominator === 0 &&
    data.mttr.denominator === 0 &&
    data.pm_compliance.denominator === 0 &&
    data.planned_work.denominator === 0 &&
    data.backlog.numerator === 0
  );
}

function Tiles({ data }: { data: Kpis }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const hours = (value: number) => formatHours(value, language);
  const number = (value: number) => formatDecimal(value, language);
  const value = (indicator: KpiIndicator) =>
    formatKpi(indicator.value ?? null, indicator.unit, language);
  const { mtbf, mttr, availability, pm_compliance, planned_work, backlog } = data;
  const tiles = [
    {
      id: 'mtbf',
      value: value(mtbf),
      how: t('kpis.mtbf.how', {
        numerator: hours(mtbf.numerator),
        denominator: number(mtbf.denominator),
        count: mtbf.denominator,
      }),
    },
    {
      id: 'mttr',
      value: value(mttr),
      how: t('kpis.mttr.how', {
        numerator: hours(mttr.numerator),
        denominator: number(mttr.denominator),
        count: mttr.denominator,
      }),
    },
    {
      id: 'availability',
      value: value(availability),
      how: t('kpis.availability.how', {
        numerator: hours(availability.numerator),
        denominator: hours(availability.denominator),
      }),
    },
    {
      id: 'pm_compliance',
      value: value(pm_compliance),
      how: t('kpis.pm_compliance.how', {
        numerator: number(pm_compliance.numerator),
        denominator: number(pm_compliance.denominator),
        count: pm_compliance.denominator,
      }),
    },
    {
      id: 'planned_work',
      value: value(planned_work),
      how: t('kpis.planned_work.how', {
        numerator: hours(planned_work.numerator),
        denominator: hours(planned_work.denominator),
      }),
    },
    {
      id: 'backlog',
      // The open orders: never missing, zero is a figure.
      value: formatKpi(backlog.value ?? backlog.numerator, 'orders', language),
      how: t('kpis.backlog.how', {
        hours: hours(backlog.estimated_hours),
        count: backlog.value ?? backlog.numerator,
      }),
    },
  ] as const;
  return (
    <SimpleGrid cols={TILE_COLS} spacing="md" mb="lg">
      {tiles.map((tile) => (
        <KpiTile
          key={tile.id}
          id={tile.id}
          label={t(`kpis.${tile.id}.label`)}
          hint={t(`kpis.${tile.id}.hint`)}
          value={tile.value}
          none={t(`kpis.${tile.id}.none`)}
          how={tile.how}
        />
      ))}
    </SimpleGrid>
  );
}

export default function KpisPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const query = useMemo(() => kpiQuery(filters), [filters]);
  const span = useMemo(() => periodWindow(filters), [filters]);
  const kpis = useKpis(query);
  const data = kpis.data;

  // Each change is a step of the history: the back button undoes it.
  const onChange = (next: KpiFilters) => setParams(filtersToParams(next));
  const filtered = params.toString() !== '';
  const lastDay = new Date(span.to.getFullYear(), span.to.getMonth(), span.to.getDate() - 1);

  return (
    <>
      <PageHeader
        title={t('kpis.title')}
        description={t('kpis.description', {
          from: formatDate(span.from.toISOString(), i18n.language),
          to: formatDate(lastDay.toISOString(), i18n.language),
        })}
        actions={
          <>
            {filtered && (
              <Button
                variant="default"
                leftSection={<IconRestore size={16} />}
                onClick={() => setParams(new URLSearchParams())}
              >
                {t('kpis.reset')}
              </Button>
            )}
            {/* The same filters as the query on screen, the same window. */}
            <KpiExportMenu query={query} window={span} />
            {can(PERMISSIONS.reportsManage) && (
              <Button
                component={Link}
                to="/reports"
                variant="subtle"
                leftSection={<IconMailForward size={16} />}
              >
                {t('reports.fromDashboard')}
              </Button>
            )}
          </>
        }
      />
      <KpiFiltersBar
        filters={filters}
        grouping={query.group_by}
        onChange={onChange}
        withSites={can(PERMISSIONS.sitesRead)}
      />
      {kpis.isError && (
        <Stack mb="lg">
          <QueryError error={kpis.error} onRetry={() => void kpis.refetch()} />
        </Stack>
      )}
      {!data && kpis.isPending && (
        <>
          <SimpleGrid cols={TILE_COLS} spacing="md" mb="lg" aria-busy>
            {[0, 1, 2, 3, 4, 5].map((i) => (
              <KpiTileSkeleton key={i} />
            ))}
          </SimpleGrid>
          <KpiChartsSkeleton />
        </>
      )}
      {data && isEmpty(data) && !kpis.isPlaceholderData && (
        <Empty icon={<IconChartLine />} title={t('kpis.empty')} description={t('kpis.emptyHint')}>
          {filtered && (
            <Button variant="default" onClick={() => setParams(new URLSearchParams())}>
              {t('kpis.reset')}
            </Button>
          )}
        </Empty>
      )}
      {data && !(isEmpty(data) && !kpis.isPlaceholderData) && (
        <div
          data-testid="kpi-dashboard"
          aria-busy={kpis.isPlaceholderData}
          style={{ opacity: kpis.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' }}
        >
          <Group justify="space-between" mb="sm" gap="xs">
            <Title order={2} size="h4">
              {t('kpis.figures')}
            </Title>
            {kpis.isPlaceholderData && (
              <Group gap={6}>
                <Loader size="xs" />
                <Text size="sm" c="dimmed">
                  {t('kpis.updating')}
                </Text>
              </Group>
            )}
          </Group>
          <Tiles data={data} />
          <KpiCharts data={data} />
          <KpiDetails data={data} window={span} />
        </div>
      )}
    </>
  );
}
