// The checklist of a work order as the technician answers it (tick, pass/fail, a measurement
// checked against its bounds, a note), and as the planner adds or removes items.
import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Card,
  Checkbox,
  Group,
  Progress,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call, type ChecklistItem, type WorkOrder } from '../../api/client';
import { useChecklist } from '../../api/queries';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { QueryError } from '../../components/QueryError';
import { errorMessage, fieldMessage, formErrors } from '../../i18n/messages';
import {
  answerBody,
  boundsText,
  checkDraft,
  draftToItem,
  emptyDraft,
  isAnswered,
  outOfRange,
  parseDecimal,
  type RawAnswer,
} from '../../lib/checklist';
import { formatDateTime } from '../../lib/format';
import { DraftFields } from './ChecklistBuilder';
import { useOrderRefresh } from './useOrderRefresh';

function ItemRow({
  order,
  item,
  editable,
  removable,
  highlight,
  onRemove,
}: {
  order: WorkOrder;
  item: ChecklistItem;
  editable: boolean;
  removable: boolean;
  highlight: boolean;
  onRemove: () => void;
}) {
  const { t, i18n } = useTranslation();
  const refresh = useOrderRefresh();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [number, setNumber] = useState(
    item.number_value != null
      ? String(item.number_value).replace('.', i18n.language.startsWith('fr') ? ',' : '.')
      : '',
  );
  const [text, setText] = useState(item.text_value ?? '');
  // Ticks and pass/fail show at once; a refusal puts them back.
  const [checked, setChecked] = useState(item.checked === true);
  const [passed, setPassed] = useState<boolean | null>(item.passed ?? null);
  const answered = isAnswered(item);
  const expected = boundsText(item, i18n.language);
  const typed = parseDecimal(number);
  const flagged =
    item.kind === 'number' &&
    (item.out_of_range || (typed !== null && !Number.isNaN(typed) && outOfRange(item, typed)));

  const send = async (raw: RawAnswer) => {
    const result = answerBody(raw);
    if ('problem' in result) {
      setError(result.problem ? fieldMessage(i18n, result.problem) : null);
      return;
    }
    if (raw.kind === 'checkbox') setChecked(raw.checked);
    if (raw.kind === 'pass_fail') setPassed(raw.passed);
    setBusy(true);
    setError(null);
    try {
      await call(
        api.PATCH('/work-orders/{id}/checklist/{item_id}', {
          params: { path: { id: order.id, item_id: item.id } },
          body: result.body,
        }),
      );
      await refresh();
    } catch (e) {
      const { fields, general } = formErrors(i18n, e, ['value'], {
        checked: 'value',
        passed: 'value',
        number_value: 'value',
        text_value: 'value',
      });
      setError(fields.value ?? general ?? errorMessage(i18n, e));
      setChecked(item.checked === true);
      setPassed(item.passed ?? null);
    } finally {
      setBusy(false);
    }
  };

  const label = (
    <Group gap={6} wrap="nowrap" component="span">
      <Text span fw={500} size="sm" style={{ overflowWrap: 'anywhere' }}>
        {item.label}
      </Text>
      {item.required && (
        <Text
          span
          c="red.7"
          fw={700}
          aria-label={t('checklist.required')}
          title={t('checklist.required')}
        >
          *
        </Text>
      )}
    </Group>
  );

  return (
    <Box
      py="sm"
      px="sm"
      data-testid="checklist-item"
      data-answered={answered}
      style={{
        borderRadius: 8,
        background:
          highlight && item.required && !answered ? 'var(--mantine-color-red-0)' : undefined,
        outline:
          highlight && item.required && !answered
            ? '1px solid var(--mantine-color-red-3)'
            : undefined,
      }}
    >
      <Group justify="space-between" gap="sm" wrap="nowrap" align="flex-start">
        <Box style={{ flex: 1, minWidth: 0 }}>
          {item.kind === 'checkbox' ? (
            <Checkbox
              size="md"
              label={label}
              checked={checked}
              disabled={!editable}
              onChange={(e) => void send({ kind: 'checkbox', checked: e.currentTarget.checked })}
            />
          ) : (
            <>
              {label}
              {item.kind === 'pass_fail' && (
                <SegmentedControl
                  mt={6}
                  size="sm"
                  disabled={!editable || busy}
                  aria-label={item.label}
                  value={passed === true ? 'pass' : passed === false ? 'fail' : 'none'}
                  color={passed === false ? 'red' : passed === true ? 'teal' : undefined}
                  onChange={(value) =>
                    void send({
                      kind: 'pass_fail',
                      passed: value === 'pass' ? true : value === 'fail' ? false : null,
                    })
                  }
                  data={[
                    { value: 'none', label: t('checklist.notAnswered') },
                    { value: 'pass', label: t('checklist.pass') },
                    { value: 'fail', label: t('checklist.fail') },
                  ]}
                />
              )}
              {item.kind === 'number' && (
                <Group gap="sm" mt={6} align="flex-start" wrap="wrap">
                  <TextInput
                    aria-label={item.label}
                    inputMode="decimal"
                    w={160}
                    value={number}
                    disabled={!editable || busy}
                    onChange={(e) => setNumber(e.currentTarget.value)}
                    onBlur={() => {
                      const before = item.number_value ?? null;
                      const now = parseDecimal(number);
                      if (now !== before) void send({ kind: 'number', value: number });
                    }}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        void send({ kind: 'number', value: number });
                      }
                    }}
                    rightSection={
                      item.unit ? (
                        <Text size="xs" c="dimmed" pr={6}>
                          {item.unit}
                        </Text>
                      ) : undefined
                    }
                    rightSectionWidth={item.unit ? 48 : undefined}
                    error={flagged}
                  />
                  <Stack gap={2} pt={4}>
                    {expected && (
                      <Text size="xs" c="dimmed">
                        {t('checklist.expected', { range: expected })}
                      </Text>
                    )}
                    {flagged && (
                      <Badge
                        color="red"
                        variant="light"
                        size="sm"
                        leftSection={<IconAlertTriangle size={12} />}
                      >
                        {t('checklist.outOfRange')}
                      </Badge>
                    )}
                  </Stack>
                </Group>
              )}
              {item.kind === 'text' && (
                <Textarea
                  mt={6}
                  aria-label={item.label}
                  autosize
                  minRows={1}
                  maxRows={6}
                  value={text}
                  disabled={!editable || busy}
                  onChange={(e) => setText(e.currentTarget.value)}
                  onBlur={() => {
                    if (text.trim() !== (item.text_value ?? ''))
                      void send({ kind: 'text', value: text });
                  }}
                />
              )}
            </>
          )}
          {error && (
            <Text size="xs" c="red.8" mt={4} role="alert">
              {error}
            </Text>
          )}
          {answered && item.completed_by_name && (
            <Text size="xs" c="dimmed" mt={4}>
              {t('checklist.answeredBy', {
                name: item.completed_by_name,
                date: formatDateTime(item.completed_at, i18n.language),
              })}
            </Text>
          )}
        </Box>
        {removable && (
          <Tooltip label={t('checklist.remove')}>
            <ActionIcon
              variant="subtle"
              color="gray"
              onClick={onRemove}
              aria-label={t('checklist.removeNamed', { label: item.label })}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
    </Box>
  );
}

function AddItem({ order, onDone }: { order: WorkOrder; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const refresh = useOrderRefresh();
  const [draft, setDraft] = useState(emptyDraft);
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    if (Object.keys(checkDraft(draft)).length > 0) {
      setShowErrors(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call(
        api.POST('/work-orders/{id}/checklist', {
          params: { path: { id: order.id } },
          body: draftToItem(draft),
        }),
      );
      await refresh();
      notifications.show({
        color: 'teal',
        message: t('checklist.added', { label: draft.label.trim() }),
      });
      setDraft(emptyDraft());
      setShowErrors(false);
      onDone();
    } catch (e) {
      setError(errorMessage(i18n, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card p="sm" bg="var(--mantine-color-gray-0)" data-testid="checklist-add">
      <Stack gap="sm">
        <DraftFields draft={draft} index={0} onChange={setDraft} showErrors={showErrors} />
        {error && (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" size="xs" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button size="xs" loading={busy} onClick={() => void add()}>
            {t('checklist.addItem')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function WorkOrderChecklist({
  order,
  editable,
  plan,
  highlight,
}: {
  order: WorkOrder;
  /** The caller answers now (assigned, work under way). */
  editable: boolean;
  /** The caller plans (adds and removes items) and the order is not finished. */
  plan: boolean;
  /** After a refused completion: the open required items stand out. */
  highlight: boolean;
}) {
  const { t } = useTranslation();
  const refresh = useOrderRefresh();
  const list = useChecklist(order.id);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<ChecklistItem | null>(null);
  const items = list.data?.items ?? [];
  const done = items.filter(isAnswered).length;
  const openRequired = items.filter((i) => i.required && !isAnswered(i)).length;

  const remove = async (item: ChecklistItem) => {
    await call(
      api.DELETE('/work-orders/{id}/checklist/{item_id}', {
        params: { path: { id: order.id, item_id: item.id } },
      }),
    );
    await refresh();
  };

  return (
    <Card component="section" id="checklist" aria-labelledby="checklist-title">
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={2} fz="lg" id="checklist-title">
          {t('checklist.title')}
        </Title>
        {items.length > 0 && (
          <Text size="sm" c="dimmed">
            {t('workOrders.checklistProgress', { done, total: items.length })}
          </Text>
        )}
      </Group>
      {items.length > 0 && (
        <Progress
          value={(done / items.length) * 100}
          color={done === items.length ? 'teal' : undefined}
          size="sm"
          mb="sm"
          aria-label={t('checklist.title')}
        />
      )}
      {openRequired > 0 && editable && (
        <Text size="sm" c={highlight ? 'red.8' : 'dimmed'} mb="xs">
          {t('checklist.requiredOpen', { count: openRequired })}
        </Text>
      )}
      {!editable && items.length > 0 && order.status === 'assigned' && (
        <Text size="sm" c="dimmed" mb="xs">
          {t('checklist.startFirst')}
        </Text>
      )}
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <Skeleton h={80} />
      ) : items.length === 0 && !adding ? (
        <Text size="sm" c="dimmed">
          {t('checklist.empty')}
        </Text>
      ) : (
        <Stack gap={2}>
          {items.map((item) => (
            <ItemRow
              key={`${item.id}-${item.completed_at ?? ''}`}
              order={order}
              item={item}
              editable={editable}
              removable={plan}
              highlight={highlight}
              onRemove={() => setRemoving(item)}
            />
          ))}
        </Stack>
      )}
      {plan && (
        <Box mt="sm">
          {adding ? (
            <AddItem order={order} onDone={() => setAdding(false)} />
          ) : (
            <Button
              variant="light"
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => setAdding(true)}
            >
              {t('checklist.addItem')}
            </Button>
          )}
        </Box>
      )}
      <ConfirmDialog
        opened={removing !== null}
        title={t('checklist.removeTitle')}
        message={t('checklist.removeText', { label: removing?.label ?? '' })}
        confirmLabel={t('checklist.remove')}
        danger
        onConfirm={() => (removing ? remove(removing) : Promise.resolve())}
        onClose={() => setRemoving(null)}
      />
    </Card>
  );
}
