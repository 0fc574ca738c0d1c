import { type Me, type WorkspaceSettings, workspaceSettingsSchema } from '@leadline/shared';
import { useEffect, useState } from 'react';
import { useApi } from '@/components/api-context';
import { ApiError, unwrap } from '@/utils/api';

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * The workspace's currency, the reasons a deal is won or lost and when a cold SQL is offered back to
 * nurture, for managers and admins: every money figure and the panel's "Close as Won/Lost" use them. The API's 422 shows by its field.
 */
export function WorkspaceSettingsSection({ me }: { me: Me }) {
  const api = useApi();
  const [draft, setDraft] = useState<{
    currency: string;
    won: string;
    lost: string;
    recycleAfterDays: string;
  } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const canEdit = me.user.role === 'manager' || me.user.role === 'admin';

  useEffect(() => {
    if (!canEdit) return;
    unwrap(api.settings.workspace.$get()).then(
      (settings) =>
        setDraft({
          currency: settings.currency,
          won: settings.closeReasons.won.join('\n'),
          lost: settings.closeReasons.lost.join('\n'),
          recycleAfterDays: String(settings.recycleAfterDays ?? 30),
        }),
      (error: unknown) => setStatus(error instanceof Error ? error.message : String(error)),
    );
  }, [api, canEdit]);
  if (!canEdit || !draft) return null;

  async function save() {
    if (!draft) return;
    const body: WorkspaceSettings = {
      currency: draft.currency,
      closeReasons: { won: lines(draft.won), lost: lines(draft.lost) },
      recycleAfterDays: Number(draft.recycleAfterDays),
    };
    setStatus(null);
    const checked = workspaceSettingsSchema.safeParse(body);
    const issues = checked.success
      ? []
      : checked.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));
    if (!issues.length) {
      try {
        await unwrap(api.settings.workspace.$put({ json: body }));
        setErrors({});
        setStatus('Saved. The currency and close reasons show in every panel on its next read.');
        return;
      } catch (error) {
        if (!(error instanceof ApiError) || !error.problem.issues) {
          setStatus(error instanceof Error ? error.message : String(error));
          return;
        }
        issues.push(
          ...error.problem.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
        );
      }
    }
    const byField: Record<string, string> = {};
    for (const issue of issues) {
      const field =
        issue.path[0] === 'closeReasons' ? (issue.path[1] ?? 'won') : (issue.path[0] ?? 'currency');
      byField[field] ??= issue.message;
    }
    setErrors(byField);
  }

  return (
    <section
      className="card card-wide"
      aria-labelledby="workspace-settings-heading"
      data-testid="workspace-settings"
    >
      <h2 id="workspace-settings-heading">Workspace settings</h2>
      <form
        className="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label>
          Currency (ISO 4217)
          <input
            value={draft.currency}
            aria-invalid={errors.currency ? true : undefined}
            onChange={(event) => setDraft({ ...draft, currency: event.target.value })}
          />
        </label>
        {errors.currency && (
          <p className="field-error" role="alert">
            {errors.currency}
          </p>
        )}
        <label>
          Reasons a deal is won (one a line)
          <textarea
            rows={4}
            value={draft.won}
            onChange={(event) => setDraft({ ...draft, won: event.target.value })}
          />
        </label>
        {errors.won && (
          <p className="field-error" role="alert">
            {errors.won}
          </p>
        )}
        <label>
          Reasons a deal is lost (one a line)
          <textarea
            rows={5}
            value={draft.lost}
            onChange={(event) => setDraft({ ...draft, lost: event.target.value })}
          />
        </label>
        {errors.lost && (
          <p className="field-error" role="alert">
            {errors.lost}
          </p>
        )}
        <p className="muted">Reps also get “Other” with their own words.</p>
        <label>
          Offer a cold SQL back to nurture after this many days without a touch
          <input
            type="number"
            min={1}
            max={365}
            value={draft.recycleAfterDays}
            aria-invalid={errors.recycleAfterDays ? true : undefined}
            onChange={(event) => setDraft({ ...draft, recycleAfterDays: event.target.value })}
          />
        </label>
        {errors.recycleAfterDays && (
          <p className="field-error" role="alert">
            {errors.recycleAfterDays}
          </p>
        )}
        <button type="submit" className="button">
          Save settings
        </button>
        {status && <p role="status">{status}</p>}
      </form>
    </section>
  );
}
