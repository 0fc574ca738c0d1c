/**
 * A money figure in the workspace's currency (ISO 4217), whole units: every amount the panel and the
 * dashboard show goes through here, so one setting changes them all.
 *
 * @example
 * formatMoney(12500, 'EUR', 'en-US'); // '€12,500'
 */
export function formatMoney(value: number, currency: string, locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      maximumFractionDigits: 0,
    }).format(value);
  } catch {
    // An unknown code still shows the amount and the code the workspace set.
    return `${Math.round(value).toLocaleString(locale)} ${currency}`;
  }
}
