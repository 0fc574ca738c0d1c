import { useApi } from '@/components/api-context';
import { unwrap } from '@/utils/api';
import { useAsync } from './use-async';

const NOBODY = new Map<string, string>();

/** The workspace's people by id (`GET /api/users`, read once): owners for filters and cards. */
export function useUsers(): Map<string, string> {
  const api = useApi();
  const [state] = useAsync(
    async () => new Map((await unwrap(api.users.$get())).items.map((user) => [user.id, user.name])),
    [api],
  );
  return state.data ?? NOBODY;
}
