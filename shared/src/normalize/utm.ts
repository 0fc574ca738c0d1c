/** The five UTM tags a campaign link carries. */
export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/**
 * The UTM tags of a URL (`utm_source`... in the query, or in a `#...?utm_` fragment as single-page
 * apps write them); `undefined` when there are none.
 *
 * @example
 * parseUtm('https://acme.com/?utm_source=linkedin&utm_campaign=q3'); // { source: 'linkedin', campaign: 'q3' }
 */
export function parseUtm(url: string): Utm | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const params = new URLSearchParams(parsed.search);
  const hashQuery = parsed.hash.indexOf('?');
  if (hashQuery >= 0) {
    for (const [key, value] of new URLSearchParams(parsed.hash.slice(hashQuery + 1))) {
      if (!params.has(key)) params.set(key, value);
    }
  }
  const utm: Utm = {};
  for (const key of UTM_KEYS) {
    const value = params.get(`utm_${key}`)?.trim();
    if (value) utm[key] = value.slice(0, 200);
  }
  return Object.keys(utm).length ? utm : undefined;
}
