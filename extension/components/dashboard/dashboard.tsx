import {
  ATTRIBUTION_MODELS,
  type AttributionModel,
  type Funnel,
  type RepActivity,
  SOURCE_CHANNELS,
  type Sources,
} from '@leadline/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Bar, Chart } from 'react-chartjs-2';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { PALETTE, useChartTheme } from './chart-setup';
import { type Column, DataTable, numberColumn } from './data-table';
import {
  formatCount,
  formatDecimal,
  formatHours,
  formatMinutes,
  formatMoney,
  formatPercent,
  humanize,
} from './format';
import { Section } from './section';

export interface Filters {
  from: string;
  to: string;
  owner: string;
  channel: string;
  campaign: string;
}

const MODEL_LABELS: Record<AttributionModel, string> = {
  first_touch: 'First touch',
  last_touch: 'Last touch',
  linear: 'Linear',
  u_shaped: 'U-shaped (40/20/40)',
  w_shaped: 'W-shaped (30/30/30 + 10)',
  time_decay: 'Time decay (7-day half-life)',
};

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The last twelve months, whole months, up to today. */
export function defaultFilters(today = new Date()): Filters {
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, 1));
  return { from: isoDay(from), to: isoDay(today), owner: '', channel: '', campaign: '' };
}

/** The query the API takes: empty filters left out. */
function toQuery(filters: Filters) {
  const query: {
    from?: string;
    to?: string;
    owner?: string;
    channel?: (typeof SOURCE_CHANNELS)[number];
    campaign?: string;
  } = {};
  if (filters.from) query.from = filters.from;
  if (filters.to) query.to = filters.to;
  if (filters.owner) query.owner = filters.owner;
  if (filters.channel) query.channel = filters.channel as (typeof SOURCE_CHANNELS)[number];
  if (filters.campaign.trim()) query.campaign = filters.campaign.trim();
  return query;
}

const fileSuffix = (filters: Filters) => `${filters.from || 'start'}_${filters.to || 'today'}`;

export function Dashboard() {
  const [draft, setDraft] = useState<Filters>(() => defaultFilters());
  const [filters, setFilters] = useState<Filters>(draft);
  const [owners, setOwners] = useState<Map<string, string>>(new Map());
  const [campaigns, setCampaigns] = useState<string[]>([]);
  const theme = useChartTheme();
  const rangeError =
    draft.from && draft.to && draft.from > draft.to ? 'The start date is after the end date.' : null;

  // Selects and dates apply at once; the campaign text waits for the typing to pause.
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    if (rangeError) return;
    clearTimeout(timer.current);
    const apply = () => setFilters(draft);
    if (draft.campaign !== filters.campaign) timer.current = setTimeout(apply, 400);
    else apply();
    return () => clearTimeout(timer.current);
  }, [draft, rangeError, filters.campaign]);

  const query = useMemo(() => toQuery(filters), [filters]);
  const suffix = fileSuffix(filters);
  const addCampaigns = useCallback((found: string[]) => {
    setCampaigns((known) => {
      const next = [...new Set([...known, ...found])].sort((a, b) => a.localeCompare(b));
      return next.length === known.length ? known : next;
    });
  }, []);
  const addOwners = useCallback((reps: RepActivity['reps']) => {
    setOwners((known) => {
      const next = new Map(known);
      for (const rep of reps) if (rep.userId) next.set(rep.userId, rep.name);
      return next.size === known.size ? known : next;
    });
  }, []);

  return (
    <main className="dashboard">
      <header className="page-header">
        <h1>Leadline dashboard</h1>
        <p className="muted">
          Funnel, velocity, speed to lead, sources and attribution, from the recorded history.
        </p>
      </header>

      <form className="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="filter-from">From</label>
          <input
            id="filter-from"
            type="date"
            value={draft.from}
            max={draft.to || undefined}
            onChange={(event) => setDraft({ ...draft, from: event.target.value })}
            aria-invalid={rangeError ? true : undefined}
            aria-describedby={rangeError ? 'filter-range-error' : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-to">To</label>
          <input
            id="filter-to"
            type="date"
            value={draft.to}
            min={draft.from || undefined}
            onChange={(event) => setDraft({ ...draft, to: event.target.value })}
            aria-invalid={rangeError ? true : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-owner">Owner</label>
          <select
            id="filter-owner"
            value={draft.owner}
            onChange={(event) => setDraft({ ...draft, owner: event.target.value })}
          >
            <option value="">Everyone</option>
            {[...owners].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-channel">Channel</label>
          <select
            id="filter-channel"
            value={draft.channel}
            onChange={(event) => setDraft({ ...draft, channel: event.target.value })}
          >
            <option value="">All channels</option>
            {SOURCE_CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {channel}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-campaign">UTM campaign</label>
          <input
            id="filter-campaign"
            type="search"
            list="campaign-options"
            placeholder="Any campaign"
            value={draft.campaign}
            onChange={(event) => setDraft({ ...draft, campaign: event.target.value })}
          />
          <datalist id="campaign-options">
            {campaigns.map((campaign) => (
              <option key={campaign} value={campaign} />
            ))}
          </datalist>
        </div>
        <button type="button" className="button button-quiet" onClick={() => setDraft(defaultFilters())}>
          Reset
        </button>
        {rangeError && (
          <p id="filter-range-error" className="field-error" role="alert">
            {rangeError}
          </p>
        )}
      </form>

      <div className="grid" key={theme.dark ? 'dark' : 'light'}>
        <Kpis query={query} />
        <FunnelSection query={query} suffix={suffix} />
        <VelocitySection query={query} suffix={suffix} />
        <SpeedSection query={query} suffix={suffix} />
        <AttributionSection query={query} suffix={suffix} />
        <SourcesSection query={query} suffix={suffix} onCampaigns={addCampaigns} />
        <ActivitySection query={query} suffix={suffix} onReps={addOwners} />
      </div>
    </main>
  );
}

type Query = ReturnType<typeof toQuery>;

function Kpis({ query }: { query: Query }) {
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

function Kpi({ label, value, children }: { label: string; value: string; children: React.ReactNode }) {
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

const STAGE_LABELS: Record<string, string> = {
  new: 'New',
  mql: 'MQL',
  sql: 'SQL',
  opportunity: 'Opportunity',
  won: 'Won',
};

function FunnelSection({ query, suffix }: { query: Query; suffix: string }) {
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.analytics.funnel.$get({ query })), [api, query]);
  const steps: Column<Funnel['steps'][number]>[] = [
    { label: 'Stage', value: (row) => STAGE_LABELS[row.stage] },
    numberColumn('Reached', (row) => row.reached, formatCount),
    numberColumn('From previous', (row) => row.stepRate, formatPercent),
    numberColumn('From new', (row) => row.overallRate, formatPercent),
    numberColumn(
      'Median time in stage',
      (row) => row.medianHoursInStage,
      formatHours,
      'Median hours in stage',
    ),
  ];
  const cohortColumns: Column<Funnel['cohorts'][number]>[] = [
    { label: 'Created in', value: (row) => row.month },
    ...(['new', 'mql', 'sql', 'opportunity', 'won'] as const).map((stage) =>
      numberColumn(STAGE_LABELS[stage]!, (row: Funnel['cohorts'][number]) => row.reached[stage], formatCount),
    ),
  ];
  return (
    <Section
      id="funnel"
      title="Funnel"
      state={state}
      onRetry={reload}
      isEmpty={(funnel) => funnel.steps[0]!.reached === 0}
      emptyText="No leads were created in this range."
    >
      {(funnel) => (
        <>
          <div className="chart">
            <Bar
              role="img"
              aria-label={`Funnel: ${funnel.steps.map((s) => `${STAGE_LABELS[s.stage]} ${s.reached}`).join(', ')}`}
              data={{
                labels: funnel.steps.map((step) => STAGE_LABELS[step.stage]),
                datasets: [
                  {
                    label: 'Leads reached',
                    data: funnel.steps.map((step) => step.reached),
                    backgroundColor: PALETTE.slice(0, 5),
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
          <DataTable
            caption="Funnel by stage"
            columns={steps}
            rows={funnel.steps}
            rowKey={(row) => row.stage}
            filename={`funnel_${suffix}.csv`}
            testId="funnel-table"
          />
          <details>
            <summary>By creation month</summary>
            <DataTable
              caption="Funnel by the month leads were created"
              columns={cohortColumns}
              rows={funnel.cohorts}
              rowKey={(row) => row.month}
              filename={`funnel-cohorts_${suffix}.csv`}
            />
          </details>
        </>
      )}
    </Section>
  );
}

function VelocitySection({ query, suffix }: { query: Query; suffix: string }) {
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.analytics.velocity.$get({ query })), [api, query]);
  return (
    <Section
      id="velocity"
      title="Lead velocity"
      state={state}
      onRetry={reload}
      isEmpty={(velocity) => velocity.months.every((month) => month.qualified === 0)}
      emptyText="No lead qualified in this range."
    >
      {(velocity) => (
        <>
          <div className="chart">
            <Chart
              type="bar"
              role="img"
              aria-label="Qualified leads per month with the month-over-month growth rate"
              data={{
                labels: velocity.months.map((month) => month.month),
                datasets: [
                  {
                    type: 'bar' as const,
                    label: 'Qualified leads',
                    data: velocity.months.map((month) => month.qualified),
                    backgroundColor: PALETTE[0],
                    yAxisID: 'y',
                  },
                  {
                    type: 'line' as const,
                    label: 'LVR (%)',
                    data: velocity.months.map((month) => (month.lvr === null ? null : month.lvr * 100)),
                    borderColor: PALETTE[1],
                    backgroundColor: PALETTE[1],
                    yAxisID: 'rate',
                  },
                ],
              }}
              options={{
                maintainAspectRatio: false,
                scales: {
                  y: { beginAtZero: true, title: { display: true, text: 'Qualified' } },
                  rate: {
                    position: 'right',
                    grid: { drawOnChartArea: false },
                    title: { display: true, text: 'LVR %' },
                  },
                },
              }}
            />
          </div>
          <DataTable<(typeof velocity.months)[number]>
            caption="Qualified leads per month"
            columns={[
              { label: 'Month', value: (row) => row.month },
              numberColumn('Qualified', (row) => row.qualified, formatCount),
              numberColumn('LVR', (row) => row.lvr, formatPercent),
            ]}
            rows={velocity.months}
            rowKey={(row) => row.month}
            filename={`lead-velocity_${suffix}.csv`}
          />
        </>
      )}
    </Section>
  );
}

function SpeedSection({ query, suffix }: { query: Query; suffix: string }) {
  const api = useApi();
  const [state, reload] = useAsync(
    () => unwrap(api.analytics['speed-to-lead'].$get({ query })),
    [api, query],
  );
  return (
    <Section
      id="speed"
      title="Speed to lead"
      state={state}
      onRetry={reload}
      isEmpty={(speed) => speed.leads === 0}
      emptyText="No leads were created in this range."
    >
      {(speed) => (
        <>
          <p className="summary">
            Median <strong>{formatMinutes(speed.medianMinutes)}</strong>, 90th percentile{' '}
            <strong>{formatMinutes(speed.p90Minutes)}</strong>; within 5 min {formatPercent(speed.within5m)},
            1 h {formatPercent(speed.within1h)}, 24 h {formatPercent(speed.within24h)}.
          </p>
          <div className="chart">
            <Bar
              role="img"
              aria-label={`Leads by time to first outbound touch: ${speed.buckets.map((b) => `${b.label} ${b.leads}`).join(', ')}`}
              data={{
                labels: speed.buckets.map((bucket) => bucket.label),
                datasets: [
                  {
                    label: 'Leads',
                    data: speed.buckets.map((bucket) => bucket.leads),
                    backgroundColor: speed.buckets.map((bucket) =>
                      bucket.minMinutes === null
                        ? PALETTE[8]!
                        : (bucket.maxMinutes ?? Infinity) <= 60
                          ? PALETTE[2]!
                          : PALETTE[1]!,
                    ),
                  },
                ],
              }}
              options={{ maintainAspectRatio: false, plugins: { legend: { display: false } } }}
            />
          </div>
          <DataTable<(typeof speed.buckets)[number]>
            caption="Time from creation to first outbound touch"
            columns={[
              { label: 'Time to first touch', value: (row) => row.label },
              numberColumn('Leads', (row) => row.leads, formatCount),
              numberColumn('Share', (row) => (speed.leads ? row.leads / speed.leads : null), formatPercent),
            ]}
            rows={speed.buckets}
            rowKey={(row) => row.label}
            filename={`speed-to-lead_${suffix}.csv`}
            testId="speed-table"
          />
        </>
      )}
    </Section>
  );
}

type SourceRow = Sources['channels'][number];
const sourceFigures = <Row extends Omit<SourceRow, 'channel'>>(): Column<Row>[] => [
  numberColumn('Leads', (row) => row.leads, formatCount),
  numberColumn('MQLs', (row) => row.mqls, formatCount),
  numberColumn('SQLs', (row) => row.sqls, formatCount),
  numberColumn('Won', (row) => row.won, formatCount),
  numberColumn('Won value', (row) => row.wonValue, formatMoney),
  numberColumn('Cost', (row) => row.cost, formatMoney),
  numberColumn('Cost per lead', (row) => row.costPerLead, formatMoney),
  numberColumn('Cost per SQL', (row) => row.costPerSql, formatMoney),
  numberColumn('ROI', (row) => row.roi, formatPercent),
];

function SourcesSection({
  query,
  suffix,
  onCampaigns,
}: {
  query: Query;
  suffix: string;
  onCampaigns: (campaigns: string[]) => void;
}) {
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.analytics.sources.$get({ query })), [api, query]);
  const data = state.status === 'ready' ? state.data : undefined;
  useEffect(() => {
    if (data) onCampaigns(data.campaigns.flatMap((row) => (row.utmCampaign ? [row.utmCampaign] : [])));
  }, [data, onCampaigns]);
  return (
    <Section
      id="sources"
      title="Sources and ROI"
      state={state}
      onRetry={reload}
      wide
      isEmpty={(sources) => sources.channels.length === 0}
      emptyText="No leads or costs in this range."
    >
      {(sources) => (
        <>
          <div className="chart">
            <Bar
              role="img"
              aria-label="Won value and cost per channel"
              data={{
                labels: sources.channels.map((row) => row.channel),
                datasets: [
                  {
                    label: 'Won value',
                    data: sources.channels.map((row) => row.wonValue),
                    backgroundColor: PALETTE[2],
                  },
                  {
                    label: 'Cost',
                    data: sources.channels.map((row) => row.cost ?? 0),
                    backgroundColor: PALETTE[3],
                  },
                ],
              }}
              options={{ maintainAspectRatio: false }}
            />
          </div>
          <DataTable
            caption="By channel"
            columns={[
              { label: 'Channel', value: (row: SourceRow) => row.channel },
              ...sourceFigures<SourceRow>(),
            ]}
            rows={[...sources.channels, { channel: 'Total', ...sources.total }]}
            rowKey={(row) => row.channel}
            filename={`sources-by-channel_${suffix}.csv`}
            testId="sources-table"
          />
          <details>
            <summary>By UTM source and campaign</summary>
            <DataTable
              caption="By channel, UTM source and campaign"
              columns={[
                { label: 'Channel', value: (row: Sources['campaigns'][number]) => row.channel },
                { label: 'UTM source', value: (row) => row.utmSource, render: (row) => row.utmSource ?? '–' },
                {
                  label: 'UTM campaign',
                  value: (row) => row.utmCampaign,
                  render: (row) => row.utmCampaign ?? '–',
                },
                ...sourceFigures<Sources['campaigns'][number]>(),
              ]}
              rows={sources.campaigns}
              rowKey={(row) => `${row.channel}\u0000${row.utmSource}\u0000${row.utmCampaign}`}
              filename={`sources-by-campaign_${suffix}.csv`}
            />
          </details>
        </>
      )}
    </Section>
  );
}

function AttributionSection({ query, suffix }: { query: Query; suffix: string }) {
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
            {formatCount(attribution.wonDeals)} deals won, worth{' '}
            <strong>{formatMoney(attribution.wonValue)}</strong>, credited by{' '}
            {MODEL_LABELS[attribution.model].toLowerCase()}.
          </p>
          <div className="chart">
            <Bar
              role="img"
              aria-label={`Credit by channel, ${MODEL_LABELS[attribution.model]}`}
              data={{
                labels: attribution.channels.map((row) => row.channel),
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
              { label: 'Channel', value: (row) => row.channel },
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
                { label: 'Channel', value: (row) => row.channel },
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

function ActivitySection({
  query,
  suffix,
  onReps,
}: {
  query: Query;
  suffix: string;
  onReps: (reps: RepActivity['reps']) => void;
}) {
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.analytics['rep-activity'].$get({ query })), [api, query]);
  const data = state.status === 'ready' ? state.data : undefined;
  useEffect(() => {
    if (data) onReps(data.reps);
  }, [data, onReps]);
  return (
    <Section
      id="activity"
      title="Rep activity"
      state={state}
      onRetry={reload}
      wide
      isEmpty={(activity) => activity.rows.length === 0}
      emptyText="No touchpoints in this range."
    >
      {(activity) => {
        const reps = activity.reps.filter((rep) => rep.userId !== null);
        const weeks = [...new Set(activity.rows.map((row) => row.week))].sort();
        const types = [...new Set(activity.rows.map((row) => row.type))].sort();
        const perWeek = new Map<string, number>();
        const perType = new Map<string, number>();
        for (const row of activity.rows) {
          perWeek.set(
            `${row.userId}\u0000${row.week}`,
            (perWeek.get(`${row.userId}\u0000${row.week}`) ?? 0) + row.touchpoints,
          );
          perType.set(
            `${row.userId}\u0000${row.type}`,
            (perType.get(`${row.userId}\u0000${row.type}`) ?? 0) + row.touchpoints,
          );
        }
        const pivot = activity.reps.map((rep) => ({
          ...rep,
          name: rep.userId === null ? 'Inbound (no rep)' : rep.name,
          byType: Object.fromEntries(
            types.map((type) => [type, perType.get(`${rep.userId}\u0000${type}`) ?? 0]),
          ),
        }));
        return (
          <>
            <div className="chart chart-tall">
              <Bar
                role="img"
                aria-label="Touchpoints logged per ISO week, stacked by rep"
                data={{
                  labels: weeks,
                  datasets: reps.map((rep, i) => ({
                    label: rep.name,
                    data: weeks.map((week) => perWeek.get(`${rep.userId}\u0000${week}`) ?? 0),
                    backgroundColor: PALETTE[i % PALETTE.length],
                  })),
                }}
                options={{
                  maintainAspectRatio: false,
                  scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
                }}
              />
            </div>
            <DataTable<(typeof pivot)[number]>
              caption="Touchpoints by rep and type"
              columns={[
                { label: 'Rep', value: (row) => row.name },
                numberColumn('Total', (row) => row.touchpoints, formatCount),
                ...types.map((type) =>
                  numberColumn(
                    humanize(type),
                    (row: (typeof pivot)[number]) => row.byType[type] ?? 0,
                    formatCount,
                  ),
                ),
              ]}
              rows={pivot}
              rowKey={(row) => row.userId ?? 'none'}
              filename={`rep-activity_${suffix}.csv`}
              testId="activity-table"
            />
          </>
        );
      }}
    </Section>
  );
}
