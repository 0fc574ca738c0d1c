import { createHash, randomBytes } from 'node:crypto';

export function newToken(): string {
  return `ll_${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of a text, hex: what is stored of a token, and what an idempotency key's request is known by. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What is stored of an API token (the token itself never is). */
export function hashToken(token: string): string {
  return sha256(token);
}
