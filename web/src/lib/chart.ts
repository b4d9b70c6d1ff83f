// The geometry of a small line chart (meter readings over time), kept apart from drawing so that
// it can be tested.

export interface ChartPoint {
  x: number;
  y: number;
  value: number;
  at: string;
}

export interface ChartGeometry {
  points: ChartPoint[];
  path: string;
  min: number;
  max: number;
  from: string | null;
  to: string | null;
}

/**
 * Places readings (any order) in a `width`×`height` box with `pad` around: time along x, value
 * along y (upwards). A single reading sits in the middle; a flat series on the middle line.
 */
export function chartGeometry(
  readings: ReadonlyArray<{ value: number; read_at: string }>,
  width: number,
  height: number,
  pad = 8,
): ChartGeometry {
  const sorted = [...readings]
    .map((r) => ({ value: r.value, at: r.read_at, t: new Date(r.read_at).getTime() }))
    .filter((r) => Number.isFinite(r.t) && Number.isFinite(r.value))
    .sort((a, b) => a.t - b.t);
  if (sorted.length === 0) return { points: [], path: '', min: 0, max: 0, from: null, to: null };
  const values = sorted.map((r) => r.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const t0 = sorted[0]?.t ?? 0;
  const t1 = sorted[sorted.length - 1]?.t ?? 0;
  const innerW = width - 2 * pad;
  const innerH = height - 2 * pad;
  const points = sorted.map((r) => {
    const x = t1 === t0 ? pad + innerW / 2 : pad + ((r.t - t0) / (t1 - t0)) * innerW;
    const y = max === min ? pad + innerH / 2 : pad + (1 - (r.value - min) / (max - min)) * innerH;
    return { x: round(x), y: round(y), value: r.value, at: r.at };
  });
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');
  return {
    points,
    path,
    min,
    max,
    from: sorted[0]?.at ?? null,
    to: sorted[sorted.length - 1]?.at ?? null,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
