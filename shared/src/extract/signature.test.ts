import { describe, expect, it } from 'vitest';
import { detectSignature, newContentEnd } from './signature';

const pick = (body: string, sender?: string) => {
  const lines = body.split('\n');
  return detectSignature(body, sender).lines.map((i) => lines[i]);
};

describe('detectSignature', () => {
  it('finds a modern signature block and its fields', () => {
    const body = [
      'Hi Max,',
      '',
      'Thursday 10:00 works for us. I will bring our CFO.',
      '',
      'Best regards,',
      'Anna Müller',
      'Head of Growth | Acme GmbH',
      'T: +49 30 1234 5678 | F: +49 30 1234 5679',
      'www.acme.de',
    ].join('\n');
    const result = detectSignature(body, 'Anna Müller <anna.mueller@acme.de>');
    expect(result.lines).toEqual([4, 5, 6, 7, 8]);
    expect(result.fields).toEqual({
      name: 'Anna Müller',
      title: 'Head of Growth',
      company: 'Acme GmbH',
      phone: '+49 30 1234 5678',
      website: 'www.acme.de',
    });
  });

  it('reads German closings and compound titles', () => {
    const body =
      'Hallo Herr Rep,\n\nanbei das Angebot.\n\nMit freundlichen Grüßen\nLena Schmidt\nTeamleiterin Einkauf\nNorthwind Traders GmbH\nTel. 089 1234567-12';
    const result = detectSignature(body, 'Lena Schmidt <lena@northwind.de>');
    expect(result.lines).toEqual([4, 5, 6, 7, 8]);
    expect(result.fields).toMatchObject({
      title: 'Teamleiterin Einkauf',
      company: 'Northwind Traders GmbH',
      phone: '089 1234567-12',
    });
  });

  it('starts at a "--" rule and takes the e-mail, not the fax', () => {
    const body =
      'See you then.\n\n--\nBob Chen\nVP Sales, Globex Inc.\nFax: +1 312 555 0100\nMobile: +1 312 555 0187\nbob@globex.com';
    const result = detectSignature(body, 'bob@globex.com');
    expect(result.lines).toEqual([2, 3, 4, 5, 6, 7]);
    expect(result.fields).toMatchObject({
      title: 'VP Sales',
      company: 'Globex Inc.',
      phone: '+1 312 555 0187',
      email: 'bob@globex.com',
    });
  });

  it('does not mistake quoted replies for the signature', () => {
    const quoted = [
      'Sounds good, see you Monday.',
      '',
      'On Mon, Jun 3, 2024 at 9:12 AM Anna Müller <anna@acme.de> wrote:',
      '> Thanks,',
      '> Anna Müller',
      '> Head of Growth',
    ].join('\n');
    expect(pick(quoted, 'Max Rep <max@ourco.com>')).toEqual([]);
    const outlook = [
      'Agreed.',
      '',
      '-----Original Message-----',
      'From: Anna Müller',
      'Sent: Monday',
      'Thanks,',
      'Anna',
    ].join('\n');
    expect(pick(outlook, 'Max <max@ourco.com>')).toEqual([]);
    const header = [
      'Agreed.',
      '',
      'Thanks,',
      'Max',
      '',
      'From: Anna Müller <anna@acme.de>',
      'Sent: Monday, June 3, 2024',
      'To: Max',
      'Subject: Pilot',
      '',
      'Best,',
      'Anna Müller',
      'Head of Growth',
    ].join('\n');
    expect(pick(header, 'Max Rep <max@ourco.com>')).toEqual(['Thanks,', 'Max']);
    expect(newContentEnd(header.split('\n'))).toBe(5);
  });

  it('flags nothing in mail without a sign-off', () => {
    expect(pick('Please call me back.\n\nThanks')).toEqual([]);
    expect(pick("Cara's new number is\n\n503-810-1105", 'Semperger')).toEqual([]);
    expect(pick('Protocol Document and Data Copy Instructions\n\nCertification Document', 'Clyatt')).toEqual(
      [],
    );
    expect(pick('That should be it.\n\nBT', 'Barry Tycholiz')).toEqual([]);
    expect(pick('')).toEqual([]);
  });

  it('takes a lone first name and sender initials with a closing', () => {
    expect(pick('Buffalo Gap would be just fine.\n\nBert', 'Meyers')).toEqual(['Bert']);
    expect(pick('Call me when you land.\n\nThanks, BT', 'Tycholiz, Barry')).toEqual(['Thanks, BT']);
    expect(pick('Will do.\n\nRegards,\nTom', 'Rosendahl, Thomas G.')).toEqual(['Regards,', 'Tom']);
  });

  it('stays linear on huge input', () => {
    const body = `${'word '.repeat(200_000)}\n\nThanks,\nAnna`;
    expect(pick(body, 'Anna')).toEqual(['Thanks,', 'Anna']);
  });
});
