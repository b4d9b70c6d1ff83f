import {
  Badge,
  Button,
  Card,
  Group,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { api, call } from '../api/client';
import { useAllSites } from '../api/queries';
import { useMe } from '../auth/context';
import { FormError } from '../components/FormError';
import { PageHeader } from '../components/PageHeader';
import { LANGUAGES, isLanguage, setLanguage, type AppLanguage } from '../i18n';
import { fieldMessage } from '../i18n/messages';
import { rule, useFormSubmit } from '../lib/forms';
import { checkName, checkPassword } from '../lib/validation';

function ProfileCard() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const form = useForm<{ full_name: string; locale: AppLanguage }>({
    initialValues: {
      full_name: me.user.full_name,
      locale: isLanguage(me.user.locale) ? me.user.locale : 'fr',
    },
    validateInputOnBlur: true,
    validate: { full_name: rule(i18n, (v: string) => checkName(v, 120)) },
  });

  const { busy, general, submit } = useFormSubmit(
    form,
    async (values: { full_name: string; locale: AppLanguage }) => {
      const updated = await call(
        api.PATCH('/me', { body: { full_name: values.full_name.trim(), locale: values.locale } }),
      );
      const languageChanged = values.locale !== i18n.language;
      await setLanguage(values.locale);
      queryClient.setQueryData(['me'], updated);
      if (languageChanged)
        await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      form.resetDirty({ full_name: updated.user.full_name, locale: values.locale });
      notifications.show({ color: 'teal', message: t('profile.saved') });
    },
  );

  return (
    <Card>
      <Title order={2} fz="lg" mb={4}>
        {t('profile.infoTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('profile.infoText')}
      </Text>
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
          <FormError message={general} />
          <TextInput
            label={t('profile.fullName')}
            required
            autoComplete="name"
            {...form.getInputProps('full_name')}
          />
          <TextInput
            label={t('profile.email')}
            value={me.user.email}
            readOnly
            description={t('profile.emailHelp')}
          />
          <Select
            label={t('profile.language')}
            data={LANGUAGES.map((language) => ({
              value: language,
              label: t(`languages.${language}`),
            }))}
            allowDeselect={false}
            {...form.getInputProps('locale')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={busy} disabled={!form.isDirty()}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

interface PasswordValues {
  current_password: string;
  new_password: string;
  confirm: string;
}

function PasswordCard() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const form = useForm<PasswordValues>({
    initialValues: { current_password: '', new_password: '', confirm: '' },
    validate: {
      current_password: (v) => (v === '' ? fieldMessage(i18n, { code: 'required' }) : null),
      new_password: rule(i18n, (v: string) =>
        checkPassword(v, { email: me.user.email, fullName: me.user.full_name }),
      ),
      confirm: (v, values) => (v !== values.new_password ? t('profile.passwordsDiffer') : null),
    },
  });

  const { busy, general, submit } = useFormSubmit(form, async (values: PasswordValues) => {
    await call(
      api.POST('/me/password', {
        body: { current_password: values.current_password, new_password: values.new_password },
      }),
    );
    form.reset();
    notifications.show({
      color: 'teal',
      title: t('profile.passwordChanged'),
      message: t('profile.passwordChangedText'),
    });
  });

  return (
    <Card>
      <Title order={2} fz="lg" mb={4}>
        {t('profile.passwordTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('profile.passwordText')}
      </Text>
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
          <FormError message={general} />
          <PasswordInput
            label={t('profile.currentPassword')}
            required
            autoComplete="current-password"
            {...form.getInputProps('current_password')}
          />
          <PasswordInput
            label={t('profile.newPassword')}
            description={t('passwordRules')}
            required
            autoComplete="new-password"
            {...form.getInputProps('new_password')}
          />
          <PasswordInput
            label={t('profile.confirmPassword')}
            required
            autoComplete="new-password"
            {...form.getInputProps('confirm')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {t('profile.changePassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function AccessCard() {
  const { t } = useTranslation();
  const me = useMe();
  const sites = useAllSites(me.site_scope != null);
  const names = new Map((sites.data?.items ?? []).map((s) => [s.id, s.name]));
  return (
    <Card>
      <Title order={2} fz="lg" mb="md">
        {t('profile.accessTitle')}
      </Title>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Text size="sm" c="dimmed">
            {t('profile.company')}
          </Text>
          <Text size="sm" fw={600}>
            {me.tenant.name}
          </Text>
        </Group>
        <Group justify="space-between" gap="xs">
          <Text size="sm" c="dimmed">
            {t('profile.role')}
          </Text>
          <Badge variant="light">{me.role.name}</Badge>
        </Group>
        <Group justify="space-between" gap="xs" align="flex-start">
          <Text size="sm" c="dimmed">
            {t('profile.sites')}
          </Text>
          {me.site_scope == null ? (
            <Text size="sm">{t('common.allSites')}</Text>
          ) : (
            <Group gap={4} justify="flex-end" maw="70%">
              {me.site_scope.length === 0 && <Text size="sm">{t('common.noSite')}</Text>}
              {me.site_scope.map((id) => (
                <Badge key={id} variant="outline" color="gray">
                  {names.get(id) ?? '…'}
                </Badge>
              ))}
            </Group>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

export default function ProfilePage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <>
      <PageHeader title={t('profile.title')} description={t('profile.description')} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" style={{ alignItems: 'start' }}>
        <Stack gap="lg">
          {/* Remounted when the profile changes elsewhere (the language menu). */}
          <ProfileCard key={`${me.user.full_name}-${me.user.locale}`} />
          <AccessCard />
        </Stack>
        <PasswordCard />
      </SimpleGrid>
    </>
  );
}
