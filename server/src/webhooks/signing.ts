import { createHmac, randomBytes } from 'node:crypto';

/** A new signing secret as the Standard Webhooks specification writes it: `whsec_` + base64 of 32 bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/**
 * The `webhook-signature` header: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under each
 * secret (two during a rotation), space-separated, as the specification has receivers accept any.
 */
export function signatureHeader(
  secrets: string[],
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  const content = `${id}.${timestampSeconds}.${body}`;
  return secrets
    .map((secret) => `v1,${createHmac('sha256', secretBytes(secret)).update(content).digest('base64')}`)
    .join(' ');
}

/** The three headers of one attempt, signed at `now` (so every retry carries a fresh timestamp). */
export function webhookHeaders(
  secrets: string[],
  id: string,
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(secrets, id, timestamp, body),
  };
}
