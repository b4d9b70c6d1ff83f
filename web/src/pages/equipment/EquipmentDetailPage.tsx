import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Menu,
  Skeleton,
  Stack,
  Tabs,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconArchive,
  IconArchiveOff,
  IconCalendarRepeat,
  IconClipboardPlus,
  IconDots,
  IconGauge,
  IconHistory,
  IconInfoCircle,
  IconPaperclip,
  IconPencil,
  IconQrcode,
  IconStatusChange,
  IconTrash,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';

import { api, call } from '../../api/client';
import { isApiError } from '../../api/errors';
import { useEquipment } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { Attachments } from '../../components/Attachments';
import { EquipmentStatusBadge } from '../../components/badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import { locationText } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { oneOf } from '../../lib/useUrlParams';
import { NotFoundPage } from '../StatusPages';
import { EquipmentHistory } from './EquipmentHistory';
import { EquipmentMeters } from './EquipmentMeters';
import { EquipmentOverview, StatusChangeDialog } from './EquipmentOverview';
import { EquipmentPlans } from './EquipmentPlans';
import { EquipmentQr } from './EquipmentQr';

const TABS = ['overview', 'history', 'meters', 'preventive', 'documents', 'qr'] as const;
type Tab = (typeof TABS)[number];

type Dialog = 'archive' | 'restore' | 'delete' | 'status' | null;

export default function EquipmentDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const compact = useMediaQuery('(max-width: 48em)');
  const query = useEquipment(id);
  const [dialog, setDialog] = useState<Dialog>(null);
  // The open tab is in the address (`?tab=meters`): it survives a reload and can be linked.
  const [params, setParams] = useSearchParams();
  // The preventive tab for those who may read plans.
  const tabs = TABS.filter((key) => key !== 'preventive' || can(PERMISSIONS.pmPlansRead));
  const tab = oneOf(params.get('tab'), tabs) ?? 'overview';
  const setTab = (value: string | null) => {
    const next = new URLSearchParams(params);
    if (value && value !== 'overview') next.set('tab', value);
    else next.delete('tab');
    setParams(next, { replace: true });
  };
  const manage = can(PERMISSIONS.equipmentManage);

  if (query.isError) {
    if (isApiError(query.error, 'not_found')) return <NotFoundPage />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  const equipment = query.data;
  if (!equipment) {
    return (
      <Stack gap="lg">
        <Skeleton h={60} w="50%" />
        <Skeleton h={40} />
        <Skeleton h={260} />
      </Stack>
    );
  }
  const archived = Boolean(equipment.archived_at);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['equipment'] }),
      queryClient.invalidateQueries({ queryKey: ['tenant'] }),
    ]);

  const archive = async (restore: boolean) => {
    const path = { params: { path: { id: equipment.id } } };
    await call(
      restore
        ? api.POST('/equipment/{id}/restore', path)
        : api.POST('/equipment/{id}/archive', path),
    );
    await refresh();
    notifications.show({
      color: 'teal',
      message: t(restore ? 'equipment.restored' : 'equipment.archivedDone', {
        name: equipment.name,
      }),
    });
  };

  const remove = async () => {
    await call(api.DELETE('/equipment/{id}', { params: { path: { id: equipment.id } } }));
    queryClient.removeQueries({ queryKey: ['equipment', 'one', equipment.id] });
    await refresh();
    notifications.show({
      color: 'teal',
      message: t('equipment.deleted', { name: equipment.name }),
    });
    void navigate('/equipment', { replace: true });
  };

  const explain = (error: unknown) => {
    if (isApiError(error, 'open_work_orders')) {
      return (
        <Anchor
          component={Link}
          to={`/work-orders?equipment=${equipment.id}&status=open,assigned,in_progress,on_hold`}
          size="sm"
        >
          {t('equipment.seeOpenOrders')}
        </Anchor>
      );
    }
    if (isApiError(error, 'has_children')) {
      return (
        <Anchor component={Link} to={`/equipment/${equipment.id}?tab=overview`} size="sm">
          {t('equipment.seeComponents')}
        </Anchor>
      );
    }
    if (isApiError(error, 'has_history') && !archived) {
      return (
        <Group>
          <Button size="xs" variant="light" onClick={() => setDialog('archive')}>
            {t('equipment.archiveInstead')}
          </Button>
        </Group>
      );
    }
    return null;
  };

  const tabLabel = (key: Tab) => t(`equipment.tabs.${key}`);
  const tabIcons: Record<Tab, typeof IconInfoCircle> = {
    overview: IconInfoCircle,
    history: IconHistory,
    meters: IconGauge,
    preventive: IconCalendarRepeat,
    documents: IconPaperclip,
    qr: IconQrcode,
  };

  return (
    <>
      <PageHeader
        title={equipment.name}
        back={{ to: '/equipment', label: t('equipment.title') }}
        badge={
          <Group gap={6} wrap="nowrap">
            <Badge
              variant="default"
              ff="monospace"
              radius="sm"
              size="lg"
              className="badge-nowrap"
              tt="none"
            >
              {equipment.code}
            </Badge>
            <EquipmentStatusBadge status={equipment.status} size="lg" />
          </Group>
        }
        description={locationText(equipment)}
        actions={
          <>
            {can(PERMISSIONS.requestsCreate) && !archived && (
              <Button
                component={Link}
                to={`/equipment/${equipment.id}/request`}
                color="red"
                variant="light"
                leftSection={<IconAlertTriangle size={18} />}
              >
                {t('equipment.reportFailure')}
              </Button>
            )}
            {can(PERMISSIONS.workOrdersManage) && !archived && (
              <Button
                component={Link}
                to={`/work-orders/new?equipment=${equipment.id}`}
                variant="default"
                leftSection={<IconClipboardPlus size={18} />}
              >
                {t('equipment.newWorkOrder')}
              </Button>
            )}
            {manage && (
              <Button
                component={Link}
                to={`/equipment/${equipment.id}/edit`}
                variant="default"
                leftSection={<IconPencil size={18} />}
              >
                {t('common.edit')}
              </Button>
            )}
            {manage && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <ActionIcon variant="default" size={36} aria-label={t('equipment.moreActions')}>
                    <IconDots size={18} />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  {!archived && (
                    <Menu.Item
                      leftSection={<IconStatusChange size={16} />}
                      onClick={() => setDialog('status')}
                    >
                      {t('equipment.changeStatus')}
                    </Menu.Item>
                  )}
                  {archived ? (
                    <Menu.Item
                      leftSection={<IconArchiveOff size={16} />}
                      onClick={() => setDialog('restore')}
                    >
                      {t('equipment.restore')}
                    </Menu.Item>
                  ) : (
                    <Menu.Item
                      leftSection={<IconArchive size={16} />}
                      onClick={() => setDialog('archive')}
                    >
                      {t('equipment.archive')}
                    </Menu.Item>
                  )}
                  <Menu.Divider />
                  <Menu.Item
                    color="red"
                    leftSection={<IconTrash size={16} />}
                    onClick={() => setDialog('delete')}
                  >
                    {t('common.delete')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </>
        }
      />
      {archived && (
        <Alert color="gray" variant="light" icon={<IconArchive />} mb="lg">
          {t('equipment.archivedBanner', {
            date: formatDateTime(equipment.archived_at, i18n.language),
          })}
        </Alert>
      )}
      <Tabs value={tab} onChange={setTab} keepMounted={false} variant="outline">
        <Tabs.List mb="lg" style={{ flexWrap: compact ? 'nowrap' : 'wrap', overflowX: 'auto' }}>
          {tabs.map((key) => {
            const TabIcon = tabIcons[key];
            return (
              <Tabs.Tab key={key} value={key} leftSection={<TabIcon size={16} />}>
                {tabLabel(key)}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <EquipmentOverview equipment={equipment} onChangeStatus={() => setDialog('status')} />
        </Tabs.Panel>
        <Tabs.Panel value="history">
          <EquipmentHistory equipment={equipment} />
        </Tabs.Panel>
        <Tabs.Panel value="meters">
          <EquipmentMeters equipment={equipment} />
        </Tabs.Panel>
        {tabs.includes('preventive') && (
          <Tabs.Panel value="preventive">
            <EquipmentPlans equipment={equipment} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="documents">
          <Attachments
            owner={{ kind: 'equipment', id: equipment.id }}
            canUpload={manage && !archived}
            canDelete={manage}
            emptyText={t('equipment.noDocuments')}
          />
        </Tabs.Panel>
        <Tabs.Panel value="qr">
          <EquipmentQr equipment={equipment} />
        </Tabs.Panel>
      </Tabs>

      <StatusChangeDialog
        opened={dialog === 'status'}
        equipment={equipment}
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        opened={dialog === 'archive' || dialog === 'restore'}
        title={t(dialog === 'restore' ? 'equipment.restoreTitle' : 'equipment.archiveTitle')}
        message={t(dialog === 'restore' ? 'equipment.restoreText' : 'equipment.archiveText', {
          name: equipment.name,
        })}
        confirmLabel={t(dialog === 'restore' ? 'equipment.restore' : 'equipment.archive')}
        onConfirm={() => archive(dialog === 'restore')}
        onClose={() => setDialog(null)}
        renderError={explain}
      />
      <ConfirmDialog
        opened={dialog === 'delete'}
        title={t('equipment.deleteTitle')}
        message={t('equipment.deleteText', { name: equipment.name })}
        confirmLabel={t('common.delete')}
        danger
        onConfirm={remove}
        onClose={() => setDialog(null)}
        renderError={explain}
      />
    </>
  );
}
