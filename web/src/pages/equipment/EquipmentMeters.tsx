// Meters of equipment: running hours, cycles, temperatures. Readings are recorded by hand here
// (or imported from a file), shown as a table and a small chart.
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Menu,
  Modal,
  NumberInput,
  Pagination,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconDots, IconGauge, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call, type Equipment, type Meter } from '../../api/client';
import { PAGE_SIZE, useMeters, useReadingSeries, useReadings } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty } from '../../components/Empty';
import { FormError } from '../../components/FormError';
import { MeterChart } from '../../components/MeterChart';
import { QueryError } from '../../components/QueryError';
import { fieldMessage } from '../../i18n/messages';
import { parseDecimal } from '../../lib/checklist';
import { rule, useFormSubmit } from '../../lib/forms';
import { formatDateTime, formatNumber, formatRelative, pickerToIso } from '../../lib/format';
import { PERMISSIONS } from '../../lib/permissions';
import { checkName } from '../../lib/validation';

type Dialog =
  | { kind: 'add' }
  | { kind: 'edit'; meter: Meter }
  | { kind: 'delete'; meter: Meter }
  | { kind: 'reading'; meter: Meter }
  | null;

function MeterTile({
  meter,
  selected,
  onSelect,
}: {
  meter: Meter;
  selected: boolean;
  onSelect: () => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <UnstyledButton onClick={onSelect} aria-pressed={selected} data-testid="meter">
      <Card
        p="md"
        style={{
          borderColor: selected ? 'var(--mantine-color-gmao-5)' : undefined,
          background: selected ? 'var(--mantine-color-gmao-0)' : undefined,
        }}
      >
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text fw={600} truncate>
            {meter.name}
          </Text>
          <Badge variant="light" color={meter.cumulative ? 'gmao' : 'grape'} size="sm">
            {meter.cumulative ? t('meters.cumulative') : t('meters.gauge')}
          </Badge>
        </Group>
        <Text fz={22} fw={700} mt={6}>
          {meter.last_value != null
            ? `${formatNumber(meter.last_value, i18n.language)} ${meter.unit}`
            : '—'}
        </Text>
        <Text size="xs" c="dimmed">
          {meter.last_read_at
            ? t('meters.lastRead', { when: formatRelative(meter.last_read_at, i18n.language) })
            : t('meters.noReading')}{' '}
          · {t('meters.readingCount', { count: meter.reading_count })}
        </Text>
      </Card>
    </UnstyledButton>
  );
}

function Readings({ meter }: { meter: Meter }) {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  const readings = useReadings(meter.id, page);
  const series = useReadingSeries(meter.id);
  const items = readings.data?.items ?? [];
  const total = readings.data?.total ?? 0;
  return (
    <Stack gap="md">
      {series.data && (
        <MeterChart
          readings={series.data.items}
          unit={meter.unit}
          label={t('meters.chartLabel', { name: meter.name })}
        />
      )}
      {readings.isError && (
        <QueryError error={readings.error} onRetry={() => void readings.refetch()} />
      )}
      {readings.isPending ? (
        <Skeleton h={120} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('meters.noReadingYet')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420} type="native">
          <Table verticalSpacing={6} data-testid="readings">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('meters.readAt')}</Table.Th>
                <Table.Th ta="right">{t('meters.value')}</Table.Th>
                <Table.Th>{t('meters.source')}</Table.Th>
                <Table.Th>{t('meters.recordedBy')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{formatDateTime(r.read_at, i18n.language)}</Table.Td>
                  <Table.Td ta="right" fw={500} style={{ whiteSpace: 'nowrap' }}>
                    {formatNumber(r.value, i18n.language)} {meter.unit}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="default" size="sm">
                      {r.source === 'import' ? t('meters.sourceImport') : t('meters.sourceManual')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {r.recorded_by_name ?? '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {total > PAGE_SIZE && (
        <Pagination
          total={Math.ceil(total / PAGE_SIZE)}
          value={page}
          onChange={setPage}
          size="sm"
        />
      )}
    </Stack>
  );
}

export function EquipmentMeters({ equipment }: { equipment: Equipment }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const meters = useMeters(equipment.id);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const queryClient = useQueryClient();
  const manage = can(PERMISSIONS.equipmentManage) && !equipment.archived_at;
  const record = can(PERMISSIONS.metersRecord) && !equipment.archived_at;
  const items = meters.data?.items ?? [];
  const selected = items.find((m) => m.id === selectedId) ?? items[0] ?? null;

  const remove = async (meter: Meter) => {
    await call(api.DELETE('/meters/{id}', { params: { path: { id: meter.id } } }));
    await queryClient.invalidateQueries({ queryKey: ['meters'] });
    notifications.show({ color: 'teal', message: t('meters.deleted', { name: meter.name }) });
  };

  if (meters.isError) {
    return <QueryError error={meters.error} onRetry={() => void meters.refetch()} />;
  }
  if (meters.isPending) return <Skeleton h={200} />;

  return (
    <>
      {items.length === 0 ? (
        <Card>
          <Empty
            py={32}
            icon={<IconGauge size={28} />}
            title={t('meters.empty')}
            description={t('meters.emptyText')}
          >
            {manage && (
              <Button
                leftSection={<IconPlus size={16} />}
                onClick={() => setDialog({ kind: 'add' })}
              >
                {t('meters.add')}
              </Button>
            )}
          </Empty>
        </Card>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap="sm">
              {items.map((meter) => (
                <MeterTile
                  key={meter.id}
                  meter={meter}
                  selected={meter.id === selected?.id}
                  onSelect={() => setSelectedId(meter.id)}
                />
              ))}
              {manage && (
                <Button
                  variant="light"
                  leftSection={<IconPlus size={16} />}
                  onClick={() => setDialog({ kind: 'add' })}
                >
                  {t('meters.add')}
                </Button>
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            {selected && (
              <Card component="section" aria-labelledby="meter-title">
                <Group justify="space-between" mb="md" gap="sm">
                  <div>
                    <Title order={2} fz="lg" id="meter-title">
                      {selected.name}
                    </Title>
                    <Text size="sm" c="dimmed">
                      {t('meters.unitLine', { unit: selected.unit })}
                    </Text>
                  </div>
                  <Group gap="xs">
                    {record && (
                      <Button
                        leftSection={<IconPlus size={16} />}
                        onClick={() => setDialog({ kind: 'reading', meter: selected })}
                      >
                        {t('meters.record')}
                      </Button>
                    )}
                    {manage && (
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon
                            variant="default"
                            size={36}
                            aria-label={t('meters.actionsFor', { name: selected.name })}
                          >
                            <IconDots size={18} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item
                            leftSection={<IconPencil size={16} />}
                            onClick={() => setDialog({ kind: 'edit', meter: selected })}
                          >
                            {t('meters.edit')}
                          </Menu.Item>
                          <Menu.Item
                            color="red"
                            leftSection={<IconTrash size={16} />}
                            onClick={() => setDialog({ kind: 'delete', meter: selected })}
                          >
                            {t('common.delete')}
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    )}
                  </Group>
                </Group>
                <Readings key={selected.id} meter={selected} />
              </Card>
            )}
          </Grid.Col>
        </Grid>
      )}

      <MeterFormModal
        opened={dialog?.kind === 'add' || dialog?.kind === 'edit'}
        equipmentId={equipment.id}
        meter={dialog?.kind === 'edit' ? dialog.meter : null}
        onClose={() => setDialog(null)}
        onSaved={(meter) => setSelectedId(meter.id)}
      />
      <ReadingModal
        opened={dialog?.kind === 'reading'}
        meter={dialog?.kind === 'reading' ? dialog.meter : null}
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        opened={dialog?.kind === 'delete'}
        title={t('meters.deleteTitle')}
        message={t('meters.deleteText', {
          name: dialog?.kind === 'delete' ? dialog.meter.name : '',
        })}
        confirmLabel={t('common.delete')}
        danger
        onConfirm={() => (dialog?.kind === 'delete' ? remove(dialog.meter) : Promise.resolve())}
        onClose={() => setDialog(null)}
      />
    </>
  );
}

function MeterFormModal({
  opened,
  equipmentId,
  meter,
  onClose,
  onSaved,
}: {
  opened: boolean;
  equipmentId: string;
  meter: Meter | null;
  onClose: () => void;
  onSaved: (meter: Meter) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={meter ? t('meters.edit') : t('meters.add')}>
      {opened && (
        <MeterForm equipmentId={equipmentId} meter={meter} onClose={onClose} onSaved={onSaved} />
      )}
    </Modal>
  );
}

function MeterForm({
  equipmentId,
  meter,
  onClose,
  onSaved,
}: {
  equipmentId: string;
  meter: Meter | null;
  onClose: () => void;
  onSaved: (meter: Meter) => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: {
      name: meter?.name ?? '',
      unit: meter?.unit ?? '',
      cumulative: meter?.cumulative ?? true,
    },
    validateInputOnBlur: true,
    validate: {
      name: rule(i18n, (v: string) => checkName(v, 100)),
      unit: rule(i18n, (v: string) => checkName(v, 20)),
    },
  });
  const { busy, general, submit } = useFormSubmit(
    form,
    async (values: { name: string; unit: string; cumulative: boolean }) => {
      const saved = meter
        ? await call(
            api.PATCH('/meters/{id}', {
              params: { path: { id: meter.id } },
              body: { name: values.name.trim(), unit: values.unit.trim() },
            }),
          )
        : await call(
            api.POST('/equipment/{id}/meters', {
              params: { path: { id: equipmentId } },
              body: {
                name: values.name.trim(),
                unit: values.unit.trim(),
                cumulative: values.cumulative,
              },
            }),
          );
      await queryClient.invalidateQueries({ queryKey: ['meters'] });
      notifications.show({
        color: 'teal',
        message: t(meter ? 'meters.saved' : 'meters.added', { name: saved.name }),
      });
      onSaved(saved);
      onClose();
    },
  );
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <TextInput
          label={t('meters.name')}
          placeholder={t('meters.namePlaceholder')}
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        <TextInput
          label={t('meters.unit')}
          placeholder={t('meters.unitPlaceholder')}
          required
          {...form.getInputProps('unit')}
        />
        {!meter && (
          <Switch
            label={t('meters.cumulativeLabel')}
            description={t('meters.cumulativeHelp')}
            {...form.getInputProps('cumulative', { type: 'checkbox' })}
          />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {meter ? t('common.save') : t('meters.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ReadingModal({
  opened,
  meter,
  onClose,
}: {
  opened: boolean;
  meter: Meter | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={meter ? t('meters.recordTitle', { name: meter.name }) : ''}
    >
      {opened && meter && <ReadingForm meter={meter} onClose={onClose} />}
    </Modal>
  );
}

function ReadingForm({ meter, onClose }: { meter: Meter; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<{ value: string | number; read_at: string | null }>({
    // No date means "now", as the server takes it (to the second).
    initialValues: { value: '', read_at: null },
    validate: {
      value: (v) => {
        const n = parseDecimal(v);
        if (n === null) return fieldMessage(i18n, { code: 'required' });
        if (Number.isNaN(n)) return fieldMessage(i18n, { code: 'invalid_number' });
        if (meter.cumulative && n < 0) return fieldMessage(i18n, { code: 'reading_negative' });
        return null;
      },
    },
  });
  const { busy, general, submit } = useFormSubmit(
    form,
    async (values: { value: string | number; read_at: string | null }) => {
      const readAt = pickerToIso(values.read_at);
      await call(
        api.POST('/meters/{id}/readings', {
          params: { path: { id: meter.id } },
          body: { value: parseDecimal(values.value) ?? 0, ...(readAt ? { read_at: readAt } : {}) },
        }),
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['meters'] }),
        queryClient.invalidateQueries({ queryKey: ['equipment'] }),
      ]);
      notifications.show({ color: 'teal', message: t('meters.recorded') });
      onClose();
    },
  );
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        {meter.last_value != null && (
          <Text size="sm" c="dimmed">
            {t('meters.previous', {
              value: `${formatNumber(meter.last_value, i18n.language)} ${meter.unit}`,
              date: formatDateTime(meter.last_read_at, i18n.language),
            })}
          </Text>
        )}
        <NumberInput
          label={t('meters.value')}
          required
          decimalSeparator={i18n.language.startsWith('fr') ? ',' : '.'}
          rightSection={
            <Text size="sm" c="dimmed" pr="xs">
              {meter.unit}
            </Text>
          }
          rightSectionWidth={64}
          hideControls
          inputMode="decimal"
          data-autofocus
          {...form.getInputProps('value')}
        />
        <DateTimePicker
          label={t('meters.readAt')}
          description={t('meters.readAtHelp')}
          placeholder={t('meters.now')}
          valueFormat="D MMM YYYY HH:mm"
          clearable
          maxDate={new Date()}
          {...form.getInputProps('read_at')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('meters.record')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
