import type { LeadAuditEntry } from '@leadline/shared';
import { describe, expect, it } from 'vitest';
import { auditLabel } from './audit-label';

const users = new Map([
  ['u-rita', 'Rita'],
  ['u-max', 'Max'],
]);
const entry = (overrides: Partial<LeadAuditEntry>): LeadAuditEntry => ({
  id: 'a1',
  field: 'title',
  before: 'Sales Manager',
  after: 'VP Sales',
  cause: 'rep',
  userId: 'u-rita',
  at: '2025-01-02T10:00:00.000Z',
  ...overrides,
});

describe('auditLabel', () => {
  it('says what changed, from what to what, and who did it', () => {
    expect(auditLabel(entry({}), users)).toBe('Title: Sales Manager → VP Sales, by Rita');
    expect(
      auditLabel(entry({ field: 'ownerId', before: 'u-rita', after: 'u-max', userId: 'u-max' }), users),
    ).toBe('Owner: Rita → Max, by Max');
    expect(auditLabel(entry({ field: 'bant.budget', before: null, after: true }), users)).toBe(
      'Budget: — → yes, by Rita',
    );
    expect(
      auditLabel(
        entry({ field: 'ownerId', before: 'u-rita', after: 'u-max', cause: 'sla', userId: null }),
        users,
      ),
    ).toBe('Owner: Rita → Max, after a missed SLA');
  });

  it('leaves stage moves and first values to the rest of the timeline', () => {
    expect(auditLabel(entry({ field: 'stage', before: 'new', after: 'won' }), users)).toBeNull();
    expect(auditLabel(entry({ cause: 'created', before: null }), users)).toBeNull();
  });
});
