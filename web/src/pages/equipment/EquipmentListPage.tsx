import {
  Anchor,
  Badge,
  Button,
  Card,
  Collapse,
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
import {
  IconAdjustmentsHorizontal,
  IconFileImport,
  IconFilterOff,
  IconPlus,
  IconSearch,
  IconTool,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import type { Equipment } from '../../api/client';
import { useEquipmentCategories, useEquipmentList } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { CriticalityBadge, EquipmentStatusBadge } from '../../components/badges';
import { Empty } from '../../components/Empty';
import { ListFooter } from '../../components/ListFooter';
import { LocationSelects } from '../../components/LocationSelects';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { SortableTh } from '../../components/SortableTh';
import { CRITICALITIES, EQUIPMENT_STATUSES, locationText } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { oneOf, useUrlParams } from '../../lib/useUrlParams';

const SORTS = [
  'code',
  '-code',
  'name',
  '-name',
  'criticality',
  '-criticality',
  'status',
  '-status',
  'created_at',
  '-created_at',
];

function EquipmentCard({ item }: { item: Equipment }) {
  const { t } = useTranslation();
  return (
    <UnstyledButton
      component={Link}
      to={`/equipment/${item.id}`}
      data-testid="equipment-row"
      style={{ display: 'block' }}
    >
      <Card p="md" opacity={item.archived_at ? 0.65 : 1}>
        <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
          <div style={{ minWidth: 0 }}>
            <Text fw={600} lh={1.3}>
              {item.name}
            </Text>
            <Text size="sm" ff="monospace" c="dimmed">
              {item.code}
            </Text>
          </div>
          <EquipmentStatusBadge status={item.status} size="sm" />
        </Group>
        <Text size="sm" c="dimmed" mt={6} lineClamp={1}>
          {locationText(item)}
        </Text>
        <Group gap={6} mt="xs">
          <CriticalityBadge value={item.criticality} size="sm" />
          {item.category && (
            <Badge variant="default" size="sm">
              {item.category}
            </Badge>
          )}
          {item.open_work_orders > 0 && (
            <Badge variant="light" color="blue" size="sm">
              {t('equipment.openOrders', { count: item.open_work_orders })}
            </Badge>
          )}
          {item.archived_at && (
            <Badge variant="light" color="gray" size="sm">
              {t('equipment.archived')}
            </Badge>
          )}
        </Group>
      </Card>
    </UnstyledButton>
  );
}

export default function EquipmentListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const compact = useMediaQuery('(max-width: 48em)');
  const { params, update, reset, page } = useUrlParams();
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const siteId = params.get('site');
  const plantId = params.get('plant');
  const lineId = params.get('line');
  const status = oneOf(params.get('status'), EQUIPMENT_STATUSES);
  const criticality = oneOf(params.get('criticality'), CRITICALITIES);
  const category = params.get('category');
  const includeArchived = params.get('archived') === '1';
  const sort = oneOf(params.get('sort'), SORTS) ?? 'code';

  const list = useEquipmentList({
    q,
    siteId,
    plantId,
    lineId,
    status,
    criticality,
    category,
    includeArchived,
    sort,
    page,
  });
  const categories = useEquipmentCategories();
  const applySearch = useDebouncedCallback((value: string) => update({ q: value.trim() }), 300);
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const filtered = Boolean(q || siteId || status || criticality || category || includeArchived);
  const manage = can(PERMISSIONS.equipmentManage);
  const activeFilters = [siteId, status, criticality, category, includeArchived].filter(
    Boolean,
  ).length;
  const [showFilters, setShowFilters] = useState(false);

  return (
    <>
      <PageHeader
        title={t('equipment.title')}
        description={t('equipment.description')}
        actions={
          <>
            {can(PERMISSIONS.metersRecord) && (
              <Button
                component={Link}
                to="/meter-readings/import"
                variant="default"
                leftSection={<IconFileImport size={18} />}
              >
                {t('readingsImport.navLabel')}
              </Button>
            )}
            {manage && (
              <Button component={Link} to="/equipment/new" leftSection={<IconPlus size={18} />}>
                {t('equipment.new')}
              </Button>
            )}
          </>
        }
      />
      <Card mb="lg" p="md">
        <Stack gap="md">
          {compact && (
            <Group gap="sm" wrap="nowrap" align="flex-end">
              <TextInput
                label={t('equipment.search')}
                placeholder={t('equipment.searchPlaceholder')}
                leftSection={<IconSearch size={16} />}
                value={search}
                onChange={(e) => {
                  setSearch(e.currentTarget.value);
                  applySearch(e.currentTarget.value);
                }}
                style={{ flex: 1 }}
              />
              <Button
                variant={showFilters ? 'light' : 'default'}
                leftSection={<IconAdjustmentsHorizontal size={16} />}
                onClick={() => setShowFilters((v) => !v)}
                aria-expanded={showFilters}
              >
                {t('common.filters', { count: activeFilters })}
              </Button>
            </Group>
          )}
          <Collapse expanded={!compact || showFilters}>
            <Stack gap="md">
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
                {!compact && (
                  <TextInput
                    label={t('equipment.search')}
                    placeholder={t('equipment.searchPlaceholder')}
                    leftSection={<IconSearch size={16} />}
                    value={search}
                    onChange={(e) => {
                      setSearch(e.currentTarget.value);
                      applySearch(e.currentTarget.value);
                    }}
                  />
                )}
                <Select
                  label={t('equipment.status')}
                  placeholder={t('equipment.allStatuses')}
                  data={EQUIPMENT_STATUSES.map((s) => ({
                    value: s,
                    label: t(`equipmentStatus.${s}`),
                  }))}
                  value={status}
                  onChange={(value) => update({ status: value })}
                  clearable
                />
                <Select
                  label={t('equipment.criticality')}
                  placeholder={t('equipment.allCriticalities')}
                  data={CRITICALITIES.map((c) => ({ value: c, label: t(`criticality.${c}`) }))}
                  value={criticality}
                  onChange={(value) => update({ criticality: value })}
                  clearable
                />
                <Select
                  label={t('equipment.category')}
                  placeholder={t('equipment.allCategories')}
                  data={categories.data?.items ?? []}
                  value={category}
                  onChange={(value) => update({ category: value })}
                  searchable
                  clearable
                  nothingFoundMessage={t('common.nothingFound')}
                />
              </SimpleGrid>
              <LocationSelects
                filter
                cols={{ base: 1, sm: 3 }}
                value={{ siteId, plantId, lineId }}
                onChange={(v) => update({ site: v.siteId, plant: v.plantId, line: v.lineId })}
              />
            </Stack>
          </Collapse>
          <Group justify="space-between" gap="sm">
            <Switch
              label={t('equipment.includeArchived')}
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
                    { value: 'code', label: t('equipment.sort.code') },
                    { value: 'name', label: t('equipment.sort.name') },
                    { value: '-criticality', label: t('equipment.sort.criticality') },
                    { value: 'status', label: t('equipment.sort.status') },
                    { value: '-created_at', label: t('equipment.sort.created') },
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
            icon={<IconTool size={30} />}
            title={filtered ? t('equipment.noMatch') : t('equipment.empty')}
            description={filtered ? t('equipment.noMatchText') : t('equipment.emptyText')}
          >
            {!filtered && manage && (
              <Button component={Link} to="/equipment/new" leftSection={<IconPlus size={18} />}>
                {t('equipment.new')}
              </Button>
            )}
          </Empty>
        </Card>
      ) : compact ? (
        <Stack gap="sm">
          {items.map((item) => (
            <EquipmentCard key={item.id} item={item} />
          ))}
        </Stack>
      ) : (
        <Card p={0}>
          <Table.ScrollContainer minWidth={860} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <SortableTh field="code" sort={sort} onSort={(s) => update({ sort: s })}>
                    {t('equipment.code')}
                  </SortableTh>
                  <SortableTh field="name" sort={sort} onSort={(s) => update({ sort: s })}>
                    {t('equipment.name')}
                  </SortableTh>
                  <Table.Th>{t('equipment.location')}</Table.Th>
                  <SortableTh field="status" sort={sort} onSort={(s) => update({ sort: s })}>
                    {t('equipment.status')}
                  </SortableTh>
                  <SortableTh
                    field="criticality"
                    sort={sort}
                    onSort={(s) => update({ sort: s })}
                    descendingFirst
                  >
                    {t('equipment.criticality')}
                  </SortableTh>
                  <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {t('equipment.openOrdersColumn')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr
                    key={item.id}
                    className="clickable-row"
                    data-testid="equipment-row"
                    opacity={item.archived_at ? 0.6 : 1}
                    onClick={() => void navigate(`/equipment/${item.id}`)}
                  >
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Anchor
                        component={Link}
                        to={`/equipment/${item.id}`}
                        ff="monospace"
                        fw={600}
                        size="sm"
                        onClick={(e) => e.stopPropagation()}
                      >
                        {item.code}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {item.name}
                      </Text>
                      <Group gap={6}>
                        {item.category && (
                          <Text size="xs" c="dimmed">
                            {item.category}
                          </Text>
                        )}
                        {item.archived_at && (
                          <Badge size="xs" variant="light" color="gray">
                            {t('equipment.archived')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {locationText(item)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <EquipmentStatusBadge status={item.status} size="sm" />
                    </Table.Td>
                    <Table.Td>
                      <CriticalityBadge value={item.criticality} size="sm" />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" fw={item.open_work_orders > 0 ? 600 : 400}>
                        {item.open_work_orders}
                      </Text>
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
        countLabel={t('equipment.count', { count: total })}
        onPage={(p) => update({ page: String(p) })}
      />
    </>
  );
}
