// A template as planners write it: a named checklist, or a work order's starting point (type,
// priority, title, description, estimate and checklist). The whole template is sent each time.
import {
  Button,
  Group,
  Input,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call } from '../../api/client';
import { ApiError } from '../../api/errors';
import { FormError } from '../../components/FormError';
import { fieldMessage } from '../../i18n/messages';
import { checkDraft, type ChecklistDraft } from '../../lib/checklist';
import { rule, useFormSubmit } from '../../lib/forms';
import { PRIORITIES, WORK_ORDER_TYPES } from '../../lib/maintenance';
import {
  TEMPLATE_ITEMS_MAX,
  TEMPLATE_NAME_MAX,
  checklistDrafts,
  templateRequest,
  templateToValues,
  type Template,
  type TemplateKind,
  type TemplateValues,
} from '../../lib/templates';
import { checkName, checkOptionalText } from '../../lib/validation';
import { ChecklistBuilder } from '../workOrders/ChecklistBuilder';

export function TemplateForm({
  kind,
  template,
  onClose,
}: {
  kind: TemplateKind;
  template: Template | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const order = kind === 'work_order';
  const [drafts, setDrafts] = useState<ChecklistDraft[]>(
    template ? checklistDrafts(template.checklist) : [],
  );
  const [showDraftErrors, setShowDraftErrors] = useState(false);
  const [checklistError, setChecklistError] = useState<string | null>(null);
  const form = useForm<TemplateValues>({
    initialValues: templateToValues(template),
    validateInputOnBlur: ['name', 'title', 'description'],
    validate: {
      name: rule(i18n, (v: string) => checkName(v, TEMPLATE_NAME_MAX)),
      description: rule(i18n, (v: string) => checkOptionalText(v, 5000)),
      title: (v) => (order ? rule(i18n, (s: string) => checkName(s, 200))(v) : null),
      estimated_minutes: (v) =>
        !order ||
        v === '' ||
        (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 100_000)
          ? null
          : fieldMessage(i18n, { code: 'out_of_range', min: 1, max: 100_000 }),
    },
  });
  const { busy, general, submit } = useFormSubmit(
    form,
    async (values: TemplateValues) => {
      const body = templateRequest(kind, values, drafts);
      const saved = template
        ? await call(api.PUT('/templates/{id}', { params: { path: { id: template.id } }, body }))
        : await call(api.POST('/templates', { body }));
      await queryClient.invalidateQueries({ queryKey: ['templates'] });
      notifications.show({
        color: 'teal',
        message: t(template ? 'templates.saved' : 'templates.created', { name: saved.name }),
      });
      onClose();
    },
    (error) => {
      // Problems of the checklist (`checklist`, `checklist[3].label`) go under the builder.
      if (!(error instanceof ApiError)) return;
      const problem = Object.entries(error.fields).find(([name]) => name.startsWith('checklist'));
      if (problem) {
        setShowDraftErrors(true);
        setChecklistError(fieldMessage(i18n, problem[1]));
      }
    },
  );
  const save = (values: TemplateValues) => {
    setChecklistError(null);
    if (drafts.length > TEMPLATE_ITEMS_MAX) {
      setChecklistError(fieldMessage(i18n, { code: 'too_many_items', max: TEMPLATE_ITEMS_MAX }));
      return;
    }
    if (drafts.every((d) => Object.keys(checkDraft(d)).length === 0)) void submit(values);
    else setShowDraftErrors(true);
  };

  return (
    <form onSubmit={form.onSubmit(save)} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <TextInput
          label={t('templates.name')}
          description={t(`templates.nameHelp.${kind}`)}
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        {order && (
          <TextInput
            label={t('templates.orderTitle')}
            description={t('templates.orderTitleHelp')}
            required
            {...form.getInputProps('title')}
          />
        )}
        <Textarea
          label={order ? t('templates.orderDescription') : t('templates.descriptionLabel')}
          autosize
          minRows={2}
          maxRows={8}
          {...form.getInputProps('description')}
        />
        {order && (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <Select
              label={t('workOrders.type')}
              data={WORK_ORDER_TYPES.map((v) => ({ value: v, label: t(`woType.${v}`) }))}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('type')}
            />
            <Select
              label={t('workOrders.priority')}
              data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('priority')}
            />
            <NumberInput
              label={t('workOrders.estimatedMinutes')}
              min={1}
              max={100000}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps('estimated_minutes')}
            />
          </SimpleGrid>
        )}
        <Input.Wrapper
          label={t('templates.checklist')}
          description={t(`templates.checklistHelp.${kind}`)}
          error={checklistError}
        >
          <Stack mt={8}>
            <ChecklistBuilder drafts={drafts} onChange={setDrafts} showErrors={showDraftErrors} />
          </Stack>
        </Input.Wrapper>
        <Switch
          label={t('templates.activeLabel')}
          description={t('templates.activeHelp')}
          {...form.getInputProps('active', { type: 'checkbox' })}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {template ? t('common.save') : t('templates.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
