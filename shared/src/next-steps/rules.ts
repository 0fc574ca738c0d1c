import type { LeadStage } from '../schemas/lead';
import { MS_PER_DAY } from '../scoring/time';
import type { TouchpointType } from '../touchpoint-types';
import { touchpointDirection } from './directions';
import { formatAgo, joinWords } from './format';
import type { NextStepInput, NextStepPriority, NextStepRuleId } from './types';

/** A rule as data, for the README table and the UI's "why am I seeing this". */
export interface NextStepRule {
  id: NextStepRuleId;
  title: string;
  /** When it fires, in a sentence. */
  when: string;
  /** What the rep should do, and why. */
  description: string;
  /** Its usual priority (1 = now ... 4 = when there is time); `speed-to-lead` is 1 in the first hour, 2 after. */
  priority: NextStepPriority;
}

/** Speed to lead: the first hour is when an inbound lead is most likely to pick up. */
export const SPEED_TO_LEAD_URGENT_MS = 3_600_000;
/** Quiet this long, and a lead whose engagement has halved is going cold. */
export const RE_ENGAGE_QUIET_MS = 14 * MS_PER_DAY;
/**
 * A peak below this (a few opens and visits) was never real interest, so losing half of it is not
 * worth a prompt. Not in the brief; 10 is one `call_connected` or `content_downloaded`.
 */
export const RE_ENGAGE_MIN_PEAK = 10;

/** Stages where the lead is still being worked; won, lost and disqualified are done. */
const OPEN_STAGES: readonly LeadStage[] = ['new', 'mql', 'sql', 'opportunity', 'nurture'];
/** Stages a score moves (before a rep has made the lead an opportunity). */
const FUNNEL_STAGES: readonly LeadStage[] = ['new', 'mql', 'sql'];
const CLOSED_NEGATIVE: readonly LeadStage[] = ['lost', 'disqualified'];
const REPLIES: readonly TouchpointType[] = ['email_replied', 'linkedin_message_replied'];
const MEETINGS: readonly TouchpointType[] = ['meeting_booked', 'meeting_held'];

/**
 * Every rule, in tie-break order (a more specific prompt first). Ids are stable: the UI and the
 * analytics of "prompt shown / acted on" key on them.
 */
export const NEXT_STEP_RULES: readonly NextStepRule[] = Object.freeze([
  {
    id: 'answer-reply',
    title: 'Answer the reply',
    when: 'The latest e-mail or LinkedIn reply has no outbound touch after it (for LinkedIn, a note counts).',
    description:
      'The lead wrote back and is waiting. Answer on the channel they used; a reply left for a day cools fast.',
    priority: 1,
  },
  {
    id: 'speed-to-lead',
    title: 'Make first contact',
    when: 'The lead is new, MQL or SQL and nobody has reached out yet (no outbound touchpoint).',
    description:
      'Reach out while the lead still remembers why they came: urgent in the first hour after capture, still high after.',
    priority: 1,
  },
  {
    id: 'book-meeting',
    title: 'Book a meeting',
    when: 'The lead is SQL and no meeting has been booked or held.',
    description: 'Sales-qualified leads convert in a meeting, not in an inbox: propose times now.',
    priority: 2,
  },
  {
    id: 'reopen',
    title: 'Reopen: the lead is active again',
    when: 'The lead is lost or disqualified and did something after that stage was set (any inbound touch but an open, an unsubscribe or a bounce).',
    description:
      'Renewed interest after a no: check what changed and move the lead back into the funnel if it is real.',
    priority: 2,
  },
  {
    id: 'qualify-bant',
    title: 'Qualify: ask the open BANT questions',
    when: 'The lead is MQL and at least one of budget, authority, need or timeline is unknown.',
    description: 'Marketing-qualified is interest, not a deal: ask the BANT questions still unanswered.',
    priority: 3,
  },
  {
    id: 're-engage',
    title: 'Re-engage before it goes cold',
    when: `The lead is still open, engagement is at most half its peak (peak at least ${RE_ENGAGE_MIN_PEAK}), and nothing but notes happened for 14 days.`,
    description:
      'Interest is fading and the stage will not fall on its own: send something useful or call before the lead is gone.',
    priority: 3,
  },
  {
    id: 'find-contact',
    title: 'Find missing contact details',
    when: 'The lead is still open and has no usable e-mail address (none, or it bounced) or no phone number.',
    description:
      'Without a channel there is no next touch: look up the missing e-mail address or phone number.',
    priority: 4,
  },
  {
    id: 'recycle',
    title: 'Recycle to nurture',
    when: "The lead is SQL, its score fell below the MQL threshold, and nothing but notes happened for the workspace's recycle days (30 by default).",
    description:
      'Sales is not getting anywhere and the interest is gone: hand the lead back to a nurture cadence instead of letting it rot in the pipeline.',
    priority: 3,
  },
]);

interface Touch {
  type: TouchpointType;
  ms: number;
}

/** The input with times parsed, touchpoints and stage changes up to `at` in time order. */
export interface RuleContext {
  input: NextStepInput;
  atMs: number;
  createdAtMs: number;
  touches: readonly Touch[];
  stageChanges: readonly { to: LeadStage; ms: number }[];
}

export interface RuleOutcome {
  reason: string;
  priority: NextStepPriority;
  suggestedTouchpoint: TouchpointType | null;
}

const has = (value: string | null | undefined): boolean => typeof value === 'string' && value.trim() !== '';

/**
 * A bounce means the address is broken until the lead writes from it again; an unsubscribe means
 * no more e-mail. Either way e-mail is not a channel to suggest.
 */
function emailState(ctx: RuleContext): 'usable' | 'missing' | 'bounced' | 'unsubscribed' {
  if (!has(ctx.input.lead.email)) return 'missing';
  let state: 'usable' | 'bounced' | 'unsubscribed' = 'usable';
  for (const touch of ctx.touches) {
    if (touch.type === 'bounced') state = 'bounced';
    else if (touch.type === 'email_replied' && state === 'bounced') state = 'usable';
    else if (touch.type === 'unsubscribed') state = 'unsubscribed';
  }
  return state;
}

/** The touchpoint that starts a conversation on the best channel the lead has. */
function reachOut(ctx: RuleContext, prefer: 'call' | 'email'): TouchpointType | null {
  const phone = has(ctx.input.lead.phone);
  const email = emailState(ctx) === 'usable';
  if (prefer === 'call' ? phone : email) return prefer === 'call' ? 'call_attempted' : 'email_sent';
  if (phone) return 'call_attempted';
  if (email) return 'email_sent';
  // Already connected on LinkedIn: a message, which has no touchpoint type of its own.
  return ctx.touches.some((touch) => touch.type === 'linkedin_connected') ? null : 'linkedin_connect_sent';
}

function lastStageEntry(ctx: RuleContext, stage: LeadStage): number | null {
  let entered: number | null = null;
  for (const change of ctx.stageChanges) if (change.to === stage) entered = change.ms;
  return entered;
}

const BANT_QUESTIONS = [
  ['budget', 'budget'],
  ['authority', 'authority'],
  ['need', 'need'],
  ['timelineMonths', 'timeline'],
] as const;

/** Each rule's test; `null` when it does not fire. */
export const RULE_EVALUATORS: Readonly<Record<NextStepRuleId, (ctx: RuleContext) => RuleOutcome | null>> = {
  'answer-reply': (ctx) => {
    const reply = ctx.touches.findLast((touch) => REPLIES.includes(touch.type));
    if (!reply) return null;
    const onLinkedin = reply.type === 'linkedin_message_replied';
    const answered = ctx.touches.some(
      (touch) =>
        touch.ms > reply.ms &&
        (touchpointDirection(touch.type) === 'outbound' || (onLinkedin && touch.type === 'note')),
    );
    if (answered) return null;
    return {
      reason: `Replied ${onLinkedin ? 'on LinkedIn' : 'by e-mail'} ${formatAgo(ctx.atMs - reply.ms)}; no answer logged since.`,
      priority: 1,
      // A LinkedIn message has no touchpoint type: the rep logs it as a note.
      suggestedTouchpoint: onLinkedin
        ? 'note'
        : emailState(ctx) === 'usable'
          ? 'email_sent'
          : reachOut(ctx, 'call'),
    };
  },

  'speed-to-lead': (ctx) => {
    if (!FUNNEL_STAGES.includes(ctx.input.lead.stage)) return null;
    if (ctx.touches.some((touch) => touchpointDirection(touch.type) === 'outbound')) return null;
    const age = Math.max(0, ctx.atMs - ctx.createdAtMs);
    const urgent = age < SPEED_TO_LEAD_URGENT_MS;
    return {
      reason: urgent
        ? `Captured ${formatAgo(age)} and nobody has reached out yet: the first hour is when a lead is most likely to answer.`
        : `Captured ${formatAgo(age)} and still not contacted.`,
      priority: urgent ? 1 : 2,
      suggestedTouchpoint: reachOut(ctx, 'call'),
    };
  },

  'book-meeting': (ctx) => {
    if (ctx.input.lead.stage !== 'sql') return null;
    if (ctx.touches.some((touch) => MEETINGS.includes(touch.type))) return null;
    const since = lastStageEntry(ctx, 'sql');
    return {
      reason: `Sales-qualified${since === null ? '' : ` ${formatAgo(ctx.atMs - since)}`} (score ${ctx.input.score}, grade ${ctx.input.grade}) with no meeting booked.`,
      priority: 2,
      suggestedTouchpoint: 'meeting_booked',
    };
  },

  reopen: (ctx) => {
    const { stage } = ctx.input.lead;
    if (!CLOSED_NEGATIVE.includes(stage)) return null;
    // Without the date the stage was set there is no telling old activity from renewed activity.
    const closedAt = lastStageEntry(ctx, stage);
    if (closedAt === null) return null;
    const renewed = ctx.touches.filter(
      (touch) =>
        touch.ms > closedAt &&
        touchpointDirection(touch.type) === 'inbound' &&
        // Opens fire on their own (mail privacy proxies); an unsubscribe is the opposite of interest.
        touch.type !== 'email_opened' &&
        touch.type !== 'unsubscribed',
    );
    const latest = renewed[renewed.length - 1];
    if (!latest) return null;
    const activity = renewed.length === 1 ? latest.type : `${renewed.length} touches, latest ${latest.type}`;
    return {
      reason: `Marked ${stage} ${formatAgo(ctx.atMs - closedAt)}; active again since (${activity}, ${formatAgo(ctx.atMs - latest.ms)}).`,
      priority: 2,
      suggestedTouchpoint: reachOut(ctx, 'call'),
    };
  },

  'qualify-bant': (ctx) => {
    if (ctx.input.lead.stage !== 'mql') return null;
    const bant = ctx.input.lead.bant ?? {};
    const unknown = BANT_QUESTIONS.filter(([key]) => bant[key] === null || bant[key] === undefined).map(
      ([, label]) => label,
    );
    if (unknown.length === 0) return null;
    return {
      reason: `Marketing-qualified (score ${ctx.input.score}); still unknown: ${joinWords(unknown)}.`,
      priority: 3,
      suggestedTouchpoint: reachOut(ctx, 'call'),
    };
  },

  're-engage': (ctx) => {
    if (!OPEN_STAGES.includes(ctx.input.lead.stage)) return null;
    const { engagement, peakEngagement } = ctx.input;
    if (peakEngagement < RE_ENGAGE_MIN_PEAK || engagement > peakEngagement / 2) return null;
    const last = ctx.touches.findLast((touch) => touch.type !== 'note');
    if (!last || ctx.atMs - last.ms < RE_ENGAGE_QUIET_MS) return null;
    return {
      reason: `Engagement ${engagement.toFixed(1)}, down from a peak of ${peakEngagement.toFixed(1)}; last touch ${formatAgo(ctx.atMs - last.ms)}.`,
      priority: 3,
      suggestedTouchpoint: reachOut(ctx, 'email'),
    };
  },

  'find-contact': (ctx) => {
    if (!OPEN_STAGES.includes(ctx.input.lead.stage)) return null;
    const email = emailState(ctx);
    const phone = has(ctx.input.lead.phone);
    const missing = [
      ...(email === 'missing'
        ? ['no e-mail address']
        : email === 'bounced'
          ? ['the e-mail address bounced']
          : []),
      ...(phone ? [] : ['no phone number']),
    ];
    if (missing.length === 0) return null;
    const sentence = joinWords(missing);
    return {
      reason: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`,
      // With neither there is no way to reach the lead at all.
      priority: missing.length === 2 ? 3 : 4,
      suggestedTouchpoint: null,
    };
  },

  recycle: (ctx) => {
    const { recycle } = ctx.input;
    if (!recycle || ctx.input.lead.stage !== 'sql' || ctx.input.score >= recycle.mqlThreshold) return null;
    const last = ctx.touches.findLast((touch) => touch.type !== 'note');
    const since = Math.max(last?.ms ?? ctx.createdAtMs, lastStageEntry(ctx, 'sql') ?? ctx.createdAtMs);
    if (ctx.atMs - since < recycle.afterDays * MS_PER_DAY) return null;
    return {
      reason: `Score ${ctx.input.score}, below the MQL threshold of ${recycle.mqlThreshold}; ${last ? `last touch ${formatAgo(ctx.atMs - last.ms)}` : 'never touched'}.`,
      priority: 3,
      suggestedTouchpoint: null,
    };
  },
};
