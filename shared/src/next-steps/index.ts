export * from './directions';
export * from './next-steps';
export {
  NEXT_STEP_RULES,
  type NextStepRule,
  RE_ENGAGE_MIN_PEAK,
  RE_ENGAGE_QUIET_MS,
  SPEED_TO_LEAD_URGENT_MS,
} from './rules';
export * from './types';
