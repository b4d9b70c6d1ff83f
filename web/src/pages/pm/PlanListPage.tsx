// The preventive plans: what each does in words, on which equipment, when it is next due and
// how punctually its work has been done.
import {
  Anchor,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedCallback, useMediaQuery } from '@mantine/hooks';
import { IconCalendarRepeat, IconFilterOff, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import type { PmPlan } from '../../api/client';
import { useAllSites, useEquipment, usePmPlans } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { ComplianceBadge, PlanStateBadge } from '../../components/badges';
import { Empty } from '../../components/Empty';
import { EquipmentPicker } from '../../components/EquipmentPicker';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { SortableTh } from '../../components/SortableTh';
import { formatDateTime } from '../../lib/format';
import { PERMISSIONS } from '../../lib/permissions';
import { planState, ruleInWords } from '../../lib/pm';
import { oneOf, useUrlParams } from '../../lib/useUrlParams';

const SORTS = ['title', '-title', 'created_at', '-created_at', 'updated_at', '-updated_at'];
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
  const { params, update, reset, page } = useUrlParams();
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
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
  const applySearch = useDebouncedCallback((value: string) => update({ q: value.trim() }), 300);
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const filtered = Boolean(q || siteId || equipmentId || state || includeArchived);
  const manage = can(PERMISSIONS.pmPlansManage);
  const onSort = (s: string) => update({ sort: s });

  return (
    <>
      <PageHeader
        title={t('pm.title')}
        description={t('pm.description')}
        actions={
          manage && (
            <Button component={Link} to="/pm-plans/new" leftSection={<IconPlus size={18} />}>
              {t('pm.new')}
            </Button>
          )
        }
      />
      <Card mb="lg" p="md">
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
            <TextInput
              label={t('pm.search')}
              placeholder={t('pm.searchPlaceholder')}
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => {
                setSearch(e.currentTarget.value);
                applySearch(e.currentTarget.value);
              }}
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
          <Group justify="space-between" gap="sm">
            <Switch
              label={t('pm.includeArchived')}
              checked={includeArchived}
              onChange={(e) => update({ archived: e.currentTarget.checked ? '1' : null })}
            />
            <Group gap="sm">
              {compact && (
                <Select
                  aria-label={t('common.sortBy')}
                  size="xs"
                  w={200}
                  data={[
                    { value: 'title', label: t('pm.sort.title') },
                    { value: '-created_at', label: t('pm.sort.newest') },
                    { value: '-updated_at', label: t('pm.sort.updated') },
                  ]}
                  value={sort}
                  allowDeselect={false}
                  onChange={(value) => update({ sort: value })}
                />
              )}
              {filtered && (
                <Button
                  variant="subtle"
                  size="xs"
                  leftSection={<IconFilterOff size={14} />}
                  onClick={() => {
                    setSearch('');
                    reset(['sort']);
                  }}
                >
                  {t('common.resetFilters')}
                </Button>
              )}
            </Group>
          </Group>
        </Stack>
      </Card>

      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <Card>
          <Stack gap="md">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} h={22} />
            ))}
          </Stack>
        </Card>
      ) : items.length === 0 ? (
        <Card>
          <Empty
            py={40}
            icon={<IconCalendarRepeat size={30} />}
            title={filtered ? t('pm.noMatch') : t('pm.empty')}
            description={filtered ? t('pm.noMatchText') : t('pm.emptyText')}
          >
            {!filtered && manage && (
              <Button component={Link} to="/pm-plans/new" leftSection={<IconPlus size={18} />}>
                {t('pm.new')}
              </Button>
            )}
          </Empty>
        </Card>
      ) : compact ? (
        <Stack gap="sm">
          {items.map((plan) => (
            <PlanCard key={plan.id} plan={plan} />
          ))}
        </Stack>
      ) : (
        <Card p={0}>
          <Table.ScrollContainer minWidth={920} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <SortableTh field="title" sort={sort} onSort={onSort}>
                    {t('pm.planColumn')}
                  </SortableTh>
                  <Table.Th>{t('pm.equipment')}</Table.Th>
                  <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('pm.nextDue')}</Table.Th>
                  <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('pm.compliance')}</Table.Th>
                  <Table.Th>{t('pm.state')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((plan) => (
                  <Table.Tr
                    key={plan.id}
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
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <ListFooter
        total={total}
        page={page}
        countLabel={t('pm.count', { count: total })}
        onPage={(p) => update({ page: String(p) })}
      />
    </>
  );
}
