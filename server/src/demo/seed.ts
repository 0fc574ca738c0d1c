import type { Client, InStatement, InValue } from '@libsql/client';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { createDemoPlan, createRandom, type DemoOptions } from './generate';
import { touchesFor } from './touches';

export interface SeedDemoOptions extends DemoOptions {
  /** Seed even when the workspace already has leads (they are kept). */
  force?: boolean;
  /** The workspace to fill; default the first one. */
  workspaceId?: string;
  /** Rows per write transaction. */
  batchRows?: number;
}

export interface SeedDemoResult {
  workspaceId: string;
  users: number;
  /** The demo's people this run added (none when they were there already), for their sign-in tokens. */
  newUsers: { id: string; name: string; role: string }[];
  leads: number;
  stageChanges: number;
  touchpoints: number;
  costs: number;
}

export class DemoRefused extends Error {
  override name = 'DemoRefused';
}

/** Multi-row INSERTs, `rowsPerStatement` rows each (under SQLite's bound-parameter limit). */
function inserts(table: string, columns: string[], rows: InValue[][], suffix = ''): InStatement[] {
  const rowsPerStatement = Math.max(1, Math.floor(30_000 / columns.length / 10) * 10);
  const statements: InStatement[] = [];
  const placeholder = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += rowsPerStatement) {
    const chunk = rows.slice(i, i + rowsPerStatement);
    statements.push({
      sql: `insert into ${table} (${columns.join(', ')}) values ${chunk.map(() => placeholder).join(', ')}${suffix}`,
      args: chunk.flat(),
    });
  }
  return statements;
}

/**
 * Fills a workspace with the demo team and a year of history (see `createDemoPlan`), reproducibly
 * from `seed`. Refuses a workspace that already has leads unless `force`. Writes go straight through
 * the libSQL client in large batched transactions, so 100,000 leads take seconds.
 */
export async function seedDemo(db: Database, options: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  // drizzle keeps the libSQL client it wraps; the batched multi-row inserts go straight to it.
  const client = (db as Database & { $client?: Client }).$client;
  if (!client) throw new Error('seedDemo needs a drizzle database over @libsql/client');
  const [workspace] = options.workspaceId
    ? [{ id: options.workspaceId }]
    : await db.all<{ id: string }>(sql`select id from workspaces order by created_at limit 1`);
  if (!workspace) throw new DemoRefused('The database has no workspace: start the API once first');
  const workspaceId = workspace.id;
  const [{ n: existing } = { n: 0 }] = await db.all<{ n: number }>(
    sql`select count(*) as n from leads where workspace_id = ${workspaceId}`,
  );
  if (existing > 0 && !options.force) {
    throw new DemoRefused(
      `The workspace already has ${existing} leads; the demo fills an empty database (use --force to add it anyway)`,
    );
  }

  // Ids come from the seed and the number of leads already there, so a forced second run adds new rows.
  const plan = createDemoPlan({ ...options, seed: (options.seed ?? 7) + existing * 7919 });
  const random = createRandom((options.seed ?? 7) ^ 0x5eed);
  // Small transactions (tens of ms each), so an API serving the same file keeps taking writes.
  const batchRows = options.batchRows ?? 2_000;

  const known = await db.all<{ id: string; email: string }>(
    sql`select id, email from users where workspace_id = ${workspaceId} and email is not null`,
  );
  const byEmail = new Map(known.map((user) => [user.email, user.id]));
  const users = plan.users.map((user) => ({ ...user, id: byEmail.get(user.email) ?? user.id }));
  const ownerOf = new Map(plan.users.map((user, i) => [user.id, users[i]!.id]));
  const now = Date.now();
  const newUsers = users.filter((user) => !byEmail.has(user.email));
  if (newUsers.length) {
    await client.batch(
      inserts(
        'users',
        ['id', 'workspace_id', 'name', 'email', 'role', 'created_at'],
        newUsers.map((user) => [user.id, workspaceId, user.name, user.email, user.role, now]),
      ),
      'write',
    );
  }

  const leadRows: InValue[][] = [];
  const changeRows: InValue[][] = [];
  const touchRows: InValue[][] = [];
  plan.leads.forEach((lead, index) => {
    const ownerId = ownerOf.get(lead.ownerId) ?? lead.ownerId;
    leadRows.push([
      lead.id,
      workspaceId,
      lead.fullName,
      lead.firstName,
      lead.lastName,
      lead.fullName.toLowerCase(),
      lead.title,
      lead.company,
      lead.companyDomain,
      lead.email,
      lead.email,
      lead.country,
      lead.industry,
      lead.companySize,
      lead.sourceChannel,
      lead.sourceUrl,
      lead.utmSource,
      lead.utmMedium,
      lead.utmCampaign,
      ownerId,
      // Where the lead began; it moves to its stage now once its history is written (below).
      lead.changes[0]?.to ?? lead.stage,
      lead.dealValue,
      lead.createdAt,
      lead.updatedAt,
    ]);
    lead.changes.forEach((change, i) => {
      changeRows.push([
        `${lead.id}-s${i}`,
        workspaceId,
        lead.id,
        change.from,
        change.to,
        change.from === null ? 'created' : change.to === 'mql' || change.to === 'sql' ? 'threshold' : 'rep',
        change.from === null || change.to === 'mql' ? null : ownerId,
        change.at,
      ]);
    });
    touchesFor(lead, plan.touchCounts[index]!, plan.users, random).forEach((touch, i) => {
      touchRows.push([
        `${lead.id}-t${i}`,
        workspaceId,
        lead.id,
        touch.userId === null ? null : (ownerOf.get(touch.userId) ?? touch.userId),
        touch.type,
        touch.occurredAt,
        touch.channel,
        touch.occurredAt,
      ]);
    });
  });
  // Written in time order, as a live workspace writes them.
  changeRows.sort((a, b) => (a[7] as number) - (b[7] as number));
  touchRows.sort((a, b) => (a[5] as number) - (b[5] as number));

  const write = async (table: string, columns: string[], rows: InValue[][]) => {
    for (let i = 0; i < rows.length; i += batchRows) {
      await client.batch(inserts(table, columns, rows.slice(i, i + batchRows)), 'write');
    }
  };
  await write(
    'leads',
    [
      'id',
      'workspace_id',
      'full_name',
      'first_name',
      'last_name',
      'name_key',
      'title',
      'company',
      'company_domain',
      'email',
      'email_key',
      'country',
      'industry',
      'company_size',
      'source_channel',
      'source_url',
      'utm_source',
      'utm_medium',
      'utm_campaign',
      'owner_id',
      'stage',
      'deal_value',
      'created_at',
      'updated_at',
    ],
    leadRows,
  );
  await write(
    'stage_changes',
    ['id', 'workspace_id', 'lead_id', 'from_stage', 'to_stage', 'cause', 'user_id', 'at'],
    changeRows,
  );
  await write(
    'touchpoints',
    ['id', 'workspace_id', 'lead_id', 'user_id', 'type', 'occurred_at', 'channel', 'created_at'],
    touchRows,
  );
  // Each lead reaches its stage now after its history, as in a live workspace: a deal is won once
  // its touches are in, so its attribution credits (kept by triggers) are computed once, not once
  // more with every touch before its close.
  const moves = plan.leads.filter((lead) => lead.stage !== (lead.changes[0]?.to ?? lead.stage));
  for (let i = 0; i < moves.length; i += batchRows) {
    await client.batch(
      moves
        .slice(i, i + batchRows)
        .map((lead) => ({ sql: 'update leads set stage = ? where id = ?', args: [lead.stage, lead.id] })),
      'write',
    );
  }
  const stageChanges = changeRows.length;
  const touchpoints = touchRows.length;

  await client.batch(
    inserts(
      'source_costs',
      ['workspace_id', 'month', 'channel', 'utm_source', 'utm_campaign', 'amount', 'updated_at'],
      plan.costs.map((cost) => [
        workspaceId,
        cost.month,
        cost.channel,
        cost.utmSource,
        cost.utmCampaign,
        cost.amount,
        now,
      ]),
      ' on conflict do update set amount = excluded.amount, updated_at = excluded.updated_at',
    ),
    'write',
  );
  return {
    workspaceId,
    users: newUsers.length,
    newUsers: newUsers.map(({ id, name, role }) => ({ id, name, role })),
    leads: plan.leads.length,
    stageChanges,
    touchpoints,
    costs: plan.costs.length,
  };
}
