import type { Form, Lead, Touchpoint } from '@leadline/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { FORM_SUBMISSION_LIMIT } from './submission-limit';

const SITE = 'https://www.acme-site.com';
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function makeForm(body: Record<string, unknown> = {}) {
  const res = await t.post('/api/forms', { name: 'Contact us', allowedOrigins: [`${SITE}/`], ...body });
  expect(res.status).toBe(201);
  return (await res.json()) as Form;
}

/** A submission as a browser on `origin` sends it: JSON from the fetch snippet unless a body is given. */
function submit(
  form: Form,
  fields: Record<string, unknown>,
  init: { origin?: string | null; contentType?: string; body?: string | FormData; navigate?: boolean } = {},
) {
  const headers: Record<string, string> = {};
  const origin = init.origin === undefined ? SITE : init.origin;
  if (origin) headers.origin = origin;
  if (init.navigate) headers['sec-fetch-mode'] = 'navigate';
  let body: string | FormData;
  if (init.body !== undefined) body = init.body;
  else {
    body = JSON.stringify(fields);
    headers['content-type'] = 'application/json';
  }
  if (init.contentType) headers['content-type'] = init.contentType;
  return t.app.request(`/f/${form.publicId}`, { method: 'POST', headers, body });
}

async function leads() {
  return ((await (await t.get('/api/leads')).json()) as { items: Lead[] }).items;
}

async function touchpointsOf(leadId: string) {
  return ((await (await t.get(`/api/leads/${leadId}/touchpoints`)).json()) as { items: Touchpoint[] }).items;
}

const ADA = {
  name: 'Ada Lovelace',
  email: 'ada@analytical.io',
  company: 'Analytical Engines',
  message: 'Call me',
};

describe('managing forms', () => {
  it('creates a form with normalised origins and a snippet that posts to it without a token', async () => {
    const form = await makeForm({ thankYouUrl: 'https://www.acme-site.com/thanks', campaign: 'spring' });
    expect(form).toMatchObject({
      name: 'Contact us',
      allowedOrigins: [SITE],
      thankYouUrl: 'https://www.acme-site.com/thanks',
      campaign: 'spring',
      enabled: true,
      submissionCount: 0,
      lastSubmissionAt: null,
    });
    expect(form.publicId).toMatch(/^frm_[A-Za-z0-9_-]{16}$/);
    expect(form.endpoint).toBe(`http://localhost/f/${form.publicId}`);
    expect(form.snippet.html).toContain(`<form action="${form.endpoint}" method="post"`);
    for (const name of ['name', 'email', 'company', 'message', '_gotcha']) {
      expect(form.snippet.html).toContain(`name="${name}"`);
    }
    expect(form.snippet.script).toContain(`form[action=\\"${form.endpoint}\\"]`);
    expect(form.snippet.script).toMatch(/_rendered_at: renderedAt, _submitted_at: Date\.now\(\)/);
    const everything = form.snippet.html + form.snippet.script;
    expect(everything).not.toContain('test-admin-token');
    expect(everything).not.toContain(form.id);

    const listed = (await (await t.get('/api/forms')).json()) as { items: Form[] };
    expect(listed.items.map((item) => item.id)).toEqual([form.id]);
  });

  it('refuses an origin with a path, an empty list of origins and a thank-you URL that is not http(s)', async () => {
    const res = await t.post('/api/forms', {
      name: 'Bad',
      allowedOrigins: ['https://acme.com/contact'],
      thankYouUrl: 'javascript:alert(1)',
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { issues: { path: (string | number)[] }[] };
    expect(body.issues.map((issue) => issue.path.join('.'))).toEqual(['allowedOrigins.0', 'thankYouUrl']);
    expect((await t.post('/api/forms', { name: 'None', allowedOrigins: [] })).status).toBe(422);
    expect(((await (await t.get('/api/forms')).json()) as { items: Form[] }).items).toEqual([]);
  });

  it('changes, turns off and removes a form', async () => {
    const form = await makeForm();
    const patched = await t.patch(`/api/forms/${form.id}`, { name: 'Demo request', thankYouUrl: null });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ name: 'Demo request', publicId: form.publicId });
    expect((await t.del(`/api/forms/${form.id}`)).status).toBe(204);
    expect((await t.get(`/api/forms/${form.id}`)).status).toBe(404);
    expect((await submit(form, ADA)).status).toBe(404);
  });

  it('lets no rep manage forms', async () => {
    const rep = (await (await t.post('/api/tokens', { name: 'Rita Rep', role: 'rep' })).json()) as {
      token: string;
    };
    const form = await makeForm();
    for (const [method, path] of [
      ['GET', '/api/forms'],
      ['POST', '/api/forms'],
      ['GET', `/api/forms/${form.id}`],
      ['PATCH', `/api/forms/${form.id}`],
      ['DELETE', `/api/forms/${form.id}`],
    ] as const) {
      const res = await t.request(method, path, {
        token: rep.token,
        body: method === 'GET' ? undefined : {},
      });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
      expect(await res.json()).toMatchObject({ action: 'forms.manage' });
    }
  });
});

describe('submissions', () => {
  it('creates a web lead with the page URL and UTM tags, and a form_submitted touchpoint with the message', async () => {
    const form = await makeForm({ campaign: 'fallback-campaign' });
    const page = `${SITE}/pricing?utm_source=google&utm_medium=cpc&utm_campaign=q3`;
    const res = await submit(form, { ...ADA, title: 'CTO', _page: page, budget: '10k' });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(await res.json()).toEqual({ received: true, thankYouUrl: null });

    const [lead] = await leads();
    expect(lead).toMatchObject({
      fullName: 'Ada Lovelace',
      email: 'ada@analytical.io',
      company: 'Analytical Engines',
      companyDomain: 'analytical.io',
      title: 'CTO',
      source: {
        channel: 'web',
        url: page,
        utm: { source: 'google', medium: 'cpc', campaign: 'q3', term: null, content: null },
      },
    });
    const [touchpoint] = await touchpointsOf(lead!.id);
    expect(touchpoint).toMatchObject({ type: 'form_submitted', channel: 'web', userId: null });
    expect(touchpoint!.note).toContain(`Page: ${page}`);
    expect(touchpoint!.note).toContain('UTM: source=google, medium=cpc, campaign=q3');
    expect(touchpoint!.note).toContain('budget: 10k');
    expect(touchpoint!.note).toMatch(/\n\nCall me$/);
    expect(lead!.engagement).toBeGreaterThan(0);

    const counted = (await (await t.get(`/api/forms/${form.id}`)).json()) as Form;
    expect(counted.submissionCount).toBe(1);
    expect(counted.lastSubmissionAt).not.toBeNull();
  });

  it('routes a new lead by the routing rules, as origin form; with none, it is the form creator’s', async () => {
    const form = await makeForm();
    expect((await submit(form, { email: 'first@acme.io' })).status).toBe(201);
    expect((await leads())[0]!.ownerId).toBe(t.adminUserId);
    const rep = (await (await t.post('/api/tokens', { name: 'Rita Rep', role: 'rep' })).json()) as {
      userId: string;
    };
    const routing = await t.request('PUT', '/api/routing', {
      body: { fallback: { type: 'person', userId: rep.userId } },
    });
    expect(routing.status).toBe(200);
    expect((await submit(form, { email: 'someone@globex.io' })).status).toBe(201);
    const routed = (await leads()).find((lead) => lead.email === 'someone@globex.io')!;
    expect(routed.ownerId).toBe(rep.userId);
    const assignments = (await (await t.get(`/api/leads/${routed.id}/assignments`)).json()) as {
      items: { trace: { via: string } }[];
    };
    expect(assignments.items[0]!.trace.via).toBe('fallback');
  });

  it("records the form's campaign when the page names none", async () => {
    const form = await makeForm({ campaign: 'webinar' });
    expect((await submit(form, { ...ADA, _page: `${SITE}/landing` })).status).toBe(201);
    const [lead] = await leads();
    expect(lead!.source.utm.campaign).toBe('webinar');
    expect(lead!.source.url).toBe(`${SITE}/landing`);
  });

  it('matches a second submission of the same e-mail to the same lead and fills only what it lacked', async () => {
    const form = await makeForm();
    expect((await submit(form, { email: 'ada@analytical.io', name: 'Ada' })).status).toBe(201);
    const second = await submit(form, {
      email: 'ADA@analytical.io',
      name: 'Someone Else',
      phone: '+49 30 1234567',
    });
    expect(second.status).toBe(201);
    const all = await leads();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ fullName: 'Ada', phone: '+49301234567' });
    const touchpoints = await touchpointsOf(all[0]!.id);
    expect(touchpoints.map((touch) => touch.type)).toEqual(['form_submitted', 'form_submitted']);
  });

  it('takes URL-encoded and multipart bodies; a plain form post is answered by a page or a 303', async () => {
    const form = await makeForm();
    const encoded = await submit(
      form,
      {},
      {
        body: new URLSearchParams({
          first_name: 'Grace',
          last_name: 'Hopper',
          email: 'grace@navy.mil',
        }).toString(),
        contentType: 'application/x-www-form-urlencoded',
        navigate: true,
      },
    );
    expect(encoded.status).toBe(200);
    expect(encoded.headers.get('content-type')).toContain('text/html');
    expect(await encoded.text()).toContain('Thank you');

    await t.patch(`/api/forms/${form.id}`, { thankYouUrl: `${SITE}/thanks` });
    const multipart = new FormData();
    multipart.set('name', 'Katherine Johnson');
    multipart.set('email', 'katherine@nasa.gov');
    const redirected = await submit(form, {}, { body: multipart, navigate: true });
    expect(redirected.status).toBe(303);
    expect(redirected.headers.get('location')).toBe(`${SITE}/thanks`);
    expect((await leads()).map((lead) => lead.fullName).sort()).toEqual([
      'Grace Hopper',
      'Katherine Johnson',
    ]);
  });
});

describe('refused submissions leave nothing behind', () => {
  async function expectNothingWritten(form: Form) {
    expect(await leads()).toEqual([]);
    const after = (await (await t.get(`/api/forms/${form.id}`)).json()) as Form;
    expect(after.submissionCount).toBe(0);
  }

  it('refuses another origin (403, no CORS header) and a request without Origin', async () => {
    const form = await makeForm();
    const wrong = await submit(form, ADA, { origin: 'https://evil.example' });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await wrong.json()) as { detail: string }).detail).toContain('https://evil.example');
    expect((await submit(form, ADA, { origin: null })).status).toBe(403);
    await expectNothingWritten(form);
  });

  it('answers 404 for an unknown or turned-off form', async () => {
    const form = await makeForm({ enabled: false });
    expect((await submit(form, ADA)).status).toBe(404);
    expect((await submit({ ...form, publicId: 'frm_nothing' }, ADA)).status).toBe(404);
    await expectNothingWritten(form);
  });

  it('refuses a filled honeypot, a message of links and a form sent too fast as spam', async () => {
    const form = await makeForm();
    const links = 'https://a.io https://b.io www.c.io http://d.io';
    const now = Date.now();
    for (const fields of [
      { ...ADA, _gotcha: 'bot' },
      { ...ADA, message: links },
      { ...ADA, _rendered_at: now - 500, _submitted_at: now },
    ]) {
      const res = await submit(form, fields);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ type: '/problems/spam' });
    }
    await expectNothingWritten(form);
    const slow = await submit(form, { ...ADA, _rendered_at: now - 8000, _submitted_at: now });
    expect(slow.status).toBe(201);
  });

  it('refuses a body over 16 KB (413), a field over 2,000 characters and no e-mail (422)', async () => {
    const form = await makeForm();
    const big = await submit(form, {
      ...ADA,
      a: 'x'.repeat(1900),
      b: 'x'.repeat(1900),
      c: 'x'.repeat(1900),
      d: 'x'.repeat(1900),
      e: 'x'.repeat(1900),
      f: 'x'.repeat(1900),
      g: 'x'.repeat(1900),
      h: 'x'.repeat(1900),
      i: 'x'.repeat(1900),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('access-control-allow-origin')).toBe(SITE);
    const long = await submit(form, { ...ADA, message: 'x'.repeat(2001) });
    expect(long.status).toBe(422);
    expect(((await long.json()) as { detail: string }).detail).toMatch(/^message: at most 2000 characters/);
    const anonymous = await submit(form, { name: 'No Mail' });
    expect(anonymous.status).toBe(422);
    expect(((await anonymous.json()) as { issues: { path: string[] }[] }).issues[0]!.path).toEqual(['email']);
    const badEmail = await submit(form, { email: 'not-an-address' });
    expect(badEmail.status).toBe(422);
    expect(((await badEmail.json()) as { issues: { path: string[] }[] }).issues[0]!.path).toEqual(['email']);
    const xml = await submit(form, {}, { body: '<lead/>', contentType: 'application/xml' });
    expect(xml.status).toBe(415);
    await expectNothingWritten(form);
  });

  it('answers a refused plain form post with a page that says why', async () => {
    const form = await makeForm();
    const res = await submit(
      form,
      {},
      {
        body: new URLSearchParams({ name: 'No Mail' }).toString(),
        contentType: 'application/x-www-form-urlencoded',
        navigate: true,
      },
    );
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('Your message was not sent');
    expect(html).toContain('a form submission needs an e-mail address');
    expect(html).toContain(`<a href="${SITE}/">Back to the form</a>`);
    await expectNothingWritten(form);
  });

  it(`rate-limits an address to ${FORM_SUBMISSION_LIMIT} submissions a minute per form (429 + Retry-After)`, async () => {
    const form = await makeForm();
    for (let i = 0; i < FORM_SUBMISSION_LIMIT; i++) {
      expect((await submit(form, { email: `person${i}@acme.io` })).status).toBe(201);
    }
    const refused = await submit(form, { email: 'one-more@acme.io' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ type: '/problems/too-many-requests' });
    expect(await leads()).toHaveLength(FORM_SUBMISSION_LIMIT);
    // Another form has a count of its own.
    const other = await makeForm({ name: 'Newsletter' });
    expect((await submit(other, { email: 'one-more@acme.io' })).status).toBe(201);
  });
});

describe('CORS', () => {
  const preflight = (form: Form, origin: string) =>
    t.app.request(`/f/${form.publicId}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it("answers a preflight from the form's site, and only from it", async () => {
    const form = await makeForm();
    const allowed = await preflight(form, SITE);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('Content-Type');

    const refused = await preflight(form, 'https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    // An extension origin, which the API allows, is no site of the form.
    const extension = await preflight(form, 'chrome-extension://abcdefghijklmnop');
    expect(extension.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps the security headers on form answers', async () => {
    const form = await makeForm();
    const res = await submit(form, ADA);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});
