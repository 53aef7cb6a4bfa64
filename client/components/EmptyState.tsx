// Shown when a list has nothing in it.
export function EmptyState({ message, testId }: { message: string; testId?: string }) {
  return (
    <p className="empty" data-testid={testId}>
      {message}
    </p>
  );
}
