import type { Import } from '@leadline/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../test-utils';
import { uploadImport } from './imports.service';
import { stageFormFile } from './multipart';
import { fixture, uploaded } from './test-helpers';
import { discardImport, UPLOAD_LIMITS } from './upload';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

/** Posts a form as a browser (or `curl -F`) would: fetch's FormData, its boundary chosen for it. */
function postForm(form: FormData, query = '') {
  return t.app.request(`/api/imports${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    body: form,
  });
}

const formWith = (...files: [name: string, bytes: Uint8Array<ArrayBuffer> | string][]) => {
  const form = new FormData();
  form.set('note', 'a text field the upload ignores');
  for (const [name, bytes] of files) form.append('file', new Blob([bytes], { type: 'text/csv' }), name);
  return form;
};

const problemOf = async (res: Response) => ({
  status: res.status,
  contentType: res.headers.get('content-type'),
  ...((await res.json()) as { detail: string }),
});

async function nothingStaged() {
  const listed = (await (await t.get('/api/imports')).json()) as { imports: unknown[] };
  expect(listed.imports).toEqual([]);
  const staged = await t.client.execute('select count(*) from import_rows');
  expect(Number(staged.rows[0]?.[0])).toBe(0);
}

const BOUNDARY = '----leadline-test-boundary';
const partHead = (name: string, fileName?: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${fileName ? `; filename="${fileName}"` : ''}\r\nContent-Type: text/csv\r\n\r\n`;

/** A hand-made multipart body, streamed chunk by chunk, counting how many chunks were read. */
function streamedForm(chunks: () => Iterator<string | Uint8Array>) {
  const encoder = new TextEncoder();
  const source = chunks();
  const state = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = source.next();
      if (next.done) return controller.close();
      state.pulled++;
      controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
    },
  });
  const post = () =>
    t.app.request('/api/imports', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      },
      body,
      duplex: 'half',
    } as RequestInit);
  return { post, state };
}

describe('a multipart/form-data upload', () => {
  it("reads the form's file part as the raw body is read, named by the file part", async () => {
    const raw = await uploaded(t, 'hubspot-contacts.csv');
    const res = await postForm(formWith(['hubspot-contacts.csv', fixture('hubspot-contacts.csv')]));
    expect(res.status).toBe(201);
    const job = (await res.json()) as Import;
    expect(job).toMatchObject({
      status: 'staged',
      fileName: 'hubspot-contacts.csv',
      encoding: raw.encoding,
      delimiter: raw.delimiter,
      headers: raw.headers,
      mapping: raw.mapping,
      dryRun: raw.dryRun,
    });
    expect(job.id).not.toBe(raw.id);
    // The query names the file when it is given; a path a browser sends is cut to the name.
    const named = await postForm(
      formWith(['C:\\fakepath\\ignored.csv', fixture('duplicates.csv')]),
      '?fileName=crm.csv&campaign=Spring',
    );
    expect(await named.json()).toMatchObject({ fileName: 'crm.csv', campaign: 'Spring' });
    const fromPath = await postForm(formWith(['C:\\fakepath\\Kunden Müller.csv', fixture('duplicates.csv')]));
    expect(await fromPath.json()).toMatchObject({ fileName: 'Kunden Müller.csv' });
  });

  it('detects the encoding and delimiter of a Windows-1252, semicolon file and UTF-16', async () => {
    const german = await postForm(formWith(['semicolon-1252.csv', fixture('semicolon-1252.csv')]));
    expect(german.status).toBe(201);
    const job = (await german.json()) as Import;
    expect(job).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(job.dryRun?.examples.create[0]?.values).toMatchObject({ fullName: 'Jürgen Weiß' });
    const nordic = (await (
      await postForm(formWith(['utf16.csv', fixture('utf16-bom.csv')]))
    ).json()) as Import;
    expect(nordic).toMatchObject({
      encoding: 'utf-16le',
      headers: ['First Name', 'Last Name', 'Email', 'Company'],
    });
  });

  it("refuses a bad file in a form with the raw body's own errors, keeping nothing", async () => {
    expect(await problemOf(await postForm(formWith(['empty.csv', ''])))).toMatchObject({
      status: 422,
      detail: 'The file is empty',
    });
    expect(await problemOf(await postForm(formWith(['binary.csv', fixture('binary.csv')])))).toMatchObject({
      status: 415,
      detail: expect.stringContaining('not CSV text'),
    });
    expect(
      await problemOf(await postForm(formWith(['open.csv', fixture('unclosed-quote.csv')]))),
    ).toMatchObject({
      status: 422,
      detail: expect.stringContaining('never closed'),
    });
    await nothingStaged();
  });

  it('answers a form with no file part, or two, with a 422, and a broken form with a 400', async () => {
    const fieldsOnly = new FormData();
    fieldsOnly.set('file', 'Name,Email\nAda,ada@example.com\n');
    expect(await problemOf(await postForm(fieldsOnly))).toMatchObject({
      status: 422,
      contentType: 'application/problem+json',
      detail: expect.stringContaining('no file part'),
    });
    const two = formWith(
      ['one.csv', fixture('duplicates.csv')],
      ['two.csv', fixture('hubspot-contacts.csv')],
    );
    expect(await problemOf(await postForm(two))).toMatchObject({
      status: 422,
      detail: 'The form has 2 file parts; send one CSV file per import',
    });
    await nothingStaged();

    // Cut short in the middle of its file: the rows read so far are not kept.
    const cut = streamedForm(function* () {
      yield partHead('file', 'cut.csv');
      yield 'Name,Email\r\nAda,ada@example.com\r\n';
    });
    expect(await problemOf(await cut.post())).toMatchObject({
      status: 400,
      contentType: 'application/problem+json',
      detail: expect.stringContaining('Unexpected end of form'),
    });
    const noBoundary = await t.app.request('/api/imports', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'multipart/form-data' },
      body: 'Name\r\nAda\r\n',
    });
    expect(await problemOf(noBoundary)).toMatchObject({
      status: 400,
      detail: expect.stringContaining('oundary'),
    });
    const mixed = await t.app.request('/api/imports', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        'content-type': `multipart/mixed; boundary=${BOUNDARY}`,
      },
      body: `${partHead('file', 'x.csv')}Name\r\nAda\r\n--${BOUNDARY}--\r\n`,
    });
    expect((await problemOf(mixed)).status).toBe(415);
    await nothingStaged();
  });

  it('streams the file part: a 100 MB single line is stopped after its first megabyte', async () => {
    const megabyte = new TextEncoder().encode('x'.repeat(1024 * 1024));
    const form = streamedForm(function* () {
      yield `${partHead('file', 'one-line.csv')}Name,Email\n`;
      for (let i = 0; i < 100; i++) yield megabyte;
      yield `\r\n--${BOUNDARY}--\r\n`;
    });
    expect(await problemOf(await form.post())).toMatchObject({
      status: 422,
      detail: expect.stringContaining('is over 1 MB'),
    });
    expect(form.state.pulled).toBeLessThan(50);
    await nothingStaged();
  });
});

describe('the limits of a form upload', () => {
  const principal = () => ({
    userId: t.adminUserId,
    workspaceId: t.workspaceId,
    role: 'admin' as const,
    tokenId: '',
    repsSeeOnlyOwnLeads: false,
  });
  const limits = { ...UPLOAD_LIMITS, maxBytes: 4096, maxRows: 3 };
  const stage = (body: BodyInit) => {
    const request = new Request('http://localhost/', { method: 'POST', body });
    return stageFormFile(
      request.body!,
      request.headers.get('content-type')!,
      limits.maxBytes,
      (file, fileName) =>
        uploadImport(t.db, principal(), file, { fileName: fileName ?? 'x.csv', campaign: null }, limits),
      (job) => discardImport(t.db, job.id),
    );
  };

  it('are the raw upload limits: bytes of the file, rows, and the whole form is bounded too', async () => {
    const rows = (n: number) =>
      `Name,Email\n${Array.from({ length: n }, (_, i) => `P${i},p${i}@x.example\n`).join('')}`;
    await expect(stage(formWith(['ok.csv', rows(3)]))).resolves.toMatchObject({ dryRun: { rows: 3 } });
    await expect(stage(formWith(['rows.csv', rows(4)]))).rejects.toMatchObject({
      status: 413,
      message: expect.stringContaining('more than 3 rows'),
    });
    await expect(stage(formWith(['big.csv', `Name,Email\n${'x,y\n'.repeat(2000)}`]))).rejects.toMatchObject({
      status: 413,
      message: expect.stringContaining('The file is over'),
    });
    // Text fields are dropped, but not read without end: the body as a whole has a bound.
    const padded = formWith(['ok.csv', rows(1)]);
    for (let i = 0; i < 40; i++) padded.append(`pad${i}`, 'p'.repeat(60 * 1024));
    await expect(stage(padded)).rejects.toMatchObject({ status: 413 });
    const listed = (await (await t.get('/api/imports')).json()) as { imports: Import[] };
    expect(listed.imports.map((job) => job.fileName)).toEqual(['ok.csv']);
  });
});
