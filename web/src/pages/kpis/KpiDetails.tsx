// Below the charts: where the failures are (downtime by cause as a Pareto, the machines with the
// most downtime and the most failures, repeat failures), then the work requests and the labour.
// Each machine leads to its page and to its corrective orders of the window.
import { CompositeChart } from '@mantine/charts';
import {
  Anchor,
  Badge,
  Box,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Kpis, Schemas } from '../../api/client';
import { useAuth } from '../../auth/context';
import { formatDuration, machineOrdersLink, paretoRows, shareOf } from '../../lib/kpiDetails';
import {
  formatDecimal,
  formatHours,
  formatKpi,
  formatPercent,
  NO_VALUE,
  type KpiWindow,
} from '../../lib/kpis';
import { PERMISSIONS } from '../../lib/permissions';
import { HoursByType, TechnicianTable } from './KpiLabour';

type EquipmentRank = Schemas['KpiEquipmentRank'];

/** Causes drawn on the Pareto; the table lists them all. */
const PARETO_BARS = 10;

function DetailCard({
  id,
  title,
  hint,
  children,
}: {
  id: string;
  title: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <Card
      withBorder
      padding="md"
      radius="md"
      data-testid={`kpi-${id}`}
      style={{ minWidth: 0 }}
      component="section"
      aria-label={title}
    >
      <Title order={3} size="h5" mb={hint ? 2 : 'sm'}>
        {title}
      </Title>
      {hint && (
        <Text size="xs" c="dimmed" mb="sm">
          {hint}
        </Text>
      )}
      {children}
    </Card>
  );
}

function Nothing({ children, testId }: { children: string; testId?: string }) {
  return (
    <Text size="sm" c="dimmed" py="md" ta="center" data-testid={testId ?? 'kpi-block-empty'}>
      {children}
    </Text>
  );
}

function Pareto({ data }: { data: Kpis }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const rows = paretoRows(data.failures.by_cause, t('kpis.failures.noCause'));
  return (
    <DetailCard id="pareto" title={t('kpis.failures.pareto')} hint={t('kpis.failures.paretoHint')}>
      {rows.length === 0 ? (
        <Nothing>{t('kpis.failures.noCauses')}</Nothing>
      ) : (
        <Stack gap="sm">
          <CompositeChart
            h={220}
            // On the axis, a failure without cause is a dash: the table names it.
            data={rows
              .slice(0, PARETO_BARS)
              .map((row) => (row.unknown ? { ...row, short: NO_VALUE } : row))}
            dataKey="short"
            series={[
              {
                name: 'downtime',
                label: t('kpis.failures.downtimeAxis'),
                color: 'red.6',
                type: 'bar',
              },
              {
                name: 'cumulative',
                label: t('kpis.failures.cumulativeAxis'),
                color: 'gray.7',
                type: 'line',
                yAxisId: 'right',
              },
            ]}
            withRightYAxis
            withLegend
            legendProps={{ verticalAlign: 'bottom', height: 40 }}
            valueFormatter={(value) => formatDecimal(value, language)}
            maxBarWidth={40}
            xAxisProps={{ minTickGap: 4 }}
            yAxisProps={{ width: 44 }}
            rightYAxisProps={{ width: 40, domain: [0, 100] }}
          />
          <Table verticalSpacing={4} horizontalSpacing="xs" layout="fixed" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('kpis.failures.cause')}</Table.Th>
                <Table.Th w={64} ta="right">
                  {t('kpis.failures.failures')}
                </Table.Th>
                <Table.Th w={72} ta="right">
                  {t('kpis.failures.downtime')}
                </Table.Th>
                <Table.Th w={64} ta="right">
                  {t('kpis.failures.cumulative')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.key} data-testid="kpi-cause-row">
                  <Table.Td>
                    <Text
                      size="sm"
                      truncate
                      title={row.label}
                      c={row.unknown ? 'dimmed' : undefined}
                    >
                      {row.label}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{formatDecimal(row.failures, language, 0)}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {formatHours(row.downtime, language)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {formatPercent(row.cumulative, language)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </DetailCard>
  );
}

/** A ranked machine: its link, its figures, a bar against the first, and its orders. */
function MachineRanking({
  id,
  title,
  machines,
  measure,
  window,
}: {
  id: string;
  title: string;
  machines: readonly EquipmentRank[];
  measure: (machine: EquipmentRank) => number;
  window: KpiWindow;
}) {
  const { t, i18n } = useTranslation();
  const max = Math.max(0, ...machines.map(measure));
  return (
    <DetailCard id={id} title={title}>
      {machines.length === 0 ? (
        <Nothing>{t('kpis.failures.noMachines')}</Nothing>
      ) : (
        <Stack gap={10} component="ol" m={0} p={0} style={{ listStyle: 'none' }}>
          {machines.map((machine, index) => {
            const name = `${machine.code} — ${machine.name}`;
            return (
              <Box component="li" key={machine.equipment_id} data-testid="kpi-machine-row">
                <Group justify="space-between" gap={4} wrap="nowrap" align="baseline">
                  <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }} align="baseline">
                    <Text size="xs" c="dimmed" w={18} ta="right" style={{ flexShrink: 0 }}>
                      {index + 1}
                    </Text>
                    <Anchor
                      component={Link}
                      to={`/equipment/${machine.equipment_id}`}
                      size="sm"
                      fw={500}
                      truncate
                      title={name}
                      data-testid="kpi-machine-link"
                    >
                      {name}
                    </Anchor>
                  </Group>
                  <Anchor
                    component={Link}
                    to={machineOrdersLink(machine.equipment_id, window)}
                    size="xs"
                    style={{ whiteSpace: 'nowrap', flexShrink: 0 }}
                    aria-label={t('kpis.failures.seeOrdersOf', { name })}
                    data-testid="kpi-machine-orders"
                  >
                    {t('kpis.failures.seeOrders')}
                  </Anchor>
                </Group>
                <Box pl={24}>
                  <Text size="xs" c="dimmed">
                    {t('kpis.failures.machineFigures', {
                      hours: formatHours(machine.downtime_hours, i18n.language),
                      count: machine.failures,
                    })}
                  </Text>
                  <Progress
                    value={shareOf(measure(machine), max)}
                    color="red.6"
                    size="xs"
                    mt={2}
                    aria-hidden
                  />
                </Box>
              </Box>
            );
          })}
        </Stack>
      )}
    </DetailCard>
  );
}

function Repeats({ data, window }: { data: Kpis; window: KpiWindow }) {
  const { t } = useTranslation();
  const { repeats, repeat_list: list } = data.failures;
  return (
    <DetailCard
      id="repeats"
      title={t('kpis.failures.repeats')}
      hint={t('kpis.failures.repeatsHint')}
    >
      <Text fz={24} fw={700} lh={1.2} mb="xs" data-testid="kpi-repeats-count">
        {t('kpis.failures.repeatCount', { count: repeats })}
      </Text>
      {list.length === 0 ? (
        <Nothing>{t('kpis.failures.noRepeats')}</Nothing>
      ) : (
        <Stack gap={8} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {list.map((repeat) => {
            const machine = repeat.equipment;
            const name = `${machine.code} — ${machine.name}`;
            const problem = repeat.problem
              ? `${repeat.problem.code} — ${repeat.problem.label}`
              : t('kpis.failures.noProblem');
            return (
              <Box
                component="li"
                key={`${machine.equipment_id}-${repeat.problem?.code ?? ''}`}
                data-testid="kpi-repeat-row"
              >
                <Group justify="space-between" gap={4} wrap="nowrap" align="baseline">
                  <Anchor
                    component={Link}
                    to={`/equipment/${machine.equipment_id}`}
                    size="sm"
                    fw={500}
                    truncate
                    title={name}
                  >
                    {name}
                  </Anchor>
                  <Badge variant="light" color="orange" style={{ flexShrink: 0 }}>
                    {t('kpis.failures.repeatTimes', { count: repeat.repeats })}
                  </Badge>
                </Group>
                <Group justify="space-between" gap={4} wrap="nowrap" align="baseline">
                  <Text size="xs" c="dimmed" truncate title={problem}>
                    {problem}
                  </Text>
                  <Anchor
                    component={Link}
                    to={machineOrdersLink(machine.equipment_id, window)}
                    size="xs"
                    style={{ whiteSpace: 'nowrap', flexShrink: 0 }}
                    aria-label={t('kpis.failures.seeOrdersOf', { name })}
                  >
                    {t('kpis.failures.seeOrders')}
                  </Anchor>
                </Group>
              </Box>
            );
          })}
        </Stack>
      )}
    </DetailCard>
  );
}

/** A figure with its label and what it is computed from (and what else it needs said). */
function Figure({
  id,
  label,
  value,
  how,
  span,
  children,
}: {
  id: string;
  label: string;
  value: string;
  how?: string;
  /** Across the whole grid. */
  span?: boolean;
  children?: ReactNode;
}) {
  return (
    <Box
      data-testid={`kpi-figure-${id}`}
      style={{ minWidth: 0, ...(span ? { gridColumn: '1 / -1' } : {}) }}
    >
      <Text size="xs" c="dimmed" fw={600} lh={1.3}>
        {label}
      </Text>
      <Text fz={22} fw={700} lh={1.3} style={{ whiteSpace: 'nowrap' }} data-testid="kpi-value">
        {value}
      </Text>
      {how && (
        <Text size="xs" c="dimmed" data-testid="kpi-how">
          {how}
        </Text>
      )}
      {children}
    </Box>
  );
}

function RequestsCard({ data }: { data: Kpis }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { requests, response } = data;
  const cases = (count: number) =>
    count > 0 ? t('kpis.requests.cases', { count }) : t('kpis.requests.noCase');
  return (
    <DetailCard id="requests" title={t('kpis.requests.title')}>
      {requests.total === 0 ? (
        <Nothing>{t('kpis.requests.empty')}</Nothing>
      ) : (
        <SimpleGrid cols={2} spacing="md" verticalSpacing="md">
          <Figure
            id="received"
            label={t('kpis.requests.received')}
            value={formatDecimal(requests.total, language, 0)}
          />
          <Figure
            id="approval"
            label={t('kpis.requests.approvalRate')}
            value={formatKpi(requests.approval_rate.value ?? null, 'percent', language)}
            how={t('kpis.requests.approvalHow', {
              approved: formatDecimal(requests.approval_rate.numerator, language, 0),
              decided: formatDecimal(requests.approval_rate.denominator, language, 0),
            })}
          />
          <Figure
            id="decision"
            label={t('kpis.requests.toDecision')}
            value={formatDuration(requests.time_to_decision.median_hours, language)}
            how={cases(requests.time_to_decision.count)}
          />
          <Figure
            id="start"
            label={t('kpis.requests.toStart')}
            value={formatDuration(response.to_start.median_hours, language)}
            how={cases(response.to_start.count)}
          />
        </SimpleGrid>
      )}
    </DetailCard>
  );
}

/**
 * What the hours logged cost, at the rate in force when each was logged; the hours of people
 * without a rate (when the company has none either) are not in it, and said so.
 */
function CostFigure({ cost }: { cost: Kpis['cost'] }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const language = i18n.language;
  const unpriced = cost.unpriced_hours > 0;
  return (
    <Figure
      id="cost"
      label={t('kpis.cost.label')}
      value={
        // Nothing priced: no amount rather than a cost of 0.
        cost.priced_hours > 0
          ? formatKpi(cost.value ?? cost.numerator, 'currency', language, cost.currency)
          : NO_VALUE
      }
      how={
        cost.priced_hours > 0
          ? t('kpis.cost.how', { hours: formatHours(cost.priced_hours, language) })
          : t('kpis.cost.none')
      }
      span
    >
      {unpriced && (
        <Text size="xs" c="orange.8" data-testid="kpi-cost-unpriced">
          {t('kpis.cost.unpriced', { hours: formatHours(cost.unpriced_hours, language) })}{' '}
          {can(PERMISSIONS.usersManage) ? (
            <Anchor component={Link} to="/users?view=labour" inherit>
              {t('kpis.cost.setRate')}
            </Anchor>
          ) : (
            t('kpis.cost.askRate')
          )}
        </Text>
      )}
    </Figure>
  );
}

function LabourCard({ data }: { data: Kpis }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const language = i18n.language;
  const { labour, cost } = data;
  return (
    <DetailCard id="labour" title={t('kpis.labour.title')}>
      {labour.total_hours === 0 ? (
        <Nothing>{t('kpis.labour.empty')}</Nothing>
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={2} spacing="md">
            <Figure
              id="hours"
              label={t('kpis.labour.total')}
              value={formatHours(labour.total_hours, language)}
            />
            <Figure
              id="utilisation"
              label={t('kpis.labour.utilisation')}
              value={formatKpi(labour.utilisation.value ?? null, 'percent', language)}
              how={t('kpis.labour.utilisationHint', {
                capacity: formatHours(
                  labour.by_technician.reduce((sum, person) => sum + person.capacity_hours, 0),
                  language,
                ),
              })}
            />
            <CostFigure cost={cost} />
          </SimpleGrid>
          <Box>
            <Text size="sm" fw={600} mb={6}>
              {t('kpis.labour.byTypeCost')}
            </Text>
            <HoursByType types={labour.by_type} cost={cost} />
          </Box>
          <Box>
            <Text size="sm" fw={600} mb={2}>
              {t('kpis.labour.technicians')}
            </Text>
            <TechnicianTable technicians={labour.by_technician} limit={5} />
          </Box>
        </Stack>
      )}
      {/* The team's hours by week or month: the "My hours" page of those who read everyone's. */}
      {can(PERMISSIONS.workOrdersExecute) && (
        <Anchor
          component={Link}
          to="/my-hours"
          size="sm"
          mt="sm"
          display="block"
          data-testid="kpi-team-hours"
        >
          {t('kpis.labour.teamLink')}
        </Anchor>
      )}
    </DetailCard>
  );
}

/** "Where the failures are", then the requests and the labour. */
export function KpiDetails({ data, window }: { data: Kpis; window: KpiWindow }) {
  const { t } = useTranslation();
  return (
    <Box mt="xl" data-testid="kpi-failures">
      <Title order={2} size="h4" mb={2}>
        {t('kpis.failures.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('kpis.failures.description')}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Pareto data={data} />
        <Repeats data={data} window={window} />
        <MachineRanking
          id="most-downtime"
          title={t('kpis.failures.mostDowntime')}
          machines={data.failures.most_downtime}
          measure={(machine) => machine.downtime_hours}
          window={window}
        />
        <MachineRanking
          id="most-failures"
          title={t('kpis.failures.mostFailures')}
          machines={data.failures.most_failures}
          measure={(machine) => machine.failures}
          window={window}
        />
        <RequestsCard data={data} />
        <LabourCard data={data} />
      </SimpleGrid>
    </Box>
  );
}
