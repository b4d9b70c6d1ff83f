// Each person's home: their own work first, from what they may do (`lib/home.ts`). An operator
// reports a failure and follows their requests; a technician sees today's and overdue work; a
// supervisor the inbox, overdue orders, equipment down and today's preventive work; an
// administrator the company's set-up and people; a viewer a read-only overview.
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import {
  IconAlarm,
  IconAlertTriangle,
  IconArrowRight,
  IconBuildingFactory,
  IconBuildingFactory2,
  IconCalendarDue,
  IconCalendarRepeat,
  IconClipboardList,
  IconInbox,
  IconListCheck,
  IconMailForward,
  IconMessageReport,
  IconMoodSmile,
  IconRoute,
  IconTool,
  IconUsers,
} from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { WorkOrder, WorkOrderStatus } from '../api/client';
import {
  NO_EQUIPMENT_FILTERS,
  NO_WORK_ORDER_FILTERS,
  useAuditLog,
  useEquipmentList,
  useInvitationCount,
  useRequests,
  useTenant,
  useWorkOrders,
} from '../api/queries';
import { useAuth, useMe } from '../auth/context';
import { AuditSentence } from '../components/AuditEntry';
import { Empty } from '../components/Empty';
import { PageHeader } from '../components/PageHeader';
import { QueryError } from '../components/QueryError';
import { RelativeTime } from '../components/RelativeTime';
import { homeSections, todayRange } from '../lib/home';
import { PERMISSIONS } from '../lib/permissions';
import { EquipmentRow, OrderRow, Panel, RequestRow, StatTile } from './home/HomeParts';
import { RequestCard } from './requests/RequestCard';
import { WorkOrderCard } from './workOrders/WorkOrderCard';

/** Work still to do (what "my work" lists). */
const TO_DO: WorkOrderStatus[] = ['assigned', 'in_progress', 'on_hold'];
/** Work not finished, assigned or not. */
const NOT_DONE: WorkOrderStatus[] = ['open', ...TO_DO];

function SectionTitle({ id, children }: { id: string; children: ReactNode }) {
  return (
    <Title order={2} fz="lg" id={id} mb="sm">
      {children}
    </Title>
  );
}

// ---- An operator: the big button, then their requests and what became of them.

function MyRequests() {
  const { t } = useTranslation();
  const list = useRequests({
    status: null,
    mine: true,
    equipmentId: null,
    sort: '-created_at',
    page: 1,
    perPage: 5,
  });
  const waiting = useRequests({
    status: 'submitted',
    mine: true,
    equipmentId: null,
    sort: '-created_at',
    page: 1,
    perPage: 1,
  });
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const waitingCount = waiting.data?.total ?? 0;
  return (
    <Stack gap="lg" mb="xl">
      <Card
        bg="var(--mantine-color-red-0)"
        style={{ borderColor: 'var(--mantine-color-red-2)' }}
        p={{ base: 'md', sm: 'lg' }}
      >
        <Group justify="space-between" gap="md" wrap="wrap">
          <Text size="md" maw={520} style={{ flex: '1 1 260px' }}>
            {t('home.reportHelp')}
          </Text>
          <Button
            component={Link}
            to="/requests/new"
            color="red"
            size="xl"
            h={64}
            leftSection={<IconAlertTriangle size={26} />}
            style={{ flex: '1 1 260px', maxWidth: 420 }}
            data-testid="report-failure"
          >
            {t('nav.reportFailure')}
          </Button>
        </Group>
      </Card>
      <section aria-labelledby="my-requests-title" data-testid="home-my-requests">
        <Group justify="space-between" align="baseline" gap="sm" mb="sm">
          <Title order={2} fz="lg" id="my-requests-title">
            {t('home.myRequestsTitle')}
          </Title>
          {waitingCount > 0 && (
            <Badge variant="light" color="blue" size="lg">
              {t('home.myRequestsWaiting', { count: waitingCount })}
            </Badge>
          )}
        </Group>
        {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        {list.isPending ? (
          <Stack gap="sm">
            {[0, 1].map((i) => (
              <Skeleton key={i} h={110} />
            ))}
          </Stack>
        ) : items.length === 0 ? (
          <Card>
            <Empty
              py={32}
              icon={<IconMessageReport size={30} />}
              title={t('requests.emptyMine')}
              description={t('requests.emptyMineText')}
            />
          </Card>
        ) : (
          <Stack gap="sm" maw={880}>
            {items.map((request) => (
              <RequestCard key={request.id} request={request} />
            ))}
            {total > items.length && (
              <Button
                component={Link}
                to="/requests"
                variant="light"
                rightSection={<IconArrowRight size={16} />}
                w={{ base: '100%', sm: 'fit-content' }}
              >
                {t('home.seeAllMyRequests')} ({total})
              </Button>
            )}
          </Stack>
        )}
      </section>
    </Stack>
  );
}

// ---- A technician: what is late and what is due today, then the way to all their work.

function OrderGroup({
  title,
  orders,
  total,
  more,
  testId,
}: {
  title: string;
  orders: WorkOrder[];
  total: number;
  more: string;
  testId: string;
}) {
  if (orders.length === 0) return null;
  return (
    <section aria-label={title} data-testid={testId}>
      <Title order={3} fz="sm" c="dimmed" tt="uppercase" fw={700} mb="xs" lts={0.4}>
        {title} · {total}
      </Title>
      <Stack gap="sm">
        {orders.map((order) => (
          <WorkOrderCard key={order.id} order={order} />
        ))}
        {total > orders.length && (
          <Anchor component={Link} to="/my-work" size="sm">
            {more}
          </Anchor>
        )}
      </Stack>
    </section>
  );
}

function MyDay() {
  const { t } = useTranslation();
  // Fixed at the first render: the queries' keys must not change with the clock.
  const [today] = useState(() => ({ ...todayRange(), now: new Date().toISOString() }));
  const overdue = useWorkOrders({
    ...NO_WORK_ORDER_FILTERS,
    mine: true,
    overdue: true,
    sort: 'due_at',
    perPage: 5,
  });
  // The rest of the day: what is due from now to midnight (what is past due is above).
  const dueToday = useWorkOrders({
    ...NO_WORK_ORDER_FILTERS,
    mine: true,
    statuses: TO_DO,
    dueFrom: today.now,
    dueTo: today.to,
    sort: 'due_at',
    perPage: 5,
  });
  const all = useWorkOrders({ ...NO_WORK_ORDER_FILTERS, mine: true, statuses: TO_DO, perPage: 1 });
  const late = overdue.data?.items ?? [];
  const lateIds = new Set(late.map((o) => o.id));
  const todays = (dueToday.data?.items ?? []).filter((o) => !lateIds.has(o.id));
  const loading = overdue.isPending || dueToday.isPending;
  const error = overdue.error ?? dueToday.error;
  return (
    <Stack gap="lg" mb="xl" data-testid="home-my-day">
      <SimpleGrid cols={3} spacing={{ base: 'xs', sm: 'lg' }}>
        <StatTile
          label={t('home.overdue')}
          value={overdue.data?.total}
          icon={IconAlarm}
          color="red"
          alert
        />
        <StatTile
          label={t('home.today')}
          value={dueToday.data?.total}
          icon={IconCalendarDue}
          color="blue"
        />
        <StatTile
          label={t('home.allMyWork')}
          value={all.data?.total}
          icon={IconListCheck}
          color="teal"
        />
      </SimpleGrid>
      <section aria-labelledby="my-day-title">
        <SectionTitle id="my-day-title">{t('home.myDayTitle')}</SectionTitle>
        {error && (
          <QueryError
            error={error}
            onRetry={() => {
              void overdue.refetch();
              void dueToday.refetch();
            }}
          />
        )}
        {loading ? (
          <Stack gap="sm">
            {[0, 1].map((i) => (
              <Skeleton key={i} h={130} />
            ))}
          </Stack>
        ) : late.length === 0 && todays.length === 0 ? (
          <Card>
            <Empty
              py={32}
              icon={<IconMoodSmile size={30} />}
              color="teal"
              title={t('home.nothingToday')}
              description={t('home.nothingTodayText')}
            />
          </Card>
        ) : (
          <Stack gap="lg">
            <OrderGroup
              title={t('home.overdue')}
              orders={late}
              total={overdue.data?.total ?? late.length}
              more={t('home.moreOverdue', {
                count: (overdue.data?.total ?? 0) - late.length,
              })}
              testId="home-overdue"
            />
            <OrderGroup
              title={t('home.today')}
              orders={todays}
              total={dueToday.data?.total ?? todays.length}
              more={t('home.moreToday', {
                count: (dueToday.data?.total ?? 0) - todays.length,
              })}
              testId="home-today"
            />
          </Stack>
        )}
        <Button
          component={Link}
          to="/my-work"
          variant="light"
          mt="md"
          rightSection={<IconArrowRight size={16} />}
          w={{ base: '100%', sm: 'fit-content' }}
        >
          {t('home.seeMyWork')}
          {all.data ? ` (${all.data.total})` : ''}
        </Button>
      </section>
    </Stack>
  );
}

// ---- A supervisor (and, read-only, a viewer): what needs a decision or is going wrong.

function Supervision({ overview }: { overview: boolean }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [today] = useState(todayRange);
  const approve = !overview && can(PERMISSIONS.requestsApprove);
  const orders = can(PERMISSIONS.workOrdersRead);
  const equipment = can(PERMISSIONS.equipmentRead);
  const pending = useRequests(
    {
      status: 'submitted',
      mine: false,
      equipmentId: null,
      sort: '-urgency',
      page: 1,
      perPage: 4,
    },
    approve,
  );
  const open = useWorkOrders(
    { ...NO_WORK_ORDER_FILTERS, statuses: NOT_DONE, sort: '-priority', perPage: 4 },
    orders && overview,
  );
  const overdue = useWorkOrders(
    { ...NO_WORK_ORDER_FILTERS, overdue: true, sort: 'due_at', perPage: 4 },
    orders,
  );
  const down = useEquipmentList(
    { ...NO_EQUIPMENT_FILTERS, status: 'broken', sort: '-criticality', perPage: 4 },
    equipment,
  );
  const inMaintenance = useEquipmentList(
    { ...NO_EQUIPMENT_FILTERS, status: 'in_maintenance', perPage: 1 },
    equipment,
  );
  const preventive = useWorkOrders(
    {
      ...NO_WORK_ORDER_FILTERS,
      type: 'preventive',
      statuses: NOT_DONE,
      dueFrom: today.from,
      dueTo: today.to,
      sort: 'due_at',
      perPage: 4,
    },
    orders && !overview,
  );
  const preventiveLate = useWorkOrders(
    { ...NO_WORK_ORDER_FILTERS, type: 'preventive', overdue: true, perPage: 1 },
    orders && !overview,
  );
  const maintenanceCount = inMaintenance.data?.total ?? 0;
  const lateCount = preventiveLate.data?.total ?? 0;
  const preventiveLink = new URLSearchParams({
    type: 'preventive',
    status: NOT_DONE.join(','),
    due_from: today.day,
    due_to: today.day,
    sort: 'due_at',
  });

  const panels = [
    approve && (
      <Panel
        key="pending"
        testId="panel-pending"
        title={t('home.pendingRequests')}
        icon={IconInbox}
        color="orange"
        alert
        total={pending.data?.total}
        items={pending.data?.items ?? []}
        loading={pending.isPending}
        empty={t('home.nothingPending')}
        link={{ to: '/requests/inbox', label: t('home.seeInbox') }}
        renderItem={(request) => <RequestRow key={request.id} request={request} />}
      />
    ),
    orders && overview && (
      <Panel
        key="open"
        testId="panel-open"
        title={t('home.openWorkOrders')}
        icon={IconClipboardList}
        color="blue"
        total={open.data?.total}
        items={open.data?.items ?? []}
        loading={open.isPending}
        empty={t('home.nothingOpen')}
        link={{
          to: `/work-orders?status=${NOT_DONE.join(',')}`,
          label: t('home.seeWorkOrders'),
        }}
        renderItem={(order) => <OrderRow key={order.id} order={order} />}
      />
    ),
    orders && (
      <Panel
        key="overdue"
        testId="panel-overdue"
        title={t('home.overdueWorkOrders')}
        icon={IconAlarm}
        color="red"
        alert
        total={overdue.data?.total}
        items={overdue.data?.items ?? []}
        loading={overdue.isPending}
        empty={t('home.nothingOverdue')}
        link={{ to: '/work-orders?overdue=1&sort=due_at', label: t('home.seeOverdue') }}
        renderItem={(order) => <OrderRow key={order.id} order={order} />}
      />
    ),
    equipment && (
      <Panel
        key="down"
        testId="panel-down"
        title={t('home.equipmentDown')}
        icon={IconTool}
        color="red"
        alert
        total={down.data?.total}
        items={down.data?.items ?? []}
        loading={down.isPending}
        empty={t('home.nothingDown')}
        link={{ to: '/equipment?status=broken', label: t('home.seeDown') }}
        footer={
          maintenanceCount > 0 && (
            <Anchor component={Link} to="/equipment?status=in_maintenance" size="xs" c="dimmed">
              {t('home.inMaintenance', { count: maintenanceCount })}
            </Anchor>
          )
        }
        renderItem={(item) => <EquipmentRow key={item.id} equipment={item} />}
      />
    ),
    orders && !overview && (
      <Panel
        key="preventive"
        testId="panel-preventive"
        title={t('home.preventiveToday')}
        icon={IconCalendarRepeat}
        color="teal"
        total={preventive.data?.total}
        items={preventive.data?.items ?? []}
        loading={preventive.isPending}
        empty={t('home.nothingPreventive')}
        link={{ to: `/work-orders?${preventiveLink.toString()}`, label: t('home.seePreventive') }}
        footer={
          lateCount > 0 && (
            <Anchor
              component={Link}
              to="/work-orders?type=preventive&overdue=1&sort=due_at"
              size="xs"
              c="red.8"
              fw={600}
            >
              {t('home.preventiveOverdue', { count: lateCount })}
            </Anchor>
          )
        }
        renderItem={(order) => <OrderRow key={order.id} order={order} />}
      />
    ),
  ].filter(Boolean);
  if (panels.length === 0) return null;
  return (
    <SimpleGrid
      cols={{ base: 1, md: 2 }}
      spacing={{ base: 'md', sm: 'lg' }}
      mb="xl"
      data-testid="home-panels"
    >
      {panels}
    </SimpleGrid>
  );
}

// ---- An administrator: the company's set-up and people.

function Company({ manage }: { manage: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const tenant = useTenant();
  const counts = tenant.data?.counts;
  const invitations = useInvitationCount(
    'pending',
    manage && can(PERMISSIONS.usersManage) && can(PERMISSIONS.usersRead),
  );
  const sitesLink = can(PERMISSIONS.sitesRead) ? { to: '/sites', label: t('home.seeSites') } : null;
  const membersLink = can(PERMISSIONS.usersRead)
    ? { to: '/users', label: t('home.seeMembers') }
    : null;
  const showInvitations = manage && can(PERMISSIONS.usersManage) && can(PERMISSIONS.usersRead);
  const start = counts?.sites === 0 && can(PERMISSIONS.sitesManage) && me.site_scope == null;
  return (
    <section aria-labelledby="company-title" data-testid="home-company">
      <SectionTitle id="company-title">{t('home.companyTitle')}</SectionTitle>
      {tenant.isError && <QueryError error={tenant.error} onRetry={() => void tenant.refetch()} />}
      <SimpleGrid
        cols={{ base: 2, sm: 3, lg: showInvitations ? 5 : 4 }}
        spacing={{ base: 'xs', sm: 'lg' }}
        mb="xl"
      >
        <StatTile
          label={t('home.sites')}
          value={counts?.sites}
          icon={IconBuildingFactory2}
          color="gmao"
          link={sitesLink}
        />
        <StatTile
          label={t('home.plants')}
          value={counts?.plants}
          icon={IconBuildingFactory}
          color="violet"
          link={sitesLink}
        />
        <StatTile
          label={t('home.lines')}
          value={counts?.production_lines}
          icon={IconRoute}
          color="teal"
          link={sitesLink}
        />
        <StatTile
          label={t('home.members')}
          value={counts?.members}
          icon={IconUsers}
          color="orange"
          link={membersLink}
        />
        {showInvitations && (
          <StatTile
            label={t('home.invitations')}
            value={invitations.data?.total}
            icon={IconMailForward}
            color="grape"
            link={{ to: '/users', label: t('home.seeInvitations') }}
          />
        )}
      </SimpleGrid>
      {start && (
        <Card
          mb="xl"
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
    </section>
  );
}

function RecentActivity() {
  const { t } = useTranslation();
  const me = useMe();
  const log = useAuditLog({
    entity: null,
    action: null,
    actorId: null,
    from: null,
    to: null,
    page: 1,
    perPage: 6,
  });
  const entries = (log.data?.items ?? []).slice(0, 6);
  return (
    <Card component="section" aria-labelledby="recent-activity">
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
          {entries.map((entry) => (
            <Group
              key={entry.id}
              justify="space-between"
              wrap="nowrap"
              align="flex-start"
              gap="sm"
              py={8}
              style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
            >
              <AuditSentence entry={entry} names={{ [me.tenant.id]: me.tenant.name }} />
              <RelativeTime at={entry.at} style={{ flexShrink: 0, marginTop: 2 }} />
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

export default function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const sections = homeSections(me.permissions);
  const firstName = me.user.full_name.trim().split(/\s+/)[0] ?? me.user.full_name;
  const ownWork = sections.myRequests || sections.myWork || sections.supervision;
  // Someone with none of these (a custom role reading sites, say) still sees the company.
  const company = sections.setup || !(ownWork || sections.overview);
  const greeting = sections.myWork
    ? t('home.greetingWork', { name: firstName })
    : sections.myRequests
      ? t('home.greetingRequests', { name: firstName })
      : t('home.greeting', { name: firstName, company: me.tenant.name });
  return (
    <>
      <PageHeader
        title={t('home.title')}
        description={greeting}
        actions={
          can(PERMISSIONS.requestsCreate) &&
          !sections.myRequests && (
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
      {sections.myRequests && <MyRequests />}
      {sections.myWork && <MyDay />}
      {company && <Company manage={sections.setup} />}
      {(sections.supervision || sections.overview) && (
        <Supervision overview={!sections.supervision} />
      )}
      {can(PERMISSIONS.auditRead) && <RecentActivity />}
    </>
  );
}
