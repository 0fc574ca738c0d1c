import type { Executor } from '../db/client';
import { newId } from '../db/ids';
import { apiTokens } from '../db/schema';
import { hashToken, newToken } from '../lib/tokens';

/**
 * The one way an API token comes to be: stores only its hash, for a user of a workspace, and
 * returns the stored row with the token itself (shown once, never stored). `token` is for a value
 * chosen elsewhere (ADMIN_TOKEN); by default a new random one.
 */
export async function issueToken(
  tx: Executor,
  owner: { workspaceId: string; userId: string; label: string | null },
  now: Date,
  token: string = newToken(),
) {
  const [row] = await tx
    .insert(apiTokens)
    .values({
      id: newId(),
      workspaceId: owner.workspaceId,
      userId: owner.userId,
      label: owner.label,
      tokenHash: hashToken(token),
      createdAt: now,
    })
    .returning();
  return { row: row!, token };
}
