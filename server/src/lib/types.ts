import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { UserRole } from '@leadline/shared';
import type { Database } from '../db/client';
import type { EventHub } from '../events/hub';

export interface Principal {
  userId: string;
  workspaceId: string;
  role: UserRole;
  tokenId: string;
  /** The workspace shows reps only the leads they own (a workspace setting). */
  repsSeeOnlyOwnLeads: boolean;
}

/** Who made a change: a person's principal, or a process of the server itself (`userId` null). */
export interface Actor {
  workspaceId: string;
  userId: string | null;
}

export interface AppBindings {
  Variables: {
    db: Database;
    principal: Principal;
    /** The process's one reader of the event log, which every event stream listens to. */
    events: EventHub;
  };
}

export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>;
