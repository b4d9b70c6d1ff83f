// Invitations not accepted yet: pending ones (with when their link expires) and expired ones,
// who sent them; to resend (a new link, valid seven days) or revoke, for `users:manage`.
import {
  ActionIcon,
  Badge,
  Card,
  Menu,
  Skeleton,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDots, IconMailForward, IconMailOff, IconSend } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call, type Invitation } from '../../api/client';
import { useInvitations } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty } from '../../components/Empty';
import { QueryError } from '../../components/QueryError';
import { errorMessage } from '../../i18n/messages';
import { formatDateTime, formatRelative } from '../../lib/format';
import { PERMISSIONS } from '../../lib/permissions';

export function InvitationsPanel() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const manage = can(PERMISSIONS.usersManage);
  const queryClient = useQueryClient();
  const pending = useInvitations('pending');
  const expired = useInvitations('expired');
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['invitations'] }),
      queryClient.invalidateQueries({ queryKey: ['audit'] }),
    ]);

  const resend = async (invitation: Invitation) => {
    setBusy(invitation.id);
    try {
      await call(api.POST('/invitations/{id}/resend', { params: { path: { id: invitation.id } } }));
      await refresh();
      notifications.show({
        color: 'teal',
        message: t('invitations.resent', { email: invitation.email }),
      });
    } catch (error) {
      notifications.show({ color: 'red', message: errorMessage(i18n, error) });
      await refresh();
    } finally {
      setBusy(null);
    }
  };

  const revoke = async (invitation: Invitation) => {
    await call(api.POST('/invitations/{id}/revoke', { params: { path: { id: invitation.id } } }));
    await refresh();
    notifications.show({
      color: 'teal',
      message: t('invitations.revoked', { email: invitation.email }),
    });
  };

  const items = [...(pending.data?.items ?? []), ...(expired.data?.items ?? [])];
  const failed = pending.isError ? pending : expired.isError ? expired : null;

  return (
    <>
      <Text size="sm" c="dimmed" mb="sm">
        {t('invitations.help')}
      </Text>
      {failed && <QueryError error={failed.error} onRetry={() => void failed.refetch()} />}
      <Card p={0}>
        {pending.isPending || expired.isPending ? (
          <Stack p="lg" gap="md">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} h={14} w={`${60 - i * 10}%`} />
            ))}
          </Stack>
        ) : items.length === 0 ? (
          <Empty
            py={48}
            icon={<IconMailForward size={30} />}
            title={t('invitations.empty')}
            description={t('invitations.emptyText')}
          />
        ) : (
          <Table.ScrollContainer minWidth={760} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('invitations.colPerson')}</Table.Th>
                  <Table.Th>{t('invitations.colRole')}</Table.Th>
                  <Table.Th>{t('invitations.colInvitedBy')}</Table.Th>
                  <Table.Th>{t('invitations.colExpires')}</Table.Th>
                  {manage && (
                    <Table.Th w={56}>
                      <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((invitation) => {
                  const isExpired = invitation.status === 'expired';
                  return (
                    <Table.Tr key={invitation.id} data-testid="invitation-row">
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {invitation.full_name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {invitation.email}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" tt="none" radius="sm">
                          {invitation.role.name}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {invitation.invited_by?.full_name ?? t('invitations.unknownInviter')}
                        </Text>
                        <Text
                          size="xs"
                          c="dimmed"
                          title={formatDateTime(invitation.last_sent_at, i18n.language)}
                        >
                          {t('invitations.sent', {
                            count: invitation.sent_count,
                            when: formatRelative(invitation.last_sent_at, i18n.language),
                          })}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {isExpired ? (
                          <Badge color="orange" variant="light" tt="none">
                            {t('invitations.expired')}
                          </Badge>
                        ) : (
                          <Text
                            size="sm"
                            title={formatDateTime(invitation.expires_at, i18n.language)}
                          >
                            {t('invitations.expiresIn', {
                              when: formatRelative(invitation.expires_at, i18n.language),
                            })}
                          </Text>
                        )}
                      </Table.Td>
                      {manage && (
                        <Table.Td>
                          <Menu position="bottom-end" withinPortal>
                            <Menu.Target>
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                loading={busy === invitation.id}
                                aria-label={t('invitations.actionsFor', {
                                  name: invitation.full_name,
                                })}
                              >
                                <IconDots size={18} />
                              </ActionIcon>
                            </Menu.Target>
                            <Menu.Dropdown>
                              <Menu.Item
                                leftSection={<IconSend size={16} />}
                                onClick={() => void resend(invitation)}
                              >
                                {t('invitations.resend')}
                              </Menu.Item>
                              <Menu.Item
                                color="red"
                                leftSection={<IconMailOff size={16} />}
                                onClick={() => setRevoking(invitation)}
                              >
                                {t('invitations.revoke')}
                              </Menu.Item>
                            </Menu.Dropdown>
                          </Menu>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <ConfirmDialog
        opened={revoking !== null}
        title={t('invitations.revokeTitle')}
        message={t('invitations.revokeText', {
          name: revoking?.full_name ?? '',
          email: revoking?.email ?? '',
        })}
        confirmLabel={t('invitations.revoke')}
        danger
        onConfirm={() => (revoking ? revoke(revoking) : Promise.resolve())}
        onClose={() => setRevoking(null)}
      />
    </>
  );
}
