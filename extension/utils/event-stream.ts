import type { Settings } from './settings';

export interface ServerEvent {
  id: number;
  type: string;
  leadId: string | null;
  data: Record<string, unknown>;
  at: string;
}

/** `rejected`: the API answered but refused the token (the panel says so elsewhere; it is not down). */
export type StreamStatus = 'connecting' | 'open' | 'closed' | 'rejected';

// The panel says "unreachable" until the stream is back, so it must notice a returning API soon.
const RETRY_CAP_MS = 5_000;

/**
 * Follows `GET /api/events` (server-sent events) with fetch, which can send the bearer token that
 * EventSource cannot. Reconnects by itself with backoff, resuming after the last event it saw.
 */
export function followEvents(
  settings: Settings,
  onEvent: (event: ServerEvent) => void,
  onStatus: (status: StreamStatus) => void = () => undefined,
) {
  let stopped = false;
  let lastId: string | null = null;
  let controller: AbortController | null = null;
  let attempt = 0;

  async function connect() {
    while (!stopped) {
      let failure: StreamStatus = 'closed';
      // The API closed this stream for a newer one of the same token (at most 3 per token).
      let superseded = false;
      controller = new AbortController();
      // While retrying it stays "closed", so the panel's notice does not blink with every try.
      if (attempt === 0) onStatus('connecting');
      try {
        const res = await fetch(`${settings.apiUrl}/api/events`, {
          headers: {
            authorization: `Bearer ${settings.token}`,
            accept: 'text/event-stream',
            ...(lastId ? { 'last-event-id': lastId } : {}),
          },
          signal: controller.signal,
        });
        if (res.status === 401 || res.status === 403) failure = 'rejected';
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        onStatus('open');
        attempt = 0;
        await readStream(res.body, (id, data, event) => {
          if (event === 'closed') superseded = true;
          if (id) lastId = id;
          try {
            const event = JSON.parse(data) as ServerEvent;
            if (typeof event.type === 'string') onEvent(event);
          } catch {
            // `ready` and comments carry no event JSON
          }
        });
      } catch {
        // fall through to the retry
      }
      if (stopped) break;
      onStatus(failure);
      attempt++;
      // Time does not cure a refused token (new settings start a new stream): ask seldom.
      // Coming straight back would close another panel's stream in turn: wait as the API asks.
      const delay =
        failure === 'rejected' || superseded
          ? 30_000
          : Math.min(RETRY_CAP_MS, 500 * 2 ** Math.min(attempt, 6));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  void connect();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

/** Parses an SSE byte stream into (id, data) messages. */
async function readStream(
  body: ReadableStream<Uint8Array>,
  onMessage: (id: string | null, data: string, event: string | null) => void,
) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      let id: string | null = null;
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) onMessage(id, data.join('\n'), event);
      boundary = buffer.indexOf('\n\n');
    }
  }
}
