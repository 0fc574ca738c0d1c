import { CHANNEL_LABELS, SOURCE_CHANNELS } from '@leadline/shared';
import type { Filters } from './filters';

/** The filters every section follows: dates, owner, channel and UTM campaign. */
export function FilterBar({
  draft,
  setDraft,
  rangeError,
  owners,
  campaigns,
  onReset,
}: {
  draft: Filters;
  setDraft(next: Filters): void;
  rangeError: string | null;
  owners: Map<string, string>;
  campaigns: string[];
  onReset(): void;
}) {
  return (
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
          <option value="">Everyone (the team)</option>
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
              {CHANNEL_LABELS[channel]}
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
      <button type="button" className="button button-quiet" onClick={onReset}>
        Reset
      </button>
      {rangeError && (
        <p id="filter-range-error" className="field-error" role="alert">
          {rangeError}
        </p>
      )}
    </form>
  );
}
