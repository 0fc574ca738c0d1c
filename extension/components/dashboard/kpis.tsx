import type { ReactNode } from 'react';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import type { Query } from './filters';
import { formatCount, formatDecimal, formatMinutes, formatMoney, formatPercent } from './format';
import { Section } from './section';

export function Kpis({ query }: { query: Query }) {
  const api = useApi();
  const [state, reload] = useAsync(
    () =>
      Promise.all([
        unwrap(api.analytics.outcomes.$get({ query })),
        unwrap(api.analytics['speed-to-lead'].$get({ query })),
      ]),
    [api, query],
  );
  return (
    <Section
      id="kpis"
      title="At a glance"
      state={state}
      onRetry={reload}
      wide
      isEmpty={() => false}
      emptyText=""
    >
      {([outcomes, speed]) => (
        <dl className="kpis">
          <Kpi label="Win rate" value={formatPercent(outcomes.winRate.rate)}>
            {formatCount(outcomes.winRate.won)} won, {formatCount(outcomes.winRate.lost)} lost
          </Kpi>
          <Kpi label="Sales cycle (median)" value={`${formatDecimal(outcomes.salesCycle.medianDays)} days`}>
            mean {formatDecimal(outcomes.salesCycle.meanDays)} days
          </Kpi>
          <Kpi label="Open pipeline" value={formatMoney(outcomes.pipeline.value)}>
            {formatCount(outcomes.pipeline.openOpportunities)} opportunities
          </Kpi>
          <Kpi label="Weighted pipeline" value={formatMoney(outcomes.pipeline.weightedValue)}>
            by stage probability
          </Kpi>
          <Kpi label="Speed to lead (median)" value={formatMinutes(speed.medianMinutes)}>
            p90 {formatMinutes(speed.p90Minutes)}
          </Kpi>
          <Kpi label="Touched within 1 h" value={formatPercent(speed.within1h)}>
            {formatCount(speed.untouched)} still untouched
          </Kpi>
        </dl>
      )}
    </Section>
  );
}

function Kpi({ label, value, children }: { label: string; value: string; children: ReactNode }) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd>
        <span className="kpi-value">{value}</span>
        <span className="kpi-note">{children}</span>
      </dd>
    </div>
  );
}
