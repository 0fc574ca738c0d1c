import { Readable } from 'node:stream';
import busboy from 'busboy';
import { ProblemException } from '../lib/problem';

/** Room in a form beyond its file for the part headers, boundaries and a few small text fields. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;
/** Text fields a form may carry beside its file (the upload reads none of them). */
const FIELD_LIMITS = { fields: 50, fieldSize: 16 * 1024, parts: 100 } as const;

const invalid = (detail: string) => new ProblemException('validation', detail);
const unreadable = (error: unknown) =>
  new ProblemException(
    'bad-request',
    `The form could not be read as multipart/form-data: ${error instanceof Error ? error.message : String(error)}`,
  );

/** The last segment of a file name a browser sent (some send a path), at most 255 characters. */
function baseName(name: string | undefined): string | null {
  const base = name?.split(/[\\/]/).pop()?.trim();
  return base ? base.slice(0, 255) : null;
}

/** A Node stream as a web stream read on demand: nothing is read ahead of what the reader asks. */
function pulled(stream: Readable, failure: (error: unknown) => Error): ReadableStream<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else
          controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      } catch (error) {
        controller.error(failure(error));
      }
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

/** The body as a Node stream read on demand, failing past `maxBytes` with the upload's own 413. */
function counted(body: ReadableStream<Uint8Array>, maxBytes: number, fileLimitMb: number): Readable {
  const reader = body.getReader();
  async function* chunks() {
    let bytes = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        bytes += value.byteLength;
        if (bytes > maxBytes) {
          throw new ProblemException('payload-too-large', `The file is over ${fileLimitMb} MB`);
        }
        yield value;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/**
 * A multipart/form-data upload (a browser's file input, `curl -F file=@leads.csv`): its one file
 * part is handed to `stage` as a stream while the form is still arriving, read as fast as `stage`
 * reads it and never held whole, with the name the browser gave the file. The form's other text
 * fields are read and dropped. A form with no file part, or with two, is a 422 (the second file's
 * import, staged by then, is undone by `discard`); a body that is not a well-formed form is a 400.
 */
export async function stageFormFile<T>(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  maxFileBytes: number,
  stage: (file: ReadableStream<Uint8Array>, fileName: string | null) => Promise<T>,
  discard: (staged: T) => Promise<void>,
): Promise<T> {
  let form: busboy.Busboy;
  try {
    form = busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      limits: FIELD_LIMITS,
    });
  } catch (error) {
    throw unreadable(error);
  }
  const source = counted(body, maxFileBytes + FORM_OVERHEAD_BYTES, maxFileBytes / 1024 / 1024);
  let files = 0;
  let staging: Promise<T> | null = null;
  let formError: unknown = null;
  const formRead = new Promise<void>((resolve, reject) => {
    form.on('file', (_name, file, info) => {
      files++;
      if (staging) {
        file.resume();
        return;
      }
      // The file's stream fails with the form: a form cut short, or a body over the limit.
      const failure = (error: unknown) =>
        error instanceof ProblemException ? error : unreadable(formError ?? error);
      staging = stage(pulled(file, failure), baseName(info.filename));
      // A failed staging stops reading the file, so the form would never end: stop it now.
      staging.catch((error) => reject(error));
    });
    form.on('field', () => undefined);
    form.on('close', () => resolve());
    form.on('error', (error) => {
      formError = error;
      reject(error);
    });
  });
  source.on('error', (error) => form.destroy(error));
  source.pipe(form);
  try {
    await formRead;
  } catch (error) {
    source.destroy();
    form.destroy();
    if (staging) {
      // A staging that failed says more than the form (its file was cut short by it); one that
      // went through before the form turned out broken is undone.
      const outcome = await (staging as Promise<T>).then(
        (staged) => ({ staged }),
        (stageError: unknown) => ({ stageError }),
      );
      if ('stageError' in outcome) throw outcome.stageError;
      await discard(outcome.staged);
    }
    throw error instanceof ProblemException ? error : unreadable(error);
  }
  if (!staging) {
    throw invalid(
      'The form has no file part: send the CSV as a file field (<input type="file">, or curl -F file=@leads.csv)',
    );
  }
  const staged = await (staging as Promise<T>);
  if (files > 1) {
    await discard(staged);
    throw invalid(`The form has ${files} file parts; send one CSV file per import`);
  }
  return staged;
}
