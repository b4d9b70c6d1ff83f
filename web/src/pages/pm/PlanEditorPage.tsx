// A planner writes a preventive plan: the work (equipment, title, checklist, who does it), the
// rule (calendar, meter, or whichever comes first) and its dates, with a live preview of the
// coming due dates computed by the server as the rule changes.
import {
  Alert,
  Box,
  Button,
  Card,
  Checkbox,
  Chip,
  Grid,
  Group,
  Input,
  Loader,
  MultiSelect,
  NumberInput,
  Radio,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconCalendarTime, IconGauge } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';

import { api, call, type Equipment, type PmPlan } from '../../api/client';
import { ApiError, isApiError } from '../../api/errors';
import {
  useAssignable,
  useEquipment,
  useMeters,
  usePlanPreview,
  usePmPlan,
} from '../../api/queries';
import { EquipmentPicker } from '../../components/EquipmentPicker';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { errorMessage, fieldMessage } from '../../i18n/messages';
import { checkDraft, draftToItem, type ChecklistDraft } from '../../lib/checklist';
import { PRIORITIES } from '../../lib/maintenance';
import {
  EVERY_MAX,
  LEAD_TIME_MAX,
  SCHEDULE_MODES,
  TRIGGER_KINDS,
  UNITS,
  WEEKDAYS,
  dayFromToday,
  draftToTrigger,
  editorFieldOf,
  emptyPlanValues,
  formatOccurrence,
  planToValues,
  previewBody,
  ruleInWords,
  templateToDraft,
  valuesToRequest,
  weekdayName,
  type PlanField,
  type PlanValues,
} from '../../lib/pm';
import { NotFoundPage } from '../StatusPages';
import { ChecklistBuilder } from '../workOrders/ChecklistBuilder';
import { Section } from '../../components/Section';
import { TemplatePicker } from '../../components/TemplatePicker';

/** How many due dates the preview lists (the count says how many more in the year). */
const PREVIEW_SHOWN = 8;
/** Occurrences the server's preview answers at most: as many means there are more. */
const PREVIEW_MAX = 200;
const PREVIEW_DEBOUNCE_MS = 400;

/** Messages of the problems the client sees, by field. */
function problemMessages(
  i18n: Parameters<typeof fieldMessage>[0],
  problems: Partial<Record<PlanField, { code: string; [k: string]: unknown }>>,
  skipRequired = false,
): Partial<Record<PlanField, string>> {
  const out: Partial<Record<PlanField, string>> = {};
  for (const [field, problem] of Object.entries(problems)) {
    if (!problem || (skipRequired && problem.code === 'required')) continue;
    out[field as PlanField] = fieldMessage(i18n, problem);
  }
  return out;
}

function Preview({
  values,
  meterUnit,
  error,
  pending,
  fetching,
  occurrences,
}: {
  values: PlanValues;
  meterUnit: string | null;
  error: unknown;
  pending: boolean;
  fetching: boolean;
  occurrences: Array<{ occurrence: string; due_at: string; cause: string }> | null;
}) {
  const { t, i18n } = useTranslation();
  const trigger = draftToTrigger(values);
  const rule =
    'trigger' in trigger
      ? ruleInWords(i18n, trigger.trigger, {
          meterUnit,
          startsOn: values.starts_on,
          scheduleMode: values.schedule_mode,
        })
      : null;
  let body: ReactNode;
  if (!values.equipment_id) {
    body = (
      <Text size="sm" c="dimmed">
        {t('pm.preview.waiting')}
      </Text>
    );
  } else if (occurrences === null && !pending && !error) {
    body = (
      <Text size="sm" c="dimmed">
        {t('pm.preview.invalid')}
      </Text>
    );
  } else if (error) {
    body = (
      <Text size="sm" c="red.8" role="alert">
        {isApiError(error) && Object.keys(error.fields).length > 0
          ? t('pm.preview.refused')
          : errorMessage(i18n, error)}
      </Text>
    );
  } else if (occurrences === null) {
    body = (
      <Stack gap={8}>
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} h={20} />
        ))}
      </Stack>
    );
  } else if (occurrences.length === 0) {
    body = (
      <Text size="sm" c="dimmed">
        {t('pm.preview.none')}
      </Text>
    );
  } else {
    const rest = occurrences.length - PREVIEW_SHOWN;
    body = (
      <Stack gap={6}>
        <Text size="sm" fw={500} data-testid="preview-count">
          {occurrences.length >= PREVIEW_MAX
            ? t('pm.preview.atLeast', { count: occurrences.length })
            : t('pm.preview.count', { count: occurrences.length })}
        </Text>
        <ol className="plain-list">
          {occurrences.slice(0, PREVIEW_SHOWN).map((o) => (
            <li key={o.occurrence} className="history-row" data-testid="preview-occurrence">
              <Group gap={8} wrap="nowrap" py={5}>
                {o.cause === 'meter' ? (
                  <IconGauge size={16} aria-hidden color="var(--mantine-color-gray-6)" />
                ) : (
                  <IconCalendarTime size={16} aria-hidden color="var(--mantine-color-gray-6)" />
                )}
                <Text size="sm">{formatOccurrence(o.due_at, i18n.language)}</Text>
              </Group>
            </li>
          ))}
        </ol>
        {rest > 0 && (
          <Text size="xs" c="dimmed">
            {occurrences.length >= PREVIEW_MAX
              ? t('pm.preview.moreAtLeast', { count: rest })
              : t('pm.preview.more', { count: rest })}
          </Text>
        )}
      </Stack>
    );
  }
  return (
    <Card
      component="section"
      aria-labelledby="plan-preview-title"
      data-testid="plan-preview"
      bg="var(--mantine-color-gmao-0)"
      style={{ borderColor: 'var(--mantine-color-gmao-2)' }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Title order={2} fz="lg" id="plan-preview-title">
          {t('pm.preview.title')}
        </Title>
        {fetching && <Loader size="xs" aria-label={t('pm.preview.updating')} />}
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        {t('pm.preview.subtitle')}
      </Text>
      {rule && (
        <Text fw={600} mb="sm" data-testid="preview-rule">
          {rule}
        </Text>
      )}
      <Box aria-live="polite">{body}</Box>
    </Card>
  );
}

function PlanForm({
  plan,
  initialEquipment,
}: {
  plan: PmPlan | null;
  initialEquipment: Equipment | null;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [equipment, setEquipment] = useState<Equipment | null>(initialEquipment);
  const [drafts, setDrafts] = useState<ChecklistDraft[]>(
    plan ? plan.checklist.map(templateToDraft) : [],
  );
  const [showDraftErrors, setShowDraftErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm<PlanValues>({
    initialValues: plan
      ? planToValues(plan)
      : emptyPlanValues(initialEquipment?.id ?? null, dayFromToday(0)),
    validate: (values) => {
      const built = valuesToRequest(values);
      return 'problems' in built ? problemMessages(i18n, built.problems) : {};
    },
    validateInputOnBlur: ['title', 'description', 'estimated_minutes'],
  });
  const values = form.values;
  const people = useAssignable(equipment?.site_id ?? null);
  // The saved plan's assignees keep their names, even those no longer in the list (another
  // role now, or deactivated), so that they can be seen and removed.
  const assigneeOptions = useMemo(() => {
    const options = (people.data?.items ?? []).map((m) => ({
      value: m.id,
      label: `${m.full_name} · ${m.role.name}`,
    }));
    if (plan && equipment?.site_id === plan.site_id) {
      for (const person of plan.assignees) {
        if (!options.some((o) => o.value === person.id)) {
          options.push({ value: person.id, label: person.full_name });
        }
      }
    }
    return options;
  }, [people.data, plan, equipment?.site_id]);
  const meters = useMeters(values.equipment_id ?? '', values.kind !== 'calendar');
  const meterUnit =
    meters.data?.items.find((m) => m.id === values.meter_id)?.unit ?? plan?.meter_unit ?? null;

  // The schedule as it stands: problems shown at once (not "required" while typing), and the
  // body of the preview, debounced so that typing "12" asks once.
  const schedule = valuesToRequest(values, true);
  const liveProblems = 'problems' in schedule ? problemMessages(i18n, schedule.problems, true) : {};
  const bodyKey = JSON.stringify(previewBody(values, t('pm.preview.untitled'), dayFromToday(365)));
  const [debouncedKey] = useDebouncedValue(bodyKey, PREVIEW_DEBOUNCE_MS);
  const previewRequest = useMemo(
    () => JSON.parse(debouncedKey) as ReturnType<typeof previewBody>,
    [debouncedKey],
  );
  const preview = usePlanPreview(previewRequest);
  const settled = debouncedKey === bodyKey;
  // What the server refuses in the preview goes under the fields, as on saving.
  const previewProblems: Partial<Record<string, string>> = {};
  if (preview.error instanceof ApiError && settled) {
    for (const [name, problem] of Object.entries(preview.error.fields)) {
      if (name === 'title') continue;
      previewProblems[editorFieldOf(name, problem)] = fieldMessage(i18n, problem);
    }
  }
  const errorOf = (field: PlanField): string | undefined =>
    (form.errors[field] as string | undefined) ?? liveProblems[field] ?? previewProblems[field];
  const input = (field: PlanField) => ({
    ...form.getInputProps(field),
    error: errorOf(field),
  });

  const occurrences =
    previewRequest === null || bodyKey === 'null'
      ? null
      : preview.data && !preview.isError
        ? preview.data.items
        : null;
  const previewCard = (
    <Preview
      values={values}
      meterUnit={meterUnit}
      error={bodyKey === 'null' ? null : preview.error}
      pending={bodyKey !== 'null' && (preview.isPending || !settled)}
      fetching={bodyKey !== 'null' && (preview.isFetching || !settled)}
      occurrences={bodyKey === 'null' ? null : occurrences}
    />
  );

  const submit = async (v: PlanValues) => {
    if (!drafts.every((d) => Object.keys(checkDraft(d)).length === 0)) {
      setShowDraftErrors(true);
      return;
    }
    const built = valuesToRequest(v);
    if ('problems' in built) return;
    const body = { ...built.request, checklist: drafts.map(draftToItem) };
    setBusy(true);
    setGeneral(null);
    try {
      const saved = plan
        ? await call(api.PUT('/pm-plans/{id}', { params: { path: { id: plan.id } }, body }))
        : await call(api.POST('/pm-plans', { body }));
      queryClient.setQueryData(['pm-plans', 'one', saved.id], saved);
      await Promise.all(
        ['pm-plans', 'calendar'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })),
      );
      notifications.show({
        color: 'teal',
        message: t(plan ? 'pm.saved' : 'pm.created', { title: saved.title }),
      });
      void navigate(`/pm-plans/${saved.id}`);
    } catch (error) {
      const fields = error instanceof ApiError ? Object.entries(error.fields) : [];
      if (fields.length > 0) {
        const errors: Record<string, string> = {};
        let unplaced = false;
        for (const [name, problem] of fields) {
          const field = editorFieldOf(name, problem);
          if (field === 'checklist') setShowDraftErrors(true);
          if (field in v) errors[field] = fieldMessage(i18n, problem);
          else unplaced = true;
        }
        form.setErrors(errors);
        setGeneral(unplaced ? errorMessage(i18n, error) : null);
      } else {
        setGeneral(errorMessage(i18n, error));
      }
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } finally {
      setBusy(false);
    }
  };

  const calendarPart = values.kind !== 'meter';
  const meterPart = values.kind !== 'calendar';
  const meterOptions = (meters.data?.items ?? []).map((m) => ({
    value: m.id,
    label: `${m.name} (${m.unit})`,
  }));

  const ruleSection = (
    <Section title={t('pm.sections.rule')}>
      <Stack gap="md">
        <Input.Wrapper label={t('pm.trigger')} description={t(`pm.triggerHelp.${values.kind}`)}>
          <SegmentedControl
            mt={6}
            fullWidth
            data={TRIGGER_KINDS.map((k) => ({ value: k, label: t(`pm.triggers.${k}`) }))}
            value={values.kind}
            onChange={(value) => form.setFieldValue('kind', value)}
          />
        </Input.Wrapper>
        {calendarPart && (
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md">
            <NumberInput
              label={t('pm.every')}
              min={1}
              max={EVERY_MAX}
              allowDecimal={false}
              allowNegative={false}
              required
              {...input('every')}
            />
            <Select
              label={t('pm.unit')}
              data={UNITS.map((u) => ({ value: u, label: t(`pm.units.${u}`) }))}
              allowDeselect={false}
              {...input('unit')}
            />
            {(values.unit === 'month' || values.unit === 'year') && (
              <NumberInput
                label={t('pm.dayOfMonth')}
                description={t('pm.dayOfMonthHelp')}
                min={1}
                max={31}
                allowDecimal={false}
                allowNegative={false}
                {...input('day_of_month')}
              />
            )}
          </SimpleGrid>
        )}
        {calendarPart && values.unit === 'week' && (
          <Input.Wrapper
            label={t('pm.weekdays')}
            description={t('pm.weekdaysHelp')}
            error={errorOf('weekdays')}
          >
            <Chip.Group
              multiple
              value={values.weekdays}
              onChange={(days) =>
                form.setFieldValue(
                  'weekdays',
                  WEEKDAYS.filter((d) => days.includes(d)),
                )
              }
            >
              <Group gap={6} mt={8} role="group" aria-label={t('pm.weekdays')}>
                {WEEKDAYS.map((day) => (
                  <Chip key={day} value={day} size="sm" variant="outline">
                    {weekdayName(day, i18n.language)}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
          </Input.Wrapper>
        )}
        {meterPart && (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Select
              label={t('pm.meterLabel')}
              placeholder={t('pm.meterPlaceholder')}
              description={
                !values.equipment_id
                  ? t('pm.meterFirst')
                  : meters.data && meterOptions.length === 0
                    ? t('pm.noMeters')
                    : undefined
              }
              data={meterOptions}
              disabled={!values.equipment_id || meterOptions.length === 0}
              required
              {...input('meter_id')}
            />
            <TextInput
              label={t('pm.everyUnits')}
              description={t('pm.everyUnitsHelp')}
              inputMode="decimal"
              required
              rightSection={
                meterUnit ? (
                  <Text size="xs" c="dimmed" pr={6}>
                    {meterUnit}
                  </Text>
                ) : undefined
              }
              rightSectionWidth={meterUnit ? 56 : undefined}
              {...input('every_units')}
              value={String(values.every_units)}
            />
          </SimpleGrid>
        )}
        <Radio.Group label={t('pm.modeLabel')} {...input('schedule_mode')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt={8}>
            {SCHEDULE_MODES.map((mode) => (
              <Radio
                key={mode}
                value={mode}
                label={t(`pm.modes.${mode}`)}
                description={t(`pm.modeHelp.${mode}`)}
              />
            ))}
          </SimpleGrid>
        </Radio.Group>
      </Stack>
    </Section>
  );

  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="lg">
            <FormError message={general} />
            <Section title={t('pm.sections.what')}>
              <Stack gap="md">
                <TemplatePicker
                  current={{
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
                  label={t('pm.equipment')}
                  required
                  value={values.equipment_id}
                  selected={equipment}
                  onChange={(id, picked) => {
                    form.setFieldValue('equipment_id', id);
                    // Another machine has other meters; another site, other people.
                    if (id !== values.equipment_id) form.setFieldValue('meter_id', null);
                    if (picked?.site_id !== equipment?.site_id) {
                      form.setFieldValue('assignee_ids', []);
                    }
                    setEquipment(picked);
                  }}
                  error={errorOf('equipment_id')}
                />
                <TextInput
                  label={t('pm.titleLabel')}
                  placeholder={t('pm.titlePlaceholder')}
                  required
                  {...input('title')}
                />
                <Textarea
                  label={t('pm.descriptionLabel')}
                  autosize
                  minRows={2}
                  maxRows={8}
                  {...input('description')}
                />
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                  <Select
                    label={t('pm.priority')}
                    data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
                    allowDeselect={false}
                    {...input('priority')}
                  />
                  <NumberInput
                    label={t('pm.estimatedMinutes')}
                    min={1}
                    max={100000}
                    allowDecimal={false}
                    allowNegative={false}
                    {...input('estimated_minutes')}
                  />
                </SimpleGrid>
                <MultiSelect
                  label={t('pm.assignees')}
                  description={equipment ? t('pm.assigneesHelp') : t('pm.meterFirst')}
                  placeholder={t('workOrders.pickPeople')}
                  data={assigneeOptions}
                  disabled={!equipment}
                  searchable
                  clearable
                  nothingFoundMessage={t('common.nothingFound')}
                  {...input('assignee_ids')}
                />
              </Stack>
            </Section>
            {ruleSection}
            <Box hiddenFrom="lg">{previewCard}</Box>
            <Section title={t('pm.sections.dates')}>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
                <DatePickerInput
                  label={t('pm.startsOn')}
                  description={t('pm.startsOnHelp')}
                  valueFormat="D MMM YYYY"
                  required
                  {...input('starts_on')}
                />
                <DatePickerInput
                  label={t('pm.endsOn')}
                  description={t('pm.endsOnHelp')}
                  placeholder={t('pm.noEnd')}
                  valueFormat="D MMM YYYY"
                  clearable
                  minDate={values.starts_on ?? undefined}
                  {...input('ends_on')}
                />
                <NumberInput
                  label={t('pm.leadTimeDays')}
                  description={t('pm.leadTimeHelp')}
                  min={0}
                  max={LEAD_TIME_MAX}
                  allowDecimal={false}
                  allowNegative={false}
                  {...input('lead_time_days')}
                />
              </SimpleGrid>
              <Checkbox
                mt="md"
                label={t('pm.firstFromStart')}
                description={t(plan ? 'pm.firstFromStartHelpEdit' : 'pm.firstFromStartHelp')}
                {...form.getInputProps('first_from_start', { type: 'checkbox' })}
              />
            </Section>
            <Section title={t('pm.sections.checklist')}>
              <ChecklistBuilder drafts={drafts} onChange={setDrafts} showErrors={showDraftErrors} />
            </Section>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => void navigate(-1)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={busy}>
                {plan ? t('common.save') : t('pm.create')}
              </Button>
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }} visibleFrom="lg">
          <Box pos="sticky" top={76}>
            {previewCard}
          </Box>
        </Grid.Col>
      </Grid>
    </form>
  );
}

export default function PlanEditorPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [params] = useSearchParams();
  const plan = usePmPlan(id ?? null);
  const equipmentId = id ? (plan.data?.equipment_id ?? null) : params.get('equipment');
  const equipment = useEquipment(equipmentId);

  if (id && plan.isError) {
    if (isApiError(plan.error, 'not_found')) return <NotFoundPage />;
    return <QueryError error={plan.error} onRetry={() => void plan.refetch()} />;
  }
  const ready = (!id || plan.data !== undefined) && (equipmentId === null || !equipment.isPending);
  const title = id
    ? plan.data
      ? t('pm.editTitle', { title: plan.data.title })
      : t('pm.title')
    : t('pm.newTitle');
  return (
    <>
      <PageHeader
        title={title}
        description={id ? t('pm.editDescription') : t('pm.newDescription')}
        back={
          id
            ? { to: `/pm-plans/${id}`, label: plan.data?.title ?? t('pm.title') }
            : { to: '/pm-plans', label: t('pm.title') }
        }
      />
      {plan.data?.archived_at ? (
        <Alert color="gray" variant="light" icon={<IconArchive />}>
          {t('errors.plan_archived')}
        </Alert>
      ) : ready ? (
        <PlanForm
          key={plan.data?.id ?? 'new'}
          plan={plan.data ?? null}
          initialEquipment={equipment.data ?? null}
        />
      ) : (
        <Stack gap="lg" maw={920}>
          <Skeleton h={220} />
          <Skeleton h={260} />
        </Stack>
      )}
    </>
  );
}
