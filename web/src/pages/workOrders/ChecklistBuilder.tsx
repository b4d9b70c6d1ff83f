// Planners write checklists: checkboxes, pass/fail checks, measurements with a unit and bounds
// (a value outside is recorded and flagged), free text; each item may be required.
import {
  ActionIcon,
  Button,
  Card,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

import { ChecklistImport } from '../../components/TemplatePicker';
import { fieldMessage } from '../../i18n/messages';
import { CHECKLIST_KINDS, checkDraft, emptyDraft, type ChecklistDraft } from '../../lib/checklist';

/** One item being written; `errors` come from `checkDraft` (shown once the planner submits). */
export function DraftFields({
  draft,
  index,
  onChange,
  showErrors,
}: {
  draft: ChecklistDraft;
  index: number;
  onChange: (draft: ChecklistDraft) => void;
  showErrors: boolean;
}) {
  const { t, i18n } = useTranslation();
  const problems = showErrors ? checkDraft(draft) : {};
  const error = (field: string) => {
    const problem = problems[field];
    return problem ? fieldMessage(i18n, problem) : undefined;
  };
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput
          label={t('checklist.itemLabel')}
          placeholder={t('checklist.itemPlaceholder')}
          required
          value={draft.label}
          onChange={(e) => onChange({ ...draft, label: e.currentTarget.value })}
          error={error('label')}
          style={{ gridColumn: 'span 2' }}
          aria-label={t('checklist.itemLabelN', { n: index + 1 })}
        />
        <Select
          label={t('checklist.kind')}
          data={CHECKLIST_KINDS.map((k) => ({ value: k, label: t(`checklistKind.${k}`) }))}
          value={draft.kind}
          allowDeselect={false}
          onChange={(value) => {
            const kind = CHECKLIST_KINDS.find((k) => k === value);
            if (kind) onChange({ ...draft, kind });
          }}
          aria-label={t('checklist.kindN', { n: index + 1 })}
        />
      </SimpleGrid>
      {draft.kind === 'number' && (
        <SimpleGrid cols={{ base: 3 }} spacing="sm">
          <TextInput
            label={t('checklist.unit')}
            placeholder="bar"
            value={draft.unit}
            onChange={(e) => onChange({ ...draft, unit: e.currentTarget.value })}
            error={error('unit')}
          />
          <TextInput
            label={t('checklist.min')}
            inputMode="decimal"
            value={String(draft.min)}
            onChange={(e) => onChange({ ...draft, min: e.currentTarget.value })}
            error={error('min')}
          />
          <TextInput
            label={t('checklist.max')}
            inputMode="decimal"
            value={String(draft.max)}
            onChange={(e) => onChange({ ...draft, max: e.currentTarget.value })}
            error={error('max')}
          />
        </SimpleGrid>
      )}
      <Checkbox
        label={t('checklist.requiredLabel')}
        description={t('checklist.requiredHelp')}
        checked={draft.required}
        onChange={(e) => onChange({ ...draft, required: e.currentTarget.checked })}
      />
    </Stack>
  );
}

/** The checklist of a new work order: items added, reordered and removed before creation. */
export function ChecklistBuilder({
  drafts,
  onChange,
  showErrors,
}: {
  drafts: ChecklistDraft[];
  onChange: (drafts: ChecklistDraft[]) => void;
  showErrors: boolean;
}) {
  const { t } = useTranslation();
  const move = (from: number, to: number) => {
    const next = [...drafts];
    const [item] = next.splice(from, 1);
    if (item) next.splice(to, 0, item);
    onChange(next);
  };
  return (
    <Stack gap="sm">
      {drafts.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('checklist.noneYet')}
        </Text>
      )}
      {drafts.map((draft, index) => (
        <Card key={index} p="sm" bg="var(--mantine-color-gray-0)" data-testid="checklist-draft">
          <Group justify="space-between" mb="xs">
            <Text size="sm" fw={600}>
              {t('checklist.itemN', { n: index + 1 })}
            </Text>
            <Group gap={2}>
              <Tooltip label={t('checklist.moveUp')}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  disabled={index === 0}
                  onClick={() => move(index, index - 1)}
                  aria-label={t('checklist.moveUpN', { n: index + 1 })}
                >
                  <IconArrowUp size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('checklist.moveDown')}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  disabled={index === drafts.length - 1}
                  onClick={() => move(index, index + 1)}
                  aria-label={t('checklist.moveDownN', { n: index + 1 })}
                >
                  <IconArrowDown size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('checklist.remove')}>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  onClick={() => onChange(drafts.filter((_, i) => i !== index))}
                  aria-label={t('checklist.removeN', { n: index + 1 })}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          </Group>
          <DraftFields
            draft={draft}
            index={index}
            showErrors={showErrors}
            onChange={(next) => onChange(drafts.map((d, i) => (i === index ? next : d)))}
          />
        </Card>
      ))}
      <Group gap="sm">
        <Button
          variant="light"
          w="fit-content"
          leftSection={<IconPlus size={16} />}
          onClick={() => onChange([...drafts, emptyDraft()])}
        >
          {t('checklist.addItem')}
        </Button>
        <ChecklistImport onImport={(items) => onChange([...drafts, ...items])} />
      </Group>
    </Stack>
  );
}
