// A category's specification template as administrators write it: the category, then its fields
// in the order equipment pages show them (label, key, unit). A new field's key follows its label
// until someone edits it; an existing field's key stays (recorded values use it). The whole
// template is sent each time.
import {
  ActionIcon,
  Autocomplete,
  Badge,
  Button,
  Card,
  Flex,
  Grid,
  Group,
  Input,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call } from '../../api/client';
import { ApiError } from '../../api/errors';
import { FormError } from '../../components/FormError';
import { errorMessage, fieldMessage } from '../../i18n/messages';
import { rule } from '../../lib/forms';
import {
  SPEC_CATEGORY_MAX,
  SPEC_FIELDS_MAX,
  checkFieldDrafts,
  draftErrorPath,
  fieldDrafts,
  hasDraftErrors,
  moveField,
  newDraftUid,
  relabel,
  templateRequest,
  type DraftErrors,
  type FieldDraft,
  type SpecTemplate,
} from '../../lib/specTemplates';
import { checkName } from '../../lib/validation';

function FieldRow({
  draft,
  index,
  count,
  errors,
  onChange,
  onLabel,
  onMove,
  onRemove,
}: {
  draft: FieldDraft;
  index: number;
  count: number;
  errors: DraftErrors;
  onChange: (patch: Partial<FieldDraft>) => void;
  onLabel: (label: string) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}) {
  const { t, i18n } = useTranslation();
  const n = index + 1;
  const message = (part: keyof DraftErrors) => {
    const problem = errors[part];
    return problem ? fieldMessage(i18n, problem) : undefined;
  };
  return (
    <Card
      withBorder
      p="sm"
      data-testid="spec-field"
      role="group"
      aria-label={t('specTemplates.fieldN', { n })}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Badge variant="light" color="gray" circle mt={32} aria-hidden visibleFrom="xs">
          {n}
        </Badge>
        <Grid gap="sm" style={{ flex: 1, minWidth: 0 }}>
          <Grid.Col span={{ base: 12, sm: 5 }}>
            <TextInput
              label={t('specTemplates.label')}
              aria-label={t('specTemplates.labelN', { n })}
              placeholder={t('specTemplates.labelPlaceholder')}
              required
              value={draft.label}
              onChange={(e) => onLabel(e.currentTarget.value)}
              error={message('label')}
              maxLength={200}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 7, sm: 4 }}>
            <TextInput
              label={t('specTemplates.key')}
              aria-label={t('specTemplates.keyN', { n })}
              placeholder={draft.label === '' ? 'puissance' : undefined}
              required
              spellCheck={false}
              autoCapitalize="none"
              autoCorrect="off"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              value={draft.key}
              onChange={(e) => {
                // Emptied, the key follows the label again.
                const key = e.currentTarget.value;
                onChange({ key, keyEdited: key.trim() !== '' });
              }}
              error={message('key')}
              maxLength={80}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 5, sm: 3 }}>
            <TextInput
              label={t('specTemplates.unit')}
              aria-label={t('specTemplates.unitN', { n })}
              placeholder={draft.label === '' ? 'kW' : undefined}
              value={draft.unit}
              onChange={(e) => onChange({ unit: e.currentTarget.value })}
              error={message('unit')}
              maxLength={60}
            />
          </Grid.Col>
        </Grid>
        <Flex direction={{ base: 'column', sm: 'row' }} gap={2} mt={{ base: 24, sm: 28 }}>
          <Tooltip label={t('specTemplates.moveUp')}>
            <ActionIcon
              variant="subtle"
              color="gray"
              disabled={index === 0}
              onClick={() => onMove(-1)}
              aria-label={t('specTemplates.moveUpN', { n })}
            >
              <IconArrowUp size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('specTemplates.moveDown')}>
            <ActionIcon
              variant="subtle"
              color="gray"
              disabled={index === count - 1}
              onClick={() => onMove(1)}
              aria-label={t('specTemplates.moveDownN', { n })}
            >
              <IconArrowDown size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('specTemplates.removeField')}>
            <ActionIcon
              variant="subtle"
              color="red"
              onClick={onRemove}
              aria-label={t('specTemplates.removeFieldN', { n })}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Flex>
      </Group>
    </Card>
  );
}

export function SpecTemplateForm({
  template,
  category,
  categories,
  onClose,
}: {
  template: SpecTemplate | null;
  /** A category to start a new template with. */
  category?: string;
  /** Categories in use that have no template yet (suggested). */
  categories: readonly string[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [drafts, setDrafts] = useState<FieldDraft[]>(() =>
    template
      ? fieldDrafts(template.fields)
      : [{ uid: newDraftUid(), label: '', key: '', unit: '', keyEdited: false }],
  );
  const [showErrors, setShowErrors] = useState(false);
  // The server's refusals, by field position; a field's own are dropped when it changes.
  const [serverErrors, setServerErrors] = useState<Record<string, DraftErrors>>({});
  const [listError, setListError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { category: template?.category ?? category ?? '' },
    validateInputOnBlur: true,
    validate: { category: rule(i18n, (v: string) => checkName(v, SPEC_CATEGORY_MAX)) },
  });

  const checks = checkFieldDrafts(drafts);
  const errorsOf = (draft: FieldDraft, index: number): DraftErrors => ({
    ...(showErrors ? checks[index] : {}),
    ...serverErrors[draft.uid],
  });
  const update = (next: FieldDraft[], touched?: string) => {
    setDrafts(next);
    setListError(null);
    if (touched && serverErrors[touched]) {
      const rest = { ...serverErrors };
      delete rest[touched];
      setServerErrors(rest);
    }
  };

  const save = async (values: { category: string }) => {
    setShowErrors(true);
    setGeneral(null);
    if (drafts.length > SPEC_FIELDS_MAX) {
      setListError(t('specTemplates.tooManyFields', { max: SPEC_FIELDS_MAX }));
      return;
    }
    if (hasDraftErrors(checks)) return;
    setBusy(true);
    try {
      const body = templateRequest(values.category, drafts);
      const saved = template
        ? await call(
            api.PUT('/spec-templates/{id}', { params: { path: { id: template.id } }, body }),
          )
        : await call(api.POST('/spec-templates', { body }));
      await queryClient.invalidateQueries({ queryKey: ['spec-templates'] });
      notifications.show({
        color: 'teal',
        message: t(template ? 'specTemplates.saved' : 'specTemplates.created', {
          category: saved.category,
        }),
      });
      onClose();
    } catch (error) {
      if (!(error instanceof ApiError)) {
        setGeneral(errorMessage(i18n, error));
        return;
      }
      if (error.code === 'category_taken') {
        form.setFieldError('category', errorMessage(i18n, error));
        return;
      }
      const placed: Record<string, DraftErrors> = {};
      let unplaced = false;
      for (const [name, problem] of Object.entries(error.fields)) {
        const path = draftErrorPath(name);
        const draft = path ? drafts[path.index] : undefined;
        if (path && draft) placed[draft.uid] = { ...placed[draft.uid], [path.part]: problem };
        else if (name === 'category') form.setFieldError('category', fieldMessage(i18n, problem));
        else if (name === 'fields') {
          setListError(
            problem.code === 'too_many_items'
              ? t('specTemplates.tooManyFields', { max: SPEC_FIELDS_MAX })
              : fieldMessage(i18n, problem),
          );
        } else unplaced = true;
      }
      setServerErrors(placed);
      if (unplaced || Object.keys(error.fields).length === 0) {
        setGeneral(errorMessage(i18n, error));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={form.onSubmit((v) => void save(v))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <Autocomplete
          label={t('specTemplates.category')}
          description={t('specTemplates.categoryHelp')}
          required
          data={[...categories]}
          comboboxProps={{ withinPortal: true }}
          data-autofocus={template ? undefined : true}
          {...form.getInputProps('category')}
        />
        <Input.Wrapper
          label={t('specTemplates.fields')}
          description={t('specTemplates.fieldsHelp')}
          error={listError}
        >
          <Stack gap="xs" mt={8}>
            {drafts.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('specTemplates.noFields')}
              </Text>
            )}
            {drafts.map((draft, index) => (
              <FieldRow
                key={draft.uid}
                draft={draft}
                index={index}
                count={drafts.length}
                errors={errorsOf(draft, index)}
                onLabel={(label) => update(relabel(drafts, index, label), draft.uid)}
                onChange={(patch) =>
                  update(
                    drafts.map((d, i) => (i === index ? { ...d, ...patch } : d)),
                    draft.uid,
                  )
                }
                onMove={(by) => update(moveField(drafts, index, by))}
                onRemove={() =>
                  update(
                    drafts.filter((_, i) => i !== index),
                    draft.uid,
                  )
                }
              />
            ))}
            <Button
              variant="light"
              w="fit-content"
              leftSection={<IconPlus size={16} />}
              disabled={drafts.length >= SPEC_FIELDS_MAX}
              onClick={() =>
                update([
                  ...drafts,
                  { uid: newDraftUid(), label: '', key: '', unit: '', keyEdited: false },
                ])
              }
            >
              {t('specTemplates.addField')}
            </Button>
          </Stack>
        </Input.Wrapper>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {template ? t('common.save') : t('specTemplates.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
