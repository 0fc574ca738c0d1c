import { createHash } from 'node:crypto';
import type { ImportTarget } from '@leadline/shared';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { importMappings } from '../db/schema';

/**
 * Header names as HubSpot, Salesforce, Pipedrive, Apollo and LinkedIn Sales Navigator export them,
 * folded (lower case, letters and digits only; Pipedrive's "Person - " prefix dropped).
 */
const ALIASES: Record<Exclude<ImportTarget, 'skip' | 'notes'>, string[]> = {
  fullName: ['name', 'fullname', 'contactname', 'leadname', 'contact'],
  firstName: ['firstname', 'first', 'givenname', 'vorname', 'prenom'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'nachname', 'nom'],
  email: ['email', 'emailaddress', 'workemail', 'emailwork', 'primaryemail', 'businessemail', 'emailhome'],
  phone: [
    'phone',
    'phonenumber',
    'phonework',
    'workphone',
    'firstphone',
    'workdirectphone',
    'directphone',
    'mobile',
    'mobilephone',
    'mobilephonenumber',
    'phonemobile',
    'corporatephone',
    'telephone',
    'telefon',
  ],
  title: ['title', 'jobtitle', 'position', 'role', 'designation'],
  company: [
    'company',
    'companyname',
    'account',
    'accountname',
    'organization',
    'organisation',
    'organizationname',
    'employer',
    'firma',
    'unternehmen',
    'societe',
  ],
  companyDomain: ['companydomain', 'companydomainname', 'domain', 'emaildomain'],
  website: ['website', 'websiteurl', 'companywebsite', 'url', 'web'],
  linkedinUrl: [
    'linkedin',
    'linkedinurl',
    'linkedinprofile',
    'linkedinprofileurl',
    'personlinkedinurl',
    'profileurl',
    'linkedinbio',
  ],
  location: ['location', 'city', 'address', 'geography', 'region', 'ort', 'stadt', 'ville'],
  country: ['country', 'countryregion', 'countryname', 'land', 'pays'],
  industry: ['industry'],
  companySize: [
    'numberofemployees',
    'noofemployees',
    'employees',
    'companysize',
    'headcount',
    'employeecount',
  ],
  stage: ['leadstatus', 'status', 'stage', 'lifecyclestage', 'leadstage'],
  leadSource: ['leadsource', 'source', 'originalsource'],
  campaign: ['campaign', 'campaignname', 'utmcampaign'],
  createdAt: ['createdate', 'createddate', 'datecreated', 'createdat', 'personcreated', 'addtime', 'created'],
  owner: ['owner', 'contactowner', 'leadowner', 'accountowner', 'hubspotowner', 'salesowner', 'assignedto'],
  dealValue: ['dealvalue', 'amount', 'value', 'opportunityamount'],
};

/** Identifiers of the other system: nothing a rep reads, so they are skipped rather than noted. */
const SKIPPED = new Set([
  'id',
  'recordid',
  'leadid',
  'contactid',
  'personid',
  'accountid',
  'emailstatus',
  // The columns Leadline's own "Download errors" file adds.
  'row',
  'line',
  'error',
]);

const BY_ALIAS = new Map<string, ImportTarget>(
  Object.entries(ALIASES).flatMap(([target, names]) => names.map((name) => [name, target as ImportTarget])),
);

/** A header folded for recognition: "Person - Email - Work" → "emailwork", "Country/Region" → "countryregion". */
export function foldHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/^(person|lead|contact|organization)\s*-\s*/, (prefix) =>
      prefix.startsWith('organization') ? 'organization' : '',
    )
    .replace(/[^a-z0-9]+/g, '');
}

/**
 * The target each column is proposed for: a recognised header gets its field (the first column
 * wins when two name one field, the next go to notes), an identifier is skipped, the rest go to notes.
 */
export function suggestMapping(headers: readonly string[]): ImportTarget[] {
  const used = new Set<ImportTarget>();
  return headers.map((header) => {
    const folded = foldHeader(header);
    if (SKIPPED.has(folded)) return 'skip';
    const target = BY_ALIAS.get(folded) ?? BY_ALIAS.get(folded.replace(/^organization/, ''));
    if (!target || used.has(target)) return 'notes';
    used.add(target);
    return target;
  });
}

/** The key a set of headers is saved under: the same columns in the same order. */
export function headerKey(headers: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(headers.map((header) => header.trim().toLowerCase())))
    .digest('hex');
}

export async function savedMapping(
  db: Executor,
  workspaceId: string,
  headers: readonly string[],
): Promise<ImportTarget[] | null> {
  const [row] = await db
    .select({ mapping: importMappings.mapping })
    .from(importMappings)
    .where(
      and(eq(importMappings.workspaceId, workspaceId), eq(importMappings.headerKey, headerKey(headers))),
    );
  return row && row.mapping.length === headers.length ? row.mapping : null;
}

export async function saveMapping(
  db: Executor,
  workspaceId: string,
  headers: readonly string[],
  mapping: ImportTarget[],
  now: Date,
) {
  await db
    .insert(importMappings)
    .values({ workspaceId, headerKey: headerKey(headers), mapping, updatedAt: now })
    .onConflictDoUpdate({
      target: [importMappings.workspaceId, importMappings.headerKey],
      set: { mapping, updatedAt: now },
    });
}
