import { type ConditionLead, matchesAll } from '../rules/conditions';
import { isWorkingTime, type WorkCalendar } from '../working-time/calendar';
import type {
  Candidate,
  LeadOrigin,
  RoutingAction,
  RoutingDocument,
  RoutingRule,
  RoutingTrace,
  SkipReason,
} from './document';

/** A person as routing sees them at the moment of a decision. */
export interface RoutingPerson {
  id: string;
  name: string;
  deactivated: boolean;
  awayUntil: Date | null;
  calendar: WorkCalendar;
  openLeads: number;
  /** Leads given to them since the start of their day (in their zone). */
  assignedToday: number;
}

export interface RoutingTeamMember {
  userId: string;
  weight: number;
  capPerDay: number | null;
  capOpen: number | null;
}

export interface RoutingTeam {
  id: string;
  name: string;
  managerId: string | null;
  members: RoutingTeamMember[];
}

/** What a decision reads besides the lead: counted in the deciding transaction, never cached. */
export interface RoutingState {
  people: ReadonlyMap<string, RoutingPerson>;
  teams: ReadonlyMap<string, RoutingTeam>;
  /** Per team and member: leads the team's round robin gave them over the last 30 days, and when last. */
  history: ReadonlyMap<string, ReadonlyMap<string, { count: number; lastAt: number | null }>>;
  /** The active owner of another lead of the same account, if any. */
  accountOwnerId: string | null;
}

export interface RoutingRequest {
  origin: LeadOrigin;
  /** Who created the lead (the capturer, for a panel capture). */
  creatorId: string;
  /** People who must not get it (the previous owner, when an SLA breach reassigns it). */
  exclude?: readonly string[];
}

const STRATEGY_WORDS = {
  round_robin: 'round robin (furthest below their share)',
  least_open: 'fewest open leads',
  person: 'named rep',
  queue: 'unassigned queue',
} as const;

function skipOf(
  person: RoutingPerson | undefined,
  request: RoutingRequest,
  now: Date,
  respectHours: boolean,
  member?: RoutingTeamMember,
): SkipReason | null {
  if (!person || person.deactivated) return 'deactivated';
  if (request.exclude?.includes(person.id)) return 'excluded';
  if (person.awayUntil && person.awayUntil > now) return 'away';
  if (respectHours && !isWorkingTime(person.calendar, now)) return 'outside_hours';
  if (member?.capPerDay != null && person.assignedToday >= member.capPerDay) return 'cap_per_day';
  if (member?.capOpen != null && person.openLeads >= member.capOpen) return 'cap_open';
  return null;
}

interface Placement {
  /** Undefined when nobody is left (every candidate skipped). */
  ownerId: string | null | undefined;
  strategy: RoutingTrace['strategy'];
  teamId: string | null;
  candidates: Candidate[];
}

/** Where one action puts the lead, with every candidate and why each was skipped. */
function place(
  action: RoutingAction,
  state: RoutingState,
  request: RoutingRequest,
  now: Date,
  respectHours: boolean,
): Placement {
  if (action.type === 'queue') return { ownerId: null, strategy: 'queue', teamId: null, candidates: [] };
  if (action.type === 'person') {
    const person = state.people.get(action.userId);
    const skipped = skipOf(person, request, now, respectHours);
    const candidates = [{ userId: action.userId, skipped }];
    return { ownerId: skipped ? undefined : action.userId, strategy: 'person', teamId: null, candidates };
  }
  const team = state.teams.get(action.teamId);
  if (!team) return { ownerId: undefined, strategy: action.strategy, teamId: action.teamId, candidates: [] };
  const history = state.history.get(team.id);
  const rows = team.members.map((member) => {
    const person = state.people.get(member.userId);
    const seen = history?.get(member.userId);
    return {
      member,
      person,
      count: seen?.count ?? 0,
      lastAt: seen?.lastAt ?? null,
      skipped: skipOf(person, request, now, respectHours, member),
    };
  });
  const eligible = rows.filter((row) => !row.skipped);
  const totalWeight = eligible.reduce((sum, row) => sum + row.member.weight, 0);
  // With this lead, the eligible members' total; each one's share of it by weight.
  const total = eligible.reduce((sum, row) => sum + row.count, 0) + 1;
  const shareOf = (weight: number) => (totalWeight > 0 ? (weight / totalWeight) * total : 0);
  const byLongestWait = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
    (a.lastAt ?? -1) - (b.lastAt ?? -1) || (a.member.userId < b.member.userId ? -1 : 1);
  const ordered =
    action.strategy === 'least_open'
      ? [...eligible].sort((a, b) => a.person!.openLeads - b.person!.openLeads || byLongestWait(a, b))
      : [...eligible].sort(
          (a, b) =>
            shareOf(b.member.weight) - b.count - (shareOf(a.member.weight) - a.count) || byLongestWait(a, b),
        );
  const candidates: Candidate[] = rows.map((row) => ({
    userId: row.member.userId,
    skipped: row.skipped,
    weight: row.member.weight,
    assigned30d: row.count,
    ...(row.skipped ? {} : { share: Math.round(shareOf(row.member.weight) * 100) / 100 }),
    openLeads: row.person?.openLeads ?? 0,
    assignedToday: row.person?.assignedToday ?? 0,
  }));
  const winner = ordered[0];
  return { ownerId: winner?.member.userId, strategy: action.strategy, teamId: team.id, candidates };
}

/**
 * Who gets a lead, and why: the capturer of a panel capture (when switched on), the owner of its
 * account (when switched on), the first rule whose conditions hold and that finds someone, then the
 * fallback; a fallback that finds nobody leaves it in the unassigned queue, never lost. Pure: the
 * caller reads the state in the transaction that writes the outcome.
 */
export function decideRouting(
  document: RoutingDocument,
  version: number,
  lead: ConditionLead,
  request: RoutingRequest,
  state: RoutingState,
  now: Date,
): RoutingTrace {
  const base = { version, passed: [] as RoutingTrace['passed'], candidates: [] as Candidate[] };
  const usable = (id: string | null) => !!id && !skipOf(state.people.get(id), request, now, false);
  if (document.capturerKeeps && request.origin === 'panel') {
    const person = state.people.get(request.creatorId);
    if (person && !person.deactivated && !request.exclude?.includes(person.id)) {
      return {
        ...base,
        via: 'capturer',
        ruleId: null,
        ruleName: null,
        strategy: null,
        teamId: null,
        ownerId: person.id,
        summary: 'captured it in the side panel',
      };
    }
  }
  if (document.accountOwnershipFirst && usable(state.accountOwnerId)) {
    return {
      ...base,
      via: 'account',
      ruleId: null,
      ruleName: null,
      strategy: null,
      teamId: null,
      ownerId: state.accountOwnerId,
      candidates: [{ userId: state.accountOwnerId!, skipped: null }],
      summary: 'owns the account (another lead of this company is theirs)',
    };
  }
  for (const rule of document.rules) {
    if (!matchesAll(lead, rule.when)) {
      base.passed.push({ ruleId: rule.id, reason: 'no_match' });
      continue;
    }
    const placed = place(rule.action, state, request, now, rule.respectWorkingHours);
    if (placed.ownerId === undefined) {
      base.passed.push({ ruleId: rule.id, reason: 'nobody_left', candidates: placed.candidates });
      continue;
    }
    return {
      ...base,
      ...placed,
      ownerId: placed.ownerId,
      via: 'rule',
      ruleId: rule.id,
      ruleName: rule.name,
      summary: summaryOf(rule, placed),
      // An SLA binds an owner: a lead the rule leaves in the queue has nobody to breach it.
      ...(rule.sla && placed.ownerId ? { sla: rule.sla } : {}),
    };
  }
  const tried = place(document.fallback, state, request, now, false);
  // A fallback that finds nobody leaves the lead in the queue: never unowned by accident, never lost.
  const placed =
    tried.ownerId === undefined
      ? { ownerId: null, strategy: 'queue' as const, teamId: null, candidates: tried.candidates }
      : { ...tried, ownerId: tried.ownerId };
  return {
    ...base,
    ...placed,
    via: 'fallback',
    ruleId: null,
    ruleName: null,
    summary: `no rule placed it: fallback, ${STRATEGY_WORDS[placed.strategy ?? 'queue']}`,
  };
}

function summaryOf(rule: RoutingRule, placed: Placement): string {
  return `${rule.name}, ${STRATEGY_WORDS[placed.strategy ?? 'queue']}`;
}

/** The names of the people and teams a routing document refers to, by path, for its 422. */
export function referencesOf(
  document: RoutingDocument,
): { path: (string | number)[]; kind: 'person' | 'team'; id: string }[] {
  const refs: { path: (string | number)[]; kind: 'person' | 'team'; id: string }[] = [];
  const add = (action: RoutingAction, path: (string | number)[]) => {
    if (action.type === 'person') refs.push({ path: [...path, 'userId'], kind: 'person', id: action.userId });
    if (action.type === 'team') refs.push({ path: [...path, 'teamId'], kind: 'team', id: action.teamId });
  };
  for (const [i, rule] of document.rules.entries()) add(rule.action, ['rules', i, 'action']);
  add(document.fallback, ['fallback']);
  return refs;
}
