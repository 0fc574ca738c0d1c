import { z } from 'zod';

const reason = z.string().trim().min(1).max(100);

/** The workspace's settings the panel needs: its currency, the reasons a deal is won or lost, when a cold SQL is recycled. */
export const workspaceSettingsSchema = z
  .object({
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as EUR'),
    closeReasons: z
      .object({
        won: z.array(reason).max(30),
        lost: z.array(reason).max(30),
      })
      .strict(),
    /**
     * An SQL with no touch for this many days whose engagement fell below the MQL threshold is offered
     * back to nurture ("recycle"). Left out of a PUT: unchanged.
     */
    recycleAfterDays: z.number().int().min(1).max(365).optional(),
  })
  .strict()
  .meta({ id: 'WorkspaceSettings' });
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

/** What a workspace has until a manager sets its own. */
export const DEFAULT_WORKSPACE_SETTINGS: WorkspaceSettings = {
  currency: 'USD',
  recycleAfterDays: 30,
  closeReasons: {
    won: ['Best fit', 'Price', 'Relationship', 'Timing'],
    lost: ['Price', 'Chose a competitor', 'No budget', 'No decision', 'Bad timing'],
  },
};

/** The reason a rep picks when none of the workspace's list fits; free text follows it. */
export const OTHER_CLOSE_REASON = 'Other';
