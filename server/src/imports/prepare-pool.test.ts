import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { suggestMapping } from './mapping';
import { prepareRow } from './prepare';
import { prepareRows } from './prepare-pool';
import { fixture } from './test-helpers';

const staged = (records: string[][]) => records.map((cells, i) => ({ rowNo: i + 1, line: i + 2, cells }));

/** Threads of this process at nice 10 (Linux, /proc): the 19th field of each thread's stat. */
const lowered = () =>
  readdirSync('/proc/self/task').filter((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16] === '10';
    } catch {
      return false; // the thread ended while being listed
    }
  }).length;

describe('preparing import rows on their own thread', () => {
  it('runs at a lower CPU priority than the threads serving requests', async () => {
    const before = lowered();
    await prepareRows(
      [{ rowNo: 1, line: 2, cells: ['Ada Lovelace'] }],
      ['Full Name'],
      suggestMapping(['Full Name']),
    );
    expect(lowered()).toBe(before + 1);
  });

  it('gives the rows prepareRow gives on this thread, in order, dates as dates', async () => {
    const [headers, ...records] = parse(fixture('hubspot-contacts.csv'), { bom: true }) as string[][];
    const mapping = suggestMapping(headers!);
    // A refused row (a phone that cannot be written in E.164, a wrong column count) among the good.
    const rows = staged([
      ...records,
      ['1', 'Ada', 'Lovelace'],
      records[0]!.map((cell, i) => (i === 4 ? 'call me' : cell)),
    ]);
    const prepared = await prepareRows(rows, headers!, mapping);
    expect(prepared).toEqual(rows.map((row) => prepareRow(row, headers!, mapping)));
    expect(prepared.filter((row) => !row.ok).map((row) => !row.ok && row.reason)).toEqual(
      expect.arrayContaining([
        'This row has 3 columns; the header has 15',
        expect.stringContaining('"call me" is not a phone number'),
      ]),
    );
    const first = prepared[0]!;
    expect(first.ok && first.createdAt).toBeInstanceOf(Date);
  });

  it('answers pages sent at once each with its own rows', async () => {
    const headers = ['Full Name', 'Email'];
    const mapping = suggestMapping(headers);
    const pages = Array.from({ length: 8 }, (_, page) =>
      staged(Array.from({ length: 50 }, (_, i) => ['Ada Lovelace', `p${page}.${i}@example.com`])),
    );
    const answers = await Promise.all(pages.map((rows) => prepareRows(rows, headers, mapping)));
    answers.forEach((prepared, page) => {
      expect(prepared).toHaveLength(50);
      expect(
        prepared.every((row) => row.ok && row.lead.email === `p${page}.${prepared.indexOf(row)}@example.com`),
      ).toBe(true);
    });
  });
});
