import { attr, queryOne } from './dom';
import { createLead, evidence, setName } from './merge';
import type { ExtractedLead } from './types';

/** What a page's `<meta>` and OpenGraph tags say about who published it. */
export interface PageMeta {
  siteName?: string;
  author?: string;
  ogType?: string;
  firstName?: string;
  lastName?: string;
}

// Meta tags live in the head; looking only there keeps a 5 MB body out of every lookup.
const content = (doc: Document, selector: string) =>
  attr(queryOne(doc.head ?? doc, selector), 'content') || undefined;

/** Reads author, site name and OpenGraph profile tags. */
export function readMeta(doc: Document): PageMeta {
  const meta: PageMeta = {};
  const siteName =
    content(doc, 'meta[property="og:site_name"]') ?? content(doc, 'meta[name="application-name"]');
  if (siteName) meta.siteName = siteName;
  const author = content(doc, 'meta[name="author"]') ?? content(doc, 'meta[property="article:author"]');
  if (author && !/^https?:/i.test(author)) meta.author = author;
  const ogType = content(doc, 'meta[property="og:type"]');
  if (ogType) meta.ogType = ogType.toLowerCase();
  const first = content(doc, 'meta[property="profile:first_name"]');
  const last = content(doc, 'meta[property="profile:last_name"]');
  if (first) meta.firstName = first;
  if (last) meta.lastName = last;
  return meta;
}

/**
 * A person the meta tags name: an OpenGraph profile (`og:type=profile` with first and last name),
 * or else the page's `author` when `includeAuthor` (the caller found no better-described person).
 *
 * @example
 * metaLeads(document, false)[0]?.fullName; // 'Anna Müller' from profile:first_name / profile:last_name
 */
export function metaLeads(
  doc: Document,
  includeAuthor: boolean,
  meta: PageMeta = readMeta(doc),
): ExtractedLead[] {
  const leads: ExtractedLead[] = [];
  if (meta.ogType === 'profile' && meta.firstName && meta.lastName) {
    const lead = createLead('person');
    if (
      setName(lead, `${meta.firstName} ${meta.lastName}`, evidence('meta', 'og profile:first_name/last_name'))
    ) {
      leads.push(lead);
    }
  } else if (includeAuthor && meta.author) {
    const lead = createLead('person');
    if (setName(lead, meta.author, evidence('meta', 'meta[name=author]', 0.9))) leads.push(lead);
  }
  return leads;
}
