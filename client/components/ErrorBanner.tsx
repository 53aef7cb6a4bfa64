// An error message with optional actions (Retry, Sign in, …); announced to screen readers.
import type { ReactNode } from 'react';

export function ErrorBanner({
  title = 'Something went wrong',
  message,
  onRetry,
  children,
  reference,
  testId = 'error-banner',
}: {
  title?: string;
  message: string;
  onRetry?: () => void;
  children?: ReactNode;
  /** A request id the user can quote to support (the server's log holds the details under it). */
  reference?: string;
  testId?: string;
}) {
  return (
    <div className="banner banner--error" role="alert" data-testid={testId}>
      <div>
        <strong>{title}</strong>
        <p>{message}</p>
        {reference && (
          <p className="banner__reference">
            Reference for support: <code data-testid="error-reference">{reference}</code>
          </p>
        )}
      </div>
      {(onRetry || children) && (
        <div className="banner__actions">
          {onRetry && (
            <button type="button" onClick={onRetry} data-testid="retry-button">
              Retry
            </button>
          )}
          {children}
        </div>
      )}
    </div>
  );
}
