import { ApiError } from '@/utils/api';
import { useOpenSettings } from './open-settings';

/** Says what went wrong in words a rep can act on. */
export function describeError(error: Error): { title: string; detail: string; settings?: boolean } {
  if (error instanceof ApiError) {
    if (error.unreachable) return { title: 'The Leadline API is unreachable', detail: error.message };
    if (error.status === 401)
      return { title: 'Your token was rejected', detail: 'Paste a valid token in Settings.', settings: true };
    return { title: error.problem.title, detail: error.problem.detail ?? '' };
  }
  return { title: 'Something went wrong', detail: error.message };
}

export function ErrorNotice({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { title, detail, settings } = describeError(error);
  const openSettings = useOpenSettings();
  return (
    <div className="notice notice-error" role="alert">
      <strong>{title}</strong>
      {detail && <p>{detail}</p>}
      <div className="row">
        {settings && openSettings && (
          <button type="button" className="button button-primary" onClick={openSettings}>
            Open Settings
          </button>
        )}
        {onRetry && (
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </div>
  );
}
