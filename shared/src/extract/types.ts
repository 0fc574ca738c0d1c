import type { Utm } from '../normalize/utm';

/** Where a field's value was read from, strongest first in the order the extractor tries them. */
export type FieldSource =
  | 'jsonld'
  | 'microformat'
  | 'microdata'
  | 'meta'
  | 'structure'
  | 'css'
  | 'url'
  | 'signature'
  | 'selection'
  | 'link';

/** The evidence behind one field: which strategy found it, how sure it is (0..1), and where exactly. */
export interface FieldEvidence {
  source: FieldSource;
  confidence: number;
  detail?: string;
}

/** A candidate lead as read from a page, before the rep confirms it. */
export interface ExtractedLead {
  kind: 'person' | 'company';
  fullName?: string;
  firstName?: string;
  lastName?: string;
  /** What name normalising stripped from the front ("Dr.", "Prof. Dr."). */
  honorific?: string;
  /** What name normalising stripped from the end ("MBA", "PhD, CFA"). */
  postNominals?: string;
  title?: string;
  company?: string;
  companyDomain?: string;
  email?: string;
  emailMatchKey?: string;
  /** E.164. */
  phone?: string;
  location?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  linkedinUrl?: string;
  website?: string;
  industry?: string;
  /** Head count; the lower bound of a range such as "51-200 employees". */
  companySize?: number;
  fieldSources: Partial<Record<string, FieldEvidence>>;
}

/** What the caller knows that the page does not say. */
export interface ExtractOptions {
  /** Text the rep selected on the page. */
  selectionText?: string;
  /** The signed-in rep's own addresses: never returned as a lead. */
  repEmails?: string[];
  /** The rep's company domains: participants from them are colleagues, not leads. */
  repDomains?: string[];
  /** ISO-2 country for local phone numbers when the page gives none. */
  defaultCountry?: string;
}

export type PageKind =
  | 'linkedin-profile'
  | 'linkedin-company'
  | 'linkedin-sales-navigator'
  | 'gmail'
  | 'outlook'
  | 'web';

export interface ExtractResult {
  pageKind: PageKind;
  leads: ExtractedLead[];
  source: { channel: 'linkedin' | 'email' | 'web'; url: string; utm?: Utm };
}

/** What every strategy gets besides the document. */
export interface ExtractContext {
  url: string;
  /** ISO-2 country for local phone numbers: the page's, else options.defaultCountry. */
  country?: string;
  options: ExtractOptions;
}
