/**
 * `pnpm extract FILE --url URL [--rep-email ADDRESS]... [--rep-domain DOMAIN]... [--selection TEXT] [--country XX]`
 *
 * Runs the extractor over a saved HTML page and prints `{"leads":[...]}` on stdout, so a page that
 * extracts badly becomes a fixture in one step.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseHTML } from 'linkedom';
import { type ExtractedLead, extractLeads } from '../extract';

const USAGE =
  'usage: pnpm extract FILE --url URL [--rep-email ADDRESS]... [--rep-domain DOMAIN]... [--selection TEXT] [--country XX] [--all]';

/** The fields every printed lead carries, present or not, so a missing value is visible as null. */
const FIELDS = [
  'kind',
  'fullName',
  'firstName',
  'lastName',
  'honorific',
  'postNominals',
  'title',
  'company',
  'companyDomain',
  'email',
  'emailMatchKey',
  'phone',
  'location',
  'country',
  'linkedinUrl',
  'website',
  'industry',
  'companySize',
] as const;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function printable(lead: ExtractedLead): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) out[field] = lead[field] ?? null;
  out.fieldSources = lead.fieldSources;
  return out;
}

function main(argv: string[]) {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) fail(positionals.length ? 'give exactly one FILE' : 'missing FILE');
  if (!values.url) fail('missing --url URL (the address the page was saved from)');
  try {
    new URL(values.url);
  } catch {
    fail(`--url is not a URL: ${values.url}`);
  }
  let html: string;
  try {
    html = readFileSync(positionals[0]!, 'utf8');
  } catch (error) {
    fail(`cannot read ${positionals[0]}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { document } = parseHTML(html);
  const result = extractLeads(document, values.url, {
    ...(values['rep-email']?.length ? { repEmails: values['rep-email'] } : {}),
    ...(values['rep-domain']?.length ? { repDomains: values['rep-domain'] } : {}),
    ...(values.selection ? { selectionText: values.selection } : {}),
    ...(values.country ? { defaultCountry: values.country.toUpperCase() } : {}),
  });
  const output = values.all
    ? { ...result, leads: result.leads.map(printable) }
    : { leads: result.leads.map(printable) };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: 'string' },
      'rep-email': { type: 'string', multiple: true },
      'rep-domain': { type: 'string', multiple: true },
      selection: { type: 'string' },
      country: { type: 'string' },
      all: { type: 'boolean' },
    },
  });
}

main(process.argv.slice(2));
