import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEAD_STAGES } from '../schemas/lead';
import { TOUCHPOINT_TYPES } from '../touchpoint-types';
import { TOUCHPOINT_DIRECTIONS } from './directions';
import { formatDuration, joinWords } from './format';
import { computeNextSteps } from './next-steps';
import { NEXT_STEP_RULES } from './rules';
import { NEXT_STEP_RULE_IDS, type NextStepInput } from './types';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const t0 = Date.UTC(2026, 2, 2, 9);

/** A fully qualified, contacted lead with nothing to do, to change one thing at a time. */
function quiet(
  overrides: Partial<NextStepInput> = {},
  lead: Partial<NextStepInput['lead']> = {},
): NextStepInput {
  return {
    lead: {
      stage: 'new',
      email: 'ana@acme.io',
      phone: '+49 30 1234567',
      bant: { budget: true, authority: true, need: true, timelineMonths: 3 },
      createdAt: t0,
      ...lead,
    },
    score: 30,
    grade: 'B',
    engagement: 10,
    peakEngagement: 10,
    touchpoints: [{ type: 'email_sent', occurredAt: t0 + MIN }],
    stageChanges: [],
    at: t0 + 2 * DAY,
    ...overrides,
  };
}

const ids = (input: NextStepInput) => computeNextSteps(input).map((step) => step.id);
const step = (input: NextStepInput, id: string) => computeNextSteps(input).find((s) => s.id === id);

describe('rules as data', () => {
  it('lists every rule once, with a stable id, title, when and description', () => {
    expect(NEXT_STEP_RULES.map((rule) => rule.id).sort()).toEqual([...NEXT_STEP_RULE_IDS].sort());
    for (const rule of NEXT_STEP_RULES) {
      expect(rule.title).not.toBe('');
      expect(rule.when).not.toBe('');
      expect(rule.description).not.toBe('');
    }
  });

  it('gives every touchpoint type a direction', () => {
    expect(Object.keys(TOUCHPOINT_DIRECTIONS).sort()).toEqual([...TOUCHPOINT_TYPES].sort());
  });

  it('a contacted, qualified lead with contact details has nothing to do', () => {
    expect(computeNextSteps(quiet())).toEqual([]);
  });
});

describe('speed-to-lead', () => {
  const fresh = (minutes: number) => quiet({ touchpoints: [], at: t0 + minutes * MIN });

  it('is urgent in the first hour and still high after', () => {
    expect(step(fresh(10), 'speed-to-lead')).toMatchObject({
      priority: 1,
      title: 'Make first contact',
      suggestedTouchpoint: 'call_attempted',
    });
    expect(step(fresh(10), 'speed-to-lead')?.reason).toContain('Captured 10 minutes ago');
    expect(step(fresh(59), 'speed-to-lead')?.priority).toBe(1);
    expect(step(fresh(60), 'speed-to-lead')?.priority).toBe(2);
    expect(step(fresh(3 * 24 * 60), 'speed-to-lead')?.reason).toBe(
      'Captured 3 days ago and still not contacted.',
    );
  });

  it('counts only outbound touches as contact, up to `at`', () => {
    const inbound = quiet({ touchpoints: [{ type: 'form_submitted', occurredAt: t0 }], at: t0 + 5 * MIN });
    expect(ids(inbound)).toContain('speed-to-lead');
    const later = quiet({
      touchpoints: [{ type: 'call_attempted', occurredAt: t0 + HOUR }],
      at: t0 + 5 * MIN,
    });
    expect(ids(later)).toContain('speed-to-lead');
    expect(ids({ ...later, at: t0 + HOUR })).not.toContain('speed-to-lead');
  });

  it('suggests e-mail without a phone, LinkedIn without either', () => {
    expect(step(quiet({ touchpoints: [] }, { phone: null }), 'speed-to-lead')?.suggestedTouchpoint).toBe(
      'email_sent',
    );
    expect(
      step(quiet({ touchpoints: [] }, { phone: null, email: null }), 'speed-to-lead')?.suggestedTouchpoint,
    ).toBe('linkedin_connect_sent');
  });

  it('does not fire for stages set by hand', () => {
    for (const stage of ['opportunity', 'won', 'lost', 'nurture', 'disqualified'] as const) {
      expect(ids(quiet({ touchpoints: [] }, { stage }))).not.toContain('speed-to-lead');
    }
  });
});

describe('qualify-bant', () => {
  it('names the unknown BANT questions for an MQL', () => {
    const input = quiet(
      { score: 55 },
      { stage: 'mql', bant: { budget: true, authority: null, need: false } },
    );
    expect(step(input, 'qualify-bant')).toEqual({
      id: 'qualify-bant',
      title: 'Qualify: ask the open BANT questions',
      reason: 'Marketing-qualified (score 55); still unknown: authority and timeline.',
      priority: 3,
      suggestedTouchpoint: 'call_attempted',
    });
    expect(step(quiet({}, { stage: 'mql', bant: null }), 'qualify-bant')?.reason).toContain(
      'budget, authority, need and timeline',
    );
  });

  it('is quiet when every answer is known (false is an answer) or the lead is not MQL', () => {
    expect(
      ids(
        quiet(
          {},
          { stage: 'mql', bant: { budget: false, authority: false, need: false, timelineMonths: 0 } },
        ),
      ),
    ).toEqual([]);
    expect(ids(quiet({}, { stage: 'new', bant: null }))).not.toContain('qualify-bant');
  });
});

describe('book-meeting', () => {
  const sql = (touchpoints: NextStepInput['touchpoints']) =>
    quiet(
      { touchpoints, score: 80, grade: 'A', stageChanges: [{ from: 'mql', to: 'sql', at: t0 + DAY }] },
      { stage: 'sql' },
    );

  it('fires for an SQL without a meeting', () => {
    expect(step(sql([{ type: 'email_sent', occurredAt: t0 }]), 'book-meeting')).toEqual({
      id: 'book-meeting',
      title: 'Book a meeting',
      reason: 'Sales-qualified 24 hours ago (score 80, grade A) with no meeting booked.',
      priority: 2,
      suggestedTouchpoint: 'meeting_booked',
    });
  });

  it('is quiet once a meeting is booked or held', () => {
    expect(ids(sql([{ type: 'meeting_booked', occurredAt: t0 }]))).not.toContain('book-meeting');
    expect(ids(sql([{ type: 'meeting_held', occurredAt: t0 }]))).not.toContain('book-meeting');
  });
});

describe('answer-reply', () => {
  it('fires for an unanswered e-mail reply, most urgent', () => {
    const input = quiet({
      touchpoints: [
        { type: 'email_sent', occurredAt: t0 },
        { type: 'email_replied', occurredAt: t0 + DAY },
      ],
      at: t0 + DAY + 3 * HOUR,
    });
    expect(computeNextSteps(input)[0]).toEqual({
      id: 'answer-reply',
      title: 'Answer the reply',
      reason: 'Replied by e-mail 3 hours ago; no answer logged since.',
      priority: 1,
      suggestedTouchpoint: 'email_sent',
    });
  });

  it('is quiet once a later outbound touch answers it', () => {
    const input = quiet({
      touchpoints: [
        { type: 'email_replied', occurredAt: t0 + DAY },
        { type: 'call_connected', occurredAt: t0 + DAY + HOUR },
      ],
    });
    expect(ids(input)).not.toContain('answer-reply');
    // An answer logged before the reply does not answer it.
    const before = quiet({
      touchpoints: [
        { type: 'call_connected', occurredAt: t0 },
        { type: 'email_replied', occurredAt: t0 + DAY },
      ],
    });
    expect(ids(before)).toContain('answer-reply');
  });

  it('takes a note as the answer to a LinkedIn reply, and suggests logging one', () => {
    const reply = { type: 'linkedin_message_replied' as const, occurredAt: t0 + DAY };
    expect(step(quiet({ touchpoints: [reply] }), 'answer-reply')).toMatchObject({
      reason: expect.stringContaining('Replied on LinkedIn'),
      suggestedTouchpoint: 'note',
    });
    expect(ids(quiet({ touchpoints: [reply, { type: 'note', occurredAt: t0 + DAY + MIN }] }))).not.toContain(
      'answer-reply',
    );
    // A note does not answer an e-mail: it is not a touch on the lead.
    expect(
      ids(
        quiet({
          touchpoints: [
            { ...reply, type: 'email_replied' },
            { type: 'note', occurredAt: t0 + DAY + MIN },
          ],
        }),
      ),
    ).toContain('answer-reply');
  });
});

describe('re-engage', () => {
  const cooled = (overrides: Partial<NextStepInput>) =>
    quiet({
      engagement: 12,
      peakEngagement: 40,
      touchpoints: [{ type: 'meeting_held', occurredAt: t0 }],
      at: t0 + 30 * DAY,
      ...overrides,
    });

  it('fires when engagement halved from its peak and nothing happened for 14 days', () => {
    expect(step(cooled({}), 're-engage')).toEqual({
      id: 're-engage',
      title: 'Re-engage before it goes cold',
      reason: 'Engagement 12.0, down from a peak of 40.0; last touch 30 days ago.',
      priority: 3,
      suggestedTouchpoint: 'email_sent',
    });
    expect(ids(cooled({ engagement: 20 }))).toContain('re-engage'); // exactly half
  });

  it('is quiet above half the peak, within 14 days of a touch, for a small peak, or a closed lead', () => {
    expect(ids(cooled({ engagement: 20.01 }))).not.toContain('re-engage');
    expect(ids(cooled({ at: t0 + 14 * DAY - 1 }))).not.toContain('re-engage');
    expect(ids(cooled({ peakEngagement: 8, engagement: 1 }))).not.toContain('re-engage');
    expect(
      ids(quiet({ engagement: 1, peakEngagement: 40, at: t0 + 30 * DAY }, { stage: 'won' })),
    ).not.toContain('re-engage');
  });

  it('ignores notes as touches and avoids e-mail after an unsubscribe', () => {
    const withNote = cooled({
      touchpoints: [
        { type: 'meeting_held', occurredAt: t0 },
        { type: 'note', occurredAt: t0 + 29 * DAY },
      ],
    });
    expect(ids(withNote)).toContain('re-engage');
    const unsubscribed = cooled({
      touchpoints: [
        { type: 'meeting_held', occurredAt: t0 },
        { type: 'unsubscribed', occurredAt: t0 + MIN },
      ],
    });
    expect(step(unsubscribed, 're-engage')?.suggestedTouchpoint).toBe('call_attempted');
  });
});

describe('find-contact', () => {
  it('names what is missing; both missing is more urgent', () => {
    expect(step(quiet({}, { phone: null }), 'find-contact')).toEqual({
      id: 'find-contact',
      title: 'Find missing contact details',
      reason: 'No phone number.',
      priority: 4,
      suggestedTouchpoint: null,
    });
    expect(step(quiet({}, { phone: '', email: null }), 'find-contact')).toMatchObject({
      reason: 'No e-mail address and no phone number.',
      priority: 3,
    });
  });

  it('treats a bounced address as missing until the lead writes from it', () => {
    const bounced = quiet({
      touchpoints: [
        { type: 'email_sent', occurredAt: t0 },
        { type: 'bounced', occurredAt: t0 + MIN },
      ],
    });
    expect(step(bounced, 'find-contact')?.reason).toBe('The e-mail address bounced.');
    const replied = quiet({
      touchpoints: [
        ...bounced.touchpoints,
        { type: 'email_replied', occurredAt: t0 + HOUR },
        { type: 'email_sent', occurredAt: t0 + 2 * HOUR },
      ],
    });
    expect(ids(replied)).not.toContain('find-contact');
  });

  it('does not fire for closed leads', () => {
    expect(ids(quiet({}, { stage: 'won', phone: null, email: null }))).toEqual([]);
  });
});

describe('reopen', () => {
  const lost = (
    touchpoints: NextStepInput['touchpoints'],
    stageChanges = [{ from: 'sql' as const, to: 'lost' as const, at: t0 + DAY }],
  ) => quiet({ touchpoints, stageChanges, at: t0 + 10 * DAY }, { stage: 'lost' });

  it('fires on inbound activity after the lead was lost', () => {
    expect(step(lost([{ type: 'demo_requested', occurredAt: t0 + 8 * DAY }]), 'reopen')).toEqual({
      id: 'reopen',
      title: 'Reopen: the lead is active again',
      reason: 'Marked lost 9 days ago; active again since (demo_requested, 2 days ago).',
      priority: 2,
      suggestedTouchpoint: 'call_attempted',
    });
    const many = lost([
      { type: 'page_visit', occurredAt: t0 + 3 * DAY },
      { type: 'form_submitted', occurredAt: t0 + 9 * DAY },
    ]);
    expect(step(many, 'reopen')?.reason).toContain('2 touches, latest form_submitted');
  });

  it('is quiet for activity before the loss, our own touches, opens, or without the stage date', () => {
    expect(ids(lost([{ type: 'demo_requested', occurredAt: t0 }]))).toEqual([]);
    expect(ids(lost([{ type: 'email_sent', occurredAt: t0 + 5 * DAY }]))).toEqual([]);
    expect(ids(lost([{ type: 'email_opened', occurredAt: t0 + 5 * DAY }]))).toEqual([]);
    expect(ids(lost([{ type: 'form_submitted', occurredAt: t0 + 5 * DAY }], []))).toEqual([]);
  });

  it('works for disqualified leads too', () => {
    const input = quiet(
      {
        touchpoints: [{ type: 'linkedin_message_replied', occurredAt: t0 + 5 * DAY }],
        stageChanges: [{ from: 'new', to: 'disqualified', at: t0 }],
        at: t0 + 6 * DAY,
      },
      { stage: 'disqualified' },
    );
    expect(ids(input)).toEqual(['answer-reply', 'reopen']);
  });
});

describe('ranking', () => {
  it('sorts by priority, ties in rule order', () => {
    const input = quiet(
      {
        touchpoints: [{ type: 'email_replied', occurredAt: t0 + 5 * MIN }],
        at: t0 + 10 * MIN,
      },
      { stage: 'mql', phone: null, bant: null },
    );
    expect(computeNextSteps(input).map((s) => [s.id, s.priority])).toEqual([
      ['answer-reply', 1],
      ['speed-to-lead', 1],
      ['qualify-bant', 3],
      ['find-contact', 4],
    ]);
  });

  it('always returns a sorted list of known rules, without duplicates (property)', () => {
    const touchpoint = fc.record({
      type: fc.constantFrom(...TOUCHPOINT_TYPES),
      occurredAt: fc.integer({ min: t0, max: t0 + 60 * DAY }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...LEAD_STAGES),
        fc.array(touchpoint, { maxLength: 15 }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        fc.integer({ min: t0, max: t0 + 90 * DAY }),
        (stage, touchpoints, engagement, peak, at) => {
          const steps = computeNextSteps(
            quiet({ touchpoints, engagement, peakEngagement: Math.max(engagement, peak), at }, { stage }),
          );
          const seen = steps.map((s) => s.id);
          expect(new Set(seen).size).toBe(seen.length);
          for (let i = 1; i < steps.length; i++)
            expect(steps[i]!.priority).toBeGreaterThanOrEqual(steps[i - 1]!.priority);
          for (const s of steps) expect(NEXT_STEP_RULE_IDS).toContain(s.id);
        },
      ),
    );
  });
});

describe('formatting', () => {
  it('says durations as a rep would', () => {
    expect(formatDuration(59_999)).toBe('just now');
    expect(formatDuration(MIN)).toBe('1 minute');
    expect(formatDuration(90 * MIN)).toBe('1 hour');
    expect(formatDuration(47 * HOUR)).toBe('47 hours');
    expect(formatDuration(2 * DAY)).toBe('2 days');
    expect(joinWords([])).toBe('');
    expect(joinWords(['a'])).toBe('a');
    expect(joinWords(['a', 'b'])).toBe('a and b');
  });
});

describe('recycle', () => {
  const cold = (days: number, score = 20) =>
    quiet(
      {
        score,
        touchpoints: [{ type: 'meeting_held', occurredAt: t0 }],
        stageChanges: [{ from: 'mql', to: 'sql', at: t0 }],
        at: t0 + days * DAY,
        recycle: { mqlThreshold: 40, afterDays: 30 },
      },
      { stage: 'sql' },
    );

  it('offers a cold SQL back to nurture once it is below the MQL threshold and untouched long enough', () => {
    expect(step(cold(31), 'recycle')).toEqual({
      id: 'recycle',
      title: 'Recycle to nurture',
      reason: 'Score 20, below the MQL threshold of 40; last touch 31 days ago.',
      priority: 3,
      suggestedTouchpoint: null,
    });
    expect(ids(cold(29))).not.toContain('recycle');
    expect(ids(cold(31, 45))).not.toContain('recycle');
    const { recycle: _, ...withoutSetting } = cold(31);
    expect(ids(withoutSetting)).not.toContain('recycle');
  });
});
