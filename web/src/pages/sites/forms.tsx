// The create/edit dialogs of the site tree: site, plant, production line.
import {
  Button,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call, type Plant, type ProductionLine, type Site } from '../../api/client';
import { useAllSites, usePlants } from '../../api/queries';
import { FormError } from '../../components/FormError';
import { rule, useFormSubmit } from '../../lib/forms';
import { timeZoneOptions } from '../../lib/timezones';
import {
  checkCode,
  checkName,
  checkOptionalText,
  checkTimeZone,
  defaultTimeZone,
} from '../../lib/validation';

function FormActions({
  busy,
  onCancel,
  submitLabel,
}: {
  busy: boolean;
  onCancel: () => void;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" gap="sm" mt="xs">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={busy}>
        {submitLabel}
      </Button>
    </Group>
  );
}

/** Only the fields that changed, for a PATCH. */
function changed<T extends Record<string, unknown>>(before: T, after: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (after[key] !== before[key]) out[key] = after[key];
  }
  return out;
}

interface SiteValues {
  code: string;
  name: string;
  address: string;
  time_zone: string;
  public_requests: boolean;
}

export function SiteFormModal({
  opened,
  site,
  onClose,
  onSaved,
}: {
  opened: boolean;
  site: Site | null;
  onClose: () => void;
  onSaved: (site: Site, created: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={site ? t('sites.editSite') : t('sites.newSite')}
      size="lg"
    >
      {opened && <SiteForm site={site} onClose={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

function SiteForm({
  site,
  onClose,
  onSaved,
}: {
  site: Site | null;
  onClose: () => void;
  onSaved: (site: Site, created: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const zones = useMemo(() => timeZoneOptions(), []);
  const initial: SiteValues = {
    code: site?.code ?? '',
    name: site?.name ?? '',
    address: site?.address ?? '',
    time_zone: site?.time_zone ?? defaultTimeZone(),
    public_requests: site?.public_requests ?? false,
  };
  const form = useForm<SiteValues>({
    initialValues: initial,
    validateInputOnBlur: true,
    validate: {
      code: rule(i18n, checkCode),
      name: rule(i18n, (v: string) => checkName(v, 120)),
      address: rule(i18n, (v: string) => checkOptionalText(v, 500)),
      time_zone: rule(i18n, (v: string) => checkTimeZone(v ?? '')),
    },
  });

  const { busy, general, submit } = useFormSubmit(form, async (values: SiteValues) => {
    const clean = {
      code: values.code.trim(),
      name: values.name.trim(),
      address: values.address.trim(),
      time_zone: values.time_zone,
      public_requests: values.public_requests,
    };
    if (site) {
      const patch = changed(
        {
          code: site.code,
          name: site.name,
          address: site.address ?? '',
          time_zone: site.time_zone,
          public_requests: site.public_requests,
        },
        clean,
      );
      // An emptied address is cleared with null.
      const body = {
        ...patch,
        ...('address' in patch && patch.address === '' ? { address: null } : {}),
      };
      const saved =
        Object.keys(body).length === 0
          ? site
          : await call(api.PATCH('/sites/{id}', { params: { path: { id: site.id } }, body }));
      onSaved(saved, false);
    } else {
      const saved = await call(
        api.POST('/sites', {
          body: {
            code: clean.code,
            name: clean.name,
            time_zone: clean.time_zone,
            public_requests: clean.public_requests,
            ...(clean.address ? { address: clean.address } : {}),
          },
        }),
      );
      onSaved(saved, true);
    }
    onClose();
  });

  return (
    <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md">
          <TextInput
            label={t('sites.code')}
            placeholder={t('sites.codePlaceholder')}
            required
            data-autofocus
            autoCapitalize="characters"
            spellCheck={false}
            {...form.getInputProps('code')}
          />
          <TextInput
            label={t('sites.name')}
            required
            style={{ gridColumn: 'span 2' }}
            {...form.getInputProps('name')}
          />
        </SimpleGrid>
        <Textarea
          label={t('sites.address')}
          autosize
          minRows={2}
          maxRows={4}
          {...form.getInputProps('address')}
        />
        <Select
          label={t('sites.timeZone')}
          description={t('sites.timeZoneHelp')}
          required
          searchable
          allowDeselect={false}
          nothingFoundMessage={t('common.nothingFound')}
          data={zones}
          maxDropdownHeight={280}
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('time_zone')}
        />
        <Switch
          label={t('portal.siteSwitch')}
          description={t('portal.siteSwitchHelp')}
          {...form.getInputProps('public_requests', { type: 'checkbox' })}
        />
        <FormActions
          busy={busy}
          onCancel={onClose}
          submitLabel={site ? t('common.save') : t('sites.createSite')}
        />
      </Stack>
    </form>
  );
}

interface PlantValues {
  code: string;
  name: string;
  site_id: string;
}

export function PlantFormModal({
  opened,
  plant,
  siteId,
  onClose,
  onSaved,
}: {
  opened: boolean;
  plant: Plant | null;
  siteId: string;
  onClose: () => void;
  onSaved: (plant: Plant, created: boolean, previousSiteId: string | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={plant ? t('sites.editPlant') : t('sites.newPlant')}
    >
      {opened && <PlantForm plant={plant} siteId={siteId} onClose={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

function PlantForm({
  plant,
  siteId,
  onClose,
  onSaved,
}: {
  plant: Plant | null;
  siteId: string;
  onClose: () => void;
  onSaved: (plant: Plant, created: boolean, previousSiteId: string | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const sites = useAllSites();
  const form = useForm<PlantValues>({
    initialValues: {
      code: plant?.code ?? '',
      name: plant?.name ?? '',
      site_id: plant?.site_id ?? siteId,
    },
    validateInputOnBlur: true,
    validate: {
      code: rule(i18n, checkCode),
      name: rule(i18n, (v: string) => checkName(v, 120)),
    },
  });
  const siteOptions = (sites.data?.items ?? []).map((s) => ({
    value: s.id,
    label: `${s.name} (${s.code})`,
  }));

  const { busy, general, submit } = useFormSubmit(form, async (values: PlantValues) => {
    const clean = { code: values.code.trim(), name: values.name.trim(), site_id: values.site_id };
    if (plant) {
      const patch = changed({ code: plant.code, name: plant.name, site_id: plant.site_id }, clean);
      const saved =
        Object.keys(patch).length === 0
          ? plant
          : await call(
              api.PATCH('/plants/{id}', { params: { path: { id: plant.id } }, body: patch }),
            );
      onSaved(saved, false, plant.site_id);
    } else {
      onSaved(await call(api.POST('/plants', { body: clean })), true, null);
    }
    onClose();
  });

  return (
    <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <TextInput
          label={t('sites.code')}
          description={t('sites.codeHelp')}
          required
          data-autofocus
          spellCheck={false}
          {...form.getInputProps('code')}
        />
        <TextInput label={t('sites.name')} required {...form.getInputProps('name')} />
        {plant && (
          <Select
            label={t('sites.parentSite')}
            description={t('sites.moveHelp')}
            data={siteOptions}
            allowDeselect={false}
            searchable
            {...form.getInputProps('site_id')}
          />
        )}
        <FormActions
          busy={busy}
          onCancel={onClose}
          submitLabel={plant ? t('common.save') : t('sites.createPlant')}
        />
      </Stack>
    </form>
  );
}

interface LineValues {
  code: string;
  name: string;
  plant_id: string;
}

export function LineFormModal({
  opened,
  line,
  plantId,
  siteId,
  onClose,
  onSaved,
}: {
  opened: boolean;
  line: ProductionLine | null;
  plantId: string;
  siteId: string;
  onClose: () => void;
  onSaved: (line: ProductionLine, created: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={line ? t('sites.editLine') : t('sites.newLine')}
    >
      {opened && (
        <LineForm
          line={line}
          plantId={plantId}
          siteId={siteId}
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
    </Modal>
  );
}

function LineForm({
  line,
  plantId,
  siteId,
  onClose,
  onSaved,
}: {
  line: ProductionLine | null;
  plantId: string;
  siteId: string;
  onClose: () => void;
  onSaved: (line: ProductionLine, created: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const plants = usePlants(siteId, line !== null);
  const form = useForm<LineValues>({
    initialValues: {
      code: line?.code ?? '',
      name: line?.name ?? '',
      plant_id: line?.plant_id ?? plantId,
    },
    validateInputOnBlur: true,
    validate: {
      code: rule(i18n, checkCode),
      name: rule(i18n, (v: string) => checkName(v, 120)),
    },
  });
  const plantOptions = (plants.data?.items ?? []).map((p) => ({
    value: p.id,
    label: `${p.name} (${p.code})`,
  }));

  const { busy, general, submit } = useFormSubmit(form, async (values: LineValues) => {
    const clean = { code: values.code.trim(), name: values.name.trim(), plant_id: values.plant_id };
    if (line) {
      const patch = changed({ code: line.code, name: line.name, plant_id: line.plant_id }, clean);
      const saved =
        Object.keys(patch).length === 0
          ? line
          : await call(
              api.PATCH('/production-lines/{id}', {
                params: { path: { id: line.id } },
                body: patch,
              }),
            );
      onSaved(saved, false);
    } else {
      onSaved(await call(api.POST('/production-lines', { body: clean })), true);
    }
    onClose();
  });

  return (
    <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <TextInput
          label={t('sites.code')}
          description={t('sites.codeHelp')}
          required
          data-autofocus
          spellCheck={false}
          {...form.getInputProps('code')}
        />
        <TextInput label={t('sites.name')} required {...form.getInputProps('name')} />
        {line && (
          <Select
            label={t('sites.parentPlant')}
            description={t('sites.moveLineHelp')}
            data={plantOptions}
            allowDeselect={false}
            {...form.getInputProps('plant_id')}
          />
        )}
        <FormActions
          busy={busy}
          onCancel={onClose}
          submitLabel={line ? t('common.save') : t('sites.createLine')}
        />
      </Stack>
    </form>
  );
}
