interface Props {
  /** The page the server answered: which one, its size and how many rows match in all. */
  of: { page: number; pageSize: number; total: number };
  onPage: (page: number) => void;
}

/** Server-side pages: the server says how many rows match; we ask for one page at a time. */
export function Pagination({ of: { page, pageSize, total }, onPage }: Props) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="sv-pagination" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ← Previous
      </button>
      <span aria-live="polite">
        Page {page} of {pages} ({total} {total === 1 ? 'row' : 'rows'})
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next →
      </button>
    </nav>
  );
}
