import { TOUCHPOINT_LABELS, type TouchpointType } from '@leadline/shared';
import { useEffect, useId, useState } from 'react';

/** The one-click touchpoints, in the order of their keyboard shortcuts (1..8). */
export const QUICK_TOUCHPOINTS: { type: TouchpointType; label: string }[] = (
  [
    'call_connected',
    'email_sent',
    'email_replied',
    'meeting_booked',
    'meeting_held',
    'linkedin_message_replied',
    'linkedin_connected',
    'note',
  ] as const
).map((type) => ({ type, label: TOUCHPOINT_LABELS[type] }));

export interface TouchpointDraft {
  type: TouchpointType;
  note?: string;
  occurredAt?: string;
}

function isTyping(target: EventTarget | null) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

/**
 * Logs a touchpoint in one click or one key (1-8), with an optional note and time ("it happened
 * yesterday at 3") that apply to the next click.
 */
export function TouchpointBar({ onLog }: { onLog(draft: TouchpointDraft): void }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [when, setWhen] = useState('');

  const log = (type: TouchpointType) => {
    const occurredAt = when ? new Date(when).toISOString() : undefined;
    onLog({ type, ...(note.trim() ? { note: note.trim() } : {}), ...(occurredAt ? { occurredAt } : {}) });
    setNote('');
    setWhen('');
    setOpen(false);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const index = Number.parseInt(event.key, 10) - 1;
      const quick = QUICK_TOUCHPOINTS[index];
      if (quick) {
        event.preventDefault();
        log(quick.type);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Log a touchpoint</h2>
      <div className="quick-grid">
        {QUICK_TOUCHPOINTS.map((quick, index) => (
          <button
            key={quick.type}
            type="button"
            className="button quick"
            aria-keyshortcuts={String(index + 1)}
            onClick={() => log(quick.type)}
          >
            <kbd>{index + 1}</kbd> {quick.label}
          </button>
        ))}
      </div>
      <button
        type="button"
        className="button button-quiet disclosure"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? '− Note and time' : '+ Note and time'}
      </button>
      {open && (
        <div className="stack">
          <label htmlFor={`${id}-note`}>Note</label>
          <textarea
            id={`${id}-note`}
            rows={2}
            maxLength={5000}
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
          <label htmlFor={`${id}-when`}>When it happened (empty: now)</label>
          <input
            id={`${id}-when`}
            type="datetime-local"
            value={when}
            max={new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16)}
            onChange={(event) => setWhen(event.target.value)}
          />
        </div>
      )}
    </section>
  );
}
