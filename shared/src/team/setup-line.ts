/**
 * The one line an admin copies from the Team page to a new rep, and the rep pastes into the side
 * panel's settings: the API URL and their token. It reads as a URL so it survives chat and mail.
 */
const PREFIX = 'leadline:connect?';

export function formatSetupLine(connection: { apiUrl: string; token: string }): string {
  return PREFIX + new URLSearchParams({ api: connection.apiUrl, token: connection.token }).toString();
}

/** The API URL and token of a pasted setup line, or null when the text is not one. */
export function parseSetupLine(text: string): { apiUrl: string; token: string } | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PREFIX)) return null;
  const params = new URLSearchParams(trimmed.slice(PREFIX.length));
  const apiUrl = params.get('api');
  const token = params.get('token');
  return apiUrl && token ? { apiUrl, token } : null;
}
