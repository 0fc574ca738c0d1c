import { computeScore, evaluateFit, gradeFromFit, type LeadCreate, leadCreateSchema } from '@leadline/shared';
import { useMemo, useState } from 'react';
import { WhyScore } from './lead/why-score';
import { useLive } from './live-context';

/**
 * The fit, grade and score the lead would get under the workspace's model if saved now, from the
 * form as the rep edits it: the same `@leadline/shared` functions the API scores with.
 */
export function ScorePreview({ body }: { body: LeadCreate }) {
  const { model } = useLive();
  const [showWhy, setShowWhy] = useState(false);
  const preview = useMemo(() => {
    if (!model) return null;
    // The API normalises what it stores (trimmed, lower-case e-mail...): score what it would store.
    const parsed = leadCreateSchema.safeParse(body);
    const lead = parsed.success ? parsed.data : body;
    const { fit, matched } = evaluateFit(lead, model);
    return { fit, matched, grade: gradeFromFit(fit), score: computeScore({ fit, engagement: 0 }, model) };
  }, [body, model]);
  if (!preview || !model) return null;
  return (
    <section className="card stack" aria-label="Score if saved" data-testid="score-preview">
      <div className="preview-score">
        <span className="score-big" data-testid="preview-score">
          {preview.score}
        </span>
        <span className="muted">
          score if saved · grade {preview.grade} · fit {Math.round(preview.fit)}
        </span>
        <button
          type="button"
          className="button button-quiet disclosure"
          aria-expanded={showWhy}
          onClick={() => setShowWhy(!showWhy)}
        >
          Why
        </button>
      </div>
      {showWhy && (
        <WhyScore
          model={model}
          fit={preview.fit}
          engagement={0}
          score={preview.score}
          fitRules={preview.matched}
        />
      )}
    </section>
  );
}
