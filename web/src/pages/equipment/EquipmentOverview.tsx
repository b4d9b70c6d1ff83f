import {
  Anchor,
  Button,
  Card,
  Grid,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Textarea,
  Timeline,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconStatusChange } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { api, call, type Equipment, type EquipmentStatus } from '../../api/client';
import { useComponents, useStatusHistory } from '../../api/queries';
import { useSpecTemplates } from '../../api/specTemplates';
import { useAuth } from '../../auth/context';
import { Field } from '../../components/Field';
import { CriticalityBadge, EquipmentStatusBadge } from '../../components/badges';
import { FormError } from '../../components/FormError';
import { QueryError } from '../../components/QueryError';
import { rule, useFormSubmit } from '../../lib/forms';
import { formatDateTime, formatDay, formatRelative } from '../../lib/format';
import { EQUIPMENT_STATUSES, EQUIPMENT_STATUS_COLOR, locationText } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { specLines, templateFor } from '../../lib/specTemplates';
import { checkOptionalText } from '../../lib/validation';
import { EquipmentKpis } from './EquipmentKpis';

function StatusCard({
  equipment,
  onChangeStatus,
}: {
  equipment: Equipment;
  onChangeStatus: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const history = useStatusHistory(equipment.id);
  const items = history.data?.items ?? [];
  const [all, setAll] = useState(false);
  return (
    <Card component="section" aria-labelledby="status-title">
      <Group justify="space-between" mb="md" gap="xs">
        <Title order={2} fz="lg" id="status-title">
          {t('equipment.statusTitle')}
        </Title>
        {can(PERMISSIONS.equipmentManage) && !equipment.archived_at && (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconStatusChange size={14} />}
            onClick={onChangeStatus}
          >
            {t('equipment.changeStatus')}
          </Button>
        )}
      </Group>
      <Group gap="sm" mb="lg">
        <EquipmentStatusBadge status={equipment.status} size="xl" />
        {equipment.open_work_orders > 0 && (
          <Anchor
            component={Link}
            to={`/work-orders?equipment=${equipment.id}&status=open,assigned,in_progress,on_hold`}
            size="sm"
          >
            {t('equipment.openOrders', { count: equipment.open_work_orders })}
          </Anchor>
        )}
      </Group>
      <Text size="sm" fw={600} mb="xs">
        {t('equipment.statusHistory')}
      </Text>
      {history.isError && (
        <QueryError error={history.error} onRetry={() => void history.refetch()} />
      )}
      {history.isPending ? (
        <Skeleton h={80} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('equipment.noStatusHistory')}
        </Text>
      ) : (
        <>
          <Timeline bulletSize={12} lineWidth={2} data-testid="status-history">
            {(all ? items : items.slice(0, 5)).map((change) => (
              <Timeline.Item
                key={change.id}
                color={EQUIPMENT_STATUS_COLOR[change.to_status]}
                lh={1.3}
                title={
                  <Text size="sm" fw={500}>
                    {change.from_status
                      ? t('equipment.statusChange', {
                          from: t(`equipmentStatus.${change.from_status}`),
                          to: t(`equipmentStatus.${change.to_status}`),
                        })
                      : t(`equipmentStatus.${change.to_status}`)}
                  </Text>
                }
              >
                {change.reason && (
                  <Text size="sm" c="dimmed">
                    {change.reason}
                  </Text>
                )}
                <Text size="xs" c="dimmed" title={formatDateTime(change.changed_at, i18n.language)}>
                  {change.work_order_id ? (
                    <Anchor component={Link} to={`/work-orders/${change.work_order_id}`} size="xs">
                      {t('equipment.byWorkOrder')}
                    </Anchor>
                  ) : change.work_request_id ? (
                    <Anchor component={Link} to={`/requests/${change.work_request_id}`} size="xs">
                      {t('equipment.byRequest')}
                    </Anchor>
                  ) : (
                    change.changed_by_name
                  )}
                  {(change.work_order_id || change.work_request_id || change.changed_by_name) &&
                    ' · '}
                  {formatRelative(change.changed_at, i18n.language)}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
          {items.length > 5 && (
            <Button variant="subtle" size="xs" mt="xs" onClick={() => setAll((v) => !v)}>
              {all ? t('equipment.showLess') : t('equipment.showAll', { count: items.length })}
            </Button>
          )}
        </>
      )}
    </Card>
  );
}

function Components({ equipment }: { equipment: Equipment }) {
  const { t } = useTranslation();
  const components = useComponents(equipment.id);
  const items = components.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card component="section" aria-labelledby="components-title">
      <Title order={2} fz="lg" mb="sm" id="components-title">
        {t('equipment.components', { count: items.length })}
      </Title>
      <Stack gap={6}>
        {items.map((c) => (
          <Group key={c.id} justify="space-between" gap="xs" wrap="nowrap">
            <Anchor component={Link} to={`/equipment/${c.id}`} size="sm" truncate>
              <Text span ff="monospace" fw={600}>
                {c.code}
              </Text>{' '}
              {c.name}
            </Anchor>
            <EquipmentStatusBadge status={c.status} size="sm" />
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

export function EquipmentOverview({
  equipment,
  onChangeStatus,
}: {
  equipment: Equipment;
  onChangeStatus: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const templates = useSpecTemplates();
  const template = templateFor(templates.data?.items, equipment.category);
  // The category's template gives labels, units and order; other keys show under their key.
  const specs = specLines(equipment.specifications, template, i18n.language);
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="lg">
          <Card component="section" aria-labelledby="details-title">
            <Title order={2} fz="lg" mb="md" id="details-title">
              {t('equipment.details')}
            </Title>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" verticalSpacing="md">
              <Field label={t('equipment.category')}>{equipment.category}</Field>
              <Field label={t('equipment.criticality')}>
                <CriticalityBadge value={equipment.criticality} size="sm" />
              </Field>
              <Field label={t('equipment.location')}>{locationText(equipment)}</Field>
              <Field label={t('equipment.parent')}>
                {equipment.parent_id && (
                  <Anchor component={Link} to={`/equipment/${equipment.parent_id}`} size="sm">
                    {equipment.parent_code}
                  </Anchor>
                )}
              </Field>
              <Field label={t('equipment.manufacturer')}>{equipment.manufacturer}</Field>
              <Field label={t('equipment.model')}>{equipment.model}</Field>
              <Field label={t('equipment.serialNumber')}>{equipment.serial_number}</Field>
              <Field label={t('equipment.purchaseDate')}>
                {formatDay(equipment.purchase_date, i18n.language)}
              </Field>
              <Field label={t('equipment.installationDate')}>
                {formatDay(equipment.installation_date, i18n.language)}
              </Field>
              <Field label={t('equipment.warrantyEnd')}>
                {formatDay(equipment.warranty_end, i18n.language)}
              </Field>
            </SimpleGrid>
          </Card>
          <Card component="section" aria-labelledby="specs-title">
            <Group justify="space-between" mb="sm" gap="xs">
              <Title order={2} fz="lg" id="specs-title">
                {t('equipment.sections.specifications')}
              </Title>
              {can(PERMISSIONS.equipmentManage) && equipment.category && !templates.isPending && (
                <Anchor
                  component={Link}
                  to={`/spec-templates?category=${encodeURIComponent(equipment.category)}`}
                  size="sm"
                >
                  {template
                    ? t('specTemplates.editTemplate')
                    : t('specTemplates.createTemplate', { category: equipment.category })}
                </Anchor>
              )}
            </Group>
            {specs.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('equipment.noSpecifications')}
              </Text>
            ) : (
              <Table withRowBorders verticalSpacing={6} data-testid="specifications">
                <Table.Tbody>
                  {specs.map((line) => (
                    <Table.Tr key={line.key} data-key={line.key}>
                      <Table.Th w="45%" fw={500} c="dimmed">
                        {line.label ?? line.key}
                      </Table.Th>
                      <Table.Td>
                        {line.text ?? (
                          <Text span c="dimmed">
                            <span aria-hidden>—</span>
                            <VisuallyHidden>{t('specTemplates.notFilled')}</VisuallyHidden>
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
          {equipment.notes && (
            <Card component="section" aria-labelledby="notes-title">
              <Title order={2} fz="lg" mb="sm" id="notes-title">
                {t('equipment.notes')}
              </Title>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {equipment.notes}
              </Text>
            </Card>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="lg">
          <StatusCard equipment={equipment} onChangeStatus={onChangeStatus} />
          {can(PERMISSIONS.kpisRead) && <EquipmentKpis equipmentId={equipment.id} />}
          <Components equipment={equipment} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

export function StatusChangeDialog({
  opened,
  equipment,
  onClose,
}: {
  opened: boolean;
  equipment: Equipment;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('equipment.changeStatusTitle')}>
      {opened && <StatusChangeForm equipment={equipment} onClose={onClose} />}
    </Modal>
  );
}

function StatusChangeForm({ equipment, onClose }: { equipment: Equipment; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<{ status: EquipmentStatus; reason: string }>({
    initialValues: { status: equipment.status, reason: '' },
    validate: { reason: rule(i18n, (v: string) => checkOptionalText(v, 500)) },
  });
  const { busy, general, submit } = useFormSubmit(
    form,
    async (values: { status: EquipmentStatus; reason: string }) => {
      const reason = values.reason.trim();
      await call(
        api.POST('/equipment/{id}/status', {
          params: { path: { id: equipment.id } },
          body: { status: values.status, ...(reason ? { reason } : {}) },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: ['equipment'] });
      notifications.show({
        color: 'teal',
        message: t('equipment.statusChanged', {
          status: t(`equipmentStatus.${values.status}`),
        }),
      });
      onClose();
    },
  );
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <Select
          label={t('equipment.newStatus')}
          data={EQUIPMENT_STATUSES.map((s) => ({ value: s, label: t(`equipmentStatus.${s}`) }))}
          allowDeselect={false}
          data-autofocus
          {...form.getInputProps('status')}
        />
        <Textarea
          label={t('equipment.statusReason')}
          placeholder={t('equipment.statusReasonPlaceholder')}
          autosize
          minRows={2}
          {...form.getInputProps('reason')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('equipment.changeStatus')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
