import { countryFromText } from '../normalize/country';
import { cleanField } from '../normalize/text';
import { readJsonLd } from './jsonld-parse';
import {
  createLead,
  evidence,
  setCompanySize,
  setCountry,
  setEmail,
  setLinkedin,
  setName,
  setPhone,
  setText,
  setWebsite,
} from './merge';
import type { ExtractContext, ExtractedLead } from './types';

export { parseJsonLd, readJsonLd } from './jsonld-parse';

type JsonObject = Record<string, unknown>;

const MAX_DEPTH = 24;
const MAX_NODES = 20_000;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The schema.org type names of a node, without prefixes. */
export function typesOf(node: JsonObject): string[] {
  const raw = node['@type'] ?? node.type;
  const list = Array.isArray(raw) ? raw : [raw];
  return list
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.replace(/^.*[/#:]/, ''))
    .slice(0, 10);
}

const ORG_TYPES =
  /^(Organization|Organisation|Corporation|Company|LocalBusiness|NGO|GovernmentOrganization|EducationalOrganization|NewsMediaOrganization|OnlineBusiness|OnlineStore|ProfessionalService|.*Business|.*Agency)$/;

export const isPerson = (node: JsonObject) => typesOf(node).includes('Person');
export const isOrganization = (node: JsonObject) =>
  !isPerson(node) && typesOf(node).some((t) => ORG_TYPES.test(t));

/** A JSON-LD Person or Organization found in a document, with what it is attached to. */
export interface JsonLdEntity {
  node: JsonObject;
  kind: 'person' | 'company';
  /** Stated at the top of a block, in `@graph`, or as a page's `mainEntity`/`about`. */
  topLevel: boolean;
  /** For a person listed as an organisation's employee or member: that organisation. */
  employer?: JsonObject;
  /** For an organisation: whether it is only some person's employer. */
  employerOnly?: boolean;
}

const EMPLOYEE_KEYS = new Set([
  'employee',
  'employees',
  'member',
  'members',
  'founder',
  'founders',
  'alumni',
]);
const EMPLOYER_KEYS = new Set(['worksFor', 'affiliation', 'memberOf']);
const MAIN_KEYS = new Set(['@graph', 'mainEntity', 'about']);

/**
 * Walks parsed JSON-LD (arrays, `@graph`, nesting) and returns its people and organisations. The walk
 * is iterative with a depth limit and a node budget, so a 10,000-deep document costs nothing.
 *
 * @example
 * collectEntities([{ '@type': 'Organization', name: 'Acme', employee: [{ '@type': 'Person', name: 'Anna' }] }]);
 * // [{ kind: 'company', node: {...Acme}, topLevel: true }, { kind: 'person', employer: {...Acme}, ... }]
 */
export function collectEntities(roots: unknown[]): JsonLdEntity[] {
  const entities: JsonLdEntity[] = [];
  const seen = new Set<JsonObject>();
  const stack: {
    value: unknown;
    depth: number;
    topLevel: boolean;
    employer?: JsonObject;
    employerOnly?: boolean;
  }[] = roots.map((value) => ({ value, depth: 0, topLevel: true })).reverse();
  let visited = 0;
  while (stack.length && visited < MAX_NODES) {
    const item = stack.pop()!;
    visited++;
    if (item.depth > MAX_DEPTH) continue;
    if (Array.isArray(item.value)) {
      for (let i = Math.min(item.value.length, 1000) - 1; i >= 0; i--) {
        stack.push({ ...item, value: item.value[i], depth: item.depth + 1 });
      }
      continue;
    }
    if (!isObject(item.value) || seen.has(item.value)) continue;
    const node = item.value;
    seen.add(node);
    const person = isPerson(node);
    const org = !person && isOrganization(node);
    if (person || org) {
      entities.push({
        node,
        kind: person ? 'person' : 'company',
        topLevel: item.topLevel,
        ...(item.employer && person ? { employer: item.employer } : {}),
        ...(org && item.employerOnly ? { employerOnly: true } : {}),
      });
    }
    const keys = Object.keys(node).slice(0, 200);
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k]!;
      const child = node[key];
      if (typeof child !== 'object' || child === null) continue;
      const topLevel =
        (item.topLevel && MAIN_KEYS.has(key)) || (item.topLevel && !person && !org && key === '@graph');
      stack.push({
        value: child,
        depth: item.depth + 1,
        topLevel,
        ...(org && EMPLOYEE_KEYS.has(key) ? { employer: node } : {}),
        ...(person && EMPLOYER_KEYS.has(key) ? { employerOnly: true } : {}),
      });
    }
  }
  return entities;
}

/** The first plain string of a JSON-LD value (string, number, `{@value}`, `{name}`, or an array). */
export function textValue(value: unknown, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 20)) {
      const text = textValue(item, depth + 1);
      if (text) return text;
    }
    return undefined;
  }
  if (isObject(value)) return textValue(value['@value'] ?? value.name, depth + 1);
  return undefined;
}

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value.slice(0, 100) : value === undefined ? [] : [value];

/** Index of the nodes that carry an `@id`, so `{ "@id": "#org" }` references can be followed. */
export function indexIds(entities: JsonLdEntity[], roots: unknown[]): Map<string, JsonObject> {
  const index = new Map<string, JsonObject>();
  const add = (node: unknown) => {
    if (isObject(node) && typeof node['@id'] === 'string' && Object.keys(node).length > 1)
      index.set(node['@id'], node);
  };
  for (const entity of entities) add(entity.node);
  for (const root of roots) {
    add(root);
    if (isObject(root)) for (const node of asList(root['@graph'])) add(node);
  }
  return index;
}

function resolve(value: unknown, ids: Map<string, JsonObject>): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value['@id'] === 'string' && Object.keys(value).length === 1) return ids.get(value['@id']);
  return value;
}

/** "Berlin, Germany" from a PostalAddress (or a plain string), with the ISO country. */
export function readAddress(value: unknown): { location?: string; country?: string } {
  const first = asList(value)[0];
  if (typeof first === 'string') {
    const location = cleanField(first);
    return {
      ...(location ? { location } : {}),
      ...(countryFromText(first) ? { country: countryFromText(first)! } : {}),
    };
  }
  if (!isObject(first)) return {};
  const countryText = textValue(first.addressCountry);
  // A bare country code adds nothing readable to "Paris, Île-de-France"; it still sets the country.
  const countryName = countryText && countryText.trim().length > 2 ? countryText : undefined;
  const parts = [textValue(first.addressLocality), textValue(first.addressRegion), countryName]
    .map((p) => cleanField(p))
    .filter((p): p is string => Boolean(p));
  const country = countryFromText(countryText ?? '') ?? undefined;
  return { ...(parts.length ? { location: parts.join(', ') } : {}), ...(country ? { country } : {}) };
}

/** Whether a worksFor entry (Organization or OrganizationRole) has ended. */
function hasEnded(entry: JsonObject): boolean {
  if (entry.endDate) return true;
  const role = entry.member ?? entry.roleName;
  return isObject(role) && Boolean(role.endDate);
}

/** The organisation a person works for now: the first `worksFor` entry without an end date. */
export function currentEmployer(person: JsonObject, ids: Map<string, JsonObject>): JsonObject | undefined {
  const entries = asList(person.worksFor)
    .map((e) => resolve(e, ids))
    .filter((e): e is JsonObject => Boolean(e));
  const current = entries.find((e) => !hasEnded(e)) ?? (entries.length === 1 ? entries[0] : undefined);
  if (!current) return undefined;
  // OrganizationRole wraps the organisation in worksFor.
  const inner = resolve(current.worksFor, ids);
  return inner && typesOf(current).includes('OrganizationRole') ? inner : current;
}

function fillOrganization(
  lead: ExtractedLead,
  org: JsonObject,
  ctx: ExtractContext,
  path: string,
  asEmployer: boolean,
) {
  const ev = (field: string, factor = 1) => evidence('jsonld', `${path}.${field}`, factor);
  setText(lead, 'company', textValue(org.name) ?? textValue(org.legalName), ev('name'));
  for (const url of [org.url, ...asList(org.sameAs)]) {
    const link = textValue(url);
    if (!link) continue;
    if (!asEmployer) setLinkedin(lead, link, ev('sameAs'));
    setWebsite(lead, link, ev('url'), { base: ctx.url, companySite: true });
  }
  if (!asEmployer) {
    setEmail(lead, textValue(org.email), ev('email'));
    setPhone(lead, textValue(org.telephone), ctx.country, ev('telephone'));
    const address = readAddress(org.address ?? (isObject(org.location) ? org.location.address : undefined));
    setText(lead, 'location', address.location, ev('address'));
    setCountry(lead, address.country, ev('address.addressCountry'));
    setText(lead, 'industry', textValue(org.industry) ?? textValue(org.knowsAbout), ev('industry', 0.8));
    const employees = org.numberOfEmployees;
    const size = isObject(employees) ? (employees.value ?? employees.minValue) : employees;
    setCompanySize(
      lead,
      typeof size === 'string' || typeof size === 'number' ? size : undefined,
      ev('numberOfEmployees'),
    );
  }
}

/** A lead for a JSON-LD Person, with its current employer's name and website. */
export function personLead(
  entity: JsonLdEntity,
  ids: Map<string, JsonObject>,
  ctx: ExtractContext,
): ExtractedLead {
  const node = entity.node;
  const lead = createLead('person');
  const ev = (field: string, factor = 1) => evidence('jsonld', `Person.${field}`, factor);
  const given = textValue(node.givenName);
  const family = textValue(node.familyName);
  setName(lead, textValue(node.name) ?? (given && family ? `${given} ${family}` : undefined), ev('name'));
  if (!lead.honorific && lead.fullName) {
    const prefix = cleanField(textValue(node.honorificPrefix), 30);
    if (prefix) {
      lead.honorific = prefix;
      lead.fieldSources.honorific = ev('honorificPrefix');
    }
  }
  setText(
    lead,
    'title',
    textValue(node.jobTitle) ?? textValue(isObject(node.hasOccupation) ? node.hasOccupation.name : undefined),
    ev('jobTitle'),
  );
  setEmail(lead, textValue(node.email), ev('email'));
  setPhone(lead, textValue(node.telephone), ctx.country, ev('telephone'));
  const address = readAddress(node.address ?? node.homeLocation ?? node.workLocation);
  setText(lead, 'location', address.location, ev('address'));
  setCountry(lead, address.country, ev('address.addressCountry'));
  const employer = currentEmployer(node, ids) ?? entity.employer;
  if (employer)
    fillOrganization(lead, employer, ctx, node.worksFor ? 'Person.worksFor' : 'Organization', true);
  for (const url of [node.url, ...asList(node.sameAs)]) {
    const link = textValue(url);
    if (!link) continue;
    if (!setLinkedin(lead, link, ev('sameAs')))
      setWebsite(lead, link, ev('url', 0.7), { base: ctx.url, companySite: false });
  }
  return lead;
}

/** A company lead for a JSON-LD Organization. */
export function organizationLead(entity: JsonLdEntity, ctx: ExtractContext): ExtractedLead {
  const lead = createLead('company');
  fillOrganization(lead, entity.node, ctx, 'Organization', false);
  return lead;
}

/**
 * The leads a page states in JSON-LD: every Person (with its employer), and every Organization that
 * is stated for itself rather than only as someone's employer.
 *
 * @example
 * jsonLdLeads(document, ctx).map((l) => l.fullName); // ['Anna Müller', 'Ben Okafor']
 */
export function jsonLdLeads(doc: Document, ctx: ExtractContext): ExtractedLead[] {
  const roots = readJsonLd(doc);
  if (!roots.length) return [];
  const entities = collectEntities(roots);
  const ids = indexIds(entities, roots);
  const leads: ExtractedLead[] = [];
  for (const entity of entities) {
    if (entity.kind === 'person') leads.push(personLead(entity, ids, ctx));
    else if (entity.topLevel && !entity.employerOnly) leads.push(organizationLead(entity, ctx));
    if (leads.length >= 200) break;
  }
  return leads;
}
