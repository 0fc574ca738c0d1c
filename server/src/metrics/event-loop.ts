import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

let histogram: IntervalHistogram | undefined;
let since = Date.now();

/** Starts measuring this process's event-loop delay (once per process, whatever calls it). */
export function watchEventLoop() {
  if (histogram) return;
  histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  since = Date.now();
}

const ms = (nanoseconds: number) => Math.round(nanoseconds / 10_000) / 100;

/**
 * The event loop's delay since the previous reading (each reading starts a new window, so a
 * scraper that reads every minute gets that minute's figures), in milliseconds.
 */
export function readEventLoopDelay() {
  watchEventLoop();
  const h = histogram!;
  const reading = {
    windowMs: Date.now() - since,
    samples: h.count,
    p50Ms: h.count ? ms(h.percentile(50)) : 0,
    p99Ms: h.count ? ms(h.percentile(99)) : 0,
    maxMs: h.count ? ms(h.max) : 0,
  };
  h.reset();
  since = Date.now();
  return reading;
}
