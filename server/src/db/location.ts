import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A configuration the API cannot start with: the message is one line a person reads, naming the
 * variable and the cause. Startup prints it and exits 1, without a stack trace.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Prints a {@link StartupError}'s one line and exits 1; anything else is rethrown (a bug, with its stack). */
export function exitOnStartupError(error: unknown): never {
  if (!(error instanceof StartupError)) throw error;
  console.error(`Leadline cannot start: ${error.message}`);
  process.exit(1);
}

/** Relative `file:` paths are relative to the server package, for `pnpm serve` and `pnpm demo` alike. */
const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** The file a `file:` URL names, made absolute; `null` for a libSQL server URL or `:memory:`. */
export function databaseFile(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const path = decodeURIComponent(url.slice('file:'.length).split('?')[0]!);
  if (path === ':memory:') return null;
  if (!path.trim()) {
    throw new StartupError(
      'DATABASE_URL=file: names no file, so the data would vanish on restart; give a path such as file:./data/leadline.db',
    );
  }
  return isAbsolute(path) ? path : resolve(SERVER_DIR, path);
}

/** `url` with a relative `file:` path made absolute, so every process opens the same file. */
export function resolveDatabaseUrl(url: string): string {
  const file = databaseFile(url);
  if (!file) return url;
  const query = url.includes('?') ? url.slice(url.indexOf('?')) : '';
  return `file:${file}${query}`;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/**
 * Makes sure the database file can live at `file`: its folder exists (created one level at a time:
 * Node's recursive mkdir spins forever under /proc) and can be written (the WAL files go beside it),
 * and the file, if there, is a writable file and not a folder.
 */
export function prepareDatabaseFile(file: string) {
  const missing: string[] = [];
  let dir = dirname(file);
  for (;;) {
    try {
      if (!statSync(dir).isDirectory()) {
        throw new StartupError(`DATABASE_URL: ${dir} is not a folder, so ${file} cannot be created there`);
      }
      break;
    } catch (error) {
      if (error instanceof StartupError) throw error;
      if (errorCode(error) !== 'ENOENT') {
        throw new StartupError(`DATABASE_URL: cannot use the folder ${dir} (${errorCode(error)})`);
      }
      missing.unshift(dir);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        throw new StartupError(
          `DATABASE_URL: cannot create the folder ${folder} for ${file} (${errorCode(error)})`,
        );
      }
    }
  }
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch (error) {
    throw new StartupError(
      `DATABASE_URL: the folder ${dirname(file)} is read-only (${errorCode(error)}); the database and its WAL files need to be written there`,
    );
  }
  let stats: ReturnType<typeof statSync> | null = null;
  try {
    stats = statSync(file);
  } catch {
    return; // a new file
  }
  if (stats.isDirectory()) throw new StartupError(`DATABASE_URL: ${file} is a folder, not a database file`);
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new StartupError(`DATABASE_URL: the file ${file} is read-only (${errorCode(error)})`);
  }
}

/** The codes SQLite and the libSQL client give a file that is not a sound database. */
const CORRUPT = /SQLITE_(CORRUPT|NOTADB)/;

/**
 * The one line for a failure to open or check the database, or `null` when it is not one of
 * these (a bug, which keeps its stack).
 */
export function openFailure(error: unknown, url: string, file: string | null): string | null {
  const text = describe(error);
  if (file && CORRUPT.test(text)) return corruptMessage(file, text);
  if (/SQLITE_READONLY/.test(text)) return `DATABASE_URL: the database ${file ?? url} is read-only (${text})`;
  if (/SQLITE_CANTOPEN/.test(text)) return `DATABASE_URL: cannot open ${file ?? url} (${text})`;
  if (
    !file &&
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|fetch failed|timed out|UND_ERR/i.test(text)
  ) {
    return `DATABASE_URL: cannot reach the libSQL server at ${redact(url)} (${text})`;
  }
  if (!file && /401|403|unauthori[sz]ed|auth/i.test(text)) {
    return `DATABASE_AUTH_TOKEN: the libSQL server at ${redact(url)} refused it (${text})`;
  }
  return null;
}

export function corruptMessage(file: string, detail: string) {
  return (
    `DATABASE_URL: the database file ${file} is corrupt (${detail}). ` +
    'Stop every API process, then restore the file (with its -wal and -shm files) from a backup, ' +
    'or move it away to start with an empty database.'
  );
}

/** A URL with any credentials in it hidden, for messages. */
export function redact(url: string) {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

function describe(error: unknown): string {
  const parts: string[] = [];
  for (let cause = error; cause && parts.length < 4; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    const message = cause instanceof Error ? cause.message : String(cause);
    parts.push(typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message);
  }
  return parts.join(': ').replace(/\s+/g, ' ').slice(0, 300);
}
