/**
 * The pages of a keyset walk (each `read(after)` returns the rows after the key of the last row
 * before it), the next one asked for as soon as the current one arrives: the database reads page
 * n + 1 (in its worker thread, or on the libSQL server) while page n is formatted, and no more than
 * two pages are held whatever the walk's length. Stops after a short page.
 */
export async function* prefetchedPages<Row>(
  read: (after: string | null) => Promise<Row[]>,
  keyOf: (row: Row) => string,
  pageSize: number,
): AsyncGenerator<Row[]> {
  // Promise.resolve: a drizzle query is a thenable that runs again on every `then`; this runs it once.
  let next: Promise<Row[]> | null = Promise.resolve(read(null));
  while (next) {
    const rows: Row[] = await next;
    next = null;
    if (rows.length === pageSize) {
      next = Promise.resolve(read(keyOf(rows.at(-1)!)));
      // Handled when awaited; without this a walk abandoned mid-page (a client gone) would leave
      // the read's failure unhandled.
      next.catch(() => undefined);
    }
    if (rows.length) yield rows;
  }
}

/** A stream that pulls one chunk from `chunks` each time the reader wants more (backpressure). */
export function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
