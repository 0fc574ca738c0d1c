import { type ExtractOptions, type ExtractResult, extractLeads } from '@leadline/shared/extract';
import type { RepProfile } from './capture';

/** Extraction options from the rep's profile and the page's selection. */
export function extractOptions(profile: RepProfile | null, selectionText?: string): ExtractOptions {
  return {
    repEmails: profile?.email ? [profile.email] : undefined,
    repDomains: profile?.domains.length ? profile.domains : undefined,
    selectionText: selectionText?.trim() ? selectionText.slice(0, 5000) : undefined,
  };
}

/**
 * What reading a page came to: the extractor's result (perhaps with nobody in it), or the error
 * that broke the extractor, so the panel can tell an unreadable page from an empty one.
 */
export type PageReading = { ok: true; result: ExtractResult } | { ok: false; url: string; error: string };

/**
 * Runs the extractor over a live document. Never throws: a page that breaks the extractor is
 * logged with its error and reported as unreadable, rather than breaking the caller.
 */
export function extractDocument(
  doc: Document,
  url: string,
  options: ExtractOptions,
  extract: typeof extractLeads = extractLeads,
): PageReading {
  try {
    return { ok: true, result: extract(doc, url, options) };
  } catch (error) {
    console.error(`Leadline: the extractor failed on ${url}`, error);
    return { ok: false, url, error: error instanceof Error ? error.message : String(error) };
  }
}
