import {
  Anchor,
  Badge,
  Button,
  Card,
  Collapse,
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
import { IconAdjustmentsHorizontal, IconFileImport, IconPlus, IconTool } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import type { Equipment } from '../../api/client';
import { useEquipmentCategories, useEquipmentList } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { CriticalityBadge, EquipmentStatusBadge } from '../../components/badges';
import { ListBody } from '../../components/ListBody';
import { ListToolbar, SearchInput } from '../../components/ListControls';
import { ListFooter } from '../../components/ListFooter';
import { LocationSelects } from '../../components/LocationSelects';
import { PageHeader } from '../../components/PageHeader';
import { SortableTh } from '../../components/SortableTh';
import { CRITICALITIES, EQUIPMENT_STATUSES, locationText } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { oneOf, useListParams } from '../../lib/useUrlParams';

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
  const { params, update, page, q, search, onSearch, resetFilters } = useListParams();
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
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const filtered = Boolean(q || siteId || status || criticality || category || includeArchived);
  const manage = can(PERMISSIONS.equipmentManage);
  const activeFilters = [siteId, status, criticality, category, includeArchived].filter(
    Boolean,
  ).length;
  const [showFilters, setShowFilters] = useState(false);
  const onSort = (s: string) => update({ sort: s });
  const newButton = manage && (
    <Button component={Link} to="/equipment/new" leftSection={<IconPlus size={18} />}>
      {t('equipment.new')}
    </Button>
  );

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
            {newButton}
          </>
        }
      />
      <Card mb="lg" p="md">
        <Stack gap="md">
          {compact && (
            <Group gap="sm" wrap="nowrap" align="flex-end">
              <SearchInput
                label={t('equipment.search')}
                placeholder={t('equipment.searchPlaceholder')}
                value={search}
                onChange={onSearch}
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
                  <SearchInput
                    label={t('equipment.search')}
                    placeholder={t('equipment.searchPlaceholder')}
                    value={search}
                    onChange={onSearch}
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
          <ListToolbar
            compact={compact}
            sort={sort}
            sortOptions={[
              { value: 'code', label: t('equipment.sort.code') },
              { value: 'name', label: t('equipment.sort.name') },
              { value: '-criticality', label: t('equipment.sort.criticality') },
              { value: 'status', label: t('equipment.sort.status') },
              { value: '-created_at', label: t('equipment.sort.created') },
            ]}
            onSort={onSort}
            filtered={filtered}
            onReset={resetFilters}
          >
            <Switch
              label={t('equipment.includeArchived')}
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
          icon: <IconTool size={30} />,
          title: t('equipment.empty'),
          description: t('equipment.emptyText'),
          action: newButton,
        }}
        noMatch={{ title: t('equipment.noMatch'), description: t('equipment.noMatchText') }}
        compact={compact}
        renderCard={(item) => <EquipmentCard item={item} />}
        tableMinWidth={860}
        head={
          <>
            <SortableTh field="code" sort={sort} onSort={onSort}>
              {t('equipment.code')}
            </SortableTh>
            <SortableTh field="name" sort={sort} onSort={onSort}>
              {t('equipment.name')}
            </SortableTh>
            <Table.Th>{t('equipment.location')}</Table.Th>
            <SortableTh field="status" sort={sort} onSort={onSort}>
              {t('equipment.status')}
            </SortableTh>
            <SortableTh field="criticality" sort={sort} onSort={onSort} descendingFirst>
              {t('equipment.criticality')}
            </SortableTh>
            <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
              {t('equipment.openOrdersColumn')}
            </Table.Th>
          </>
        }
        renderRow={(item) => (
          <Table.Tr
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
        )}
      />
      <ListFooter
        total={total}
        page={page}
        countLabel={t('equipment.count', { count: total })}
        onPage={(p) => update({ page: String(p) })}
      />
    </>
  );
}
