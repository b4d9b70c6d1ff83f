import { BarChart, LineChart } from '@mantine/charts';
import { Card, SimpleGrid, Skeleton, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { Kpis } from '../../api/client';
import {
  chartRows,
  formatDecimal,
  formatHours,
  formatPercent,
  type SeriesKind,
} from '../../lib/kpis';

const AGES = ['under_7_days', 'from_7_to_30_days', 'from_30_to_90_days', 'over_90_days'] as const;

/** Dots on the lines while they stay readable. */
const MAX_DOTS = 40;

function ChartCard({
  id,
  title,
  points,
  clickable = false,
  children,
}: {
  id: string;
  title: string;
  points: number;
  /** Whether a period leads to its orders (then said under the title). */
  clickable?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md" radius="md" data-testid={`kpi-chart-${id}`} data-points={points}>
      <Title order={3} size="h5" mb={clickable ? 2 : 'sm'}>
        {title}
      </Title>
      {clickable && (
        <Text size="xs" c="dimmed" mb="sm">
          {t('kpis.charts.clickHint')}
        </Text>
      )}
      {children}
    </Card>
  );
}

function NoSeries() {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed" py="xl" ta="center">
      {t('kpis.charts.noSeries')}
    </Text>
  );
}

/** What a chart's click handler is given (recharts' `MouseHandlerDataParam`). */
interface ChartClick {
  activeTooltipIndex?: number | string | null;
}

/**
 * The indicators' series over the periods, and the backlog's ages; with `onPeriod`, clicking a
 * period of a series hands it over (to list the orders behind it).
 */
export function KpiCharts({
  data,
  onPeriod,
}: {
  data: Kpis;
  onPeriod?: (period: string, kind: SeriesKind) => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const rows = chartRows(
    {
      availability: data.availability.series,
      mtbf: data.mtbf.series,
      mttr: data.mttr.series,
      pm_compliance: data.pm_compliance.series,
      planned_work: data.planned_work.series,
      open: data.backlog.series.map((p) => ({ period: p.period, value: p.open })),
    },
    language,
  );
  const points = rows.length;
  const withDots = points <= MAX_DOTS;
  const percent = (value: number) => formatPercent(value, language);
  const hours = (value: number) => formatHours(value, language);
  const count = (value: number) => formatDecimal(value, language, 0);
  const xAxisProps = { minTickGap: 12 };
  const clickable = Boolean(onPeriod) && points > 0;
  // The chart's props that make a period lead to the orders of `kind`.
  const clickProps = (kind: SeriesKind) =>
    onPeriod
      ? {
          style: { cursor: 'pointer' },
          onClick: (state: ChartClick) => {
            const row = rows[Number(state.activeTooltipIndex ?? NaN)];
            if (row && typeof row.period === 'string') onPeriod(row.period, kind);
          },
        }
      : {};
  const ages = AGES.map((age) => ({ age: t(`kpis.ages.${age}`), open: data.backlog.ages[age] }));

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <ChartCard
        id="availability"
        title={t('kpis.charts.availability')}
        points={points}
        clickable={clickable}
      >
        {points === 0 ? (
          <NoSeries />
        ) : (
          <LineChart
            h={240}
            data={rows}
            dataKey="label"
            series={[
              { name: 'availability', label: t('kpis.availability.label'), color: 'teal.6' },
            ]}
            valueFormatter={percent}
            withDots={withDots}
            lineChartProps={clickProps('failures')}
            xAxisProps={xAxisProps}
            yAxisProps={{
              width: 64,
              domain: [(min: number) => Math.max(0, Math.floor(min - 1)), 100],
            }}
          />
        )}
      </ChartCard>
      <ChartCard
        id="reliability"
        title={t('kpis.charts.reliability')}
        points={points}
        clickable={clickable}
      >
        {points === 0 ? (
          <NoSeries />
        ) : (
          <LineChart
            h={240}
            data={rows}
            dataKey="label"
            series={[
              { name: 'mtbf', label: t('kpis.charts.mtbfAxis'), color: 'blue.6' },
              {
                name: 'mttr',
                label: t('kpis.charts.mttrAxis'),
                color: 'orange.6',
                yAxisId: 'right',
              },
            ]}
            withRightYAxis
            withLegend
            legendProps={{ verticalAlign: 'bottom', height: 40 }}
            valueFormatter={hours}
            withDots={withDots}
            lineChartProps={clickProps('failures')}
            xAxisProps={xAxisProps}
            yAxisProps={{ width: 72 }}
            rightYAxisProps={{ width: 56 }}
          />
        )}
      </ChartCard>
      <ChartCard
        id="preventive"
        title={t('kpis.charts.preventive')}
        points={points}
        clickable={clickable}
      >
        {points === 0 ? (
          <NoSeries />
        ) : (
          <BarChart
            h={240}
            data={rows}
            dataKey="label"
            series={[
              { name: 'pm_compliance', label: t('kpis.pm_compliance.label'), color: 'teal.6' },
              { name: 'planned_work', label: t('kpis.planned_work.label'), color: 'violet.5' },
            ]}
            withLegend
            legendProps={{ verticalAlign: 'bottom', height: 40 }}
            valueFormatter={percent}
            barChartProps={clickProps('preventive')}
            xAxisProps={xAxisProps}
            yAxisProps={{ width: 64, domain: [0, 100] }}
          />
        )}
      </ChartCard>
      <ChartCard
        id="backlog"
        title={t('kpis.charts.backlog')}
        points={points}
        clickable={clickable}
      >
        {points === 0 ? (
          <NoSeries />
        ) : (
          <LineChart
            h={160}
            data={rows}
            dataKey="label"
            series={[{ name: 'open', label: t('kpis.charts.open'), color: 'red.6' }]}
            valueFormatter={count}
            withDots={withDots}
            lineChartProps={clickProps('backlog')}
            xAxisProps={xAxisProps}
            yAxisProps={{ width: 48 }}
          />
        )}
        <Text size="sm" fw={600} mt="md" mb={4}>
          {t('kpis.charts.ages')}
        </Text>
        <BarChart
          h={140}
          data={ages}
          dataKey="age"
          series={[{ name: 'open', label: t('kpis.charts.open'), color: 'red.5' }]}
          valueFormatter={count}
          yAxisProps={{ width: 48, allowDecimals: false }}
          data-testid="kpi-chart-ages"
        />
      </ChartCard>
    </SimpleGrid>
  );
}

export function KpiChartsSkeleton() {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      {[0, 1, 2, 3].map((i) => (
        <Card key={i} withBorder padding="md" radius="md">
          <Skeleton h={16} w="40%" mb="md" />
          <Skeleton h={220} />
        </Card>
      ))}
    </SimpleGrid>
  );
}
