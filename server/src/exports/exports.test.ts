import { LEAD_EXPORT_COLUMNS, type Lead } from '@leadline/shared';
import { parse } from 'csv-parse/sync';
import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../db/ids';
import { leads } from '../db/schema';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function createLead(body: Record<string, unknown>, token?: string): Promise<Lead> {
  const res = await t.request('POST', '/api/leads', { body, token });
  expect(res.status).toBe(201);
  return (await res.json()) as Lead;
}

async function csv(query: string, token?: string) {
  const res = await t.get(`/api/exports/leads.csv${query}`, token);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="leadline-leads-/);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(bytes, { bom: true }) as string[][];
}

const HOSTILE = '=HYPERLINK("https://evil.example","click")';

describe('leads CSV export', () => {
  it('streams the filtered list with the chosen columns and the live score, escaped for spreadsheets', async () => {
    const ada = await createLead({
      fullName: 'Ada Lovelace',
      email: 'ada@analytical.example',
      title: HOSTILE,
      company: 'Analytical, "Engines" Ltd\nLondon',
      companySize: 120,
    });
    await t.post(`/api/leads/${ada.id}/touchpoints`, { type: 'meeting_held' });
    const grace = await createLead({ fullName: 'Grace Hopper', email: 'grace@navy.example' });
    await t.patch(`/api/leads/${grace.id}`, { stage: 'sql' });

    const rows = await csv('?columns=fullName,title,company,score,stage,ownerName&stage=new');
    expect(rows[0]).toEqual(['fullName', 'title', 'company', 'score', 'stage', 'ownerName']);
    expect(rows).toHaveLength(2);
    const scored = (await (await t.get(`/api/leads/${ada.id}`)).json()) as Lead;
    expect(rows[1]).toEqual([
      'Ada Lovelace',
      `'${HOSTILE}`,
      'Analytical, "Engines" Ltd\nLondon',
      String(scored.score),
      'new',
      'Admin',
    ]);
    expect(scored.score).toBeGreaterThan(0);

    // Every column by default; the text filter as on the list.
    const all = await csv('?q=grace');
    expect(all[0]).toContain('utmCampaign');
    expect(all.slice(1).map((row) => row[all[0]!.indexOf('email')])).toEqual(['grace@navy.example']);
  });

  it('walks a list longer than one page in id order, each lead once', async () => {
    const now = new Date();
    const ids = Array.from({ length: 2345 }, () => newId());
    await t.db.transaction(async (tx) => {
      for (let i = 0; i < ids.length; i += 500) {
        await tx.insert(leads).values(
          ids.slice(i, i + 500).map((id, j) => ({
            id,
            workspaceId: t.workspaceId,
            fullName: `Bulk Lead ${i + j}`,
            sourceChannel: 'import' as const,
            stage: 'new' as const,
            createdAt: now,
            updatedAt: now,
          })),
        );
      }
    });
    const rows = await csv('?columns=id&channel=import');
    expect(rows.slice(1).map(([id]) => id)).toEqual([...ids].sort());
  });

  it('holds every cell equal to the wire lead, the score as of `at` with a touchpoint come due folded in', async () => {
    const full = await createLead({
      fullName: 'Full Field',
      firstName: 'Full',
      lastName: 'Field',
      title: 'VP Sales',
      company: 'Fields Inc',
      companyDomain: 'fields.example',
      email: 'full@fields.example',
      phone: '+49 30 1234567',
      location: 'Berlin',
      country: 'DE',
      linkedinUrl: 'https://www.linkedin.com/in/full-field',
      website: 'https://fields.example',
      industry: 'Software',
      companySize: 250,
      bant: { budget: true, authority: false, need: true, timelineMonths: 6 },
      stage: 'sql',
      dealValue: 12500.5,
      expectedCloseDate: '2031-03-01',
      closeReason: 'Price',
      source: {
        channel: 'web',
        url: 'https://fields.example/pricing',
        utm: { source: 'news', medium: 'email', campaign: 'spring', term: 'crm', content: 'banner' },
      },
    });
    await t.post(`/api/leads/${full.id}/touchpoints`, { type: 'meeting_held' });
    const sparse = await createLead({ fullName: 'Sparse Lead' });
    const ahead = new Date(Date.now() + 10 * 60_000);
    const logged = await t.post(`/api/leads/${sparse.id}/touchpoints`, {
      type: 'meeting_held',
      occurredAt: ahead.toISOString(),
    });
    expect(logged.status).toBe(201);
    const at = new Date(ahead.getTime() + 60_000).toISOString();

    const rows = await csv(`?at=${encodeURIComponent(at)}`);
    const header = rows[0]!;
    expect(header).toEqual([...LEAD_EXPORT_COLUMNS]);
    expect(rows).toHaveLength(3);
    const owner = (await (await t.get('/api/me')).json()) as { user: { name: string } };
    for (const lead of [full, sparse]) {
      const wire = (await (await t.get(`/api/leads/${lead.id}`)).json()) as Lead;
      const scored = (await (
        await t.get(`/api/leads/${lead.id}/score?at=${encodeURIComponent(at)}`)
      ).json()) as {
        score: number;
        engagement: number;
        grade: string;
      };
      const expected: Record<string, unknown> = {
        ...wire,
        ...(wire.bant && {
          bantBudget: wire.bant.budget,
          bantAuthority: wire.bant.authority,
          bantNeed: wire.bant.need,
          bantTimelineMonths: wire.bant.timelineMonths,
        }),
        sourceChannel: wire.source.channel,
        sourceUrl: wire.source.url,
        utmSource: wire.source.utm.source,
        utmMedium: wire.source.utm.medium,
        utmCampaign: wire.source.utm.campaign,
        utmTerm: wire.source.utm.term,
        utmContent: wire.source.utm.content,
        ownerName: owner.user.name,
        score: scored.score,
        engagement: scored.engagement,
        grade: scored.grade,
      };
      const row = rows.find((cells) => cells[0] === lead.id)!;
      // As a spreadsheet-safe CSV writes it: nothing for null, and a text that would start a
      // formula (an E.164 phone's "+" too) behind an apostrophe.
      const cell = (value: unknown) =>
        value === null || value === undefined ? '' : String(value).replace(/^[=+\-@\t\r]/, "'$&");
      expect(Object.fromEntries(header.map((name, i) => [name, row[i]]))).toEqual(
        Object.fromEntries(header.map((name) => [name, cell(expected[name])])),
      );
    }
    const sparseRow = rows.find((cells) => cells[0] === sparse.id)!;
    // The touchpoint logged ahead of time counts at `at`, as the score endpoint counts it.
    expect(Number(sparseRow[header.indexOf('engagement')])).toBeGreaterThan(0);
    const fullRow = rows.find((cells) => cells[0] === full.id)!;
    expect(fullRow[header.indexOf('bantAuthority')]).toBe('false');
    expect(fullRow[header.indexOf('lastTouchAt')]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('stops reading when the client goes away mid-export, and serves the next request', async () => {
    const now = new Date();
    await t.db.insert(leads).values(
      Array.from({ length: 2500 }, (_, i) => ({
        id: newId(),
        workspaceId: t.workspaceId,
        fullName: `Gone Lead ${i}`,
        sourceChannel: 'import' as const,
        stage: 'new' as const,
        createdAt: now,
        updatedAt: now,
      })),
    );
    const res = await t.get('/api/exports/leads.csv?columns=id,fullName,score');
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await reader.cancel();
    const again = await csv('?columns=id');
    expect(again).toHaveLength(2501);
  });

  it('gives a rep who sees only their own leads only those, and names an unknown column', async () => {
    const rep = (await (await t.post('/api/tokens', { name: 'Rita Rep' })).json()) as {
      token: string;
      userId: string;
    };
    await createLead({ fullName: 'Admin Lead' });
    await createLead({ fullName: 'Rep Lead' }, rep.token);
    expect(
      (await t.request('PUT', '/api/settings/lead-visibility', { body: { repsSeeOnlyOwnLeads: true } }))
        .status,
    ).toBe(200);
    const rows = await csv('?columns=fullName', rep.token);
    expect(rows.slice(1)).toEqual([['Rep Lead']]);

    const bad = await t.get('/api/exports/leads.csv?columns=fullName,password');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await bad.json()) as { detail: string; issues: { path: string[] }[] };
    expect(problem.issues[0]!.path).toEqual(['columns']);
    expect(problem.detail).toContain('"password"');
  });
});

describe('vCard export', () => {
  it('writes a vCard 4.0 an independent parser reads back field for field', async () => {
    const lead = await createLead({
      firstName: 'José',
      lastName: 'Núñez; Jr.',
      email: 'jose@empresa.example',
      phone: '+34 612 345 678',
      title: `Director de Ventas, ${'Región Sur '.repeat(8)}`.trim(),
      company: 'Empresa, S.L.',
      website: 'https://empresa.example',
      linkedinUrl: 'https://www.linkedin.com/in/jose-nunez',
      country: 'ES',
    });
    const res = await t.get(`/api/leads/${lead.id}/vcard`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/vcard; charset=utf-8');
    const text = await res.text();
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const card = new ICAL.Component(ICAL.parse(text) as unknown[]);
    expect(card.getFirstPropertyValue('version')).toBe('4.0');
    expect(card.getFirstPropertyValue('fn')).toBe(lead.fullName);
    expect(card.getFirstPropertyValue('n')).toEqual(['Núñez; Jr.', 'José', '', '', '']);
    expect(card.getFirstPropertyValue('org')).toBe('Empresa, S.L.');
    expect(card.getFirstPropertyValue('title')).toBe(lead.title);
    expect(card.getFirstPropertyValue('email')).toBe('jose@empresa.example');
    expect(card.getFirstPropertyValue('tel')).toBe(`tel:${lead.phone!.replace(/[^\d+]/g, '')}`);
    expect(card.getFirstPropertyValue('uid')).toBe(`urn:uuid:${lead.id}`);
    expect(card.getFirstPropertyValue('socialprofile')).toBe('https://www.linkedin.com/in/jose-nunez');
  });

  it('writes many leads one card after another, and 404s an unknown lead', async () => {
    await createLead({ fullName: 'One Card' });
    await createLead({ fullName: 'Two Card' });
    const res = await t.get('/api/exports/leads.vcf');
    expect(res.status).toBe(200);
    const text = await res.text();
    const cards = text.split('BEGIN:VCARD').slice(1);
    expect(cards).toHaveLength(2);
    const names = cards.map((card) =>
      new ICAL.Component(ICAL.parse(`BEGIN:VCARD${card}`) as unknown[]).getFirstPropertyValue('fn'),
    );
    expect(names.sort()).toEqual(['One Card', 'Two Card']);
    expect((await t.get('/api/leads/nope/vcard')).status).toBe(404);
  });
});

describe('per-lead export', () => {
  it('holds the lead, its touchpoints, stage changes, audit trail, assignments and follow-ups', async () => {
    const lead = await createLead({ fullName: 'Gdpr Person', email: 'gdpr@person.example' });
    await t.post(`/api/leads/${lead.id}/touchpoints`, {
      type: 'call_connected',
      note: 'Asked for their data',
    });
    await t.patch(`/api/leads/${lead.id}`, { title: 'CTO' });
    const task = await t.post('/api/tasks', {
      leadId: lead.id,
      type: 'call',
      note: 'Call them back',
      dueInDays: 3,
    });
    expect(task.status).toBe(201);
    const me = (await (await t.get('/api/me')).json()) as { user: { id: string } };
    const colleague = (await (await t.post('/api/tokens', { name: 'Ada Owner' })).json()) as {
      userId: string;
    };
    expect((await t.patch(`/api/leads/${lead.id}`, { ownerId: colleague.userId })).status).toBe(200);
    const res = await t.get(`/api/leads/${lead.id}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="lead-${lead.id}.json"`);
    const body = (await res.json()) as Record<string, unknown[]> & { lead: Lead; exportedAt: string };
    expect(Object.keys(body)).toEqual([
      'exportedAt',
      'lead',
      'touchpoints',
      'stageChanges',
      'audit',
      'assignments',
      'tasks',
      'enrolments',
    ]);
    expect(body.assignments).toContainEqual(
      expect.objectContaining({ fromOwnerId: me.user.id, ownerId: colleague.userId }),
    );
    // The open task followed the lead to its new owner.
    expect(body.tasks).toEqual([
      expect.objectContaining({ note: 'Call them back', assigneeId: colleague.userId }),
    ]);
    expect(body.enrolments).toEqual([]);
    expect(body.lead).toMatchObject({ id: lead.id, title: 'CTO', scoring: expect.any(Object) });
    expect(body.touchpoints).toEqual([
      expect.objectContaining({ type: 'call_connected', note: 'Asked for their data' }),
    ]);
    expect(body.stageChanges).toEqual([expect.objectContaining({ to: 'new', cause: 'created' })]);
    expect(body.audit).toContainEqual(expect.objectContaining({ field: 'title', after: 'CTO' }));
  });

  it('is refused on a lead the reader may not see', async () => {
    const rep = (await (await t.post('/api/tokens', { name: 'Rita Rep' })).json()) as { token: string };
    const lead = await createLead({ fullName: 'Not Yours' });
    await t.request('PUT', '/api/settings/lead-visibility', { body: { repsSeeOnlyOwnLeads: true } });
    expect((await t.get(`/api/leads/${lead.id}/export`, rep.token)).status).toBe(403);
    expect((await t.get(`/api/leads/${lead.id}/vcard`, rep.token)).status).toBe(403);
    expect((await t.get('/api/leads/nope/export')).status).toBe(404);
  });
});
