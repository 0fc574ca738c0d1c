import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { BlockedAddressError, guardedLookup, isPrivateAddress } from './address-guard';

/** How much of an endpoint's answer the delivery log keeps. */
const KEPT_BODY_BYTES = 1024;

export interface SendResult {
  /** The HTTP status, or null when no answer came (refused, timed out, blocked). */
  status: number | null;
  body: string | null;
  /** The `Retry-After` header, as given. */
  retryAfter: string | null;
  error: string | null;
  durationMs: number;
}

export interface SendOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  allowPrivateNetwork: boolean;
  timeoutMs: number;
}

/**
 * POSTs one webhook and reads at most the first kilobyte of the answer. Never throws: a failure is
 * a result with `error` set. Without `allowPrivateNetwork`, a blocked address is refused before
 * connecting (IP literals here, names at lookup time).
 */
export function sendWebhook(options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const url = new URL(options.url);
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (error: string): SendResult => ({
    status: null,
    body: null,
    retryAfter: null,
    error,
    durationMs: elapsed(),
  });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateNetwork && isIP(host) !== 0 && isPrivateAddress(host)) {
    return Promise.resolve(failed(new BlockedAddressError(host, host).message));
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          ...options.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(options.body)),
          'user-agent': 'Leadline-Webhooks/1',
        },
        lookup: options.allowPrivateNetwork ? undefined : (guardedLookup as never),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < KEPT_BODY_BYTES) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        const done = () => {
          const retryAfter = res.headers['retry-after'];
          finish({
            status: res.statusCode ?? null,
            body: Buffer.concat(chunks).subarray(0, KEPT_BODY_BYTES).toString('utf8'),
            retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
            error: null,
            durationMs: elapsed(),
          });
          req.destroy();
        };
        res.on('end', done);
        res.on('error', (error) => finish(failed(error.message)));
        // Past the first kilobyte the rest is not worth waiting for.
        res.on('data', () => {
          if (kept >= KEPT_BODY_BYTES) done();
        });
      },
    );
    // One limit for the whole exchange: connecting, sending and the answer.
    const timer = setTimeout(() => {
      finish(failed(`no answer within ${options.timeoutMs / 1000} s`));
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (error) => finish(failed(error.message)));
    req.end(options.body);
  });
}
