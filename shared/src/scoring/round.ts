/**
 * `value` rounded half away from zero to `decimals` places. The `1 + 2 * EPSILON` nudge undoes the
 * error of the multiply, so 1.005 (stored as 1.00499999...) rounds to 1.01 as a person expects.
 *
 * @example
 * roundTo(1.005, 2); // 1.01
 * roundTo(7.499, 0); // 7
 */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(Math.abs(value) * factor * (1 + 2 * Number.EPSILON)) / factor;
  return value < 0 ? -rounded : rounded;
}
