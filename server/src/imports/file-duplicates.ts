import { matchKeys } from './match';
import type { PreparedRow } from './prepare';

/** The keys a row is matched by, each with how a repeat of it reads. */
function candidateKeys(lead: PreparedRow & { ok: true }, matchedId: string | null): [string, string][] {
  const keys = matchKeys(lead.lead);
  const candidates: [string, string][] = [];
  if (matchedId) candidates.push([`lead:${matchedId}`, 'the same lead']);
  if (keys.linkedinUrl) candidates.push([`li:${keys.linkedinUrl}`, 'the same LinkedIn URL']);
  if (keys.emailKey) candidates.push([`em:${keys.emailKey}`, 'the same e-mail']);
  if (keys.fullName && (keys.companyDomain || keys.company)) {
    candidates.push([
      `nm:${keys.fullName.toLowerCase()}|${keys.companyDomain ?? keys.company}`,
      'the same name and company',
    ]);
  }
  return candidates;
}

/** The match keys of a row (`lead:` keys aside), as `FileDuplicates` spells them. */
export function rowKeys(lead: PreparedRow & { ok: true }): Set<string> {
  return new Set(candidateKeys(lead, null).map(([key]) => key));
}

/** A 52-bit FNV-1a hash of `text` (two 32-bit lanes), exact as a JavaScript number. */
function hash52(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x0100019d) ^ (b >>> 15);
  }
  return (a >>> 0) + ((b >>> 0) & 0xfffff) * 2 ** 32;
}

/**
 * Where a duplicate inside the file was first seen, by the keys a match uses.
 *
 * Without `keysOfRow` the keys are kept as text (a slice of an import: a few hundred rows). With it
 * (the dry run of a whole file: 500,000 rows held about 260 MB of key strings) the e-mail, LinkedIn
 * and name keys are kept as 52-bit hashes, a few bytes each, and a hash seen before is confirmed by
 * the first row's own keys (`keysOfRow` reads that row again), so a hash collision never refuses a
 * row. A colliding key is kept as text.
 */
export class FileDuplicates {
  private readonly exact = new Map<string, number>();
  private readonly hashed = new Map<number, number>();

  constructor(private readonly keysOfRow?: (rowNo: number) => Promise<Set<string>>) {}

  /** The earlier row this one repeats (and by what), recording its keys; null for a first sight. */
  async check(
    rowNo: number,
    lead: PreparedRow & { ok: true },
    matchedId: string | null,
  ): Promise<string | null> {
    const candidates = candidateKeys(lead, matchedId);
    for (const [key, what] of candidates) {
      const first = await this.firstRow(key);
      if (first !== undefined) return `Duplicate of row ${first} in this file (${what})`;
    }
    for (const [key] of candidates) await this.remember(key, rowNo);
    return null;
  }

  private hashes(key: string) {
    return this.keysOfRow !== undefined && !key.startsWith('lead:');
  }

  private async firstRow(key: string): Promise<number | undefined> {
    const exact = this.exact.get(key);
    if (exact !== undefined || !this.hashes(key)) return exact;
    const first = this.hashed.get(hash52(key));
    if (first === undefined) return undefined;
    return (await this.keysOfRow!(first)).has(key) ? first : undefined;
  }

  private async remember(key: string, rowNo: number) {
    if (!this.hashes(key)) {
      this.exact.set(key, rowNo);
      return;
    }
    const hash = hash52(key);
    // The hash is another row's key's (a collision, found false by `firstRow`): kept as text.
    if (this.hashed.has(hash)) this.exact.set(key, rowNo);
    else this.hashed.set(hash, rowNo);
  }
}
