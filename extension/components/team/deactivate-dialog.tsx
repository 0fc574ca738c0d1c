import type { Person } from '@leadline/shared/team';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '@/components/api-context';
import { unwrap } from '@/utils/api';
import { problemFields } from './problem-fields';

/**
 * Deactivating a person (admins): their tokens stop working at once; their open leads go to a
 * colleague chosen here, or to the unassigned queue for reps to claim.
 */
export function DeactivateDialog({
  person,
  colleagues,
  onDone,
  onClose,
}: {
  person: Person;
  colleagues: Person[];
  onDone(summary: string): void;
  onClose(): void;
}) {
  const api = useApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const [to, setTo] = useState<'queue' | 'colleague'>(colleagues.length ? 'colleague' : 'queue');
  const [userId, setUserId] = useState(colleagues[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  async function confirm() {
    setError(null);
    try {
      const result = await unwrap(
        api.team.people[':id'].deactivate.$post({
          param: { id: person.id },
          json: { openLeads: to === 'colleague' ? { to, userId } : { to } },
        }),
      );
      const where =
        to === 'colleague'
          ? (colleagues.find((c) => c.id === userId)?.name ?? userId)
          : 'the unassigned queue';
      onDone(
        `${person.name} is deactivated: ${result.tokensRevoked} token(s) revoked, ${result.leadsMoved} open lead(s) moved to ${where}.`,
      );
    } catch (caught) {
      const problem = problemFields(caught);
      setError(Object.values(problem.fields)[0] ?? problem.message);
    }
  }

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="deactivate-heading" onClose={onClose}>
      <h2 id="deactivate-heading">Deactivate {person.name}?</h2>
      <p>
        Their tokens stop working at once and routing skips them. Their {person.openLeads} open lead(s) go:
      </p>
      <fieldset className="stack">
        <label className="choice">
          <input
            type="radio"
            name="to"
            checked={to === 'colleague'}
            disabled={!colleagues.length}
            onChange={() => setTo('colleague')}
          />
          To a colleague
        </label>
        <select
          aria-label="Colleague"
          value={userId}
          disabled={to !== 'colleague'}
          onChange={(e) => setUserId(e.target.value)}
        >
          {colleagues.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.role})
            </option>
          ))}
        </select>
        <label className="choice">
          <input type="radio" name="to" checked={to === 'queue'} onChange={() => setTo('queue')} />
          To the unassigned queue (reps claim them)
        </label>
      </fieldset>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="button" className="button button-danger" onClick={() => void confirm()}>
          Deactivate
        </button>
        <button type="button" className="button button-quiet" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
