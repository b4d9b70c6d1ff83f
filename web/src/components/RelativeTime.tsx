import { Text } from '@mantine/core';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';

import { formatDateTime, formatRelative } from '../lib/format';

/** When something happened, as "3 hours ago"; the date and time on hover. */
export function RelativeTime({ at, style }: { at: string; style?: CSSProperties }) {
  const { i18n } = useTranslation();
  return (
    <Text size="xs" c="dimmed" title={formatDateTime(at, i18n.language)} style={style}>
      {formatRelative(at, i18n.language)}
    </Text>
  );
}
