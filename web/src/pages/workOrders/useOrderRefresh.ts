import { useQueryClient } from '@tanstack/react-query';

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
