// A planner creates work by hand: what, on which equipment, how urgent, by when, by whom, and
// the checklist the technician follows.
import { Button, Group, MultiSelect, SimpleGrid, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';

import { api, call, type Equipment, type Priority, type WorkOrderType } from '../../api/client';
import { useAssignable, useEquipment } from '../../api/queries';
import { EquipmentPicker } from '../../components/EquipmentPicker';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { TemplatePicker } from '../../components/TemplatePicker';
import { fieldMessage } from '../../i18n/messages';
import { checkDraft, draftToItem, type ChecklistDraft } from '../../lib/checklist';
import { scrollToTop, useFormSubmit } from '../../lib/forms';
import { pickerToIso } from '../../lib/format';
import { ChecklistBuilder } from './ChecklistBuilder';
import {
  DescriptionField,
  DueAtPicker,
  EstimateInput,
  PrioritySelect,
  TitleField,
  TypeSelect,
} from './WorkOrderFields';
import { ESTIMATE_MAX, orderTextRules } from '../../lib/workOrderForm';

interface Values {
  type: WorkOrderType;
  priority: Priority;
  equipment_id: string | null;
  title: string;
  description: string;
  due_at: string | null;
  estimated_minutes: number | string;
  assignee_ids: string[];
}

function WorkOrderForm({ preset }: { preset: Equipment | null }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [equipment, setEquipment] = useState<Equipment | null>(preset);
  const [drafts, setDrafts] = useState<ChecklistDraft[]>([]);
  const [showDraftErrors, setShowDraftErrors] = useState(false);
  const people = useAssignable(equipment?.site_id ?? null);
  const form = useForm<Values>({
    initialValues: {
      type: 'corrective',
      priority: 'normal',
      equipment_id: preset?.id ?? null,
      title: '',
      description: '',
      due_at: null,
      estimated_minutes: '',
      assignee_ids: [],
    },
    validateInputOnBlur: ['title', 'description'],
    validate: {
      equipment_id: (v) => (v ? null : fieldMessage(i18n, { code: 'required' })),
      ...orderTextRules(i18n),
      estimated_minutes: (v) =>
        v === '' || (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= ESTIMATE_MAX)
          ? null
          : fieldMessage(i18n, { code: 'out_of_range', min: 1, max: ESTIMATE_MAX }),
    },
  });

  const { busy, general, submit } = useFormSubmit(
    form,
    async (values: Values) => {
      const due = pickerToIso(values.due_at);
      const description = values.description.trim();
      const created = await call(
        api.POST('/work-orders', {
          body: {
            type: values.type,
            priority: values.priority,
            equipment_id: values.equipment_id ?? '',
            title: values.title.trim(),
            ...(description ? { description } : {}),
            ...(due ? { due_at: due } : {}),
            ...(values.estimated_minutes !== ''
              ? { estimated_minutes: Number(values.estimated_minutes) }
              : {}),
            ...(values.assignee_ids.length > 0 ? { assignee_ids: values.assignee_ids } : {}),
            ...(drafts.length > 0 ? { checklist: drafts.map(draftToItem) } : {}),
          },
        }),
      );
      await Promise.all(
        ['work-orders', 'tenant', 'equipment'].map((key) =>
          queryClient.invalidateQueries({ queryKey: [key] }),
        ),
      );
      notifications.show({
        color: 'teal',
        message: t('workOrders.created', { number: created.number }),
      });
      void navigate(`/work-orders/${created.id}`);
    },
    scrollToTop,
  );
  const create = (values: Values) => {
    if (drafts.every((d) => Object.keys(checkDraft(d)).length === 0)) void submit(values);
    else setShowDraftErrors(true);
  };

  const values = form.getValues();
  return (
    <form onSubmit={form.onSubmit(create)} noValidate>
      <Stack gap="lg" maw={920}>
        <FormError message={general} />
        <Section title={t('workOrders.sections.what')}>
          <Stack gap="md">
            <TemplatePicker
              current={{
                type: values.type,
                priority: values.priority,
                title: values.title,
                description: values.description,
                estimated_minutes: values.estimated_minutes,
                checklist: drafts,
              }}
              onApply={({ checklist, ...fields }) => {
                form.setValues(fields);
                if (checklist) setDrafts(checklist);
              }}
            />
            <EquipmentPicker
              label={t('workOrders.equipment')}
              required
              value={values.equipment_id}
              selected={equipment}
              onChange={(id, picked) => {
                form.setFieldValue('equipment_id', id);
                // People are assigned per site: another site, other people.
                if (picked?.site_id !== equipment?.site_id) form.setFieldValue('assignee_ids', []);
                setEquipment(picked);
              }}
              error={form.errors.equipment_id as string | undefined}
            />
            <TitleField {...form.getInputProps('title')} />
            <DescriptionField maxRows={10} {...form.getInputProps('description')} />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <TypeSelect {...form.getInputProps('type')} />
              <PrioritySelect {...form.getInputProps('priority')} />
            </SimpleGrid>
          </Stack>
        </Section>
        <Section title={t('workOrders.sections.planning')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <DueAtPicker {...form.getInputProps('due_at')} />
            <EstimateInput {...form.getInputProps('estimated_minutes')} />
            <MultiSelect
              label={t('workOrders.assignees')}
              description={
                equipment ? t('workOrders.assigneesHelp') : t('workOrders.pickEquipmentFirst')
              }
              placeholder={t('workOrders.pickPeople')}
              data={(people.data?.items ?? []).map((m) => ({
                value: m.id,
                label: `${m.full_name} · ${m.role.name}`,
              }))}
              disabled={!equipment}
              searchable
              clearable
              nothingFoundMessage={t('common.nothingFound')}
              style={{ gridColumn: '1 / -1' }}
              {...form.getInputProps('assignee_ids')}
            />
          </SimpleGrid>
        </Section>
        <Section title={t('workOrders.sections.checklist')}>
          <ChecklistBuilder drafts={drafts} onChange={setDrafts} showErrors={showDraftErrors} />
        </Section>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => void navigate(-1)}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('workOrders.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export default function WorkOrderFormPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const equipmentId = params.get('equipment');
  const preset = useEquipment(equipmentId);
  const ready = equipmentId === null || !preset.isPending;
  return (
    <>
      <PageHeader
        title={t('workOrders.newTitle')}
        description={t('workOrders.newDescription')}
        back={{ to: '/work-orders', label: t('workOrders.title') }}
      />
      {ready && <WorkOrderForm preset={preset.data ?? null} />}
    </>
  );
}
