import {
  ActionIcon,
  Card,
  Group,
  Skeleton,
  Stack,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

import { NO_VALUE } from '../../lib/kpis';

interface KpiTileProps {
  /** The indicator's key (`mtbf`, `availability`…), for its test id. */
  id: string;
  label: string;
  /** What the indicator measures, behind the information icon. */
  hint: string;
  /** The value as shown ("99,2 %"), or "—". */
  value: string;
  /** Why there is no value, when there is none. */
  none: string;
  /** What the value is computed from ("1 474,5 h de fonctionnement / 5 pannes"). */
  how: string;
}

/** A key figure: its value, large, and what it is computed from, small. */
export function KpiTile({ id, label, hint, value, none, how }: KpiTileProps) {
  const { t } = useTranslation();
  const missing = value === NO_VALUE;
  return (
    <Card withBorder padding="md" radius="md" data-testid={`kpi-tile-${id}`}>
      <Stack gap={4} h="100%">
        <Group justify="space-between" gap={4} wrap="nowrap" align="flex-start">
          <Text size="sm" fw={600} c="dimmed" lh={1.3}>
            {label}
          </Text>
          <Tooltip
            label={hint}
            multiline
            w={240}
            withArrow
            events={{ hover: true, focus: true, touch: true }}
          >
            <ActionIcon variant="subtle" color="gray" size="sm" aria-label={hint}>
              <IconInfoCircle size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>
        {missing ? (
          <Tooltip label={none} withArrow events={{ hover: true, focus: true, touch: true }}>
            <Text
              fz={{ base: 22, sm: 26, lg: 22, xl: 28 }}
              fw={700}
              lh={1.2}
              c="dimmed"
              w="fit-content"
              tabIndex={0}
              aria-label={`${t('kpis.noValue')} : ${none}`}
              data-testid="kpi-value"
            >
              {NO_VALUE}
            </Text>
          </Tooltip>
        ) : (
          <Text
            fz={{ base: 22, sm: 26, lg: 22, xl: 28 }}
            fw={700}
            lh={1.2}
            style={{ whiteSpace: 'nowrap' }}
            data-testid="kpi-value"
          >
            {value}
          </Text>
        )}
        <Text size="xs" c="dimmed" mt="auto" data-testid="kpi-how">
          <VisuallyHidden>{`${t('kpis.howComputed')} : `}</VisuallyHidden>
          {how}
        </Text>
      </Stack>
    </Card>
  );
}

export function KpiTileSkeleton() {
  return (
    <Card withBorder padding="md" radius="md">
      <Skeleton h={14} w="60%" mb={10} />
      <Skeleton h={28} w="70%" mb={10} />
      <Skeleton h={10} w="90%" />
    </Card>
  );
}
