import type { Person, Team, TeamInput } from '@leadline/shared/team';
import { type FormEvent, useState } from 'react';
import { useApi } from '@/components/api-context';
import { unwrap } from '@/utils/api';
import { fieldError, problemFields } from './problem-fields';

interface MemberDraft {
  userId: string;
  weight: string;
  capPerDay: string;
  capOpen: string;
}

const optionalInt = (text: string) => (text.trim() === '' ? null : Number(text));

/** Named pools of reps that routing hands leads to, each member with a weight and optional caps. */
export function TeamsSection({
  teams,
  people,
  canEdit,
  onChanged,
}: {
  teams: Team[];
  people: Person[];
  canEdit: boolean;
  onChanged(): void;
}) {
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const names = new Map(people.map((p) => [p.id, p]));
  const saved = () => {
    setEditing(null);
    onChanged();
  };
  return (
    <section className="card card-wide" aria-labelledby="teams-heading" data-testid="teams">
      <div className="card-header">
        <h2 id="teams-heading">Teams</h2>
        {canEdit && editing === null && (
          <button type="button" className="button" onClick={() => setEditing('new')}>
            New team
          </button>
        )}
      </div>
      {teams.length === 0 && editing === null && <p className="muted">No team yet.</p>}
      {editing === 'new' && <TeamEditor people={people} onDone={saved} onCancel={() => setEditing(null)} />}
      {teams.map((team) =>
        editing !== 'new' && editing?.id === team.id ? (
          <TeamEditor
            key={team.id}
            team={team}
            people={people}
            onDone={saved}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <div key={team.id} className="team" data-testid={`team-${team.name}`}>
            <div className="card-header">
              <h3>{team.name}</h3>
              {canEdit && (
                <button
                  type="button"
                  className="button button-quiet button-small"
                  onClick={() => setEditing(team)}
                >
                  Edit {team.name}
                </button>
              )}
            </div>
            <p className="muted">
              Manager: {team.managerId ? (names.get(team.managerId)?.name ?? team.managerId) : 'none'}
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col" className="num">
                    Weight
                  </th>
                  <th scope="col" className="num">
                    New leads a day at most
                  </th>
                  <th scope="col" className="num">
                    Open leads at most
                  </th>
                </tr>
              </thead>
              <tbody>
                {team.members.map((m) => {
                  const person = names.get(m.userId);
                  return (
                    <tr key={m.userId} className={person?.deactivatedAt ? 'stale' : undefined}>
                      <th scope="row">
                        {person?.name ?? m.userId}
                        {person?.deactivatedAt && <span className="muted"> (deactivated: skipped)</span>}
                      </th>
                      <td className="num">{m.weight}</td>
                      <td className="num">{m.capPerDay ?? '–'}</td>
                      <td className="num">{m.capOpen ?? '–'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ),
      )}
    </section>
  );
}

function TeamEditor({
  team,
  people,
  onDone,
  onCancel,
}: {
  team?: Team;
  people: Person[];
  onDone(): void;
  onCancel(): void;
}) {
  const api = useApi();
  const active = people.filter((p) => !p.deactivatedAt);
  const [name, setName] = useState(team?.name ?? '');
  const [managerId, setManagerId] = useState(team?.managerId ?? '');
  const [members, setMembers] = useState<MemberDraft[]>(
    team?.members.map((m) => ({
      userId: m.userId,
      weight: String(m.weight),
      capPerDay: m.capPerDay === null ? '' : String(m.capPerDay),
      capOpen: m.capOpen === null ? '' : String(m.capOpen),
    })) ?? [],
  );
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const free = active.filter((p) => !members.some((m) => m.userId === p.id));

  const setMember = (i: number, patch: Partial<MemberDraft>) =>
    setMembers(members.map((m, j) => (j === i ? { ...m, ...patch } : m)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const json: TeamInput = {
      name,
      managerId: managerId || null,
      members: members.map((m) => ({
        userId: m.userId,
        weight: Number(m.weight),
        capPerDay: optionalInt(m.capPerDay),
        capOpen: optionalInt(m.capOpen),
      })),
    };
    try {
      await unwrap(
        team ? api.teams[':id'].$put({ param: { id: team.id }, json }) : api.teams.$post({ json }),
      );
      onDone();
    } catch (error) {
      const problem = problemFields(error);
      setFields(problem.fields);
      setMessage(problem.message);
    }
  }

  async function remove() {
    if (!team) return;
    try {
      await unwrap(api.teams[':id'].$delete({ param: { id: team.id } }));
      onDone();
    } catch (error) {
      setMessage(problemFields(error).message);
    }
  }

  return (
    <form className="team team-editor" onSubmit={submit} aria-label={team ? `Edit ${team.name}` : 'New team'}>
      <div className="inline-field">
        <label>
          Team name
          <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!fields.name} />
        </label>
        <label>
          Manager (SLA escalations)
          <select value={managerId} onChange={(e) => setManagerId(e.target.value)}>
            <option value="">none</option>
            {active.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {fields.name && <p className="field-error">{fields.name}</p>}
      {fields.managerId && <p className="field-error">Manager: {fields.managerId}</p>}
      {fields.members && <p className="field-error">Members: {fields.members}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Weight</th>
            <th scope="col">New leads a day at most</th>
            <th scope="col">Open leads at most</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((m, i) => {
            const person = people.find((p) => p.id === m.userId);
            const error = fieldError(fields, `members.${i}`);
            return (
              <tr key={m.userId}>
                <th scope="row">
                  {person?.name ?? m.userId}
                  {error && <div className="field-error">{error}</div>}
                </th>
                <td>
                  <input
                    aria-label={`Weight of ${person?.name}`}
                    inputMode="decimal"
                    size={4}
                    value={m.weight}
                    aria-invalid={!!fieldError(fields, `members.${i}.weight`)}
                    onChange={(e) => setMember(i, { weight: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Daily cap of ${person?.name}`}
                    inputMode="numeric"
                    size={4}
                    value={m.capPerDay}
                    onChange={(e) => setMember(i, { capPerDay: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Open cap of ${person?.name}`}
                    inputMode="numeric"
                    size={4}
                    value={m.capOpen}
                    onChange={(e) => setMember(i, { capOpen: e.target.value })}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    onClick={() => setMembers(members.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {free.length > 0 && (
        <label className="inline-field">
          Add a member
          <select
            aria-label="Add a member"
            value=""
            onChange={(e) =>
              e.target.value &&
              setMembers([...members, { userId: e.target.value, weight: '1', capPerDay: '', capOpen: '' }])
            }
          >
            <option value="">choose…</option>
            {free.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {message && !Object.keys(fields).length && (
        <p className="field-error" role="alert">
          {message}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button">
          Save team
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
        {team && (
          <button type="button" className="button button-quiet" onClick={() => void remove()}>
            Delete team
          </button>
        )}
      </div>
    </form>
  );
}
