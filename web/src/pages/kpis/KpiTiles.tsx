// The key figures as tiles: the dashboard shows the six, an equipment page a few.
import { SimpleGrid, type SimpleGridProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { KpiIndicator, Kpis } from '../../api/client';
import { TILE_COLS, formatDecimal, formatHours, formatKpi, formatWeeks } from '../../lib/kpis';
import { KpiTile } from './KpiTile';

/** Which key figures, in order. */
export type TileId =
  'mtbf' | 'mttr' | 'availability' | 'pm_compliance' | 'planned_work' | 'backlog';

/**
 * The key figures of an answer of `GET /kpis` (or `/kpis/equipment/{id}`), each with what it is
 * computed from; `only` picks some of them, in their usual order.
 */
export function KpiTiles({
  data,
  only,
  cols = TILE_COLS,
}: {
  data: Kpis;
  only?: readonly TileId[];
  cols?: SimpleGridProps['cols'];
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const hours = (value: number) => formatHours(value, language);
  const number = (value: number) => formatDecimal(value, language);
  const value = (indicator: KpiIndicator) =>
    formatKpi(indicator.value ?? null, indicator.unit, language);
  const { mtbf, mttr, availability, pm_compliance, planned_work, backlog } = data;
  // The backlog in weeks of the crew's work, when there is a crew.
  const crewWeeks = backlog.crew_weeks.value;
  const backlogHow = t('kpis.backlog.how', {
    hours: hours(backlog.estimated_hours),
    count: backlog.value ?? backlog.numerator,
  });
  const tiles = [
    {
      id: 'mtbf',
      value: value(mtbf),
      how: t('kpis.mtbf.how', {
        numerator: hours(mtbf.numerator),
        denominator: number(mtbf.denominator),
        count: mtbf.denominator,
      }),
    },
    {
      id: 'mttr',
      value: value(mttr),
      how: t('kpis.mttr.how', {
        numerator: hours(mttr.numerator),
        denominator: number(mttr.denominator),
        count: mttr.denominator,
      }),
    },
    {
      id: 'availability',
      value: value(availability),
      how: t('kpis.availability.how', {
        numerator: hours(availability.numerator),
        denominator: hours(availability.denominator),
      }),
    },
    {
      id: 'pm_compliance',
      value: value(pm_compliance),
      how: t('kpis.pm_compliance.how', {
        numerator: number(pm_compliance.numerator),
        denominator: number(pm_compliance.denominator),
        count: pm_compliance.denominator,
      }),
    },
    {
      id: 'planned_work',
      value: value(planned_work),
      how: t('kpis.planned_work.how', {
        numerator: hours(planned_work.numerator),
        denominator: hours(planned_work.denominator),
      }),
    },
    {
      id: 'backlog',
      // The open orders: never missing, zero is a figure.
      value: formatKpi(backlog.value ?? backlog.numerator, 'orders', language),
      how:
        crewWeeks === undefined || !Number.isFinite(crewWeeks)
          ? backlogHow
          : t('kpis.backlog.howCrew', {
              how: backlogHow,
              weeks: formatWeeks(crewWeeks, language),
            }),
    },
  ] as const;
  const shown = tiles.filter((tile) => !only || only.includes(tile.id));
  return (
    <SimpleGrid cols={cols} spacing="md" mb="lg">
      {shown.map((tile) => (
        <KpiTile
          key={tile.id}
          id={tile.id}
          label={t(`kpis.${tile.id}.label`)}
          hint={t(`kpis.${tile.id}.hint`)}
          value={tile.value}
          none={t(`kpis.${tile.id}.none`)}
          how={tile.how}
        />
      ))}
    </SimpleGrid>
  );
}
