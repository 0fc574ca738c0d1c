import type { Import } from '@leadline/shared';
import { useEffect, useState } from 'react';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import type { Settings } from '@/utils/settings';
import { ImportProgress } from './import-progress';
import { ImportReview } from './import-review';
import { uploadCsv } from './upload';

const idFromHash = () => decodeURIComponent(window.location.hash.slice(1)) || null;

/**
 * CSV import for managers and admins: upload a file, check the detected encoding and delimiter,
 * the mapping and the dry run, choose what happens to matches, start, watch the progress (it goes
 * on with the page closed: the import's id stays in the address), download the refused rows, undo.
 */
export function ImportsPage({ settings }: { settings: Settings }) {
  const api = useApi();
  const [selected, setSelected] = useState<string | null>(idFromHash);
  const [list, reloadList] = useAsync(() => unwrap(api.imports.$get()), [api]);
  useEffect(() => {
    const onHash = () => setSelected(idFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // Opened again without an import in the address: the one still running, if any, goes on showing.
  useEffect(() => {
    const running = list.data?.imports.find((job) => job.status === 'running' || job.status === 'undoing');
    if (!selected && running) setSelected(running.id);
  }, [list.data, selected]);
  const open = (id: string | null) => {
    window.location.hash = id ? encodeURIComponent(id) : '';
    setSelected(id);
  };
  return (
    <main className="dashboard">
      <header className="page-header">
        <h1>Import leads</h1>
        <p className="muted">
          A CSV export of HubSpot, Salesforce, Pipedrive, Apollo or Sales Navigator (up to 100 MB, 500,000
          rows). Nothing is written until you start: first you see what the file would do.
        </p>
      </header>
      <UploadForm
        settings={settings}
        onUploaded={(job) => {
          open(job.id);
          reloadList();
        }}
      />
      {selected && <SelectedImport id={selected} onChanged={reloadList} />}
      <section className="card card-wide" aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent imports</h2>
        {list.status === 'error' && <ErrorNotice error={list.error} onRetry={reloadList} />}
        {list.data && list.data.imports.length === 0 && <p className="muted">No import yet.</p>}
        <ul className="import-list">
          {list.data?.imports.map((job) => (
            <li key={job.id} className="row">
              <button type="button" className="button button-quiet" onClick={() => open(job.id)}>
                {job.fileName}
              </button>
              <span className="muted">
                {job.status} · {job.progress.total.toLocaleString()} rows ·{' '}
                {new Date(job.createdAt).toLocaleString()}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}

function UploadForm({ settings, onUploaded }: { settings: Settings; onUploaded(job: Import): void }) {
  const [file, setFile] = useState<File | null>(null);
  const [campaign, setCampaign] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      onUploaded(await uploadCsv(settings, file, campaign));
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card card-wide" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload a file</h2>
      <form className="settings-form" onSubmit={(event) => void submit(event)}>
        <label>
          CSV file
          <input
            type="file"
            accept=".csv,.tsv,.txt,text/csv"
            data-testid="import-file"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </label>
        <label>
          Campaign (optional)
          <input value={campaign} onChange={(event) => setCampaign(event.target.value)} maxLength={200} />
        </label>
        <div className="row">
          <button type="submit" className="button button-primary" disabled={!file || busy}>
            {busy ? 'Reading the file…' : 'Upload and check'}
          </button>
        </div>
      </form>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

function SelectedImport({ id, onChanged }: { id: string; onChanged(): void }) {
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.imports[':id'].$get({ param: { id } })), [api, id]);
  const [job, setJob] = useState<Import | null>(null);
  useEffect(() => {
    if (state.data) setJob(state.data);
  }, [state.data]);
  if (state.status === 'error' && !job) return <ErrorNotice error={state.error} onRetry={reload} />;
  if (!job || job.id !== id) return <section className="card card-wide" aria-busy="true" />;
  const update = (next: Import) => {
    setJob(next);
    onChanged();
  };
  return job.status === 'staged' ? (
    <ImportReview job={job} onChange={update} />
  ) : (
    <ImportProgress job={job} onChange={update} />
  );
}
