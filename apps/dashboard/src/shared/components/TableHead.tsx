import type { ReactNode } from 'react';

/** A table's header row: one column header (`scope="col"`) per entry, in order. */
export function TableHead({ columns }: { columns: readonly ReactNode[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => (
          // A table's columns are fixed: the place of each is its identity.
          <th scope="col" key={i}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}
