import type { Import, Problem } from '@leadline/shared';
import { ApiError } from '@/utils/api';
import type { Settings } from '@/utils/settings';

/**
 * Sends the file itself as the request body (streamed by the browser, never read into the page),
 * and answers the staged import with its dry run, or throws the API's problem.
 */
export async function uploadCsv(
  settings: Settings,
  file: File,
  campaign: string,
  fetchImpl: typeof fetch = fetch,
): Promise<Import> {
  const query = new URLSearchParams({ fileName: file.name });
  if (campaign.trim()) query.set('campaign', campaign.trim());
  let res: Response;
  try {
    res = await fetchImpl(`${settings.apiUrl}/api/imports?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.token}`, 'content-type': 'text/csv' },
      body: file,
    });
  } catch (error) {
    throw new ApiError(0, {
      type: '/problems/unreachable',
      title: 'API unreachable',
      status: 0,
      detail: `Cannot reach ${settings.apiUrl} (${error instanceof Error ? error.message : String(error)})`,
    });
  }
  if (res.ok) return (await res.json()) as Import;
  let problem: Problem;
  try {
    problem = (await res.json()) as Problem;
  } catch {
    problem = { type: 'about:blank', title: `HTTP ${res.status}`, status: res.status };
  }
  throw new ApiError(res.status, problem);
}
