import { sql } from 'drizzle-orm';
import { getTableConfig, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Executor } from '../db/client';
import { leads } from '../db/schema';

/**
 * The leads indexes over any of `columns` (of the ranking, pending and last-touch indexes, those a
 * rescore writes): what a rescore of most of a large table rebuilds once instead of updating.
 */
export function indexesOver(columns: readonly SQLiteColumn[]): string[] {
  return getTableConfig(leads)
    .indexes.filter((index) =>
      index.config.columns.some((column) => columns.includes(column as SQLiteColumn)),
    )
    .map((index) => index.config.name);
}

/**
 * Holds back index maintenance while a rescore rewrites most of a large table: the scoring indexes
 * are dropped inside the transaction and created again from their own stored definitions at the
 * end (one sort each instead of a delete and an insert per lead per index). Readers on other
 * connections keep the old snapshot, indexes included; a failure rolls the drop back with the rest.
 */
export class DeferredIndexes {
  private definitions: string[] | null = null;

  /**
   * `names`: the indexes the rescore's writes touch. Only a workspace holding most of the table is
   * `eligible` (and a large one): for a small share, updating in place is cheaper than rebuilding.
   * `sample`: how many leads are rescored in place before judging.
   */
  constructor(
    private readonly tx: Executor,
    private readonly names: readonly string[],
    private readonly eligible: boolean,
    private readonly sample: number,
  ) {}

  /**
   * Defers once the leads rescored so far show that at least a tenth change (at 1,000,000 leads an
   * update in place costs ~0.1 ms a lead, rebuilding five indexes ~10 s).
   */
  async consider(rescored: number, changed: number) {
    if (!this.eligible || this.definitions || rescored < this.sample || changed * 10 < rescored) return;
    const stored = await this.tx.values<[string]>(
      sql`select sql from sqlite_master where type = 'index' and tbl_name = 'leads'
          and name in ${this.names}`,
    );
    this.definitions = Array.from(stored, (row) => String(row[0]));
    for (const name of this.names) await this.tx.run(sql`drop index if exists ${sql.identifier(name)}`);
  }

  /** Creates the deferred indexes again; returns how many. */
  async restore() {
    const definitions = this.definitions ?? [];
    try {
      // Lets SQLite sort for each index on a second core where it was built with worker threads.
      if (definitions.length) await this.tx.run(sql`pragma threads = 2`);
    } catch {
      // a server that refuses the pragma builds them all the same
    }
    for (const definition of definitions) await this.tx.run(sql.raw(definition));
    this.definitions = null;
    return definitions.length;
  }
}
