import { useApi } from '@/components/api-context';
import { unwrap } from '@/utils/api';
import { useAsync } from './use-async';

const NONE: string[] = [];

/** Every UTM campaign the workspace's leads came from, for the campaign filter's suggestions. */
export function useCampaigns(): string[] {
  const api = useApi();
  const [state] = useAsync(async () => {
    const sources = await unwrap(api.analytics.sources.$get({ query: {} }));
    const names = sources.campaigns.flatMap((row) => (row.utmCampaign ? [row.utmCampaign] : []));
    return [...new Set(names)].sort((a, b) => a.localeCompare(b));
  }, [api]);
  return state.data ?? NONE;
}
