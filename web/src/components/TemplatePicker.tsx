// Starting points for a form: a work-order template fills its type, priority, title,
// description, estimate and checklist (asking before it overwrites what the person typed); a
// checklist template appends its items to a checklist being written.
import { Button, Group, List, Menu, Modal, ScrollArea, Select, Stack, Text } from '@mantine/core';
import { IconChevronDown, IconFileImport, IconTemplate } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useTemplates } from '../api/queries';
import { useAuth } from '../auth/context';
import type { ChecklistDraft } from '../lib/checklist';
import { PERMISSIONS } from '../lib/permissions';
import {
  applyFill,
  checklistDrafts,
  templateFill,
  wouldReplace,
  type TargetField,
  type TemplateTarget,
} from '../lib/templates';

/** Names of the fields in the question "replace …?". */
const FIELD_KEYS: Record<TargetField, string> = {
  type: 'templates.fields.type',
  priority: 'templates.fields.priority',
  title: 'templates.fields.title',
  description: 'templates.fields.description',
  estimated_minutes: 'templates.fields.estimate',
  checklist: 'templates.fields.checklist',
};

/**
 * "Start from a template": `current` holds the form's fields a template may fill (only those
 * the form has), `onApply` receives them once the template is applied.
 */
export function TemplatePicker({
  current,
  onApply,
}: {
  current: TemplateTarget;
  onApply: (next: TemplateTarget) => void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const allowed = can(PERMISSIONS.workOrdersRead);
  const templates = useTemplates({ kind: 'work_order', perPage: 200 }, allowed);
  const [chosen, setChosen] = useState<string | null>(null);
  const [pending, setPending] = useState<{
    fill: TemplateTarget;
    replaced: TargetField[];
    id: string;
  } | null>(null);
  if (!allowed) return null;
  const items = templates.data?.items ?? [];
  if (templates.isSuccess && items.length === 0) return null;

  const choose = (id: string | null) => {
    const template = items.find((item) => item.id === id);
    if (!template) {
      setChosen(null);
      return;
    }
    const fill = templateFill(template, current);
    const replaced = wouldReplace(current, fill);
    if (replaced.length === 0) {
      onApply(applyFill(current, fill));
      setChosen(template.id);
    } else {
      setPending({ fill, replaced, id: template.id });
    }
  };
  const finish = (keepFilled: boolean) => {
    if (!pending) return;
    onApply(applyFill(current, pending.fill, keepFilled));
    setChosen(pending.id);
    setPending(null);
  };

  return (
    <>
      <Select
        label={t('templates.startFrom')}
        description={t('templates.startFromHelp')}
        placeholder={t('templates.pickTemplate')}
        leftSection={<IconTemplate size={16} />}
        data={items.map((item) => ({ value: item.id, label: item.name }))}
        value={chosen}
        onChange={choose}
        searchable
        clearable
        nothingFoundMessage={t('common.nothingFound')}
        comboboxProps={{ withinPortal: true }}
        disabled={templates.isPending}
        data-testid="template-picker"
      />
      <Modal
        opened={pending !== null}
        onClose={() => setPending(null)}
        title={t('templates.replaceTitle')}
        size="lg"
        returnFocus={false}
      >
        {pending && (
          <Stack gap="md">
            <Text size="sm">{t('templates.replaceText')}</Text>
            <List size="sm">
              {pending.replaced.map((field) => (
                <List.Item key={field}>{t(FIELD_KEYS[field])}</List.Item>
              ))}
            </List>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setPending(null)}>
                {t('common.cancel')}
              </Button>
              <Button variant="light" onClick={() => finish(true)}>
                {t('templates.keepMine')}
              </Button>
              <Button onClick={() => finish(false)} data-autofocus>
                {t('templates.replace')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

/** "Import a checklist": appends the items of a checklist template. */
export function ChecklistImport({ onImport }: { onImport: (drafts: ChecklistDraft[]) => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [opened, setOpened] = useState(false);
  const allowed = can(PERMISSIONS.workOrdersRead);
  const templates = useTemplates({ kind: 'checklist', perPage: 200 }, allowed && opened);
  if (!allowed) return null;
  const items = templates.data?.items ?? [];
  return (
    <Menu opened={opened} onChange={setOpened} position="bottom-start" withinPortal width={320}>
      <Menu.Target>
        <Button
          variant="subtle"
          w="fit-content"
          leftSection={<IconFileImport size={16} />}
          rightSection={<IconChevronDown size={14} />}
        >
          {t('templates.importChecklist')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <ScrollArea.Autosize mah={320} type="auto">
          {templates.isPending && <Menu.Item disabled>{t('common.loading')}</Menu.Item>}
          {templates.isSuccess && items.length === 0 && (
            <Menu.Item disabled>{t('templates.noChecklists')}</Menu.Item>
          )}
          {items.map((item) => (
            <Menu.Item
              key={item.id}
              disabled={item.checklist.length === 0}
              onClick={() => onImport(checklistDrafts(item.checklist))}
            >
              <Text size="sm">{item.name}</Text>
              <Text size="xs" c="dimmed">
                {t('templates.itemCount', { count: item.checklist.length })}
              </Text>
            </Menu.Item>
          ))}
        </ScrollArea.Autosize>
      </Menu.Dropdown>
    </Menu>
  );
}
