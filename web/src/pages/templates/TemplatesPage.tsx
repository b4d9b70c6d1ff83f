// Planners' templates: named checklists, and work-order starting points that new orders,
// request approvals and preventive plans copy from. Deactivating one keeps it but stops
// offering it; what was copied from it never changes.
import {
  Badge,
  Button,
  Card,
  Group,
  Menu,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEye, IconEyeOff, IconTemplate } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call } from '../../api/client';
import { useTemplates } from '../../api/queries';
import {
  EditableListPage,
  ItemCard,
  ItemLink,
  ItemMenu,
  type ListDialog,
} from '../../components/EditableListPage';
import { SearchInput } from '../../components/ListControls';
import { ListFooter } from '../../components/ListFooter';
import { errorMessage } from '../../i18n/messages';
import { formatMinutes } from '../../lib/maintenance';
import {
  TEMPLATE_KINDS,
  templateRequest,
  templateToValues,
  checklistDrafts,
  type Template,
  type TemplateKind,
} from '../../lib/templates';
import { oneOf, useListParams } from '../../lib/useUrlParams';
import { TemplateForm } from './TemplateForm';

type Dialog = ListDialog<Template>;

function StateBadge({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge variant="dot" color={active ? 'teal' : 'gray'} className="badge-nowrap">
      {active ? t('templates.active') : t('templates.inactive')}
    </Badge>
  );
}

export default function TemplatesPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { params, update, page, q, search, onSearch, resetFilters } = useListParams();
  const kind: TemplateKind = oneOf(params.get('kind'), TEMPLATE_KINDS) ?? 'checklist';
  const showInactive = params.get('inactive') === '1';
  const order = kind === 'work_order';
  const list = useTemplates({ kind, q, includeInactive: showInactive, page });
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const [dialog, setDialog] = useState<Dialog>(null);

  const toggle = async (template: Template) => {
    try {
      await call(
        api.PUT('/templates/{id}', {
          params: { path: { id: template.id } },
          body: templateRequest(
            template.kind,
            { ...templateToValues(template), active: !template.active },
            checklistDrafts(template.checklist),
          ),
        }),
      );
      await queryClient.invalidateQueries({ queryKey: ['templates'] });
      notifications.show({
        color: 'teal',
        message: t(template.active ? 'templates.deactivated' : 'templates.reactivated', {
          name: template.name,
        }),
      });
    } catch (error) {
      notifications.show({ color: 'red', message: errorMessage(i18n, error) });
    }
  };
  const remove = async (template: Template) => {
    await call(api.DELETE('/templates/{id}', { params: { path: { id: template.id } } }));
    await queryClient.invalidateQueries({ queryKey: ['templates'] });
    notifications.show({ color: 'teal', message: t('templates.deleted', { name: template.name }) });
  };
  const menu = (template: Template) => (
    <ItemMenu
      label={t('templates.actionsFor', { name: template.name })}
      onEdit={() => setDialog({ kind: 'form', item: template })}
      onDelete={() => setDialog({ kind: 'delete', item: template })}
    >
      <Menu.Item
        leftSection={template.active ? <IconEyeOff size={16} /> : <IconEye size={16} />}
        onClick={() => void toggle(template)}
      >
        {template.active ? t('templates.deactivate') : t('templates.reactivate')}
      </Menu.Item>
    </ItemMenu>
  );
  const addLabel = t(`templates.add.${kind}`);

  return (
    <EditableListPage
      title={t('templates.title')}
      description={t('templates.description')}
      addLabel={addLabel}
      onAdd={() => setDialog({ kind: 'form', item: null })}
      filters={
        <>
          <Tabs
            value={kind}
            onChange={(value) => update({ kind: value === 'checklist' ? null : value })}
            mb="md"
          >
            <Tabs.List>
              {TEMPLATE_KINDS.map((k) => (
                <Tabs.Tab key={k} value={k} data-testid={`templates-tab-${k}`}>
                  {t(`templates.tabs.${k}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
          </Tabs>
          <Card mb="lg" p="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" style={{ alignItems: 'end' }}>
              <SearchInput
                label={t('templates.search')}
                placeholder={t(`templates.searchPlaceholder.${kind}`)}
                value={search}
                onChange={onSearch}
              />
              <Switch
                label={t('templates.showInactive')}
                checked={showInactive}
                onChange={(e) => update({ inactive: e.currentTarget.checked ? '1' : null })}
                mb={8}
              />
            </SimpleGrid>
          </Card>
        </>
      }
      list={{
        query: list,
        items,
        filtered: Boolean(q),
        empty: {
          icon: <IconTemplate size={28} />,
          title: t(`templates.empty.${kind}`),
          description: t(`templates.emptyText.${kind}`),
        },
        noMatch: { title: t('templates.noMatch'), description: t('templates.noMatchText') },
        tableMinWidth: order ? 720 : 520,
        head: (
          <>
            <Table.Th>{t('templates.name')}</Table.Th>
            {order && <Table.Th>{t('templates.orderTitle')}</Table.Th>}
            <Table.Th w={120}>{t('templates.items')}</Table.Th>
            {order && <Table.Th w={150}>{t('templates.estimate')}</Table.Th>}
            <Table.Th w={130}>{t('templates.state')}</Table.Th>
            <Table.Th w={56} aria-label={t('common.actions')} />
          </>
        ),
        renderRow: (template) => (
          <Table.Tr opacity={template.active ? 1 : 0.6} data-testid="template-row">
            <Table.Td>
              <ItemLink
                size="sm"
                fw={500}
                onClick={() => setDialog({ kind: 'form', item: template })}
              >
                {template.name}
              </ItemLink>
              {template.description && (
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {template.description}
                </Text>
              )}
            </Table.Td>
            {order && (
              <Table.Td>
                <Text size="sm">{template.title}</Text>
              </Table.Td>
            )}
            <Table.Td>
              <Text size="sm">
                {t('templates.itemCount', { count: template.checklist.length })}
              </Text>
            </Table.Td>
            {order && (
              <Table.Td>
                <Text size="sm">
                  {template.estimated_minutes != null
                    ? formatMinutes(template.estimated_minutes)
                    : '—'}
                </Text>
              </Table.Td>
            )}
            <Table.Td>
              <StateBadge active={template.active} />
            </Table.Td>
            <Table.Td>{menu(template)}</Table.Td>
          </Table.Tr>
        ),
        renderCard: (template) => (
          <ItemCard
            testId="template-card"
            opacity={template.active ? 1 : 0.6}
            aside={
              <Group gap="xs" wrap="nowrap">
                <StateBadge active={template.active} />
                {menu(template)}
              </Group>
            }
          >
            <Stack gap={2}>
              <Text fw={600}>{template.name}</Text>
              {order && template.title && <Text size="sm">{template.title}</Text>}
              <Text size="xs" c="dimmed">
                {t('templates.itemCount', { count: template.checklist.length })}
                {order && template.estimated_minutes != null
                  ? ` · ${formatMinutes(template.estimated_minutes)}`
                  : ''}
              </Text>
            </Stack>
          </ItemCard>
        ),
      }}
      footer={
        <>
          <ListFooter
            total={total}
            page={page}
            countLabel={t('templates.count', { count: total })}
            onPage={(p) => update({ page: String(p) })}
          />
          {q && total === 0 && !list.isPending && (
            <Group justify="center" mt="sm">
              <Button variant="subtle" size="xs" onClick={resetFilters}>
                {t('common.resetFilters')}
              </Button>
            </Group>
          )}
        </>
      }
      dialog={dialog}
      closeDialog={() => setDialog(null)}
      editTitle={(template) => t('templates.editTitle', { name: template.name })}
      editor={(form) => (
        <TemplateForm
          kind={form.item?.kind ?? kind}
          template={form.item}
          onClose={() => setDialog(null)}
        />
      )}
      deleteTitle={t('templates.deleteTitle')}
      deleteText={(template) => t('templates.deleteText', { name: template?.name ?? '' })}
      remove={remove}
    />
  );
}
