// The planners' board: work by state, a column each, the most urgent at the top. Each column
// shows its true total and loads more as it scrolls. A card dragged to another column takes the
// action that leads there (starting, holding with a reason, the completion report…) through the
// same dialogs as the order's page, only when the order's `allowed_actions` have it; the card
// can be moved from the keyboard too (Space, arrows, Space).
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MeasuringStrategy,
  MouseSensor,
  TouchSensor,
  pointerWithin,
  rectIntersection,
  useDndMonitor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { Badge, Button, Group, Loader, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconList, IconPlus, IconShieldCheck, IconX } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import type { WorkOrder, WorkOrderAction, WorkOrderStatus } from '../../api/client';
import { NO_WORK_ORDER_FILTERS, useAllSites, useWorkOrderPages } from '../../api/queries';
import { useAuth } from '../../auth/context';
import { SearchInput } from '../../components/ListControls';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatNumber } from '../../lib/format';
import {
  BOARD_COLUMNS,
  WORK_ORDER_STATUS_COLOR,
  actionButtons,
  boardMove,
} from '../../lib/maintenance';
import { PERMISSIONS } from '../../lib/permissions';
import { ActionDialogs } from './WorkOrderActions';
import { WorkOrderCard } from './WorkOrderCard';
import { useDirectAction } from './useOrderRefresh';

const PER_PAGE = 20;
/** Drop zones without a column, shown while a card is dragged. */
const EXTRA_TARGETS: readonly WorkOrderStatus[] = ['closed', 'cancelled'];
/** Left to right, as the keyboard goes through them. */
const TARGETS: readonly WorkOrderStatus[] = [...BOARD_COLUMNS, ...EXTRA_TARGETS];

/** The order a draggable carries. */
function orderOf(data: { current?: Record<string, unknown> } | undefined): WorkOrder | null {
  return (data?.current?.order as WorkOrder | undefined) ?? null;
}

/** Whether the card being dragged may go to `target` (null: nothing is dragged). */
function dropState(dragged: WorkOrder | null, target: WorkOrderStatus) {
  if (!dragged || dragged.status === target) return undefined;
  return boardMove(dragged, target).kind === 'action' ? 'allowed' : 'refused';
}

function BoardCard({ order, busy }: { order: WorkOrder; busy: boolean }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: order.id,
    data: { order },
  });
  return (
    <div
      ref={setNodeRef}
      {...listeners}
      className="board-card"
      data-dragging={isDragging || undefined}
      data-busy={busy || undefined}
      data-testid="board-card"
      data-number={order.number}
      data-status={order.status}
    >
      <WorkOrderCard
        order={order}
        showStatus={false}
        compact
        describedBy={attributes['aria-describedby']}
      />
      {busy && <Loader size="sm" className="board-card-loader" aria-hidden />}
    </div>
  );
}

function Column({
  status,
  q,
  siteId,
  dragged,
  busyId,
}: {
  status: WorkOrderStatus;
  q: string;
  siteId: string | null;
  dragged: WorkOrder | null;
  busyId: string | null;
}) {
  const { t, i18n } = useTranslation();
  const pages = useWorkOrderPages({
    ...NO_WORK_ORDER_FILTERS,
    statuses: [status],
    q,
    siteId,
    sort: status === 'completed' ? '-updated_at' : '-priority',
    perPage: PER_PAGE,
  });
  const { setNodeRef, isOver } = useDroppable({ id: status });
  // A page refetched after a change may repeat an order of the next one: each is shown once.
  const items = useMemo(() => {
    const byId = new Map<string, WorkOrder>();
    for (const page of pages.data?.pages ?? []) {
      for (const order of page.items) if (!byId.has(order.id)) byId.set(order.id, order);
    }
    return [...byId.values()];
  }, [pages.data]);
  const total = pages.data?.pages.at(-1)?.total ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;

  // The next page loads as the end of the column comes into view.
  const body = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { root: body.current, rootMargin: '0px 0px 240px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, items.length]);

  const state = dropState(dragged, status);
  return (
    <section
      ref={setNodeRef}
      className="board-column"
      aria-labelledby={`column-${status}`}
      data-testid={`board-column-${status}`}
      data-drop={state}
      data-over={isOver || undefined}
    >
      <Group justify="space-between" mb="sm" px={4} wrap="nowrap">
        <Group gap={8} wrap="nowrap">
          <span
            style={{
              width: 10,
              height: 10,
              borderRadius: 5,
              flexShrink: 0,
              background: `var(--mantine-color-${WORK_ORDER_STATUS_COLOR[status]}-6)`,
            }}
            aria-hidden
          />
          <Title order={2} fz="sm" fw={700} id={`column-${status}`}>
            {t(`woStatus.${status}`)}
          </Title>
        </Group>
        {pages.data ? (
          <Badge variant="white" color="dark" size="md" data-testid="column-total">
            {formatNumber(total, i18n.language)}
          </Badge>
        ) : (
          <Skeleton h={18} w={36} />
        )}
      </Group>
      {pages.isError && <QueryError error={pages.error} onRetry={() => void pages.refetch()} />}
      <div ref={body} className="board-column-body">
        <Stack gap="sm">
          {pages.isPending
            ? [0, 1].map((i) => <Skeleton key={i} h={130} />)
            : items.map((order) => (
                <BoardCard key={order.id} order={order} busy={busyId === order.id} />
              ))}
          {!pages.isPending && items.length === 0 && (
            <Text size="sm" c="dimmed" ta="center" py="lg">
              {t('board.emptyColumn')}
            </Text>
          )}
          {hasNextPage && (
            <div ref={sentinel}>
              <Button
                variant="subtle"
                size="xs"
                fullWidth
                loading={isFetchingNextPage}
                onClick={() => void fetchNextPage()}
              >
                {t('board.loadMore', {
                  count: total - items.length,
                  formatted: formatNumber(total - items.length, i18n.language),
                })}
              </Button>
            </div>
          )}
        </Stack>
      </div>
    </section>
  );
}

/** Closing and cancelling, while a card that may be closed or cancelled is dragged. */
function ExtraTargets({ dragged }: { dragged: WorkOrder | null }) {
  const shown = EXTRA_TARGETS.filter((target) => dropState(dragged, target) === 'allowed');
  if (shown.length === 0) return null;
  return (
    <div className="board-extra-targets" data-testid="board-extra-targets">
      {shown.map((target) => (
        <ExtraTarget key={target} target={target} />
      ))}
    </div>
  );
}

function ExtraTarget({ target }: { target: WorkOrderStatus }) {
  const { t } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id: target });
  const Icon = target === 'closed' ? IconShieldCheck : IconX;
  return (
    <div
      ref={setNodeRef}
      className="board-extra-target"
      data-target={target}
      data-over={isOver || undefined}
      data-testid={`board-target-${target}`}
    >
      <Icon size={20} aria-hidden />
      {t(target === 'closed' ? 'woActions.close' : 'woActions.cancel')}
    </div>
  );
}

/** Pointer first (where the card is released); the keyboard moves the card's rectangle. */
const collisions: CollisionDetection = (args) => {
  const within = pointerWithin(args);
  return within.length > 0 ? within : rectIntersection(args);
};

/** Left and right arrows go from one column (or drop zone) to the next. */
const keyboardCoordinates: KeyboardCoordinateGetter = (event, { context }) => {
  const step = event.code === 'ArrowRight' ? 1 : event.code === 'ArrowLeft' ? -1 : 0;
  const { active, collisionRect, droppableRects, over } = context;
  if (step === 0 || !collisionRect) return undefined;
  event.preventDefault();
  const targets = TARGETS.filter((id) => droppableRects.has(id));
  // Over nothing yet: from the card's own column.
  const current = (over?.id as WorkOrderStatus | undefined) ?? orderOf(active?.data)?.status;
  const from = current ? targets.indexOf(current) : -1;
  const next = targets[from + step];
  const rect = next ? droppableRects.get(next) : undefined;
  if (!rect) return undefined;
  return {
    x: rect.left + (rect.width - collisionRect.width) / 2,
    y: Math.max(rect.top, Math.min(collisionRect.top, rect.bottom - collisionRect.height)),
  };
};

/**
 * A click that ends a mouse or touch drag on its own card is not a click on the card. A drag
 * from the keyboard ends with no click, and the next click is the person's own.
 */
function useSwallowClickAfterDrag() {
  const endedAt = useRef(0);
  const ended = ({ activatorEvent }: { activatorEvent: Event }) => {
    endedAt.current = activatorEvent instanceof KeyboardEvent ? 0 : Date.now();
  };
  useDndMonitor({ onDragEnd: ended, onDragCancel: ended });
  return (event: MouseEvent) => {
    if (Date.now() - endedAt.current < 400) {
      event.preventDefault();
      event.stopPropagation();
    }
  };
}

function Columns({
  q,
  siteId,
  dragged,
  busyId,
}: {
  q: string;
  siteId: string | null;
  dragged: WorkOrder | null;
  busyId: string | null;
}) {
  const swallow = useSwallowClickAfterDrag();
  return (
    <div
      className="board-scroller"
      data-testid="board"
      data-dragging={dragged ? true : undefined}
      onClickCapture={swallow}
    >
      {BOARD_COLUMNS.map((status) => (
        <Column
          key={status}
          status={status}
          q={q}
          siteId={siteId}
          dragged={dragged}
          busyId={busyId}
        />
      ))}
    </div>
  );
}

export default function BoardPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [siteId, setSiteId] = useState<string | null>(null);
  const sites = useAllSites();
  const [dragged, setDragged] = useState<WorkOrder | null>(null);
  // The order a dialog is about, kept while the dialog closes.
  const [dialog, setDialog] = useState<{ order: WorkOrder; action: WorkOrderAction | null }>();
  const direct = useDirectAction();

  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 6 } }),
    // A short press picks a card up on a phone; a swipe still scrolls the columns.
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: keyboardCoordinates,
      // Enter opens the card (a link); Space picks it up and puts it down.
      keyboardCodes: { start: ['Space'], cancel: ['Escape', 'Tab'], end: ['Space', 'Enter'] },
    }),
  );

  const columnName = (id: UniqueIdentifier | undefined) => {
    const status = id as WorkOrderStatus | undefined;
    if (!status) return '';
    if (status === 'closed') return t('woActions.close');
    if (status === 'cancelled') return t('woActions.cancel');
    return t(`woStatus.${status}`);
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      t('board.a11y.picked', { number: orderOf(active.data)?.number ?? '' }),
    onDragOver: ({ active, over }) =>
      over
        ? t('board.a11y.over', {
            number: orderOf(active.data)?.number ?? '',
            column: columnName(over.id),
          })
        : t('board.a11y.nowhere', { number: orderOf(active.data)?.number ?? '' }),
    onDragEnd: ({ active, over }) =>
      over
        ? t('board.a11y.dropped', {
            number: orderOf(active.data)?.number ?? '',
            column: columnName(over.id),
          })
        : t('board.a11y.cancelled', { number: orderOf(active.data)?.number ?? '' }),
    onDragCancel: ({ active }) =>
      t('board.a11y.cancelled', { number: orderOf(active.data)?.number ?? '' }),
  };

  const onDragStart = ({ active }: DragStartEvent) => setDragged(orderOf(active.data));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragged(null);
    const order = orderOf(active.data);
    if (!order || !over) return;
    const target = over.id as WorkOrderStatus;
    const move = boardMove(order, target);
    if (move.kind === 'same') return;
    if (move.kind === 'impossible') {
      notifications.show({
        color: 'orange',
        title: t('board.refusedTitle'),
        message: t('board.impossible', {
          number: order.number,
          from: t(`woStatus.${order.status}`),
          to: columnName(target),
        }),
      });
      return;
    }
    if (move.kind === 'forbidden') {
      notifications.show({
        color: 'orange',
        title: t('board.refusedTitle'),
        message: t(`board.forbidden.${move.action}`, { number: order.number }),
      });
      return;
    }
    const kind = actionButtons([move.action])[0]?.kind;
    if (kind === 'direct') void direct.run(order, move.action);
    else setDialog({ order, action: move.action });
  };

  return (
    <>
      <PageHeader
        title={t('board.title')}
        description={t('board.description')}
        actions={
          <>
            <Button
              component={Link}
              to="/work-orders"
              variant="default"
              leftSection={<IconList size={18} />}
            >
              {t('board.asList')}
            </Button>
            {can(PERMISSIONS.workOrdersManage) && (
              <Button component={Link} to="/work-orders/new" leftSection={<IconPlus size={18} />}>
                {t('workOrders.new')}
              </Button>
            )}
          </>
        }
      />
      {/* Phones: the two filters side by side, the columns on the first screen. */}
      <Group mb="md" gap="sm" align="flex-end" wrap="nowrap">
        <SearchInput
          label={t('workOrders.search')}
          placeholder={t('workOrders.searchPlaceholder')}
          value={search}
          onChange={setSearch}
          w={{ base: '55%', xs: 300 }}
          miw={0}
        />
        <Select
          label={t('location.site')}
          placeholder={t('location.allSites')}
          data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={siteId}
          onChange={setSiteId}
          clearable
          w={{ base: '45%', xs: 240 }}
          miw={0}
        />
        <Text size="xs" c="dimmed" visibleFrom="sm" style={{ flex: 1 }} ta="right">
          {t('board.dragHelp')}
        </Text>
      </Group>
      <DndContext
        sensors={sensors}
        collisionDetection={collisions}
        measuring={{ droppable: { strategy: MeasuringStrategy.Always } }}
        accessibility={{
          announcements,
          screenReaderInstructions: { draggable: t('board.a11y.instructions') },
        }}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragged(null)}
      >
        <Columns q={q} siteId={siteId} dragged={dragged} busyId={direct.busy?.id ?? null} />
        <ExtraTargets dragged={dragged} />
        <DragOverlay dropAnimation={null}>
          {dragged && (
            <div className="board-card-overlay">
              <WorkOrderCard order={dragged} showStatus={false} compact />
            </div>
          )}
        </DragOverlay>
      </DndContext>
      {dialog && (
        <ActionDialogs
          order={dialog.order}
          action={dialog.action}
          onClose={() => setDialog({ order: dialog.order, action: null })}
          onIncompleteChecklist={() => void navigate(`/work-orders/${dialog.order.id}`)}
        />
      )}
    </>
  );
}
