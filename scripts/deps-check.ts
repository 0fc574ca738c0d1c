/**
 * `pnpm deps:check`: the package and layer boundaries DESIGN.md draws, checked over every import
 * (static, re-export, dynamic `import()` and `require`) with the TypeScript parser:
 *
 * - `server/src/scoring` never imports `server/src/leads` (leads call scoring, never the reverse);
 * - `shared` imports no `hono`, `drizzle-orm` or `wxt` (it runs the same everywhere);
 * - extension code imports nothing of the server but `import type { AppType } from '@leadline/server'`
 *   (its tests, which run the real API, may use `@leadline/server/testing`).
 *
 * Exits 1 and lists the violations when there are any.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface ImportFact {
  /** The importing file, relative to the root, with `/` separators. */
  file: string;
  specifier: string;
  /** `import type` / `export type` (the whole statement, or every name in it). */
  typeOnly: boolean;
  /** The names imported (empty for a namespace, side-effect or dynamic import). */
  names: string[];
}

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

const SOURCE = /\.(ts|tsx|mts|cts)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.wxt', '.output', 'dist', '.git']);
const TEST_FILE = /\.test\.tsx?$/;

/** Every import of one file. */
export function importsOf(file: string, text: string): ImportFact[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const facts: ImportFact[] = [];
  const add = (specifier: ts.Node | undefined, typeOnly: boolean, names: string[]) => {
    if (specifier && ts.isStringLiteralLike(specifier))
      facts.push({ file, specifier: specifier.text, typeOnly, names });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named =
        clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : null;
      const names = [
        ...(clause?.name ? [clause.name.text] : []),
        ...(named?.elements.map((element) => (element.propertyName ?? element.name).text) ?? []),
      ];
      const everyNameTyped =
        !!named &&
        !clause?.name &&
        named.elements.length > 0 &&
        named.elements.every((element) => element.isTypeOnly);
      add(node.moduleSpecifier, !!clause && (clause.isTypeOnly || everyNameTyped), names);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause : null;
      const names = named?.elements.map((element) => (element.propertyName ?? element.name).text) ?? [];
      add(node.moduleSpecifier, node.isTypeOnly, names);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly, [node.name.text]);
    } else if (ts.isCallExpression(node)) {
      const isDynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isDynamic || isRequire) add(node.arguments[0], false, []);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true, []);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}

/** Where a relative specifier points, relative to the root (`null` for a package specifier). */
function target(fact: ImportFact): string | null {
  if (!fact.specifier.startsWith('.')) return null;
  return join(dirname(fact.file), fact.specifier).split(sep).join('/');
}

const isPackage = (specifier: string, name: string) => specifier === name || specifier.startsWith(`${name}/`);
const under = (path: string | null, folder: string) =>
  path !== null && (path === folder || path.startsWith(`${folder}/`));

/** The violations among some imports (files relative to the root). */
export function checkImports(facts: readonly ImportFact[]): Violation[] {
  const violations: Violation[] = [];
  for (const fact of facts) {
    const to = target(fact);
    const flag = (rule: string) => violations.push({ file: fact.file, specifier: fact.specifier, rule });
    if (under(fact.file, 'server/src/scoring') && under(to, 'server/src/leads')) {
      flag('server/src/scoring must not import server/src/leads: leads call scoring, never the reverse');
    }
    if (under(fact.file, 'shared')) {
      const banned = ['hono', 'drizzle-orm', 'wxt'].find((name) => isPackage(fact.specifier, name));
      if (banned) flag(`shared must not import ${banned}: it holds wire schemas and pure logic only`);
    }
    if (under(fact.file, 'extension')) {
      const serverCode = isPackage(fact.specifier, '@leadline/server') || under(to, 'server');
      const isTest = TEST_FILE.test(fact.file);
      const appType =
        fact.specifier === '@leadline/server' &&
        fact.typeOnly &&
        fact.names.length > 0 &&
        fact.names.every((name) => name === 'AppType');
      const testing = isTest && fact.specifier === '@leadline/server/testing';
      if (serverCode && !appType && !testing) {
        flag(
          "the extension imports nothing of the server but `import type { AppType } from '@leadline/server'`",
        );
      }
    }
  }
  return violations;
}

/** The source files of the checked packages under `root`, relative to it. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(join(dir, entry.name));
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push(relative(root, join(dir, entry.name)).split(sep).join('/'));
      }
    }
  };
  for (const pkg of ['server', 'shared', 'extension']) {
    try {
      walk(join(root, pkg));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return files.sort();
}

/** Checks every source file under `root`. */
export function checkTree(root: string): Violation[] {
  return checkImports(
    sourceFiles(root).flatMap((file) => importsOf(file, readFileSync(join(root, file), 'utf8'))),
  );
}

function main() {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = checkTree(root);
  if (violations.length) {
    console.error(`deps:check: ${violations.length} import(s) cross a boundary:`);
    for (const { file, specifier, rule } of violations) console.error(`  ${file}: '${specifier}': ${rule}`);
    process.exit(1);
  }
  console.log(`deps:check: ${sourceFiles(root).length} files, no import crosses a boundary`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
