// The management view of the dashboard: the company's labour cost per period, then the
// indicators side by side by site, machine, category, failure cause or technician
// (`GET /kpis?breakdown=…`), each ratio with what it is computed from on hover.
import { BarChart } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Card,
  Group,
  Input,
  SegmentedControl,
  Skeleton,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconInfoCircle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Kpis } from '../../api/client';
import { SortableTh } from '../../components/SortableTh';
import {
  cellValue,
  isFigureColumn,
  presentColumns,
  rowDashboardLink,
  sortRows,
  type BreakdownFigure,
  type BreakdownRow,
  type CompareColumn,
  type CompareSort,
  type FigureColumn,
} from '../../lib/kpiCompare';
import {
  BREAKDOWNS,
  chartRows,
  formatDecimal,
  formatHours,
  formatKpi,
  formatMoney,
  type KpiFilters,
} from '../../lib/kpis';

/** What a ratio is computed from, as the tiles say it ("1 474,5 h de fonctionnement / 5 pannes"). */
function howOf(column: FigureColumn, figure: BreakdownFigure, t: TFunction, language: string) {
  const hours = (value: number) => formatHours(value, language);
  const number = (value: number) => formatDecimal(value, language);
  const count = figure.denominator;
  switch (column) {
    case 'mtbf':
    case 'mttr':
    case 'pm_compliance':
      return t(`kpis.${column}.how`, {
        numerator: column === 'pm_compliance' ? number(figure.numerator) : hours(figure.numerator),
        denominator: number(figure.denominator),
        count,
      });
    case 'availability':
    case 'planned_work':
      return t(`kpis.${column}.how`, {
        numerator: hours(figure.numerator),
        denominator: hours(figure.denominator),
      });
  }
}

function Cell({
  row,
  column,
  currency,
}: {
  row: BreakdownRow;
  column: CompareColumn;
  currency: string;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const value = cellValue(row, column);
  const style = { whiteSpace: 'nowrap' as const };
  if (isFigureColumn(column)) {
    const figure = row[column];
    if (!figure) return <Table.Td />;
    const how = howOf(column, figure, t, language);
    return (
      <Table.Td ta="right" style={style} data-column={column}>
        <Tooltip label={how} withArrow events={{ hover: true, focus: true, touch: true }}>
          <Text
            span
            size="sm"
            tabIndex={0}
            data-how={how}
            c={value === null ? 'dimmed' : undefined}
          >
            {formatKpi(value, figure.unit, language)}
          </Text>
        </Tooltip>
      </Table.Td>
    );
  }
  if (row[column] === undefined) return <Table.Td />;
  const shown =
    column === 'cost'
      ? formatKpi(value, 'currency', language, currency)
      : column === 'failures'
        ? formatKpi(value, 'orders', language)
        : formatKpi(value, 'hours', language);
  return (
    <Table.Td ta="right" style={style} data-column={column}>
      {shown}
    </Table.Td>
  );
}

/** The company's labour cost per period, with the dashboard's grouping. */
function CostTrend({ data }: { data: Kpis }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const rows = chartRows({ cost: data.cost.series }, language);
  if (rows.length === 0) return null;
  return (
    <Card withBorder padding="md" radius="md" mb="md" data-testid="kpi-chart-cost">
      <Group gap={6} mb="sm">
        <Title order={3} size="h5">
          {t('kpis.compare.costTrend')}
        </Title>
        <Tooltip label={t('kpis.compare.costTrendHint')} multiline w={260} withArrow>
          <IconInfoCircle size={16} aria-label={t('kpis.compare.costTrendHint')} />
        </Tooltip>
      </Group>
      <BarChart
        h={160}
        data={rows}
        dataKey="label"
        series={[{ name: 'cost', label: t('kpis.compare.columns.cost'), color: 'indigo.5' }]}
        valueFormatter={(value) => formatMoney(value, data.cost.currency, language)}
        xAxisProps={{ minTickGap: 12 }}
        yAxisProps={{ width: 72 }}
      />
    </Card>
  );
}

interface KpiCompareProps {
  data: Kpis;
  filters: KpiFilters;
  onChange: (filters: KpiFilters) => void;
  sort: CompareSort;
  onSort: (sort: CompareSort) => void;
}

/** The management view: the cost trend, then the indicators side by side. */
export function KpiCompare({ data, filters, onChange, sort, onSort }: KpiCompareProps) {
  const { t, i18n } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  const breakdown = data.breakdown ?? null;
  // Until the answer of this dimension is in, the headers are those of the rows shown.
  const by = breakdown?.by ?? filters.by;
  const rows = breakdown ? sortRows(breakdown.rows, sort, i18n.language) : [];
  const columns = presentColumns(rows);

  return (
    <div data-testid="kpi-compare">
      <CostTrend data={data} />
      <Card withBorder padding="md" radius="md">
        <Group justify="space-between" align="flex-end" mb="sm" gap="sm">
          <Title order={2} size="h4">
            {t('kpis.compare.title')}
          </Title>
          <Input.Wrapper label={t('kpis.compare.by')} labelElement="div">
            <SegmentedControl
              aria-label={t('kpis.compare.by')}
              orientation={phone ? 'vertical' : 'horizontal'}
              fullWidth={phone}
              data={BREAKDOWNS.map((b) => ({ value: b, label: t(`kpis.compare.dimensions.${b}`) }))}
              value={filters.by}
              onChange={(value) => {
                const next = BREAKDOWNS.find((b) => b === value);
                if (next) onChange({ ...filters, by: next });
              }}
            />
          </Input.Wrapper>
        </Group>
        {breakdown?.truncated && (
          <Alert variant="light" color="yellow" mb="sm" data-testid="kpi-compare-truncated">
            {t('kpis.compare.truncated', { count: breakdown.rows.length })}
          </Alert>
        )}
        {!breakdown ? (
          <Skeleton h={160} aria-busy />
        ) : rows.length === 0 ? (
          <Text size="sm" c="dimmed" py="lg" ta="center">
            {t('kpis.compare.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table
              striped
              highlightOnHover
              horizontalSpacing="xs"
              data-testid="kpi-compare-table"
              data-by={by}
            >
              <Table.Thead>
                <Table.Tr>
                  <SortableTh field="label" sort={sort} onSort={onSort}>
                    {t(`kpis.compare.dimensions.${by}`)}
                  </SortableTh>
                  {columns.map((column) => (
                    <SortableTh
                      key={column}
                      field={column}
                      sort={sort}
                      onSort={onSort}
                      descendingFirst
                    >
                      {t(`kpis.compare.columns.${column}`)}
                    </SortableTh>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => {
                  const name = row.key === '' ? t('kpis.compare.none') : row.label;
                  const link = rowDashboardLink(row, by, filters);
                  return (
                    <Table.Tr key={row.key} data-testid="kpi-compare-row" data-key={row.key}>
                      <Table.Td miw={140}>
                        {link ? (
                          <Anchor
                            component={Link}
                            to={link}
                            size="sm"
                            title={t('kpis.compare.openDashboard', { name })}
                          >
                            {name}
                          </Anchor>
                        ) : (
                          <Text span size="sm" c={row.key === '' ? 'dimmed' : undefined}>
                            {name}
                          </Text>
                        )}
                      </Table.Td>
                      {columns.map((column) => (
                        <Cell
                          key={column}
                          row={row}
                          column={column}
                          currency={data.cost.currency}
                        />
                      ))}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </div>
  );
}
