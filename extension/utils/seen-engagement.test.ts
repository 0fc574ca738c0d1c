import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { rememberEngagement, roseSince, seenEngagementItem } from './seen-engagement';

describe('seen engagement', () => {
  it('rises only above what the last visit saw, and not on a first visit', async () => {
    fakeBrowser.reset();
    expect(roseSince(null, 40)).toBe(false);
    await rememberEngagement('lead-1', 20, 1);
    const seen = (await seenEngagementItem.getValue())['lead-1'];
    expect(roseSince(seen, 20)).toBe(false);
    expect(roseSince(seen, 19.4)).toBe(false);
    expect(roseSince(seen, 20.001)).toBe(false);
    expect(roseSince(seen, 24)).toBe(true);
  });
});
