import { unwrap } from './api';

/** The file name a response's `content-disposition` gives, or `fallback`. */
function fileName(res: Response, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  return match?.[1] ?? fallback;
}

/**
 * Saves what an API call answers as a download (the API needs the token, so a plain link cannot
 * fetch it); a refusal throws the ApiError with the API's problem.
 */
export async function downloadResponse(call: Promise<Response>, fallback: string, doc: Document = document) {
  const res = await call;
  if (!res.ok) await unwrap(Promise.resolve(res as Response & { json(): Promise<never> }));
  const url = URL.createObjectURL(await res.blob());
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName(res, fallback);
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
