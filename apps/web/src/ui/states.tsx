import type { ReactNode } from "react";
import { errorMessage } from "../trpc.js";

export function Loading({ what = "Loading" }: { what?: string }) {
  return <div className="state loading" role="status">{what}…</div>;
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="state error" role="alert">
      <strong>Could not load this.</strong> {errorMessage(error)}
      {retry && <button onClick={retry}>Try again</button>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

/** What a sales user whose e-mail matches no rep sees where their leads would be (dashboard, leads). */
export const NOT_LINKED_TO_REP = "Your account is not linked to a sales rep yet. Ask an admin to add a rep with your e-mail.";

/** Renders loading, error or the data of a query. */
export function QueryView<T>({ query, children }: { query: { data: T | undefined; error: unknown; isLoading: boolean; refetch: () => unknown }; children: (data: T) => ReactNode }) {
  if (query.isLoading) return <Loading />;
  if (query.error) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  if (query.data === undefined) return <Loading />;
  return <>{children(query.data)}</>;
}
