// `@leadline/server/routing`: the SLA sweep, for tests and benchmarks outside the server.
export { runSlaPass, SLA_BATCH, type SlaPassResult, startSlaSweeper } from './sla';
