// The layout of a page of things an administrator keeps (templates, specification templates…):
// a header with the button that adds one, the list (a table on desktop, cards on phones, with
// its empty state), an editor in a dialog and the confirmation of a deletion.
import {
  ActionIcon,
  Anchor,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  type AnchorProps,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconDots, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { ConfirmDialog } from './ConfirmDialog';
import { ListBody, type ListBodyProps } from './ListBody';
import { PageHeader } from './PageHeader';

/**
 * What the page's dialog shows: the editor of an item (or of a new one, `item: null`), with what
 * else the editor is given (`Extra`), or the deletion of an item to confirm.
 */
export type ListDialog<T, Extra = object> =
  ({ kind: 'form'; item: T | null } & Extra) | { kind: 'delete'; item: T } | null;

/** The editor's side of a `ListDialog`. */
export type EditorDialog<T, Extra = object> = Extract<ListDialog<T, Extra>, { kind: 'form' }>;

/** An item's name, which opens its editor. */
export function ItemLink({
  onClick,
  children,
  ...props
}: AnchorProps & { onClick: () => void; children: ReactNode }) {
  return (
    <Anchor component="button" type="button" ta="left" onClick={onClick} {...props}>
      {children}
    </Anchor>
  );
}

/** An item's "…" menu: edit, what else the page offers (`children`), then delete. */
export function ItemMenu({
  label,
  onEdit,
  onDelete,
  children,
}: {
  /** The button's accessible name ("Actions for …"). */
  label: string;
  onEdit: () => void;
  onDelete: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={label}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconPencil size={16} />} onClick={onEdit}>
          {t('common.edit')}
        </Menu.Item>
        {children}
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
          {t('common.delete')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** An item as a card on phones: what it is on the left, `aside` (its menu…) on the right. */
export function ItemCard({
  testId,
  opacity,
  aside,
  children,
}: {
  testId: string;
  opacity?: number;
  aside: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card p="md" opacity={opacity} data-testid={testId}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        {children}
        {aside}
      </Group>
    </Card>
  );
}

interface EditableListPageProps<T extends { id: string }, Extra> {
  title: string;
  description: string;
  /** The add button's label, also the editor's title for a new item. */
  addLabel: string;
  onAdd: () => void;
  /** Between the header and the list: tabs, filters. */
  filters?: ReactNode;
  /** The list, as `ListBody` takes it (the empty state's action is the add button). */
  list: Omit<ListBodyProps<T>, 'compact' | 'empty'> & {
    empty: Omit<ListBodyProps<T>['empty'], 'action'>;
  };
  /** Below the list: its footer, suggestions. */
  footer?: ReactNode;
  dialog: ListDialog<T, Extra>;
  closeDialog: () => void;
  /** The editor's title for an existing item. */
  editTitle: (item: T) => string;
  editor: (dialog: EditorDialog<T, Extra>) => ReactNode;
  deleteTitle: string;
  deleteText: (item: T | null) => string;
  remove: (item: T) => Promise<unknown>;
}

export function EditableListPage<T extends { id: string }, Extra = object>({
  title,
  description,
  addLabel,
  onAdd,
  filters,
  list,
  footer,
  dialog,
  closeDialog,
  editTitle,
  editor,
  deleteTitle,
  deleteText,
  remove,
}: EditableListPageProps<T, Extra>) {
  const { t } = useTranslation();
  const compact = useMediaQuery('(max-width: 48em)');
  const add = (
    <Button leftSection={<IconPlus size={18} />} onClick={onAdd}>
      {addLabel}
    </Button>
  );
  const form = dialog?.kind === 'form' ? (dialog as EditorDialog<T, Extra>) : null;
  const doomed = dialog?.kind === 'delete' ? dialog.item : null;

  return (
    <>
      <PageHeader title={title} description={description} actions={add} />
      {filters}
      <ListBody {...list} empty={{ ...list.empty, action: add }} compact={compact ?? false} />
      {footer}
      <Modal
        opened={form !== null}
        onClose={closeDialog}
        size="xl"
        title={form?.item ? editTitle(form.item) : addLabel}
      >
        {form && editor(form)}
      </Modal>
      <ConfirmDialog
        opened={doomed !== null}
        title={deleteTitle}
        message={deleteText(doomed)}
        confirmLabel={t('common.delete')}
        danger
        onConfirm={() => (doomed ? remove(doomed) : Promise.resolve())}
        onClose={closeDialog}
      />
    </>
  );
}
