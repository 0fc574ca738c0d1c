import type { ReactNode } from 'react';
import { ErrorNotice } from '@/components/error-notice';
import type { AsyncState } from '@/hooks/use-async';

/**
 * A dashboard card: its heading, then loading, error or empty states, or `children` with the data.
 * While a reload runs, the last data stays on screen, dimmed.
 */
export function Section<T>({
  id,
  title,
  state,
  onRetry,
  isEmpty,
  emptyText,
  actions,
  wide,
  children,
}: {
  id: string;
  title: string;
  state: AsyncState<T>;
  onRetry: () => void;
  isEmpty: (data: T) => boolean;
  emptyText: string;
  actions?: ReactNode;
  wide?: boolean;
  children: (data: T) => ReactNode;
}) {
  const headingId = `${id}-heading`;
  const data = state.data;
  return (
    <section
      className={`card${wide ? ' card-wide' : ''}`}
      aria-labelledby={headingId}
      aria-busy={state.status === 'loading'}
      data-testid={`section-${id}`}
    >
      <header className="card-header">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </header>
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={onRetry} />}
      {data === undefined && state.status === 'loading' && (
        <div className="skeleton" role="status">
          Loading {title.toLowerCase()}…
        </div>
      )}
      {data !== undefined &&
        (isEmpty(data) ? (
          <p className="empty" role="status">
            {emptyText}
          </p>
        ) : (
          <div className={state.status === 'loading' ? 'stale' : undefined}>{children(data)}</div>
        ))}
    </section>
  );
}
