import { ApiError } from '@/utils/api';

/** Says what went wrong in words a rep can act on. */
export function describeError(error: Error): { title: string; detail: string } {
  if (error instanceof ApiError) {
    if (error.unreachable) return { title: 'The Leadline API is unreachable', detail: error.message };
    if (error.status === 401)
      return { title: 'Your token was rejected', detail: 'Open Settings and paste a valid token.' };
    return { title: error.problem.title, detail: error.problem.detail ?? '' };
  }
  return { title: 'Something went wrong', detail: error.message };
}

export function ErrorNotice({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { title, detail } = describeError(error);
  return (
    <div className="notice notice-error" role="alert">
      <strong>{title}</strong>
      {detail && <p>{detail}</p>}
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
