import { storage } from 'wxt/utils/storage';

/** The engagement the rep last saw on each lead, so "Rising" means "since your last visit". */
export interface SeenEngagement {
  engagement: number;
  at: number;
}

export const seenEngagementItem = storage.defineItem<Record<string, SeenEngagement>>('local:seenEngagement', {
  fallback: {},
  version: 1,
});

const MAX_LEADS = 500;
// Two decimals, as the API gives engagement: a difference below that is rounding, not a touch.
const EPSILON = 0.005;

/** Whether engagement rose since the visit that saw `seen`; a first visit has nothing to rise from. */
export function roseSince(seen: SeenEngagement | null | undefined, engagement: number): boolean {
  return seen != null && engagement > seen.engagement + EPSILON;
}

/** Remembers what the rep saw now; the oldest leads are forgotten past a few hundred. */
export async function rememberEngagement(leadId: string, engagement: number, at = Date.now()) {
  const seen = await seenEngagementItem.getValue();
  seen[leadId] = { engagement, at };
  const ids = Object.keys(seen);
  if (ids.length > MAX_LEADS) {
    ids
      .sort((a, b) => seen[a]!.at - seen[b]!.at)
      .slice(0, ids.length - MAX_LEADS)
      .forEach((id) => {
        delete seen[id];
      });
  }
  await seenEngagementItem.setValue(seen);
}
