import {
  engagementCurveValue,
  fieldLabel,
  fitRuleLabel,
  type ScoringModel,
  touchpointLabel,
} from '@leadline/shared';
import { formatTime } from './format';

/** One figure as the arithmetic shows it: whole numbers stay whole, others get one decimal. */
const figure = (value: number) =>
  Number.isInteger(Math.round(value * 10) / 10) ? String(Math.round(value)) : value.toFixed(1);

/**
 * "0.5 × fit 65 + 0.5 × engagement 93.2 (194 points) = 79": the score's arithmetic under the
 * model, the engagement part being the curve's value for the raw points.
 */
export function scoreArithmetic(
  model: Pick<ScoringModel, 'weights' | 'engagementCurve'>,
  fit: number,
  points: number,
  score: number,
) {
  const curve = engagementCurveValue(points, model.engagementCurve);
  const { fit: wf, engagement: we } = model.weights;
  return `${wf} × fit ${figure(fit)} + ${we} × engagement ${figure(curve)} (${figure(points)} points) = ${score}`;
}

export interface WhyScoreProps {
  model: ScoringModel | null;
  fit: number;
  /** Raw engagement points (what the curve maps onto 0..100). */
  engagement: number;
  score: number;
  fitRules: readonly { ruleId: string; field: string; points: number }[];
  touchpoints?: readonly {
    id?: string;
    type: string;
    occurredAt: string;
    points: number;
    pointsNow: number;
  }[];
}

/** Why this score: the arithmetic first, then the rules and the touchpoints behind each part. */
export function WhyScore({ model, fit, engagement, score, fitRules, touchpoints }: WhyScoreProps) {
  return (
    <div className="why" data-testid="why">
      {model && (
        <p className="why-sum" data-testid="why-sum">
          {scoreArithmetic(model, fit, engagement, score)}
        </p>
      )}
      <h3>Fit {figure(fit)}</h3>
      {fitRules.length === 0 ? (
        <p className="muted">No fit rule matches yet.</p>
      ) : (
        <ul>
          {fitRules.map((rule) => (
            <li key={rule.ruleId}>
              {fitRuleLabel(rule.ruleId)} ({fieldLabel(rule.field)}): +{rule.points}
            </li>
          ))}
        </ul>
      )}
      {touchpoints && (
        <>
          <h3>Engagement {figure(engagement)} points</h3>
          {touchpoints.length === 0 ? (
            <p className="muted">No touchpoint adds anything now.</p>
          ) : (
            <ul>
              {touchpoints.map((touch) => (
                <li key={`${touch.id ?? touch.occurredAt}-${touch.type}`}>
                  {touchpointLabel(touch.type)}, {formatTime(touch.occurredAt)}: {touch.points} points,{' '}
                  {touch.pointsNow.toFixed(1)} now
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
