import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One fact of a summary: its name above, its value (a dash when there is none). */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={500} tt="uppercase" lts={0.3}>
        {label}
      </Text>
      <Text size="sm" component="div" mt={2}>
        {children || (
          <Text span c="dimmed">
            —
          </Text>
        )}
      </Text>
    </div>
  );
}
