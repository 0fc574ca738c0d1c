/** A new primary key: a random UUID. */
export function newId(): string {
  return crypto.randomUUID();
}
