// The maintenance dashboard: MTBF, MTTR, availability, preventive compliance, planned work and
// backlog over a period (`GET /kpis`), each with what it is computed from, and their trends.
// Every filter lives in the address: a reload keeps them, the back button undoes them.
import { Button, Group, Loader, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconChartLine, IconMailForward, IconRestore } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';

import type { Kpis } from '../../api/client';
import { useKpis } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { Empty } from '../../components/Empty';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDate } from '../../lib/format';
import {
  filtersFromParams,
  filtersToParams,
  KPI_VIEWS,
  kpiQuery,
  periodOrdersLink,
  TILE_COLS,
  periodWindow,
  type KpiFilters,
  type SeriesKind,
} from '../../lib/kpis';
import { parseCompareSort } from '../../lib/kpiCompare';
import { PERMISSIONS } from '../../lib/permissions';
import { KpiCharts, KpiChartsSkeleton } from './KpiCharts';
import { KpiCompare } from './KpiCompare';
import { KpiDetails } from './KpiDetails';
import { KpiExportMenu } from './KpiExportMenu';
import { KpiFiltersBar } from './KpiFiltersBar';
import { KpiTileSkeleton } from './KpiTile';
import { KpiTiles } from './KpiTiles';

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

export default function KpisPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const query = useMemo(() => kpiQuery(filters), [filters]);
  const span = useMemo(() => periodWindow(filters), [filters]);
  // The export is the overview's, whatever the view on screen.
  const exportQuery = useMemo(() => kpiQuery({ ...filters, view: 'overview' }), [filters]);
  const kpis = useKpis(query);
  const data = kpis.data;
  const navigate = useNavigate();
  const compare = filters.view === 'compare';
  const sort = parseCompareSort(params.get('sort'));

  // Each change is a step of the history: the back button undoes it.
  const onChange = (next: KpiFilters) => setParams(filtersToParams(next));
  // Back to the defaults, in the same view.
  const reset = () =>
    setParams(filtersToParams({ ...filtersFromParams(new URLSearchParams()), view: filters.view }));
  const filtered = filtersToParams({ ...filters, view: 'overview' }).toString() !== '';
  const onSort = (next: string) => {
    const search = filtersToParams(filters);
    if (next !== 'label') search.set('sort', next);
    setParams(search, { replace: true });
  };
  // A period of a trend leads to the orders behind it.
  const onPeriod = (period: string, kind: SeriesKind) => {
    const link = periodOrdersLink(period, kind, filters, span);
    if (link) void navigate(link);
  };
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
              <Button variant="default" leftSection={<IconRestore size={16} />} onClick={reset}>
                {t('kpis.reset')}
              </Button>
            )}
            {/* The same filters as the query on screen, the same window. */}
            <KpiExportMenu query={exportQuery} window={span} />
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
      <Tabs
        value={filters.view}
        onChange={(value) => {
          const view = KPI_VIEWS.find((v) => v === value);
          if (view) onChange({ ...filters, view });
        }}
        mb="lg"
      >
        <Tabs.List aria-label={t('kpis.views.label')}>
          {KPI_VIEWS.map((view) => (
            <Tabs.Tab key={view} value={view}>
              {t(`kpis.views.${view}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
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
            <Button variant="default" onClick={reset}>
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
          {(!compare || kpis.isPlaceholderData) && (
            <Group justify="space-between" mb="sm" gap="xs">
              {/* The side-by-side view has its own titles. */}
              {!compare && (
                <Title order={2} size="h4">
                  {t('kpis.figures')}
                </Title>
              )}
              {kpis.isPlaceholderData && (
                <Group gap={6}>
                  <Loader size="xs" />
                  <Text size="sm" c="dimmed">
                    {t('kpis.updating')}
                  </Text>
                </Group>
              )}
            </Group>
          )}
          {compare ? (
            <KpiCompare
              data={data}
              filters={filters}
              onChange={onChange}
              sort={sort}
              onSort={onSort}
            />
          ) : (
            <>
              <KpiTiles data={data} />
              <KpiCharts data={data} onPeriod={onPeriod} />
              <KpiDetails data={data} window={span} />
            </>
          )}
        </div>
      )}
    </>
  );
}
