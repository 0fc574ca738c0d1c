import { ApiError } from '@/utils/api';

/** An API refusal by field (its 422 `issues`, joined paths) and a line for everything else. */
export function problemFields(error: unknown): { fields: Record<string, string>; message: string | null } {
  if (error instanceof ApiError && error.problem.issues?.length) {
    const fields: Record<string, string> = {};
    for (const issue of error.problem.issues) fields[issue.path.map(String).join('.')] ??= issue.message;
    return { fields, message: error.problem.detail ?? null };
  }
  return { fields: {}, message: error instanceof Error ? error.message : String(error) };
}

/** The first message among fields whose path starts with `prefix`. */
export function fieldError(fields: Record<string, string>, prefix: string): string | undefined {
  const key = Object.keys(fields).find((path) => path === prefix || path.startsWith(`${prefix}.`));
  return key ? fields[key] : undefined;
}
