// `@leadline/server/cadences`: the engine and the per-lead export section, for tests, benchmarks
// and the export.
export { ENGINE_BATCH, type PassResult, runCadencePass, startCadenceEngine } from './engine';
export { leadFollowUps } from './export';
