import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The real-world corpora live beside the checkout (`../shared/corpus` from the repository root). A
 * missing corpus is an error, never a silently skipped test.
 */
export function corpusDir(...parts: string[]): string {
  const root = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');
  const dir = join(root, ...parts);
  if (!existsSync(dir)) {
    throw new Error(
      `Corpus folder not found: ${dir}. It must sit at ../shared/corpus beside the repository.`,
    );
  }
  return dir;
}
