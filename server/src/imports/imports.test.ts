import type { Import } from '@leadline/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { fixture, invite, upload, uploaded } from './test-helpers';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const mappingOf = (job: Import) =>
  Object.fromEntries(job.headers.map((header, i) => [header, job.mapping[i]]));
const problemOf = async (res: Response) => ({
  status: res.status,
  ...((await res.json()) as { detail: string }),
});

describe('the mapping of real CRM exports', () => {
  it('recognises a HubSpot contacts export', async () => {
    const job = await uploaded(t, 'hubspot-contacts.csv');
    expect(job).toMatchObject({ status: 'staged', encoding: 'utf-8', delimiter: ',', mappingSaved: false });
    expect(mappingOf(job)).toEqual({
      'Record ID': 'skip',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Email: 'email',
      'Phone Number': 'phone',
      'Job Title': 'title',
      'Company Name': 'company',
      'Lead Status': 'stage',
      'Lifecycle Stage': 'notes',
      'Country/Region': 'country',
      City: 'location',
      'Website URL': 'website',
      'Create Date': 'createdAt',
      'Contact owner': 'owner',
      'Original Source': 'leadSource',
    });
  });

  it('recognises a Salesforce leads export and a Pipedrive people export', async () => {
    const salesforce = await uploaded(t, 'salesforce-leads.csv');
    expect(mappingOf(salesforce)).toMatchObject({
      Title: 'title',
      Company: 'company',
      'Lead Source': 'leadSource',
      'No. of Employees': 'companySize',
      'Lead Owner': 'owner',
      'Create Date': 'createdAt',
      Industry: 'industry',
    });
    const pipedrive = await uploaded(t, 'pipedrive-people.csv');
    expect(mappingOf(pipedrive)).toEqual({
      'Person - Name': 'fullName',
      'Person - Email - Work': 'email',
      'Person - Phone - Work': 'phone',
      'Person - Organization': 'company',
      'Person - Owner': 'owner',
      'Person - Label': 'notes',
      'Person - Person created': 'createdAt',
    });
  });

  it('reads Windows-1252 with semicolons and UTF-16 with a BOM, and says what it detected', async () => {
    const german = await uploaded(t, 'semicolon-1252.csv');
    expect(german).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(german.dryRun?.examples.create[0]?.values).toMatchObject({
      fullName: 'Jürgen Weiß',
      company: 'Müller & Söhne GmbH',
      country: 'DE',
    });
    const nordic = await uploaded(t, 'utf16-bom.csv');
    expect(nordic).toMatchObject({
      encoding: 'utf-16le',
      delimiter: ',',
      headers: ['First Name', 'Last Name', 'Email', 'Company'],
    });
    expect(nordic.dryRun?.examples.create.map((row) => row.values.fullName)).toEqual([
      'Zoë Ångström',
      'Σοφία Παπαδοπούλου',
    ]);
  });

  it('keeps quoted fields with line breaks in one row, numbered by the line they start on', async () => {
    const job = await uploaded(t, 'quoted-newlines.csv');
    expect(job.dryRun).toMatchObject({ rows: 3, create: 3, invalid: 0 });
    expect(job.dryRun?.examples.create.map((row) => [row.row, row.line])).toEqual([
      [1, 2],
      [2, 4],
      [3, 7],
    ]);
  });
});

describe('the dry run', () => {
  it('counts creates, matches with the fields the policy would change, and invalid rows with reasons', async () => {
    const known = await t.post('/api/leads', { email: 'john.smith@globex.com', fullName: 'John Smith' });
    expect(known.status).toBe(201);
    const knownId = ((await known.json()) as { id: string }).id;
    const job = await uploaded(t, 'hubspot-contacts.csv');
    expect(job.dryRun).toMatchObject({ rows: 4, create: 2, match: 1, update: 1, invalid: 1 });
    expect(job.dryRun?.examples.match[0]).toMatchObject({ row: 2, leadId: knownId, matchedBy: 'email' });
    expect(job.dryRun?.examples.match[0]?.changes).toContainEqual({
      field: 'title',
      from: null,
      to: 'VP Marketing',
    });
    expect(job.dryRun?.fieldUpdates).toMatchObject({ title: 1, phone: 1, company: 1 });
    expect(job.dryRun?.examples.invalid[0]).toMatchObject({
      row: 4,
      reason: '"not-an-email" is not an e-mail address',
      values: { firstName: 'Bad', email: 'not-an-email' },
    });
    // Normalised as captures are: E.164 phones, the e-mail lower-cased, the domain from the website.
    expect(job.dryRun?.examples.create[0]?.values).toMatchObject({
      fullName: 'Anna Müller',
      email: 'anna.mueller@acme.de',
      phone: '+493012345678',
      country: 'DE',
      companyDomain: 'acme.de',
      website: 'https://www.acme.de/',
    });

    const skip = (await (
      await t.request('PUT', `/api/imports/${job.id}`, { body: { policy: 'skip' } })
    ).json()) as Import;
    expect(skip.dryRun).toMatchObject({ match: 1, update: 0, fieldUpdates: {} });
    const overwrite = (await (
      await t.request('PUT', `/api/imports/${job.id}`, { body: { policy: 'overwrite' } })
    ).json()) as Import;
    expect(overwrite.dryRun?.examples.match[0]?.changes.map((change) => change.field)).toContain('email');
  });

  it('refuses a row with the wrong column count and a duplicate inside the file, naming why', async () => {
    const columns = await uploaded(t, 'wrong-columns.csv');
    expect(columns.dryRun).toMatchObject({ rows: 3, create: 1, invalid: 2 });
    expect(columns.dryRun?.examples.invalid.map((row) => row.reason)).toEqual([
      'This row has 3 columns; the header has 4',
      'This row has 5 columns; the header has 4',
    ]);
    const duplicates = await uploaded(t, 'duplicates.csv');
    expect(duplicates.dryRun).toMatchObject({ rows: 3, create: 2, invalid: 1 });
    expect(duplicates.dryRun?.examples.invalid[0]).toMatchObject({
      row: 3,
      reason: 'Duplicate of row 1 in this file (the same e-mail)',
    });
  });

  it('recomputes under a changed mapping and refuses a mapping that does not fit the file', async () => {
    const job = await uploaded(t, 'salesforce-leads.csv');
    expect(job.dryRun?.examples.invalid[0]?.reason).toContain('"13/45/2024" is not a date');
    const mapping = job.mapping.map((target) => (target === 'createdAt' ? 'skip' : target));
    const res = await t.request('PUT', `/api/imports/${job.id}`, { body: { mapping } });
    expect(((await res.json()) as Import).dryRun).toMatchObject({ create: 3, invalid: 0 });
    const short = await t.request('PUT', `/api/imports/${job.id}`, { body: { mapping: ['email'] } });
    expect(await problemOf(short)).toMatchObject({
      status: 422,
      detail: expect.stringContaining('the file has 15 columns'),
    });
    const twice = await t.request('PUT', `/api/imports/${job.id}`, {
      body: { mapping: job.mapping.map((target, i) => (i === 0 ? 'email' : target)) },
    });
    expect(await problemOf(twice)).toMatchObject({
      status: 422,
      detail: expect.stringContaining('both go to email'),
    });
  });
});

describe('bad files', () => {
  it('refuses an empty file, a binary file, a workbook, an unclosed quote and a header alone, keeping nothing', async () => {
    expect(await problemOf(await upload(t, fixture('empty.csv')))).toMatchObject({
      status: 422,
      detail: 'The file is empty',
    });
    expect(await problemOf(await upload(t, fixture('binary.csv')))).toMatchObject({
      status: 415,
      detail: expect.stringContaining('not CSV text'),
    });
    expect(await problemOf(await upload(t, fixture('workbook.csv')))).toMatchObject({
      status: 415,
      detail: expect.stringContaining('Excel workbook'),
    });
    expect(await problemOf(await upload(t, fixture('unclosed-quote.csv')))).toMatchObject({
      status: 422,
      detail: expect.stringContaining('never closed'),
    });
    expect(await problemOf(await upload(t, 'Name,Email\r\n'))).toMatchObject({
      status: 422,
      detail: 'The file has a header row but no rows below it',
    });
    const listed = (await (await t.get('/api/imports')).json()) as { imports: unknown[] };
    expect(listed.imports).toEqual([]);
    const staged = await t.client.execute('select count(*) from import_rows');
    expect(Number(staged.rows[0]?.[0])).toBe(0);
  });

  it('stops a 100 MB single line after its first megabyte, with a clear message', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('Name,Email\n'));
        if (sent++ >= 100) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const problem = await problemOf(await upload(t, body));
    expect(problem).toMatchObject({ status: 422, detail: expect.stringContaining('is over 1 MB') });
    expect(sent).toBeLessThan(100);
  });

  it('lets managers and admins import, and not reps', async () => {
    const rep = await invite(t, 'Rita Rep', 'rep');
    const res = await upload(t, fixture('duplicates.csv'), 'x.csv', rep.token);
    expect(await problemOf(res)).toMatchObject({
      status: 403,
      detail: expect.stringContaining('[leads.import]'),
    });
    const manager = await invite(t, 'Mona Manager', 'manager');
    expect((await upload(t, fixture('duplicates.csv'), 'x.csv', manager.token)).status).toBe(201);
  });
});
