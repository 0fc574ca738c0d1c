const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const moneyFormats = new Map<string, Intl.NumberFormat>();

const dash = '–';

export const formatCount = (value: number | null | undefined) =>
  value === null || value === undefined ? dash : integer.format(value);
export const formatPercent = (value: number | null | undefined) =>
  value === null || value === undefined ? dash : percent.format(value);
export const formatDecimal = (value: number | null | undefined) =>
  value === null || value === undefined ? dash : decimal.format(value);

/**
 * Every money figure of the dashboard goes through here: in the workspace's currency (an ISO 4217
 * code) once the API offers one, else as a whole number as today.
 */
export function formatMoney(value: number | null | undefined, currency?: string | null): string {
  if (value === null || value === undefined) return dash;
  const key = currency ?? '';
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(
      undefined,
      currency ? { style: 'currency', currency, maximumFractionDigits: 0 } : { maximumFractionDigits: 0 },
    );
    moneyFormats.set(key, format);
  }
  return format.format(value);
}

/** Minutes as the unit a person would say: 42 min, 3.5 h, 2.1 days. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return dash;
  if (minutes < 60) return `${decimal.format(minutes)} min`;
  if (minutes < 48 * 60) return `${decimal.format(minutes / 60)} h`;
  return `${decimal.format(minutes / 1440)} days`;
}

export const formatHours = (hours: number | null | undefined) =>
  hours === null || hours === undefined ? dash : formatMinutes(hours * 60);

/** A month of a monthly chart or table, marked when it is only partly counted. */
export const monthLabel = (month: string, partial: boolean) => (partial ? `${month} (partial)` : month);
