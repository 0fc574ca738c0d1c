import { useState } from 'react';
import { ErrorNotice } from './error-notice';

/** Buttons that each download a file, with "Preparing…" while it comes and the error if refused. */
export function ExportButtons({
  label,
  downloads,
}: {
  label: string;
  downloads: { name: string; run(): Promise<void> }[];
}) {
  const [running, setRunning] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  async function start(download: { name: string; run(): Promise<void> }) {
    setRunning(download.name);
    setError(null);
    try {
      await download.run();
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setRunning(null);
    }
  }
  return (
    <div className="stack">
      <fieldset className="row export-buttons">
        <legend className="visually-hidden">{label}</legend>
        {downloads.map((download) => (
          <button
            key={download.name}
            type="button"
            className="button button-quiet"
            disabled={running !== null}
            onClick={() => void start(download)}
          >
            {running === download.name ? 'Preparing…' : download.name}
          </button>
        ))}
      </fieldset>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
