import type { Me } from '@leadline/shared';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { InviteForm } from './invite-form';
import { PeopleSection } from './people-section';
import { RoutingSection } from './routing-section';
import { TeamsSection } from './teams-section';

/**
 * The Team page of the dashboard (managers and admins): the people, inviting one (admins), their
 * availability, and the teams routing hands leads to.
 */
export function TeamPage({ me, apiUrl }: { me: Me; apiUrl: string }) {
  const api = useApi();
  const [state, reload] = useAsync(
    () => Promise.all([unwrap(api.team.people.$get()), unwrap(api.teams.$get())]),
    [api],
  );
  if (!state.data) {
    return (
      <div aria-busy={state.status === 'loading'} data-testid="team-page">
        {state.status === 'error' && <ErrorNotice error={state.error} onRetry={reload} />}
      </div>
    );
  }
  const [people, teams] = state.data;
  return (
    <div className="grid" data-testid="team-page" aria-busy={state.status === 'loading'}>
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={reload} />}
      <PeopleSection me={me} people={people.items} onChanged={reload} />
      {me.user.role === 'admin' && <InviteForm apiUrl={apiUrl} onInvited={reload} />}
      <TeamsSection teams={teams.items} people={people.items} canEdit onChanged={reload} />
      <RoutingSection people={people.items} />
    </div>
  );
}
