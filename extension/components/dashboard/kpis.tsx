import type { ReactNode } from 'react';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { leadsHref } from './drill';
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
          <Kpi
            label="Won in the period"
            value={formatCount(outcomes.winRate.won)}
            href={leadsHref(query, { figure: 'won' })}
          >
            deals closed won, by close date
          </Kpi>
          <Kpi label="Win rate" value={formatPercent(outcomes.winRate.rate)}>
            {formatCount(outcomes.winRate.won)} won,{' '}
            <a href={leadsHref(query, { figure: 'lost' })} target="_blank" rel="noopener">
              {formatCount(outcomes.winRate.lost)} lost
            </a>{' '}
            in the period
          </Kpi>
          <Kpi label="Sales cycle (median)" value={`${formatDecimal(outcomes.salesCycle.medianDays)} days`}>
            mean {formatDecimal(outcomes.salesCycle.meanDays)} days, deals won in the period
          </Kpi>
          <Kpi
            label="Open pipeline"
            value={formatMoney(outcomes.pipeline.value)}
            href={leadsHref(query, { figure: 'pipeline' })}
          >
            {formatCount(outcomes.pipeline.openLeads)} open leads now,{' '}
            {formatMoney(outcomes.pipeline.opportunityValue)} in{' '}
            {formatCount(outcomes.pipeline.openOpportunities)} opportunities
          </Kpi>
          <Kpi label="Weighted pipeline" value={formatMoney(outcomes.pipeline.weightedValue)}>
            the same {formatCount(outcomes.pipeline.openLeads)} leads, by stage probability
          </Kpi>
          <Kpi
            label="Speed to lead (median)"
            value={formatMinutes(speed.medianMinutes)}
            href={leadsHref(query, { figure: 'speed' })}
          >
            p90 {formatMinutes(speed.p90Minutes)}, leads created in the period
          </Kpi>
          <Kpi label="Touched within 1 h" value={formatPercent(speed.within1h)}>
            <a href={leadsHref(query, { figure: 'speed', bucket: 8 })} target="_blank" rel="noopener">
              {formatCount(speed.untouched)} still untouched
            </a>
          </Kpi>
        </dl>
      )}
    </Section>
  );
}

function Kpi({
  label,
  value,
  href,
  children,
}: {
  label: string;
  value: string;
  href?: string;
  children: ReactNode;
}) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd>
        {href ? (
          <a
            className="kpi-value"
            href={href}
            target="_blank"
            rel="noopener"
            aria-label={`${label}: ${value}, open the leads`}
          >
            {value}
          </a>
        ) : (
          <span className="kpi-value">{value}</span>
        )}
        <span className="kpi-note">{children}</span>
      </dd>
    </div>
  );
}
