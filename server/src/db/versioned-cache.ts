import { type Executor, statementRunner } from './client';
import { knownCacheVersion } from './sqlite-pool';

/**
 * The number every write to `api_tokens`, `users`, `workspaces` and `scoring_models` bumps (SQLite
 * triggers, migration 0012): read inside a transaction, it is that transaction's snapshot.
 */
async function cacheVersion(executor: Executor): Promise<number> {
  // In a write transaction on the embedded file, its last answer brought the version along.
  const known = knownCacheVersion();
  if (known !== undefined) return known;
  const { rows } = await statementRunner(executor).execute('select version from cache_versions where id = 1');
  return Number(rows[0]?.[0] ?? 0);
}

/**
 * Values derived from those tables (a token's principal, a workspace's model), kept in this process
 * while the version stays the same: one small read per use instead of the lookup, and a revoked
 * token or a changed model is seen at once by every API process, whatever wrote it.
 */
export class VersionedCache<V> {
  /** One map per database: tests open many in one process, with the same token in each. */
  private readonly byDatabase = new WeakMap<object, { version: number; entries: Map<string, V> }>();

  constructor(private readonly maxEntries = 10_000) {}

  async get(executor: Executor, key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const owner = databaseOf(executor);
    const version = await cacheVersion(executor);
    let cache = this.byDatabase.get(owner);
    if (!cache || cache.version !== version) {
      cache = { version, entries: new Map() };
      this.byDatabase.set(owner, cache);
    }
    const hit = cache.entries.get(key);
    if (hit !== undefined) return hit;
    const value = await load();
    // Stored only if nothing newer was seen meanwhile: a load that began under an older version
    // may hold what that version's writes have changed since.
    if (value !== undefined && this.byDatabase.get(owner) === cache) {
      if (cache.entries.size >= this.maxEntries) cache.entries.clear();
      cache.entries.set(key, value);
    }
    return value;
  }
}

/** The libSQL client under a drizzle handle or one of its transactions: the same for both. */
function databaseOf(executor: Executor): object {
  const client = (executor as unknown as { session?: { client?: object } }).session?.client;
  if (!client) throw new Error('No libSQL client found under this drizzle handle: has drizzle-orm changed?');
  return client;
}
