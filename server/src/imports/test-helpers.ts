import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Import } from '@leadline/shared';
import { TEST_ADMIN_TOKEN, type TestApp } from '../test-utils';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/imports');

/** A sample file of test/fixtures/imports. */
export const fixture = (name: string) => readFileSync(join(FIXTURES, name));

/** Uploads a file's bytes (or a stream) as the raw body, as the dashboard page does. */
export function upload(
  t: TestApp,
  body: BodyInit,
  fileName = 'leads.csv',
  token: string = TEST_ADMIN_TOKEN,
  query = '',
) {
  return t.app.request(`/api/imports?fileName=${encodeURIComponent(fileName)}${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

export async function uploaded(t: TestApp, name: string, query = ''): Promise<Import> {
  const res = await upload(t, fixture(name), name, TEST_ADMIN_TOKEN, query);
  if (res.status !== 201) throw new Error(`upload of ${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Import;
}

/** Polls the import until it leaves `running`/`undoing` (the run is in the background). */
export async function settled(t: TestApp, id: string): Promise<Import> {
  for (;;) {
    const job = (await (await t.get(`/api/imports/${id}`)).json()) as Import;
    if (job.status !== 'running' && job.status !== 'undoing') return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function invite(t: TestApp, name: string, role: string, email?: string) {
  const res = await t.post('/api/team/people', { name, role, ...(email ? { email } : {}) });
  if (res.status !== 201) throw new Error(`invite: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; person: { id: string } };
}
