import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(() => server.dispose());

const TWO_MB = 2 * 1024 * 1024;

/** A body that arrives in pieces, as over a slow uplink: the API answers long before its end. */
function slowBody(size: number) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent >= size) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, 2));
      controller.enqueue(new Uint8Array(128 * 1024).fill(0x78));
      sent += 128 * 1024;
    },
  });
}

describe('a body over the limit on a keep-alive connection', () => {
  it('is a readable 413 problem, and the requests before and after it on the connection go through', async () => {
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    for (let round = 0; round < 15; round++) {
      for (let i = 0; i < 2; i++)
        expect((await fetch(`${server.url}/api/leads?limit=1`, { headers })).status).toBe(200);
      const declared = await fetch(`${server.url}/api/leads`, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(TWO_MB) },
        body: slowBody(TWO_MB),
        duplex: 'half',
      } as RequestInit);
      expect(declared.status).toBe(413);
      expect(((await declared.json()) as { type: string }).type).toBe('/problems/payload-too-large');
      const chunked = await fetch(`${server.url}/api/leads`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ fullName: 'x'.repeat(TWO_MB) }),
      });
      expect(chunked.status).toBe(413);
      await chunked.text();
    }
    expect(server.output()).not.toMatch(/failed:/);
  });
});
