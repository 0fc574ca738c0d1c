import type { ScoringModel } from './model';

/**
 * The model a fresh install scores with: exactly the document in SCORING.md (a test compares them).
 * Frozen all the way down, because it is shared by every caller and a mutation would change every
 * lead's score silently.
 *
 * @example
 * DEFAULT_SCORING_MODEL.thresholds.mql;               // 50
 * DEFAULT_SCORING_MODEL.touchpointPoints.demo_requested; // 40
 */
export const DEFAULT_SCORING_MODEL: ScoringModel = deepFreeze({
  halfLifeDays: 30,
  engagementCurve: { kind: 'saturating', halfAt: 50 },
  weights: { fit: 0.5, engagement: 0.5 },
  thresholds: { mql: 50, sql: 75, sqlMinGrade: 'B' },
  touchpointPoints: {
    page_visit: 2,
    email_opened: 1,
    email_clicked: 4,
    email_sent: 0,
    email_replied: 15,
    linkedin_connect_sent: 0,
    linkedin_connected: 5,
    linkedin_message_replied: 12,
    call_attempted: 0,
    call_connected: 10,
    meeting_booked: 25,
    meeting_held: 30,
    content_downloaded: 10,
    form_submitted: 20,
    demo_requested: 40,
    unsubscribed: -20,
    bounced: -10,
    note: 0,
  },
  fitRules: [
    {
      id: 'senior-title',
      field: 'title',
      op: 'containsAny',
      values: ['chief', 'ceo', 'cto', 'cfo', 'coo', 'cmo', 'vp', 'vice president', 'head', 'director'],
      points: 30,
    },
    { id: 'manager-title', field: 'title', op: 'containsAny', values: ['manager', 'lead'], points: 15 },
    { id: 'business-email', field: 'email', op: 'businessEmail', points: 15 },
    { id: 'has-phone', field: 'phone', op: 'exists', points: 5 },
    { id: 'mid-market', field: 'companySize', op: 'between', min: 50, max: 5000, points: 20 },
    { id: 'bant-budget', field: 'bant.budget', op: 'equals', value: true, points: 10 },
    { id: 'bant-authority', field: 'bant.authority', op: 'equals', value: true, points: 10 },
    { id: 'bant-need', field: 'bant.need', op: 'equals', value: true, points: 10 },
    { id: 'bant-timeline', field: 'bant.timelineMonths', op: 'lte', value: 6, points: 10 },
  ],
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
