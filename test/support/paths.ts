import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const EXTENSION_DIR = fileURLToPath(new URL('../../extension/.output/chrome-mv3', import.meta.url));
export const ARTIFACTS_DIR = fileURLToPath(new URL('../artifacts', import.meta.url));
export const FIREFOX_EXTENSION_DIR = fileURLToPath(
  new URL('../../extension/.output/firefox-mv2', import.meta.url),
);
