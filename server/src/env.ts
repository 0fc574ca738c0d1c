import { z } from 'zod';

const DATABASE_URL = /^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/;

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(DATABASE_URL, 'must start with file:, libsql://, http(s):// or ws(s)://')
    .default('file:./data/leadline.db'),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
  ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** How often the cadence engine looks for steps that came due (ms). */
  CADENCE_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** How often the SLA sweep looks for assignments whose first touch is overdue (ms). */
  SLA_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /**
   * How often the import runner looks for imports (and undos) whose claim has lapsed, such as one a
   * stopped process left half done (ms). The claim itself lasts 30 s past a process's last slice.
   */
  IMPORT_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
});
export type Env = z.infer<typeof envSchema>;

/** Parses the environment; the only place that reads `process.env`. Exits with the field errors. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')),
  );
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  console.error(`Leadline cannot start: invalid configuration\n${lines.join('\n')}`);
  process.exit(1);
}
