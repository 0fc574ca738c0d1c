import { useEffect, useState } from 'react';
import { useApi } from '@/components/api-context';
import { unwrap } from '@/utils/api';

interface Rescoring {
  version: number;
  done: number;
  total: number;
}

/**
 * The scoring model in force, and while a model change is being applied, how far it has come
 * ("Rescoring, 40%"): scores stay those of the model in force until it is done.
 */
export function ScoringStatus() {
  const api = useApi();
  const [state, setState] = useState<{ version: number; rescoring: Rescoring | null } | null>(null);
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      unwrap(api['scoring-model'].$get()).then(
        (body) => {
          if (cancelled) return;
          setState({ version: body.version, rescoring: body.rescoring });
          // While a change runs, its progress every 2 s; otherwise once.
          if (body.rescoring) timer = setTimeout(load, 2000);
        },
        () => undefined,
      );
    void load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api]);
  if (!state) return null;
  const { rescoring } = state;
  return (
    <p className="muted" role="status" data-testid="scoring-status">
      Scoring model version {state.version}
      {rescoring &&
        `. Rescoring, ${rescoring.total ? Math.floor((100 * rescoring.done) / rescoring.total) : 0}%: scores stay those of version ${state.version} until version ${rescoring.version} is applied to every lead.`}
    </p>
  );
}
