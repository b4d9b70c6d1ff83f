import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowLeft, IconBuilding, IconChevronRight, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { api, call } from '../api/client';
import { isApiError } from '../api/errors';
import { useAuth } from '../auth/context';
import { AuthLayout } from '../components/AuthLayout';
import { FormError } from '../components/FormError';
import { errorMessage, fieldMessage } from '../i18n/messages';

interface TenantChoice {
  slug: string;
  name: string;
}

function tenantsOf(details: Record<string, unknown>): TenantChoice[] {
  const tenants = details.tenants;
  if (!Array.isArray(tenants)) return [];
  return tenants.filter(
    (t): t is TenantChoice =>
      typeof t === 'object' && t !== null && typeof (t as TenantChoice).slug === 'string',
  );
}

/** The page that mails a reset link, with the address typed so far. */
function forgotPasswordPath(email: string): string {
  const typed = email.trim();
  return typed === '' ? '/forgot-password' : `/forgot-password?email=${encodeURIComponent(typed)}`;
}

export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const { signIn, endReason } = useAuth();
  const [tenants, setTenants] = useState<TenantChoice[] | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (value) => (value.trim() === '' ? fieldMessage(i18n, { code: 'required' }) : null),
      password: (value) => (value === '' ? fieldMessage(i18n, { code: 'required' }) : null),
    },
  });

  const login = async (tenantSlug?: string) => {
    const { email, password } = form.getValues();
    setBusy(tenantSlug ?? 'form');
    setGeneral(null);
    try {
      const response = await call(
        api.POST('/auth/login', {
          body: {
            email: email.trim(),
            password,
            ...(tenantSlug ? { tenant_slug: tenantSlug } : {}),
          },
        }),
      );
      await signIn(response);
    } catch (error) {
      if (isApiError(error, 'tenant_required')) {
        setTenants(tenantsOf(error.details));
      } else {
        setGeneral(errorMessage(i18n, error));
      }
    } finally {
      setBusy(null);
    }
  };

  const endNotice =
    endReason === null
      ? null
      : endReason === 'logout'
        ? { color: 'gmao', text: t('auth.loggedOut') }
        : endReason === 'password_changed'
          ? { color: 'gmao', text: t('auth.passwordChanged') }
          : endReason === 'account_disabled' || endReason === 'tenant_suspended'
            ? { color: 'red', text: t(`errors.${endReason}`) }
            : { color: 'orange', text: t('auth.sessionExpired') };

  if (tenants) {
    return (
      <AuthLayout title={t('auth.chooseTenantTitle')} subtitle={t('auth.chooseTenantText')}>
        <Stack gap="sm">
          <FormError message={general} />
          <Stack
            gap="xs"
            component="ul"
            aria-label={t('auth.chooseTenantTitle')}
            m={0}
            p={0}
            style={{ listStyle: 'none' }}
          >
            {tenants.map((tenant) => (
              <li key={tenant.slug}>
                <UnstyledButton
                  onClick={() => void login(tenant.slug)}
                  disabled={busy !== null}
                  aria-label={t('auth.openTenant', { name: tenant.name })}
                  p="md"
                  w="100%"
                  className="tenant-choice"
                >
                  <Group justify="space-between" wrap="nowrap">
                    <Group gap="sm" wrap="nowrap">
                      <IconBuilding size={22} color="var(--mantine-color-gmao-7)" aria-hidden />
                      <div>
                        <Text fw={600}>{tenant.name}</Text>
                        <Text size="xs" c="dimmed">
                          {tenant.slug}
                        </Text>
                      </div>
                    </Group>
                    {busy === tenant.slug ? (
                      <Loader size="xs" />
                    ) : (
                      <IconChevronRight size={18} aria-hidden />
                    )}
                  </Group>
                </UnstyledButton>
              </li>
            ))}
          </Stack>
          <Button
            variant="subtle"
            leftSection={<IconArrowLeft size={16} />}
            onClick={() => {
              setTenants(null);
              setGeneral(null);
            }}
          >
            {t('auth.otherAccount')}
          </Button>
        </Stack>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('auth.loginTitle')} subtitle={t('auth.loginSubtitle')}>
      <form onSubmit={form.onSubmit(() => void login())} noValidate>
        <Stack gap="md">
          {endNotice && !general && (
            <Alert color={endNotice.color} variant="light" icon={<IconInfoCircle />}>
              {endNotice.text}
            </Alert>
          )}
          <FormError message={general} />
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            required
            data-autofocus
            {...form.getInputProps('email')}
          />
          <Stack gap={4}>
            <PasswordInput
              label={t('auth.password')}
              autoComplete="current-password"
              required
              {...form.getInputProps('password')}
            />
            <Anchor
              component={Link}
              to={forgotPasswordPath(form.getValues().email)}
              size="sm"
              ta="right"
            >
              {t('auth.forgotPassword')}
            </Anchor>
          </Stack>
          <Button type="submit" loading={busy === 'form'} fullWidth size="md">
            {t('auth.loginButton')}
          </Button>
          <Text size="sm" ta="center" c="dimmed">
            {t('auth.noAccount')}{' '}
            <Anchor component={Link} to="/signup" fw={600}>
              {t('auth.createCompany')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
