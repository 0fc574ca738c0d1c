import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+1 555', "'+1 555"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['<b>Rita</b>', '<b>Rita</b>'],
  ])('%j -> %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('keeps numbers (negative ones too) as numbers and leaves blanks empty', () => {
    expect(csvCell(-0.25)).toBe('-0.25');
    expect(csvCell(1333.33)).toBe('1333.33');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });
});

describe('toCsv', () => {
  it('writes a header and one CRLF line per row', () => {
    const csv = toCsv(
      [
        { label: 'Channel', value: (row: { channel: string; roi: number | null }) => row.channel },
        { label: 'ROI', value: (row) => row.roi },
      ],
      [
        { channel: 'linkedin', roi: 1.5 },
        { channel: '=cmd|calc', roi: null },
      ],
    );
    expect(csv).toBe("Channel,ROI\r\nlinkedin,1.5\r\n'=cmd|calc,\r\n");
  });
});
