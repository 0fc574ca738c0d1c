import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { suggestMapping } from './mapping';
import { prepareRow } from './prepare';
import { prepareRows } from './prepare-pool';
import { fixture } from './test-helpers';

const staged = (records: string[][]) => records.map((cells, i) => ({ rowNo: i + 1, line: i + 2, cells }));

describe('preparing import rows on their own thread', () => {
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
