import {
  AppShell,
  Avatar,
  Badge,
  Burger,
  Divider,
  Group,
  Menu,
  NavLink,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconBuildingFactory2,
  IconCalendarEvent,
  IconCalendarRepeat,
  IconChartLine,
  IconCheck,
  IconChevronDown,
  IconClipboardList,
  IconClockHour4,
  IconHistory,
  IconHome,
  IconInbox,
  IconLanguage,
  IconLayoutKanban,
  IconListDetails,
  IconListCheck,
  IconLogout,
  IconMailForward,
  IconMessageReport,
  IconServerCog,
  IconShieldLock,
  IconTags,
  IconTemplate,
  IconTool,
  IconUser,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, NavLink as RouterNavLink, useLocation } from 'react-router';

import { api, call } from '../api/client';
import { useTenant } from '../api/queries';
import { useAuth, useMe } from '../auth/context';
import { LANGUAGES, setLanguage, type AppLanguage } from '../i18n';
import { errorMessage } from '../i18n/messages';
import { initials } from '../lib/format';
import { NAV_ITEMS, PERMISSIONS, activeNavKey, visibleNavItems } from '../lib/permissions';
import { CompanySwitcher } from './CompanySwitcher';
import { EmailVerificationBanner } from './EmailVerificationBanner';
import { FullPageLoader } from './FullPageLoader';
import { Logo } from './Logo';

const NAV_ICONS: Record<string, Icon> = {
  home: IconHome,
  reportFailure: IconAlertTriangle,
  myRequests: IconMessageReport,
  myWork: IconListCheck,
  myHours: IconClockHour4,
  inbox: IconInbox,
  workOrders: IconClipboardList,
  board: IconLayoutKanban,
  templates: IconTemplate,
  equipment: IconTool,
  failureCodes: IconTags,
  specTemplates: IconListDetails,
  sites: IconBuildingFactory2,
  users: IconUsers,
  roles: IconShieldLock,
  audit: IconHistory,
  pmPlans: IconCalendarRepeat,
  calendar: IconCalendarEvent,
  kpis: IconChartLine,
  reports: IconMailForward,
  jobs: IconServerCog,
};

/** Switches the language here and remembers it on the user (`PATCH /me`). */
function useLanguageSwitch() {
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  return async (language: AppLanguage) => {
    if (language === i18n.language) return;
    await setLanguage(language);
    try {
      const me = await call(api.PATCH('/me', { body: { locale: language } }));
      queryClient.setQueryData(['me'], me);
      // Role names and permission descriptions come translated from the API.
      await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    } catch (error) {
      notifications.show({ color: 'red', message: errorMessage(i18n, error) });
    }
  };
}

function UserMenu() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { signOut } = useAuth();
  const switchLanguage = useLanguageSwitch();
  return (
    <Menu position="bottom-end" width={240} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label={t('menu.userMenu')} style={{ borderRadius: 8 }} px={6} py={4}>
          <Group gap={8} wrap="nowrap">
            <Avatar color="gmao" radius="xl" size={34}>
              {initials(me.user.full_name)}
            </Avatar>
            <Stack gap={0} visibleFrom="sm" style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} lh={1.2} truncate maw={180}>
                {me.user.full_name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2} truncate maw={180}>
                {me.role.name}
              </Text>
            </Stack>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {me.user.full_name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {me.user.email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item component={Link} to="/profile" leftSection={<IconUser size={16} />}>
          {t('menu.profile')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Label>
          <Group gap={6}>
            <IconLanguage size={14} aria-hidden />
            {t('menu.language')}
          </Group>
        </Menu.Label>
        {LANGUAGES.map((language) => (
          <Menu.Item
            key={language}
            lang={language}
            onClick={() => void switchLanguage(language)}
            rightSection={i18n.language === language ? <IconCheck size={16} aria-hidden /> : null}
            aria-current={i18n.language === language ? 'true' : undefined}
          >
            {t(`languages.${language}`)}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} />}
          onClick={() => void signOut()}
        >
          {t('menu.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const items = visibleNavItems(NAV_ITEMS, me.permissions);
  const activeKey = activeNavKey(items, location.pathname);
  const scoped = me.site_scope != null;
  // Requests waiting for a decision, next to the inbox (the home page's counts, shared).
  const approver = me.permissions.includes(PERMISSIONS.requestsApprove);
  const tenant = useTenant(approver);
  const pending = approver ? (tenant.data?.counts.pending_requests ?? 0) : 0;
  // On a short window the navigation scrolls under a footer that stays: the current page's
  // entry is brought into view (after a reload on /jobs, say), without moving the page.
  const navScroll = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const active = navScroll.current?.querySelector<HTMLElement>('[aria-current="page"]');
    active?.scrollIntoView?.({ block: 'nearest' });
  }, [activeKey]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('nav.close') : t('nav.open')}
            />
            <Link
              to="/"
              aria-label={t('nav.logo')}
              style={{ color: 'inherit', textDecoration: 'none' }}
            >
              <Logo />
            </Link>
            <Divider orientation="vertical" visibleFrom="xs" />
            <CompanySwitcher />
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label={t('nav.label')}>
        <AppShell.Section hiddenFrom="xs" mb="sm">
          <CompanySwitcher navbar />
        </AppShell.Section>
        <AppShell.Section grow className="nav-scroll" ref={navScroll} data-testid="nav-scroll">
          <Stack gap={2}>
            {items.map((item, index) => {
              const ItemIcon = NAV_ICONS[item.key] ?? IconHome;
              const active = item.key === activeKey;
              const heading =
                item.section !== undefined && item.section !== items[index - 1]?.section;
              return (
                <Fragment key={item.key}>
                  {heading && (
                    <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt={10} pb={2}>
                      {t(`nav.sections.${item.section}`)}
                    </Text>
                  )}
                  <NavLink
                    component={RouterNavLink}
                    to={item.to}
                    end
                    label={t(`nav.${item.key}`)}
                    leftSection={<ItemIcon size={20} stroke={1.7} aria-hidden />}
                    rightSection={
                      item.key === 'inbox' && pending > 0 ? (
                        <Badge size="sm" circle color="red" aria-hidden>
                          {pending}
                        </Badge>
                      ) : undefined
                    }
                    active={active}
                    aria-current={active ? 'page' : undefined}
                    onClick={close}
                    styles={{
                      // Tight enough for every entry of an administrator to fit a laptop's screen (1366×850).
                      root: { borderRadius: 8, paddingBlock: 3 },
                      label: { fontWeight: 500 },
                    }}
                  />
                </Fragment>
              );
            })}
          </Stack>
        </AppShell.Section>
        <AppShell.Section data-testid="nav-footer">
          <Divider mb={8} />
          <Group gap={6} px="xs" pb={4} style={{ rowGap: 4 }}>
            <Text size="xs" c="dimmed">
              {t('shell.signedInAs')}
            </Text>
            <Badge variant="light" size="sm" maw="100%">
              {me.role.name}
            </Badge>
            {scoped && (
              <Badge variant="light" color="orange" size="sm">
                {t('shell.scoped', { count: me.site_scope?.length ?? 0 })}
              </Badge>
            )}
          </Group>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="var(--mantine-color-gray-0)">
        <EmailVerificationBanner />
        <Suspense fallback={<FullPageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
