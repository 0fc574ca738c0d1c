import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectSignature } from '@leadline/shared';
import { corpusDir } from './corpus-path';

const MARK = '#sig#';

export interface CorpusMail {
  id: string;
  body: string;
  sender: string;
  /** 0-based indexes of the lines marked `#sig#`. */
  truth: number[];
}

/** The e-mails of one corpus folder with the `#sig#` markers stripped and kept as the truth. */
export function loadMails(folder: 'with-signature' | 'without-signature'): CorpusMail[] {
  const dir = corpusDir('email-signatures', folder);
  const ids = readdirSync(dir)
    .filter((f) => f.endsWith('_body'))
    .map((f) => f.slice(0, -'_body'.length))
    .sort((a, b) => Number(a) - Number(b));
  return ids.map((id) => {
    const raw = readFileSync(join(dir, `${id}_body`), 'utf8');
    const truth: number[] = [];
    const body = raw
      .split('\n')
      .map((line, index) => {
        if (!line.startsWith(MARK)) return line;
        truth.push(index);
        return line.slice(MARK.length);
      })
      .join('\n');
    let sender = '';
    try {
      sender = readFileSync(join(dir, `${id}_sender`), 'utf8').trim();
    } catch {
      sender = '';
    }
    return { id, body, sender, truth };
  });
}

export interface SignatureMetrics {
  signed: number;
  unsigned: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** Share of unsigned e-mails in which any line is flagged. */
  falsePositiveRate: number;
  /** Per-mail differences, for the report. */
  mistakes: { id: string; folder: string; missed: number[]; extra: number[] }[];
}

/** Line precision and recall over the signed e-mails, false-positive rate over the unsigned ones. */
export function measureSignatures(): SignatureMetrics {
  const signed = loadMails('with-signature');
  const unsigned = loadMails('without-signature');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const mistakes: SignatureMetrics['mistakes'] = [];
  for (const mail of signed) {
    const found = new Set(detectSignature(mail.body, mail.sender).lines);
    const truth = new Set(mail.truth);
    const missed = mail.truth.filter((i) => !found.has(i));
    const extra = [...found].filter((i) => !truth.has(i));
    tp += truth.size - missed.length;
    fn += missed.length;
    fp += extra.length;
    if (missed.length || extra.length)
      mistakes.push({ id: mail.id, folder: 'with-signature', missed, extra });
  }
  let flagged = 0;
  for (const mail of unsigned) {
    const found = detectSignature(mail.body, mail.sender).lines;
    if (found.length) {
      flagged++;
      mistakes.push({ id: mail.id, folder: 'without-signature', missed: [], extra: found });
    }
  }
  return {
    signed: signed.length,
    unsigned: unsigned.length,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp ? tp / (tp + fp) : 0,
    recall: tp + fn ? tp / (tp + fn) : 0,
    falsePositiveRate: unsigned.length ? flagged / unsigned.length : 0,
    mistakes,
  };
}
