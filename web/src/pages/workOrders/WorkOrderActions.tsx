// What can be done to a work order now: exactly the buttons of its `allowed_actions`, each with
// its dialog (who does it, why it stops, the completion report), and the planners' edits.
import {
  Alert,
  Button,
  Group,
  Input,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  IconCheck,
  IconPlayerPause,
  IconPlayerPlay,
  IconRotate,
  IconShieldCheck,
  IconUserPlus,
  IconX,
  type Icon,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import {
  api,
  call,
  type Priority,
  type Schemas,
  type WorkOrder,
  type WorkOrderAction,
  type WorkOrderType,
} from '../../api/client';
import { isApiError } from '../../api/errors';
import { useAssignable, useFailureCodes, useFollowUpDraft } from '../../api/queries';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormError } from '../../components/FormError';
import { ReasonDialog } from '../../components/ReasonDialog';
import { FindingsNotice, FollowUpPrompt } from './FollowUp';
import { useOrderRefresh } from './useOrderRefresh';
import {
  DescriptionField,
  DueAtPicker,
  EstimateInput,
  PrioritySelect,
  TitleField,
  TypeSelect,
} from './WorkOrderFields';
import { orderTextRules } from '../../lib/workOrderForm';
import { fieldMessage } from '../../i18n/messages';
import { rule, useFormSubmit } from '../../lib/forms';
import { formatDateTime, isoToPicker, pickerToIso } from '../../lib/format';
import {
  actionButtons,
  formatMinutes,
  minutesBetween,
  type ActionButton,
} from '../../lib/maintenance';
import { checkName, checkOptionalText } from '../../lib/validation';
import { endAfter, proposedDowntime } from '../../lib/downtime';
import type { FollowUpDraft } from '../../lib/followUp';

/** The server's limit on downtime (crates/api/src/routes/work_orders.rs). */
const DOWNTIME_MAX = 1_000_000;

const ACTION_ICONS: Record<WorkOrderAction, Icon> = {
  assign: IconUserPlus,
  start: IconPlayerPlay,
  hold: IconPlayerPause,
  resume: IconPlayerPlay,
  complete: IconCheck,
  reopen: IconRotate,
  close: IconShieldCheck,
  cancel: IconX,
};

export function ActionButtons({
  order,
  onAction,
  busy,
  size = 'sm',
  fullWidth = false,
}: {
  order: WorkOrder;
  onAction: (button: ActionButton) => void;
  busy: WorkOrderAction | null;
  size?: 'sm' | 'md' | 'lg';
  /** Phones: the step forward across the width, the others two by two below. */
  fullWidth?: boolean;
}) {
  const { t } = useTranslation();
  const buttons = actionButtons(order.allowed_actions);
  if (buttons.length === 0) return null;
  const render = (button: ActionButton, buttonSize: 'xs' | 'sm' | 'md' | 'lg') => {
    const ButtonIcon = ACTION_ICONS[button.action];
    return (
      <Button
        key={button.action}
        size={buttonSize}
        fullWidth={fullWidth}
        variant={
          button.emphasis === 'primary'
            ? 'filled'
            : button.emphasis === 'danger'
              ? 'subtle'
              : 'default'
        }
        color={
          button.emphasis === 'danger' ? 'red' : button.action === 'close' ? 'teal' : undefined
        }
        leftSection={<ButtonIcon size={18} />}
        loading={busy === button.action}
        onClick={() => onAction(button)}
      >
        {t(`woActions.${button.action}`)}
      </Button>
    );
  };
  if (fullWidth) {
    const primary = buttons.filter((b) => b.emphasis === 'primary');
    const others = buttons.filter((b) => b.emphasis !== 'primary');
    return (
      <Stack gap="xs" data-testid="order-actions">
        {primary.map((b) => render(b, 'lg'))}
        {others.length > 0 && (
          <SimpleGrid cols={others.length === 1 ? 1 : 2} spacing="xs">
            {others.map((b) => render(b, 'sm'))}
          </SimpleGrid>
        )}
      </Stack>
    );
  }
  return (
    <Group gap="sm" wrap="wrap" data-testid="order-actions">
      {buttons.map((b) => render(b, size))}
    </Group>
  );
}

/** The dialogs of the actions; `action` is the one asked for (null: none open). */
export function ActionDialogs({
  order,
  action,
  onClose,
  onIncompleteChecklist,
}: {
  order: WorkOrder;
  action: WorkOrderAction | null;
  onClose: () => void;
  onIncompleteChecklist: () => void;
}) {
  const { t } = useTranslation();
  const refresh = useOrderRefresh();
  const path = { params: { path: { id: order.id } } };
  const done = async (message: string) => {
    await refresh();
    notifications.show({ color: 'teal', message });
  };
  const withReason = async (which: 'hold' | 'reopen' | 'cancel', reason: string) => {
    const body = { ...path, body: { reason } };
    if (which === 'hold') await call(api.POST('/work-orders/{id}/hold', body));
    else if (which === 'reopen') await call(api.POST('/work-orders/{id}/reopen', body));
    else await call(api.POST('/work-orders/{id}/cancel', body));
    await done(t(`workOrders.done.${which}`, { number: order.number }));
  };
  const reasonAction =
    action === 'hold' || action === 'reopen' || action === 'cancel' ? action : null;
  return (
    <>
      <ReasonDialog
        opened={reasonAction !== null}
        title={reasonAction ? t(`workOrders.reasonTitle.${reasonAction}`) : ''}
        message={reasonAction ? t(`workOrders.reasonText.${reasonAction}`) : undefined}
        label={t('workOrders.reason')}
        placeholder={reasonAction ? t(`workOrders.reasonPlaceholder.${reasonAction}`) : ''}
        confirmLabel={reasonAction ? t(`woActions.${reasonAction}`) : ''}
        danger={reasonAction === 'cancel'}
        onConfirm={(reason) =>
          reasonAction ? withReason(reasonAction, reason) : Promise.resolve()
        }
        onClose={onClose}
      />
      <ConfirmDialog
        opened={action === 'close'}
        title={t('workOrders.closeTitle')}
        message={t('workOrders.closeText', { number: order.number })}
        confirmLabel={t('woActions.close')}
        onConfirm={async () => {
          await call(api.POST('/work-orders/{id}/close', path));
          await done(t('workOrders.done.close', { number: order.number }));
        }}
        onClose={onClose}
      />
      <Modal
        opened={action === 'assign'}
        onClose={onClose}
        title={t('workOrders.assignTitle', { number: order.number })}
      >
        {action === 'assign' && <AssignForm order={order} onClose={onClose} />}
      </Modal>
      <CompleteDialog
        order={order}
        opened={action === 'complete'}
        onClose={onClose}
        onIncompleteChecklist={onIncompleteChecklist}
      />
    </>
  );
}

function AssignForm({ order, onClose }: { order: WorkOrder; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const refresh = useOrderRefresh();
  const people = useAssignable(order.site_id);
  const form = useForm({
    initialValues: { assignee_ids: order.assignees.map((a) => a.id) },
    validate: {
      assignee_ids: (v: string[]) =>
        v.length > 0 ? null : fieldMessage(i18n, { code: 'required' }),
    },
  });
  // Current assignees stay choosable even if they no longer qualify (to be removed).
  const options = new Map<string, string>();
  for (const m of people.data?.items ?? []) options.set(m.id, `${m.full_name} · ${m.role.name}`);
  for (const a of order.assignees) if (!options.has(a.id)) options.set(a.id, a.full_name);
  const { busy, general, submit } = useFormSubmit(
    form,
    async ({ assignee_ids }: { assignee_ids: string[] }) => {
      await call(
        api.POST('/work-orders/{id}/assign', {
          params: { path: { id: order.id } },
          body: { assignee_ids },
        }),
      );
      await refresh();
      notifications.show({
        color: 'teal',
        message: t('workOrders.done.assign', { number: order.number }),
      });
      onClose();
    },
  );
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <MultiSelect
          label={t('workOrders.assignees')}
          description={t('workOrders.assigneesHelp')}
          placeholder={t('workOrders.pickPeople')}
          data={[...options].map(([value, label]) => ({ value, label }))}
          searchable
          required
          data-autofocus
          nothingFoundMessage={t('common.nothingFound')}
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('assignee_ids')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('woActions.assign')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Completion, then, when the checklist found readings out of tolerance or failed checks, the
 * proposal of a follow-up order (prefilled, linked), in the same dialog.
 */
function CompleteDialog({
  order,
  opened,
  onClose,
  onIncompleteChecklist,
}: {
  order: WorkOrder;
  opened: boolean;
  onClose: () => void;
  onIncompleteChecklist: () => void;
}) {
  const { t } = useTranslation();
  const [followUp, setFollowUp] = useState<FollowUpDraft | null>(null);
  const close = () => {
    setFollowUp(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={
        followUp
          ? t('followUp.dialogTitle', { number: order.number })
          : t('workOrders.completeTitle', { number: order.number })
      }
      size="lg"
    >
      {opened &&
        (followUp ? (
          <FollowUpPrompt order={order} draft={followUp} onClose={close} />
        ) : (
          <CompleteForm
            order={order}
            onClose={close}
            onCompleted={(draft) => {
              if (draft && draft.findings.length > 0) setFollowUp(draft);
              else close();
            }}
            onIncompleteChecklist={() => {
              close();
              onIncompleteChecklist();
            }}
          />
        ))}
    </Modal>
  );
}

interface CompleteValues {
  work_performed: string;
  failure_problem_id: string | null;
  failure_cause_id: string | null;
  failure_remedy_id: string | null;
  root_cause: string;
  downtime_mode: 'none' | 'minutes' | 'period';
  downtime_minutes: number | string;
  downtime_start: string | null;
  downtime_end: string | null;
}

function CompleteForm({
  order,
  onClose,
  onCompleted,
  onIncompleteChecklist,
}: {
  order: WorkOrder;
  onClose: () => void;
  /** Completed: with what the checklist found, to propose a follow-up. */
  onCompleted: (draft: FollowUpDraft | undefined) => void;
  onIncompleteChecklist: () => void;
}) {
  const { t, i18n } = useTranslation();
  const refresh = useOrderRefresh();
  const draft = useFollowUpDraft(order.id, i18n.language);
  const problems = useFailureCodes('problem');
  const causes = useFailureCodes('cause');
  const remedies = useFailureCodes('remedy');
  const [incomplete, setIncomplete] = useState(false);
  // Production stopped since the request: the stop's end is proposed now (the server's default),
  // with its minutes, both editable.
  const stopped = order.production_stopped;
  const [proposed] = useState(() => proposedDowntime(order, new Date()));
  const form = useForm<CompleteValues>({
    initialValues: {
      work_performed: order.work_performed ?? '',
      failure_problem_id: order.failure_problem_id ?? null,
      failure_cause_id: order.failure_cause_id ?? null,
      failure_remedy_id: order.failure_remedy_id ?? null,
      root_cause: order.root_cause ?? '',
      downtime_mode: proposed.mode,
      downtime_minutes: proposed.minutes ?? '',
      downtime_start: isoToPicker(proposed.start),
      downtime_end: isoToPicker(proposed.end),
    },
    validate: {
      work_performed: rule(i18n, (v: string) => checkName(v, 5000)),
      root_cause: rule(i18n, (v: string) => checkOptionalText(v, 2000)),
      downtime_minutes: (v, values) =>
        values.downtime_mode === 'none' || (values.downtime_mode === 'period' && v === '')
          ? null
          : v === '' || !(Number(v) >= 0)
            ? fieldMessage(i18n, { code: 'required' })
            : Number(v) > DOWNTIME_MAX
              ? fieldMessage(i18n, { code: 'out_of_range', min: 0, max: DOWNTIME_MAX })
              : null,
      downtime_start: (v, values) =>
        values.downtime_mode === 'period' && !v ? fieldMessage(i18n, { code: 'required' }) : null,
      downtime_end: (v, values) => {
        if (values.downtime_mode !== 'period') return null;
        if (!v) return fieldMessage(i18n, { code: 'required' });
        const minutes = minutesBetween(pickerToIso(values.downtime_start), pickerToIso(v));
        return minutes !== null && minutes < 0
          ? fieldMessage(i18n, { code: 'before_start' })
          : null;
      },
    },
  });
  const values = form.getValues();
  const codeOptions = (list: typeof problems) =>
    (list.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.code} — ${c.label}` }));
  // Start, end and minutes of a stop stay in step: a new start or end counts the minutes again,
  // new minutes move the end.
  const recount = (start: string | null, end: string | null) => {
    const minutes = minutesBetween(pickerToIso(start), pickerToIso(end));
    if (minutes !== null && minutes >= 0) form.setFieldValue('downtime_minutes', minutes);
  };
  const onStart = (start: string | null) => {
    form.setFieldValue('downtime_start', start);
    recount(start, form.getValues().downtime_end);
  };
  const onEnd = (end: string | null) => {
    form.setFieldValue('downtime_end', end);
    recount(form.getValues().downtime_start, end);
  };
  const onPeriodMinutes = (minutes: number | string) => {
    form.setFieldValue('downtime_minutes', minutes);
    const end = endAfter(pickerToIso(form.getValues().downtime_start), minutes);
    if (end) form.setFieldValue('downtime_end', isoToPicker(end));
  };
  const periodMinutes =
    values.downtime_minutes === '' || !(Number(values.downtime_minutes) >= 0)
      ? null
      : Number(values.downtime_minutes);

  const { busy, general, submit } = useFormSubmit(
    form,
    async (v: CompleteValues) => {
      const body: Schemas['CompleteRequest'] = { work_performed: v.work_performed.trim() };
      if (v.failure_problem_id) body.failure_problem_id = v.failure_problem_id;
      if (v.failure_cause_id) body.failure_cause_id = v.failure_cause_id;
      if (v.failure_remedy_id) body.failure_remedy_id = v.failure_remedy_id;
      if (v.root_cause.trim()) body.root_cause = v.root_cause.trim();
      if (v.downtime_mode === 'minutes') body.downtime_minutes = Number(v.downtime_minutes);
      // Saying nothing would end the running stop now: no downtime is 0 minutes.
      if (v.downtime_mode === 'none' && stopped) body.downtime_minutes = 0;
      if (v.downtime_mode === 'period') {
        body.downtime_start = pickerToIso(v.downtime_start) ?? undefined;
        body.downtime_end = pickerToIso(v.downtime_end) ?? undefined;
        if (v.downtime_minutes !== '') body.downtime_minutes = Number(v.downtime_minutes);
      }
      await call(
        api.POST('/work-orders/{id}/complete', { params: { path: { id: order.id } }, body }),
      );
      await refresh();
      notifications.show({
        color: 'teal',
        message: t('workOrders.done.complete', { number: order.number }),
      });
      // What the checklist found, as it stands now.
      const found = await draft.refetch();
      onCompleted(found.data);
    },
    // Unanswered checklist items: the refusal comes with a way to them.
    (error) => setIncomplete(isApiError(error, 'checklist_incomplete')),
  );

  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="md">
        {general && (
          <Alert color="red" variant="light" role="alert" data-testid="complete-error">
            <Stack gap="xs">
              <Text size="sm">{general}</Text>
              {incomplete && (
                <Group>
                  <Button size="xs" variant="white" color="red" onClick={onIncompleteChecklist}>
                    {t('workOrders.goToChecklist')}
                  </Button>
                </Group>
              )}
            </Stack>
          </Alert>
        )}
        <FindingsNotice order={order} />
        <Textarea
          label={t('workOrders.workPerformed')}
          placeholder={t('workOrders.workPerformedPlaceholder')}
          required
          autosize
          minRows={3}
          maxRows={10}
          data-autofocus
          {...form.getInputProps('work_performed')}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Select
            label={t('failureKind.problem')}
            placeholder={t('workOrders.noCode')}
            data={codeOptions(problems)}
            searchable
            clearable
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('failure_problem_id')}
          />
          <Select
            label={t('failureKind.cause')}
            placeholder={t('workOrders.noCode')}
            data={codeOptions(causes)}
            searchable
            clearable
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('failure_cause_id')}
          />
          <Select
            label={t('failureKind.remedy')}
            placeholder={t('workOrders.noCode')}
            data={codeOptions(remedies)}
            searchable
            clearable
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('failure_remedy_id')}
          />
        </SimpleGrid>
        <TextInput
          label={t('workOrders.rootCause')}
          placeholder={t('workOrders.rootCausePlaceholder')}
          {...form.getInputProps('root_cause')}
        />
        <Input.Wrapper
          label={t('workOrders.downtime')}
          labelElement="div"
          labelProps={{ id: 'downtime-label' }}
          description={
            stopped && order.downtime_start
              ? t('workOrders.stoppedSinceHelp', {
                  date: formatDateTime(order.downtime_start, i18n.language),
                })
              : undefined
          }
        >
          <SegmentedControl
            display="flex"
            w="fit-content"
            mt={4}
            aria-labelledby="downtime-label"
            data={[
              { value: 'none', label: t('workOrders.downtimeNone') },
              { value: 'minutes', label: t('workOrders.downtimeMinutes') },
              { value: 'period', label: t('workOrders.downtimePeriod') },
            ]}
            {...form.getInputProps('downtime_mode')}
          />
        </Input.Wrapper>
        {values.downtime_mode === 'minutes' && (
          <NumberInput
            label={t('workOrders.downtimeMinutesLabel')}
            description={
              stopped && order.downtime_start
                ? t('workOrders.downtimeMinutesFrom', {
                    date: formatDateTime(order.downtime_start, i18n.language),
                  })
                : undefined
            }
            min={0}
            allowDecimal={false}
            suffix=" min"
            {...form.getInputProps('downtime_minutes')}
          />
        )}
        {values.downtime_mode === 'period' && (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" data-testid="downtime-period">
            <DateTimePicker
              label={t('workOrders.downtimeStart')}
              valueFormat="D MMM YYYY HH:mm"
              {...form.getInputProps('downtime_start')}
              onChange={onStart}
            />
            <DateTimePicker
              label={t('workOrders.downtimeEnd')}
              valueFormat="D MMM YYYY HH:mm"
              {...form.getInputProps('downtime_end')}
              onChange={onEnd}
            />
            <NumberInput
              label={t('workOrders.downtimeMinutesLabel')}
              description={
                periodMinutes !== null
                  ? t('workOrders.downtimeTotal', { duration: formatMinutes(periodMinutes) })
                  : undefined
              }
              min={0}
              allowDecimal={false}
              suffix=" min"
              {...form.getInputProps('downtime_minutes')}
              onChange={onPeriodMinutes}
            />
          </SimpleGrid>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} leftSection={<IconCheck size={18} />}>
            {t('woActions.complete')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface EditValues {
  title: string;
  description: string;
  priority: Priority;
  type: WorkOrderType;
  due_at: string | null;
  estimated_minutes: number | string;
}

/** Planners change what the work is, its priority and its due date (rescheduling). */
export function EditOrderDialog({
  order,
  opened,
  onClose,
}: {
  order: WorkOrder;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('workOrders.editTitle', { number: order.number })}
      size="lg"
    >
      {opened && <EditForm order={order} onClose={onClose} />}
    </Modal>
  );
}

function EditForm({ order, onClose }: { order: WorkOrder; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const refresh = useOrderRefresh();
  const initial: EditValues = {
    title: order.title,
    description: order.description ?? '',
    priority: order.priority,
    type: order.type,
    due_at: isoToPicker(order.due_at),
    estimated_minutes: order.estimated_minutes ?? '',
  };
  const form = useForm<EditValues>({
    initialValues: initial,
    validate: orderTextRules(i18n),
  });
  const { busy, general, submit } = useFormSubmit(form, async (v: EditValues) => {
    const body: Schemas['WorkOrderUpdate'] = {};
    if (v.title.trim() !== order.title) body.title = v.title.trim();
    if (v.description.trim() !== (order.description ?? '')) {
      body.description = v.description.trim() === '' ? null : v.description.trim();
    }
    if (v.priority !== order.priority) body.priority = v.priority;
    if (v.type !== order.type) body.type = v.type;
    const due = pickerToIso(v.due_at);
    const before = order.due_at ? new Date(order.due_at).toISOString() : null;
    if (due !== before) body.due_at = due;
    const estimate = v.estimated_minutes === '' ? null : Number(v.estimated_minutes);
    if (estimate !== (order.estimated_minutes ?? null)) body.estimated_minutes = estimate;
    if (Object.keys(body).length > 0) {
      await call(api.PATCH('/work-orders/{id}', { params: { path: { id: order.id } }, body }));
      await refresh();
      notifications.show({
        color: 'teal',
        message: t('workOrders.saved', { number: order.number }),
      });
    }
    onClose();
  });
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <TitleField {...form.getInputProps('title')} />
        <DescriptionField {...form.getInputProps('description')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <PrioritySelect {...form.getInputProps('priority')} />
          <TypeSelect {...form.getInputProps('type')} />
          <DueAtPicker
            description={t('workOrders.rescheduleHelp')}
            {...form.getInputProps('due_at')}
          />
          <EstimateInput {...form.getInputProps('estimated_minutes')} />
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
