import { type RoutingTrace, routingDocumentSchema } from '@leadline/shared/routing';
import type { Person } from '@leadline/shared/team';
import { type FormEvent, useEffect, useState } from 'react';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { problemFields } from './problem-fields';

/**
 * The routing rules (managers, admins): the document in force as JSON to edit (the API's 422 lists
 * each bad part by its path), and "Try a lead": who would get a lead with these fields, and why.
 */
export function RoutingSection({ people }: { people: Person[] }) {
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.routing.$get()), [api]);
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    if (state.data) setText(JSON.stringify(state.data.document, null, 2));
  }, [state.data]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setStatus(null);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      setProblems(['The rules are not valid JSON.']);
      return;
    }
    const checked = routingDocumentSchema.safeParse(json);
    if (!checked.success) {
      setProblems(checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
      return;
    }
    try {
      const saved = await unwrap(api.routing.$put({ json: checked.data }));
      setProblems([]);
      setStatus(`Saved as version ${saved.version}.`);
      reload();
    } catch (error) {
      const problem = problemFields(error);
      const listed = Object.entries(problem.fields).map(([path, message]) => `${path}: ${message}`);
      setProblems(listed.length ? listed : [problem.message ?? 'Refused']);
    }
  }

  return (
    <section className="card card-wide" aria-labelledby="routing-heading" data-testid="routing">
      <h2 id="routing-heading">Routing rules {state.data ? `(version ${state.data.version})` : ''}</h2>
      <p className="muted">
        First match wins, then the fallback. Conditions use the fit rules’ fields and operators, plus region,
        seniority, score, fit, grade and stage. A rule’s <code>sla</code> (
        <code>{'{"minutes": 30, "onBreach": "reassign" | "escalate"}'}</code>) routes a lead again without its
        owner, or gives it to the team’s manager, when it gets no outbound touch within that many working
        minutes. Version 0: no routing yet, a lead stays with whoever created it.
      </p>
      <form className="routing-form" onSubmit={save}>
        <label>
          Rules (JSON)
          <textarea rows={14} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        {problems.length > 0 && (
          <ul className="field-error" role="alert">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
        <button type="submit" className="button">
          Save rules
        </button>
        {status && <p role="status">{status}</p>}
      </form>
      <TryALead people={people} draft={text} />
    </section>
  );
}

const FIELDS = [
  ['fullName', 'Name'],
  ['title', 'Title'],
  ['company', 'Company'],
  ['country', 'Country (ISO code)'],
  ['industry', 'Industry'],
] as const;

function TryALead({ people, draft }: { people: Person[]; draft: string }) {
  const api = useApi();
  const [fields, setFields] = useState<Record<string, string>>({ fullName: 'Test Lead' });
  const [channel, setChannel] = useState('web');
  const [useDraft, setUseDraft] = useState(false);
  const [result, setResult] = useState<{ trace: RoutingTrace | null; ownerName: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = new Map(people.map((p) => [p.id, p.name]));

  async function run(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const lead = Object.fromEntries(Object.entries(fields).filter(([, v]) => v.trim()));
      const document = useDraft ? routingDocumentSchema.parse(JSON.parse(draft)) : undefined;
      setResult(
        await unwrap(
          api.routing.preview.$post({
            json: {
              lead: { ...lead, source: { channel: channel as 'web' } },
              ...(document ? { document } : {}),
            },
          }),
        ),
      );
    } catch (caught) {
      setResult(null);
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  return (
    <form className="try-lead" onSubmit={run} aria-labelledby="try-heading" data-testid="try-a-lead">
      <h3 id="try-heading">Try a lead</h3>
      <div className="inline-field wrap-row">
        {FIELDS.map(([key, label]) => (
          <label key={key}>
            {label}
            <input
              value={fields[key] ?? ''}
              onChange={(e) => setFields({ ...fields, [key]: e.target.value })}
            />
          </label>
        ))}
        <label>
          Channel
          <select value={channel} onChange={(e) => setChannel(e.target.value)}>
            {['web', 'linkedin', 'email', 'manual', 'import', 'referral', 'event'].map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      </div>
      <label className="choice">
        <input type="checkbox" checked={useDraft} onChange={(e) => setUseDraft(e.target.checked)} />
        With the rules above (not saved yet)
      </label>
      <button type="submit" className="button">
        Who gets it?
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="notice" role="status" data-testid="try-result">
          {result.trace ? (
            <>
              <strong>
                {result.ownerName ?? 'The unassigned queue'}: {result.trace.summary}
              </strong>
              {result.trace.passed.map((passed) => (
                <span key={passed.ruleId} className="muted">
                  Rule {passed.ruleId}: {passed.reason === 'no_match' ? 'did not match' : 'nobody left'}
                </span>
              ))}
              {[...result.trace.passed.flatMap((p) => p.candidates ?? []), ...result.trace.candidates]
                .filter((c) => c.skipped)
                .map((c, i) => (
                  <span key={`${c.userId}-${i}`} className="muted">
                    {names.get(c.userId) ?? c.userId} skipped: {c.skipped?.replace('_', ' ')}
                  </span>
                ))}
            </>
          ) : (
            <strong>No routing yet: whoever creates it keeps it.</strong>
          )}
        </div>
      )}
    </form>
  );
}
