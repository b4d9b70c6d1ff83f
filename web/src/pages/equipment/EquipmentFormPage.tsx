// Create or edit equipment: identification, where it stands (site → plant → line, the most
// precise part wins), its parent, maker and dates, specifications and notes. When the category
// has a specification template, its fields are asked (label and unit, in order) and other keys
// stay free key/value rows; changing the category switches the fields without losing values.
import {
  ActionIcon,
  Autocomplete,
  Button,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Textarea,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';

import { api, call, type Criticality, type Equipment, type Schemas } from '../../api/client';
import { useEquipment, useEquipmentCategories } from '../../api/queries';
import { useSpecTemplates } from '../../api/specTemplates';
import { EquipmentPicker } from '../../components/EquipmentPicker';
import { FormError } from '../../components/FormError';
import { LocationSelects } from '../../components/LocationSelects';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { Section } from '../../components/Section';
import { fieldMessage } from '../../i18n/messages';
import { rule, useFormSubmit } from '../../lib/forms';
import { CRITICALITIES } from '../../lib/maintenance';
import { sameSpecs, type SpecRow } from '../../lib/specifications';
import {
  SPEC_VALUE_MAX,
  checkSpecForm,
  retemplate,
  specForm,
  specFormToSpecs,
  templateFor,
  type SpecField,
  type SpecTemplate,
} from '../../lib/specTemplates';
import { checkCode, checkName, checkOptionalText } from '../../lib/validation';

interface Values {
  code: string;
  name: string;
  category: string;
  criticality: Criticality;
  site_id: string | null;
  plant_id: string | null;
  production_line_id: string | null;
  parent_id: string | null;
  manufacturer: string;
  model: string;
  serial_number: string;
  purchase_date: string | null;
  installation_date: string | null;
  warranty_end: string | null;
  /** Values of the category template's fields, by key. */
  specValues: Record<string, string>;
  /** The other specifications, as free key/value rows. */
  specifications: SpecRow[];
  notes: string;
}

function initialValues(
  e: Equipment | null,
  fields: readonly SpecField[],
  language: string,
): Values {
  const specs = specForm(e?.specifications ?? {}, fields, language);
  return {
    code: e?.code ?? '',
    name: e?.name ?? '',
    category: e?.category ?? '',
    criticality: e?.criticality ?? 'medium',
    site_id: e?.site_id ?? null,
    plant_id: e?.plant_id ?? null,
    production_line_id: e?.production_line_id ?? null,
    parent_id: e?.parent_id ?? null,
    manufacturer: e?.manufacturer ?? '',
    model: e?.model ?? '',
    serial_number: e?.serial_number ?? '',
    purchase_date: e?.purchase_date ?? null,
    installation_date: e?.installation_date ?? null,
    warranty_end: e?.warranty_end ?? null,
    specValues: specs.values,
    specifications: specs.rows,
    notes: e?.notes ?? '',
  };
}

/** The body of a create or an update: only what changed, `null` to clear an optional field. */
function toBody(
  values: Values,
  before: Equipment | null,
  specFields: readonly SpecField[],
): Schemas['EquipmentUpdate'] {
  const text = (v: string) => v.trim();
  const body: Schemas['EquipmentUpdate'] = {};
  const optional = (v: string) => (text(v) === '' ? null : text(v));
  const fields: Array<[keyof Schemas['EquipmentUpdate'], unknown, unknown]> = [
    ['code', text(values.code), before?.code],
    ['name', text(values.name), before?.name],
    ['category', optional(values.category), before?.category ?? null],
    ['criticality', values.criticality, before?.criticality],
    ['manufacturer', optional(values.manufacturer), before?.manufacturer ?? null],
    ['model', optional(values.model), before?.model ?? null],
    ['serial_number', optional(values.serial_number), before?.serial_number ?? null],
    ['purchase_date', values.purchase_date, before?.purchase_date ?? null],
    ['installation_date', values.installation_date, before?.installation_date ?? null],
    ['warranty_end', values.warranty_end, before?.warranty_end ?? null],
    ['parent_id', values.parent_id, before?.parent_id ?? null],
    ['notes', optional(values.notes), before?.notes ?? null],
  ];
  for (const [key, value, previous] of fields) {
    if (before === null ? value !== null && value !== '' : value !== previous) {
      (body as Record<string, unknown>)[key] = value;
    }
  }
  // Where it stands: the most precise part given wins.
  const location = values.production_line_id
    ? { production_line_id: values.production_line_id }
    : values.plant_id
      ? { plant_id: values.plant_id }
      : values.site_id
        ? { site_id: values.site_id }
        : {};
  const moved =
    before === null ||
    (before.production_line_id ?? null) !== values.production_line_id ||
    (before.plant_id ?? null) !== values.plant_id ||
    before.site_id !== values.site_id;
  if (moved) Object.assign(body, location);
  const specs = specFormToSpecs(
    { values: values.specValues, rows: values.specifications },
    specFields,
  );
  if (before === null ? Object.keys(specs).length > 0 : !sameSpecs(specs, before.specifications)) {
    body.specifications = specs;
  }
  return body;
}

function EquipmentForm({
  equipment,
  templates,
}: {
  equipment: Equipment | null;
  templates: readonly SpecTemplate[];
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const categories = useEquipmentCategories();
  const parent = useEquipment(equipment?.parent_id ?? null);
  const fieldsOf = (category: string) => templateFor(templates, category)?.fields ?? [];
  const form = useForm<Values>({
    initialValues: initialValues(equipment, fieldsOf(equipment?.category ?? ''), i18n.language),
    validateInputOnBlur: true,
    validate: {
      code: rule(i18n, checkCode),
      name: rule(i18n, (v: string) => checkName(v, 200)),
      category: rule(i18n, (v: string) => checkOptionalText(v, 100)),
      manufacturer: rule(i18n, (v: string) => checkOptionalText(v, 200)),
      model: rule(i18n, (v: string) => checkOptionalText(v, 200)),
      serial_number: rule(i18n, (v: string) => checkOptionalText(v, 100)),
      notes: rule(i18n, (v: string) => checkOptionalText(v, 5000)),
      site_id: (v) => (v ? null : fieldMessage(i18n, { code: 'location_required' })),
      installation_date: (v, values) =>
        v && values.purchase_date && v < values.purchase_date
          ? fieldMessage(i18n, { code: 'before_purchase_date' })
          : null,
      specifications: (rows, all) => {
        const problem = checkSpecForm({ values: all.specValues, rows }, fieldsOf(all.category));
        return problem ? fieldMessage(i18n, problem) : null;
      },
    },
  });
  const values = form.getValues();
  const template = templateFor(templates, values.category);
  const fields = template?.fields ?? [];
  /** A new category: its template's fields are asked, values typed so far kept. */
  const changeCategory = (category: string) => {
    const current = form.getValues();
    const next = retemplate(
      { values: current.specValues, rows: current.specifications },
      fieldsOf(category),
    );
    form.setValues({ category, specValues: next.values, specifications: next.rows });
    form.clearFieldError('specifications');
  };

  const { busy, general, submit } = useFormSubmit(form, async (v: Values) => {
    const body = toBody(v, equipment, fieldsOf(v.category));
    let saved: Equipment;
    if (equipment) {
      saved =
        Object.keys(body).length === 0
          ? equipment
          : await call(
              api.PATCH('/equipment/{id}', { params: { path: { id: equipment.id } }, body }),
            );
    } else {
      saved = await call(
        api.POST('/equipment', {
          body: { ...body, code: v.code.trim(), name: v.name.trim() },
        }),
      );
    }
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['equipment'] }),
      queryClient.invalidateQueries({ queryKey: ['tenant'] }),
    ]);
    notifications.show({
      color: 'teal',
      message: t(equipment ? 'equipment.saved' : 'equipment.created', { name: saved.name }),
    });
    void navigate(`/equipment/${saved.id}`);
  });

  const rows = values.specifications;
  const specError = form.errors.specifications;
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="lg">
        <FormError message={general} />
        <Section title={t('equipment.sections.identity')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label={t('equipment.code')}
              description={t('equipment.codeHelp')}
              required
              spellCheck={false}
              autoCapitalize="characters"
              data-autofocus
              {...form.getInputProps('code')}
            />
            <TextInput label={t('equipment.name')} required {...form.getInputProps('name')} />
            <Autocomplete
              label={t('equipment.category')}
              description={t('equipment.categoryHelp')}
              data={categories.data?.items ?? []}
              {...form.getInputProps('category')}
              onChange={changeCategory}
            />
            <Select
              label={t('equipment.criticality')}
              description={t('equipment.criticalityHelp')}
              data={CRITICALITIES.map((c) => ({ value: c, label: t(`criticality.${c}`) }))}
              allowDeselect={false}
              {...form.getInputProps('criticality')}
            />
          </SimpleGrid>
        </Section>

        <Section title={t('equipment.sections.location')}>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {t('equipment.locationHelp')}
            </Text>
            <LocationSelects
              required
              value={{
                siteId: values.site_id,
                plantId: values.plant_id,
                lineId: values.production_line_id,
              }}
              onChange={(v) => {
                const siteChanged = v.siteId !== values.site_id;
                form.setValues({
                  site_id: v.siteId,
                  plant_id: v.plantId,
                  production_line_id: v.lineId,
                  // A parent stands on the same site.
                  ...(siteChanged ? { parent_id: null } : {}),
                });
                form.clearFieldError('site_id');
                form.clearFieldError('production_line_id');
              }}
              errors={{
                siteId: form.errors.site_id as string | undefined,
                plantId: form.errors.plant_id as string | undefined,
                lineId: form.errors.production_line_id as string | undefined,
              }}
            />
            <EquipmentPicker
              label={t('equipment.parent')}
              description={t('equipment.parentHelp')}
              placeholder={t('equipment.noParent')}
              value={values.parent_id}
              selected={parent.data ?? null}
              siteId={values.site_id}
              exclude={equipment?.id}
              onChange={(id) => form.setFieldValue('parent_id', id)}
              error={form.errors.parent_id as string | undefined}
            />
          </Stack>
        </Section>

        <Section title={t('equipment.sections.maker')}>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <TextInput
              label={t('equipment.manufacturer')}
              {...form.getInputProps('manufacturer')}
            />
            <TextInput label={t('equipment.model')} {...form.getInputProps('model')} />
            <TextInput
              label={t('equipment.serialNumber')}
              spellCheck={false}
              {...form.getInputProps('serial_number')}
            />
            <DatePickerInput
              label={t('equipment.purchaseDate')}
              clearable
              valueFormat="D MMM YYYY"
              {...form.getInputProps('purchase_date')}
            />
            <DatePickerInput
              label={t('equipment.installationDate')}
              clearable
              valueFormat="D MMM YYYY"
              {...form.getInputProps('installation_date')}
            />
            <DatePickerInput
              label={t('equipment.warrantyEnd')}
              clearable
              valueFormat="D MMM YYYY"
              {...form.getInputProps('warranty_end')}
            />
          </SimpleGrid>
        </Section>

        <Section title={t('equipment.sections.specifications')}>
          <Stack gap="sm">
            {template && (
              <>
                <Text size="sm" c="dimmed">
                  {t('specTemplates.formHelp', { category: template.category })}
                </Text>
                <SimpleGrid
                  cols={{ base: 1, sm: 2 }}
                  spacing="md"
                  verticalSpacing="sm"
                  data-testid="spec-template-fields"
                >
                  {fields.map((field) => (
                    <TextInput
                      key={field.key}
                      label={
                        <>
                          {field.label}
                          {field.unit && <VisuallyHidden> ({field.unit})</VisuallyHidden>}
                        </>
                      }
                      value={values.specValues[field.key] ?? ''}
                      onChange={(e) => {
                        const value = e.currentTarget.value;
                        form.setFieldValue('specValues', {
                          ...form.getValues().specValues,
                          [field.key]: value,
                        });
                        form.clearFieldError('specifications');
                      }}
                      maxLength={SPEC_VALUE_MAX}
                      rightSection={
                        field.unit ? (
                          <Text size="sm" c="dimmed" aria-hidden pr={4}>
                            {field.unit}
                          </Text>
                        ) : undefined
                      }
                      rightSectionWidth={
                        field.unit ? Math.min(120, 16 + [...field.unit].length * 9) : undefined
                      }
                      rightSectionPointerEvents="none"
                      data-key={field.key}
                    />
                  ))}
                </SimpleGrid>
                <Text size="sm" fw={600} mt="xs">
                  {t('specTemplates.otherSpecs')}
                </Text>
              </>
            )}
            <Text size="sm" c="dimmed">
              {template ? t('specTemplates.otherSpecsHelp') : t('equipment.specificationsHelp')}
            </Text>
            {rows.map((_row, index) => (
              <Group key={index} gap="sm" wrap="nowrap" align="flex-end" data-testid="spec-row">
                <TextInput
                  label={index === 0 ? t('equipment.specKey') : undefined}
                  placeholder={t('equipment.specKeyPlaceholder')}
                  style={{ flex: 1 }}
                  {...form.getInputProps(`specifications.${index}.key`)}
                  aria-label={t('equipment.specKeyN', { n: index + 1 })}
                />
                <TextInput
                  label={index === 0 ? t('equipment.specValue') : undefined}
                  placeholder={t('equipment.specValuePlaceholder')}
                  style={{ flex: 1 }}
                  {...form.getInputProps(`specifications.${index}.value`)}
                  aria-label={t('equipment.specValueN', { n: index + 1 })}
                />
                <Tooltip label={t('equipment.removeSpec')}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    size="lg"
                    mb={2}
                    onClick={() => form.removeListItem('specifications', index)}
                    aria-label={t('equipment.removeSpecN', { n: index + 1 })}
                  >
                    <IconTrash size={18} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ))}
            {typeof specError === 'string' && (
              <Text size="sm" c="red.8" role="alert">
                {specError}
              </Text>
            )}
            <Button
              variant="light"
              w="fit-content"
              leftSection={<IconPlus size={16} />}
              onClick={() => form.insertListItem('specifications', { key: '', value: '' })}
            >
              {t('equipment.addSpec')}
            </Button>
          </Stack>
        </Section>

        <Section title={t('equipment.sections.notes')}>
          <Textarea
            label={t('equipment.notes')}
            autosize
            minRows={3}
            maxRows={10}
            {...form.getInputProps('notes')}
          />
        </Section>

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => void navigate(-1)}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {equipment ? t('common.save') : t('equipment.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export default function EquipmentFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const editing = id !== undefined;
  const equipment = useEquipment(id ?? null);
  // The form starts from the category's template; without templates (an error) it asks free rows.
  const templates = useSpecTemplates();
  return (
    <>
      <PageHeader
        title={
          editing
            ? t('equipment.editTitle', { name: equipment.data?.name ?? '' })
            : t('equipment.newTitle')
        }
        back={
          editing
            ? { to: `/equipment/${id}`, label: equipment.data?.name ?? t('equipment.title') }
            : { to: '/equipment', label: t('equipment.title') }
        }
      />
      {editing && equipment.isError ? (
        <QueryError error={equipment.error} onRetry={() => void equipment.refetch()} />
      ) : (editing && !equipment.data) || templates.isPending ? (
        <Stack gap="lg">
          <Skeleton h={180} />
          <Skeleton h={180} />
        </Stack>
      ) : (
        <EquipmentForm equipment={equipment.data ?? null} templates={templates.data?.items ?? []} />
      )}
    </>
  );
}
