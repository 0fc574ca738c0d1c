import { MS_PER_DAY as DAY, type LeadStage, type SourceChannel, type TouchpointType } from '@leadline/shared';

import { COMPANIES, COUNTRIES, FIRST, INDUSTRIES, LAST, TITLES } from './names';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A small, seedable PRNG (mulberry32): the same seed gives the same team and history everywhere. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return {
    next,
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    /** A log-normal draw with the given median. */
    logNormal: (median: number, sigma: number) => median * Math.exp(sigma * normal()),
    weighted: <T>(items: readonly (readonly [T, number])[]) => {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [item, weight] of items) {
        roll -= weight;
        if (roll <= 0) return item;
      }
      return items[items.length - 1]![0];
    },
    /** 32 hex digits in UUID form, from this generator. */
    uuid: () => {
      let hex = '';
      for (let i = 0; i < 4; i++)
        hex += Math.floor(next() * 2 ** 32)
          .toString(16)
          .padStart(8, '0');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
    },
  };
}
export type Random = ReturnType<typeof createRandom>;

export interface DemoOptions {
  /** Same seed, same data. */
  seed?: number;
  leads?: number;
  /** Touchpoints in all (exactly); default about 9 per lead. */
  touchpoints?: number;
  /** How many months of history, ending at `now`. */
  months?: number;
  now?: Date;
}

export interface DemoUser {
  id: string;
  name: string;
  email: string;
  role: 'rep' | 'manager';
  /** This rep's typical minutes to a first touch. */
  speedMinutes: number;
}

export interface DemoStageChange {
  from: LeadStage | null;
  to: LeadStage;
  at: number;
}

export interface DemoLead {
  id: string;
  fullName: string;
  firstName: string;
  lastName: string;
  title: string;
  company: string;
  companyDomain: string;
  email: string;
  country: string;
  industry: string;
  companySize: number;
  sourceChannel: SourceChannel;
  sourceUrl: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  ownerId: string;
  stage: LeadStage;
  dealValue: number | null;
  createdAt: number;
  updatedAt: number;
  changes: DemoStageChange[];
  /** The last moment touches are spread until (closing, or now). */
  activeUntil: number;
  /** Never touched by a rep. */
  untouched: boolean;
}

export interface DemoCost {
  month: string;
  channel: SourceChannel;
  utmSource: string;
  utmCampaign: string;
  amount: number;
}

export interface DemoTouch {
  type: TouchpointType;
  occurredAt: number;
  userId: string | null;
  channel: SourceChannel | null;
}

const REPS: [string, number][] = [
  ['Ana Ortiz', 9],
  ['Ben Okafor', 35],
  ['Chloé Martin', 75],
  ['Dev Patel', 240],
  ['Emma Schulz', 20],
];
const MANAGER = 'Morgan Lee';

interface ChannelPlan {
  channel: SourceChannel;
  weight: number;
  /** [utm_source, utm_medium, utm_campaign, weight]; an empty list means no UTM tags. */
  campaigns: [string, string, string, number][];
  mql: number;
  dealMedian: number;
}

const CHANNELS: ChannelPlan[] = [
  {
    channel: 'linkedin',
    weight: 30,
    campaigns: [
      ['linkedin', 'paid-social', 'cfo-outreach', 3],
      ['linkedin', 'paid-social', 'series-a-founders', 2],
      ['linkedin', 'organic', 'thought-leadership', 2],
    ],
    mql: 0.34,
    dealMedian: 14_000,
  },
  {
    channel: 'email',
    weight: 18,
    campaigns: [
      ['newsletter', 'email', 'product-update', 3],
      ['newsletter', 'email', 'spring-webinar', 2],
    ],
    mql: 0.26,
    dealMedian: 9_000,
  },
  {
    channel: 'web',
    weight: 26,
    campaigns: [
      ['google', 'cpc', 'brand-search', 3],
      ['google', 'cpc', 'competitor-search', 2],
      ['', '', '', 4],
    ],
    mql: 0.4,
    dealMedian: 11_000,
  },
  { channel: 'referral', weight: 9, campaigns: [], mql: 0.62, dealMedian: 22_000 },
  {
    channel: 'event',
    weight: 9,
    campaigns: [
      ['saastr', 'event', 'saastr-europa', 1],
      ['webinar', 'event', 'revops-roundtable', 1],
    ],
    mql: 0.45,
    dealMedian: 18_000,
  },
  { channel: 'import', weight: 5, campaigns: [], mql: 0.12, dealMedian: 8_000 },
  { channel: 'manual', weight: 3, campaigns: [], mql: 0.3, dealMedian: 12_000 },
];

/** Chance of moving on from each stage, and the median days it takes. */
const NEXT: Record<string, { p: number; days: number }> = {
  mql: { p: 1, days: 4 },
  sql: { p: 0.52, days: 6 },
  opportunity: { p: 0.58, days: 9 },
  close: { p: 1, days: 30 },
};
const WIN_RATE = 0.34;

const dayKey = (ms: number) => new Date(ms).toISOString().slice(0, 7);

export interface DemoPlan {
  users: DemoUser[];
  leads: DemoLead[];
  costs: DemoCost[];
  touchCounts: number[];
}

/**
 * A team of five reps and a manager and a year of leads across channels and UTM campaigns, with
 * stage histories at realistic conversion rates, deal values, won and lost deals, and monthly costs.
 * Touchpoints are drawn per lead by `touchesFor` (they are many), `touchCounts[i]` for lead i.
 */
export function createDemoPlan(options: DemoOptions = {}): DemoPlan {
  const seed = options.seed ?? 7;
  const random = createRandom(seed);
  const now = (options.now ?? new Date()).getTime();
  const months = options.months ?? 12;
  const leadCount = options.leads ?? 3000;
  const start = now - months * 30.4 * DAY;

  const users: DemoUser[] = [
    ...REPS.map(([name, speedMinutes]) => ({
      id: random.uuid(),
      name,
      email: `${name.split(' ')[0]!.toLowerCase().replace('é', 'e')}@demo.leadline.dev`,
      role: 'rep' as const,
      speedMinutes,
    })),
    {
      id: random.uuid(),
      name: MANAGER,
      email: 'morgan@demo.leadline.dev',
      role: 'manager',
      speedMinutes: 60,
    },
  ];
  const owners = users.map((user, i) => [user, i < REPS.length ? 10 : 1] as const);

  const leads: DemoLead[] = [];
  for (let i = 0; i < leadCount; i++) {
    // Lead flow grows over the year: density 0.6 + 0.8x, later months get about twice the leads.
    const position = random.chance(0.6) ? random.next() : Math.sqrt(random.next());
    const createdAt = Math.floor(start + Math.min(position, 0.9999) * (now - start - HOUR));
    const plan = random.weighted(CHANNELS.map((c) => [c, c.weight] as const));
    const campaign = plan.campaigns.length
      ? random.weighted(plan.campaigns.map((c) => [c, c[3]] as const))
      : null;
    const owner = random.weighted(owners);
    const firstName = random.pick(FIRST);
    const lastName = random.pick(LAST);
    const company = random.pick(COMPANIES);
    const companyDomain = `${company.toLowerCase().replace(/[^a-z]+/g, '')}.example`;

    const changes: DemoStageChange[] = [{ from: null, to: 'new', at: createdAt }];
    let stage = 'new' as LeadStage;
    let at = createdAt;
    let dealValue: number | null = null;
    const advance = (to: LeadStage, days: number) => {
      const next = at + Math.max(HOUR, random.logNormal(days * DAY, 0.7));
      if (next > now) return false;
      changes.push({ from: stage, to, at: next });
      stage = to;
      at = next;
      return true;
    };
    let moving = random.chance(plan.mql) && advance('mql', NEXT.mql!.days);
    for (const next of ['sql', 'opportunity'] as const) {
      if (!moving) break;
      moving = random.chance(NEXT[next]!.p) && advance(next, NEXT[next]!.days);
      if (moving && next === 'sql') {
        dealValue = Math.round(random.logNormal(plan.dealMedian, 0.55) / 50) * 50;
      }
    }
    if (moving && stage === 'opportunity') {
      advance(random.chance(WIN_RATE) ? 'won' : 'lost', NEXT.close!.days);
    } else if (stage !== 'opportunity' && random.chance(0.25)) {
      advance(stage === 'new' ? 'disqualified' : 'nurture', 12);
    }
    const closed = stage === 'won' || stage === 'lost';
    leads.push({
      id: random.uuid(),
      fullName: `${firstName} ${lastName}`,
      firstName,
      lastName,
      title: random.pick(TITLES),
      company,
      companyDomain,
      email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}${i}@${companyDomain}`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, ''),
      country: random.pick(COUNTRIES),
      industry: random.pick(INDUSTRIES),
      companySize: Math.round(random.logNormal(120, 1.3)) + 1,
      sourceChannel: plan.channel,
      sourceUrl: campaign?.[0]
        ? `https://www.demo.leadline.dev/?utm_source=${campaign[0]}&utm_campaign=${campaign[2]}`
        : null,
      utmSource: campaign?.[0] || null,
      utmMedium: campaign?.[1] || null,
      utmCampaign: campaign?.[2] || null,
      ownerId: owner.id,
      stage,
      dealValue,
      createdAt,
      updatedAt: at,
      changes,
      activeUntil: closed ? at : Math.min(now, Math.max(at, createdAt) + 45 * DAY),
      untouched: stage === 'new' && random.chance(0.18),
    });
  }

  // Leads arrive in time order, as they do in a live workspace (and so the file is laid out like one).
  leads.sort((a, b) => a.createdAt - b.createdAt);

  // Touch counts grow with how far a lead got; they are scaled to the requested total exactly.
  const depth: Record<string, number> = {
    new: 1,
    disqualified: 1,
    mql: 2,
    nurture: 2,
    sql: 3.5,
    lost: 4,
    opportunity: 5,
    won: 6,
  };
  const weights = leads.map((lead) => (lead.untouched ? 0 : depth[lead.stage]!));
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const target = options.touchpoints ?? Math.round(leadCount * 9);
  const touchCounts = weights.map((w) => Math.floor((target * w) / (totalWeight || 1)));
  let left = target - touchCounts.reduce((sum, n) => sum + n, 0);
  for (let i = 0; left > 0 && totalWeight > 0; i = (i + 1) % leads.length) {
    if (weights[i]! > 0) {
      touchCounts[i]! += 1;
      left -= 1;
    }
  }

  const costs: DemoCost[] = [];
  const monthKeys = new Set<string>();
  for (let ms = start; ms <= now + DAY; ms += 27 * DAY) monthKeys.add(dayKey(ms));
  monthKeys.add(dayKey(now));
  const scale = leadCount / 3000;
  const money = (value: number) => Math.round(value * scale * 100) / 100;
  for (const month of [...monthKeys].sort()) {
    costs.push({
      month,
      channel: 'linkedin',
      utmSource: 'linkedin',
      utmCampaign: 'cfo-outreach',
      amount: money(random.logNormal(2600, 0.15)),
    });
    costs.push({
      month,
      channel: 'linkedin',
      utmSource: 'linkedin',
      utmCampaign: 'series-a-founders',
      amount: money(random.logNormal(1900, 0.15)),
    });
    costs.push({
      month,
      channel: 'web',
      utmSource: 'google',
      utmCampaign: 'brand-search',
      amount: money(random.logNormal(1400, 0.2)),
    });
    costs.push({
      month,
      channel: 'web',
      utmSource: 'google',
      utmCampaign: 'competitor-search',
      amount: money(random.logNormal(2200, 0.2)),
    });
    costs.push({ month, channel: 'email', utmSource: '', utmCampaign: '', amount: money(350) });
    if (month.endsWith('-05') || month.endsWith('-10')) {
      costs.push({
        month,
        channel: 'event',
        utmSource: 'saastr',
        utmCampaign: 'saastr-europa',
        amount: money(9500),
      });
    }
    costs.push({
      month,
      channel: 'event',
      utmSource: 'webinar',
      utmCampaign: 'revops-roundtable',
      amount: money(400),
    });
  }
  return { users, leads, costs, touchCounts };
}
