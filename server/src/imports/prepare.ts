import {
  canonicalLinkedinUrl,
  cleanField,
  companyDomainFromEmail,
  companyDomainFromWebsite,
  countryFromText,
  type ImportTarget,
  type LeadCreate,
  type LeadStage,
  leadCreateSchema,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  normalizeWebsite,
  parseCompanySize,
  registrableDomain,
} from '@leadline/shared';

/** A row read through the mapping: the lead it describes, or why it cannot be one. */
export type PreparedRow =
  | { ok: false; rowNo: number; line: number; reason: string; values: DisplayValues }
  | {
      ok: true;
      rowNo: number;
      line: number;
      lead: LeadCreate;
      createdAt: Date | null;
      owner: string | null;
      notes: string | null;
      values: DisplayValues;
    };
export type DisplayValues = Record<string, string | number | null>;

/** Lead statuses and lifecycle stages of the usual CRMs, folded, to Leadline's stages. */
const STAGE_WORDS: [RegExp, LeadStage][] = [
  [/^(closed ?)?won$|^customer$/, 'won'],
  [/^(closed ?)?lost$/, 'lost'],
  [/^(open deal|opportunity|negotiation|proposal)/, 'opportunity'],
  [/^(sql|sales qualified( lead)?)$/, 'sql'],
  [/^(mql|marketing qualified( lead)?|qualified)$/, 'mql'],
  [/^(unqualified|disqualified|junk|bad fit)/, 'disqualified'],
  [/^(nurture|bad timing|recycled)/, 'nurture'],
  [/^(new|open|lead|subscriber|attempted to contact|in progress|connected|working|contacted)/, 'new'],
];

export function stageFromText(text: string): LeadStage | null {
  const folded = text.trim().toLowerCase().replace(/[-_]+/g, ' ');
  return STAGE_WORDS.find(([pattern]) => pattern.test(folded))?.[1] ?? null;
}

/**
 * A date as CRMs export it: ISO 8601 ("2024-03-01", "2024-03-01 14:05"), US ("03/01/2024
 * 2:05 PM", Salesforce and HubSpot in US locales) or European ("01.03.2024"). Null when unreadable.
 */
export function parseImportDate(text: string): Date | null {
  const value = text.trim();
  let match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      value,
    );
  if (match) {
    const date = new Date(
      match[4]
        ? `${match[1]}-${match[2]}-${match[3]}T${match[4].padStart(2, '0')}:${match[5]}:${match[6] ?? '00'}${match[7] ?? 'Z'}`
        : `${match[1]}-${match[2]}-${match[3]}T00:00:00Z`,
    );
    return Number.isNaN(date.getTime()) ? null : date;
  }
  match = /^(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp][Mm])?)?$/.exec(
    value,
  );
  if (!match) return null;
  const [month, day] =
    match[2] === '/' ? [Number(match[1]), Number(match[3])] : [Number(match[3]), Number(match[1])];
  let hours = Number(match[5] ?? 0);
  if (match[7]?.toLowerCase() === 'pm' && hours < 12) hours += 12;
  if (match[7]?.toLowerCase() === 'am' && hours === 12) hours = 0;
  const date = new Date(Date.UTC(Number(match[4]), month - 1, day, hours, Number(match[6] ?? 0)));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

/** A money amount as exported ("$1,200.50", "1.200,50 €", "1200"); null when unreadable. */
function parseAmount(text: string): number | null {
  let digits = text.replace(/[^\d.,-]/g, '');
  if (/,\d{1,2}$/.test(digits)) digits = digits.replace(/\./g, '').replace(',', '.');
  else digits = digits.replace(/,/g, '');
  const value = Number(digits);
  return digits && Number.isFinite(value) && value >= 0 ? value : null;
}

/** Spreadsheets (and Leadline's own errors file) guard text that starts like a formula with an apostrophe. */
const unguard = (cell: string) => (/^'[=+\-@]/.test(cell) ? cell.slice(1) : cell);

/**
 * Reads one CSV row through the mapping, with the same normalisers as a capture (names, e-mail
 * match key, E.164 phones, domains, canonical LinkedIn URLs, countries) and the API's own lead
 * schema, so an imported lead is stored, and matched, exactly like a captured one.
 */
export function prepareRow(
  row: { rowNo: number; line: number; cells: readonly string[] },
  headers: readonly string[],
  mapping: readonly ImportTarget[],
): PreparedRow {
  const { rowNo, line } = row;
  const raw = new Map<ImportTarget, string>();
  const notes: string[] = [];
  const values: DisplayValues = {};
  const refuse = (reason: string): PreparedRow => ({ ok: false, rowNo, line, reason, values });
  if (row.cells.length !== headers.length) {
    return refuse(`This row has ${row.cells.length} columns; the header has ${headers.length}`);
  }
  for (let i = 0; i < headers.length; i++) {
    const cell = unguard((row.cells[i] ?? '').trim());
    const target = mapping[i] ?? 'skip';
    if (!cell || target === 'skip') continue;
    if (target === 'notes') notes.push(`${headers[i]}: ${cell}`);
    else if (!raw.has(target)) {
      raw.set(target, cell);
      // As written, until normalised below: what a refused row shows.
      values[target] = cell.slice(0, 200);
    }
  }
  const get = (target: ImportTarget) => raw.get(target);
  const lead: Record<string, unknown> = {};

  const nameText = get('fullName') ?? [get('firstName'), get('lastName')].filter(Boolean).join(' ');
  if (nameText) {
    const name = normalizeName(nameText);
    if (!name) return refuse(`"${nameText.slice(0, 80)}" does not read as a person's name`);
    Object.assign(lead, { fullName: name.fullName, firstName: name.firstName, lastName: name.lastName });
  }
  const emailText = get('email');
  if (emailText) {
    const email = normalizeEmail(emailText);
    if (!email) return refuse(`"${emailText.slice(0, 80)}" is not an e-mail address`);
    lead.email = email.email;
  }
  const linkedinText = get('linkedinUrl');
  if (linkedinText) {
    const url = canonicalLinkedinUrl(linkedinText);
    if (!url?.includes('/in/')) return refuse(`"${linkedinText.slice(0, 80)}" is not a LinkedIn profile URL`);
    lead.linkedinUrl = url;
  }
  for (const field of ['title', 'company', 'location', 'industry'] as const) {
    const text = get(field);
    if (text) lead[field] = cleanField(text);
  }
  const countryText = get('country');
  const country = countryText
    ? countryFromText(countryText)
    : lead.location
      ? countryFromText(String(lead.location))
      : null;
  if (countryText && !country) notes.push(`Country: ${countryText}`);
  if (country) lead.country = country;
  const phoneText = get('phone');
  if (phoneText) {
    const phone = normalizePhone(phoneText, country ?? undefined);
    if (!phone) {
      return refuse(
        `"${phoneText.slice(0, 40)}" is not a phone number that can be written with its country code${country ? '' : ' (a local number needs a Country column)'}`,
      );
    }
    lead.phone = phone;
  }
  const websiteText = get('website');
  if (websiteText) {
    const website = normalizeWebsite(websiteText);
    if (!website) return refuse(`"${websiteText.slice(0, 80)}" is not a website address`);
    lead.website = website;
  }
  const domainText = get('companyDomain');
  const domain =
    (domainText && registrableDomain(domainText)) ||
    (lead.website ? companyDomainFromWebsite(String(lead.website)) : null) ||
    (lead.email ? companyDomainFromEmail(String(lead.email)) : null);
  if (domain) lead.companyDomain = domain;
  const size = get('companySize');
  if (size) {
    const count = parseCompanySize(size);
    if (count) lead.companySize = count;
  }
  const stageText = get('stage');
  if (stageText) {
    const stage = stageFromText(stageText);
    if (stage) lead.stage = stage;
    else notes.push(`Status: ${stageText}`);
  }
  const amount = get('dealValue');
  if (amount) {
    const value = parseAmount(amount);
    if (value === null) return refuse(`"${amount.slice(0, 40)}" is not an amount`);
    lead.dealValue = value;
  }
  const source = get('leadSource');
  const campaign = get('campaign');
  lead.source = {
    channel: 'import',
    ...(source || campaign
      ? { utm: { source: source?.slice(0, 200), campaign: campaign?.slice(0, 200) } }
      : {}),
  };
  let createdAt: Date | null = null;
  const createdText = get('createdAt');
  if (createdText) {
    createdAt = parseImportDate(createdText);
    if (!createdAt) return refuse(`"${createdText.slice(0, 40)}" is not a date (write it as 2024-03-31)`);
    if (createdAt.getTime() > Date.now()) return refuse(`The create date ${createdText} is in the future`);
  }
  const parsed = leadCreateSchema.safeParse(lead);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    return refuse(
      field === 'fullName' && !nameText
        ? 'No name, e-mail or LinkedIn URL: a lead needs one'
        : `${field}: ${issue.message}`,
    );
  }
  for (const key of Object.keys(values)) delete values[key];
  for (const [key, value] of Object.entries(parsed.data)) {
    if (value !== undefined && typeof value !== 'object') values[key] = value as string | number;
  }
  if (source) values.leadSource = source;
  if (campaign) values.campaign = campaign;
  const owner = get('owner') ?? null;
  if (owner) values.owner = owner;
  if (createdAt) values.createdAt = createdAt.toISOString();
  return {
    ok: true,
    rowNo,
    line,
    lead: parsed.data,
    createdAt,
    owner,
    notes: notes.length ? notes.join('\n').slice(0, 4000) : null,
    values,
  };
}
