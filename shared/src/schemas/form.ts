import { z } from 'zod';
import { id, isoDateTime } from './common';

/** A site origin a form accepts submissions from: scheme, host and port, nothing else. */
export const siteOrigin = z
  .string()
  .trim()
  .max(300)
  .refine(
    (value) => {
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      const bare = `${url.origin}/`;
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') && (value === url.origin || value === bare)
      );
    },
    { message: 'an origin such as https://www.acme.com (scheme and host, no path, query or user name)' },
  )
  .transform((value) => new URL(value).origin);

const allowedOrigins = z
  .array(siteOrigin)
  .min(1, 'allow at least one site origin')
  .max(20)
  .transform((origins) => [...new Set(origins)]);

/** Where a plain HTML form post is sent on: an absolute http(s) URL. */
const thankYouUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((value) => URL.canParse(value) && !new URL(value).username && !new URL(value).password, {
    message: 'no user name or password in the URL',
  });

const formName = z.string().trim().min(1, 'name the form').max(120);
const campaign = z.string().trim().min(1).max(200);

export const formCreateSchema = z
  .object({
    name: formName,
    allowedOrigins,
    thankYouUrl: thankYouUrl.optional(),
    /** Recorded as the lead's UTM campaign when the page's URL names none. */
    campaign: campaign.optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .meta({ id: 'FormCreate' });
export type FormCreate = z.infer<typeof formCreateSchema>;

export const formPatchSchema = z
  .object({
    name: formName.optional(),
    allowedOrigins: allowedOrigins.optional(),
    thankYouUrl: thankYouUrl.nullable().optional(),
    campaign: campaign.nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'FormPatch' });
export type FormPatch = z.infer<typeof formPatchSchema>;

export const formSchema = z
  .object({
    id,
    /** The id in the snippet: it allows submissions to this form only, from its allowed origins. */
    publicId: z.string(),
    name: z.string(),
    allowedOrigins: z.array(z.string()),
    thankYouUrl: z.string().nullable(),
    campaign: z.string().nullable(),
    enabled: z.boolean(),
    submissionCount: z.number().int(),
    lastSubmissionAt: isoDateTime.nullable(),
    /** Where the snippet posts: `POST {API}/f/{publicId}`. */
    endpoint: z.string(),
    snippet: z.object({
      /** A plain HTML form that posts to the endpoint; works with no script at all. */
      html: z.string(),
      /** A few lines that submit the same form with fetch (JSON) and show the answer in place. */
      script: z.string(),
    }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Form' });
export type Form = z.infer<typeof formSchema>;

export const formListSchema = z.object({ items: z.array(formSchema) }).meta({ id: 'FormList' });

/** What a fetch submission is answered with. */
export const formSubmissionResultSchema = z
  .object({
    received: z.literal(true),
    /** The form's thank-you page, if it has one, for the script to go on to. */
    thankYouUrl: z.string().nullable(),
  })
  .meta({ id: 'FormSubmissionResult' });
export type FormSubmissionResult = z.infer<typeof formSubmissionResultSchema>;

const field = z.string().max(2000);

/**
 * What a website form sends (documentation: the endpoint reads every field as text and maps the
 * known names; docs/forms.md lists them). Any other field goes into the touchpoint's note.
 */
export const formSubmissionSchema = z
  .object({
    name: field.optional(),
    first_name: field.optional(),
    last_name: field.optional(),
    email: field.describe('Required: the lead is matched by it').optional(),
    company: field.optional(),
    title: field.optional(),
    phone: field.optional(),
    website: field.optional(),
    country: field.optional(),
    message: field.describe("The touchpoint's note").optional(),
    _gotcha: field.describe('The honeypot: people leave it empty').optional(),
    _page: field.describe("The page's URL, with its UTM tags (the script sends it)").optional(),
    _rendered_at: z.number().describe('When the page showed the form, ms since 1970 (the script)').optional(),
    _submitted_at: z.number().describe('When it was sent, by the same clock (the script)').optional(),
  })
  .catchall(field)
  .meta({ id: 'FormSubmission' });
