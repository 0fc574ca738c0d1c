import { parseSetupLine } from '@leadline/shared/team';
import { type FormEvent, useId, useState } from 'react';
import { type ConnectionCheck, checkConnection } from '@/utils/api';
import { DEFAULT_API_URL, normaliseApiUrl, type Settings } from '@/utils/settings';

interface Props {
  initial: Settings | null;
  onSave(settings: Settings): Promise<void>;
  onCancel?: () => void;
}

/** First run and later: where the API is and the rep's token, checked before saving. */
export function SettingsView({ initial, onSave, onCancel }: Props) {
  const [apiUrl, setApiUrl] = useState(initial?.apiUrl ?? DEFAULT_API_URL);
  const [token, setToken] = useState(initial?.token ?? '');
  const [check, setCheck] = useState<ConnectionCheck | { ok: null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const urlId = useId();
  const tokenId = useId();
  const setupId = useId();
  const [setupLine, setSetupLine] = useState('');
  const [setupError, setSetupError] = useState<string | null>(null);

  /** A setup line from the Team page fills both fields at once. */
  function pasteSetupLine(text: string) {
    setSetupLine(text);
    if (!text.trim()) return setSetupError(null);
    const parsed = parseSetupLine(text);
    if (!parsed)
      return setSetupError('This is not a Leadline setup line (it starts with leadline:connect?).');
    setSetupError(null);
    setApiUrl(parsed.apiUrl);
    setToken(parsed.token);
  }

  async function test(): Promise<Settings | null> {
    let settings: Settings;
    try {
      settings = { apiUrl: normaliseApiUrl(apiUrl), token: token.trim() };
    } catch (error) {
      setCheck({ ok: false, reason: 'unreachable', message: (error as Error).message });
      return null;
    }
    if (!settings.token) {
      setCheck({ ok: false, reason: 'token-rejected', message: 'Paste your API token.' });
      return null;
    }
    setBusy(true);
    setCheck({ ok: null, message: 'Checking…' });
    const result = await checkConnection(settings);
    setBusy(false);
    setCheck(result);
    return result.ok ? settings : null;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const settings = await test();
    if (settings) await onSave(settings);
  }

  return (
    <form className="stack" onSubmit={submit} aria-labelledby={`${urlId}-title`}>
      <h1 id={`${urlId}-title`}>{initial ? 'Settings' : 'Welcome to Leadline'}</h1>
      {!initial && <p className="muted">Connect the side panel to your team's Leadline API.</p>}
      <label htmlFor={setupId}>Setup line (from your admin’s Team page)</label>
      <input
        id={setupId}
        name="setupLine"
        autoComplete="off"
        value={setupLine}
        onChange={(event) => pasteSetupLine(event.target.value)}
        placeholder="leadline:connect?api=…&token=…"
      />
      {setupError && (
        <p className="notice notice-error" role="alert">
          {setupError}
        </p>
      )}
      <p className="hint">Or enter the API URL and your token:</p>
      <label htmlFor={urlId}>API URL</label>
      <input
        id={urlId}
        name="apiUrl"
        type="url"
        required
        value={apiUrl}
        onChange={(event) => setApiUrl(event.target.value)}
        placeholder={DEFAULT_API_URL}
      />
      <label htmlFor={tokenId}>API token</label>
      <input
        id={tokenId}
        name="token"
        type="password"
        required
        autoComplete="off"
        value={token}
        onChange={(event) => setToken(event.target.value)}
        placeholder="ll_…"
      />
      <p className="hint">
        The admin token is printed when the API first starts; admins invite reps on the dashboard’s Team page.
      </p>
      {check && (
        <p
          className={`notice ${check.ok === true ? 'notice-ok' : check.ok === false ? 'notice-error' : ''}`}
          role="status"
          data-testid="connection-status"
        >
          {check.ok === true
            ? `Connected as ${check.userName} (${check.role}) to ${check.workspaceName}`
            : check.message}
        </p>
      )}
      <div className="row">
        <button type="button" className="button" onClick={() => void test()} disabled={busy}>
          Test connection
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          Save
        </button>
        {onCancel && (
          <button type="button" className="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
