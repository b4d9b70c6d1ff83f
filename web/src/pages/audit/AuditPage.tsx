import {
  ActionIcon,
  Badge,
  Box,
  Card,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconChevronDown, IconHistory } from '@tabler/icons-react';
import { Fragment, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AuditEntry } from '../../api/client';
import { useAllMembers, useAllSites, useAuditLog, useRoles } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { Empty } from '../../components/Empty';
import { ResetFiltersButton } from '../../components/ListControls';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { changeRows, dayRangeToInstants, entityLabel, type ChangeRow } from '../../lib/audit';
import { formatDateTime, formatRelative } from '../../lib/format';
import { PERMISSIONS } from '../../lib/permissions';
import { useUrlParams } from '../../lib/useUrlParams';

const ENTITIES = [
  'site',
  'plant',
  'production_line',
  'member',
  'role',
  'session',
  'profile',
  'tenant',
];
const ACTIONS = [
  'create',
  'update',
  'delete',
  'login',
  'logout',
  'deactivate',
  'reactivate',
  'change_password',
];

const ACTION_COLORS: Record<string, string> = {
  create: 'teal',
  update: 'gmao',
  delete: 'red',
  deactivate: 'orange',
  reactivate: 'teal',
  login: 'gray',
  logout: 'gray',
  change_password: 'violet',
};

type Lookup = Map<string, string>;

function useLabel(prefix: string) {
  const { t, i18n } = useTranslation();
  return (key: string) => (i18n.exists(`${prefix}.${key}`) ? t(`${prefix}.${key}`) : key);
}

function Value({
  value,
  field,
  lookups,
  labels,
}: {
  value: unknown;
  field: string;
  lookups: Record<string, Lookup>;
  /** What the server says the entry's ids name. */
  labels: Record<string, string>;
}) {
  const { t, i18n } = useTranslation();
  if (value === null || value === undefined || value === '') {
    return (
      <Text span c="dimmed">
        —
      </Text>
    );
  }
  if (typeof value === 'boolean') return <>{value ? t('common.yes') : t('common.no')}</>;
  const lookup = lookups[field];
  if (Array.isArray(value)) {
    if (value.length === 0)
      return (
        <Text span c="dimmed">
          {t('audit.emptyList')}
        </Text>
      );
    return (
      <>
        {value
          .map((v) =>
            typeof v === 'string' ? (lookup?.get(v) ?? labels[v] ?? v) : JSON.stringify(v),
          )
          .join(', ')}
      </>
    );
  }
  if (typeof value === 'string') {
    if (lookup?.has(value)) return <>{lookup.get(value)}</>;
    if (labels[value]) return <>{labels[value]}</>;
    if (field === 'locale' && i18n.exists(`languages.${value}`))
      return <>{t(`languages.${value}`)}</>;
    if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return <>{formatDateTime(value, i18n.language)}</>;
    return <>{value}</>;
  }
  if (typeof value === 'number') return <>{value}</>;
  return <>{JSON.stringify(value)}</>;
}

function ChangesTable({
  rows,
  lookups,
  labels,
}: {
  rows: ChangeRow[];
  lookups: Record<string, Lookup>;
  labels: Record<string, string>;
}) {
  const { t } = useTranslation();
  const fieldLabel = useLabel('auditFields');
  const plainOnly = rows.every((r) => r.plain);
  return (
    <Table withTableBorder fz="sm" verticalSpacing={6} bg="white" layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="28%">{t('audit.field')}</Table.Th>
          {!plainOnly && <Table.Th>{t('audit.before')}</Table.Th>}
          <Table.Th>{plainOnly ? t('audit.value') : t('audit.after')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.field}>
            <Table.Td fw={500}>{fieldLabel(row.field)}</Table.Td>
            {!plainOnly && (
              <Table.Td className={row.before !== null && !row.plain ? 'diff-before' : undefined}>
                {row.plain ? null : (
                  <Value value={row.before} field={row.field} lookups={lookups} labels={labels} />
                )}
              </Table.Td>
            )}
            <Table.Td className={row.after !== null && !row.plain ? 'diff-after' : undefined}>
              <Value value={row.after} field={row.field} lookups={lookups} labels={labels} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function EntryRow({ entry, lookups }: { entry: AuditEntry; lookups: Record<string, Lookup> }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const entityName = useLabel('auditEntities');
  const actionName = useLabel('auditActions');
  const fieldLabel = useLabel('auditFields');
  const rows = changeRows(entry.changes);
  // The object's name today when it still exists, else what the entry recorded of it.
  const label =
    (entry.entity_id ? entry.labels[entry.entity_id] : undefined) ?? entityLabel(entry.changes);
  const detailsId = `audit-${entry.id}`;
  const summary =
    rows.length === 0
      ? t('audit.noChanges')
      : rows
          .slice(0, 3)
          .map((r) => fieldLabel(r.field))
          .join(', ') +
        (rows.length > 3 ? ` ${t('audit.andMore', { count: rows.length - 3 })}` : '');

  return (
    <Fragment>
      <Table.Tr data-testid="audit-row">
        <Table.Td>
          <Tooltip label={formatDateTime(entry.at, i18n.language)}>
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              {formatRelative(entry.at, i18n.language)}
            </Text>
          </Tooltip>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(entry.at, i18n.language)}
          </Text>
        </Table.Td>
        <Table.Td>
          {entry.actor_id ? (
            <>
              <Text size="sm" fw={500}>
                {entry.actor_name ?? entry.actor_email ?? entry.actor_id}
              </Text>
              {entry.actor_name && entry.actor_email && (
                <Text size="xs" c="dimmed">
                  {entry.actor_email}
                </Text>
              )}
            </>
          ) : (
            <Text size="sm" c="dimmed" fs="italic">
              {t('audit.system')}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Badge
            variant="light"
            color={ACTION_COLORS[entry.action] ?? 'gray'}
            tt="none"
            radius="sm"
          >
            {actionName(entry.action)}
          </Badge>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{entityName(entry.entity)}</Text>
          {label && (
            <Text size="xs" c="dimmed" lineClamp={1}>
              {label}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Group gap="xs" wrap="nowrap" justify="space-between">
            <Text size="sm" c="dimmed" lineClamp={1}>
              {summary}
            </Text>
            {rows.length > 0 && (
              <ActionIcon
                variant="subtle"
                color="gray"
                onClick={() => setOpen((o) => !o)}
                aria-expanded={open}
                aria-controls={detailsId}
                aria-label={open ? t('audit.hideDetails') : t('audit.showDetails')}
              >
                <IconChevronDown
                  size={16}
                  style={{
                    transform: open ? 'rotate(180deg)' : undefined,
                    transition: 'transform 150ms ease',
                  }}
                />
              </ActionIcon>
            )}
          </Group>
        </Table.Td>
      </Table.Tr>
      {open && rows.length > 0 && (
        <Table.Tr>
          <Table.Td colSpan={5} p={0} id={detailsId}>
            <Box p="md" bg="var(--mantine-color-gray-0)">
              <ChangesTable rows={rows} lookups={lookups} labels={entry.labels} />
              {entry.request_id && (
                <Text size="xs" c="dimmed" mt={6}>
                  {t('audit.requestId', { id: entry.request_id })}
                </Text>
              )}
            </Box>
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

export default function AuditPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { params, update, reset, page } = useUrlParams();
  const entity = params.get('entity');
  const action = params.get('action');
  const actorId = params.get('actor');
  const fromDay = params.get('from');
  const toDay = params.get('to');
  const range = dayRangeToInstants(fromDay, toDay);

  const log = useAuditLog({ entity, action, actorId, from: range.from, to: range.to, page });
  const members = useAllMembers(can(PERMISSIONS.usersRead));
  const sites = useAllSites(can(PERMISSIONS.sitesRead));
  const roles = useRoles(can(PERMISSIONS.rolesRead));
  const entityName = useLabel('auditEntities');
  const actionName = useLabel('auditActions');

  const lookups = useMemo(() => {
    const siteNames: Lookup = new Map((sites.data?.items ?? []).map((s) => [s.id, s.name]));
    const roleNames: Lookup = new Map((roles.data?.items ?? []).map((r) => [r.id, r.name]));
    return { site_ids: siteNames, site_id: siteNames, role_id: roleNames };
  }, [sites.data, roles.data]);

  const filtered = Boolean(entity || action || actorId || fromDay || toDay);
  const items = log.data?.items ?? [];
  const total = log.data?.total ?? 0;

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <Card mb="lg" p="md">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
          <Select
            label={t('audit.filterEntity')}
            placeholder={t('audit.allEntities')}
            data={ENTITIES.map((e) => ({ value: e, label: entityName(e) }))}
            value={entity}
            onChange={(value) => update({ entity: value })}
            clearable
          />
          <Select
            label={t('audit.filterAction')}
            placeholder={t('audit.allActions')}
            data={ACTIONS.map((a) => ({ value: a, label: actionName(a) }))}
            value={action}
            onChange={(value) => update({ action: value })}
            clearable
          />
          {can(PERMISSIONS.usersRead) && (
            <Select
              label={t('audit.filterActor')}
              placeholder={t('audit.allActors')}
              data={(members.data?.items ?? []).map((m) => ({
                value: m.id,
                label: `${m.full_name} (${m.email})`,
              }))}
              value={actorId}
              onChange={(value) => update({ actor: value })}
              searchable
              clearable
              nothingFoundMessage={t('common.nothingFound')}
            />
          )}
          <DatePickerInput
            type="range"
            label={t('audit.filterPeriod')}
            placeholder={t('audit.anyPeriod')}
            value={[fromDay, toDay]}
            onChange={([from, to]) => {
              if (from && !to) return;
              update({ from: from ? String(from) : null, to: to ? String(to) : null });
            }}
            clearable
            allowSingleDateInRange
            valueFormat="D MMM YYYY"
            maxDate={new Date()}
          />
        </SimpleGrid>
        {filtered && (
          <Group justify="flex-end" mt="sm">
            <ResetFiltersButton onClick={() => reset()} />
          </Group>
        )}
      </Card>

      {log.isError && <QueryError error={log.error} onRetry={() => void log.refetch()} />}
      <Card p={0}>
        {log.isPending ? (
          <Stack p="lg" gap="md">
            {[0, 1, 2, 3, 4].map((i) => (
              <Skeleton key={i} h={18} />
            ))}
          </Stack>
        ) : items.length === 0 ? (
          <Empty
            py={48}
            icon={<IconHistory size={30} />}
            title={filtered ? t('audit.noMatch') : t('audit.empty')}
            description={filtered ? t('audit.noMatchText') : undefined}
          />
        ) : (
          <Table.ScrollContainer minWidth={860} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={190}>{t('audit.colWhen')}</Table.Th>
                  <Table.Th w={220}>{t('audit.colWho')}</Table.Th>
                  <Table.Th w={150}>{t('audit.colAction')}</Table.Th>
                  <Table.Th w={200}>{t('audit.colEntity')}</Table.Th>
                  <Table.Th>{t('audit.colChanges')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((entry) => (
                  <EntryRow key={entry.id} entry={entry} lookups={lookups} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <ListFooter
        total={total}
        page={page}
        countLabel={t('audit.count', { count: total })}
        onPage={(p) => update({ page: String(p) })}
      />
    </>
  );
}
