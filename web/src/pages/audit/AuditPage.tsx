// The audit log, read as sentences: who did what to which object, and what it changed, as
// labelled fields. Filters by element and action come from what the log holds
// (`GET /audit-log/kinds`), so every action can be found, even one this version does not name.
import {
  Avatar,
  Badge,
  Box,
  Button,
  Card,
  Collapse,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import {
  IconAdjustmentsHorizontal,
  IconHistory,
  IconSettingsAutomation,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AuditEntry } from '../../api/client';
import {
  useAllMembers,
  useAllSites,
  useAuditKinds,
  useAuditLog,
  usePermissionCatalogue,
  useRoles,
} from '../../api/queries';
import { useAuth, useMe } from '../../auth/context';
import { AuditChanges, AuditSentence } from '../../components/AuditEntry';
import { Empty } from '../../components/Empty';
import { ResetFiltersButton } from '../../components/ListControls';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import {
  actionColor,
  actionName,
  dayRangeToInstants,
  entityName,
  type Names,
} from '../../lib/audit';
import { formatDateTime, formatRelative, initials } from '../../lib/format';
import { PERMISSIONS } from '../../lib/permissions';
import { useUrlParams } from '../../lib/useUrlParams';

function EntryRow({ entry, names }: { entry: AuditEntry; names: Names }) {
  const { t, i18n } = useTranslation();
  const who = entry.actor_name ?? entry.actor_email ?? '';
  const at = formatDateTime(entry.at, i18n.language);
  return (
    <Box
      className="audit-entry"
      data-testid="audit-row"
      data-entity={entry.entity}
      data-action={entry.action}
      px={{ base: 'md', sm: 'lg' }}
      py="md"
    >
      <Group wrap="nowrap" align="flex-start" gap="md">
        {entry.actor_id ? (
          <Avatar size={34} radius="xl" color="gmao" visibleFrom="xs" aria-hidden>
            {initials(who)}
          </Avatar>
        ) : (
          <ThemeIcon
            size={34}
            radius="xl"
            variant="light"
            color="gray"
            visibleFrom="xs"
            aria-hidden
          >
            <IconSettingsAutomation size={18} />
          </ThemeIcon>
        )}
        <Box style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
            <AuditSentence entry={entry} names={names} />
            <Tooltip
              label={
                entry.request_id ? `${at} · ${t('audit.requestId', { id: entry.request_id })}` : at
              }
            >
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} mt={2}>
                {formatRelative(entry.at, i18n.language)}
              </Text>
            </Tooltip>
          </Group>
          <Group gap={8} mt={4} wrap="wrap" style={{ rowGap: 2 }}>
            <Badge
              size="sm"
              variant="light"
              radius="sm"
              color={actionColor(entry.action)}
              className="badge-nowrap"
            >
              {actionName(i18n, entry.action)}
            </Badge>
            <Text size="xs" c="dimmed">
              {entityName(i18n, entry.entity)} · {at}
              {entry.actor_email && entry.actor_name ? ` · ${entry.actor_email}` : ''}
            </Text>
          </Group>
          <AuditChanges entry={entry} names={names} />
        </Box>
      </Group>
    </Box>
  );
}

/** Names the entries' ids may need besides their own labels: sites, roles, permissions, the company. */
function useNames(): Names {
  const { can } = useAuth();
  const me = useMe();
  const sites = useAllSites(can(PERMISSIONS.sitesRead));
  const roles = useRoles(can(PERMISSIONS.rolesRead));
  const permissions = usePermissionCatalogue();
  return useMemo(() => {
    const names: Names = { [me.tenant.id]: me.tenant.name };
    for (const s of sites.data?.items ?? []) names[s.id] = `${s.code} — ${s.name}`;
    for (const r of roles.data?.items ?? []) names[r.id] = r.name;
    for (const p of permissions.data?.items ?? []) names[p.key] = p.description;
    return names;
  }, [me.tenant.id, me.tenant.name, sites.data, roles.data, permissions.data]);
}

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { params, update, reset, page } = useUrlParams();
  const entity = params.get('entity');
  const action = params.get('action');
  const actorId = params.get('actor');
  const fromDay = params.get('from');
  const toDay = params.get('to');
  const range = dayRangeToInstants(fromDay, toDay);

  const log = useAuditLog({ entity, action, actorId, from: range.from, to: range.to, page });
  const kinds = useAuditKinds();
  const members = useAllMembers(can(PERMISSIONS.usersRead));
  const names = useNames();

  // What the log holds: its elements, and the actions of the chosen one (of all, without).
  const pairs = kinds.data?.items ?? [];
  const byLabel = (a: { label: string }, b: { label: string }) =>
    a.label.localeCompare(b.label, i18n.language);
  const entityOptions = [...new Set([...pairs.map((k) => k.entity), ...(entity ? [entity] : [])])]
    .map((e) => ({ value: e, label: entityName(i18n, e) }))
    .sort(byLabel);
  const actions = pairs.filter((k) => !entity || k.entity === entity).map((k) => k.action);
  const actionOptions = [...new Set([...actions, ...(action ? [action] : [])])]
    .map((a) => ({ value: a, label: actionName(i18n, a) }))
    .sort(byLabel);

  const filtered = Boolean(entity || action || actorId || fromDay || toDay);
  // Phones: the entries first, the filters behind one button that counts those in use.
  const compact = useMediaQuery('(max-width: 48em)');
  const [showFilters, setShowFilters] = useState(false);
  const activeFilters = [entity, action, actorId, fromDay].filter(Boolean).length;
  const items = log.data?.items ?? [];
  const total = log.data?.total ?? 0;

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      {compact && (
        <Group justify="space-between" mb="md">
          <Button
            variant={showFilters || activeFilters > 0 ? 'light' : 'default'}
            leftSection={<IconAdjustmentsHorizontal size={16} />}
            onClick={() => setShowFilters((v) => !v)}
            aria-expanded={showFilters}
            aria-controls="audit-filters"
          >
            {t('common.filters', { count: activeFilters })}
          </Button>
          {filtered && <ResetFiltersButton onClick={() => reset()} />}
        </Group>
      )}
      <Collapse expanded={!compact || showFilters} id="audit-filters">
        <Card mb="lg" p="md">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
            <Select
              label={t('audit.filterEntity')}
              placeholder={t('audit.allEntities')}
              data={entityOptions}
              value={entity}
              onChange={(value) =>
                update({
                  entity: value,
                  // An action the new element never had would list nothing.
                  action:
                    action &&
                    (!value || pairs.some((k) => k.entity === value && k.action === action))
                      ? action
                      : null,
                })
              }
              searchable
              clearable
              nothingFoundMessage={t('common.nothingFound')}
            />
            <Select
              label={t('audit.filterAction')}
              placeholder={t('audit.allActions')}
              data={actionOptions}
              value={action}
              onChange={(value) => update({ action: value })}
              searchable
              clearable
              nothingFoundMessage={t('common.nothingFound')}
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
          {filtered && !compact && (
            <Group justify="flex-end" mt="sm">
              <ResetFiltersButton onClick={() => reset()} />
            </Group>
          )}
        </Card>
      </Collapse>

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
          <div data-testid="audit-list">
            {items.map((entry) => (
              <EntryRow key={entry.id} entry={entry} names={names} />
            ))}
          </div>
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
