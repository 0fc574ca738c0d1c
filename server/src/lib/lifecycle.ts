import type { Server } from 'node:http';
import type { Env } from '../env';

/**
 * The one line a person reads when the API cannot listen, naming the variable to change; `null`
 * for an error that is not about the address (a bug, which keeps its stack trace).
 */
export function listenFailure(error: NodeJS.ErrnoException, env: Pick<Env, 'PORT' | 'HOST'>): string | null {
  const where = `${env.HOST}:${env.PORT}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `Leadline cannot start: port ${env.PORT} is already in use on ${env.HOST} (PORT=${env.PORT}); stop the other process or set PORT to a free port.`;
    case 'EACCES':
      return `Leadline cannot start: no permission to listen on port ${env.PORT} (PORT=${env.PORT}); ports below 1024 need privileges, choose a higher PORT.`;
    case 'EADDRNOTAVAIL':
      return `Leadline cannot start: HOST=${env.HOST} is not an address of this machine (listening on ${where}); use 127.0.0.1, 0.0.0.0 or one of its addresses.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Leadline cannot start: HOST=${env.HOST} does not resolve to an address; use 127.0.0.1, 0.0.0.0 or a name of this machine.`;
    default:
      return null;
  }
}

/**
 * Stops the API on SIGINT/SIGTERM: no new connections, in-flight requests get `graceMs` to finish,
 * then every connection is closed (open event streams included: the panels reconnect with
 * Last-Event-ID to the next process), `closeDatabase` is awaited (it may finish background work
 * first), and the process exits. Whatever
 * still hangs, the process is gone after `hardMs`.
 */
export function closeOnSignals(
  server: Server,
  closeDatabase: () => void | Promise<void>,
  options: { graceMs?: number; hardMs?: number } = {},
) {
  const graceMs = options.graceMs ?? 1000;
  const hardMs = options.hardMs ?? 5000;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), hardMs).unref();
    server.close(async () => {
      await closeDatabase();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
