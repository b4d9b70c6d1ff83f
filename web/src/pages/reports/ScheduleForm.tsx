// A scheduled report as written: when (daily, weekly on a weekday, monthly on a day, at a
// local time), to whom (members who may read the figures, outside addresses), over what (the
// dashboard's filters), which indicators, in which format and language. The whole schedule is
// sent each time; the server's refusals land under their fields.
import {
  Button,
  Checkbox,
  Group,
  Input,
  MultiSelect,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call } from '../../api/client';
import { useAllMembers, useRoles } from '../../api/queries';
import { useReportsRefresh } from '../../api/reports';
import { useAuth, useMe } from '../../auth/context';
import { FormError } from '../../components/FormError';
import { LocationSelects } from '../../components/LocationSelects';
import { isLanguage } from '../../i18n';
import { KPI_CRITICALITIES } from '../../lib/kpis';
import { PERMISSIONS } from '../../lib/permissions';
import {
  FREQUENCY_KINDS,
  ISO_WEEKDAYS,
  MONTH_DAYS,
  REPORT_FORMATS,
  REPORT_INDICATORS,
  REPORT_LANGUAGES,
  checkSchedule,
  isoWeekdayName,
  mayReceive,
  ordinalDay,
  reportSites,
  scheduleErrors,
  scheduleProblemMessage,
  scheduleRequest,
  scheduleToValues,
  type ReportSchedule,
  type ScheduleValues,
} from '../../lib/reports';
import { timeZoneOptions } from '../../lib/timezones';

/** Members offered as recipients: who may receive the report, and who may not (greyed). */
function useRecipientOptions(values: ScheduleValues) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const me = useMe();
  const members = useAllMembers(can(PERMISSIONS.usersRead));
  const roles = useRoles(can(PERMISSIONS.rolesRead));
  const all = members.data?.items ?? [];
  const sites = reportSites(values.site_id, me.site_scope);
  const permissionsOf = (roleId: string) =>
    roles.data?.items.find((role) => role.id === roleId)?.permissions;
  const options = all
    .filter((m) => m.active || values.member_ids.includes(m.id))
    .map((m) => {
      const allowed = mayReceive(m, permissionsOf(m.role.id), sites);
      return {
        value: m.id,
        label: allowed ? m.full_name : t('reports.form.cannotRead', { name: m.full_name }),
        // One already chosen stays removable, whatever the server will say of it.
        disabled: !allowed && !values.member_ids.includes(m.id),
      };
    });
  const nameOf = (id: string) =>
    all.find((m) => m.id === id)?.full_name ?? t('reports.unknownMember');
  return { options, nameOf };
}

export function ScheduleForm({
  schedule,
  onClose,
}: {
  schedule: ReportSchedule | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const refresh = useReportsRefresh();
  const zones = useMemo(() => timeZoneOptions(), []);
  const language = isLanguage(me.user.locale) ? me.user.locale : 'fr';
  const form = useForm<ScheduleValues>({
    initialValues: scheduleToValues(schedule, language),
    validate: (values) =>
      Object.fromEntries(
        Object.entries(checkSchedule(values)).map(([field, problem]) => [
          field,
          problem ? scheduleProblemMessage(i18n, problem) : null,
        ]),
      ),
  });
  const values = form.getValues();
  const recipients = useRecipientOptions(values);
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);

  const save = async (v: ScheduleValues) => {
    setBusy(true);
    setGeneral(null);
    const body = scheduleRequest(v, schedule);
    try {
      const saved = schedule
        ? await call(
            api.PUT('/report-schedules/{id}', { params: { path: { id: schedule.id } }, body }),
          )
        : await call(api.POST('/report-schedules', { body }));
      await refresh(saved);
      notifications.show({
        color: 'teal',
        message: t(schedule ? 'reports.saved' : 'reports.created', { name: saved.name }),
      });
      onClose();
    } catch (error) {
      const { fields, general: other } = scheduleErrors(
        i18n,
        error,
        body.recipients.emails,
        recipients.nameOf,
      );
      form.setErrors(fields);
      setGeneral(other);
    } finally {
      setBusy(false);
    }
  };

  /** A recipient field: changing it also clears "choose at least one recipient". */
  const recipientProps = (field: 'member_ids' | 'emails') => {
    const props = form.getInputProps(field);
    return {
      ...props,
      onChange: (next: string[]) => {
        form.clearFieldError('recipients');
        form.setFieldValue(field, next);
      },
    };
  };
  const errorText = (field: keyof ScheduleValues) => {
    const error = form.errors[field];
    return typeof error === 'string' ? error : undefined;
  };
  const kept = [
    schedule?.filters.category
      ? t('reports.category', { category: schedule.filters.category })
      : null,
    schedule?.filters.equipment_id ? t('reports.oneEquipment') : null,
  ].filter((text): text is string => text !== null);

  return (
    <form onSubmit={form.onSubmit((v) => void save(v))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <TextInput
          label={t('reports.form.name')}
          description={t('reports.form.nameHelp')}
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        <Input.Wrapper label={t('reports.form.frequency')} labelElement="div">
          <SegmentedControl
            fullWidth
            aria-label={t('reports.form.frequency')}
            data={FREQUENCY_KINDS.map((k) => ({ value: k, label: t(`reports.frequencies.${k}`) }))}
            value={values.kind}
            onChange={(value) => {
              const kind = FREQUENCY_KINDS.find((k) => k === value);
              if (kind) form.setFieldValue('kind', kind);
            }}
          />
        </Input.Wrapper>
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md">
          {values.kind === 'weekly' && (
            <Select
              label={t('reports.form.weekday')}
              data={ISO_WEEKDAYS.map((d) => ({
                value: String(d),
                label: isoWeekdayName(d, i18n.language),
              }))}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('weekday')}
            />
          )}
          {values.kind === 'monthly' && (
            <Select
              label={t('reports.form.day')}
              description={t('reports.form.dayHelp')}
              data={MONTH_DAYS.map((d) => ({
                value: String(d),
                label: ordinalDay(d, i18n.language),
              }))}
              allowDeselect={false}
              maxDropdownHeight={240}
              comboboxProps={{ withinPortal: true }}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              {...form.getInputProps('day')}
            />
          )}
          <TimeInput label={t('reports.form.time')} required {...form.getInputProps('time')} />
          <Select
            label={t('reports.form.timeZone')}
            placeholder={t('reports.form.timeZonePlaceholder')}
            description={t('reports.form.timeZoneHelp')}
            searchable
            clearable
            nothingFoundMessage={t('common.nothingFound')}
            data={zones}
            maxDropdownHeight={280}
            comboboxProps={{ withinPortal: true }}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...form.getInputProps('time_zone')}
          />
        </SimpleGrid>

        <Input.Wrapper
          label={t('reports.form.recipients')}
          description={t('reports.form.recipientsHelp')}
          error={form.errors.recipients}
          labelElement="div"
          required
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" mt={6}>
            <MultiSelect
              label={t('reports.form.members')}
              placeholder={t('reports.form.membersPlaceholder')}
              data={recipients.options}
              searchable
              clearable
              hidePickedOptions
              nothingFoundMessage={t('common.nothingFound')}
              comboboxProps={{ withinPortal: true }}
              {...recipientProps('member_ids')}
            />
            <Stack gap={4}>
              <TagsInput
                label={t('reports.form.emails')}
                placeholder={t('reports.form.emailsPlaceholder')}
                splitChars={[',', ';', ' ']}
                clearable
                {...recipientProps('emails')}
              />
              {schedule && schedule.unsubscribed.length > 0 && (
                <Text size="xs" c="orange.8">
                  {t('reports.form.unsubscribed', { emails: schedule.unsubscribed.join(', ') })}
                </Text>
              )}
            </Stack>
          </SimpleGrid>
        </Input.Wrapper>

        <Input.Wrapper
          label={t('reports.form.scope')}
          description={t('reports.form.scopeHelp')}
          labelElement="div"
        >
          <Stack gap="sm" mt={6}>
            <LocationSelects
              filter
              value={{
                siteId: values.site_id,
                plantId: values.plant_id,
                lineId: values.production_line_id,
              }}
              onChange={(location) =>
                form.setValues({
                  site_id: location.siteId,
                  plant_id: location.plantId,
                  production_line_id: location.lineId,
                })
              }
              errors={{
                siteId: errorText('site_id'),
                plantId: errorText('plant_id'),
                lineId: errorText('production_line_id'),
              }}
            />
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <Select
                label={t('reports.form.criticality')}
                placeholder={t('reports.form.allCriticalities')}
                data={KPI_CRITICALITIES.map((c) => ({ value: c, label: t(`criticality.${c}`) }))}
                clearable
                comboboxProps={{ withinPortal: true }}
                {...form.getInputProps('criticality')}
              />
            </SimpleGrid>
            {kept.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('reports.form.kept', { filters: kept.join(', ') })}
              </Text>
            )}
          </Stack>
        </Input.Wrapper>

        <Checkbox.Group label={t('reports.form.indicators')} {...form.getInputProps('indicators')}>
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs" mt={8}>
            {REPORT_INDICATORS.map((indicator) => (
              <Checkbox
                key={indicator}
                value={indicator}
                label={t(`reports.indicators.${indicator}`)}
              />
            ))}
          </SimpleGrid>
        </Checkbox.Group>

        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Input.Wrapper label={t('reports.form.format')} labelElement="div">
            <SegmentedControl
              fullWidth
              aria-label={t('reports.form.format')}
              data={REPORT_FORMATS.map((f) => ({ value: f, label: t(`reports.formats.${f}`) }))}
              value={values.format}
              onChange={(value) => {
                const format = REPORT_FORMATS.find((f) => f === value);
                if (format) form.setFieldValue('format', format);
              }}
            />
          </Input.Wrapper>
          <Input.Wrapper label={t('reports.form.language')} labelElement="div">
            <SegmentedControl
              fullWidth
              aria-label={t('reports.form.language')}
              data={REPORT_LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
              value={values.language}
              onChange={(value) => {
                const chosen = REPORT_LANGUAGES.find((l) => l === value);
                if (chosen) form.setFieldValue('language', chosen);
              }}
            />
          </Input.Wrapper>
        </SimpleGrid>

        <Switch
          label={t('reports.form.active')}
          description={t('reports.form.activeHelp')}
          {...form.getInputProps('active', { type: 'checkbox' })}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {schedule ? t('common.save') : t('reports.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
