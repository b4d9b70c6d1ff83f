// The equipment's preventive plans, with when each is next due, and a new plan for it.
import { Anchor, Button, Card, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconCalendarRepeat, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Equipment } from '../../api/client';
import { usePmPlans } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { ComplianceBadge, PlanStateBadge } from '../../components/badges';
import { Empty } from '../../components/Empty';
import { QueryError } from '../../components/QueryError';
import { PERMISSIONS } from '../../lib/permissions';
import { planState } from '../../lib/pm';
import { NextDue, PlanRule } from '../pm/PlanListPage';

export function EquipmentPlans({ equipment }: { equipment: Equipment }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const compact = useMediaQuery('(max-width: 48em)');
  const plans = usePmPlans({
    q: '',
    siteId: null,
    equipmentId: equipment.id,
    active: null,
    includeArchived: false,
    sort: 'title',
    page: 1,
    perPage: 200,
  });
  const items = plans.data?.items ?? [];
  const canCreate = can(PERMISSIONS.pmPlansManage) && !equipment.archived_at;
  const newPlan = canCreate && (
    <Button
      component={Link}
      to={`/pm-plans/new?equipment=${equipment.id}`}
      leftSection={<IconPlus size={18} />}
      variant={items.length > 0 ? 'light' : 'filled'}
    >
      {t('pm.newForEquipment')}
    </Button>
  );

  if (plans.isError) {
    return <QueryError error={plans.error} onRetry={() => void plans.refetch()} />;
  }
  if (plans.isPending) {
    return (
      <Card>
        <Stack gap="md">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={22} />
          ))}
        </Stack>
      </Card>
    );
  }
  if (items.length === 0) {
    return (
      <Card>
        <Empty
          py={32}
          icon={<IconCalendarRepeat size={30} />}
          title={t('pm.noPlansForEquipment')}
          description={t('pm.noPlansForEquipmentText')}
        >
          {newPlan}
        </Empty>
      </Card>
    );
  }
  return (
    <Stack gap="md">
      <Group justify="space-between" gap="sm">
        <Text size="sm" c="dimmed">
          {t('pm.forEquipment')}
        </Text>
        {newPlan}
      </Group>
      <Card p={0}>
        <Table.ScrollContainer minWidth={compact ? 560 : 700} type="native">
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="equipment-plans">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pm.planColumn')}</Table.Th>
                <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('pm.nextDue')}</Table.Th>
                <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('pm.compliance')}</Table.Th>
                <Table.Th>{t('pm.state')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((plan) => (
                <Table.Tr key={plan.id} data-testid="equipment-plan">
                  <Table.Td>
                    <Anchor component={Link} to={`/pm-plans/${plan.id}`} size="sm" fw={600}>
                      {plan.title}
                    </Anchor>
                    <PlanRule plan={plan} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <NextDue plan={plan} />
                  </Table.Td>
                  <Table.Td>
                    <ComplianceBadge compliance={plan.compliance} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    <PlanStateBadge state={planState(plan)} size="sm" />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}
