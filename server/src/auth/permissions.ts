import { createMiddleware } from 'hono/factory';
import { ProblemException } from '../lib/problem';
import type { AppBindings, Principal } from '../lib/types';

/**
 * Who may change what: the one policy every handler asks (README, "Who may change what").
 *
 * - Managers and admins may do everything on every lead and manage webhooks and website forms; only admins manage
 *   tokens, read metrics and let a webhook reach loopback or private addresses.
 * - The team (Team page): managers and admins see it, change anyone's availability and the teams;
 *   only admins invite people, change roles and deactivate. A rep changes only their own
 *   availability (away until, time zone, working hours).
 * - Reps see the team's leads, or only their own when the workspace sets `repsSeeOnlyOwnLeads`.
 * - Reps log touchpoints on any lead they can see, and take back only the ones they logged; they
 *   manage that lead's tasks and enrol it in cadences too. Only managers and admins edit cadences
 *   and import leads from CSV files.
 * - Reps edit, close (won/lost), re-value, hand off and delete the leads they own, and none of that
 *   on a colleague's lead.
 * - An unowned lead is the team's queue: a rep may edit it and claim it (owner := themselves); closing
 *   it or setting its deal value needs the claim first (the same PATCH may carry both). Only managers
 *   and admins delete it or give it to someone else.
 */
export const ACTIONS = {
  'lead.read': 'read this lead',
  'lead.create': 'create this lead',
  'lead.edit': 'edit this lead',
  'lead.close': 'close or reopen this lead (won/lost)',
  'lead.set-deal-value': "change this lead's deal value",
  'lead.reassign': "change this lead's owner",
  'lead.delete': 'delete this lead',
  'touchpoint.log': 'log a touchpoint on this lead',
  'touchpoint.undo': 'take back a touchpoint a colleague logged',
  'task.manage': 'manage the tasks of this lead',
  'cadence.enrol': 'enrol this lead in a cadence, or pause, resume or remove its enrolment',
  'cadence.edit': 'create or change cadences',
  'settings.change': "change the workspace's settings",
  'scoring.change': 'change the scoring model',
  'tokens.manage': 'manage tokens',
  'metrics.read': "read the server's metrics",
  'webhooks.manage': "manage the workspace's webhooks",
  'webhooks.allow-private': 'let a webhook reach loopback or private addresses',
  'forms.manage': "manage the workspace's website forms",
  'team.read': 'see the team (people, tokens, availability, teams)',
  'people.manage': 'invite people, change their role or deactivate them',
  'availability.change': "change this person's availability",
  'teams.manage': 'change the teams',
  'routing.change': 'change the routing rules',
  'leads.import': 'import leads from a CSV file, or undo an import',
} as const;
export type Action = keyof typeof ACTIONS;

/** What the policy needs to know about a lead (or a touchpoint on it). */
export interface Subject {
  ownerId: string | null;
  /** For `lead.reassign` and `lead.create`: the owner asked for. */
  newOwnerId?: string | null;
  /** For `touchpoint.undo`: who logged it. */
  loggedBy?: string | null;
  /** For `availability.change`: whose availability. */
  personId?: string;
}

const ROLE_ONLY: Partial<Record<Action, readonly Principal['role'][]>> = {
  'settings.change': ['manager', 'admin'],
  'scoring.change': ['manager', 'admin'],
  'cadence.edit': ['manager', 'admin'],
  'tokens.manage': ['admin'],
  'metrics.read': ['admin'],
  'webhooks.manage': ['manager', 'admin'],
  'webhooks.allow-private': ['admin'],
  'forms.manage': ['manager', 'admin'],
  'team.read': ['manager', 'admin'],
  'people.manage': ['admin'],
  'teams.manage': ['manager', 'admin'],
  'routing.change': ['manager', 'admin'],
  'leads.import': ['manager', 'admin'],
};

/** Whether `principal` may do `action` (on `subject`, for the actions about a lead). */
export function can(principal: Principal, action: Action, subject?: Subject): boolean {
  const roles = ROLE_ONLY[action];
  if (roles) return roles.includes(principal.role);
  if (principal.role !== 'rep') return true;
  const me = principal.userId;
  if (action === 'lead.create') return subject?.newOwnerId == null || subject.newOwnerId === me;
  if (!subject) return false;
  if (action === 'availability.change') return subject.personId === me;
  const own = subject.ownerId === me;
  const visible = own || !principal.repsSeeOnlyOwnLeads;
  switch (action) {
    case 'lead.read':
    case 'touchpoint.log':
    // Reps work (tasks, cadences) every lead they may log a touchpoint on.
    case 'task.manage':
    case 'cadence.enrol':
      return visible;
    case 'touchpoint.undo':
      return visible && subject.loggedBy === me;
    case 'lead.edit':
      return own || (visible && subject.ownerId === null);
    case 'lead.reassign':
      // Their own lead to anyone (a hand-off); an unowned one only to themselves (a claim).
      return own || (visible && subject.ownerId === null && subject.newOwnerId === me);
    default:
      return own;
  }
}

/**
 * The owner a principal's lead reads are restricted to (a rep in a workspace that shows reps only
 * their own leads), or undefined for no restriction.
 */
export function readScope(principal: Principal): string | undefined {
  return principal.role === 'rep' && principal.repsSeeOnlyOwnLeads ? principal.userId : undefined;
}

/** Throws the 403 `forbidden` problem naming the action, unless `can` allows it. */
export function authorize(principal: Principal, action: Action, subject?: Subject): void {
  if (can(principal, action, subject)) return;
  const whose =
    subject && action.startsWith('lead.') && action !== 'lead.create'
      ? subject.ownerId === null
        ? ' (it has no owner: claim it first)'
        : ' (it belongs to someone else)'
      : '';
  throw new ProblemException(
    'forbidden',
    `A ${principal.role} may not ${ACTIONS[action]}${whose} [${action}]`,
    undefined,
    { action },
  );
}

/** Route middleware for the actions that depend on the role alone (settings, scoring, tokens). */
export const permit = (action: Action) =>
  createMiddleware<AppBindings>(async (c, next) => {
    authorize(c.var.principal, action);
    await next();
  });
