import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { selectLeads } from './lead-rows';
import { leads } from './schema';

let t: TestApp;
const ids: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  const full = {
    fullName: 'Åsa Öberg-Nilsson',
    title: 'VP Sales',
    company: 'Acme AB',
    companyDomain: 'acme.se',
    email: 'asa@acme.se',
    phone: '+46 70 123 45 67',
    country: 'SE',
    linkedinUrl: 'https://www.linkedin.com/in/asa-oberg',
    companySize: 250,
    bant: { budget: true, authority: false, need: null, timelineMonths: 3 },
    stage: 'opportunity',
    dealValue: 12_500.5,
    expectedCloseDate: '2027-02-15',
    source: {
      channel: 'linkedin',
      url: 'https://www.linkedin.com/in/asa-oberg',
      utm: { campaign: 'spring' },
    },
  };
  for (const body of [full, { fullName: 'Bare Minimum' }]) {
    const res = await t.post('/api/leads', body);
    expect(res.status, await res.clone().text()).toBe(201);
    ids.push(((await res.json()) as { id: string }).id);
  }
  await t.post(`/api/leads/${ids[0]}/touchpoints`, { type: 'email_replied' });
});
afterAll(() => t.close());

describe('selectLeads', () => {
  it('gives the rows drizzle gives, every column decoded alike (dates, booleans, nulls, numbers)', async () => {
    const expected = await t.db.select().from(leads).where(inArray(leads.id, ids)).orderBy(leads.id);
    expect(expected).toHaveLength(2);
    const rows = (await selectLeads(t.db, inArray(leads.id, ids))).sort((a, b) => a.id.localeCompare(b.id));
    expect(rows).toEqual(expected);
    expect(rows[0]!.createdAt).toBeInstanceOf(Date);
    expect(Object.keys(rows[0]!).sort()).toEqual(Object.keys(expected[0]!).sort());
  });

  it('reads inside a transaction what the transaction wrote, and takes a limit', async () => {
    await t.db
      .transaction(async (tx) => {
        await tx.update(leads).set({ title: 'Chief Revenue Officer' }).where(eq(leads.id, ids[0]!));
        const [row] = await selectLeads(tx, eq(leads.id, ids[0]!));
        expect(row?.title).toBe('Chief Revenue Officer');
        throw new Error('roll back');
      })
      .catch((error: Error) => expect(error.message).toBe('roll back'));
    const [row] = await selectLeads(t.db, eq(leads.id, ids[0]!));
    expect(row?.title).toBe('VP Sales');
    expect(await selectLeads(t.db, eq(leads.workspaceId, t.workspaceId), 1)).toHaveLength(1);
  });
});
