const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

const dash = '–';

export const formatCount = (value: number | null | undefined) =>
  value === null || value === undefined ? dash : integer.format(value);
export const formatMoney = (value: number | null | undefined) =>
  value === null || value === undefined ? dash : money.format(value);
export const formatPercent = (value: number | null | undefined) =>
  value === null || value === undefined ? dash : percent.format(value);
export const formatDecimal = (value: number | null | undefined) =>
  value === null || value === undefined ? dash : decimal.format(value);

/** Minutes as the unit a person would say: 42 min, 3.5 h, 2.1 days. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return dash;
  if (minutes < 60) return `${decimal.format(minutes)} min`;
  if (minutes < 48 * 60) return `${decimal.format(minutes / 60)} h`;
  return `${decimal.format(minutes / 1440)} days`;
}

export const formatHours = (hours: number | null | undefined) =>
  hours === null || hours === undefined ? dash : formatMinutes(hours * 60);

/** Touchpoint types read as words: "email_sent" -> "email sent". */
export const humanize = (value: string) => value.replaceAll('_', ' ');
