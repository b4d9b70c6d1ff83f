import { EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

interface EmptyProps {
  icon: ReactNode;
  title: string;
  description?: string | undefined;
  /** Heading level of the title: 1 when it is the page's only heading. */
  order?: 1 | 2 | 3;
  color?: string;
  py?: number;
  mt?: string;
  children?: ReactNode;
}

/** "Nothing here yet" with what to do about it. */
export function Empty({
  icon,
  title,
  description,
  order = 2,
  color,
  py,
  mt,
  children,
}: EmptyProps) {
  return (
    <EmptyState icon={icon} variant="light" color={color} py={py} mt={mt}>
      <EmptyState.Title order={order}>{title}</EmptyState.Title>
      {description && <EmptyState.Description>{description}</EmptyState.Description>}
      {children && <EmptyState.Actions>{children}</EmptyState.Actions>}
    </EmptyState>
  );
}
