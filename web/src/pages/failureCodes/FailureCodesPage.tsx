// The catalogue of failure codes used in completion reports: problems, causes, remedies.
// A code used by work orders cannot be deleted (409 `in_use`); deactivating it keeps the past
// orders as they are and stops offering it.
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  Skeleton,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  IconDots,
  IconEye,
  IconEyeOff,
  IconPencil,
  IconPlus,
  IconTags,
  IconTrash,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call, type FailureCode, type FailureCodeKind } from '../../api/client';
import { isApiError } from '../../api/errors';
import { errorMessage } from '../../i18n/messages';
import { useFailureCodes } from '../../api/queries';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty } from '../../components/Empty';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { rule, useFormSubmit } from '../../lib/forms';
import { oneOf, useUrlParams } from '../../lib/useUrlParams';
import { checkCode, checkName, checkOptionalText } from '../../lib/validation';

const KINDS: readonly FailureCodeKind[] = ['problem', 'cause', 'remedy'];

type Dialog =
  { kind: 'form'; code: FailureCode | null } | { kind: 'delete'; code: FailureCode } | null;

function CodeForm({
  kind,
  code,
  onClose,
}: {
  kind: FailureCodeKind;
  code: FailureCode | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: {
      code: code?.code ?? '',
      label: code?.label ?? '',
      description: code?.description ?? '',
    },
    validateInputOnBlur: true,
    validate: {
      code: rule(i18n, checkCode),
      label: rule(i18n, (v: string) => checkName(v, 200)),
      description: rule(i18n, (v: string) => checkOptionalText(v, 1000)),
    },
  });
  const { busy, general, submit } = useFormSubmit(
    form,
    async (v: { code: string; label: string; description: string }) => {
      const description = v.description.trim();
      const saved = code
        ? await call(
            api.PATCH('/failure-codes/{id}', {
              params: { path: { id: code.id } },
              body: {
                ...(v.code.trim().toUpperCase() !== code.code ? { code: v.code.trim() } : {}),
                ...(v.label.trim() !== code.label ? { label: v.label.trim() } : {}),
                ...(description !== (code.description ?? '')
                  ? { description: description === '' ? null : description }
                  : {}),
              },
            }),
          )
        : await call(
            api.POST('/failure-codes', {
              body: {
                kind,
                code: v.code.trim(),
                label: v.label.trim(),
                ...(description ? { description } : {}),
              },
            }),
          );
      await queryClient.invalidateQueries({ queryKey: ['failure-codes'] });
      notifications.show({
        color: 'teal',
        message: t(code ? 'failureCodes.saved' : 'failureCodes.created', { code: saved.code }),
      });
      onClose();
    },
  );
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="md">
        <FormError message={general} />
        <TextInput
          label={t('failureCodes.code')}
          description={t('failureCodes.codeHelp')}
          required
          spellCheck={false}
          autoCapitalize="characters"
          data-autofocus
          {...form.getInputProps('code')}
        />
        <TextInput label={t('failureCodes.label')} required {...form.getInputProps('label')} />
        <Textarea
          label={t('failureCodes.descriptionLabel')}
          autosize
          minRows={2}
          {...form.getInputProps('description')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {code ? t('common.save') : t('failureCodes.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CodeTable({
  kind,
  showInactive,
  onEdit,
  onDelete,
}: {
  kind: FailureCodeKind;
  showInactive: boolean;
  onEdit: (code: FailureCode) => void;
  onDelete: (code: FailureCode) => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const list = useFailureCodes(kind, showInactive);
  const items = list.data?.items ?? [];
  const toggle = async (code: FailureCode) => {
    try {
      await call(
        api.PATCH('/failure-codes/{id}', {
          params: { path: { id: code.id } },
          body: { active: !code.active },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: ['failure-codes'] });
      notifications.show({
        color: 'teal',
        message: t(code.active ? 'failureCodes.deactivated' : 'failureCodes.reactivated', {
          code: code.code,
        }),
      });
    } catch (error) {
      notifications.show({ color: 'red', message: errorMessage(i18n, error) });
    }
  };
  if (list.isError) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  if (list.isPending) {
    return (
      <Stack gap="sm" p="md">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} h={20} />
        ))}
      </Stack>
    );
  }
  if (items.length === 0) {
    return (
      <Empty
        py={40}
        icon={<IconTags size={28} />}
        title={t(`failureCodes.empty.${kind}`)}
        description={t('failureCodes.emptyText')}
      />
    );
  }
  return (
    <Table.ScrollContainer minWidth={560} type="native">
      <Table verticalSpacing="sm" horizontalSpacing="md" data-testid={`failure-codes-${kind}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={150}>{t('failureCodes.code')}</Table.Th>
            <Table.Th>{t('failureCodes.label')}</Table.Th>
            <Table.Th w={140}>{t('failureCodes.state')}</Table.Th>
            <Table.Th w={56} aria-label={t('common.actions')} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((code) => (
            <Table.Tr key={code.id} opacity={code.active ? 1 : 0.6} data-testid="failure-code-row">
              <Table.Td>
                <Badge variant="default" ff="monospace" radius="sm">
                  {code.code}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {code.label}
                </Text>
                {code.description && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {code.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Badge variant="dot" color={code.active ? 'teal' : 'gray'} className="badge-nowrap">
                  {code.active ? t('failureCodes.active') : t('failureCodes.inactive')}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      aria-label={t('failureCodes.actionsFor', { code: code.code })}
                    >
                      <IconDots size={18} />
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => onEdit(code)}>
                      {t('common.edit')}
                    </Menu.Item>
                    <Menu.Item
                      leftSection={code.active ? <IconEyeOff size={16} /> : <IconEye size={16} />}
                      onClick={() => void toggle(code)}
                    >
                      {code.active ? t('failureCodes.deactivate') : t('failureCodes.reactivate')}
                    </Menu.Item>
                    <Menu.Divider />
                    <Menu.Item
                      color="red"
                      leftSection={<IconTrash size={16} />}
                      onClick={() => onDelete(code)}
                    >
                      {t('common.delete')}
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export default function FailureCodesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { params, update } = useUrlParams();
  const kind = oneOf(params.get('kind'), KINDS) ?? 'problem';
  const showInactive = params.get('inactive') !== '0';
  const [dialog, setDialog] = useState<Dialog>(null);

  const remove = async (code: FailureCode) => {
    await call(api.DELETE('/failure-codes/{id}', { params: { path: { id: code.id } } }));
    await queryClient.invalidateQueries({ queryKey: ['failure-codes'] });
    notifications.show({ color: 'teal', message: t('failureCodes.deleted', { code: code.code }) });
  };
  const deactivateInstead = async (code: FailureCode) => {
    await call(
      api.PATCH('/failure-codes/{id}', {
        params: { path: { id: code.id } },
        body: { active: false },
      }),
    );
    await queryClient.invalidateQueries({ queryKey: ['failure-codes'] });
    notifications.show({
      color: 'teal',
      message: t('failureCodes.deactivated', { code: code.code }),
    });
    setDialog(null);
  };

  return (
    <>
      <PageHeader
        title={t('failureCodes.title')}
        description={t('failureCodes.description')}
        actions={
          <Button
            leftSection={<IconPlus size={18} />}
            onClick={() => setDialog({ kind: 'form', code: null })}
          >
            {t(`failureCodes.addKind.${kind}`)}
          </Button>
        }
      />
      <Tabs value={kind} onChange={(value) => update({ kind: value === 'problem' ? null : value })}>
        <Group justify="space-between" mb="md" gap="sm" wrap="wrap">
          <Tabs.List>
            {KINDS.map((k) => (
              <Tabs.Tab key={k} value={k}>
                {t(`failureKind.${k}s`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Switch
            label={t('failureCodes.showInactive')}
            checked={showInactive}
            onChange={(e) => update({ inactive: e.currentTarget.checked ? null : '0' })}
          />
        </Group>
        {KINDS.map((k) => (
          <Tabs.Panel key={k} value={k}>
            <Text size="sm" c="dimmed" mb="sm">
              {t(`failureCodes.help.${k}`)}
            </Text>
            <Card p={0}>
              <CodeTable
                kind={k}
                showInactive={showInactive}
                onEdit={(code) => setDialog({ kind: 'form', code })}
                onDelete={(code) => setDialog({ kind: 'delete', code })}
              />
            </Card>
          </Tabs.Panel>
        ))}
      </Tabs>
      <Modal
        opened={dialog?.kind === 'form'}
        onClose={() => setDialog(null)}
        title={
          dialog?.kind === 'form' && dialog.code
            ? t('failureCodes.editTitle', { code: dialog.code.code })
            : t(`failureCodes.addKind.${kind}`)
        }
      >
        {dialog?.kind === 'form' && (
          <CodeForm kind={kind} code={dialog.code} onClose={() => setDialog(null)} />
        )}
      </Modal>
      <ConfirmDialog
        opened={dialog?.kind === 'delete'}
        title={t('failureCodes.deleteTitle')}
        message={t('failureCodes.deleteText', {
          code: dialog?.kind === 'delete' ? dialog.code.code : '',
        })}
        confirmLabel={t('common.delete')}
        danger
        onConfirm={() => (dialog?.kind === 'delete' ? remove(dialog.code) : Promise.resolve())}
        onClose={() => setDialog(null)}
        renderError={(error) =>
          isApiError(error, 'in_use') && dialog?.kind === 'delete' && dialog.code.active ? (
            <Group>
              <Button
                size="xs"
                variant="white"
                color="red"
                onClick={() => void deactivateInstead(dialog.code)}
              >
                {t('failureCodes.deactivateInstead')}
              </Button>
            </Group>
          ) : null
        }
      />
    </>
  );
}
