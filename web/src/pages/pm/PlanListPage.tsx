// The preventive plans: what each does in words, on which equipment, when it is next due and
// how punctually its work has been done.
import {
  Anchor,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconCalendarRepeat, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import type { PmPlan } from '../../api/client';
import { useAllSites, useEquipment, usePmPlans } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { ComplianceBadge, PlanStateBadge } from '../../components/badges';
import { EquipmentPicker } from '../../components/EquipmentPicker';
import { ListBody } from '../../components/ListBody';
import { ListToolbar, SearchInput } from '../../components/ListControls';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { SortableTh } from '../../components/SortableTh';
import { formatDateTime } from '../../lib/format';
import { PERMISSIONS } from '../../lib/permissions';
import { planState, ruleInWords } from '../../lib/pm';
import { oneOf, useListParams } from '../../lib/useUrlParams';

const SORTS = [
  'title',
  '-title',
  'next_due_at',
  '-next_due_at',
  'compliance',
  '-compliance',
  'created_at',
  '-created_at',
  'updated_at',
  '-updated_at',
];
const STATES = ['active', 'paused'] as const;

/** The plan's rule in words, as the list and the equipment's tab show it. */
export function PlanRule({ plan, size = 'xs' }: { plan: PmPlan; size?: 'xs' | 'sm' }) {
  const { i18n } = useTranslation();
  return (
    <Text size={size} c="dimmed" data-testid="plan-rule">
      {ruleInWords(i18n, plan.trigger, {
        meterUnit: plan.meter_unit,
        startsOn: plan.starts_on,
        scheduleMode: plan.schedule_mode,
      })}
    </Text>
  );
}

/** When the plan is next due, or why it is not. */
export function NextDue({ plan }: { plan: PmPlan }) {
  const { t, i18n } = useTranslation();
  if (!plan.next_due_at) {
    return (
      <Text size="sm" c="dimmed">
        {t('pm.noNextDue')}
      </Text>
    );
  }
  return (
    <Text size="sm" data-testid="next-due">
      {formatDateTime(plan.next_due_at, i18n.language)}
    </Text>
  );
}

function PlanCard({ plan }: { plan: PmPlan }) {
  const { t } = useTranslation();
  return (
    <Card
      component={Link}
      to={`/pm-plans/${plan.id}`}
      p="md"
      data-testid="plan-card"
      style={{ color: 'inherit', textDecoration: 'none' }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text fw={600} lineClamp={2}>
            {plan.title}
          </Text>
          <PlanRule plan={plan} />
        </Stack>
        <PlanStateBadge state={planState(plan)} size="sm" />
      </Group>
      <Text size="sm" mt="xs" lineClamp={1}>
        <Text span ff="monospace" fw={600}>
          {plan.equipment_code}
        </Text>{' '}
        {plan.equipment_name}
      </Text>
      <Group justify="space-between" mt="xs" gap="xs">
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('pm.nextDue')}
          </Text>
          <NextDue plan={plan} />
        </Stack>
        <ComplianceBadge compliance={plan.compliance} size="sm" />
      </Group>
    </Card>
  );
}

export default function PlanListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const compact = useMediaQuery('(max-width: 48em)');
  const { params, update, page, q, search, onSearch, resetFilters } = useListParams();
  const siteId = params.get('site');
  const equipmentId = params.get('equipment');
  const state = oneOf(params.get('state'), STATES);
  const includeArchived = params.get('archived') === '1';
  const sort = oneOf(params.get('sort'), SORTS) ?? 'title';
  const list = usePmPlans({
    q,
    siteId,
    equipmentId,
    active: state === null ? null : state === 'active',
    includeArchived,
    sort,
    page,
  });
  const sites = useAllSites();
  const chosenEquipment = useEquipment(equipmentId);
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const filtered = Boolean(q || siteId || equipmentId || state || includeArchived);
  const manage = can(PERMISSIONS.pmPlansManage);
  const onSort = (s: string) => update({ sort: s });
  const newButton = manage && (
    <Button component={Link} to="/pm-plans/new" leftSection={<IconPlus size={18} />}>
      {t('pm.new')}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('pm.title')} description={t('pm.description')} actions={newButton} />
      <Card mb="lg" p="md">
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
            <SearchInput
              label={t('pm.search')}
              placeholder={t('pm.searchPlaceholder')}
              value={search}
              onChange={onSearch}
            />
            <Select
              label={t('location.site')}
              placeholder={t('location.allSites')}
              data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
              value={siteId}
              onChange={(value) => update({ site: value })}
              clearable
            />
            <EquipmentPicker
              label={t('pm.equipment')}
              placeholder={t('workOrders.allEquipment')}
              value={equipmentId}
              selected={chosenEquipment.data ?? null}
              siteId={siteId}
              onChange={(id) => update({ equipment: id })}
            />
            <Select
              label={t('pm.state')}
              placeholder={t('pm.allStates')}
              data={STATES.map((s) => ({ value: s, label: t(`pm.states.${s}`) }))}
              value={state}
              onChange={(value) => update({ state: value })}
              clearable
            />
          </SimpleGrid>
          <ListToolbar
            compact={compact}
            sort={sort}
            sortOptions={[
              { value: 'title', label: t('pm.sort.title') },
              { value: 'next_due_at', label: t('pm.sort.due') },
              { value: 'compliance', label: t('pm.sort.compliance') },
              { value: '-created_at', label: t('pm.sort.newest') },
              { value: '-updated_at', label: t('pm.sort.updated') },
            ]}
            onSort={onSort}
            filtered={filtered}
            onReset={resetFilters}
          >
            <Switch
              label={t('pm.includeArchived')}
              checked={includeArchived}
              onChange={(e) => update({ archived: e.currentTarget.checked ? '1' : null })}
            />
          </ListToolbar>
        </Stack>
      </Card>

      <ListBody
        query={list}
        items={items}
        filtered={filtered}
        empty={{
          icon: <IconCalendarRepeat size={30} />,
          title: t('pm.empty'),
          description: t('pm.emptyText'),
          action: newButton,
        }}
        noMatch={{ title: t('pm.noMatch'), description: t('pm.noMatchText') }}
        compact={compact}
        renderCard={(plan) => <PlanCard plan={plan} />}
        tableMinWidth={920}
        head={
          <>
            <SortableTh field="title" sort={sort} onSort={onSort}>
              {t('pm.planColumn')}
            </SortableTh>
            <Table.Th>{t('pm.equipment')}</Table.Th>
            <SortableTh field="next_due_at" sort={sort} onSort={onSort}>
              <span style={{ whiteSpace: 'nowrap' }}>{t('pm.nextDue')}</span>
            </SortableTh>
            <SortableTh field="compliance" sort={sort} onSort={onSort}>
              <span style={{ whiteSpace: 'nowrap' }}>{t('pm.compliance')}</span>
            </SortableTh>
            <Table.Th>{t('pm.state')}</Table.Th>
          </>
        }
        renderRow={(plan) => (
          <Table.Tr
            className="clickable-row"
            data-testid="plan-row"
            opacity={plan.archived_at ? 0.65 : 1}
            onClick={() => void navigate(`/pm-plans/${plan.id}`)}
          >
            <Table.Td maw={420}>
              <Anchor
                component={Link}
                to={`/pm-plans/${plan.id}`}
                size="sm"
                fw={600}
                onClick={(e) => e.stopPropagation()}
              >
                {plan.title}
              </Anchor>
              <PlanRule plan={plan} />
            </Table.Td>
            <Table.Td maw={300}>
              <UnstyledButton
                component={Link}
                to={`/equipment/${plan.equipment_id}`}
                onClick={(e) => e.stopPropagation()}
              >
                <Text size="sm" ff="monospace" fw={600}>
                  {plan.equipment_code}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {plan.equipment_name}
                </Text>
              </UnstyledButton>
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
        )}
      />
      <ListFooter
        total={total}
        page={page}
        countLabel={t('pm.count', { count: total })}
        onPage={(p) => update({ page: String(p) })}
      />
    </>
  );
}
