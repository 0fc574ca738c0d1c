import { describe, expect, it } from 'vitest';
import { CHANNEL_LABELS, labelOf, TOUCHPOINT_LABELS } from './labels';
import { SOURCE_CHANNELS, STAGE_LABELS } from './schemas/lead';
import { TOUCHPOINT_TYPES } from './touchpoint-types';

describe('labels', () => {
  it('names every touchpoint type and channel in words, each differently', () => {
    for (const table of [TOUCHPOINT_LABELS, CHANNEL_LABELS, STAGE_LABELS]) {
      const labels = Object.values(table);
      expect(new Set(labels).size).toBe(labels.length);
      for (const label of labels) expect(label).toMatch(/^[A-Z][A-Za-z ]*$/);
    }
    expect(Object.keys(TOUCHPOINT_LABELS).sort()).toEqual([...TOUCHPOINT_TYPES].sort());
    expect(Object.keys(CHANNEL_LABELS).sort()).toEqual([...SOURCE_CHANNELS].sort());
  });

  it('reads an unknown value as words', () => {
    expect(labelOf(TOUCHPOINT_LABELS, 'email_opened')).toBe('Email opened');
    expect(labelOf(TOUCHPOINT_LABELS, 'fax_sent')).toBe('Fax sent');
  });
});
