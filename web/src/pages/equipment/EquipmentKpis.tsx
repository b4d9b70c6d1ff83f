// An equipment's own indicators over the last twelve months (`GET /kpis/equipment/{id}`), for
// those who read the indicators: how reliable this machine is, next to what it is.
import { Card, SimpleGrid, Skeleton, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { useEquipmentKpis } from '../../api/queries';
import { QueryError } from '../../components/QueryError';
import { KpiTiles, type TileId } from '../kpis/KpiTiles';

const SHOWN: readonly TileId[] = ['mtbf', 'mttr', 'availability', 'backlog'];
const COLS = { base: 2, sm: 4, md: 2, xl: 4 };

/** The last twelve months up to the current hour (a stable window while the page is open). */
function lastTwelveMonths(now: Date): { from: string; to: string } {
  const to = new Date(now);
  to.setMinutes(0, 0, 0);
  to.setHours(to.getHours() + 1);
  const from = new Date(to);
  from.setFullYear(from.getFullYear() - 1);
  return { from: from.toISOString(), to: to.toISOString() };
}

export function EquipmentKpis({ equipmentId }: { equipmentId: string }) {
  const { t } = useTranslation();
  const window = useMemo(() => lastTwelveMonths(new Date()), []);
  const kpis = useEquipmentKpis(equipmentId, window.from, window.to);
  return (
    <Card component="section" aria-labelledby="equipment-kpis-title" data-testid="equipment-kpis">
      <Title order={2} fz="lg" mb="md" id="equipment-kpis-title">
        {t('equipment.kpisTitle')}
      </Title>
      {kpis.error ? (
        <QueryError error={kpis.error} onRetry={() => void kpis.refetch()} />
      ) : kpis.data ? (
        <KpiTiles data={kpis.data} only={SHOWN} cols={COLS} />
      ) : (
        <SimpleGrid cols={COLS} spacing="md" mb="lg" aria-busy>
          {SHOWN.map((id) => (
            <Skeleton key={id} height={110} radius="md" />
          ))}
        </SimpleGrid>
      )}
    </Card>
  );
}
