import {
  Anchor,
  Button,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { api, call } from '../api/client';
import { useAuth } from '../auth/context';
import { AuthLayout } from '../components/AuthLayout';
import { AuthResult } from '../components/AuthResult';
import { FormError } from '../components/FormError';
import { LANGUAGES, currentLanguage, isLanguage, setLanguage, type AppLanguage } from '../i18n';
import { rule, useFormSubmit } from '../lib/forms';
import { checkEmail, checkName, checkPassword, checkSlug, suggestSlug } from '../lib/validation';

interface SignupValues {
  company_name: string;
  tenant_slug: string;
  full_name: string;
  email: string;
  password: string;
  locale: AppLanguage;
}

export default function SignupPage() {
  const { t, i18n } = useTranslation();
  const { signIn } = useAuth();
  const [slugEdited, setSlugEdited] = useState(false);
  // 202: the address already has an account; nothing was created and its owner got a mail.
  const [mailedTo, setMailedTo] = useState<string | null>(null);

  const form = useForm<SignupValues>({
    initialValues: {
      company_name: '',
      tenant_slug: '',
      full_name: '',
      email: '',
      password: '',
      locale: currentLanguage(),
    },
    validateInputOnBlur: true,
    validate: {
      company_name: rule(i18n, (v: string) => checkName(v, 120)),
      tenant_slug: rule(i18n, checkSlug),
      full_name: rule(i18n, (v: string) => checkName(v, 120)),
      email: rule(i18n, checkEmail),
      password: (value, values) =>
        rule(i18n, (v: string) =>
          checkPassword(v, {
            email: values.email,
            fullName: values.full_name,
            company: values.company_name,
          }),
        )(value),
    },
  });

  const { busy, general, submit } = useFormSubmit(form, async (values: SignupValues) => {
    const response = await call(
      api.POST('/auth/signup', {
        body: {
          company_name: values.company_name.trim(),
          tenant_slug: values.tenant_slug.trim(),
          full_name: values.full_name.trim(),
          email: values.email.trim(),
          password: values.password,
          locale: values.locale,
        },
      }),
    );
    if ('access_token' in response) await signIn(response);
    else setMailedTo(values.email.trim());
  });

  if (mailedTo !== null) {
    return (
      <AuthLayout title={t('signup.mailboxTitle')}>
        <AuthResult
          icon={<IconMailForward size={26} />}
          actions={
            <>
              <Button component={Link} to="/login" fullWidth>
                {t('signup.login')}
              </Button>
              <Button
                component={Link}
                to={`/forgot-password?email=${encodeURIComponent(mailedTo)}`}
                variant="default"
                fullWidth
              >
                {t('signup.resetPassword')}
              </Button>
              <Button variant="subtle" onClick={() => setMailedTo(null)}>
                {t('signup.otherAddress')}
              </Button>
            </>
          }
        >
          <Text>{t('signup.mailboxText', { email: mailedTo })}</Text>
          <Text size="sm" c="dimmed">
            {t('signup.mailboxHelp')}
          </Text>
        </AuthResult>
      </AuthLayout>
    );
  }

  const slugProps = form.getInputProps('tenant_slug');
  return (
    <AuthLayout title={t('signup.title')} subtitle={t('signup.subtitle')}>
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
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
            {...slugProps}
            onChange={(event) => {
              setSlugEdited(true);
              form.setFieldValue('tenant_slug', event.currentTarget.value.toLowerCase());
            }}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <TextInput
              label={t('signup.fullName')}
              required
              autoComplete="name"
              {...form.getInputProps('full_name')}
            />
            <Select
              label={t('signup.language')}
              data={LANGUAGES.map((language) => ({
                value: language,
                label: t(`languages.${language}`),
              }))}
              allowDeselect={false}
              {...form.getInputProps('locale')}
              onChange={(value) => {
                if (isLanguage(value)) {
                  form.setFieldValue('locale', value);
                  void setLanguage(value);
                }
              }}
            />
          </SimpleGrid>
          <TextInput
            label={t('signup.email')}
            type="email"
            required
            autoComplete="email"
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('signup.password')}
            description={t('passwordRules')}
            required
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={busy} fullWidth size="md">
            {t('signup.submit')}
          </Button>
          <Text size="sm" ta="center" c="dimmed">
            {t('signup.haveAccount')}{' '}
            <Anchor component={Link} to="/login" fw={600}>
              {t('signup.login')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
