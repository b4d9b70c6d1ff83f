// Who reported a request: a member by name, or someone without an account on the public portal
// ("Anonymous (portal)"), with the name and contact they chose to give.
import { Anchor, Badge, Group, Stack, Text, Tooltip, type BadgeProps } from '@mantine/core';
import { IconWorld } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

import type { WorkRequest } from '../../api/client';
import { contactHref } from '../../lib/portal';

export function AnonymousBadge({ size = 'sm' }: { size?: BadgeProps['size'] }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('portal.anonymousHelp')}>
      <Badge
        className="badge-nowrap"
        variant="light"
        color="grape"
        size={size}
        leftSection={<IconWorld size={12} aria-hidden />}
        data-testid="anonymous-badge"
      >
        {t('portal.anonymous')}
      </Badge>
    </Tooltip>
  );
}

/** A telephone or an address to call or write to; any other text as it was given. */
export function ContactLink({ contact }: { contact: string }) {
  const href = contactHref(contact);
  return href ? (
    <Anchor href={href} size="sm" style={{ overflowWrap: 'anywhere' }}>
      {contact}
    </Anchor>
  ) : (
    <Text span size="sm" style={{ overflowWrap: 'anywhere' }}>
      {contact}
    </Text>
  );
}

/** The portal's reporter: the marker, their name (or that they gave none), their contact. */
function PortalReporter({ request, badge }: { request: WorkRequest; badge: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="wrap" style={{ rowGap: 2 }} data-testid="request-reporter">
      {badge && <AnonymousBadge />}
      <Text size="sm" c={request.reporter_name ? undefined : 'dimmed'}>
        {request.reporter_name ?? t('portal.reporterUnnamed')}
      </Text>
      {request.reporter_contact && (
        <>
          <Text span size="sm" c="dimmed" aria-hidden>
            ·
          </Text>
          <ContactLink contact={request.reporter_contact} />
        </>
      )}
    </Group>
  );
}

/** One line under a request of the inbox: "Reported by …". */
export function ReporterLine({ request }: { request: WorkRequest }) {
  const { t } = useTranslation();
  if (request.anonymous) return <PortalReporter request={request} badge />;
  return request.requested_by_name ? (
    <Text size="sm" c="dimmed">
      {t('requests.reportedByLine', { name: request.requested_by_name })}
    </Text>
  ) : null;
}

/** The value of the "Reported by" field of a request's page. */
export function ReporterValue({ request }: { request: WorkRequest }) {
  if (request.anonymous) {
    return (
      <Stack gap={4} align="flex-start">
        <AnonymousBadge />
        <PortalReporter request={request} badge={false} />
      </Stack>
    );
  }
  return <>{request.requested_by_name ?? '—'}</>;
}
