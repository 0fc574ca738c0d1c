/**
 * Whole-word matching without regular expressions built from user input (no ReDoS, nothing to
 * escape): both sides are split into words and compared as word sequences.
 */

/**
 * Lower-cased words of a text, accents folded, split on anything that is not a letter or digit.
 * Folding accents makes "Directeur Général" and "directeur general" the same words.
 *
 * @example
 * words('VP, Sales & Marketing'); // ['vp', 'sales', 'marketing']
 * words('Head of R&D');           // ['head', 'of', 'r', 'd']
 */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/**
 * Whether `phrase` occurs in `text` as whole words, case-insensitively: "vp" is in "VP of Sales"
 * but not in "MVP", "vice president" is in "Senior Vice President", "head" is not in "Headquarters".
 *
 * @example
 * containsPhrase('Senior Vice-President, EMEA', 'vice president'); // true
 * containsPhrase('Headquarters staff', 'head');                   // false
 */
export function containsPhrase(text: string, phrase: string): boolean {
  return indexOfWords(words(text), words(phrase)) >= 0;
}

/**
 * Position of the word sequence `needle` in `haystack`, or -1 (an empty needle never matches).
 *
 * @example
 * indexOfWords(['senior', 'vice', 'president'], ['vice', 'president']); // 1
 * indexOfWords(['vice', 'chair'], ['vice', 'president']);               // -1
 */
export function indexOfWords(haystack: readonly string[], needle: readonly string[]): number {
  if (needle.length === 0) return -1;
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let offset = 0; offset < needle.length; offset++) {
      if (haystack[start + offset] !== needle[offset]) continue outer;
    }
    return start;
  }
  return -1;
}
