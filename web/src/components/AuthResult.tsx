import { Stack, Text, ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';

/** The outcome of a page seen before login (a link sent, a password saved, a link gone), with what to do next. */
export function AuthResult({
  icon,
  color = 'gmao',
  children,
  actions,
}: {
  icon: ReactNode;
  color?: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Stack gap="lg" data-testid="auth-result">
      <ThemeIcon size={48} radius="xl" variant="light" color={color} aria-hidden>
        {icon}
      </ThemeIcon>
      <Stack gap="xs">{typeof children === 'string' ? <Text>{children}</Text> : children}</Stack>
      {actions && <Stack gap="xs">{actions}</Stack>}
    </Stack>
  );
}
