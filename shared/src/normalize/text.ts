/**
 * Plain-text hygiene shared by every normaliser: whatever a page hands us (markup in JSON-LD strings,
 * entities, zero-width characters, 100k-character "names"), a lead field only ever holds plain text.
 */

/** Longest text a single lead field may hold; longer input is refused rather than cut mid-word. */
export const MAX_FIELD_LENGTH = 200;

/** Raw strings longer than this are not even cleaned: nothing useful hides in them and cleaning costs. */
const MAX_RAW_LENGTH = 4000;

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
};

/**
 * Collapses every run of whitespace (including no-break and zero-width spaces) to one space and trims.
 *
 * @example
 * foldWhitespace('  Anna\u00a0\n Müller '); // 'Anna Müller'
 */
export function foldWhitespace(value: string): string {
  return value
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

/**
 * Decodes the common named and numeric HTML entities; unknown ones are left as they are.
 *
 * @example
 * decodeEntities('Smith &amp; Co &#8211; &lt;b&gt;'); // 'Smith & Co – <b>'
 */
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (match, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return ENTITIES[body.toLowerCase()] ?? match;
  });
}

/**
 * Turns a string that may carry markup into plain text: entities decoded, comments, script and style
 * blocks and tags removed, stray angle brackets and control characters dropped, whitespace folded.
 *
 * @example
 * toPlainText('<b>Anna</b><script>alert(1)</script> &amp; Co'); // 'Anna & Co'
 */
export function toPlainText(value: string): string {
  let text = decodeEntities(value);
  if (text.includes('<')) {
    text = text
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<(script|style)\b[^>]{0,500}>[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<\/?[a-z!][^<>]{0,500}>/gi, ' ')
      .replace(/[<>]/g, ' ');
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we strip
  return foldWhitespace(text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' '));
}

/**
 * A lead's free-text field from untrusted input: plain text, non-empty, at most `max` characters.
 * Anything longer is refused (`undefined`), because a field that long is never the real value.
 *
 * @example
 * cleanField('  Head of <i>Growth</i> '); // 'Head of Growth'
 * cleanField('x'.repeat(100_000));        // undefined
 */
export function cleanField(value: unknown, max = MAX_FIELD_LENGTH): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const raw = String(value);
  if (raw.length > MAX_RAW_LENGTH) return undefined;
  const text = toPlainText(raw);
  if (!text || text.length > max) return undefined;
  return text;
}
