import { describe, expect, it } from 'vitest';
import { envSchema } from './env';

describe('env', () => {
  it('has the documented defaults', () => {
    expect(envSchema.parse({})).toEqual({
      PORT: 8787,
      HOST: '127.0.0.1',
      DATABASE_URL: 'file:./data/leadline.db',
      CADENCE_INTERVAL_MS: 30_000,
      SLA_INTERVAL_MS: 60_000,
      IMPORT_INTERVAL_MS: 10_000,
    });
  });

  it.each(['libsql://team.turso.io', 'http://127.0.0.1:8080', 'wss://db.example.com', 'file:/tmp/x.db'])(
    'accepts the database URL %s',
    (url) => {
      expect(envSchema.parse({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    },
  );

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
  ])('refuses %j, naming %s', (env, field) => {
    const result = envSchema.safeParse(env);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });
});
