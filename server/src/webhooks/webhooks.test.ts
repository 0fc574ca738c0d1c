import type { WebhookDelivery, WebhookEndpoint } from '@leadline/shared';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { webhookEndpoints } from '../db/schema';
import { createTestApp, startWebhookReceiver, type TestApp, type WebhookReceiver } from '../test-utils';
import { isPrivateAddress } from './address-guard';
import { RETRY_SCHEDULE_MS, WebhookDispatcher } from './dispatcher';

let t: TestApp;
let receiver: WebhookReceiver;
let answers: { status: number; headers?: Record<string, string>; hang?: boolean }[];

beforeEach(async () => {
  // Only Date is faked: the test moves the clock the dispatcher and the signature check read.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-02T09:00:00Z'));
  t = await createTestApp();
  answers = [];
  receiver = await startWebhookReceiver((_, index) => answers[index] ?? { status: 200 });
});
afterEach(async () => {
  vi.useRealTimers();
  await receiver.close();
  t.close();
});

const advance = (ms: number) => vi.setSystemTime(new Date(Date.now() + ms));

async function addEndpoint(body: Record<string, unknown> = {}) {
  const res = await t.post('/api/webhooks', {
    url: receiver.url,
    eventTypes: ['lead.created', 'lead.stage_changed'],
    allowPrivateNetwork: true,
    ...body,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as WebhookEndpoint & { secret: string };
}

async function deliveries(endpointId: string) {
  const res = await t.get(`/api/webhooks/${endpointId}/deliveries`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: WebhookDelivery[] }).items;
}

async function createLead(fullName: string) {
  const res = await t.post('/api/leads', { fullName });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const dispatcher = (options: ConstructorParameters<typeof WebhookDispatcher>[1] = {}) =>
  new WebhookDispatcher(t.db, { random: () => 0.5, ...options });

describe('webhook deliveries', () => {
  it('sends a subscribed event signed by the Standard Webhooks specification, and nothing else', async () => {
    const endpoint = await addEndpoint();
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const listed = (await (await t.get('/api/webhooks')).json()) as { items: Record<string, unknown>[] };
    expect(listed.items[0]).not.toHaveProperty('secret');

    const leadId = await createLead('Ada Lovelace');
    const touch = await t.post(`/api/leads/${leadId}/touchpoints`, { type: 'call_connected' });
    expect(touch.status).toBe(201);
    await dispatcher().tick();

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    const headers = request!.headers as Record<string, string>;
    // The independent implementation of the specification accepts it; a tampered body it refuses.
    const payload = new Webhook(endpoint.secret).verify(request!.body, headers) as Record<string, unknown>;
    expect(payload).toMatchObject({ type: 'lead.created', data: { leadId } });
    expect(() => new Webhook(endpoint.secret).verify(`${request!.body} `, headers)).toThrow();
    expect(headers['webhook-id']).toMatch(/^msg_/);
    expect(headers['content-type']).toBe('application/json');

    const [delivery] = await deliveries(endpoint.id);
    expect(delivery).toMatchObject({ id: headers['webhook-id'], status: 'succeeded', attempts: 1 });
    expect(delivery!.attemptLog.map((attempt) => attempt.responseStatus)).toEqual([200]);
  });

  it('retries with backoff after a 500, re-signing each try, until it is accepted', async () => {
    answers = [{ status: 500 }, { status: 500 }];
    const endpoint = await addEndpoint();
    await createLead('Grace Hopper');
    const d = dispatcher();
    await d.tick();
    expect(receiver.received).toHaveLength(1);

    // The second try is due 5 s (±10 %) later, not before.
    advance(4_000);
    await d.tick();
    expect(receiver.received).toHaveLength(1);
    advance(1_100);
    await d.tick();
    expect(receiver.received).toHaveLength(2);
    let [pending] = await deliveries(endpoint.id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 2, lastResponseStatus: 500 });
    expect(Date.parse(pending!.nextAttemptAt!) - Date.now()).toBe(RETRY_SCHEDULE_MS[2]);

    advance(RETRY_SCHEDULE_MS[2]);
    await d.tick();
    expect(receiver.received).toHaveLength(3);
    const ids = new Set(receiver.received.map((request) => request.headers['webhook-id']));
    expect(ids.size).toBe(1);
    const stamps = receiver.received.map((request) => request.headers['webhook-timestamp']);
    expect(new Set(stamps).size).toBe(3);
    // Each try verifies at the moment it arrived (the specification refuses stale timestamps).
    const end = Date.now();
    for (const request of receiver.received) {
      vi.setSystemTime(request.at);
      expect(() => new Webhook(endpoint.secret).verify(request.body, request.headers as never)).not.toThrow();
    }
    vi.setSystemTime(end);
    expect(() =>
      new Webhook(endpoint.secret).verify(receiver.received[0]!.body, receiver.received[0]!.headers as never),
    ).toThrow(/too old/);
    [pending] = await deliveries(endpoint.id);
    expect(pending).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(pending!.attemptLog.map((attempt) => attempt.responseStatus)).toEqual([200, 500, 500]);
  });

  it('waits as long as Retry-After asks', async () => {
    answers = [{ status: 503, headers: { 'retry-after': '120' } }];
    const endpoint = await addEndpoint();
    await createLead('Alan Turing');
    await dispatcher().tick();
    const [delivery] = await deliveries(endpoint.id);
    expect(Date.parse(delivery!.nextAttemptAt!) - Date.now()).toBe(120_000);
  });

  it('gives up after ten tries over about three days', async () => {
    answers = Array.from({ length: 20 }, () => ({ status: 502 }));
    const endpoint = await addEndpoint();
    await createLead('Edsger Dijkstra');
    const d = dispatcher();
    for (let i = 0; i < 12; i++) {
      await d.tick();
      advance(25 * 3_600_000);
    }
    expect(receiver.received).toHaveLength(RETRY_SCHEDULE_MS.length);
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 10, nextAttemptAt: null });

    // "Send again" gives it one more try, with the same webhook-id.
    const resent = await t.post(`/api/webhooks/${endpoint.id}/deliveries/${delivery!.id}/resend`, undefined);
    expect(resent.status).toBe(202);
    answers[10] = { status: 204 };
    await d.tick();
    expect(receiver.received).toHaveLength(11);
    expect(receiver.received[10]!.headers['webhook-id']).toBe(delivery!.id);
    expect((await deliveries(endpoint.id))[0]).toMatchObject({ status: 'succeeded', attempts: 11 });
  });

  it('disables an endpoint that answers 410 Gone', async () => {
    answers = [{ status: 410 }];
    const endpoint = await addEndpoint();
    await createLead('Barbara Liskov');
    const d = dispatcher();
    await d.tick();
    const after = (await (await t.get(`/api/webhooks/${endpoint.id}`)).json()) as WebhookEndpoint;
    expect(after).toMatchObject({ enabled: false, disabledReason: 'gone' });
    await createLead('Ken Thompson');
    await d.tick();
    expect(receiver.received).toHaveLength(1);
    expect((await deliveries(endpoint.id)).map((delivery) => delivery.status)).toEqual(['failed']);

    const resend = await t.post(
      `/api/webhooks/${endpoint.id}/deliveries/${receiver.received[0]!.headers['webhook-id']}/resend`,
      undefined,
    );
    expect(resend.status).toBe(409);
    // Back on, it is sent what happens from then on.
    expect((await t.patch(`/api/webhooks/${endpoint.id}`, { enabled: true })).status).toBe(200);
    await createLead('Dennis Ritchie');
    await d.tick();
    expect(receiver.received).toHaveLength(2);
  });

  it('gives up on an endpoint that does not answer within the time limit', async () => {
    answers = [{ status: 200, hang: true }];
    const endpoint = await addEndpoint();
    await createLead('Margaret Hamilton');
    await dispatcher({ timeoutMs: 300 }).tick();
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: null });
    expect(delivery!.attemptLog[0]!.error).toBe('no answer within 0.3 s');
  });

  it('signs with both secrets for a day after a rotation', async () => {
    const endpoint = await addEndpoint();
    const rotated = await t.post(`/api/webhooks/${endpoint.id}/rotate-secret`, undefined);
    expect(rotated.status).toBe(200);
    const { secret, previousSecretValidUntil } = (await rotated.json()) as {
      secret: string;
      previousSecretValidUntil: string;
    };
    expect(secret).not.toBe(endpoint.secret);
    expect(Date.parse(previousSecretValidUntil) - Date.now()).toBe(24 * 3_600_000);
    await createLead('John Backus');
    const d = dispatcher();
    await d.tick();
    const first = receiver.received[0]!;
    expect(String(first.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const key of [secret, endpoint.secret]) {
      expect(() => new Webhook(key).verify(first.body, first.headers as never)).not.toThrow();
    }
    advance(25 * 3_600_000);
    await createLead('Frances Allen');
    await d.tick();
    const second = receiver.received[1]!;
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => new Webhook(endpoint.secret).verify(second.body, second.headers as never)).toThrow();
    expect(() => new Webhook(secret).verify(second.body, second.headers as never)).not.toThrow();
  });

  it('sends only the subscribed types, and each delivery once with two dispatchers', async () => {
    const endpoint = await addEndpoint({ eventTypes: ['lead.stage_changed'] });
    const ids = [await createLead('Donald Knuth'), await createLead('Niklaus Wirth')];
    for (const id of ids) await t.patch(`/api/leads/${id}`, { stage: 'sql' });
    const one = dispatcher({ processId: 'one' });
    const two = dispatcher({ processId: 'two' });
    await Promise.all([one.tick(), two.tick(), one.tick(), two.tick()]);
    expect(receiver.received).toHaveLength(2);
    const types = receiver.received.map((request) => (JSON.parse(request.body) as { type: string }).type);
    expect(types).toEqual(['lead.stage_changed', 'lead.stage_changed']);
    expect(new Set(receiver.received.map((request) => request.headers['webhook-id'])).size).toBe(2);
    expect(await deliveries(endpoint.id)).toHaveLength(2);
  });

  it('sends an endpoint the events from its creation on, not the ones before', async () => {
    await createLead('Before Endpoint');
    const endpoint = await addEndpoint();
    await dispatcher().tick();
    expect(receiver.received).toHaveLength(0);
    expect(await deliveries(endpoint.id)).toHaveLength(0);
  });
});

describe('the address guard at send time', () => {
  it('refuses to connect to a name or an address that is private now (DNS rebinding)', async () => {
    const byName = await addEndpoint({ url: receiver.url.replace('127.0.0.1', 'localhost') });
    const byAddress = await addEndpoint();
    // As if both had been public when saved: the guard at connect time must still refuse them.
    await t.db.update(webhookEndpoints).set({ allowPrivateNetwork: false });
    await createLead('Rebinding Attempt');
    await dispatcher().tick();
    expect(receiver.received).toHaveLength(0);
    const [viaName] = await deliveries(byName.id);
    expect(viaName!.attemptLog[0]!.error).toMatch(
      /^localhost is a loopback or private address \((127\.0\.0\.1|::1)\)/,
    );
    const [viaAddress] = await deliveries(byAddress.id);
    expect(viaAddress!.attemptLog[0]!.error).toMatch(/^127\.0\.0\.1 is a loopback or private address/);
    expect(viaAddress).toMatchObject({ status: 'pending', attempts: 1 });
  });
});

describe('webhook endpoints', () => {
  it('refuses loopback and private addresses unless an admin allows them', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost/hook',
      'http://10.1.2.3/hook',
      'http://[::1]/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/hook',
      'http://192.168.1.20/hook',
    ]) {
      const res = await t.post('/api/webhooks', { url, eventTypes: ['lead.created'] });
      expect(res.status, url).toBe(422);
      const problem = (await res.json()) as { issues: { path: string[] }[]; detail: string };
      expect(problem.issues[0]!.path).toEqual(['url']);
      expect(problem.detail).toMatch(/loopback or private/);
    }
    const manager = (await (
      await t.post('/api/tokens', { name: 'Mia Manager', role: 'manager' })
    ).json()) as {
      token: string;
    };
    const body = { url: receiver.url, eventTypes: ['lead.created'], allowPrivateNetwork: true };
    const byManager = await t.request('POST', '/api/webhooks', { body, token: manager.token });
    expect(byManager.status).toBe(403);
    expect(((await byManager.json()) as { action: string }).action).toBe('webhooks.allow-private');
    expect((await t.post('/api/webhooks', body)).status).toBe(201);
  });

  it('tells private from public addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.8',
      '172.20.1.1',
      '100.64.0.1',
      '::1',
      'fd00::1',
      'fe80::1',
      '0.0.0.0',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '172.32.0.1']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('refuses a rep, a URL that is not http(s), an unknown event type, and an unknown endpoint', async () => {
    const rep = (await (await t.post('/api/tokens', { name: 'Rita Rep' })).json()) as { token: string };
    expect((await t.get('/api/webhooks', rep.token)).status).toBe(403);
    const ftp = await t.post('/api/webhooks', { url: 'ftp://example.com/x', eventTypes: ['lead.created'] });
    expect(ftp.status).toBe(422);
    const unknown = await t.post('/api/webhooks', {
      url: 'https://example.com/x',
      eventTypes: ['lead.eaten'],
    });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { issues: { path: unknown[] }[] }).issues[0]!.path).toEqual([
      'eventTypes',
      0,
    ]);
    expect((await t.get('/api/webhooks/nope')).status).toBe(404);
    expect((await t.del('/api/webhooks/nope')).status).toBe(404);
  });
});
