// The company of the session, in the header: the person's other companies (`GET /me/tenants`),
// to switch to without logging in again (`POST /auth/switch`), and a new company of their own
// (`POST /me/tenants`, for a confirmed address), where they are the administrator.
import {
  Alert,
  Button,
  Group,
  Loader,
  Menu,
  Modal,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  IconBuilding,
  IconBuildingPlus,
  IconCheck,
  IconMailExclamation,
  IconSelector,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { api, call, type Schemas } from '../api/client';
import { useAuth, useMe } from '../auth/context';
import { useResendVerification } from '../auth/verification';
import { errorMessage } from '../i18n/messages';
import { rule, useFormSubmit } from '../lib/forms';
import { checkName, checkSlug, suggestSlug } from '../lib/validation';
import { FormError } from './FormError';

type MyTenant = Schemas['MyTenant'];

interface CompanyValues {
  company_name: string;
  tenant_slug: string;
}

function CreateCompanyForm({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const verification = useResendVerification();
  const [slugEdited, setSlugEdited] = useState(false);
  const verified = me.user.email_verified;
  const form = useForm<CompanyValues>({
    initialValues: { company_name: '', tenant_slug: '' },
    validateInputOnBlur: true,
    validate: {
      company_name: rule(i18n, (v: string) => checkName(v, 120)),
      tenant_slug: rule(i18n, checkSlug),
    },
  });

  const { busy, general, submit } = useFormSubmit(form, async (values: CompanyValues) => {
    const name = values.company_name.trim();
    const response = await call(
      api.POST('/me/tenants', {
        body: { company_name: name, tenant_slug: values.tenant_slug.trim() },
      }),
    );
    onClose();
    void navigate('/');
    await signIn(response);
    notifications.show({ color: 'teal', message: t('switcher.created', { name }) });
  });

  return (
    <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('switcher.createText')}
        </Text>
        {!verified && (
          <Alert color="yellow" variant="light" icon={<IconMailExclamation />}>
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('switcher.verifyFirst', { email: me.user.email })}</Text>
              <Button
                size="xs"
                variant="white"
                color="yellow.9"
                loading={verification.busy}
                onClick={() => void verification.resend()}
              >
                {t('verification.resend')}
              </Button>
            </Stack>
          </Alert>
        )}
        <FormError message={general} />
        <TextInput
          label={t('signup.companyName')}
          placeholder={t('signup.companyNamePlaceholder')}
          required
          autoComplete="organization"
          data-autofocus
          {...form.getInputProps('company_name')}
          onChange={(event) => {
            const name = event.currentTarget.value;
            form.setFieldValue('company_name', name);
            if (!slugEdited) form.setFieldValue('tenant_slug', suggestSlug(name));
          }}
        />
        <TextInput
          label={t('signup.slug')}
          description={t('signup.slugHelp')}
          required
          autoCapitalize="none"
          spellCheck={false}
          {...form.getInputProps('tenant_slug')}
          onChange={(event) => {
            setSlugEdited(true);
            form.setFieldValue('tenant_slug', event.currentTarget.value.toLowerCase());
          }}
        />
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} disabled={!verified}>
            {t('switcher.createSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The company switcher. `navbar`: the block at the top of the navigation on phones, where the
 * header has no room for it.
 */
export function CompanySwitcher({ navbar = false }: { navbar?: boolean }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const [creating, setCreating] = useState(false);
  const [switching, setSwitching] = useState<string | null>(null);
  const tenants = useQuery({
    queryKey: ['my-tenants'],
    queryFn: () => call(api.GET('/me/tenants')),
    enabled: opened,
  });

  const switchTo = async (tenant: MyTenant) => {
    setSwitching(tenant.slug);
    try {
      const response = await call(api.POST('/auth/switch', { body: { tenant_slug: tenant.slug } }));
      void navigate('/');
      await signIn(response);
    } catch (error) {
      notifications.show({ color: 'red', message: errorMessage(i18n, error) });
    } finally {
      setSwitching(null);
    }
  };

  const items = tenants.data?.items ?? [];
  return (
    <>
      <Menu
        position="bottom-start"
        width={300}
        shadow="md"
        opened={opened}
        onChange={setOpened}
        closeOnItemClick
      >
        <Menu.Target>
          <UnstyledButton
            aria-label={t('switcher.label', { name: me.tenant.name })}
            visibleFrom={navbar ? undefined : 'xs'}
            w={navbar ? '100%' : undefined}
            px={6}
            py={4}
            style={{ borderRadius: 8, minWidth: 0 }}
          >
            {navbar ? (
              <Group gap={6} justify="space-between" wrap="nowrap">
                <div style={{ minWidth: 0 }}>
                  <Text size="xs" c="dimmed">
                    {t('shell.company')}
                  </Text>
                  <Text fw={600} truncate>
                    {me.tenant.name}
                  </Text>
                </div>
                <IconSelector size={16} aria-hidden />
              </Group>
            ) : (
              <Group gap={6} wrap="nowrap" title={t('shell.workspace', { slug: me.tenant.slug })}>
                <Text fw={600} truncate data-testid="tenant-name" maw={320}>
                  {me.tenant.name}
                </Text>
                <IconSelector size={16} aria-hidden />
              </Group>
            )}
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('switcher.companies')}</Menu.Label>
          {tenants.isPending ? (
            <Group justify="center" py="sm">
              <Loader size="sm" aria-label={t('common.loading')} />
            </Group>
          ) : tenants.isError ? (
            <Text size="sm" c="red" px="sm" py="xs">
              {errorMessage(i18n, tenants.error)}
            </Text>
          ) : (
            items.map((tenant) => (
              <Menu.Item
                key={tenant.id}
                leftSection={
                  switching === tenant.slug ? (
                    <Loader size={16} />
                  ) : (
                    <IconBuilding size={16} aria-hidden />
                  )
                }
                rightSection={tenant.current ? <IconCheck size={16} aria-hidden /> : null}
                aria-current={tenant.current ? 'true' : undefined}
                disabled={switching !== null}
                onClick={() => {
                  if (!tenant.current) void switchTo(tenant);
                }}
              >
                <Text size="sm" fw={tenant.current ? 600 : 400} truncate>
                  {tenant.name}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {tenant.slug}
                </Text>
              </Menu.Item>
            ))
          )}
          <Menu.Divider />
          <Menu.Item
            leftSection={<IconBuildingPlus size={16} aria-hidden />}
            onClick={() => setCreating(true)}
          >
            {t('switcher.create')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('switcher.createTitle')}
        size="md"
      >
        {creating && <CreateCompanyForm onClose={() => setCreating(false)} />}
      </Modal>
    </>
  );
}
