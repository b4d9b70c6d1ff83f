// Follow-up orders: what an order's checklist found out of tolerance becomes a corrective order
// on the same equipment, prefilled by the server (`GET …/follow-up`) and linked both ways. Raised
// from the prompt after completion or from the order's page; the links shown on both orders.
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  List,
  Modal,
  MultiSelect,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowRight, IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { api, call, type Priority, type Schemas, type WorkOrder } from '../../api/client';
import { useAssignable, useFollowUpDraft } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { FormError } from '../../components/FormError';
import { QueryError } from '../../components/QueryError';
import { WorkOrderStatusBadge } from '../../components/badges';
import { pickerToIso } from '../../lib/format';
import { useFormSubmit } from '../../lib/forms';
import { findingValue, type Finding, type FollowUpDraft } from '../../lib/followUp';
import { PERMISSIONS } from '../../lib/permissions';
import { useOrderRefresh } from './useOrderRefresh';
import { DescriptionField, DueAtPicker, PrioritySelect, TitleField } from './WorkOrderFields';
import { orderTextRules } from '../../lib/workOrderForm';

/** What the checklist found: each item, what is wrong with it, the reading and its bounds. */
export function FindingsList({ findings }: { findings: Finding[] }) {
  const { t, i18n } = useTranslation();
  return (
    <List size="sm" spacing={4} data-testid="findings">
      {findings.map((f) => {
        const value = findingValue(f, i18n.language, (range) => t('followUp.expected', { range }));
        return (
          <List.Item key={f.item_id} data-kind={f.kind}>
            <Text span fw={600} size="sm">
              {f.label}
            </Text>{' '}
            <Text span size="sm">
              — {i18n.exists(`followUp.kinds.${f.kind}`) ? t(`followUp.kinds.${f.kind}`) : f.kind}
              {value ? ` : ${value}` : ''}
            </Text>
          </List.Item>
        );
      })}
    </List>
  );
}

/** In the completion dialog, before completing: what was found, and that a follow-up will come. */
export function FindingsNotice({ order }: { order: WorkOrder }) {
  const { t, i18n } = useTranslation();
  const draft = useFollowUpDraft(order.id, i18n.language);
  const findings = draft.data?.findings ?? [];
  if (findings.length === 0) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle />}
      title={t('followUp.findingsBefore', { count: findings.length })}
      data-testid="findings-notice"
    >
      <FindingsList findings={findings} />
    </Alert>
  );
}

interface FollowUpValues {
  title: string;
  description: string;
  priority: Priority;
  due_at: string | null;
  assignee_ids: string[];
}

/** The follow-up, prefilled from the draft; planners may assign it at once. */
function FollowUpForm({
  order,
  draft,
  cancelLabel,
  onCancel,
  onCreated,
}: {
  order: WorkOrder;
  draft: FollowUpDraft;
  cancelLabel: string;
  onCancel: () => void;
  onCreated: (created: WorkOrder) => void;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const refresh = useOrderRefresh();
  const planner = can(PERMISSIONS.workOrdersManage);
  const people = useAssignable(order.site_id, planner);
  const form = useForm<FollowUpValues>({
    initialValues: {
      title: draft.title,
      description: draft.description,
      priority: draft.priority,
      due_at: null,
      assignee_ids: [],
    },
    validate: orderTextRules(i18n),
  });
  const { busy, general, submit } = useFormSubmit(form, async (v: FollowUpValues) => {
    const body: Schemas['NewFollowUp'] = { title: v.title.trim(), priority: v.priority };
    if (v.description.trim()) body.description = v.description.trim();
    const due = pickerToIso(v.due_at);
    if (due) body.due_at = due;
    if (planner && v.assignee_ids.length > 0) body.assignee_ids = v.assignee_ids;
    const created = await call(
      api.POST('/work-orders/{id}/follow-ups', { params: { path: { id: order.id } }, body }),
    );
    await refresh();
    notifications.show({
      color: 'teal',
      message: t('followUp.created', { number: created.number }),
    });
    onCreated(created);
  });
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate data-testid="follow-up-form">
      <Stack gap="md">
        <FormError message={general} />
        <TitleField {...form.getInputProps('title')} />
        <DescriptionField {...form.getInputProps('description')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <PrioritySelect {...form.getInputProps('priority')} />
          <DueAtPicker {...form.getInputProps('due_at')} />
        </SimpleGrid>
        {planner ? (
          <MultiSelect
            label={t('workOrders.assignees')}
            description={t('followUp.assigneesHelp')}
            placeholder={t('workOrders.pickPeople')}
            data={(people.data?.items ?? []).map((m) => ({
              value: m.id,
              label: `${m.full_name} · ${m.role.name}`,
            }))}
            searchable
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('assignee_ids')}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {t('followUp.plannedLater')}
          </Text>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            {cancelLabel}
          </Button>
          <Button type="submit" loading={busy}>
            {t('followUp.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Once created: the new order's number, the way to it, and the way back. */
function Created({
  order,
  created,
  onClose,
}: {
  order: WorkOrder;
  created: WorkOrder;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" data-testid="follow-up-created">
      <Alert
        color="teal"
        variant="light"
        icon={<IconCircleCheck />}
        title={t('followUp.createdTitle', { number: created.number })}
      >
        {t('followUp.createdText', { source: order.number })}
      </Alert>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          {t('common.close')}
        </Button>
        <Button
          component={Link}
          to={`/work-orders/${created.id}`}
          onClick={onClose}
          rightSection={<IconArrowRight size={16} />}
        >
          {t('followUp.open', { number: created.number })}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * The follow-up step of the completion dialog: the findings, the prefilled form, "later";
 * then the link to the new order.
 */
export function FollowUpPrompt({
  order,
  draft,
  onClose,
}: {
  order: WorkOrder;
  draft: FollowUpDraft;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<WorkOrder | null>(null);
  if (created) return <Created order={order} created={created} onClose={onClose} />;
  return (
    <Stack gap="md" data-testid="follow-up-prompt">
      <Text size="sm" c="teal.8" fw={500}>
        {t('followUp.completed', { number: order.number })}
      </Text>
      <Alert
        color="orange"
        variant="light"
        icon={<IconAlertTriangle />}
        title={t('followUp.promptTitle', { count: draft.findings.length })}
      >
        <Stack gap="xs">
          <FindingsList findings={draft.findings} />
          <Text size="sm">{t('followUp.promptText')}</Text>
        </Stack>
      </Alert>
      <FollowUpForm
        order={order}
        draft={draft}
        cancelLabel={t('followUp.later')}
        onCancel={onClose}
        onCreated={setCreated}
      />
    </Stack>
  );
}

function FollowUpDialogBody({ order, onClose }: { order: WorkOrder; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const draft = useFollowUpDraft(order.id, i18n.language);
  const [created, setCreated] = useState<WorkOrder | null>(null);
  if (created) return <Created order={order} created={created} onClose={onClose} />;
  if (draft.isError) {
    return <QueryError error={draft.error} onRetry={() => void draft.refetch()} />;
  }
  if (!draft.data) {
    return (
      <Stack gap="md">
        <Skeleton h={36} />
        <Skeleton h={90} />
        <Skeleton h={36} />
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      {draft.data.findings.length > 0 && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle />}
          title={t('followUp.findings')}
        >
          <FindingsList findings={draft.data.findings} />
        </Alert>
      )}
      <FollowUpForm
        order={order}
        draft={draft.data}
        cancelLabel={t('common.cancel')}
        onCancel={onClose}
        onCreated={setCreated}
      />
    </Stack>
  );
}

/** "Create a follow-up order" from the order's page, prefilled the same way. */
export function FollowUpDialog({
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
      title={t('followUp.dialogTitle', { number: order.number })}
      size="lg"
    >
      {opened && <FollowUpDialogBody order={order} onClose={onClose} />}
    </Modal>
  );
}

/** "Follow-up of BT-…": the order whose findings this one follows up. */
export function FollowUpOf({ link }: { link: Schemas['OrderLink'] }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="wrap" data-testid="follow-up-of">
      <Anchor component={Link} to={`/work-orders/${link.id}`} size="sm">
        {t('followUp.of', { number: link.number })}
      </Anchor>
      <WorkOrderStatusBadge status={link.status} size="xs" />
    </Group>
  );
}

/** The orders raised to follow this one up, each with where it stands. */
export function FollowUpsSection({ order }: { order: WorkOrder }) {
  const { t } = useTranslation();
  if (order.follow_ups.length === 0) return null;
  return (
    <Card component="section" aria-labelledby="follow-ups-title" data-testid="follow-ups">
      <Title order={2} fz="lg" mb="sm" id="follow-ups-title">
        {t('followUp.listTitle')}
      </Title>
      <Stack gap="xs">
        {order.follow_ups.map((f) => (
          <Group key={f.id} justify="space-between" gap="xs" wrap="nowrap" data-testid="follow-up">
            <Anchor component={Link} to={`/work-orders/${f.id}`} ff="monospace" fw={600} size="sm">
              {f.number}
            </Anchor>
            <WorkOrderStatusBadge status={f.status} size="sm" />
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
