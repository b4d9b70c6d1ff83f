// Hours logged: by type of work and by technician with their utilisation. Shared by the
// dashboard's labour card and the "My hours" page.
import { Box, Group, Progress, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { Schemas } from '../../api/client';
import { shareOf } from '../../lib/kpiDetails';
import { formatHours, formatKpi, formatMoney } from '../../lib/kpis';

type TypeHours = Schemas['KpiTypeHours'];
type TypeCost = Schemas['KpiTypeCost'];
type TechnicianHours = Schemas['KpiTechnicianHours'];

/**
 * Each type of work's hours, as bars against the largest; with `cost`, what each one cost in its
 * currency next to its hours.
 */
export function HoursByType({
  types,
  cost,
}: {
  types: readonly TypeHours[];
  cost?: { currency: string; by_type: readonly TypeCost[] };
}) {
  const { t, i18n } = useTranslation();
  const max = Math.max(0, ...types.map((type) => type.hours));
  const amounts = new Map((cost?.by_type ?? []).map((row) => [row.type, row.amount]));
  return (
    <Stack gap={8} data-testid="hours-by-type">
      {types.map((type) => {
        const label = t(`woType.${type.type}`, { defaultValue: type.type });
        const amount = amounts.get(type.type);
        const hours = formatHours(type.hours, i18n.language);
        return (
          <Box key={type.type} data-testid="hours-type-row">
            <Group justify="space-between" gap="xs" wrap="nowrap" mb={2}>
              <Text size="sm" truncate>
                {label}
              </Text>
              <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                {cost && amount !== undefined
                  ? t('kpis.labour.hoursAndCost', {
                      hours,
                      cost: formatMoney(amount, cost.currency, i18n.language),
                    })
                  : hours}
              </Text>
            </Group>
            <Progress value={shareOf(type.hours, max)} color="gmao" size="sm" aria-hidden />
          </Box>
        );
      })}
    </Stack>
  );
}

/** A utilisation as a bar (capped at 100 %) with its figure. */
export function UtilisationBar({ value, label }: { value: number | undefined; label: string }) {
  const { i18n } = useTranslation();
  const shown = formatKpi(value ?? null, 'percent', i18n.language);
  const color = value === undefined ? 'gray' : value > 100 ? 'orange' : 'teal';
  return (
    <Group gap="xs" wrap="nowrap">
      <Progress
        value={Math.min(100, Math.max(0, value ?? 0))}
        color={color}
        size="md"
        style={{ flex: 1, minWidth: 48 }}
        aria-label={label}
      />
      <Text size="sm" style={{ whiteSpace: 'nowrap' }} w={56} ta="right">
        {shown}
      </Text>
    </Group>
  );
}

/** The technicians, most hours first, each with their utilisation bar. */
export function TechnicianTable({
  technicians,
  limit,
}: {
  technicians: readonly TechnicianHours[];
  limit?: number;
}) {
  const { t, i18n } = useTranslation();
  const rows = limit === undefined ? technicians : technicians.slice(0, limit);
  return (
    <Table
      verticalSpacing={6}
      horizontalSpacing="xs"
      layout="fixed"
      data-testid="technician-table"
      fz="sm"
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('kpis.labour.technician')}</Table.Th>
          <Table.Th w={72} ta="right">
            {t('kpis.labour.hours')}
          </Table.Th>
          <Table.Th w="38%">{t('kpis.labour.utilisation')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((person) => {
          const name = person.full_name || t('kpis.labour.unknownPerson');
          const value = person.utilisation.value;
          return (
            <Table.Tr key={person.user_id} data-testid="technician-row">
              <Table.Td>
                <Text size="sm" truncate title={name}>
                  {name}
                </Text>
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {formatHours(person.hours, i18n.language)}
              </Table.Td>
              <Table.Td>
                <UtilisationBar
                  value={value}
                  label={t('kpis.labour.utilisationOf', {
                    name,
                    value: formatKpi(value ?? null, 'percent', i18n.language),
                  })}
                />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
