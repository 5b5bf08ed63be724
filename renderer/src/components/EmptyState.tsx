import type { ReactNode } from 'react';

/** An empty view that says what to do next, with the action one click away. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <h3>{title}</h3>
      {children}
    </div>
  );
}
