import type { Lead, LeadMatch } from '@leadline/shared';
import type { ExtractedLead } from '@leadline/shared/extract';
import { useEffect, useId, useMemo, useState } from 'react';
import { useAsync } from '@/hooks/use-async';
import { useCurrentCapture } from '@/hooks/use-current-capture';
import { ApiError, unwrap } from '@/utils/api';
import { type PageCapture, sendMessage } from '@/utils/messaging';
import { useApi } from './api-context';
import { ErrorNotice } from './error-notice';
import { LeadForm, type LeadFormField } from './lead-form';
import { useLive } from './live-context';
import { StageBadge } from './stage-badge';

const FORM_FIELDS: LeadFormField[] = [
  'fullName',
  'email',
  'title',
  'company',
  'phone',
  'linkedinUrl',
  'website',
  'location',
];
const SOURCE_LABELS: Record<string, string> = {
  jsonld: 'structured data',
  microformat: 'h-card',
  microdata: 'microdata',
  meta: 'meta tags',
  structure: 'page structure',
  css: 'page layout',
  url: 'the address',
  signature: 'the signature',
  selection: 'your selection',
  link: 'a link',
};

function describeCandidate(candidate: ExtractedLead) {
  return candidate.fullName ?? candidate.company ?? candidate.email ?? 'Unnamed';
}

/** "This page": who is on it, whether the team knows them, and one click to save. */
export function PageCaptureView({ onOpenLead }: { onOpenLead(id: string): void }) {
  const headingId = useId();
  const { tabId, capture } = useCurrentCapture();
  const [capturing, setCapturing] = useState(false);
  const [captureError, setCaptureError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);

  // A new page starts at its first person.
  useEffect(() => setSelected(0), [capture?.capturedAt, tabId]);

  async function captureNow() {
    setCapturing(true);
    setCaptureError(null);
    const outcome = await sendMessage('captureActiveTab').catch((error: unknown) => ({
      ok: false as const,
      reason: 'failed' as const,
      message: String(error),
    }));
    setCapturing(false);
    if (!outcome.ok) setCaptureError(outcome.message);
  }

  const leads = capture?.result.leads ?? [];
  const candidate = leads[Math.min(selected, leads.length - 1)];

  return (
    <section className="stack" aria-labelledby={headingId}>
      <div className="row row-between">
        <h1 id={headingId}>This page</h1>
        <button type="button" className="button" onClick={() => void captureNow()} disabled={capturing}>
          {capturing ? 'Reading…' : capture ? 'Read again' : 'Capture this page'}
        </button>
      </div>
      {captureError && (
        <p className="notice notice-error" role="alert">
          {captureError}
        </p>
      )}
      {tabId !== undefined && !capture && !captureError && (
        <p className="empty">
          Nothing captured yet. Click the Leadline button in the toolbar (Alt+Shift+L) on a page, or “Capture
          this page”.
        </p>
      )}
      {capture?.unreadable && (
        <div className="notice notice-error" role="alert" data-testid="page-unreadable">
          <strong>Leadline could not read this page.</strong>
          <p>
            This is a fault in Leadline, not an empty page: read it again, or add the person by hand. (
            {capture.unreadable})
          </p>
        </div>
      )}
      {capture && !capture.unreadable && leads.length === 0 && (
        <p className="empty" data-testid="nobody-found">
          Nobody found on this page. Select a name, e-mail or phone on the page and read it again.
        </p>
      )}
      {leads.length > 1 && (
        <fieldset className="chips">
          <legend className="visually-hidden">People on this page</legend>
          {leads.map((lead, index) => (
            <label key={`${index}-${describeCandidate(lead)}`} className="chip">
              <input
                type="radio"
                className="visually-hidden"
                name={`${headingId}-person`}
                checked={index === selected}
                onChange={() => setSelected(index)}
              />
              {describeCandidate(lead)}
            </label>
          ))}
        </fieldset>
      )}
      {capture && candidate && (
        <CandidateCard
          key={`${capture.capturedAt}-${selected}`}
          candidate={candidate}
          capture={capture}
          onOpenLead={onOpenLead}
        />
      )}
    </section>
  );
}

function CandidateCard({
  candidate,
  capture,
  onOpenLead,
}: {
  candidate: ExtractedLead;
  capture: PageCapture;
  onOpenLead(id: string): void;
}) {
  const api = useApi();
  const [confirmed, setConfirmed] = useState<'yes' | 'no' | null>(null);
  const [saved, setSaved] = useState<Lead | null>(null);
  const [state, reload] = useAsync(async () => {
    const query: Record<string, string> = {};
    if (candidate.linkedinUrl) query.linkedinUrl = candidate.linkedinUrl;
    if (candidate.email) query.email = candidate.email;
    if (candidate.fullName && (candidate.companyDomain || candidate.company)) {
      query.fullName = candidate.fullName;
      if (candidate.companyDomain) query.companyDomain = candidate.companyDomain;
      if (candidate.company) query.company = candidate.company;
    }
    if (!Object.keys(query).length) return { match: null } satisfies LeadMatch;
    return unwrap(api.leads.match.$get({ query }));
  }, [api, candidate]);

  const initial = useMemo(() => {
    const values: Partial<Record<LeadFormField, string>> = {};
    for (const field of FORM_FIELDS) {
      const value = candidate[field as keyof ExtractedLead];
      if (typeof value === 'string') values[field] = value;
    }
    return values;
  }, [candidate]);
  const hints = useMemo(() => {
    const result: Partial<Record<LeadFormField, string>> = {};
    for (const field of FORM_FIELDS) {
      const evidence = candidate.fieldSources[field];
      if (evidence) result[field] = `from ${SOURCE_LABELS[evidence.source] ?? evidence.source}`;
    }
    return result;
  }, [candidate]);

  // The API away: the banner says so once; the person stays on screen and Save waits in the outbox.
  const offline = state.status === 'error' && state.error instanceof ApiError && state.error.unreachable;
  if (state.status === 'error' && !offline) return <ErrorNotice error={state.error} onRetry={reload} />;
  if (!state.data && !offline)
    return (
      <div className="skeleton skeleton-card" role="status" aria-busy="true">
        <span className="visually-hidden">Checking the team's leads</span>
      </div>
    );

  const match = offline ? null : (state.data?.match ?? null);
  const known = saved ?? (match && (!match.needsConfirmation || confirmed === 'yes') ? match.lead : null);
  if (known) {
    return (
      <KnownLead
        lead={known}
        candidate={candidate}
        justSaved={Boolean(saved)}
        onOpen={() => onOpenLead(known.id)}
      />
    );
  }
  return (
    <div className="stack">
      {match?.needsConfirmation && confirmed === null && (
        <fieldset className="notice">
          <legend className="visually-hidden">Possible match</legend>
          <p>
            Same person? Is this <strong>{match.lead.fullName}</strong>
            {match.lead.company ? ` at ${match.lead.company}` : ''}, already a lead? (
            {Math.round(match.confidence * 100)}% alike)
          </p>
          <div className="row">
            <button type="button" className="button" onClick={() => setConfirmed('yes')}>
              Yes, same person
            </button>
            <button type="button" className="button button-quiet" onClick={() => setConfirmed('no')}>
              No, a different person
            </button>
          </div>
        </fieldset>
      )}
      {/* Only once the rep said it is someone else: saving a second lead for one person is the mistake to avoid. */}
      {(!match?.needsConfirmation || confirmed === 'no') && (
        <LeadForm
          heading={candidate.kind === 'company' ? 'New company lead' : 'New lead from this page'}
          initial={initial}
          hints={hints}
          extra={{
            ...(candidate.companyDomain ? { companyDomain: candidate.companyDomain } : {}),
            ...(candidate.country ? { country: candidate.country } : {}),
            ...(candidate.industry ? { industry: candidate.industry } : {}),
            ...(candidate.companySize ? { companySize: candidate.companySize } : {}),
            ...(candidate.firstName ? { firstName: candidate.firstName } : {}),
            ...(candidate.lastName ? { lastName: candidate.lastName } : {}),
          }}
          source={{
            channel: capture.result.source.channel,
            ...(/^https?:/.test(capture.result.source.url)
              ? { url: capture.result.source.url.slice(0, 2048) }
              : {}),
            ...(capture.result.source.utm ? { utm: capture.result.source.utm } : {}),
          }}
          onSaved={setSaved}
          onOpenExisting={onOpenLead}
        />
      )}
    </div>
  );
}

type Diff = { field: LeadFormField; label: string; from: string | null; to: string };
const LABELS: Record<LeadFormField, string> = {
  fullName: 'Name',
  email: 'E-mail',
  title: 'Title',
  company: 'Company',
  phone: 'Phone',
  linkedinUrl: 'LinkedIn',
  website: 'Website',
  location: 'Location',
};

/** Fields the page has that the stored lead lacks or has otherwise: "update from this page" offers them. */
export function diffFromPage(lead: Lead, candidate: ExtractedLead): Diff[] {
  const diffs: Diff[] = [];
  for (const field of FORM_FIELDS) {
    const value = candidate[field as keyof ExtractedLead];
    if (typeof value !== 'string' || !value.trim()) continue;
    const stored = lead[field];
    if (stored === value) continue;
    if (field === 'email' && stored?.toLowerCase() === value.toLowerCase()) continue;
    diffs.push({ field, label: LABELS[field], from: stored, to: value });
  }
  return diffs;
}

function KnownLead({
  lead,
  candidate,
  justSaved,
  onOpen,
}: {
  lead: Lead;
  candidate: ExtractedLead;
  justSaved: boolean;
  onOpen(): void;
}) {
  const api = useApi();
  const { outbox } = useLive();
  const [current, setCurrent] = useState(lead);
  const diffs = useMemo(() => diffFromPage(current, candidate), [current, candidate]);
  const [picked, setPicked] = useState<Set<LeadFormField>>(
    () => new Set(diffs.filter((d) => !d.from).map((d) => d.field)),
  );
  const [reviewing, setReviewing] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  async function apply() {
    const patch: Record<string, string> = {};
    for (const diff of diffs) if (picked.has(diff.field)) patch[diff.field] = diff.to;
    try {
      const key = crypto.randomUUID();
      const outcome = await outbox.submit({ kind: 'updateLead', leadRef: current.id, body: patch }, key);
      if (outcome.status === 'refused') {
        await outbox.discard(key);
        throw new Error(outcome.error.detail ?? outcome.error.title);
      }
      // Sent, or queued while offline (the banner says so): show the page's values either way.
      setCurrent(
        outcome.status === 'queued'
          ? { ...current, ...patch }
          : await unwrap(api.leads[':id'].$get({ param: { id: current.id } })),
      );
      setReviewing(false);
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    }
  }

  return (
    <div className="stack">
      <div className="card" data-testid="known-lead">
        <div className="row row-between">
          <h2>{current.fullName ?? current.email ?? current.company}</h2>
          <StageBadge stage={current.stage} />
        </div>
        <p className="muted">{[current.title, current.company].filter(Boolean).join(' · ')}</p>
        <p className="score-line">
          <span className="score-big">{current.score}</span>
          <span className="muted">score · grade {current.grade}</span>
        </p>
        <p className="saved-flag" role="status">
          {justSaved ? 'Saved.' : 'Already saved'}
        </p>
        <div className="row">
          <button type="button" className="button button-primary" onClick={onOpen}>
            Open lead
          </button>
          {diffs.length > 0 && !reviewing && (
            <button type="button" className="button" onClick={() => setReviewing(true)}>
              Update from this page ({diffs.length})
            </button>
          )}
        </div>
      </div>
      {reviewing && (
        <fieldset className="card stack">
          <legend>Update from this page</legend>
          {diffs.map((diff) => (
            <label key={diff.field} className="check">
              <input
                type="checkbox"
                checked={picked.has(diff.field)}
                onChange={(event) =>
                  setPicked((previous) => {
                    const next = new Set(previous);
                    if (event.target.checked) next.add(diff.field);
                    else next.delete(diff.field);
                    return next;
                  })
                }
              />
              <span>
                <strong>{diff.label}</strong>: {diff.from ? <del>{diff.from}</del> : <em>empty</em>} →{' '}
                {diff.to}
              </span>
            </label>
          ))}
          {error && <ErrorNotice error={error} />}
          <div className="row">
            <button
              type="button"
              className="button button-primary"
              disabled={picked.size === 0}
              onClick={() => void apply()}
            >
              Apply {picked.size} change{picked.size === 1 ? '' : 's'}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setReviewing(false)}>
              Cancel
            </button>
          </div>
        </fieldset>
      )}
    </div>
  );
}
