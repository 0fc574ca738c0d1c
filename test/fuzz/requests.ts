import fc from 'fast-check';
import { bodyVariants, csvBodies } from './bodies';
import type { OpenApiDocument, Operation, Parameter } from './operations';
import {
  type Hints,
  hostileValue,
  type SchemaContext,
  schemaArbitrary,
  toJsonText,
} from './schema-arbitrary';

export { listOperations, type OpenApiDocument, type Operation, type Parameter } from './operations';

export interface FuzzRequest {
  method: string;
  /** Path and query string, as sent. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** What kind of input this is, for the summary: valid, mutated, not-json, ... */
  kind: string;
}

/** Ids that exist when a request is made, read at generation time (deletes use them up, the test tops them up). */
export interface IdPool {
  leadIds: string[];
  touchpoints: { leadId: string; id: string }[];
  tokenIds: string[];
  userIds: string[];
  /** People the Team routes may change or deactivate (never the fuzzer's own admin, manager, rep). */
  personIds: string[];
  teamIds: string[];
  /** `nextCursor`s the API gave. */
  cursors: string[];
  webhookIds: string[];
  /** Webhook deliveries, with their endpoint. */
  deliveries: { endpointId: string; id: string }[];
  cadenceIds: string[];
  taskIds: string[];
  enrolmentIds: string[];
  formIds: string[];
  /** Website forms' public ids (`POST /f/{publicId}`), each allowing {@link FUZZ_FORM_ORIGIN}. */
  formPublicIds: string[];
  /** CSV imports, staged and finished. */
  importIds: string[];
}

/** The site origin the fuzzer's forms allow; a form submission is sent from it most of the time. */
export const FUZZ_FORM_ORIGIN = 'https://www.fuzz-site.example';

/** encodeURIComponent, with lone surrogates (which it throws on) made well-formed first. */
export const encode = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/gu, '\ufffd'));

const pick = <T>(items: () => T[], fallback: T) =>
  fc.nat().map((index) => {
    const list = items();
    return list.length ? list[index % list.length]! : fallback;
  });

/** Path segments that should be a 404 or 422, never a 500: unknown ids, junk, bad percent-encoding. */
const garbageSegment: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 70 }).map(encode),
  // Not '.' or '..': URL resolution turns those into another route.
  fc.constantFrom('%', '%zz', '%C0%AF', '%00', '%2F', 'x'.repeat(65), 'x'.repeat(5000), '1e308', '-1', '%20'),
);

function forgedCursor(): fc.Arbitrary<string> {
  const field = fc.oneof(hostileValue, fc.integer(), fc.constant(Date.now()));
  const payload = fc.oneof(
    fc.record({ o: field, t: field }),
    fc.record({ k: field, id: fc.oneof(fc.string(), hostileValue) }),
    hostileValue,
  );
  return fc.oneof(
    payload.map((value) => Buffer.from(toJsonText(value)).toString('base64url')),
    fc.string({ maxLength: 600 }),
  );
}

/** Query values: a string for a string, numbers and anything else as they would be typed. */
const asQueryText = (value: unknown) => (typeof value === 'string' ? value : toJsonText(value));

export function requestArbitrary(
  operation: Operation,
  doc: OpenApiDocument,
  pool: IdPool,
): fc.Arbitrary<FuzzRequest> {
  const taskPatch = operation.method.toLowerCase() === 'patch' && operation.path.startsWith('/api/tasks/');
  const hints: Hints = (name) => {
    // A task's PATCH refuses combinations (a snooze with a state, an outcome without "done", another
    // rep's task): most generated bodies change one or two things, as a rep's clicks do.
    if (taskPatch && ['state', 'outcome', 'snooze', 'assigneeId', 'dueAt'].includes(name)) {
      const some =
        name === 'snooze'
          ? fc.constantFrom('hour', 'tomorrow', 'next_week')
          : name === 'state'
            ? fc.constantFrom('open', 'done', 'skipped')
            : name === 'outcome'
              ? fc.constantFrom('sent', 'connected', 'nope')
              : name === 'assigneeId'
                ? pick(() => pool.userIds, 'nobody')
                : fc
                    .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) })
                    .map((ms) => new Date(ms).toISOString());
      return fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: some, weight: 1 });
    }
    if (name === 'ownerId' || name === 'userId' || name === 'owner' || name === 'assigneeId')
      return pick(() => pool.userIds, 'nobody');
    if (name === 'cursor')
      return fc.oneof(
        pick(() => pool.cursors, ''),
        forgedCursor(),
      );
    // What the schemas cannot say: an e-mail is checked by the handler, model weights sum to 1.
    if (name === 'email')
      return fc.stringMatching(/^[a-z0-9]{1,12}(\.[a-z0-9]{1,8})?@[a-z0-9]{1,12}\.[a-z]{2,6}$/);
    if (name === 'leadId') return pick(() => pool.leadIds, 'none');
    if (name === 'leadIds')
      return fc.array(
        pick(() => pool.leadIds, 'none'),
        { minLength: 1, maxLength: 3 },
      );
    if (name === 'cadenceId') return pick(() => pool.cadenceIds, 'none');
    // A task's outcome is one of its type's (TASK_OUTCOMES), which the schema cannot list per type.
    if (name === 'outcome') return fc.constantFrom('sent', 'done', 'connected', 'booked', 'nope');
    // A due time is an ISO instant the schema's pattern rarely hits by chance.
    if (name === 'dueAt')
      return fc
        .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) })
        .map((ms) => new Date(ms).toISOString());
    if (name === 'weights')
      return fc.integer({ min: 0, max: 20 }).map((i) => ({ fit: i / 20, engagement: 1 - i / 20 }));
    // An IANA zone and hours in order are checked by refinements the schema cannot say.
    if (name === 'timeZone') return fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo');
    if (name === 'workingHours')
      return fc.constantFrom(null, {
        mon: [{ start: '09:00', end: '17:00' }],
        tue: [],
        wed: [
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '18:00' },
        ],
        thu: [],
        fri: [],
        sat: [],
        sun: [],
      });
    if (name === 'teamId') return pick(() => pool.teamIds, 'none');
    // A form's origins and thank-you page: mostly valid, sometimes with a path or another scheme.
    if (name === 'allowedOrigins')
      return fc.oneof(
        { arbitrary: fc.constant([FUZZ_FORM_ORIGIN]), weight: 4 },
        { arbitrary: fc.constantFrom(['https://acme.com/contact'], [], ['ftp://x'], ['']), weight: 1 },
      );
    if (name === 'thankYouUrl')
      return fc.constantFrom(undefined, `${FUZZ_FORM_ORIGIN}/thanks`, 'javascript:alert(1)', '');
    // An endpoint URL: public and private IP literals (no DNS look-up), and junk from the schema.
    if (name === 'url' && operation.path.startsWith('/api/webhooks'))
      return fc.oneof(
        { arbitrary: fc.constant('https://93.184.215.14/hook'), weight: 4 },
        { arbitrary: fc.constantFrom('http://127.0.0.1:9/hook', 'http://[::1]/x', 'ftp://x'), weight: 1 },
      );
    return undefined;
  };
  const context: SchemaContext = { root: doc, hints };
  const existing = (name: string): fc.Arbitrary<string> => {
    if (operation.path.startsWith('/api/tokens')) return pick(() => pool.tokenIds, 'none');
    if (operation.path.startsWith('/api/team/people')) return pick(() => pool.personIds, 'none');
    if (operation.path.startsWith('/api/teams')) return pick(() => pool.teamIds, 'none');
    if (operation.path.startsWith('/api/webhooks')) return pick(() => pool.webhookIds, 'none');
    if (operation.path.startsWith('/api/cadences')) return pick(() => pool.cadenceIds, 'none');
    if (operation.path.startsWith('/api/tasks')) return pick(() => pool.taskIds, 'none');
    if (operation.path.startsWith('/api/enrolments')) return pick(() => pool.enrolmentIds, 'none');
    if (operation.path.startsWith('/api/forms')) return pick(() => pool.formIds, 'none');
    if (operation.path.startsWith('/f/')) return pick(() => pool.formPublicIds, 'none');
    if (operation.path.startsWith('/api/imports')) return pick(() => pool.importIds, 'none');
    if (name === 'touchpointId')
      return pick(() => pool.touchpoints.map((touchpoint) => touchpoint.id), 'none');
    return pick(() => pool.leadIds, 'none');
  };
  // A touchpoint path needs its own lead's id; both come from one pair most of the time.
  const pathArbitrary = operation.path.includes('{touchpointId}')
    ? fc
        .tuple(
          pick(() => pool.touchpoints, { leadId: 'none', id: 'none' }),
          garbageSegment,
          fc.nat(3),
        )
        .map(([pair, junk, choice]) => ({
          id: choice === 1 ? junk : pair.leadId,
          touchpointId: choice === 2 ? junk : pair.id,
        }))
    : operation.path.includes('{deliveryId}')
      ? fc
          .tuple(
            pick(() => pool.deliveries, { endpointId: 'none', id: 'none' }),
            garbageSegment,
            fc.nat(3),
          )
          .map(([pair, junk, choice]) => ({
            id: choice === 1 ? junk : pair.endpointId,
            deliveryId: choice === 2 ? junk : pair.id,
          }))
      : fc.record(
          Object.fromEntries(
            operation.parameters
              .filter((parameter) => parameter.in === 'path')
              .map((parameter) => [
                parameter.name,
                fc.oneof(
                  { arbitrary: existing(parameter.name), weight: 3 },
                  { arbitrary: garbageSegment, weight: 1 },
                ),
              ]),
          ),
        );

  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  const validQuery = (parameter: Parameter) =>
    (hints(parameter.name) ?? schemaArbitrary(parameter.schema ?? {}, context)).map(asQueryText);
  // Half the time every parameter is valid or absent; else some are junk, repeated or unknown.
  const queryArbitrary = fc.oneof(
    fc.tuple(
      fc.tuple(...queryParameters.map((parameter) => fc.option(validQuery(parameter), { nil: undefined }))),
      fc.constant(null),
    ),
    fc.tuple(
      fc.tuple(
        ...queryParameters.map((parameter) =>
          fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 2 },
            { arbitrary: validQuery(parameter), weight: 2 },
            { arbitrary: hostileValue.map(asQueryText), weight: 2 },
            { arbitrary: fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 }), weight: 1 },
          ),
        ),
      ),
      fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), hostileValue.map(asQueryText)), {
        freq: 2,
      }),
    ),
  );

  const headerArbitrary = fc.record(
    {
      // Fresh keys, keys used before (with another body: a 422), and one over 255 characters.
      'idempotency-key': fc.oneof(
        { arbitrary: fc.string({ minLength: 1, maxLength: 40 }).map(encode), weight: 4 },
        { arbitrary: fc.constantFrom('fuzz-key-1', 'fuzz-key-2'), weight: 2 },
        { arbitrary: fc.constant('k'.repeat(300)), weight: 1 },
      ),
      'last-event-id': hostileValue.map(asQueryText).map((text) => encode(text).slice(0, 200)),
    },
    { requiredKeys: [] },
  );

  const bodyArbitrary: fc.Arbitrary<{ kind: string; body?: string; contentType?: string }> = operation.body
    ? bodyVariants(operation.body, context)
    : operation.label === 'POST /api/imports'
      ? csvBodies()
      : fc.constant({ kind: 'no-body' });

  return fc
    .tuple(pathArbitrary, queryArbitrary, headerArbitrary, bodyArbitrary)
    .map(([pathValues, [queryValues, extra], headers, body]) => {
      let url = operation.path;
      for (const [name, value] of Object.entries(pathValues)) url = url.replace(`{${name}}`, String(value));
      const search = new URLSearchParams();
      queryParameters.forEach((parameter, index) => {
        const value = queryValues[index];
        if (Array.isArray(value)) for (const item of value) search.append(parameter.name, item);
        else if (value !== undefined) search.append(parameter.name, value);
      });
      if (extra) search.append(extra[0], extra[1]);
      const query = search.toString();
      const sent: Record<string, string> = {};
      if (operation.method === 'POST' && headers['idempotency-key'])
        sent['idempotency-key'] = headers['idempotency-key'];
      if (operation.path === '/api/events' && headers['last-event-id'])
        sent['last-event-id'] = headers['last-event-id'];
      if (body.contentType) sent['content-type'] = body.contentType;
      // A form submission comes from the form's site, but for the odd one from anywhere else.
      if (operation.path.startsWith('/f/'))
        sent.origin = Math.abs(url.length % 5) === 0 ? 'https://elsewhere.example' : FUZZ_FORM_ORIGIN;
      return {
        method: operation.method,
        url: query ? `${url}?${query}` : url,
        headers: sent,
        body: body.body,
        kind: body.kind,
      };
    });
}
