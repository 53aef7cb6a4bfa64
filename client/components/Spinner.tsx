// A polite loading indicator with a text label.
export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="spinner" role="status" data-testid="loading">
      <span className="spinner__dot" aria-hidden="true" />
      {label}
    </p>
  );
}
