import { Badge, Button, Card, Group, Progress, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconPlus, IconShieldLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { usePermissionCatalogue, useRoles } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { PERMISSIONS } from '../../lib/permissions';

export default function RolesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const roles = useRoles();
  const catalogue = usePermissionCatalogue();
  const totalPermissions = catalogue.data?.total ?? 0;
  const manage = can(PERMISSIONS.rolesManage);

  return (
    <>
      <PageHeader
        title={t('roles.title')}
        description={t('roles.description')}
        actions={
          manage && (
            <Button component={Link} to="/roles/new" leftSection={<IconPlus size={18} />}>
              {t('roles.new')}
            </Button>
          )
        }
      />
      {roles.isError && <QueryError error={roles.error} onRetry={() => void roles.refetch()} />}
      <Card p={0}>
        {roles.isPending ? (
          <Stack p="lg" gap="md">
            {[0, 1, 2, 3, 4].map((i) => (
              <Skeleton key={i} h={20} w={`${70 - i * 8}%`} />
            ))}
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={640} type="native">
            <Table verticalSpacing="md" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('roles.colName')}</Table.Th>
                  <Table.Th>{t('roles.colType')}</Table.Th>
                  <Table.Th w={200}>{t('roles.colPermissions')}</Table.Th>
                  <Table.Th w={150}>{t('roles.colMembers')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(roles.data?.items ?? []).map((role) => (
                  <Table.Tr
                    key={role.id}
                    className="clickable-row"
                    onClick={() => void navigate(`/roles/${role.id}`)}
                    data-testid="role-row"
                  >
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <IconShieldLock size={20} color="var(--mantine-color-gmao-6)" aria-hidden />
                        <div>
                          <Text
                            component={Link}
                            to={`/roles/${role.id}`}
                            fw={600}
                            size="sm"
                            onClick={(e) => e.stopPropagation()}
                            style={{ color: 'inherit', textDecoration: 'none' }}
                          >
                            {role.name}
                          </Text>
                          {role.description && (
                            <Text size="xs" c="dimmed" lineClamp={1}>
                              {role.description}
                            </Text>
                          )}
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      {role.builtin ? (
                        <Badge variant="light" color="gray" tt="none">
                          {t('roles.builtin')}
                        </Badge>
                      ) : (
                        <Badge variant="light" color="violet" tt="none">
                          {t('roles.custom')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={4}>
                        <Text size="xs" c="dimmed">
                          {totalPermissions
                            ? t('roles.permissionRatio', {
                                count: role.permissions.length,
                                total: totalPermissions,
                              })
                            : t('roles.permissionCount', { count: role.permissions.length })}
                        </Text>
                        {totalPermissions > 0 && (
                          <Progress
                            value={(role.permissions.length / totalPermissions) * 100}
                            size="sm"
                            aria-hidden
                          />
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {t('roles.memberCount', { count: role.member_count })}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </>
  );
}
