// An ErrorBanner for an RTK Query error: the user's sentence (describeApiError), the request id for support, Retry.
import { ErrorBanner } from './ErrorBanner';
import { describeApiError, type ApiError, type ServiceName } from '../api/apiError';

export function ApiErrorBanner({
  error,
  service,
  title,
  onRetry,
}: {
  error: ApiError<string>;
  service: ServiceName;
  title?: string;
  onRetry?: () => void;
}) {
  return (
    <ErrorBanner
      title={title}
      message={describeApiError(error, service)}
      reference={error.requestId}
      onRetry={onRetry}
    />
  );
}
