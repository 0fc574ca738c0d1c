import fc from 'fast-check';

/**
 * Every property test of every project ends in bounded time. A synchronous predicate cannot be
 * stopped, and a vitest timeout cannot fire while one runs: a failing property whose shrinking
 * re-runs a slow predicate thousands of times would hold the one test worker (CI has two cores)
 * for hours. fast-check checks this limit before each run, shrinking included, and reports the
 * interruption as a failure with its seed, so a rare counterexample fails loudly instead of hanging.
 */
fc.configureGlobal({ interruptAfterTimeLimit: 240_000, markInterruptAsFailure: true });
