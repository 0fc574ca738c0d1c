import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('property tests', () => {
  it('run under the global time limit of test/support/property-limits.ts, an interruption failing them', () => {
    expect(fc.readConfigureGlobal()).toMatchObject({
      interruptAfterTimeLimit: 240_000,
      markInterruptAsFailure: true,
    });
  });
});
