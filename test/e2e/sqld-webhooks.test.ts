import { type ReceivedWebhook, startWebhookReceiver, type WebhookReceiver } from '@leadline/server/testing';
import type { WebhookDelivery } from '@leadline/shared';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type SqldServer, startSqld } from '../support/sqld';

// Two API processes on one libSQL server, as a team behind a load balancer runs them: every event
// is delivered once, by one of them, and what was pending when they stopped is sent after the restart.
let sqld: SqldServer;
let a: ApiServer;
let b: ApiServer;
let receiver: WebhookReceiver;
let failing = false;
/** The requests answered 200: each event must be among them exactly once. */
const accepted: ReceivedWebhook[] = [];
beforeAll(async () => {
  sqld = await startSqld();
  const token = `e2e-admin-token-${crypto.randomUUID()}`;
  a = await startApiServer({ databaseUrl: sqld.url, token });
  b = await startApiServer({ databaseUrl: sqld.url, token });
  receiver = await startWebhookReceiver((request) => {
    if (failing) return { status: 500 };
    accepted.push(request);
    return { status: 200 };
  });
}, 60_000);
afterAll(async () => {
  await a?.dispose();
  await b?.dispose();
  await receiver?.close();
  await sqld?.dispose();
});

const eventIdOf = (body: string) => (JSON.parse(body) as { data: { eventId: number } }).data.eventId;
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_500));

describe('webhooks with two API processes on sqld', () => {
  it('sends each event once, signed, and what was pending at a restart once after it', async () => {
    const created = await api<{ id: string; secret: string }>(a, 'POST', '/api/webhooks', {
      url: receiver.url,
      eventTypes: ['lead.created'],
      allowPrivateNetwork: true,
    });
    expect(created.status).toBe(201);
    const { id: endpointId, secret } = created.body;

    for (let i = 0; i < 20; i++) {
      const server = i % 2 ? b : a;
      expect((await api(server, 'POST', '/api/leads', { fullName: `Twin Process ${i}` })).status).toBe(201);
    }
    await receiver.waitFor(20);
    await settle();
    expect(receiver.received).toHaveLength(20);
    const verifier = new Webhook(secret);
    for (const request of receiver.received) {
      expect(() => verifier.verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    }
    expect(new Set(receiver.received.map((request) => request.headers['webhook-id'])).size).toBe(20);
    expect(new Set(receiver.received.map((request) => eventIdOf(request.body))).size).toBe(20);

    // The endpoint fails; the first tries are refused, then both processes stop.
    failing = true;
    for (let i = 0; i < 5; i++) {
      expect((await api(a, 'POST', '/api/leads', { fullName: `Before Restart ${i}` })).status).toBe(201);
    }
    // Every one refused at least once (a retry 5 s later may come in between, under load).
    const refusedIds = () =>
      new Set(receiver.received.slice(20).map((request) => request.headers['webhook-id']));
    while (refusedIds().size < 5) await receiver.waitFor(receiver.received.length + 1);
    await Promise.all([a.stop(), b.stop()]);
    failing = false;
    const refused = [...refusedIds()];
    expect(refused).toHaveLength(5);

    // Restarted, they send the stored deliveries on schedule (5 s after the failed try), once each.
    await Promise.all([a.start(), b.start()]);
    expect((await api(b, 'POST', '/api/leads', { fullName: 'After Restart' })).status).toBe(201);
    const deadline = Date.now() + 30_000;
    while (accepted.length < 26 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    await settle();
    expect(accepted).toHaveLength(26);
    expect(new Set(accepted.map((request) => request.headers['webhook-id'])).size).toBe(26);
    expect(new Set(accepted.map((request) => eventIdOf(request.body))).size).toBe(26);
    const acceptedIds = accepted.map((request) => request.headers['webhook-id']);
    expect(refused.every((id) => acceptedIds.includes(id))).toBe(true);

    const log = await api<{ items: WebhookDelivery[] }>(
      a,
      'GET',
      `/api/webhooks/${endpointId}/deliveries?limit=100`,
    );
    expect(log.body.items).toHaveLength(26);
    expect(log.body.items.every((delivery) => delivery.status === 'succeeded')).toBe(true);
    const tries = log.body.items.filter((delivery) => refused.includes(delivery.id));
    for (const delivery of tries) {
      const [last, ...before] = delivery.attemptLog.map((attempt) => attempt.responseStatus);
      expect(last).toBe(200);
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((status) => status === 500)).toBe(true);
    }
  }, 120_000);
});
