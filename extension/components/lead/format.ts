import { QUICK_TOUCHPOINTS } from '../touchpoint-bar';

const TYPE_LABELS = new Map<string, string>(QUICK_TOUCHPOINTS.map((quick) => [quick.type, quick.label]));

/** A touchpoint type as the rep reads it: the quick button's label, or the type in words. */
export const touchpointLabel = (type: string) => TYPE_LABELS.get(type) ?? type.replaceAll('_', ' ');

export function formatTime(iso: string) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function ago(ms: number) {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
