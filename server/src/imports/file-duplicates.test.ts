import type { LeadCreate } from '@leadline/shared';
import { describe, expect, it } from 'vitest';
import { FileDuplicates, rowKeys } from './file-duplicates';
import type { PreparedRow } from './prepare';

const row = (rowNo: number, lead: Partial<LeadCreate>): PreparedRow & { ok: true } => ({
  ok: true,
  rowNo,
  line: rowNo + 1,
  lead: { source: { channel: 'import' }, ...lead } as LeadCreate,
  createdAt: null,
  owner: null,
  notes: null,
  values: {},
});

const file = [
  row(1, { fullName: 'Anna Müller', email: 'anna@acme.de', company: 'Acme' }),
  row(2, { fullName: 'Ben Berg', email: 'ben@acme.de', company: 'Acme' }),
  row(3, { fullName: 'Anna Müller', email: 'a.mueller@other.de', company: 'Acme' }),
  row(4, { fullName: 'Cleo Chan', email: 'Ben@Acme.de' }),
  row(5, { fullName: 'Dan Dorn', email: 'dan@acme.de' }),
];

async function reasons(duplicates: FileDuplicates, matched: Record<number, string> = {}) {
  const out: (string | null)[] = [];
  for (const r of file) out.push(await duplicates.check(r.rowNo, r, matched[r.rowNo] ?? null));
  return out;
}

describe('FileDuplicates', () => {
  const expected = [
    null,
    null,
    'Duplicate of row 1 in this file (the same name and company)',
    'Duplicate of row 2 in this file (the same e-mail)',
    'Duplicate of row 1 in this file (the same lead)',
  ];

  it('finds repeats by e-mail, name and company, and matched lead, with keys kept as text', async () => {
    expect(await reasons(new FileDuplicates(), { 1: 'lead-1', 5: 'lead-1' })).toEqual(expected);
  });

  it('finds the same repeats with keys kept as hashes, confirmed against the first row read again', async () => {
    const reads: number[] = [];
    const duplicates = new FileDuplicates(async (rowNo) => {
      reads.push(rowNo);
      return rowKeys(file[rowNo - 1]!);
    });
    expect(await reasons(duplicates, { 1: 'lead-1', 5: 'lead-1' })).toEqual(expected);
    // Only the rows that were repeated were read again (the matched lead's key is kept as text).
    expect(reads).toEqual([1, 2]);
  });

  it('never refuses a row for a hash its first row does not confirm (a collision)', async () => {
    // A reader that confirms nothing: every hash hit is taken for a collision.
    const duplicates = new FileDuplicates(async () => new Set());
    expect(await reasons(duplicates)).toEqual([null, null, null, null, null]);
  });
});
