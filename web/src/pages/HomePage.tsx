import {
  Anchor,
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import {
  IconAlarm,
  IconAlertTriangle,
  IconArrowRight,
  IconBuildingFactory,
  IconBuildingFactory2,
  IconCalendarRepeat,
  IconClipboardList,
  IconInbox,
  IconListCheck,
  IconMessageReport,
  IconRoute,
  IconTool,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import {
  NO_WORK_ORDER_FILTERS,
  useAuditLog,
  useRequests,
  useTenant,
  useWorkOrders,
} from '../api/queries';
import { useAuth, useMe } from '../auth/context';
import { PageHeader } from '../components/PageHeader';
import { QueryError } from '../components/QueryError';
import { RelativeTime } from '../components/RelativeTime';
import { entityLabel } from '../lib/audit';
import { formatNumber } from '../lib/format';
import { PERMISSIONS } from '../lib/permissions';

interface StatCardProps {
  label: string;
  value: number | undefined;
  icon: Icon;
  color: string;
  link?: { to: string; label: string } | null;
  /** A number that calls for attention when above zero (overdue work, waiting requests). */
  alert?: boolean;
}

function StatCard({ label, value, icon: CardIcon, color, link, alert }: StatCardProps) {
  const { i18n } = useTranslation();
  return (
    <Card component="section" aria-label={label} p={{ base: 'md', sm: 'lg' }}>
      <Group gap="sm" wrap="nowrap">
        <ThemeIcon size={38} radius="md" variant="light" color={color} aria-hidden>
          <CardIcon size={22} stroke={1.6} />
        </ThemeIcon>
        <Text size="sm" c="dimmed" fw={500} lh={1.3}>
          {label}
        </Text>
      </Group>
      {value === undefined ? (
        <Skeleton h={40} w={72} mt="md" />
      ) : (
        <Text
          fz={36}
          fw={700}
          lh={1.1}
          mt="md"
          data-testid="stat-value"
          c={alert && value > 0 ? `${color}.8` : undefined}
        >
          {formatNumber(value, i18n.language)}
        </Text>
      )}
      {link && (
        <Anchor component={Link} to={link.to} size="sm" mt="md" fw={500} w="fit-content">
          <Group gap={4}>
            {link.label}
            <IconArrowRight size={14} aria-hidden />
          </Group>
        </Anchor>
      )}
    </Card>
  );
}

function RecentActivity() {
  const { t, i18n } = useTranslation();
  const log = useAuditLog({
    entity: null,
    action: null,
    actorId: null,
    from: null,
    to: null,
    page: 1,
  });
  const label = (prefix: string, key: string) =>
    i18n.exists(`${prefix}.${key}`) ? t(`${prefix}.${key}`) : key;
  const entries = (log.data?.items ?? []).slice(0, 6);
  return (
    <Card mt="lg" component="section" aria-labelledby="recent-activity">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="lg" id="recent-activity">
          {t('home.recentTitle')}
        </Title>
        <Anchor component={Link} to="/audit" size="sm" fw={500}>
          <Group gap={4}>
            {t('home.seeAudit')}
            <IconArrowRight size={14} aria-hidden />
          </Group>
        </Anchor>
      </Group>
      {log.isPending ? (
        <Stack gap="sm">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={16} w={`${80 - i * 15}%`} />
          ))}
        </Stack>
      ) : log.isError ? (
        <QueryError error={log.error} onRetry={() => void log.refetch()} />
      ) : (
        <Stack gap={0}>
          {entries.map((entry) => {
            const name = entityLabel(entry.changes);
            return (
              <Group
                key={entry.id}
                justify="space-between"
                wrap="nowrap"
                py={8}
                style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
              >
                <Text size="sm" style={{ minWidth: 0 }} truncate>
                  <Text span fw={600}>
                    {entry.actor_name ?? t('audit.system')}
                  </Text>{' '}
                  <Text span c="dimmed">
                    · {label('auditActions', entry.action)} · {label('auditEntities', entry.entity)}
                  </Text>
                  {name && <Text span>{` · ${name}`}</Text>}
                </Text>
                <RelativeTime at={entry.at} style={{ flexShrink: 0 }} />
              </Group>
            );
          })}
        </Stack>
      )}
    </Card>
  );
}

export default function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const tenant = useTenant();
  const counts = tenant.data?.counts;
  const firstName = me.user.full_name.trim().split(/\s+/)[0] ?? me.user.full_name;
  const sitesLink = can(PERMISSIONS.sitesRead) ? { to: '/sites', label: t('home.seeSites') } : null;
  const canManageSites = can(PERMISSIONS.sitesManage) && me.site_scope == null;
  // A technician's own work, an operator's own requests: what they follow day to day.
  const showMyWork = can(PERMISSIONS.workOrdersExecute) && !can(PERMISSIONS.requestsApprove);
  const showMyRequests = can(PERMISSIONS.requestsCreate) && !can(PERMISSIONS.workOrdersRead);
  const myWork = useWorkOrders(
    {
      ...NO_WORK_ORDER_FILTERS,
      mine: true,
      statuses: ['assigned', 'in_progress', 'on_hold'],
      perPage: 1,
    },
    showMyWork,
  );
  const myRequests = useRequests(
    {
      status: 'submitted',
      mine: true,
      equipmentId: null,
      sort: '-created_at',
      page: 1,
      perPage: 1,
    },
    showMyRequests,
  );
  // Preventive work past its due date: a missed one is a machine that breaks.
  const overduePreventive = useWorkOrders(
    { ...NO_WORK_ORDER_FILTERS, type: 'preventive', overdue: true, perPage: 1 },
    can(PERMISSIONS.workOrdersRead),
  );
  const maintenanceCards = [
    showMyWork && (
      <StatCard
        key="mine"
        label={t('home.myWork')}
        value={myWork.data?.total}
        icon={IconListCheck}
        color="teal"
        link={{ to: '/my-work', label: t('home.seeMyWork') }}
      />
    ),
    showMyRequests && (
      <StatCard
        key="my-requests"
        label={t('home.myRequests')}
        value={myRequests.data?.total}
        icon={IconMessageReport}
        color="orange"
        link={{ to: '/requests', label: t('home.seeMyRequests') }}
      />
    ),
    can(PERMISSIONS.workOrdersRead) && (
      <StatCard
        key="open"
        label={t('home.openWorkOrders')}
        value={counts?.open_work_orders}
        icon={IconClipboardList}
        color="blue"
        link={{
          to: '/work-orders?status=open,assigned,in_progress,on_hold',
          label: t('home.seeWorkOrders'),
        }}
      />
    ),
    can(PERMISSIONS.workOrdersRead) && (
      <StatCard
        key="overdue"
        label={t('home.overdueWorkOrders')}
        value={counts?.overdue_work_orders}
        icon={IconAlarm}
        color="red"
        alert
        link={{ to: '/work-orders?overdue=1', label: t('home.seeOverdue') }}
      />
    ),
    can(PERMISSIONS.workOrdersRead) && (
      <StatCard
        key="overdue-preventive"
        label={t('home.overduePreventive')}
        value={overduePreventive.data?.total}
        icon={IconCalendarRepeat}
        color="red"
        alert
        link={{
          to: '/work-orders?type=preventive&overdue=1',
          label: t('home.seeOverduePreventive'),
        }}
      />
    ),
    can(PERMISSIONS.requestsApprove) && (
      <StatCard
        key="pending"
        label={t('home.pendingRequests')}
        value={counts?.pending_requests}
        icon={IconInbox}
        color="orange"
        alert
        link={{ to: '/requests/inbox', label: t('home.seeInbox') }}
      />
    ),
    can(PERMISSIONS.equipmentRead) && (
      <StatCard
        key="equipment"
        label={t('home.equipment')}
        value={counts?.equipment}
        icon={IconTool}
        color="grape"
        link={{ to: '/equipment', label: t('home.seeEquipment') }}
      />
    ),
  ].filter(Boolean);

  return (
    <>
      <PageHeader
        title={t('home.title')}
        description={t('home.greeting', { name: firstName, company: me.tenant.name })}
        actions={
          can(PERMISSIONS.requestsCreate) && (
            <Button
              component={Link}
              to="/requests/new"
              color="red"
              leftSection={<IconAlertTriangle size={18} />}
            >
              {t('nav.reportFailure')}
            </Button>
          )
        }
      />
      {tenant.isError && <QueryError error={tenant.error} onRetry={() => void tenant.refetch()} />}
      {/* The maintenance at a glance: each card only for those who may follow its link. */}
      {maintenanceCards.length > 0 && (
        <SimpleGrid
          cols={{ base: 2, lg: maintenanceCards.length >= 5 ? 5 : 4 }}
          spacing={{ base: 'sm', sm: 'lg' }}
          mb={{ base: 'sm', sm: 'lg' }}
          data-testid="maintenance-cards"
        >
          {maintenanceCards}
        </SimpleGrid>
      )}
      {/* A grid: later releases add their widgets here. */}
      <SimpleGrid cols={{ base: 2, lg: 4 }} spacing={{ base: 'sm', sm: 'lg' }}>
        <StatCard
          label={t('home.sites')}
          value={counts?.sites}
          icon={IconBuildingFactory2}
          color="gmao"
          link={sitesLink}
        />
        <StatCard
          label={t('home.plants')}
          value={counts?.plants}
          icon={IconBuildingFactory}
          color="violet"
          link={sitesLink}
        />
        <StatCard
          label={t('home.lines')}
          value={counts?.production_lines}
          icon={IconRoute}
          color="teal"
          link={sitesLink}
        />
        <StatCard
          label={t('home.members')}
          value={counts?.members}
          icon={IconUsers}
          color="orange"
          link={can(PERMISSIONS.usersRead) ? { to: '/users', label: t('home.seeMembers') } : null}
        />
      </SimpleGrid>
      {can(PERMISSIONS.auditRead) && !(counts && counts.sites === 0 && canManageSites) && (
        <RecentActivity />
      )}
      {counts && counts.sites === 0 && canManageSites && (
        <Card
          mt="xl"
          bg="var(--mantine-color-gmao-0)"
          style={{ borderColor: 'var(--mantine-color-gmao-2)' }}
        >
          <Group justify="space-between" gap="md">
            <Stack gap={4} maw={560}>
              <Title order={2} fz="lg">
                {t('home.startTitle')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('home.startText')}
              </Text>
            </Stack>
            <Button
              component={Link}
              to="/sites?new=site"
              rightSection={<IconArrowRight size={16} />}
            >
              {t('home.startButton')}
            </Button>
          </Group>
        </Card>
      )}
    </>
  );
}
