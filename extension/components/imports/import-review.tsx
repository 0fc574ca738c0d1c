import {
  IMPORT_POLICIES,
  IMPORT_TARGETS,
  type Import,
  type ImportExample,
  type ImportPolicy,
  type ImportTarget,
} from '@leadline/shared';
import { useState } from 'react';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { unwrap } from '@/utils/api';
import { DELIMITER_LABELS, ENCODING_LABELS, POLICY_LABELS, TARGET_LABELS } from './labels';

/** A staged import: what was detected, the mapping to change, the dry run, the policy, Start. */
export function ImportReview({ job, onChange }: { job: Import; onChange(job: Import): void }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  async function act(run: () => Promise<Import>) {
    setBusy(true);
    setError(null);
    try {
      onChange(await run());
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(false);
    }
  }
  const put = (json: { mapping?: ImportTarget[]; policy?: ImportPolicy }) =>
    act(() => unwrap(api.imports[':id'].$put({ param: { id: job.id }, json })));
  const dry = job.dryRun;
  return (
    <section className="card card-wide stack" aria-labelledby="review-heading" data-testid="import-review">
      <h2 id="review-heading">{job.fileName}: dry run</h2>
      <dl className="detected" data-testid="import-detected">
        <div>
          <dt>Encoding</dt>
          <dd>{ENCODING_LABELS[job.encoding] ?? job.encoding}</dd>
        </div>
        <div>
          <dt>Delimiter</dt>
          <dd>{DELIMITER_LABELS[job.delimiter] ?? job.delimiter}</dd>
        </div>
        <div>
          <dt>Rows</dt>
          <dd>{job.progress.total.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Mapping</dt>
          <dd>{job.mappingSaved ? 'saved from last time' : 'recognised from the headers'}</dd>
        </div>
      </dl>
      {error && <ErrorNotice error={error} />}
      <div className="table-scroll">
        <table className="mapping-table">
          <caption className="visually-hidden">Column mapping</caption>
          <thead>
            <tr>
              <th scope="col">Column in the file</th>
              <th scope="col">Becomes</th>
            </tr>
          </thead>
          <tbody>
            {job.headers.map((header, i) => (
              <tr key={`${header}-${i}`}>
                <td>{header}</td>
                <td>
                  <select
                    aria-label={`Map ${header}`}
                    value={job.mapping[i]}
                    disabled={busy}
                    onChange={(event) =>
                      void put({
                        mapping: job.mapping.map((target, j) =>
                          j === i ? (event.target.value as ImportTarget) : target,
                        ),
                      })
                    }
                  >
                    {IMPORT_TARGETS.map((target) => (
                      <option key={target} value={target}>
                        {TARGET_LABELS[target]}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <fieldset className="policy">
        <legend>Rows that match a lead already in Leadline</legend>
        {IMPORT_POLICIES.map((policy) => (
          <label key={policy}>
            <input
              type="radio"
              name="policy"
              value={policy}
              checked={job.policy === policy}
              disabled={busy}
              onChange={() => void put({ policy })}
            />
            {POLICY_LABELS[policy]}
          </label>
        ))}
      </fieldset>
      {dry && (
        <>
          <div className="counts" data-testid="dry-run-counts">
            <Count label="New leads" value={dry.create} />
            <Count
              label="Match a known lead"
              value={dry.match}
              note={`${dry.update.toLocaleString()} would change`}
            />
            <Count label="Refused" value={dry.invalid} />
          </div>
          {Object.keys(dry.fieldUpdates).length > 0 && (
            <p className="muted">
              Fields the matches would change:{' '}
              {Object.entries(dry.fieldUpdates)
                .map(([field, count]) => `${field} (${count})`)
                .join(', ')}
            </p>
          )}
          {dry.reasons.length > 0 && (
            <ul data-testid="dry-run-reasons">
              {dry.reasons.slice(0, 8).map((reason) => (
                <li key={reason.reason}>
                  {reason.reason}: {reason.count.toLocaleString()}
                </li>
              ))}
            </ul>
          )}
          <Examples title="First new leads" rows={dry.examples.create} />
          <Examples title="First matches" rows={dry.examples.match} />
          <Examples title="First refused rows" rows={dry.examples.invalid} />
        </>
      )}
      <div className="row">
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => void act(() => unwrap(api.imports[':id'].start.$post({ param: { id: job.id } })))}
        >
          Start the import
        </button>
      </div>
    </section>
  );
}

function Count({ label, value, note }: { label: string; value: number; note?: string }) {
  return (
    <div className="count">
      <strong>{value.toLocaleString()}</strong>
      {label}
      {note && <div className="muted">{note}</div>}
    </div>
  );
}

function Examples({ title, rows }: { title: string; rows: ImportExample[] }) {
  if (!rows.length) return null;
  return (
    <div className="table-scroll">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Company</th>
            <th scope="col">What happens</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.row}>
              <td className="num">{row.row}</td>
              <td>{row.values.fullName ?? ''}</td>
              <td>{row.values.email ?? ''}</td>
              <td>{row.values.company ?? ''}</td>
              <td>
                {row.reason ??
                  (row.leadId
                    ? `matches by ${row.matchedBy}${row.changes.length ? `: ${row.changes.map((c) => c.field).join(', ')}` : ': no change'}`
                    : 'new lead')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
