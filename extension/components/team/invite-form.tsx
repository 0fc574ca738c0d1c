import { USER_ROLES, type UserRole } from '@leadline/shared';
import { formatSetupLine, type Invited } from '@leadline/shared/team';
import { type FormEvent, useState } from 'react';
import { useApi } from '@/components/api-context';
import { unwrap } from '@/utils/api';
import { fieldError, problemFields } from './problem-fields';

/**
 * Invite a person (admins): the API creates them with a first token, shown here once with the
 * setup line the new rep pastes into the side panel's settings.
 */
export function InviteForm({ apiUrl, onInvited }: { apiUrl: string; onInvited(): void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<UserRole>('rep');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [invited, setInvited] = useState<Invited | null>(null);
  const [copied, setCopied] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    try {
      const result = await unwrap(
        api.team.people.$post({ json: { name, role, ...(email.trim() ? { email } : {}) } }),
      );
      setInvited(result);
      setCopied(false);
      setFields({});
      setName('');
      setEmail('');
      onInvited();
    } catch (error) {
      const problem = problemFields(error);
      setFields(problem.fields);
      setMessage(problem.message);
    }
  }

  const setupLine = invited ? formatSetupLine({ apiUrl, token: invited.token }) : '';
  return (
    <section className="card" aria-labelledby="invite-heading" data-testid="invite">
      <h2 id="invite-heading">Invite a person</h2>
      <form className="settings-form" onSubmit={submit}>
        <label>
          Name
          <input
            value={name}
            required
            onChange={(e) => setName(e.target.value)}
            aria-invalid={!!fields.name}
          />
        </label>
        {fields.name && <p className="field-error">{fields.name}</p>}
        <label>
          E-mail (optional)
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={!!fields.email}
          />
        </label>
        {fields.email && <p className="field-error">{fields.email}</p>}
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          Invite
        </button>
        {message && !Object.keys(fields).length && (
          <p className="field-error" role="alert">
            {message}
          </p>
        )}
        {fieldError(fields, 'role') && <p className="field-error">{fieldError(fields, 'role')}</p>}
      </form>
      {invited && (
        <div className="notice notice-ok" role="status" data-testid="invited">
          <strong>{invited.person.name} is invited. This token is shown only now.</strong>
          <p>Send them this setup line; they paste it into the side panel’s settings:</p>
          <input
            className="setup-line"
            readOnly
            aria-label="Setup line"
            value={setupLine}
            onFocus={(e) => e.target.select()}
          />
          <button
            type="button"
            className="button"
            onClick={() =>
              void navigator.clipboard.writeText(setupLine).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? 'Copied' : 'Copy setup line'}
          </button>
        </div>
      )}
    </section>
  );
}
