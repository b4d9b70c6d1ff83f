// Specification templates, one per equipment category: the labelled fields, with units, that
// equipment pages show and the equipment form asks. Deleting one keeps the equipment's
// specifications, shown under their keys again.
import {
  ActionIcon,
  Anchor,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDots, IconListDetails, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { api, call } from '../../api/client';
import { useEquipmentCategories } from '../../api/queries';
import { useCategoryCount, useSpecTemplates } from '../../api/specTemplates';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ListBody } from '../../components/ListBody';
import { PageHeader } from '../../components/PageHeader';
import { templateFor, type SpecTemplate } from '../../lib/specTemplates';
import { useUrlParams } from '../../lib/useUrlParams';
import { SpecTemplateForm } from './SpecTemplateForm';

type Dialog =
  | { kind: 'form'; template: SpecTemplate | null; category?: string }
  | { kind: 'delete'; template: SpecTemplate }
  | null;

/** "Puissance (kW), Tension d'alimentation" */
function FieldSummary({ template }: { template: SpecTemplate }) {
  const { t } = useTranslation();
  if (template.fields.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('specTemplates.noFields')}
      </Text>
    );
  }
  return (
    <Text size="sm" lineClamp={2}>
      {template.fields.map((f) => (f.unit ? `${f.label} (${f.unit})` : f.label)).join(', ')}
    </Text>
  );
}

function EquipmentCount({ category }: { category: string }) {
  const { t } = useTranslation();
  const count = useCategoryCount(category);
  if (count.data === undefined) return <Text size="sm">…</Text>;
  return (
    <Anchor
      component={Link}
      to={`/equipment?category=${encodeURIComponent(category)}`}
      size="sm"
      className="badge-nowrap"
    >
      {t('equipment.count', { count: count.data })}
    </Anchor>
  );
}

function RowMenu({
  template,
  onEdit,
  onDelete,
}: {
  template: SpecTemplate;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label={t('specTemplates.actionsFor', { category: template.category })}
        >
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconPencil size={16} />} onClick={onEdit}>
          {t('common.edit')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
          {t('common.delete')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export default function SpecTemplatesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const compact = useMediaQuery('(max-width: 48em)');
  const list = useSpecTemplates();
  const categories = useEquipmentCategories();
  const items = list.data?.items ?? [];
  const { params, update } = useUrlParams();
  const [chosen, setChosen] = useState<Dialog>(null);
  // `?category=Pompe` (the equipment page's link) opens that category's template, or a new one.
  const wanted = params.get('category');
  const wantedTemplate = wanted ? templateFor(items, wanted) : null;
  const dialog: Dialog =
    chosen ??
    (wanted && list.data
      ? { kind: 'form', template: wantedTemplate, category: wantedTemplate ? undefined : wanted }
      : null);
  const setDialog = (next: Dialog) => {
    setChosen(next);
    if (next === null && wanted) update({ category: null });
  };
  // Categories in use without a template: suggested, and offered below the list.
  const missing = (categories.data?.items ?? []).filter((c) => !templateFor(items, c));

  const remove = async (template: SpecTemplate) => {
    await call(api.DELETE('/spec-templates/{id}', { params: { path: { id: template.id } } }));
    await queryClient.invalidateQueries({ queryKey: ['spec-templates'] });
    notifications.show({
      color: 'teal',
      message: t('specTemplates.deleted', { category: template.category }),
    });
  };
  const edit = (template: SpecTemplate) => setDialog({ kind: 'form', template });
  const menu = (template: SpecTemplate) => (
    <RowMenu
      template={template}
      onEdit={() => edit(template)}
      onDelete={() => setDialog({ kind: 'delete', template })}
    />
  );
  const add = (
    <Button
      leftSection={<IconPlus size={18} />}
      onClick={() => setDialog({ kind: 'form', template: null })}
    >
      {t('specTemplates.add')}
    </Button>
  );

  return (
    <>
      <PageHeader
        title={t('specTemplates.title')}
        description={t('specTemplates.description')}
        actions={add}
      />
      <ListBody
        query={list}
        items={items}
        filtered={false}
        empty={{
          icon: <IconListDetails size={28} />,
          title: t('specTemplates.empty'),
          description: t('specTemplates.emptyText'),
          action: add,
        }}
        noMatch={{ title: t('specTemplates.empty') }}
        compact={compact ?? false}
        tableMinWidth={640}
        head={
          <>
            <Table.Th w="24%">{t('specTemplates.category')}</Table.Th>
            <Table.Th>{t('specTemplates.fields')}</Table.Th>
            <Table.Th w={150}>{t('specTemplates.equipment')}</Table.Th>
            <Table.Th w={56} aria-label={t('common.actions')} />
          </>
        }
        renderRow={(template) => (
          <Table.Tr data-testid="spec-template-row">
            <Table.Td>
              <Anchor
                component="button"
                type="button"
                ta="left"
                size="sm"
                fw={600}
                onClick={() => edit(template)}
              >
                {template.category}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <FieldSummary template={template} />
            </Table.Td>
            <Table.Td>
              <EquipmentCount category={template.category} />
            </Table.Td>
            <Table.Td>{menu(template)}</Table.Td>
          </Table.Tr>
        )}
        renderCard={(template) => (
          <Card p="md" data-testid="spec-template-card">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={4} style={{ minWidth: 0 }}>
                <Anchor
                  component="button"
                  type="button"
                  ta="left"
                  fw={600}
                  onClick={() => edit(template)}
                >
                  {template.category}
                </Anchor>
                <FieldSummary template={template} />
                <EquipmentCount category={template.category} />
              </Stack>
              {menu(template)}
            </Group>
          </Card>
        )}
      />
      {missing.length > 0 && (
        <Card mt="lg" p="md" data-testid="categories-without-template">
          <Text size="sm" fw={600} mb={4}>
            {t('specTemplates.missing', { count: missing.length })}
          </Text>
          <Text size="sm" c="dimmed" mb="sm">
            {t('specTemplates.missingHelp')}
          </Text>
          <Group gap="xs">
            {missing.map((category) => (
              <Button
                key={category}
                size="xs"
                variant="light"
                leftSection={<IconPlus size={14} />}
                onClick={() => setDialog({ kind: 'form', template: null, category })}
                aria-label={t('specTemplates.addFor', { category })}
              >
                {category}
              </Button>
            ))}
          </Group>
        </Card>
      )}
      <Modal
        opened={dialog?.kind === 'form'}
        onClose={() => setDialog(null)}
        size="xl"
        title={
          dialog?.kind === 'form' && dialog.template
            ? t('specTemplates.editTitle', { category: dialog.template.category })
            : t('specTemplates.add')
        }
      >
        {dialog?.kind === 'form' && (
          <SpecTemplateForm
            template={dialog.template}
            category={dialog.category}
            categories={missing}
            onClose={() => setDialog(null)}
          />
        )}
      </Modal>
      <ConfirmDialog
        opened={dialog?.kind === 'delete'}
        title={t('specTemplates.deleteTitle')}
        message={t('specTemplates.deleteText', {
          category: dialog?.kind === 'delete' ? dialog.template.category : '',
        })}
        confirmLabel={t('common.delete')}
        danger
        onConfirm={() => (dialog?.kind === 'delete' ? remove(dialog.template) : Promise.resolve())}
        onClose={() => setDialog(null)}
      />
    </>
  );
}
