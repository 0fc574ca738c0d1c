import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { type ApiClient, createApiClient } from '@/utils/api';
import type { Settings } from '@/utils/settings';

const ApiContext = createContext<ApiClient | null>(null);

export function ApiProvider({ settings, children }: { settings: Settings; children: ReactNode }) {
  const client = useMemo(() => createApiClient(settings), [settings]);
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi needs an <ApiProvider>');
  return client;
}
