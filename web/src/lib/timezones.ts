// The time zone picker's options: IANA names grouped by region, with their current UTC offset.
import { timeZones } from './validation';

export interface ZoneGroup {
  group: string;
  items: Array<{ value: string; label: string }>;
}

function offsetOf(zone: string, at: Date): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName');
    const raw = part?.value ?? 'GMT';
    return raw === 'GMT' ? 'UTC' : raw.replace('GMT', 'UTC');
  } catch {
    return '';
  }
}

let cache: ZoneGroup[] | null = null;

export function timeZoneOptions(): ZoneGroup[] {
  if (cache) return cache;
  const now = new Date();
  const groups = new Map<string, ZoneGroup>();
  for (const zone of timeZones()) {
    const slash = zone.indexOf('/');
    const region = slash > 0 ? zone.slice(0, slash) : 'UTC';
    const place = (slash > 0 ? zone.slice(slash + 1) : zone)
      .replace(/_/g, ' ')
      .replace(/\//g, ' / ');
    const offset = offsetOf(zone, now);
    let group = groups.get(region);
    if (!group) {
      group = { group: region, items: [] };
      groups.set(region, group);
    }
    group.items.push({ value: zone, label: offset ? `${place} (${offset}) — ${zone}` : zone });
  }
  cache = [...groups.values()].sort((a, b) => a.group.localeCompare(b.group));
  return cache;
}
