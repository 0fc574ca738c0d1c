import { type Person, personPatchSchema } from '@leadline/shared/team';
import { WEEKDAYS, type Weekday } from '@leadline/shared/working-time';
import { type FormEvent, useState } from 'react';
import { useApi } from '@/components/api-context';
import { unwrap } from '@/utils/api';
import { dayText, parseHours, WEEKDAY_LABELS } from './hours';
import { fieldError, problemFields } from './problem-fields';

/** The date part of an instant for a date input, in the browser's zone. */
const toDateInput = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** A person's time zone, hours per weekday and "away until" (a manager's or admin's edit). */
export function AvailabilityForm({
  person,
  onSaved,
  onCancel,
}: {
  person: Person;
  onSaved(): void;
  onCancel(): void;
}) {
  const api = useApi();
  const [timeZone, setTimeZone] = useState(person.timeZone);
  const [days, setDays] = useState(
    () =>
      Object.fromEntries(WEEKDAYS.map((d) => [d, dayText(person.workingHours, d)])) as Record<
        Weekday,
        string
      >,
  );
  const [away, setAway] = useState(toDateInput(person.awayUntil));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    // Away until the end of the chosen day in the browser's zone.
    const awayUntil = away ? new Date(`${away}T23:59:59`).toISOString() : null;
    const body = { timeZone: timeZone.trim(), workingHours: parseHours(days), awayUntil };
    const checked = personPatchSchema.safeParse(body);
    if (!checked.success) {
      const byPath: Record<string, string> = {};
      for (const issue of checked.error.issues) byPath[issue.path.map(String).join('.')] ??= issue.message;
      setFields(byPath);
      return;
    }
    try {
      await unwrap(api.team.people[':id'].$patch({ param: { id: person.id }, json: body }));
      onSaved();
    } catch (error) {
      const problem = problemFields(error);
      setFields(problem.fields);
      setMessage(problem.message);
    }
  }

  return (
    <form className="availability-form" onSubmit={submit} aria-label={`Availability of ${person.name}`}>
      <label>
        Time zone
        <input
          value={timeZone}
          onChange={(e) => setTimeZone(e.target.value)}
          aria-invalid={!!fields.timeZone}
        />
      </label>
      {fields.timeZone && <p className="field-error">{fields.timeZone}</p>}
      <fieldset>
        <legend>Working hours (e.g. 09:00-12:00, 13:00-17:00; empty: day off)</legend>
        {WEEKDAYS.map((day) => {
          const error = fieldError(fields, `workingHours.${day}`);
          return (
            <label key={day} className="day-row">
              <span>{WEEKDAY_LABELS[day]}</span>
              <input
                value={days[day]}
                aria-invalid={!!error}
                onChange={(e) => setDays({ ...days, [day]: e.target.value })}
              />
              {error && <span className="field-error">{error}</span>}
            </label>
          );
        })}
        {fields.workingHours && <p className="field-error">{fields.workingHours}</p>}
      </fieldset>
      <label>
        Away until (inclusive; empty: at work)
        <input type="date" value={away} onChange={(e) => setAway(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" className="button">
          Save availability
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {message && (
        <p className="field-error" role="alert">
          {message}
        </p>
      )}
    </form>
  );
}
