import {
  companyDomainFromEmail,
  companyDomainFromWebsite,
  countryFromText,
  type LeadCreate,
  leadCreateSchema,
  normalizePhone,
  normalizeWebsite,
  parseUtm,
  type Utm,
} from '@leadline/shared';
import type { Context } from 'hono';
import { describeIssues, ProblemException, zodIssues } from '../lib/problem';
import { HONEYPOT_FIELD, PAGE_FIELD, RENDERED_AT_FIELD, SUBMITTED_AT_FIELD } from './snippet';

/** A submission's body, fields and links are capped: a contact form never needs more. */
export const FORM_MAX_BYTES = 16 * 1024;
export const FORM_MAX_FIELD_CHARS = 2000;
export const FORM_MAX_FIELDS = 40;
/** More links than this in what a visitor typed reads as spam. */
export const FORM_MAX_LINKS = 3;
/** A form sent sooner than this after its page showed it was filled by a script, not a person. */
export const FORM_MIN_FILL_MS = 2000;

export type SubmittedFields = Record<string, string>;

const issue = (path: string, message: string) => [{ path: [path], message, code: 'custom' }];

function fieldProblem(name: string, message: string) {
  return new ProblemException('validation', `${name}: ${message}`, issue(name, message));
}

function addField(fields: SubmittedFields, name: string, value: unknown) {
  if (name.length > 100) throw fieldProblem(name.slice(0, 100), 'field names are at most 100 characters');
  const values = Array.isArray(value) ? value : [value];
  const texts = values.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    if (item === null || item === undefined) return '';
    throw fieldProblem(name, 'files and nested values are not accepted; send text');
  });
  const text = texts.join(', ');
  if (text.length > FORM_MAX_FIELD_CHARS) {
    throw fieldProblem(name, `at most ${FORM_MAX_FIELD_CHARS} characters (this one has ${text.length})`);
  }
  fields[name] = text;
  if (Object.keys(fields).length > FORM_MAX_FIELDS) {
    throw new ProblemException('validation', `A submission has at most ${FORM_MAX_FIELDS} fields`);
  }
}

/** The submitted fields as text, from a URL-encoded, multipart or JSON body. */
export async function readSubmission(c: Context): Promise<SubmittedFields> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // No prototype: a field named __proto__ is a field like any other.
  const fields: SubmittedFields = Object.create(null);
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ProblemException('malformed-json', 'The request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ProblemException('validation', 'Send the fields as one JSON object, e.g. {"email": "..."}');
    }
    for (const [name, value] of Object.entries(body)) addField(fields, name, value);
    return fields;
  }
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    let body: Record<string, unknown>;
    try {
      body = await c.req.parseBody({ all: true });
    } catch {
      throw new ProblemException('bad-request', `The ${type} body could not be read`);
    }
    for (const [name, value] of Object.entries(body)) addField(fields, name, value);
    return fields;
  }
  throw new ProblemException(
    'unsupported-media-type',
    'Send the form as application/x-www-form-urlencoded, multipart/form-data or application/json',
  );
}

const LINK = /\b(?:https?:\/\/|www\.)/gi;

/** Refuses (422 `spam`) a filled honeypot, a message of links, or a form filled too fast. */
export function assertNotSpam(fields: SubmittedFields) {
  if (fields[HONEYPOT_FIELD]?.trim()) {
    throw new ProblemException(
      'spam',
      `The hidden field ${HONEYPOT_FIELD} was filled in, which people never do: the submission looks automated`,
    );
  }
  const typed = Object.entries(fields).filter(
    ([name]) => !name.startsWith('_') && leadField(name) !== 'website',
  );
  const links = typed.reduce((sum, [, value]) => sum + (value.match(LINK)?.length ?? 0), 0);
  if (links > FORM_MAX_LINKS) {
    throw new ProblemException(
      'spam',
      `The submission has ${links} links (at most ${FORM_MAX_LINKS}): it looks like spam`,
    );
  }
  const renderedAt = Number(fields[RENDERED_AT_FIELD]);
  const submittedAt = Number(fields[SUBMITTED_AT_FIELD]);
  // Both by the visitor's clock, so a clock that is off changes nothing.
  if (fields[RENDERED_AT_FIELD] && fields[SUBMITTED_AT_FIELD] && Number.isFinite(renderedAt + submittedAt)) {
    const elapsed = submittedAt - renderedAt;
    if (elapsed < FORM_MIN_FILL_MS) {
      throw new ProblemException(
        'spam',
        `The form was sent ${Math.max(0, elapsed)} ms after the page showed it (a person takes at least ${FORM_MIN_FILL_MS / 1000} s)`,
      );
    }
  }
}

type LeadField =
  | 'fullName'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'company'
  | 'title'
  | 'phone'
  | 'website'
  | 'country'
  | 'message';

/** The names a website's form fields go by, folded (lower case, no `-`, `_` or spaces). */
const ALIASES: Record<string, LeadField> = {
  name: 'fullName',
  fullname: 'fullName',
  yourname: 'fullName',
  first: 'firstName',
  firstname: 'firstName',
  givenname: 'firstName',
  last: 'lastName',
  lastname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  company: 'company',
  companyname: 'company',
  organization: 'company',
  organisation: 'company',
  title: 'title',
  jobtitle: 'title',
  position: 'title',
  phone: 'phone',
  phonenumber: 'phone',
  telephone: 'phone',
  tel: 'phone',
  mobile: 'phone',
  website: 'website',
  url: 'website',
  site: 'website',
  country: 'country',
  message: 'message',
  comments: 'message',
  comment: 'message',
  enquiry: 'message',
  inquiry: 'message',
  notes: 'message',
};

function leadField(name: string): LeadField | undefined {
  return ALIASES[name.toLowerCase().replace(/[-_\s]/g, '')];
}

export interface MappedSubmission {
  lead: LeadCreate;
  /** What goes on the touchpoint: the message, then every field that is no lead field. */
  note: string;
  pageUrl: string;
  utm: Utm;
}

/**
 * The page the form was on: the script's `_page` if it is a page of the submitting origin, else the
 * Referer if it is, else the origin itself (a plain form, whose site sends only its origin).
 */
function pageOf(fields: SubmittedFields, origin: string, referer: string | undefined): string {
  for (const candidate of [fields[PAGE_FIELD], referer]) {
    if (candidate && URL.canParse(candidate) && new URL(candidate).origin === origin) return candidate;
  }
  return `${origin}/`;
}

/** Maps a submission to lead fields (refusing one without an e-mail) and the touchpoint's note. */
export function mapSubmission(
  fields: SubmittedFields,
  context: { formName: string; campaign: string | null; origin: string; referer?: string },
): MappedSubmission {
  const values: Partial<Record<LeadField, string>> = {};
  const extras: string[] = [];
  for (const [name, raw] of Object.entries(fields)) {
    const value = raw.trim();
    if (name.startsWith('_') || !value) continue;
    const field = leadField(name);
    if (field && values[field] === undefined) values[field] = value;
    else extras.push(`${name}: ${value}`);
  }
  if (!values.email) throw fieldProblem('email', 'a form submission needs an e-mail address');
  const country = values.country ? countryFromText(values.country) : null;
  if (values.country && !country) extras.push(`country: ${values.country}`);
  const website = values.website ? normalizeWebsite(values.website) : null;
  if (values.website && !website) extras.push(`website: ${values.website}`);
  const pageUrl = pageOf(fields, context.origin, context.referer);
  const utm: Utm = { ...parseUtm(pageUrl) };
  if (!utm.campaign && context.campaign) utm.campaign = context.campaign;
  const email = values.email.toLowerCase();
  const companyDomain =
    companyDomainFromEmail(email) ?? (website ? companyDomainFromWebsite(website) : null) ?? undefined;
  const lead: LeadCreate = {
    fullName: values.fullName,
    firstName: values.firstName,
    lastName: values.lastName,
    email,
    company: values.company,
    title: values.title,
    phone: values.phone ? (normalizePhone(values.phone, country ?? undefined) ?? values.phone) : undefined,
    website: website ?? undefined,
    country: country ?? undefined,
    companyDomain,
    source: { channel: 'web', url: pageUrl, utm },
  };
  const checked = leadCreateSchema.safeParse(lead);
  if (!checked.success) {
    const issues = zodIssues(checked.error);
    throw new ProblemException('validation', `Invalid form fields: ${describeIssues(issues)}`, issues);
  }
  const utmText = Object.entries(utm)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  const note = [
    `Form: ${context.formName}`,
    `Page: ${pageUrl}`,
    ...(utmText ? [`UTM: ${utmText}`] : []),
    ...extras,
    ...(values.message ? ['', values.message] : []),
  ]
    .join('\n')
    .slice(0, 5000);
  return { lead: checked.data, note, pageUrl, utm };
}
