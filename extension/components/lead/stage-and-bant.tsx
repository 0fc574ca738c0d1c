import type { LeadDetail, LeadPatch, LeadStage } from '@leadline/shared';
import { useId, useState } from 'react';
import { STAGE_LABELS, STAGES } from '../stage-badge';

const BANT = [
  { key: 'budget', label: 'Budget' },
  { key: 'authority', label: 'Authority' },
  { key: 'need', label: 'Need' },
] as const;

const ANSWERS = [
  ['yes', true],
  ['no', false],
  ['unknown', null],
] as const;

/** The stage and the BANT answers, each change written at once. */
export function StageAndBant({ lead, onPatch }: { lead: LeadDetail; onPatch(body: LeadPatch): void }) {
  const id = useId();
  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Stage and qualification</h2>
      <label htmlFor={`${id}-stage`}>Stage</label>
      <select
        id={`${id}-stage`}
        value={lead.stage}
        onChange={(event) => onPatch({ stage: event.target.value as LeadStage })}
      >
        {STAGES.map((stage) => (
          <option key={stage} value={stage}>
            {STAGE_LABELS[stage]}
          </option>
        ))}
      </select>
      <div className="bant">
        {BANT.map(({ key, label: text }) => (
          <fieldset key={key} className="bant-question">
            <legend>{text}?</legend>
            {ANSWERS.map(([answer, value]) => (
              <label key={answer} className="check">
                <input
                  type="radio"
                  name={`${id}-${key}`}
                  checked={(lead.bant[key] ?? null) === value}
                  onChange={() => onPatch({ bant: { ...lead.bant, [key]: value } })}
                />
                {answer}
              </label>
            ))}
          </fieldset>
        ))}
        <TimelineMonths id={`${id}-timeline`} lead={lead} onPatch={onPatch} />
      </div>
    </section>
  );
}

/**
 * The BANT timeline, written when the rep leaves the field. It follows the lead as last read (a
 * colleague's change arrives with the next reload) except while the rep edits it; what the rep
 * wrote stays shown until the lead is read again.
 */
function TimelineMonths({
  id,
  lead,
  onPatch,
}: {
  id: string;
  lead: LeadDetail;
  onPatch(body: LeadPatch): void;
}) {
  const [draft, setDraft] = useState<{ text: string; editing: boolean; lead: LeadDetail } | null>(null);
  const stored = lead.bant.timelineMonths ?? null;
  const shown = draft && (draft.editing || draft.lead === lead) ? draft.text : (stored ?? '');
  return (
    <>
      <label htmlFor={id}>Timeline (months)</label>
      <input
        id={id}
        type="number"
        min={0}
        max={120}
        value={shown}
        onFocus={() => setDraft({ text: stored === null ? '' : String(stored), editing: true, lead })}
        onChange={(event) => setDraft({ text: event.target.value, editing: true, lead })}
        onBlur={(event) => {
          const value = event.target.value === '' ? null : Number(event.target.value);
          if (value === stored) {
            setDraft(null);
            return;
          }
          setDraft({ text: event.target.value, editing: false, lead });
          onPatch({ bant: { ...lead.bant, timelineMonths: value } });
        }}
      />
    </>
  );
}
