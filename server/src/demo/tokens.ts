import { issueToken } from '../auth/issue-token';
import type { Database } from '../db/client';

export interface DemoToken {
  name: string;
  role: string;
  token: string;
}

/**
 * A sign-in token for each demo person (reps and the manager) the run added: returned once to be
 * printed, stored only as hashes like every token. People from an earlier run keep theirs.
 */
export async function issueDemoTokens(
  db: Database,
  workspaceId: string,
  people: readonly { id: string; name: string; role: string }[],
  now = new Date(),
): Promise<DemoToken[]> {
  return db.transaction(async (tx) => {
    const tokens: DemoToken[] = [];
    for (const person of people) {
      const { token } = await issueToken(tx, { workspaceId, userId: person.id, label: 'pnpm demo' }, now);
      tokens.push({ name: person.name, role: person.role, token });
    }
    return tokens;
  });
}

/** The lines `pnpm demo` prints about signing in. */
export function signInLines(tokens: readonly DemoToken[], createdAdminToken: string | null): string[] {
  const lines: string[] = [];
  if (createdAdminToken) {
    lines.push(`First start: an admin token was created, shown only now: ${createdAdminToken}`);
  } else {
    lines.push('Your admin token (ADMIN_TOKEN or the one printed on first start) still works.');
  }
  if (tokens.length) {
    lines.push(
      'Sign in as a demo person with their token (shown only now; paste it in the side panel Settings):',
    );
    const width = Math.max(...tokens.map((entry) => `${entry.name} (${entry.role})`.length));
    for (const entry of tokens)
      lines.push(`  ${`${entry.name} (${entry.role})`.padEnd(width)}  ${entry.token}`);
  }
  return lines;
}
