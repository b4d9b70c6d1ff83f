import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Group,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconInfoCircle, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';

import { api, call, type PermissionInfo, type Role, type Schemas } from '../../api/client';
import { isApiError } from '../../api/errors';
import { usePermissionCatalogue, useRole, useRoles } from '../../api/queries';
import { useAuth, useMe } from '../../auth/context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { rule, useFormSubmit } from '../../lib/forms';
import { PERMISSIONS, groupByArea } from '../../lib/permissions';
import { checkName, checkOptionalText } from '../../lib/validation';

interface RoleValues {
  name: string;
  description: string;
  permissions: string[];
}

/** An area's name: translated when known, else made readable (`work_orders` → `Work orders`). */
function useAreaLabel() {
  const { t, i18n } = useTranslation();
  return (area: string) => {
    if (i18n.exists(`areas.${area}`)) return t(`areas.${area}`);
    const words = area.replace(/[_-]+/g, ' ').trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
  };
}

/**
 * Rows: permissions grouped by area, with what each allows. Columns: the role being edited
 * (checkboxes), then the built-in roles for comparison.
 */
function PermissionMatrix({
  catalogue,
  value,
  onChange,
  readOnly,
  grantable,
  compareWith,
}: {
  catalogue: PermissionInfo[];
  value: string[];
  onChange: (next: string[]) => void;
  readOnly: boolean;
  grantable: (key: string) => boolean;
  compareWith: Role[];
}) {
  const { t } = useTranslation();
  const areaLabel = useAreaLabel();
  const groups = groupByArea(catalogue);
  const set = new Set(value);
  const toggle = (keys: string[], on: boolean) => {
    const next = new Set(set);
    for (const key of keys) {
      if (!grantable(key)) continue;
      if (on) next.add(key);
      else next.delete(key);
    }
    onChange(catalogue.map((p) => p.key).filter((k) => next.has(k)));
  };
  const columns = 2 + compareWith.length;

  return (
    <Table.ScrollContainer minWidth={460 + compareWith.length * 96} type="native">
      <Table verticalSpacing="sm" horizontalSpacing="md" aria-label={t('roles.matrixLabel')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('roles.colPermission')}</Table.Th>
            <Table.Th w={110} ta="center">
              {t('roles.thisRole')}
            </Table.Th>
            {compareWith.map((role) => (
              <Table.Th key={role.id} w={96} ta="center">
                <Text size="xs" fw={600} c="dimmed" lineClamp={2}>
                  {role.name}
                </Text>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map((group) => {
            const keys = group.items.map((p) => p.key);
            const held = keys.filter((k) => set.has(k)).length;
            return [
              <Table.Tr key={`area-${group.area}`} bg="var(--mantine-color-gray-0)">
                <Table.Td>
                  <Group gap="xs">
                    <Text
                      fw={700}
                      size="sm"
                      tt="uppercase"
                      c="dimmed"
                      style={{ letterSpacing: '0.04em' }}
                    >
                      {areaLabel(group.area)}
                    </Text>
                    <Badge size="xs" variant="light" color="gray">
                      {held}/{keys.length}
                    </Badge>
                  </Group>
                </Table.Td>
                <Table.Td ta="center">
                  {!readOnly && (
                    <Checkbox
                      aria-label={t('roles.selectArea', { area: areaLabel(group.area) })}
                      checked={held === keys.length}
                      indeterminate={held > 0 && held < keys.length}
                      onChange={(e) => toggle(keys, e.currentTarget.checked)}
                      styles={{ body: { justifyContent: 'center' } }}
                    />
                  )}
                </Table.Td>
                {columns > 2 && <Table.Td colSpan={compareWith.length} />}
              </Table.Tr>,
              ...group.items.map((permission) => {
                const allowed = grantable(permission.key);
                const box = (
                  <Checkbox
                    aria-label={permission.description}
                    checked={set.has(permission.key)}
                    disabled={readOnly || !allowed}
                    onChange={(e) => toggle([permission.key], e.currentTarget.checked)}
                    styles={{ body: { justifyContent: 'center' } }}
                  />
                );
                return (
                  <Table.Tr key={permission.key} data-testid="permission-row">
                    <Table.Td>
                      <Text size="sm">{permission.description}</Text>
                      <Code fz="xs" c="dimmed" bg="transparent" p={0}>
                        {permission.key}
                      </Code>
                    </Table.Td>
                    <Table.Td ta="center">
                      {!readOnly && !allowed ? (
                        <Tooltip label={t('roles.notGrantable')}>
                          <div>{box}</div>
                        </Tooltip>
                      ) : (
                        box
                      )}
                    </Table.Td>
                    {compareWith.map((role) => (
                      <Table.Td key={role.id} ta="center">
                        {role.permissions.includes(permission.key) ? (
                          <ThemeIcon
                            size={22}
                            radius="xl"
                            variant="light"
                            color="teal"
                            aria-label={t('roles.granted')}
                          >
                            <IconCheck size={14} />
                          </ThemeIcon>
                        ) : (
                          <Text c="gray.4" aria-label={t('roles.notGranted')}>
                            —
                          </Text>
                        )}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                );
              }),
            ];
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function RoleEditor({ role, template }: { role: Role | null; template: Role | null }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const catalogue = usePermissionCatalogue();
  const roles = useRoles();
  const [deleting, setDeleting] = useState(false);
  const manage = can(PERMISSIONS.rolesManage);
  const readOnly = !manage || (role?.builtin ?? false);
  const grantable = (key: string) => me.permissions.includes(key);

  const form = useForm<RoleValues>({
    initialValues: {
      name: role?.name ?? (template ? t('roles.copyOf', { name: template.name }) : ''),
      description: role?.description ?? template?.description ?? '',
      permissions: role?.permissions ?? (template?.permissions ?? []).filter(grantable),
    },
    validateInputOnBlur: true,
    validate: {
      name: rule(i18n, (v: string) => checkName(v, 80)),
      description: rule(i18n, (v: string) => checkOptionalText(v, 500)),
    },
  });

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['roles'] }),
      queryClient.invalidateQueries({ queryKey: ['audit'] }),
      queryClient.invalidateQueries({ queryKey: ['me'] }),
    ]);

  const { busy, general, submit } = useFormSubmit(form, async (values: RoleValues) => {
    const name = values.name.trim();
    const description = values.description.trim();
    if (role) {
      const body: Schemas['RoleUpdate'] = {};
      if (name !== role.name) body.name = name;
      if (description !== (role.description ?? ''))
        body.description = description === '' ? null : description;
      if ([...values.permissions].sort().join() !== [...role.permissions].sort().join())
        body.permissions = values.permissions;
      if (Object.keys(body).length > 0) {
        await call(api.PATCH('/roles/{id}', { params: { path: { id: role.id } }, body }));
      }
      await refresh();
      form.resetDirty();
      notifications.show({ color: 'teal', message: t('roles.saved', { name }) });
    } else {
      const created = await call(
        api.POST('/roles', {
          body: {
            name,
            permissions: values.permissions,
            ...(description ? { description } : {}),
          },
        }),
      );
      await refresh();
      notifications.show({ color: 'teal', message: t('roles.created', { name }) });
      void navigate(`/roles/${created.id}`, { replace: true });
    }
  });

  const remove = async () => {
    if (!role) return;
    await call(api.DELETE('/roles/{id}', { params: { path: { id: role.id } } }));
    await refresh();
    notifications.show({ color: 'teal', message: t('roles.deleted', { name: role.name }) });
    void navigate('/roles', { replace: true });
  };

  const title = role ? role.name : t('roles.newTitle');
  const compareWith = (roles.data?.items ?? []).filter((r) => r.builtin && r.id !== role?.id);

  return (
    <>
      <PageHeader
        title={title}
        back={{ to: '/roles', label: t('roles.title') }}
        badge={
          role?.builtin ? (
            <Badge variant="light" color="gray" tt="none">
              {t('roles.builtin')}
            </Badge>
          ) : role ? (
            <Badge variant="light" color="violet" tt="none">
              {t('roles.custom')}
            </Badge>
          ) : null
        }
        description={
          role ? t('roles.memberCount', { count: role.member_count }) : t('roles.newDescription')
        }
        actions={
          <>
            {role && manage && (
              <Button
                variant="default"
                leftSection={<IconCopy size={16} />}
                onClick={() => void navigate(`/roles/new?from=${role.id}`)}
              >
                {t('roles.duplicate')}
              </Button>
            )}
            {role && !role.builtin && manage && (
              <Button
                variant="light"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={() => setDeleting(true)}
              >
                {t('common.delete')}
              </Button>
            )}
          </>
        }
      />
      {role?.builtin && (
        <Alert variant="light" icon={<IconInfoCircle />} mb="lg" title={t('roles.builtinTitle')}>
          {t('roles.builtinText')}
        </Alert>
      )}
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="lg">
          <FormError message={general} />
          <Card>
            <Stack gap="md">
              <TextInput
                label={t('roles.name')}
                required
                readOnly={readOnly}
                maw={480}
                {...form.getInputProps('name')}
              />
              <Textarea
                label={t('roles.descriptionLabel')}
                readOnly={readOnly}
                autosize
                minRows={2}
                maxRows={5}
                {...form.getInputProps('description')}
              />
            </Stack>
          </Card>
          <Card p={0}>
            <Group justify="space-between" p="lg" pb="xs">
              <div>
                <Text fw={650}>{t('roles.permissionsTitle')}</Text>
                <Text size="sm" c="dimmed">
                  {readOnly ? t('roles.permissionsReadOnly') : t('roles.permissionsHelp')}
                </Text>
              </div>
            </Group>
            {catalogue.isError && (
              <QueryError error={catalogue.error} onRetry={() => void catalogue.refetch()} />
            )}
            {catalogue.isPending ? (
              <Stack p="lg" gap="sm">
                {[0, 1, 2, 3].map((i) => (
                  <Skeleton key={i} h={18} />
                ))}
              </Stack>
            ) : (
              <PermissionMatrix
                catalogue={catalogue.data?.items ?? []}
                value={form.getValues().permissions}
                onChange={(next) => form.setFieldValue('permissions', next)}
                readOnly={readOnly}
                grantable={grantable}
                compareWith={compareWith}
              />
            )}
          </Card>
          {!readOnly && (
            <Group justify="flex-end" gap="sm">
              <Button variant="default" component={Link} to="/roles">
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={busy} disabled={role !== null && !form.isDirty()}>
                {role ? t('common.save') : t('roles.create')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
      <ConfirmDialog
        opened={deleting}
        title={t('roles.deleteTitle')}
        message={t('roles.deleteText', { name: role?.name ?? '' })}
        confirmLabel={t('common.delete')}
        danger
        onConfirm={remove}
        onClose={() => setDeleting(false)}
        renderError={(error) =>
          isApiError(error, 'role_in_use') && role ? (
            <Anchor component={Link} to={`/users?role=${role.id}`} size="sm" fw={600}>
              {t('roles.seeMembers')}
            </Anchor>
          ) : null
        }
      />
    </>
  );
}

export default function RoleEditorPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [params] = useSearchParams();
  const templateId = id ? null : params.get('from');
  const role = useRole(id ?? null);
  const template = useRole(templateId);
  const query = id ? role : templateId ? template : null;

  if (query?.isError) {
    return (
      <>
        <PageHeader title={t('roles.title')} back={{ to: '/roles', label: t('roles.title') }} />
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }
  if (query?.isPending) {
    return (
      <Stack gap="lg">
        <Skeleton h={32} w={280} />
        <Skeleton h={140} />
        <Skeleton h={320} />
      </Stack>
    );
  }
  // A new key remounts the form when going from one role to another (or to a new one).
  return (
    <RoleEditor
      key={`${id ?? 'new'}-${templateId ?? ''}`}
      role={id ? (role.data ?? null) : null}
      template={templateId ? (template.data ?? null) : null}
    />
  );
}
