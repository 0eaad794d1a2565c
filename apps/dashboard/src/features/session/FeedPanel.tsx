import type { ReactNode } from 'react';
import { ComposeForm, type ComposeFormProps } from './ComposeForm';

interface FeedPanelProps {
  /** Names the panel: `${name}-title` and the `${name}-panel` test id. */
  name: string;
  title: string;
  count: number;
  /** Said when there is nothing yet. */
  empty: string;
  /** Announce new lines (a conversation) rather than leave them to be found. */
  live?: boolean;
  /** The box to write a new one; none where this user may only read. */
  compose?: ComposeFormProps;
  /** The list items. */
  children: ReactNode;
}

/** A session's feed of written lines (notes, messages) with its count and a box to add one. */
export function FeedPanel({ name, title, count, empty, live, compose, children }: FeedPanelProps) {
  return (
    <section className="panel" aria-labelledby={`${name}-title`} data-testid={`${name}-panel`}>
      <h2 id={`${name}-title`}>
        {title} <span className="muted">({count})</span>
      </h2>
      {count === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="feed" aria-live={live ? 'polite' : undefined}>
          {children}
        </ul>
      )}
      {compose && <ComposeForm {...compose} />}
    </section>
  );
}
