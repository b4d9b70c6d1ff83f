import { Box, Group, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';

import { chartGeometry } from '../lib/chart';
import { formatDate, formatDateTime, formatNumber } from '../lib/format';

const HEIGHT = 180;

/** Readings over time, as a line: enough to see a trend or a jump. */
export function MeterChart({
  readings,
  unit,
  label,
}: {
  readings: ReadonlyArray<{ value: number; read_at: string }>;
  unit: string;
  label: string;
}) {
  const { t, i18n } = useTranslation();
  const { ref, width: measured } = useElementSize();
  const WIDTH = Math.max(200, Math.round(measured) || 600);
  const g = chartGeometry(readings, WIDTH, HEIGHT, 24);
  if (g.points.length < 2) {
    return (
      <Text size="sm" c="dimmed" py="md">
        {t('meters.chartNeedsTwo')}
      </Text>
    );
  }
  const area = `${g.path} L${g.points[g.points.length - 1]?.x ?? 0} ${HEIGHT} L${g.points[0]?.x ?? 0} ${HEIGHT} Z`;
  const fmt = (v: number) => `${formatNumber(v, i18n.language)} ${unit}`;
  return (
    <Box ref={ref}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        height={HEIGHT}
        role="img"
        aria-label={label}
        data-testid="meter-chart"
        style={{
          display: 'block',
          background: 'var(--mantine-color-gray-0)',
          borderRadius: 8,
        }}
      >
        <path d={area} fill="var(--mantine-color-gmao-1)" opacity={0.6} />
        <path d={g.path} fill="none" stroke="var(--mantine-color-gmao-6)" strokeWidth={2} />
        {/* The scale: the highest value at the top, the lowest at the bottom. */}
        <text x={8} y={16} fontSize={11} fill="var(--mantine-color-dimmed)">
          {t('meters.chartMax', { value: fmt(g.max) })}
        </text>
        <text x={8} y={HEIGHT - 6} fontSize={11} fill="var(--mantine-color-dimmed)">
          {t('meters.chartMin', { value: fmt(g.min) })}
        </text>
        {g.points.length <= 60 &&
          g.points.map((p) => (
            <circle key={p.at} cx={p.x} cy={p.y} r={3} fill="var(--mantine-color-gmao-7)">
              <title>{`${fmt(p.value)} · ${formatDateTime(p.at, i18n.language)}`}</title>
            </circle>
          ))}
      </svg>
      <Group justify="space-between" mt={4}>
        <Text size="xs" c="dimmed">
          {formatDate(g.from, i18n.language)}
        </Text>
        <Text size="xs" c="dimmed">
          {formatDate(g.to, i18n.language)}
        </Text>
      </Group>
    </Box>
  );
}
