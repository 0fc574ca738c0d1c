import { type FormEvent, useEffect, useState } from 'react';
import { unwrap } from '@/utils/api';
import { useApi } from './api-context';
import { useMe } from './me-context';

/** The end of a chosen day (YYYY-MM-DD) in the browser's zone. */
const endOfDay = (day: string) => new Date(`${day}T23:59:59`).toISOString();

/**
 * A rep's own away status (holiday, sick): while away, routing gives them no new lead. Set from the
 * panel with a last day away; "I'm back" clears it.
 */
export function AwayStatus() {
  const api = useApi();
  const me = useMe();
  const [awayUntil, setAwayUntil] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [day, setDay] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setAwayUntil(me?.user.awayUntil ?? null), [me]);
  if (!me) return null;

  async function save(until: string | null) {
    if (!me) return;
    setError(null);
    try {
      const person = await unwrap(
        api.team.people[':id'].$patch({ param: { id: me.user.id }, json: { awayUntil: until } }),
      );
      setAwayUntil(person.awayUntil);
      setEditing(false);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  const away = awayUntil && new Date(awayUntil) > new Date();
  if (away) {
    return (
      <p className="notice away-notice" role="status" data-testid="away-status">
        You are away until {new Date(awayUntil).toLocaleDateString()}: no new leads are routed to you.
        <button type="button" className="button button-quiet" onClick={() => void save(null)}>
          I’m back
        </button>
      </p>
    );
  }
  if (!editing) {
    return (
      <button type="button" className="button button-quiet away-button" onClick={() => setEditing(true)}>
        Set away…
      </button>
    );
  }
  return (
    <form
      className="row away-form"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        if (day) void save(endOfDay(day));
      }}
    >
      <label>
        Away until (last day)
        <input type="date" required value={day} onChange={(e) => setDay(e.target.value)} />
      </label>
      <button type="submit" className="button button-primary">
        Set away
      </button>
      <button type="button" className="button button-quiet" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
