// `@leadline/server/scoring`: what the end-to-end tests and the benchmarks drive directly.
export { type ActiveModel, activeModel } from './model.service';
export { type Ranked, topByScore, topByScoreBruteForce } from './ranking';
export { rescoreAll } from './rescore';
