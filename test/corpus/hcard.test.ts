import { describe, expect, it } from 'vitest';
import { checkHCards } from './hcard-agreement';

describe('h-card corpus (microformats/tests, CC0)', () => {
  const results = checkHCards();

  it('covers all 15 pages with an expected parse', () => {
    expect(new Set(results.map((r) => r.page)).size).toBe(15);
    expect(results.length).toBeGreaterThanOrEqual(15);
  });

  it('agrees with every card on name, e-mail, tel, org and job-title wherever the card has them', () => {
    const disagreements = results.flatMap((r) =>
      r.checks.filter((c) => !c.ok).map((c) => ({ page: r.page, ...c })),
    );
    expect(disagreements).toEqual([]);
  });

  it('compared organisations where cards state them', () => {
    const orgs = results.flatMap((r) => r.checks.filter((c) => c.property === 'org'));
    expect(orgs.length).toBeGreaterThanOrEqual(4);
    expect(orgs.map((c) => c.actual)).toContain('Mozilla Foundation');
  });
});
