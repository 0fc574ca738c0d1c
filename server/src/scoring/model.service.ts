import {
  DEFAULT_SCORING_MODEL,
  FORWARD_LANDMARK_MS,
  halfLifeMs,
  type ScoringModel,
  scoringModelSchema,
} from '@leadline/shared';
import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { scoringModels } from '../db/schema';
import { VersionedCache } from '../db/versioned-cache';

/** The model in force for a workspace, with what the forward-decay columns are relative to. */
export interface ActiveModel {
  version: number;
  document: ScoringModel;
  landmarkMs: number;
  halfLifeMs: number | null;
}

function toActive(row: typeof scoringModels.$inferSelect): ActiveModel {
  // Stored documents were validated when written; parsing again keeps a hand-edited row from
  // scoring with a malformed model.
  const document = freeze(scoringModelSchema.parse(row.document));
  return {
    version: row.version,
    document,
    landmarkMs: row.landmark.getTime(),
    halfLifeMs: halfLifeMs(document.halfLifeDays),
  };
}

/** Cached models are shared by every request: nothing may change one in place. */
function freeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) freeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Models in force by workspace, parsed once; a new version (any process) drops them. */
const activeModels = new VersionedCache<ActiveModel>(1000);

/** The latest model version of the workspace. Every workspace has one from bootstrap on. */
export async function activeModel(db: Executor, workspaceId: string): Promise<ActiveModel> {
  const model = await activeModels.get(db, workspaceId, async () => {
    const [row] = await db
      .select()
      .from(scoringModels)
      .where(eq(scoringModels.workspaceId, workspaceId))
      .orderBy(desc(scoringModels.version))
      .limit(1);
    return row ? toActive(row) : undefined;
  });
  if (!model) throw new Error(`Workspace ${workspaceId} has no scoring model: bootstrap did not run`);
  return model;
}

export async function ensureDefaultModel(tx: Executor, workspaceId: string, now: Date) {
  const [row] = await tx
    .select({ version: scoringModels.version })
    .from(scoringModels)
    .where(eq(scoringModels.workspaceId, workspaceId))
    .limit(1);
  if (row) return;
  await tx.insert(scoringModels).values({
    workspaceId,
    version: 1,
    document: DEFAULT_SCORING_MODEL,
    landmark: new Date(FORWARD_LANDMARK_MS),
    createdAt: now,
    createdBy: null,
  });
}

/** A version not stored yet (a model change in progress) as the scoring code takes it. */
export function modelFromDocument(document: ScoringModel, version: number, landmarkMs: number): ActiveModel {
  return { version, document: freeze(document), landmarkMs, halfLifeMs: halfLifeMs(document.halfLifeDays) };
}

export async function insertModelVersion(
  tx: Executor,
  workspaceId: string,
  document: ScoringModel,
  userId: string | null,
  now: Date,
): Promise<ActiveModel> {
  const current = await activeModel(tx, workspaceId);
  const [row] = await tx
    .insert(scoringModels)
    .values({
      workspaceId,
      version: current.version + 1,
      document,
      landmark: new Date(current.landmarkMs),
      createdAt: now,
      createdBy: userId,
    })
    .returning();
  return toActive(row!);
}

export async function modelVersion(db: Executor, workspaceId: string, version: number) {
  const [row] = await db
    .select()
    .from(scoringModels)
    .where(and(eq(scoringModels.workspaceId, workspaceId), eq(scoringModels.version, version)));
  return row ? toActive(row) : null;
}
