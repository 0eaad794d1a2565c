/**
 * A refusal or failure said where it happened, announced to screen readers (`role="alert"`);
 * nothing when there is none. The class picks the look: inline (`error`), a banner, or the
 * phone's notice.
 */
export function ErrorText({
  error,
  className = 'error',
}: {
  error: string | null | undefined;
  className?: string;
}) {
  if (!error) return null;
  return (
    <p role="alert" className={className}>
      {error}
    </p>
  );
}
