import {
  ActionIcon,
  Avatar,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconCoin,
  IconDots,
  IconMailForward,
  IconPencil,
  IconPlayerPlay,
  IconUserOff,
  IconUserPlus,
  IconUsers,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call, type Member } from '../../api/client';
import { useAllSites, useInvitations, useLabour, useMembers, useRoles } from '../../api/queries';
import { useAuth, useMe } from '../../auth/context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty } from '../../components/Empty';
import { SearchInput } from '../../components/ListControls';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatRelative, initials } from '../../lib/format';
import { formatHours, formatMoney } from '../../lib/kpis';
import { PERMISSIONS } from '../../lib/permissions';
import { useListParams } from '../../lib/useUrlParams';
import { InvitationsPanel } from './InvitationsPanel';
import { LabourSettings } from './LabourSettings';
import { MemberFormModal } from './MemberForm';

type StatusFilter = 'all' | 'active' | 'inactive';
type View = 'members' | 'invitations' | 'labour';

function parseView(value: string | null, manage: boolean): View {
  if (value === 'invitations') return value;
  // The company's labour costs are for those who manage members.
  if (value === 'labour' && manage) return value;
  return 'members';
}

function parseStatus(value: string | null): StatusFilter {
  return value === 'active' || value === 'inactive' ? value : 'all';
}

export default function UsersPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const manage = can(PERMISSIONS.usersManage);
  // The company's labour costs price every site: for managers who see every site.
  const managesCosts = manage && (me.site_scope ?? null) === null;
  const queryClient = useQueryClient();
  const { params, update, page, q, search, onSearch } = useListParams();
  const view = parseView(params.get('view'), managesCosts);
  const pendingCount = useInvitations('pending').data?.total ?? 0;
  const roleId = params.get('role');
  const status = parseStatus(params.get('status'));

  const members = useMembers({
    q,
    roleId,
    active: status === 'all' ? null : status === 'active',
    page,
  });
  const roles = useRoles(can(PERMISSIONS.rolesRead) || manage);
  const sites = useAllSites();
  // The currency of members' own rates.
  const labour = useLabour(managesCosts);
  const currency = labour.data?.currency ?? null;
  const siteNames = new Map((sites.data?.items ?? []).map((s) => [s.id, s.name]));

  const [editing, setEditing] = useState<Member | null>(null);
  const [adding, setAdding] = useState(false);
  const [toggling, setToggling] = useState<Member | null>(null);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['users'] }),
      queryClient.invalidateQueries({ queryKey: ['invitations'] }),
      queryClient.invalidateQueries({ queryKey: ['roles'] }),
      queryClient.invalidateQueries({ queryKey: ['tenant'] }),
      queryClient.invalidateQueries({ queryKey: ['audit'] }),
    ]);

  const setActive = async (member: Member, active: boolean) => {
    await call(api.PATCH('/users/{id}', { params: { path: { id: member.id } }, body: { active } }));
    await refresh();
    notifications.show({
      color: 'teal',
      message: t(active ? 'users.reactivated' : 'users.deactivated', { name: member.full_name }),
    });
  };

  const roleOptions = (roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }));
  const items = members.data?.items ?? [];
  const total = members.data?.total ?? 0;
  const filtered = q !== '' || roleId !== null || status !== 'all';

  // A member's own weekly hours and rate, when they have their own (else the company's apply).
  const ownLabour = (member: Member) => {
    const parts: string[] = [];
    if (member.weekly_capacity_hours != null) {
      parts.push(
        t('users.labour.ownHours', {
          hours: formatHours(member.weekly_capacity_hours, i18n.language),
        }),
      );
    }
    if (member.hourly_rate != null && currency) {
      parts.push(
        t('users.labour.ownRate', {
          rate: formatMoney(member.hourly_rate, currency, i18n.language),
        }),
      );
    }
    if (parts.length === 0) return null;
    return (
      <Text
        size="xs"
        c="dimmed"
        mt={4}
        title={t('users.labour.ownHint')}
        data-testid="member-labour"
      >
        {parts.join(' · ')}
      </Text>
    );
  };

  const sitesLabel = (member: Member) => {
    if (member.site_ids == null) return <Text size="sm">{t('common.allSites')}</Text>;
    if (member.site_ids.length === 0)
      return (
        <Text size="sm" c="dimmed">
          {t('common.noSite')}
        </Text>
      );
    return (
      <Group gap={4}>
        {member.site_ids.slice(0, 3).map((id) => (
          <Badge key={id} variant="outline" color="gray" radius="sm" tt="none">
            {siteNames.get(id) ?? t('users.unknownSite')}
          </Badge>
        ))}
        {member.site_ids.length > 3 && (
          <Text size="xs" c="dimmed">
            {t('users.moreSites', { count: member.site_ids.length - 3 })}
          </Text>
        )}
      </Group>
    );
  };

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.description')}
        actions={
          manage && (
            <Button leftSection={<IconUserPlus size={18} />} onClick={() => setAdding(true)}>
              {t('users.add')}
            </Button>
          )
        }
      />
      <Tabs value={view} onChange={(value) => update({ view: value === 'members' ? null : value })}>
        <Tabs.List mb="md">
          <Tabs.Tab value="members" leftSection={<IconUsers size={16} aria-hidden />}>
            {t('users.tabMembers')}
          </Tabs.Tab>
          <Tabs.Tab
            value="invitations"
            leftSection={<IconMailForward size={16} aria-hidden />}
            rightSection={
              pendingCount > 0 ? (
                <Badge size="sm" circle variant="light" aria-hidden>
                  {pendingCount}
                </Badge>
              ) : undefined
            }
          >
            {t('users.tabInvitations')}
          </Tabs.Tab>
          {managesCosts && (
            <Tabs.Tab value="labour" leftSection={<IconCoin size={16} aria-hidden />}>
              {t('users.tabLabour')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="members">
          <Card mb="lg" p="md">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <SearchInput
                label={t('users.search')}
                placeholder={t('users.searchPlaceholder')}
                value={search}
                onChange={onSearch}
              />
              <Select
                label={t('users.filterRole')}
                placeholder={t('users.allRoles')}
                data={roleOptions}
                value={roleId}
                onChange={(value) => update({ role: value })}
                clearable
              />
              <Select
                label={t('users.filterStatus')}
                data={[
                  { value: 'all', label: t('users.statusAll') },
                  { value: 'active', label: t('users.statusActive') },
                  { value: 'inactive', label: t('users.statusInactive') },
                ]}
                value={status}
                allowDeselect={false}
                onChange={(value) => update({ status: value === 'all' ? null : value })}
              />
            </SimpleGrid>
          </Card>

          {members.isError && (
            <QueryError error={members.error} onRetry={() => void members.refetch()} />
          )}
          <Card p={0}>
            {members.isPending ? (
              <Stack p="lg" gap="md">
                {[0, 1, 2, 3].map((i) => (
                  <Group key={i} gap="sm">
                    <Skeleton h={36} w={36} circle />
                    <Stack gap={6} style={{ flex: 1 }}>
                      <Skeleton h={12} w="30%" />
                      <Skeleton h={10} w="20%" />
                    </Stack>
                  </Group>
                ))}
              </Stack>
            ) : items.length === 0 ? (
              <Empty
                py={48}
                icon={<IconUsers size={30} />}
                title={filtered ? t('users.noMatch') : t('users.empty')}
                description={filtered ? t('users.noMatchText') : undefined}
              />
            ) : (
              <Table.ScrollContainer minWidth={760} type="native">
                <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('users.colMember')}</Table.Th>
                      <Table.Th>{t('users.colRole')}</Table.Th>
                      <Table.Th>{t('users.colSites')}</Table.Th>
                      <Table.Th>{t('users.colStatus')}</Table.Th>
                      <Table.Th>{t('users.colLastLogin')}</Table.Th>
                      {manage && (
                        <Table.Th w={56}>
                          <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                        </Table.Th>
                      )}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((member) => {
                      const self = member.id === me.user.id;
                      return (
                        <Table.Tr
                          key={member.id}
                          data-testid="member-row"
                          opacity={member.active ? 1 : 0.65}
                        >
                          <Table.Td>
                            <Group gap="sm" wrap="nowrap">
                              <Avatar radius="xl" color={member.active ? 'gmao' : 'gray'} size={36}>
                                {initials(member.full_name)}
                              </Avatar>
                              <div style={{ minWidth: 0 }}>
                                <Group gap={6} wrap="nowrap">
                                  <Text size="sm" fw={600} truncate>
                                    {member.full_name}
                                  </Text>
                                  {self && (
                                    <Badge size="xs" variant="light" color="gray">
                                      {t('common.you')}
                                    </Badge>
                                  )}
                                </Group>
                                <Text size="xs" c="dimmed" truncate>
                                  {member.email}
                                </Text>
                              </div>
                            </Group>
                          </Table.Td>
                          <Table.Td>
                            <Badge variant="light" tt="none" radius="sm">
                              {member.role.name}
                            </Badge>
                            {ownLabour(member)}
                          </Table.Td>
                          <Table.Td>{sitesLabel(member)}</Table.Td>
                          <Table.Td>
                            <Badge color={member.active ? 'teal' : 'gray'} variant="dot" tt="none">
                              {member.active ? t('users.active') : t('users.inactive')}
                            </Badge>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm" c="dimmed">
                              {member.last_login_at
                                ? formatRelative(member.last_login_at, i18n.language)
                                : t('users.never')}
                            </Text>
                          </Table.Td>
                          {manage && (
                            <Table.Td>
                              {self ? (
                                <Tooltip label={t('users.selfHint')}>
                                  <ActionIcon
                                    variant="subtle"
                                    color="gray"
                                    disabled
                                    aria-label={t('users.selfHint')}
                                  >
                                    <IconDots size={18} />
                                  </ActionIcon>
                                </Tooltip>
                              ) : (
                                <Menu position="bottom-end" withinPortal>
                                  <Menu.Target>
                                    <ActionIcon
                                      variant="subtle"
                                      color="gray"
                                      aria-label={t('users.actionsFor', { name: member.full_name })}
                                    >
                                      <IconDots size={18} />
                                    </ActionIcon>
                                  </Menu.Target>
                                  <Menu.Dropdown>
                                    <Menu.Item
                                      leftSection={<IconPencil size={16} />}
                                      onClick={() => setEditing(member)}
                                    >
                                      {t('users.edit')}
                                    </Menu.Item>
                                    {member.active ? (
                                      <Menu.Item
                                        color="red"
                                        leftSection={<IconUserOff size={16} />}
                                        onClick={() => setToggling(member)}
                                      >
                                        {t('users.deactivate')}
                                      </Menu.Item>
                                    ) : (
                                      <Menu.Item
                                        leftSection={<IconPlayerPlay size={16} />}
                                        onClick={() => setToggling(member)}
                                      >
                                        {t('users.reactivate')}
                                      </Menu.Item>
                                    )}
                                  </Menu.Dropdown>
                                </Menu>
                              )}
                            </Table.Td>
                          )}
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
          <ListFooter
            total={total}
            page={page}
            countLabel={t('users.count', { count: total })}
            onPage={(p) => update({ page: String(p) })}
          />
        </Tabs.Panel>
        <Tabs.Panel value="invitations">
          {view === 'invitations' && <InvitationsPanel />}
        </Tabs.Panel>
        {manage && (
          <Tabs.Panel value="labour">{view === 'labour' && <LabourSettings />}</Tabs.Panel>
        )}
      </Tabs>

      <MemberFormModal
        opened={adding || editing !== null}
        member={editing}
        roles={roles.data?.items ?? []}
        sites={sites.data?.items ?? []}
        onClose={() => {
          setAdding(false);
          setEditing(null);
        }}
        onSaved={(saved) => {
          void refresh();
          switch (saved.kind) {
            case 'updated':
              notifications.show({
                color: 'teal',
                message: t('users.saved', { name: saved.member.full_name }),
              });
              break;
            case 'created':
              notifications.show({
                color: 'teal',
                title: t('users.createdTitle', { name: saved.member.full_name }),
                message: t('users.createdText'),
                autoClose: 10_000,
              });
              break;
            case 'invited':
              notifications.show({
                color: 'teal',
                title: t('users.invitedTitle', { email: saved.email }),
                message: saved.instead ? t('users.invitedInstead') : t('users.invitedText'),
                autoClose: saved.instead ? 10_000 : 6_000,
              });
              break;
            case 'resent':
              notifications.show({
                color: 'teal',
                message: t('invitations.resent', { email: saved.email }),
              });
              break;
          }
        }}
      />
      <ConfirmDialog
        opened={toggling !== null}
        title={toggling?.active ? t('users.deactivateTitle') : t('users.reactivateTitle')}
        message={
          toggling?.active
            ? t('users.deactivateText', { name: toggling.full_name })
            : t('users.reactivateText', { name: toggling?.full_name ?? '' })
        }
        confirmLabel={toggling?.active ? t('users.deactivate') : t('users.reactivate')}
        danger={toggling?.active ?? false}
        onConfirm={() => (toggling ? setActive(toggling, !toggling.active) : Promise.resolve())}
        onClose={() => setToggling(null)}
      />
    </>
  );
}
