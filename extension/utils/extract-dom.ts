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
 * Runs the extractor over a live document. Never throws: a page that breaks the extractor yields
 * no leads rather than a broken panel.
 */
export function extractDocument(doc: Document, url: string, options: ExtractOptions): ExtractResult {
  try {
    return extractLeads(doc, url, options);
  } catch {
    return { pageKind: 'web', leads: [], source: { channel: 'web', url } };
  }
}
