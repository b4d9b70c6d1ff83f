// A supervisor's decision on a request: approve it into a work order (priority, type, who does
// it, by when, how long, the steps to follow) or reject it with a reason the requester reads.
import {
  Anchor,
  Button,
  Group,
  Input,
  Modal,
  MultiSelect,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import {
  api,
  call,
  type Priority,
  type Schemas,
  type WorkOrderType,
  type WorkRequest,
} from '../../api/client';
import { useAssignable } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { FormError } from '../../components/FormError';
import { ReasonDialog } from '../../components/ReasonDialog';
import { TemplatePicker } from '../../components/TemplatePicker';
import { fieldMessage } from '../../i18n/messages';
import { checkDraft, draftToItem, type ChecklistDraft } from '../../lib/checklist';
import { useFormSubmit } from '../../lib/forms';
import { pickerToIso } from '../../lib/format';
import { priorityForUrgency } from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { ChecklistBuilder } from '../workOrders/ChecklistBuilder';
import {
  DueAtPicker,
  EstimateInput,
  PrioritySelect,
  TypeSelect,
} from '../workOrders/WorkOrderFields';

interface ApproveValues {
  priority: Priority;
  type: WorkOrderType;
  assignee_ids: string[];
  due_at: string | null;
  estimated_minutes: number | string;
}

function ApproveForm({
  request,
  onClose,
  onApproved,
}: {
  request: WorkRequest;
  onClose: () => void;
  onApproved?: (result: Schemas['ApprovedRequest']) => void;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const canAssign = can(PERMISSIONS.workOrdersManage);
  const people = useAssignable(request.site_id, canAssign);
  const [drafts, setDrafts] = useState<ChecklistDraft[]>([]);
  const [showDraftErrors, setShowDraftErrors] = useState(false);
  const form = useForm<ApproveValues>({
    initialValues: {
      priority: priorityForUrgency(request.urgency),
      type: 'corrective',
      assignee_ids: [],
      due_at: null,
      estimated_minutes: '',
    },
    validate: {
      estimated_minutes: (v) =>
        v === '' || (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 100_000)
          ? null
          : fieldMessage(i18n, { code: 'out_of_range', min: 1, max: 100_000 }),
    },
  });
  const { busy, general, submit } = useFormSubmit(form, async (values: ApproveValues) => {
    const due = pickerToIso(values.due_at);
    const result = await call(
      api.POST('/requests/{id}/approve', {
        params: { path: { id: request.id } },
        body: {
          priority: values.priority,
          type: values.type,
          ...(values.assignee_ids.length > 0 ? { assignee_ids: values.assignee_ids } : {}),
          ...(due ? { due_at: due } : {}),
          ...(values.estimated_minutes !== ''
            ? { estimated_minutes: Number(values.estimated_minutes) }
            : {}),
          ...(drafts.length > 0 ? { checklist: drafts.map(draftToItem) } : {}),
        },
      }),
    );
    await Promise.all(
      ['requests', 'work-orders', 'tenant'].map((key) =>
        queryClient.invalidateQueries({ queryKey: [key] }),
      ),
    );
    notifications.show({
      color: 'teal',
      title: t('inbox.approvedTitle', { number: request.number }),
      message: (
        <Anchor component={Link} to={`/work-orders/${result.work_order_id}`} size="sm">
          {t('inbox.approvedText', { number: result.work_order.number })}
        </Anchor>
      ),
    });
    onApproved?.(result);
    onClose();
  });
  const approve = (values: ApproveValues) => {
    if (drafts.every((d) => Object.keys(checkDraft(d)).length === 0)) void submit(values);
    else setShowDraftErrors(true);
  };
  return (
    <form onSubmit={form.onSubmit(approve)} noValidate>
      <Stack gap="md">
        <Text size="sm">
          <Text span fw={600}>
            {request.number}
          </Text>{' '}
          · {request.title}
        </Text>
        <FormError message={general} />
        <TemplatePicker
          current={{
            type: form.values.type,
            priority: form.values.priority,
            estimated_minutes: form.values.estimated_minutes,
            checklist: drafts,
          }}
          onApply={({ checklist, ...fields }) => {
            form.setValues(fields);
            if (checklist) setDrafts(checklist);
          }}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <PrioritySelect {...form.getInputProps('priority')} />
          <TypeSelect {...form.getInputProps('type')} />
        </SimpleGrid>
        {canAssign && (
          <MultiSelect
            label={t('workOrders.assignees')}
            description={t('inbox.assigneesHelp')}
            placeholder={t('workOrders.pickPeople')}
            data={(people.data?.items ?? []).map((m) => ({
              value: m.id,
              label: `${m.full_name} · ${m.role.name}`,
            }))}
            searchable
            clearable
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('assignee_ids')}
          />
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <DueAtPicker minDate={new Date()} {...form.getInputProps('due_at')} />
          <EstimateInput {...form.getInputProps('estimated_minutes')} />
        </SimpleGrid>
        <Input.Wrapper
          label={t('workOrders.sections.checklist')}
          description={t('inbox.checklistHelp')}
        >
          <Stack mt={8}>
            <ChecklistBuilder drafts={drafts} onChange={setDrafts} showErrors={showDraftErrors} />
          </Stack>
        </Input.Wrapper>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="teal" loading={busy} data-autofocus>
            {t('inbox.approve')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ApproveDialog({
  request,
  onClose,
  onApproved,
}: {
  request: WorkRequest | null;
  onClose: () => void;
  onApproved?: (result: Schemas['ApprovedRequest']) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={request !== null} onClose={onClose} title={t('inbox.approveTitle')} size="lg">
      {request && <ApproveForm request={request} onClose={onClose} onApproved={onApproved} />}
    </Modal>
  );
}

export function RejectDialog({
  request,
  onClose,
}: {
  request: WorkRequest | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const reject = async (reason: string) => {
    if (!request) return;
    await call(
      api.POST('/requests/{id}/reject', {
        params: { path: { id: request.id } },
        body: { reason },
      }),
    );
    await Promise.all(
      ['requests', 'tenant'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })),
    );
    notifications.show({
      color: 'teal',
      message: t('inbox.rejected', { number: request.number }),
    });
  };
  return (
    <ReasonDialog
      opened={request !== null}
      title={t('inbox.rejectTitle')}
      message={
        request ? (
          <Text span size="sm">
            {t('inbox.rejectText', { number: request.number, title: request.title })}
          </Text>
        ) : undefined
      }
      label={t('inbox.rejectReason')}
      placeholder={t('inbox.rejectPlaceholder')}
      confirmLabel={t('inbox.reject')}
      danger
      onConfirm={reject}
      onClose={onClose}
    />
  );
}
