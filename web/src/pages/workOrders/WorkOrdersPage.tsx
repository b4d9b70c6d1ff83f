import {
  Alert,
  Anchor,
  Button,
  Card,
  Collapse,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import {
  IconAdjustmentsHorizontal,
  IconCalendarRepeat,
  IconClipboardList,
  IconLayoutKanban,
  IconPlus,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import {
  useAllMembers,
  useAllSites,
  useEquipment,
  usePmPlan,
  useWorkOrders,
  type WorkOrderFilters,
} from '../../api/queries';
import { useAuth } from '../../auth/context';
import { OverdueBadge, PriorityBadge, WorkOrderStatusBadge } from '../../components/badges';
import { EquipmentPicker } from '../../components/EquipmentPicker';
import { ListBody } from '../../components/ListBody';
import { ListToolbar, SearchInput } from '../../components/ListControls';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { SortableTh } from '../../components/SortableTh';
import { dayRangeToInstants } from '../../lib/audit';
import { formatDateTime } from '../../lib/format';
import {
  PRIORITIES,
  WORK_ORDER_ORIGINS,
  WORK_ORDER_STATUSES,
  WORK_ORDER_TYPES,
  parseStatuses,
} from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { oneOf, useListParams } from '../../lib/useUrlParams';
import { Assignees, WorkOrderCard } from './WorkOrderCard';

const SORT_FIELDS = ['number', 'due_at', 'priority', 'status', 'created_at', 'updated_at'];
const SORTS = SORT_FIELDS.flatMap((f) => [f, `-${f}`]);

function DayRange({
  label,
  from,
  to,
  onChange,
}: {
  label: string;
  from: string | null;
  to: string | null;
  onChange: (from: string | null, to: string | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <DatePickerInput
      type="range"
      label={label}
      placeholder={t('workOrders.anyDate')}
      value={[from, to]}
      onChange={([f, tt]) => {
        if (f && !tt) return;
        onChange(f ? String(f) : null, tt ? String(tt) : null);
      }}
      clearable
      allowSingleDateInRange
      valueFormat="D MMM YYYY"
    />
  );
}

export default function WorkOrdersPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const compact = useMediaQuery('(max-width: 48em)');
  const { params, update, page, q, search, onSearch, resetFilters } = useListParams();
  const statuses = parseStatuses(params.get('status'));
  const type = oneOf(params.get('type'), WORK_ORDER_TYPES);
  const priority = oneOf(params.get('priority'), PRIORITIES);
  const origin = oneOf(params.get('origin'), WORK_ORDER_ORIGINS);
  const siteId = params.get('site');
  const equipmentId = params.get('equipment');
  const assigneeId = params.get('assignee');
  // The orders of one preventive plan (its page links here).
  const pmPlanId = params.get('pm_plan_id');
  const overdue = params.get('overdue') === '1';
  const dueFrom = params.get('due_from');
  const dueTo = params.get('due_to');
  const createdFrom = params.get('created_from');
  const createdTo = params.get('created_to');
  const sort = oneOf(params.get('sort'), SORTS) ?? '-created_at';
  const secondary = Boolean(
    type || origin || siteId || equipmentId || assigneeId || dueFrom || createdFrom,
  );
  const [more, setMore] = useState(secondary);
  const [showFilters, setShowFilters] = useState(false);
  // What the phone's "Filtres (n)" button counts: the filters hidden behind it.
  const activeFilters = [
    statuses.length > 0,
    priority,
    overdue,
    type,
    origin,
    siteId,
    equipmentId,
    assigneeId,
    dueFrom,
    createdFrom,
  ].filter(Boolean).length;
  const due = dayRangeToInstants(dueFrom, dueTo);
  const created = dayRangeToInstants(createdFrom, createdTo);

  const filters: WorkOrderFilters = {
    statuses,
    type,
    priority,
    origin,
    siteId,
    equipmentId,
    assigneeId,
    pmPlanId,
    mine: false,
    overdue,
    dueFrom: due.from,
    dueTo: due.to,
    createdFrom: created.from,
    createdTo: created.to,
    q,
    sort,
    page,
  };
  const list = useWorkOrders(filters);
  const sites = useAllSites();
  const members = useAllMembers(can(PERMISSIONS.usersRead));
  const chosenEquipment = useEquipment(equipmentId);
  const plan = usePmPlan(can(PERMISSIONS.pmPlansRead) ? pmPlanId : null);
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const filtered = Boolean(q || statuses.length || priority || overdue || secondary || pmPlanId);
  const onSort = (s: string) => update({ sort: s });

  return (
    <>
      <PageHeader
        title={t('workOrders.title')}
        description={t('workOrders.description')}
        actions={
          <>
            {can(PERMISSIONS.workOrdersManage) && (
              <Button
                component={Link}
                to="/work-orders/board"
                variant="default"
                leftSection={<IconLayoutKanban size={18} />}
              >
                {t('nav.board')}
              </Button>
            )}
            {can(PERMISSIONS.workOrdersManage) && (
              <Button component={Link} to="/work-orders/new" leftSection={<IconPlus size={18} />}>
                {t('workOrders.new')}
              </Button>
            )}
          </>
        }
      />
      {pmPlanId && (
        <Alert
          variant="light"
          color="gmao"
          icon={<IconCalendarRepeat />}
          mb="md"
          data-testid="plan-filter"
        >
          <Group justify="space-between" gap="sm">
            {plan.data ? (
              <Anchor component={Link} to={`/pm-plans/${plan.data.id}`} size="sm" fw={500}>
                {t('workOrders.planFilter', { title: plan.data.title })}
              </Anchor>
            ) : (
              <Text size="sm" fw={500}>
                {t('workOrders.planFilterUnknown')}
              </Text>
            )}
            <Button
              size="xs"
              variant="white"
              onClick={() => update({ pm_plan_id: null, type: null })}
            >
              {t('workOrders.clearPlan')}
            </Button>
          </Group>
        </Alert>
      )}
      <Card mb="lg" p="md">
        <Stack gap="md">
          {/* Phones: the search and one button, the list right below; the filters on demand. */}
          {compact && (
            <Group gap="sm" wrap="nowrap" align="flex-end">
              <SearchInput
                label={t('workOrders.search')}
                placeholder={t('workOrders.searchPlaceholder')}
                value={search}
                onChange={onSearch}
                style={{ flex: 1 }}
              />
              <Button
                variant={showFilters || activeFilters > 0 ? 'light' : 'default'}
                leftSection={<IconAdjustmentsHorizontal size={16} />}
                onClick={() => setShowFilters((v) => !v)}
                aria-expanded={showFilters}
                aria-controls="work-order-filters"
              >
                {t('common.filters', { count: activeFilters })}
              </Button>
            </Group>
          )}
          <Collapse expanded={!compact || showFilters} id="work-order-filters">
            <Stack gap="md">
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
                {!compact && (
                  <SearchInput
                    label={t('workOrders.search')}
                    placeholder={t('workOrders.searchPlaceholder')}
                    value={search}
                    onChange={onSearch}
                  />
                )}
                <MultiSelect
                  label={t('workOrders.statuses')}
                  placeholder={statuses.length ? undefined : t('workOrders.allStatuses')}
                  data={WORK_ORDER_STATUSES.map((s) => ({ value: s, label: t(`woStatus.${s}`) }))}
                  value={statuses}
                  onChange={(value) => update({ status: value.join(',') || null })}
                  clearable
                />
                <Select
                  label={t('workOrders.priority')}
                  placeholder={t('workOrders.allPriorities')}
                  data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
                  value={priority}
                  onChange={(value) => update({ priority: value })}
                  clearable
                />
                <Switch
                  label={t('workOrders.overdueOnly')}
                  checked={overdue}
                  onChange={(e) => update({ overdue: e.currentTarget.checked ? '1' : null })}
                  mt={{ base: 0, sm: 30 }}
                />
              </SimpleGrid>
              {/* On phones the panel is already on demand: all of it at once. */}
              <Collapse expanded={compact || more}>
                <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
                  <Select
                    label={t('workOrders.type')}
                    placeholder={t('workOrders.allTypes')}
                    data={WORK_ORDER_TYPES.map((v) => ({ value: v, label: t(`woType.${v}`) }))}
                    value={type}
                    onChange={(value) => update({ type: value })}
                    clearable
                  />
                  <Select
                    label={t('workOrders.origin')}
                    placeholder={t('workOrders.allOrigins')}
                    data={WORK_ORDER_ORIGINS.map((v) => ({ value: v, label: t(`woOrigin.${v}`) }))}
                    value={origin}
                    onChange={(value) => update({ origin: value })}
                    clearable
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
                    label={t('workOrders.equipment')}
                    placeholder={t('workOrders.allEquipment')}
                    value={equipmentId}
                    selected={chosenEquipment.data ?? null}
                    onChange={(id) => update({ equipment: id })}
                  />
                  {can(PERMISSIONS.usersRead) && (
                    <Select
                      label={t('workOrders.assignee')}
                      placeholder={t('workOrders.anyone')}
                      data={(members.data?.items ?? []).map((m) => ({
                        value: m.id,
                        label: m.full_name,
                      }))}
                      value={assigneeId}
                      onChange={(value) => update({ assignee: value })}
                      searchable
                      clearable
                      nothingFoundMessage={t('common.nothingFound')}
                    />
                  )}
                  <DayRange
                    label={t('workOrders.dueBetween')}
                    from={dueFrom}
                    to={dueTo}
                    onChange={(from, to) => update({ due_from: from, due_to: to })}
                  />
                  <DayRange
                    label={t('workOrders.createdBetween')}
                    from={createdFrom}
                    to={createdTo}
                    onChange={(from, to) => update({ created_from: from, created_to: to })}
                  />
                </SimpleGrid>
              </Collapse>
            </Stack>
          </Collapse>
          <ListToolbar
            compact={compact}
            sort={sort}
            sortOptions={[
              { value: '-created_at', label: t('workOrders.sort.newest') },
              { value: 'due_at', label: t('workOrders.sort.due') },
              { value: '-priority', label: t('workOrders.sort.priority') },
              { value: '-updated_at', label: t('workOrders.sort.updated') },
            ]}
            sortWidth={220}
            onSort={onSort}
            filtered={filtered}
            onReset={resetFilters}
          >
            {!compact && (
              <Button
                variant="subtle"
                size="xs"
                leftSection={<IconAdjustmentsHorizontal size={16} />}
                onClick={() => setMore((m) => !m)}
                aria-expanded={more}
              >
                {more ? t('workOrders.lessFilters') : t('workOrders.moreFilters')}
              </Button>
            )}
          </ListToolbar>
        </Stack>
      </Card>

      <ListBody
        query={list}
        items={items}
        filtered={filtered}
        empty={{
          icon: <IconClipboardList size={30} />,
          title: t('workOrders.empty'),
          description: t('workOrders.emptyText'),
        }}
        noMatch={{ title: t('workOrders.noMatch'), description: t('workOrders.noMatchText') }}
        compact={compact}
        renderCard={(order) => <WorkOrderCard order={order} />}
        tableMinWidth={980}
        head={
          <>
            <SortableTh field="number" sort={sort} onSort={onSort} descendingFirst>
              {t('workOrders.number')}
            </SortableTh>
            <Table.Th>{t('workOrders.titleAndEquipment')}</Table.Th>
            <SortableTh field="status" sort={sort} onSort={onSort}>
              {t('workOrders.status')}
            </SortableTh>
            <SortableTh field="priority" sort={sort} onSort={onSort} descendingFirst>
              {t('workOrders.priority')}
            </SortableTh>
            <Table.Th>{t('workOrders.type')}</Table.Th>
            <SortableTh field="due_at" sort={sort} onSort={onSort}>
              {t('workOrders.dueAt')}
            </SortableTh>
            <Table.Th>{t('workOrders.assignees')}</Table.Th>
          </>
        }
        renderRow={(order) => (
          <Table.Tr
            className="clickable-row"
            data-testid="work-order-row"
            onClick={() => void navigate(`/work-orders/${order.id}`)}
          >
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <Anchor
                component={Link}
                to={`/work-orders/${order.id}`}
                ff="monospace"
                fw={600}
                size="sm"
                onClick={(e) => e.stopPropagation()}
              >
                {order.number}
              </Anchor>
            </Table.Td>
            <Table.Td maw={360}>
              <Text size="sm" fw={500} lineClamp={1}>
                {order.title}
              </Text>
              <Text size="xs" c="dimmed" lineClamp={1}>
                {order.equipment_code} — {order.equipment_name}
              </Text>
            </Table.Td>
            <Table.Td>
              <WorkOrderStatusBadge status={order.status} size="sm" />
            </Table.Td>
            <Table.Td>
              <PriorityBadge priority={order.priority} size="sm" />
            </Table.Td>
            <Table.Td>
              <Text size="sm">{t(`woType.${order.type}`)}</Text>
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              {order.due_at ? (
                <Stack gap={2} align="flex-start">
                  <Text size="sm" c={order.overdue ? 'red.8' : undefined}>
                    {formatDateTime(order.due_at, i18n.language)}
                  </Text>
                  {order.overdue && <OverdueBadge size="xs" />}
                </Stack>
              ) : (
                <Text size="sm" c="dimmed">
                  —
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Assignees order={order} />
            </Table.Td>
          </Table.Tr>
        )}
      />
      <ListFooter
        total={total}
        page={page}
        countLabel={t('workOrders.count', { count: total })}
        onPage={(p) => update({ page: String(p) })}
      />
    </>
  );
}
