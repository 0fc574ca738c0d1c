// Next steps are scoring's consumer; re-exported here so the package index needs one line for both.
export * from '../next-steps';
export * from './curve';
export * from './default-model';
export * from './engagement';
export * from './fit';
export * from './forward-decay';
export * from './grade';
export * from './model';
export * from './score';
export * from './stages';
export { halfLifeMs, MS_PER_DAY, type TimeInput, toEpochMs } from './time';
