// `@leadline/server/demo`: demo data for the dashboard tests and the benchmarks.
export { createRandom } from './generate';
export { DemoRefused, type SeedDemoOptions, type SeedDemoResult, seedDemo } from './seed';
