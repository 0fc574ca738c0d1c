import { ATTRIBUTION_MODELS, type AttributionModel, CHANNEL_LABELS, labelOf } from '@leadline/shared';
import { useState } from 'react';
import { Bar } from 'react-chartjs-2';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { PALETTE, useChartKey } from './chart-setup';
import { DataTable, numberColumn } from './data-table';
import { leadsHref } from './drill';
import type { Query } from './filters';
import { formatCount, formatMoney, formatPercent } from './format';
import { Section } from './section';

const MODEL_LABELS: Record<AttributionModel, string> = {
  first_touch: 'First touch',
  last_touch: 'Last touch',
  linear: 'Linear',
  u_shaped: 'U-shaped (40/20/40)',
  w_shaped: 'W-shaped (30/30/30 + 10)',
  time_decay: 'Time decay (7-day half-life)',
};

export function AttributionSection({ query, suffix }: { query: Query; suffix: string }) {
  const chartKey = useChartKey();
  const api = useApi();
  const [model, setModel] = useState<AttributionModel>('w_shaped');
  const [state, reload] = useAsync(
    () => unwrap(api.analytics.attribution.$get({ query: { ...query, model } })),
    [api, query, model],
  );
  return (
    <Section
      id="attribution"
      title="Attribution of won value"
      state={state}
      onRetry={reload}
      isEmpty={(attribution) => attribution.wonDeals === 0}
      emptyText="No deal was won in this range."
      actions={
        <div className="inline-field">
          <label htmlFor="attribution-model">Model</label>
          <select
            id="attribution-model"
            value={model}
            onChange={(event) => setModel(event.target.value as AttributionModel)}
          >
            {ATTRIBUTION_MODELS.map((name) => (
              <option key={name} value={name}>
                {MODEL_LABELS[name]}
              </option>
            ))}
          </select>
        </div>
      }
    >
      {(attribution) => (
        <>
          <p className="summary">
            <a href={leadsHref(query, { figure: 'won' })} target="_blank" rel="noopener">
              {formatCount(attribution.wonDeals)} deals won in the period
            </a>{' '}
            (by close date, as in the cards), worth <strong>{formatMoney(attribution.wonValue)}</strong>,
            credited by {MODEL_LABELS[attribution.model].toLowerCase()}.
          </p>
          <div className="chart">
            <Bar
              key={chartKey}
              role="img"
              aria-label={`Credit by channel, ${MODEL_LABELS[attribution.model]}`}
              data={{
                labels: attribution.channels.map((row) => labelOf(CHANNEL_LABELS, row.channel)),
                datasets: [
                  {
                    label: 'Credit',
                    data: attribution.channels.map((row) => row.credit),
                    backgroundColor: PALETTE[4],
                  },
                ],
              }}
              options={{
                indexAxis: 'y',
                maintainAspectRatio: false,
                plugins: { legend: { display: false } },
              }}
            />
          </div>
          <DataTable<(typeof attribution.channels)[number]>
            caption={`Credit by channel (${MODEL_LABELS[attribution.model]})`}
            columns={[
              { label: 'Channel', value: (row) => labelOf(CHANNEL_LABELS, row.channel) },
              numberColumn('Credit', (row) => row.credit, formatMoney),
              numberColumn('Share', (row) => row.share, formatPercent),
            ]}
            rows={attribution.channels}
            rowKey={(row) => row.channel}
            filename={`attribution-${attribution.model}-channels_${suffix}.csv`}
            testId="attribution-table"
          />
          <details>
            <summary>By campaign, and by channel and campaign</summary>
            <DataTable<(typeof attribution.campaigns)[number]>
              caption="Credit by campaign"
              columns={[
                {
                  label: 'Campaign',
                  value: (row) => row.campaign,
                  render: (row) => row.campaign ?? '(none)',
                },
                numberColumn('Credit', (row) => row.credit, formatMoney),
                numberColumn('Share', (row) => row.share, formatPercent),
              ]}
              rows={attribution.campaigns}
              rowKey={(row) => row.campaign ?? ''}
              filename={`attribution-${attribution.model}-campaigns_${suffix}.csv`}
            />
            <DataTable<(typeof attribution.rows)[number]>
              caption="Credit by channel and campaign"
              columns={[
                { label: 'Channel', value: (row) => labelOf(CHANNEL_LABELS, row.channel) },
                {
                  label: 'Campaign',
                  value: (row) => row.campaign,
                  render: (row) => row.campaign ?? '(none)',
                },
                numberColumn('Credit', (row) => row.credit, formatMoney),
              ]}
              rows={attribution.rows}
              rowKey={(row) => `${row.channel}\u0000${row.campaign}`}
              filename={`attribution-${attribution.model}-rows_${suffix}.csv`}
            />
          </details>
        </>
      )}
    </Section>
  );
}
