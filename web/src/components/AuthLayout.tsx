import {
  Box,
  Group,
  List,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconBuildingFactory2, IconCheck, IconShieldLock, IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { LANGUAGES, isLanguage, setLanguage } from '../i18n';
import { usePageTitle } from '../lib/usePageTitle';
import { Logo } from './Logo';

/** The language switch of pages seen before login (remembered on this device). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('menu.language')}
      value={i18n.language}
      onChange={(value) => {
        if (isLanguage(value)) void setLanguage(value);
      }}
      data={LANGUAGES.map((language) => ({ value: language, label: t(`languages.${language}`) }))}
    />
  );
}

/** Login and signup: the product on the left (wide screens), the form on the right. */
export function AuthLayout({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  usePageTitle(title);
  const features = [
    { icon: IconBuildingFactory2, text: t('auth.featureSites') },
    { icon: IconUsers, text: t('auth.featureTeam') },
    { icon: IconShieldLock, text: t('auth.featureSecurity') },
  ];
  return (
    <Box mih="100dvh" style={{ display: 'flex' }}>
      <Box
        visibleFrom="md"
        p={48}
        w="42%"
        style={{
          background:
            'linear-gradient(160deg, var(--mantine-color-gmao-9) 0%, var(--mantine-color-gmao-7) 60%, var(--mantine-color-gmao-5) 100%)',
          color: 'white',
          display: 'flex',
          flexDirection: 'column',
          justifyContent: 'space-between',
        }}
      >
        <Group gap={10}>
          <ThemeIcon size={40} radius="md" color="white" variant="white" aria-hidden>
            <IconBuildingFactory2 size={24} color="var(--mantine-color-gmao-8)" />
          </ThemeIcon>
          <Text fw={800} fz={26}>
            {t('app.name')}
          </Text>
        </Group>
        <Stack gap="lg" maw={440}>
          <Title order={2} fz={32} lh={1.2}>
            {t('auth.heroTitle')}
          </Title>
          <Text fz="lg" opacity={0.85}>
            {t('auth.heroText')}
          </Text>
          <List
            spacing="sm"
            icon={
              <ThemeIcon size={24} radius="xl" color="white" variant="white" aria-hidden>
                <IconCheck size={14} color="var(--mantine-color-gmao-8)" />
              </ThemeIcon>
            }
          >
            {features.map((feature) => (
              <List.Item key={feature.text}>{feature.text}</List.Item>
            ))}
          </List>
        </Stack>
        <Text size="sm" opacity={0.7}>
          {t('auth.footer')}
        </Text>
      </Box>
      <Box
        style={{ flex: 1, display: 'flex', flexDirection: 'column' }}
        bg="var(--mantine-color-gray-0)"
      >
        <Group justify="space-between" p="md">
          <Box hiddenFrom="md">
            <Logo />
          </Box>
          <Box style={{ marginLeft: 'auto' }}>
            <LanguageSwitch />
          </Box>
        </Group>
        <Box
          style={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center' }}
          p="md"
        >
          <Paper withBorder shadow="sm" radius="lg" p={{ base: 'lg', sm: 36 }} w="100%" maw={480}>
            <Stack gap={4} mb="lg">
              <Title order={1} fz={26}>
                {title}
              </Title>
              {subtitle && <Text c="dimmed">{subtitle}</Text>}
            </Stack>
            {children}
          </Paper>
        </Box>
      </Box>
    </Box>
  );
}
