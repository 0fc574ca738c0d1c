/**
 * A company's head count as one number from the ranges pages print ("51-200 employees",
 * "10,001+ employees", "1.001–5.000 Beschäftigte"). The LOWER bound is used: it never overstates a
 * company's size for fit scoring, and open-ended bands ("10,001+") have no midpoint. `null` when the
 * text holds no count.
 *
 * @example
 * parseCompanySize('51-200 employees');          // 51
 * parseCompanySize('10,001+ employees');         // 10001
 * parseCompanySize('1.001–5.000 Beschäftigte');  // 1001
 * parseCompanySize('Software Development');      // null
 */
export function parseCompanySize(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 1 && raw <= 10_000_000 ? raw : null;
  if (typeof raw !== 'string' || raw.length > 200) return null;
  const match =
    /(\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+|\d{1,8})\s*(?:[-–—]|to|bis|à|a)?\s*(\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+|\d{1,8})?\s*\+?/.exec(
      raw,
    );
  if (!match) return null;
  const lower = Number(match[1]!.replace(/\D/g, ''));
  return Number.isInteger(lower) && lower >= 1 && lower <= 10_000_000 ? lower : null;
}
