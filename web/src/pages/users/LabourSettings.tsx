// The company's labour figures (`/tenant/labour`): the currency costs are counted in, the hourly
// rate and the weekly hours of every member without their own. They price the time logged (from
// now on: time already logged keeps its rate), and give utilisation and crew-weeks on the
// dashboard. For those who manage members, on the members page.
import {
  Button,
  Card,
  Group,
  NumberInput,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCoin } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { api, call } from '../../api/client';
import { useLabour } from '../../api/queries';
import { FormError } from '../../components/FormError';
import { QueryError } from '../../components/QueryError';
import { fieldMessage } from '../../i18n/messages';
import { formatDateTime } from '../../lib/format';
import { useFormSubmit } from '../../lib/forms';
import { currencySymbol } from '../../lib/kpis';
import {
  labourChanges,
  labourValues,
  numberOrNull,
  type Labour,
  type LabourValues,
} from '../../lib/labour';

export function LabourSettings() {
  const { t } = useTranslation();
  const labour = useLabour();
  return (
    <Card withBorder padding="lg" radius="md" maw={820} data-testid="labour-settings">
      <Group gap="xs" mb={4} wrap="nowrap">
        <IconCoin size={20} aria-hidden />
        <Title order={2} size="h4">
          {t('labour.title')}
        </Title>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {t('labour.description')}
      </Text>
      {labour.isError && <QueryError error={labour.error} onRetry={() => void labour.refetch()} />}
      {labour.isPending && (
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={60} />
          ))}
        </SimpleGrid>
      )}
      {/* A new form for each saved version: its figures are the ones the server keeps. */}
      {labour.data && <LabourForm key={labour.data.updated_at} labour={labour.data} />}
    </Card>
  );
}

function LabourForm({ labour }: { labour: Labour }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<LabourValues>({
    initialValues: labourValues(labour),
    validate: {
      default_weekly_capacity_hours: (value) =>
        numberOrNull(value) === null ? fieldMessage(i18n, { code: 'required' }) : null,
    },
  });
  const { busy, general, submit } = useFormSubmit(form, async (values: LabourValues) => {
    const body = labourChanges(labour, values);
    const saved =
      Object.keys(body).length === 0 ? labour : await call(api.PATCH('/tenant/labour', { body }));
    queryClient.setQueryData(['tenant', 'labour'], saved);
    // Costs, utilisation and crew-weeks are computed with them.
    await queryClient.invalidateQueries({ queryKey: ['kpis'] });
    notifications.show({ color: 'teal', message: t('labour.saved') });
  });
  const currency = form.getValues().currency.trim().toUpperCase();
  const symbol = /^[A-Z]{3}$/.test(currency) ? currencySymbol(currency, i18n.language) : '';
  return (
    <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <TextInput
            label={t('labour.currency')}
            description={t('labour.currencyHelp')}
            required
            maxLength={3}
            autoComplete="off"
            {...form.getInputProps('currency')}
            onChange={(event) =>
              form.setFieldValue('currency', event.currentTarget.value.toUpperCase())
            }
          />
          <NumberInput
            label={t('labour.hourlyRate')}
            description={t('labour.hourlyRateHelp')}
            placeholder={t('labour.noRate')}
            min={0}
            allowNegative={false}
            decimalScale={2}
            hideControls
            rightSection={
              <Text size="xs" c="dimmed" pr={6}>
                {t('users.labour.rateUnit', { currency: symbol })}
              </Text>
            }
            rightSectionWidth={64}
            {...form.getInputProps('default_hourly_rate')}
          />
          <NumberInput
            label={t('labour.weeklyHours')}
            description={t('labour.weeklyHoursHelp')}
            required
            min={0}
            allowNegative={false}
            decimalScale={2}
            hideControls
            rightSection={
              <Text size="xs" c="dimmed" pr={6}>
                {t('users.labour.hoursUnit')}
              </Text>
            }
            rightSectionWidth={64}
            {...form.getInputProps('default_weekly_capacity_hours')}
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          {t('labour.fromNow')}
        </Text>
        <Group justify="space-between" gap="sm">
          <Text size="xs" c="dimmed">
            {t('labour.updatedAt', { when: formatDateTime(labour.updated_at, i18n.language) })}
          </Text>
          <Button type="submit" loading={busy}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
