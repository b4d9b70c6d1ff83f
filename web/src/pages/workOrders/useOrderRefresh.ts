import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call, type WorkOrder, type WorkOrderAction } from '../../api/client';
import { errorMessage } from '../../i18n/messages';

/** Refreshes everything an order's change may show: lists, the order, the equipment, counts. */
export function useOrderRefresh() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      ['work-orders', 'tenant', 'equipment', 'requests'].map((key) =>
        queryClient.invalidateQueries({ queryKey: [key] }),
      ),
    );
}

/** Starting and resuming need no dialog: the call, a notice, everything that shows it refreshed. */
export function useDirectAction() {
  const { t, i18n } = useTranslation();
  const refresh = useOrderRefresh();
  const [busy, setBusy] = useState<{ id: string; action: WorkOrderAction } | null>(null);
  const run = async (order: Pick<WorkOrder, 'id' | 'number'>, action: WorkOrderAction) => {
    setBusy({ id: order.id, action });
    try {
      const path = { params: { path: { id: order.id } } };
      if (action === 'start') await call(api.POST('/work-orders/{id}/start', path));
      else if (action === 'resume') await call(api.POST('/work-orders/{id}/resume', path));
      else throw new Error(`${action} needs its dialog`);
      await refresh();
      notifications.show({
        color: 'teal',
        message: t(`workOrders.done.${action}`, { number: order.number }),
      });
    } catch (error) {
      notifications.show({ color: 'red', message: errorMessage(i18n, error) });
      await refresh();
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}
