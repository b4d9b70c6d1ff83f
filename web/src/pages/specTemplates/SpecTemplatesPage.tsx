// Specification templates, one per equipment category: the labelled fields, with units, that
// equipment pages show and the equipment form asks. Deleting one keeps the equipment's
// specifications, shown under their keys again.
import { Anchor, Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconListDetails, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { api, call } from '../../api/client';
import { useEquipmentCategories } from '../../api/queries';
import { useCategoryCount, useSpecTemplates } from '../../api/specTemplates';
import {
  EditableListPage,
  ItemCard,
  ItemLink,
  ItemMenu,
  type ListDialog,
} from '../../components/EditableListPage';
import { templateFor, type SpecTemplate } from '../../lib/specTemplates';
import { useUrlParams } from '../../lib/useUrlParams';
import { SpecTemplateForm } from './SpecTemplateForm';

type Dialog = ListDialog<SpecTemplate, { category?: string }>;

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

export default function SpecTemplatesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
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
      ? { kind: 'form', item: wantedTemplate, category: wantedTemplate ? undefined : wanted }
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
  const edit = (template: SpecTemplate) => setDialog({ kind: 'form', item: template });
  const menu = (template: SpecTemplate) => (
    <ItemMenu
      label={t('specTemplates.actionsFor', { category: template.category })}
      onEdit={() => edit(template)}
      onDelete={() => setDialog({ kind: 'delete', item: template })}
    />
  );

  return (
    <EditableListPage
      title={t('specTemplates.title')}
      description={t('specTemplates.description')}
      addLabel={t('specTemplates.add')}
      onAdd={() => setDialog({ kind: 'form', item: null })}
      list={{
        query: list,
        items,
        filtered: false,
        empty: {
          icon: <IconListDetails size={28} />,
          title: t('specTemplates.empty'),
          description: t('specTemplates.emptyText'),
        },
        noMatch: { title: t('specTemplates.empty') },
        tableMinWidth: 640,
        head: (
          <>
            <Table.Th w="24%">{t('specTemplates.category')}</Table.Th>
            <Table.Th>{t('specTemplates.fields')}</Table.Th>
            <Table.Th w={150}>{t('specTemplates.equipment')}</Table.Th>
            <Table.Th w={56} aria-label={t('common.actions')} />
          </>
        ),
        renderRow: (template) => (
          <Table.Tr data-testid="spec-template-row">
            <Table.Td>
              <ItemLink size="sm" fw={600} onClick={() => edit(template)}>
                {template.category}
              </ItemLink>
            </Table.Td>
            <Table.Td>
              <FieldSummary template={template} />
            </Table.Td>
            <Table.Td>
              <EquipmentCount category={template.category} />
            </Table.Td>
            <Table.Td>{menu(template)}</Table.Td>
          </Table.Tr>
        ),
        renderCard: (template) => (
          <ItemCard testId="spec-template-card" aside={menu(template)}>
            <Stack gap={4} style={{ minWidth: 0 }}>
              <ItemLink fw={600} onClick={() => edit(template)}>
                {template.category}
              </ItemLink>
              <FieldSummary template={template} />
              <EquipmentCount category={template.category} />
            </Stack>
          </ItemCard>
        ),
      }}
      footer={
        missing.length > 0 && (
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
                  onClick={() => setDialog({ kind: 'form', item: null, category })}
                  aria-label={t('specTemplates.addFor', { category })}
                >
                  {category}
                </Button>
              ))}
            </Group>
          </Card>
        )
      }
      dialog={dialog}
      closeDialog={() => setDialog(null)}
      editTitle={(template) => t('specTemplates.editTitle', { category: template.category })}
      editor={(form) => (
        <SpecTemplateForm
          template={form.item}
          category={form.category}
          categories={missing}
          onClose={() => setDialog(null)}
        />
      )}
      deleteTitle={t('specTemplates.deleteTitle')}
      deleteText={(template) =>
        t('specTemplates.deleteText', { category: template?.category ?? '' })
      }
      remove={remove}
    />
  );
}
