import { type Me, USER_ROLES, type UserRole } from '@leadline/shared';
import type { Person } from '@leadline/shared/team';
import { useState } from 'react';
import { useApi } from '@/components/api-context';
import { unwrap } from '@/utils/api';
import { AvailabilityForm } from './availability-form';
import { DeactivateDialog } from './deactivate-dialog';
import { hoursSummary } from './hours';
import { problemFields } from './problem-fields';

const date = (iso: string) => new Date(iso).toLocaleDateString();

/** Who is in the workspace: role, availability, open leads, tokens; admins change roles and deactivate. */
export function PeopleSection({ me, people, onChanged }: { me: Me; people: Person[]; onChanged(): void }) {
  const api = useApi();
  const isAdmin = me.user.role === 'admin';
  const [editing, setEditing] = useState<string | null>(null);
  const [deactivating, setDeactivating] = useState<Person | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);

  async function run(call: () => Promise<unknown>, done: string) {
    setStatus(null);
    try {
      await call();
      setStatus({ text: done, error: false });
    } catch (error) {
      const problem = problemFields(error);
      setStatus({ text: problem.message ?? Object.values(problem.fields)[0] ?? 'Refused', error: true });
    }
    onChanged();
  }

  const changeRole = (person: Person, role: UserRole) =>
    run(
      () => unwrap(api.team.people[':id'].$patch({ param: { id: person.id }, json: { role } })),
      `${person.name} is now ${role === 'admin' ? 'an' : 'a'} ${role}.`,
    );
  const revoke = (person: Person, tokenId: string) =>
    run(
      () => unwrap(api.tokens[':id'].$delete({ param: { id: tokenId } })),
      `One token of ${person.name} is revoked.`,
    );

  const active = people.filter((p) => !p.deactivatedAt);
  return (
    <section className="card card-wide" aria-labelledby="people-heading" data-testid="people">
      <h2 id="people-heading">People</h2>
      {status && (
        <p className={status.error ? 'field-error' : 'muted'} role={status.error ? 'alert' : 'status'}>
          {status.text}
        </p>
      )}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Role</th>
              <th scope="col">Availability</th>
              <th scope="col" className="num">
                Open leads
              </th>
              <th scope="col">Tokens</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => {
              const gone = !!person.deactivatedAt;
              const away =
                person.awayUntil && new Date(person.awayUntil) > new Date() ? person.awayUntil : null;
              return (
                <tr
                  key={person.id}
                  data-testid={`person-${person.id}`}
                  className={gone ? 'stale' : undefined}
                >
                  <th scope="row">
                    {person.name}
                    {person.id === me.user.id && <span className="muted"> (you)</span>}
                    {person.email && <div className="muted">{person.email}</div>}
                  </th>
                  <td>
                    {isAdmin && !gone ? (
                      <select
                        aria-label={`Role of ${person.name}`}
                        value={person.role}
                        onChange={(e) => void changeRole(person, e.target.value as UserRole)}
                      >
                        {USER_ROLES.map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    ) : (
                      person.role
                    )}
                  </td>
                  <td className="wrap">
                    {gone ? (
                      `Deactivated ${date(person.deactivatedAt!)}`
                    ) : editing === person.id ? (
                      <AvailabilityForm
                        person={person}
                        onCancel={() => setEditing(null)}
                        onSaved={() => {
                          setEditing(null);
                          setStatus({ text: `${person.name}’s availability is saved.`, error: false });
                          onChanged();
                        }}
                      />
                    ) : (
                      <>
                        <div>
                          {person.timeZone} · {hoursSummary(person.workingHours)}
                        </div>
                        {away && <div className="away">Away until {date(away)}</div>}
                      </>
                    )}
                  </td>
                  <td className="num">{person.openLeads}</td>
                  <td>
                    {person.tokens.length === 0 && <span className="muted">none</span>}
                    {person.tokens.map((token) => (
                      <div key={token.id} className="inline-field">
                        <span>
                          {token.label ?? 'token'} · {date(token.createdAt)}
                        </span>
                        {isAdmin && (
                          <button
                            type="button"
                            className="button button-quiet button-small"
                            aria-label={`Revoke ${token.label ?? 'token'} of ${person.name}`}
                            onClick={() => void revoke(person, token.id)}
                          >
                            Revoke
                          </button>
                        )}
                      </div>
                    ))}
                  </td>
                  <td>
                    {!gone && (
                      <div className="inline-field">
                        {editing !== person.id && (
                          <button
                            type="button"
                            className="button button-quiet button-small"
                            aria-label={`Availability of ${person.name}`}
                            onClick={() => setEditing(person.id)}
                          >
                            Availability
                          </button>
                        )}
                        {isAdmin && (
                          <button
                            type="button"
                            className="button button-quiet button-small"
                            aria-label={`Deactivate ${person.name}`}
                            onClick={() => setDeactivating(person)}
                          >
                            Deactivate
                          </button>
                        )}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {deactivating && (
        <DeactivateDialog
          person={deactivating}
          colleagues={active.filter((p) => p.id !== deactivating.id)}
          onClose={() => setDeactivating(null)}
          onDone={(summary) => {
            setDeactivating(null);
            setStatus({ text: summary, error: false });
            onChanged();
          }}
        />
      )}
    </section>
  );
}
