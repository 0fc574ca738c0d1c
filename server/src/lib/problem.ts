import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { isDatabaseBusy, isDatabaseFull, isGroupLost } from '../db/client';

/** The problem types this API answers with; `type` is `/problems/<slug>` (RFC 9457). */
export const PROBLEMS = {
  'malformed-json': { status: 400, title: 'Malformed JSON' },
  'bad-request': { status: 400, title: 'Bad request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Gone' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  validation: { status: 422, title: 'Validation failed' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused with another request' },
  spam: { status: 422, title: 'Refused as spam' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  busy: { status: 503, title: 'Database busy' },
  'storage-full': { status: 507, title: 'Storage full' },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;
export type ProblemSlug = keyof typeof PROBLEMS;

/**
 * What an `HTTPException` (from hono or middleware) of each status is reported as when nothing
 * more specific is known: the general problem of that status, never a specific one that happens to
 * share it (a malformed form body is a bad request, not malformed JSON).
 */
const BY_STATUS: Partial<Record<number, ProblemSlug>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'validation',
  500: 'internal',
  503: 'busy',
};

export interface ProblemIssue {
  path: (string | number)[];
  message: string;
  code: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  issues?: ProblemIssue[];
}

/** Extension members (RFC 9457 §3.2) such as `existingLeadId` go in `extra`. */
export function problemBody(
  slug: ProblemSlug,
  detail?: string,
  issues?: ProblemIssue[],
  extra?: Record<string, unknown>,
): ProblemBody {
  const { status, title } = PROBLEMS[slug];
  return {
    ...extra,
    type: `/problems/${slug}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...(issues ? { issues } : {}),
  };
}

export function problemResponse(
  slug: ProblemSlug,
  detail?: string,
  issues?: ProblemIssue[],
  extra?: Record<string, unknown>,
): Response {
  const body = problemBody(slug, detail, issues, extra);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

/** Throw from anywhere in a handler; `onError` turns it into problem+json. */
export class ProblemException extends HTTPException {
  constructor(slug: ProblemSlug, detail?: string, issues?: ProblemIssue[], extra?: Record<string, unknown>) {
    const response = problemResponse(slug, detail, issues, extra);
    super(PROBLEMS[slug].status, { res: response, message: detail ?? PROBLEMS[slug].title });
  }
}

export function zodIssues(error: ZodError): ProblemIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    message: issue.message,
    code: issue.code,
  }));
}

export function describeIssues(issues: ProblemIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** A 422 `validation` problem for issues found by hand (not by a schema), each with its path. */
export function invalidInput(issues: ProblemIssue[]): ProblemException {
  return new ProblemException('validation', describeIssues(issues), issues);
}

export function validationProblem(error: ZodError, where: string): Response {
  const issues = zodIssues(error);
  return problemResponse('validation', `Invalid ${where}: ${describeIssues(issues)}`, issues);
}

/** A problem for a write that saved nothing and may be sent again after `seconds`. */
function retryLater(slug: 'busy' | 'storage-full', detail: string, seconds: number): Response {
  const response = problemResponse(slug, detail);
  response.headers.set('retry-after', String(seconds));
  return response;
}

/** The one place errors become responses. A 500 here is a bug: it is logged with the request. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof ProblemException) return error.getResponse();
  if (error instanceof HTTPException) {
    if (error.status === 400 && /JSON/i.test(error.message)) {
      return problemResponse('malformed-json', 'The request body is not valid JSON');
    }
    return problemResponse(BY_STATUS[error.status] ?? 'bad-request', error.message);
  }
  if (isDatabaseBusy(error)) {
    // Another process holds the write lock (a long model rescore, a demo import): nothing was
    // written, and the same request will go through shortly.
    return retryLater(
      'busy',
      'The database is busy with another write; nothing was saved. Try again in a few seconds.',
      5,
    );
  }
  if (isGroupLost(error)) {
    // The write was to commit with others (group commit, sqlite-pool.ts) and another's failure
    // ended their shared transaction: nothing of it was saved, and sending it again is safe.
    return retryLater(
      'busy',
      'The database could not save this write together with others; nothing was saved. Try again.',
      1,
    );
  }
  if (isDatabaseFull(error)) {
    // The disk (or the server's quota) is full: the transaction rolled back, so retrying once
    // space is freed is safe, and the side panel's outbox keeps the write until then.
    console.error(`${c.req.method} ${c.req.path}: the database's storage is full`);
    return retryLater(
      'storage-full',
      "The database's storage is full; nothing was saved. Free some disk space, then try again.",
      60,
    );
  }
  console.error(`${c.req.method} ${c.req.path} failed:`, error);
  return problemResponse('internal', 'An unexpected error occurred; it has been logged');
}
