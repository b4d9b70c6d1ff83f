import { Card, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One titled part of a long form. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card component="section" aria-label={title}>
      <Title order={2} fz="lg" mb="md">
        {title}
      </Title>
      {children}
    </Card>
  );
}
