import type { Me } from '@leadline/shared';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { unwrap } from '@/utils/api';
import { repProfileItem } from '@/utils/capture';
import { useApi } from './api-context';

const MeContext = createContext<Me | null>(null);

/** Who is signed in; also tells the capture scripts the rep's own address and domain. */
export function MeProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    let cancelled = false;
    unwrap(api.me.$get()).then(
      (value) => {
        if (cancelled) return;
        setMe(value);
        const email = value.user.email;
        const domain = email?.split('@')[1]?.toLowerCase();
        void repProfileItem.setValue({ email, domains: domain ? [domain] : [] });
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api]);
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

export const useMe = () => useContext(MeContext);
