import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Card,
  Group,
  Menu,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconBuildingFactory,
  IconBuildingFactory2,
  IconChevronRight,
  IconDots,
  IconPencil,
  IconPlus,
  IconRoute,
  IconTrash,
  IconWorld,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { api, call, type Plant, type ProductionLine, type Site } from '../../api/client';
import { useLines, usePlants, useSites } from '../../api/queries';
import { useAuth, useMe } from '../../auth/context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty } from '../../components/Empty';
import { SearchInput } from '../../components/ListControls';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { PERMISSIONS } from '../../lib/permissions';
import { LineFormModal, PlantFormModal, SiteFormModal } from './forms';

type Dialog =
  | { kind: 'site'; site: Site | null }
  | { kind: 'plant'; siteId: string; plant: Plant | null }
  | { kind: 'line'; siteId: string; plantId: string; line: ProductionLine | null };

type Deletion =
  | { kind: 'site'; entity: Site }
  | { kind: 'plant'; entity: Plant }
  | { kind: 'line'; entity: ProductionLine };

interface TreeActions {
  manage: boolean;
  openDialog: (dialog: Dialog) => void;
  askDelete: (deletion: Deletion) => void;
  isExpanded: (id: string, openByDefault: boolean) => boolean;
  toggle: (id: string, openByDefault: boolean) => void;
  /** Few sites: all open at first; many: people open what they need. */
  openSitesByDefault: boolean;
}

interface RowAction {
  key: string;
  label: string;
  icon: ReactNode;
  color?: string;
  onClick: () => void;
}

/** The row's actions: icon buttons on wide screens, a menu on phones. */
function RowActions({ actions, menuLabel }: { actions: RowAction[]; menuLabel: string }) {
  const compact = useMediaQuery('(max-width: 36em)');
  if (actions.length === 0) return null;
  if (compact) {
    return (
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={menuLabel}>
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {actions.map((action) => (
            <Menu.Item
              key={action.key}
              leftSection={action.icon}
              color={action.color}
              onClick={action.onClick}
            >
              {action.label}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
    );
  }
  return (
    <Group gap={2} wrap="nowrap">
      {actions.map((action) => (
        <Tooltip key={action.key} label={action.label}>
          <ActionIcon
            variant="subtle"
            color={action.color ?? 'gray'}
            aria-label={action.label}
            onClick={action.onClick}
          >
            {action.icon}
          </ActionIcon>
        </Tooltip>
      ))}
    </Group>
  );
}

function TreeRow({
  level,
  icon,
  color,
  title,
  code,
  badge,
  meta,
  expandable,
  expanded,
  onToggle,
  toggleLabel,
  childrenId,
  actions,
}: {
  level: 1 | 2 | 3;
  icon: ReactNode;
  color: string;
  title: string;
  code: string;
  /** A mark after the code (the site's public portal). */
  badge?: ReactNode;
  meta?: ReactNode;
  expandable: boolean;
  expanded?: boolean;
  onToggle?: () => void;
  toggleLabel?: string;
  childrenId?: string;
  actions: ReactNode;
}) {
  return (
    <Group className="tree-row" px="xs" py={8} gap="sm" wrap="nowrap" data-level={level}>
      {expandable ? (
        <ActionIcon
          variant="subtle"
          color="gray"
          onClick={onToggle}
          aria-expanded={expanded}
          aria-controls={childrenId}
          aria-label={toggleLabel}
        >
          <IconChevronRight
            size={18}
            style={{
              transform: expanded ? 'rotate(90deg)' : undefined,
              transition: 'transform 150ms ease',
            }}
          />
        </ActionIcon>
      ) : (
        <Box w={28} />
      )}
      <ThemeIcon variant="light" color={color} size={level === 1 ? 38 : 32} radius="md" aria-hidden>
        {icon}
      </ThemeIcon>
      <Box style={{ flex: 1, minWidth: 0 }}>
        <Group gap={8} wrap="wrap" style={{ rowGap: 2 }}>
          <Text fw={level === 1 ? 650 : 550} style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Text>
          <Badge variant="default" size="sm" radius="sm" ff="monospace" style={{ flexShrink: 0 }}>
            {code}
          </Badge>
          {badge}
        </Group>
        {meta && (
          <Text size="xs" c="dimmed" truncate>
            {meta}
          </Text>
        )}
      </Box>
      {actions}
    </Group>
  );
}

function ChildrenPlaceholder({
  loading,
  children,
  action,
}: {
  loading: boolean;
  children?: ReactNode;
  action?: { label: string; onClick: () => void } | undefined;
}) {
  if (loading) {
    return (
      <Stack gap={6} py={6} px="xs">
        <Skeleton h={28} w="60%" />
        <Skeleton h={28} w="45%" />
      </Stack>
    );
  }
  return (
    <Group gap="xs" px="xs" py={6}>
      <Text size="sm" c="dimmed" fs="italic">
        {children}
      </Text>
      {action && (
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={<IconPlus size={14} />}
          onClick={action.onClick}
        >
          {action.label}
        </Button>
      )}
    </Group>
  );
}

function LineNode({
  line,
  siteId,
  actions,
}: {
  line: ProductionLine;
  siteId: string;
  actions: TreeActions;
}) {
  const { t } = useTranslation();
  const rowActions: RowAction[] = actions.manage
    ? [
        {
          key: 'edit',
          label: t('sites.editNamed', { name: line.name }),
          icon: <IconPencil size={17} />,
          onClick: () => actions.openDialog({ kind: 'line', siteId, plantId: line.plant_id, line }),
        },
        {
          key: 'delete',
          label: t('sites.deleteNamed', { name: line.name }),
          icon: <IconTrash size={17} />,
          color: 'red',
          onClick: () => actions.askDelete({ kind: 'line', entity: line }),
        },
      ]
    : [];
  return (
    <li>
      <TreeRow
        level={3}
        icon={<IconRoute size={18} />}
        color="teal"
        title={line.name}
        code={line.code}
        expandable={false}
        actions={
          <RowActions actions={rowActions} menuLabel={t('sites.actionsFor', { name: line.name })} />
        }
      />
    </li>
  );
}

function PlantNode({
  plant,
  actions,
  openByDefault,
}: {
  plant: Plant;
  actions: TreeActions;
  openByDefault: boolean;
}) {
  const { t } = useTranslation();
  const expanded = actions.isExpanded(plant.id, openByDefault);
  const lines = useLines(plant.id, expanded);
  const childrenId = `plant-${plant.id}-lines`;
  const rowActions: RowAction[] = actions.manage
    ? [
        {
          key: 'add',
          label: t('sites.addLineTo', { name: plant.name }),
          icon: <IconPlus size={17} />,
          onClick: () =>
            actions.openDialog({
              kind: 'line',
              siteId: plant.site_id,
              plantId: plant.id,
              line: null,
            }),
        },
        {
          key: 'edit',
          label: t('sites.editNamed', { name: plant.name }),
          icon: <IconPencil size={17} />,
          onClick: () => actions.openDialog({ kind: 'plant', siteId: plant.site_id, plant }),
        },
        {
          key: 'delete',
          label: t('sites.deleteNamed', { name: plant.name }),
          icon: <IconTrash size={17} />,
          color: 'red',
          onClick: () => actions.askDelete({ kind: 'plant', entity: plant }),
        },
      ]
    : [];
  return (
    <li>
      <TreeRow
        level={2}
        icon={<IconBuildingFactory size={18} />}
        color="violet"
        title={plant.name}
        code={plant.code}
        meta={t('sites.lineCount', { count: plant.production_line_count })}
        expandable
        expanded={expanded}
        onToggle={() => actions.toggle(plant.id, openByDefault)}
        toggleLabel={t(expanded ? 'sites.collapse' : 'sites.expand', { name: plant.name })}
        childrenId={childrenId}
        actions={
          <RowActions
            actions={rowActions}
            menuLabel={t('sites.actionsFor', { name: plant.name })}
          />
        }
      />
      {expanded && (
        <ul
          className="tree-children"
          id={childrenId}
          aria-label={t('sites.linesOf', { name: plant.name })}
        >
          {lines.isError && <QueryError error={lines.error} onRetry={() => void lines.refetch()} />}
          {lines.data?.items.length ? (
            lines.data.items.map((line) => (
              <LineNode key={line.id} line={line} siteId={plant.site_id} actions={actions} />
            ))
          ) : (
            <ChildrenPlaceholder
              loading={lines.isPending}
              action={
                actions.manage
                  ? {
                      label: t('sites.addLine'),
                      onClick: () =>
                        actions.openDialog({
                          kind: 'line',
                          siteId: plant.site_id,
                          plantId: plant.id,
                          line: null,
                        }),
                    }
                  : undefined
              }
            >
              {t('sites.noLines')}
            </ChildrenPlaceholder>
          )}
        </ul>
      )}
    </li>
  );
}

/** The site's QR codes lead to the public request portal. */
function PortalBadge() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('portal.siteBadgeHelp')} multiline maw={260}>
      <Badge
        variant="light"
        color="teal"
        size="sm"
        radius="sm"
        leftSection={<IconWorld size={12} aria-hidden />}
        style={{ flexShrink: 0 }}
        data-testid="site-portal-badge"
      >
        {t('portal.siteBadge')}
      </Badge>
    </Tooltip>
  );
}

function SiteNode({ site, actions }: { site: Site; actions: TreeActions }) {
  const { t } = useTranslation();
  const expanded = actions.isExpanded(site.id, actions.openSitesByDefault);
  const plants = usePlants(site.id, expanded);
  const childrenId = `site-${site.id}-plants`;
  const meta = [site.time_zone, site.address, t('sites.plantCount', { count: site.plant_count })]
    .filter(Boolean)
    .join(' · ');
  const rowActions: RowAction[] = actions.manage
    ? [
        {
          key: 'add',
          label: t('sites.addPlantTo', { name: site.name }),
          icon: <IconPlus size={17} />,
          onClick: () => actions.openDialog({ kind: 'plant', siteId: site.id, plant: null }),
        },
        {
          key: 'edit',
          label: t('sites.editNamed', { name: site.name }),
          icon: <IconPencil size={17} />,
          onClick: () => actions.openDialog({ kind: 'site', site }),
        },
        {
          key: 'delete',
          label: t('sites.deleteNamed', { name: site.name }),
          icon: <IconTrash size={17} />,
          color: 'red',
          onClick: () => actions.askDelete({ kind: 'site', entity: site }),
        },
      ]
    : [];
  return (
    <li>
      <TreeRow
        level={1}
        icon={<IconBuildingFactory2 size={20} />}
        color="gmao"
        title={site.name}
        code={site.code}
        badge={site.public_requests ? <PortalBadge /> : undefined}
        meta={meta}
        expandable
        expanded={expanded}
        onToggle={() => actions.toggle(site.id, actions.openSitesByDefault)}
        toggleLabel={t(expanded ? 'sites.collapse' : 'sites.expand', { name: site.name })}
        childrenId={childrenId}
        actions={
          <RowActions actions={rowActions} menuLabel={t('sites.actionsFor', { name: site.name })} />
        }
      />
      {expanded && (
        <ul
          className="tree-children"
          id={childrenId}
          aria-label={t('sites.plantsOf', { name: site.name })}
        >
          {plants.isError && (
            <QueryError error={plants.error} onRetry={() => void plants.refetch()} />
          )}
          {plants.data?.items.length ? (
            plants.data.items.map((plant) => (
              <PlantNode
                key={plant.id}
                plant={plant}
                actions={actions}
                openByDefault={plants.data.items.length <= 4 && plant.production_line_count > 0}
              />
            ))
          ) : (
            <ChildrenPlaceholder
              loading={plants.isPending}
              action={
                actions.manage
                  ? {
                      label: t('sites.addPlant'),
                      onClick: () =>
                        actions.openDialog({ kind: 'plant', siteId: site.id, plant: null }),
                    }
                  : undefined
              }
            >
              {t('sites.noPlants')}
            </ChildrenPlaceholder>
          )}
        </ul>
      )}
    </li>
  );
}

const listStyle = { listStyle: 'none', margin: 0, padding: 0 } as const;

export default function SitesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const sites = useSites(q);
  const manage = can(PERMISSIONS.sitesManage);
  // A member limited to some sites cannot create a site (it would lie outside their scope).
  const canCreateSite = manage && me.site_scope == null;
  const [dialog, setDialog] = useState<Dialog | null>(() =>
    params.get('new') === 'site' && canCreateSite ? { kind: 'site', site: null } : null,
  );
  const [deletion, setDeletion] = useState<Deletion | null>(null);
  const [toggled, setToggled] = useState<Record<string, boolean>>({});

  const items = sites.data?.items ?? [];
  const isExpanded = (id: string, openByDefault: boolean) => toggled[id] ?? openByDefault;
  const expand = (id: string) => setToggled((prev) => ({ ...prev, [id]: true }));

  const closeDialog = () => {
    setDialog(null);
    if (params.has('new')) {
      params.delete('new');
      setParams(params, { replace: true });
    }
  };

  const refresh = async (...keys: string[]) => {
    await Promise.all(
      [...keys, 'tenant', 'audit'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })),
    );
  };

  const actions: TreeActions = {
    manage,
    openDialog: setDialog,
    askDelete: setDeletion,
    isExpanded,
    toggle: (id, openByDefault) =>
      setToggled((prev) => ({ ...prev, [id]: !(prev[id] ?? openByDefault) })),
    openSitesByDefault: items.length <= 3,
  };

  const deleteEntity = async (target: Deletion) => {
    const id = target.entity.id;
    if (target.kind === 'site') {
      await call(api.DELETE('/sites/{id}', { params: { path: { id } } }));
      await refresh('sites');
    } else if (target.kind === 'plant') {
      await call(api.DELETE('/plants/{id}', { params: { path: { id } } }));
      await refresh('plants', 'sites');
    } else {
      await call(api.DELETE('/production-lines/{id}', { params: { path: { id } } }));
      await refresh('production-lines', 'plants');
    }
    notifications.show({
      color: 'teal',
      message: t(`sites.deleted.${target.kind}`, { name: target.entity.name }),
    });
  };

  return (
    <>
      <PageHeader
        title={t('sites.title')}
        description={t('sites.description')}
        actions={
          canCreateSite && (
            <Button
              leftSection={<IconPlus size={18} />}
              onClick={() => setDialog({ kind: 'site', site: null })}
            >
              {t('sites.newSite')}
            </Button>
          )
        }
      />
      {(items.length > 6 || search !== '') && (
        <SearchInput
          label={t('sites.search')}
          placeholder={t('sites.searchPlaceholder')}
          value={search}
          onChange={setSearch}
          maw={360}
          mb="md"
        />
      )}
      {sites.isError && <QueryError error={sites.error} onRetry={() => void sites.refetch()} />}
      {sites.isPending ? (
        <Card>
          <Stack gap="md">
            {[0, 1, 2].map((i) => (
              <Group key={i} gap="sm">
                <Skeleton h={38} w={38} radius="md" />
                <Stack gap={6} style={{ flex: 1 }}>
                  <Skeleton h={14} w="40%" />
                  <Skeleton h={10} w="25%" />
                </Stack>
              </Group>
            ))}
          </Stack>
        </Card>
      ) : items.length === 0 && sites.isSuccess ? (
        <Card py={48}>
          <Empty
            icon={<IconBuildingFactory2 size={30} />}
            title={
              q
                ? t('sites.noMatch')
                : canCreateSite
                  ? t('sites.emptyTitle')
                  : t('sites.emptyNoAccess')
            }
            description={
              q
                ? t('sites.noMatchText')
                : canCreateSite
                  ? t('sites.emptyText')
                  : t('sites.emptyNoAccessText')
            }
          >
            {canCreateSite && !q && (
              <Button
                leftSection={<IconPlus size={18} />}
                onClick={() => setDialog({ kind: 'site', site: null })}
              >
                {t('sites.createFirst')}
              </Button>
            )}
          </Empty>
        </Card>
      ) : (
        <Card p={{ base: 'xs', sm: 'md' }}>
          <ul style={listStyle} aria-label={t('sites.treeLabel')} data-testid="site-tree">
            {items.map((site) => (
              <SiteNode key={site.id} site={site} actions={actions} />
            ))}
          </ul>
        </Card>
      )}

      <SiteFormModal
        opened={dialog?.kind === 'site'}
        site={dialog?.kind === 'site' ? dialog.site : null}
        onClose={closeDialog}
        onSaved={(site, created) => {
          void refresh('sites');
          notifications.show({
            color: 'teal',
            message: t(created ? 'sites.created.site' : 'sites.saved', { name: site.name }),
          });
        }}
      />
      <PlantFormModal
        opened={dialog?.kind === 'plant'}
        plant={dialog?.kind === 'plant' ? dialog.plant : null}
        siteId={dialog?.kind === 'plant' ? dialog.siteId : ''}
        onClose={closeDialog}
        onSaved={(plant, created) => {
          expand(plant.site_id);
          void refresh('plants', 'sites');
          notifications.show({
            color: 'teal',
            message: t(created ? 'sites.created.plant' : 'sites.saved', { name: plant.name }),
          });
        }}
      />
      <LineFormModal
        opened={dialog?.kind === 'line'}
        line={dialog?.kind === 'line' ? dialog.line : null}
        plantId={dialog?.kind === 'line' ? dialog.plantId : ''}
        siteId={dialog?.kind === 'line' ? dialog.siteId : ''}
        onClose={closeDialog}
        onSaved={(line, created) => {
          expand(line.plant_id);
          void refresh('production-lines', 'plants');
          notifications.show({
            color: 'teal',
            message: t(created ? 'sites.created.line' : 'sites.saved', { name: line.name }),
          });
        }}
      />
      <ConfirmDialog
        opened={deletion !== null}
        title={deletion ? t(`sites.deleteTitle.${deletion.kind}`) : ''}
        message={deletion ? t('sites.deleteText', { name: deletion.entity.name }) : ''}
        confirmLabel={t('common.delete')}
        danger
        onConfirm={() => (deletion ? deleteEntity(deletion) : Promise.resolve())}
        onClose={() => setDeletion(null)}
      />
    </>
  );
}
