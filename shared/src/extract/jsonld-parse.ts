import { queryAll } from './dom';

/** Reading JSON-LD as sites really write it: comments, control characters, trailing commas, CDATA. */

const MAX_SCRIPTS = 50;
const MAX_SCRIPT_CHARS = 2_000_000;

/**
 * Repairs what sites get wrong in JSON-LD before `JSON.parse`: JS and HTML comments, raw control
 * characters inside strings, trailing commas, CDATA wrappers. One pass, linear in the input.
 */
function repair(text: string): string {
  const out: string[] = [];
  let lastSignificant = -1;
  let inString = false;
  let escaped = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (inString) {
      if (escaped) {
        escaped = false;
        out.push(c);
      } else if (c === '\\') {
        escaped = true;
        out.push(c);
      } else if (c === '"') {
        inString = false;
        out.push(c);
        lastSignificant = out.length - 1;
      } else {
        const code = c.charCodeAt(0);
        if (code < 0x20) {
          out.push(
            code === 10
              ? '\\n'
              : code === 13
                ? '\\r'
                : code === 9
                  ? '\\t'
                  : `\\u${code.toString(16).padStart(4, '0')}`,
          );
        } else {
          out.push(c);
        }
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      out.push(c);
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end - 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === '<' && text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === '<' && text.startsWith('<![CDATA[', i)) {
      i += 8;
      continue;
    }
    if (c === ']' && text.startsWith(']]>', i)) {
      i += 2;
      continue;
    }
    if ((c === '}' || c === ']') && lastSignificant >= 0 && out[lastSignificant] === ',') {
      out[lastSignificant] = '';
    }
    out.push(c);
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') lastSignificant = out.length - 1;
  }
  return out.join('').trim();
}

/**
 * Parses the text of a JSON-LD script the way a tolerant crawler does: comments, control characters
 * and trailing commas are repaired; a top-level object is wrapped in an array. Unrecoverable input
 * gives `[]`, never an exception.
 *
 * @example
 * parseJsonLd('{ "@type": "Person", // who\n "name": "Anna", }'); // [{ '@type': 'Person', name: 'Anna' }]
 */
export function parseJsonLd(text: string): unknown[] {
  if (typeof text !== 'string' || text.length > MAX_SCRIPT_CHARS) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      value = JSON.parse(repair(text));
    } catch {
      return [];
    }
  }
  if (Array.isArray(value)) return value;
  return value === null || value === undefined ? [] : [value];
}

/** Every JSON-LD block of a document, parsed tolerantly (at most 50 scripts). */
export function readJsonLd(doc: Document): unknown[] {
  const roots: unknown[] = [];
  for (const script of queryAll(doc, 'script[type]', 1000)) {
    if (!/ld\+json/i.test(script.getAttribute('type') ?? '')) continue;
    roots.push(...parseJsonLd(script.textContent ?? ''));
    if (roots.length >= MAX_SCRIPTS) break;
  }
  return roots;
}
