import { OpenAPIHono, z } from '@hono/zod-openapi';
import { formSubmissionResultSchema, formSubmissionSchema, problemSchema } from '@leadline/shared';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { limitBody } from '../lib/body-limit';
import { handleError, type ProblemBody, ProblemException } from '../lib/problem';
import type { AppBindings } from '../lib/types';
import { clientAddress } from '../middleware/auth-failures';
import { type FormRow, findOpenForm } from './forms.service';
import { errorPage, thankYouPage } from './pages';
import { recordSubmission } from './submission.service';
import { assertNotSpam, FORM_MAX_BYTES, mapSubmission, readSubmission } from './submission-fields';
import { createSubmissionLimiter, type SubmissionLimiter } from './submission-limit';

type FormBindings = AppBindings & { Variables: { form: FormRow; origin: string } };
type FormContext = Context<FormBindings>;

/**
 * A plain HTML form post is a navigation: its answer is a page. A fetch (the snippet's script sends
 * JSON) reads problem+json.
 */
function answersPage(c: Context): boolean {
  const type = c.req.header('content-type') ?? '';
  if (/json/i.test(type)) return false;
  const mode = c.req.header('sec-fetch-mode');
  if (mode) return mode === 'navigate';
  return /text\/html/i.test(c.req.header('accept') ?? '');
}

/** The allowed origin the request came from, or null (no CORS headers for anyone else). */
function allowedOrigin(c: Context, form: FormRow | undefined): string | null {
  const origin = c.req.header('origin');
  return origin && form?.allowedOrigins.includes(origin) ? origin : null;
}

function withCors(c: FormContext, response: Response): Response {
  const origin = allowedOrigin(c, c.get('form'));
  response.headers.append('vary', 'Origin');
  if (origin) response.headers.set('access-control-allow-origin', origin);
  return response;
}

/** Where "back to the form" leads: the page it was sent from, when it is on the allowed origin. */
function backLink(c: FormContext): string | null {
  const origin = c.get('origin');
  const referer = c.req.header('referer');
  if (!origin) return null;
  return referer && URL.canParse(referer) && new URL(referer).origin === origin ? referer : `${origin}/`;
}

/** A refusal in the asker's terms: problem+json for fetch, a short page for a plain form post. */
async function refusal(c: FormContext, problem: Response): Promise<Response> {
  if (!answersPage(c)) return withCors(c, problem);
  const body = (await problem.json()) as ProblemBody;
  const page = errorPage(body.status, body.detail ?? body.title, backLink(c));
  for (const header of ['retry-after', 'connection']) {
    const value = problem.headers.get(header);
    if (value) page.headers.set(header, value);
  }
  return withCors(c, page);
}

/** Unknown or turned-off form (404), an origin it does not allow (403), too many sends (429). */
function guard(limiter: SubmissionLimiter) {
  return createMiddleware<FormBindings>(async (c, next) => {
    const form = await findOpenForm(c.var.db, c.req.param('publicId') ?? '');
    c.set('form', form);
    const origin = c.req.header('origin');
    if (!origin || !form.allowedOrigins.includes(origin)) {
      throw new ProblemException(
        'forbidden',
        origin
          ? `This form takes submissions from its site only, not from ${origin}`
          : 'Send the form from its site: the request has no Origin header',
      );
    }
    c.set('origin', origin);
    if (c.req.method === 'POST') {
      const decision = limiter.take(form.id, clientAddress(c));
      if (!decision.allowed) {
        const refused = new ProblemException(
          'too-many-requests',
          `Too many submissions from this address; try again in ${decision.retryAfterSeconds} s`,
        );
        refused.res?.headers.set('retry-after', String(decision.retryAfterSeconds));
        throw refused;
      }
    }
    await next();
  });
}

const formPublicIdParams = z.object({ publicId: z.string().min(1).max(64) });

const problem = (description: string) => ({
  content: { 'application/problem+json': { schema: problemSchema } },
  description,
});

/**
 * `POST /f/{publicId}`: the public end of a website form, outside `/api` and without a token. CORS
 * (preflight included) is answered for the form's allowed origins only.
 */
export function createFormSubmissionRouter(limiter: SubmissionLimiter = createSubmissionLimiter()) {
  const router = new OpenAPIHono<FormBindings>({ strict: false });
  router.onError((error, c) => refusal(c, handleError(error, c)));
  router.options('/:publicId', guard(limiter), (c) => {
    c.header('access-control-allow-methods', 'POST');
    c.header('access-control-allow-headers', 'Content-Type, Accept');
    c.header('access-control-max-age', '600');
    return withCors(c, c.body(null, 204));
  });
  router.post(
    '/:publicId',
    guard(limiter),
    limitBody(FORM_MAX_BYTES, (c, tooLarge) => refusal(c as FormContext, tooLarge)),
    async (c) => {
      const form = c.get('form');
      const fields = await readSubmission(c);
      assertNotSpam(fields);
      const mapped = mapSubmission(fields, {
        formName: form.name,
        campaign: form.campaign,
        origin: c.get('origin'),
        referer: c.req.header('referer'),
      });
      await recordSubmission(c.var.db, form, mapped);
      if (!answersPage(c)) return withCors(c, c.json({ received: true, thankYouUrl: form.thankYouUrl }, 201));
      if (form.thankYouUrl) return withCors(c, c.redirect(form.thankYouUrl, 303));
      return withCors(c, thankYouPage(backLink(c)));
    },
  );
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/{publicId}',
    operationId: 'submitForm',
    tags: ['Forms'],
    security: [],
    summary: "A website form's submission (public: no token; only from the form's allowed origins)",
    description:
      'Creates or updates a lead and logs a form_submitted touchpoint. Takes application/x-www-form-urlencoded, multipart/form-data or JSON; a fetch reads JSON, a plain form post gets a page or a 303 to the thank-you URL. At most 16 KB, 2,000 characters a field, 10 submissions a minute per address and form. See docs/forms.md.',
    request: {
      params: formPublicIdParams,
      body: {
        required: true,
        content: {
          'application/json': { schema: formSubmissionSchema },
          'application/x-www-form-urlencoded': { schema: formSubmissionSchema },
          'multipart/form-data': { schema: formSubmissionSchema },
        },
      },
    },
    responses: {
      201: {
        content: { 'application/json': { schema: formSubmissionResultSchema } },
        description: 'Received',
      },
      303: { description: "Received (a plain form post): on to the form's thank-you page" },
      400: problem('Malformed body'),
      403: problem('Not sent from an allowed origin of the form'),
      404: problem('No such form, or it is turned off'),
      413: problem('Body over 16 KB'),
      415: problem('Not a form or JSON body'),
      422: problem('Invalid field (no e-mail, over 2,000 characters) or refused as spam (`/problems/spam`)'),
      429: problem('Too many submissions from this address; see Retry-After'),
    },
  });
  return router;
}
