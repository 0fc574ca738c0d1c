import { foldWhitespace } from '../normalize/text';

/** Caps that keep extraction linear on hostile or huge pages. */
export const LIMITS = {
  /** Elements any single query may hand to a strategy. */
  elements: 500,
  /** Characters read out of one element's text. */
  text: 20_000,
  /** Nodes visited when rebuilding an element's text with line breaks. */
  walkNodes: 50_000,
} as const;

/**
 * `querySelectorAll` as an array, capped, and never throwing on a selector the engine rejects.
 *
 * @example
 * queryAll(document, 'a[href^="mailto:"]', 50).length <= 50; // true
 */
export function queryAll(root: ParentNode, selector: string, limit: number = LIMITS.elements): Element[] {
  try {
    const list = root.querySelectorAll(selector);
    const out: Element[] = [];
    for (let i = 0; i < list.length && out.length < limit; i++) out.push(list[i]!);
    return out;
  } catch {
    return [];
  }
}

/** `querySelector` that never throws. */
export function queryOne(root: ParentNode, selector: string): Element | null {
  try {
    return root.querySelector(selector);
  } catch {
    return null;
  }
}

/**
 * An element's text with whitespace folded (what `innerText` gives, without layout): works the same in
 * browsers and linkedom. Text longer than `max` is refused (empty string): such a node is a container,
 * not a field.
 *
 * @example
 * textOf(h1); // 'Anna Müller'
 */
export function textOf(node: Node | null | undefined, max: number = LIMITS.text): string {
  if (!node) return '';
  // textContent builds the whole subtree's text; measure first so a page-sized node costs little.
  if (!hasTextWithin(node, max * 4)) return '';
  const text = foldWhitespace(node.textContent ?? '');
  return text.length > max ? '' : text;
}

/**
 * Whether a node's text is at most `maxChars` long, found by walking at most a few thousand nodes:
 * the cost is bounded by the limit, not by the size of the subtree.
 */
export function hasTextWithin(node: Node, maxChars: number, maxNodes = 5000): boolean {
  let total = 0;
  let visited = 0;
  // Sibling pointers rather than childNodes: a node with 10,000 children costs only what is visited.
  let current: Node | null = node;
  while (current) {
    if (++visited > maxNodes) return false;
    if (current.nodeType === 3 || current.nodeType === 4) {
      total += current.nodeValue?.length ?? 0;
      if (total > maxChars) return false;
    }
    if (current.firstChild) {
      current = current.firstChild;
      continue;
    }
    while (current && current !== node && !current.nextSibling) current = current.parentNode;
    if (!current || current === node) break;
    current = current.nextSibling;
  }
  return true;
}

/** The trimmed value of an attribute, or `''`. */
export function attr(el: Element | null | undefined, name: string): string {
  return el?.getAttribute(name)?.trim() ?? '';
}

const BLOCK_TAGS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BR',
  'DD',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'TABLE',
  'TR',
  'UL',
]);
const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'SVG', 'HEAD']);

/**
 * An element's text with a line break wherever a browser would start a new line (`<br>`, block
 * elements), so e-mail bodies keep their lines. Elements for which `skip` says 'skip' (inline
 * quotes) are left out; at one where it says 'stop' (the start of a quoted reply) the text ends. Stops after `maxNodes` nodes or `maxChars` characters.
 *
 * @example
 * blockText(body); // 'Hi Max,\nthanks for the call.\n\nBest,\nAnna Müller\nHead of Growth'
 */
export function blockText(
  root: Element,
  skip?: (el: Element) => 'skip' | 'stop' | false,
  maxNodes: number = LIMITS.walkNodes,
  maxChars = 100_000,
): string {
  // innerText's rule: block boundaries ask for one line break (a paragraph for two), consecutive
  // requests collapse, and nothing is emitted before the first text.
  let out = '';
  let pending = 0;
  let visited = 0;
  const request = (count: number) => {
    if (out) pending = Math.max(pending, count);
  };
  // Iterative walk: a 10,000-deep DOM must not overflow the stack.
  const stack: (Node | number)[] = [root];
  while (stack.length && visited < maxNodes && out.length < maxChars) {
    const item = stack.pop()!;
    if (typeof item === 'number') {
      request(item);
      continue;
    }
    visited++;
    if (item.nodeType === 3) {
      const text = (item.nodeValue ?? '').replace(/[\s\u00a0]+/g, ' ');
      if (!text.trim() && (!out || out.endsWith('\n') || out.endsWith(' '))) continue;
      if (pending) {
        out = out.replace(/ +$/, '') + '\n'.repeat(pending);
        pending = 0;
        out += text.replace(/^ +/, '');
      } else {
        out += out.endsWith(' ') || out.endsWith('\n') ? text.replace(/^ +/, '') : text;
      }
      continue;
    }
    if (item.nodeType !== 1) continue;
    const el = item as Element;
    const tag = el.tagName.toUpperCase();
    if (SKIP_TAGS.has(tag)) continue;
    const verdict = el !== root ? skip?.(el) : false;
    if (verdict === 'stop') break;
    if (verdict === 'skip') continue;
    if (tag === 'BR') {
      out = `${out.replace(/ +$/, '')}${'\n'.repeat(pending)}\n`;
      pending = 0;
      continue;
    }
    const lines = tag === 'P' ? 2 : BLOCK_TAGS.has(tag) || tag === 'TD' ? 1 : 0;
    if (lines) {
      request(lines);
      stack.push(lines);
    }
    const children = el.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Whether `el` sits inside an element matching `selector`. */
export function isInside(el: Element, selector: string): boolean {
  try {
    return el.closest(selector) !== null;
  } catch {
    return false;
  }
}
