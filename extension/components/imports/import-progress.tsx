import type { Import } from '@leadline/shared';
import { useEffect, useState } from 'react';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { unwrap } from '@/utils/api';
import { downloadResponse } from '@/utils/download';

const POLL_MS = 1000;

const STATUS_TEXT: Record<Import['status'], string> = {
  staged: 'Not started',
  running: 'Importing…',
  done: 'Done',
  failed: 'Stopped',
  undoing: 'Undoing…',
  undone: 'Undone',
};

/** A started import: the progress bar (polled while it runs), the refused rows, and Undo. */
export function ImportProgress({ job, onChange }: { job: Import; onChange(job: Import): void }) {
  const api = useApi();
  const [error, setError] = useState<Error | null>(null);
  const active = job.status === 'running' || job.status === 'undoing';
  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(() => {
      unwrap(api.imports[':id'].$get({ param: { id: job.id } })).then(onChange, (failure: unknown) =>
        setError(failure instanceof Error ? failure : new Error(String(failure))),
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [api, job, active, onChange]);
  const { progress } = job;
  async function act(run: () => Promise<unknown>) {
    setError(null);
    try {
      await run();
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  }
  return (
    <section
      className="card card-wide stack"
      aria-labelledby="progress-heading"
      data-testid="import-progress"
    >
      <h2 id="progress-heading">
        {job.fileName}: <span data-testid="import-status">{STATUS_TEXT[job.status]}</span>
      </h2>
      <progress
        className="import-progress"
        max={Math.max(1, progress.total)}
        value={progress.done}
        aria-label="Rows done"
      />
      <p data-testid="import-figures">
        {progress.done.toLocaleString()} of {progress.total.toLocaleString()} rows
        {progress.rowsPerSecond !== null && ` · ${progress.rowsPerSecond.toLocaleString()} rows/s`}
        {active && progress.secondsLeft !== null && ` · about ${formatSeconds(progress.secondsLeft)} left`}
        {` · ${progress.created.toLocaleString()} created, ${progress.updated.toLocaleString()} updated, ${progress.skipped.toLocaleString()} skipped, `}
        <strong>{progress.refused.toLocaleString()} refused</strong>
      </p>
      {job.error && <p className="field-error">{job.error}</p>}
      {error && <ErrorNotice error={error} />}
      <div className="row">
        <button
          type="button"
          className="button"
          disabled={progress.refused === 0}
          onClick={() =>
            void act(() =>
              downloadResponse(
                api.imports[':id']['errors.csv'].$get({ param: { id: job.id } }),
                `${job.fileName}-errors.csv`,
              ),
            )
          }
        >
          Download errors
        </button>
        {(job.status === 'done' || job.status === 'failed') && (
          <button
            type="button"
            className="button button-danger"
            onClick={() => {
              if (
                !window.confirm(
                  `Undo the import of ${job.fileName}? Its new leads are removed, its updates reverted.`,
                )
              )
                return;
              void act(async () =>
                onChange(await unwrap(api.imports[':id'].undo.$post({ param: { id: job.id } }))),
              );
            }}
          >
            Undo this import
          </button>
        )}
      </div>
    </section>
  );
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
