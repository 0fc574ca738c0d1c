import { storage } from 'wxt/utils/storage';

export interface Settings {
  /** Base URL of the Leadline API, without a trailing slash, e.g. http://127.0.0.1:8787. */
  apiUrl: string;
  token: string;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:8787';

/** Where the rep's connection lives; `null` until the first-run settings are saved. */
export const settingsItem = storage.defineItem<Settings | null>('local:settings', {
  fallback: null,
  version: 1,
});

/**
 * Cleans what the rep typed: trims, drops trailing slashes and a pasted `/api` or `/docs` suffix.
 * Throws with a message fit to show when the URL is not http(s).
 */
export function normaliseApiUrl(raw: string): string {
  const trimmed = raw
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/(api|docs|health)$/, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error('Enter the API URL, e.g. http://127.0.0.1:8787');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error('The API URL must start with http:// or https://');
  return trimmed;
}
