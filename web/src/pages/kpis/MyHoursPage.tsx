// "My hours": the hours a technician logged this week, this month or last month
// (`GET /kpis/technicians`), their utilisation against their capacity and their hours by type of
// work. Those who read the indicators get everyone from the same endpoint: they also see the
// team's table. The period lives in the address.
import {
  Card,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconClockHour4 } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { useKpiTechnicians } from '../../api/queries';
import { useAuth, useMe } from '../../auth/context';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDate } from '../../lib/format';
import {
  HOURS_PERIODS,
  hoursPeriodFromParams,
  hoursPeriodToParams,
  hoursQuery,
  hoursWindow,
  lastDayOf,
} from '../../lib/kpiDetails';
import { formatHours, formatKpi } from '../../lib/kpis';
import { PERMISSIONS } from '../../lib/permissions';
import { HoursByType, TechnicianTable, UtilisationBar } from './KpiLabour';

export default function MyHoursPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const me = useMe();
  const { can } = useAuth();
  const team = can(PERMISSIONS.kpisRead);
  const [params, setParams] = useSearchParams();
  const period = hoursPeriodFromParams(params);
  const query = useMemo(() => hoursQuery(period), [period]);
  const span = useMemo(() => hoursWindow(period), [period]);
  const labour = useKpiTechnicians(query);
  const data = labour.data;

  const mine = data?.by_technician.find((person) => person.user_id === me.user.id);
  const myHours = mine?.hours ?? 0;
  const capacity = mine?.capacity_hours ?? 0;
  const myUtilisation = mine?.utilisation.value ?? (capacity > 0 ? 0 : undefined);
  const shownUtilisation = formatKpi(myUtilisation ?? null, 'percent', language);

  return (
    <>
      <PageHeader
        title={t('myHours.title')}
        description={t('myHours.description', {
          from: formatDate(span.from.toISOString(), language),
          to: formatDate(lastDayOf(span).toISOString(), language),
        })}
      />
      <Group mb="lg" gap="sm" align="center">
        <SegmentedControl
          aria-label={t('myHours.period')}
          data={HOURS_PERIODS.map((p) => ({ value: p, label: t(`myHours.periods.${p}`) }))}
          value={period}
          onChange={(value) => {
            const next = HOURS_PERIODS.find((p) => p === value);
            if (next) setParams(hoursPeriodToParams(next));
          }}
          style={{ maxWidth: '100%' }}
        />
        {labour.isPlaceholderData && <Loader size="xs" />}
      </Group>
      {labour.isError && (
        <Stack mb="lg">
          <QueryError error={labour.error} onRetry={() => void labour.refetch()} />
        </Stack>
      )}
      {!data && labour.isPending && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" aria-busy>
          <Card withBorder padding="md" radius="md">
            <Skeleton h={14} w="50%" mb={10} />
            <Skeleton h={32} w="40%" mb={10} />
            <Skeleton h={10} />
          </Card>
          <Card withBorder padding="md" radius="md">
            <Skeleton h={14} w="50%" mb={10} />
            <Skeleton h={80} />
          </Card>
        </SimpleGrid>
      )}
      {data && (
        <Stack
          gap="md"
          data-testid="my-hours"
          aria-busy={labour.isPlaceholderData}
          style={{ opacity: labour.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' }}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Card withBorder padding="md" radius="md" data-testid="my-hours-card">
              <Text size="sm" fw={600} c="dimmed">
                {t('myHours.mine')}
              </Text>
              <Text fz={32} fw={700} lh={1.2} data-testid="my-hours-total">
                {formatHours(myHours, language)}
              </Text>
              <Text size="xs" c="dimmed" mb="sm">
                {t('myHours.capacity', { capacity: formatHours(capacity, language) })}
              </Text>
              <Text size="sm" fw={600} mb={4}>
                {t('myHours.utilisation')}
              </Text>
              <UtilisationBar
                value={myUtilisation}
                label={t('kpis.labour.utilisationOf', {
                  name: me.user.full_name,
                  value: shownUtilisation,
                })}
              />
            </Card>
            <Card withBorder padding="md" radius="md" data-testid="my-hours-types">
              <Text size="sm" fw={600} mb="sm">
                {team ? t('myHours.teamByType') : t('myHours.byType')}
              </Text>
              {/* A technician's answer holds only their own hours; a supervisor's, everyone's. */}
              {data.by_type.length === 0 ? (
                <Stack gap={4} py="md" align="center" ta="center" data-testid="my-hours-empty">
                  <IconClockHour4 size={28} color="var(--mantine-color-dimmed)" aria-hidden />
                  <Text size="sm" fw={600}>
                    {t('myHours.empty')}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('myHours.emptyHint')}
                  </Text>
                </Stack>
              ) : (
                <HoursByType types={data.by_type} />
              )}
            </Card>
          </SimpleGrid>
          {team && (
            <Card withBorder padding="md" radius="md" data-testid="team-hours">
              <Group justify="space-between" align="baseline" gap="xs" mb={2}>
                <Title order={2} size="h5">
                  {t('myHours.team')}
                </Title>
                <Text size="sm" fw={600} data-testid="team-total">
                  {t('myHours.teamTotal', { hours: formatHours(data.total_hours, language) })}
                </Text>
              </Group>
              <Text size="xs" c="dimmed" mb="sm">
                {t('myHours.teamHint')}
              </Text>
              {data.by_technician.length === 0 ? (
                <Text size="sm" c="dimmed" py="md" ta="center">
                  {t('myHours.empty')}
                </Text>
              ) : (
                <TechnicianTable technicians={data.by_technician} />
              )}
            </Card>
          )}
        </Stack>
      )}
    </>
  );
}
