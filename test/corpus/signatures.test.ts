import { describe, expect, it } from 'vitest';
import { measureSignatures } from './signature-metrics';

/**
 * Floors a little under what the detector reaches today (precision 0.995, recall 0.990, no false
 * positives; see `npx tsx test/corpus/signature-report.ts`), so a regression fails here.
 */
describe('signature detector on the Enron/Mailgun corpus (CC BY 3.0)', () => {
  const metrics = measureSignatures();

  it('reads all 97 signed and 95 unsigned e-mails', () => {
    expect(metrics.signed).toBe(97);
    expect(metrics.unsigned).toBe(95);
  });

  it('picks out the marked signature lines: precision >= 0.97, recall >= 0.97', () => {
    expect(metrics.precision).toBeGreaterThanOrEqual(0.97);
    expect(metrics.recall).toBeGreaterThanOrEqual(0.97);
  });

  it('flags a line in at most 2% of unsigned e-mails', () => {
    expect(metrics.falsePositiveRate).toBeLessThanOrEqual(0.02);
  });
});
