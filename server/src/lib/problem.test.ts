import { HTTPException } from 'hono/http-exception';
import { validator } from 'hono/validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // Routes of the real app (its error handler included) that fail the way hono's own parts do.
  t.app.post(
    '/probe/form',
    validator('form', (value) => value),
    (c) => c.text('ok'),
  );
  t.app.get('/probe/status/:status', (c) => {
    throw new HTTPException(Number(c.req.param('status')) as 401, { message: 'from a middleware' });
  });
});
afterAll(() => t.close());

const problem = async (res: Response) => ({
  status: res.status,
  contentType: res.headers.get('content-type'),
  ...((await res.json()) as { type: string; detail?: string }),
});

describe('handleError', () => {
  it('reports a malformed form body as a bad request, not as malformed JSON', async () => {
    const res = await t.app.request('/probe/form', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=----nothing' },
      body: 'not multipart at all',
    });
    const body = await problem(res);
    expect(body).toMatchObject({
      status: 400,
      type: '/problems/bad-request',
      contentType: 'application/problem+json',
    });
    expect(body.detail).toMatch(/FormData/);
  });

  it('still reports a malformed JSON body as malformed JSON', async () => {
    const res = await t.request('POST', '/api/leads', { body: '{"fullName": ' });
    expect(await problem(res)).toMatchObject({ status: 400, type: '/problems/malformed-json' });
  });

  it('names each status by its general problem', async () => {
    const cases: [number, string][] = [
      [400, 'bad-request'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not-found'],
      [409, 'conflict'],
      [415, 'unsupported-media-type'],
      [422, 'validation'],
    ];
    for (const [status, slug] of cases) {
      const body = await problem(await t.app.request(`/probe/status/${status}`));
      expect(body).toMatchObject({ status, type: `/problems/${slug}`, detail: 'from a middleware' });
    }
  });
});
