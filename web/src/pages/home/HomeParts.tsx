// The pieces of the home page: counts with their link, and panels listing the first few items of
// a list with its true total.
import {
  Anchor,
  Avatar,
  Card,
  Group,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowRight, type Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Equipment, WorkOrder, WorkRequest } from '../../api/client';
import {
  CriticalityBadge,
  OverdueBadge,
  PriorityBadge,
  StoppedBadge,
  UrgencyBadge,
} from '../../components/badges';
import { RelativeTime } from '../../components/RelativeTime';
import { formatDateTime, formatNumber, initials } from '../../lib/format';
import { locationText } from '../../lib/maintenance';

export interface HomeLink {
  to: string;
  label: string;
}

function MoreLink({ link }: { link: HomeLink }) {
  return (
    <Anchor component={Link} to={link.to} size="sm" fw={500} w="fit-content">
      {/* The arrow follows the last word, even when the label wraps. */}
      {link.label}
      {'\u00a0'}
      <IconArrowRight size={14} aria-hidden style={{ verticalAlign: '-2px' }} />
    </Anchor>
  );
}

/** A number with its label and where to see it (compact: several in a row, on phones too). */
export function StatTile({
  label,
  value,
  icon: TileIcon,
  color,
  link,
  alert,
}: {
  label: string;
  value: number | undefined;
  icon: Icon;
  color: string;
  link?: HomeLink | null;
  /** A number that calls for attention when above zero. */
  alert?: boolean;
}) {
  const { i18n } = useTranslation();
  return (
    <Card component="section" aria-label={label} p="md" className="home-tile">
      <Group gap={8} wrap="nowrap" align="flex-start">
        {/* Phones: three tiles side by side, the words need the room. */}
        <ThemeIcon size={30} radius="md" variant="light" color={color} visibleFrom="xs" aria-hidden>
          <TileIcon size={18} stroke={1.7} />
        </ThemeIcon>
        <Text size="sm" c="dimmed" fw={500} lh={1.25} mt={{ base: 0, xs: 5 }}>
          {label}
        </Text>
      </Group>
      {value === undefined ? (
        <Skeleton h={32} w={56} mt="sm" />
      ) : (
        <Text
          fz={30}
          fw={700}
          lh={1.1}
          mt="sm"
          data-testid="stat-value"
          c={alert && value > 0 ? `${color}.8` : undefined}
        >
          {formatNumber(value, i18n.language)}
        </Text>
      )}
      {link && (
        <Text size="sm" mt="xs">
          <MoreLink link={link} />
        </Text>
      )}
    </Card>
  );
}

/** A list's first items under its title and total, with the way to the whole list. */
export function Panel<T>({
  title,
  icon: PanelIcon,
  color,
  total,
  items,
  loading,
  empty,
  link,
  alert,
  renderItem,
  footer,
  testId,
}: {
  title: string;
  icon: Icon;
  color: string;
  total: number | undefined;
  items: T[];
  loading: boolean;
  empty: string;
  link: HomeLink;
  alert?: boolean;
  renderItem: (item: T) => ReactNode;
  footer?: ReactNode;
  testId?: string;
}) {
  const { i18n } = useTranslation();
  const headingId = `panel-${testId ?? title}`;
  return (
    <Card
      component="section"
      aria-label={title}
      p={{ base: 'md', sm: 'lg' }}
      data-testid={testId}
      style={{ display: 'flex', flexDirection: 'column' }}
    >
      <Group justify="space-between" wrap="nowrap" align="center" mb="sm">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon size={34} radius="md" variant="light" color={color} aria-hidden>
            <PanelIcon size={20} stroke={1.7} />
          </ThemeIcon>
          <Title order={2} fz="md" id={headingId}>
            {title}
          </Title>
        </Group>
        {total === undefined ? (
          <Skeleton h={28} w={40} />
        ) : (
          <Text
            fz={28}
            fw={700}
            lh={1}
            data-testid="stat-value"
            c={alert && total > 0 ? `${color}.8` : undefined}
          >
            {formatNumber(total, i18n.language)}
          </Text>
        )}
      </Group>
      <Stack gap={0} style={{ flex: 1 }}>
        {loading ? (
          [0, 1, 2].map((i) => <Skeleton key={i} h={40} mb={8} />)
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed" py="xs">
            {empty}
          </Text>
        ) : (
          items.map(renderItem)
        )}
      </Stack>
      <Group justify="space-between" gap="sm" mt="sm">
        <MoreLink link={link} />
        {footer}
      </Group>
    </Card>
  );
}

/** One line of a panel: a link with a title and a line of details. */
function PanelRow({
  to,
  label,
  code,
  title,
  children,
  testId,
}: {
  to: string;
  label: string;
  code: string;
  title: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <UnstyledButton
      component={Link}
      to={to}
      aria-label={label}
      className="home-row"
      data-testid={testId}
    >
      <Text size="sm" lh={1.35} style={{ overflowWrap: 'anywhere' }}>
        <Text span ff="monospace" fw={600} c="gmao.7" size="xs">
          {code}
        </Text>{' '}
        <Text span fw={600}>
          {title}
        </Text>
      </Text>
      <Group gap={6} mt={3} wrap="wrap" style={{ rowGap: 2 }}>
        {children}
      </Group>
    </UnstyledButton>
  );
}

export function RequestRow({ request }: { request: WorkRequest }) {
  const { t } = useTranslation();
  return (
    <PanelRow
      key={request.id}
      to={`/requests/${request.id}`}
      label={t('requests.openNamed', { number: request.number, title: request.title })}
      code={request.number}
      title={request.title}
      testId="home-request"
    >
      <UrgencyBadge urgency={request.urgency} size="xs" />
      {request.production_stopped && <StoppedBadge size="xs" />}
      <Text size="xs" c="dimmed" truncate maw={220}>
        {request.equipment_code} — {request.equipment_name}
      </Text>
      <RelativeTime at={request.created_at} />
    </PanelRow>
  );
}

export function OrderRow({ order }: { order: WorkOrder }) {
  const { i18n } = useTranslation();
  return (
    <PanelRow
      key={order.id}
      to={`/work-orders/${order.id}`}
      label={`${order.number} · ${order.title}`}
      code={order.number}
      title={order.title}
      testId="home-order"
    >
      <PriorityBadge priority={order.priority} size="xs" />
      {order.overdue && <OverdueBadge size="xs" />}
      {order.due_at && (
        <Text size="xs" c={order.overdue ? 'red.8' : 'dimmed'} fw={order.overdue ? 600 : 400}>
          {formatDateTime(order.due_at, i18n.language)}
        </Text>
      )}
      <Text size="xs" c="dimmed" truncate maw={200}>
        {order.equipment_code}
      </Text>
      {order.assignees.length > 0 && (
        <Avatar.Group spacing={4}>
          {order.assignees.slice(0, 2).map((a) => (
            <Avatar key={a.id} size={18} radius="xl" color="gmao" title={a.full_name}>
              <Text fz={8} fw={700}>
                {initials(a.full_name)}
              </Text>
            </Avatar>
          ))}
        </Avatar.Group>
      )}
    </PanelRow>
  );
}

export function EquipmentRow({ equipment }: { equipment: Equipment }) {
  const { t } = useTranslation();
  return (
    <PanelRow
      key={equipment.id}
      to={`/equipment/${equipment.id}`}
      label={`${equipment.code} — ${equipment.name}`}
      code={equipment.code}
      title={equipment.name}
      testId="home-equipment"
    >
      <CriticalityBadge value={equipment.criticality} size="xs" />
      <Text size="xs" c="dimmed" truncate maw={240}>
        {locationText(equipment)}
      </Text>
      {equipment.open_work_orders > 0 && (
        <Text size="xs" c="dimmed">
          {t('equipment.openOrders', { count: equipment.open_work_orders })}
        </Text>
      )}
    </PanelRow>
  );
}
