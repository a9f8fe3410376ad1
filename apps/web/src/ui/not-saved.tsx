import { errorMessage } from "../trpc.js";

export interface FieldError { path: string; message: string }

/** The per-field problems of a refused save (the server's error formatter puts them in `data.fields`). */
export function fieldErrors(error: unknown): FieldError[] {
  const fields = (error as { data?: { fields?: unknown } } | null | undefined)?.data?.fields;
  return Array.isArray(fields) ? (fields as FieldError[]) : [];
}

/** "Not saved: …", with the server's field problems listed when it gave any. */
export function NotSaved({ error, pathText = (p) => p, testId }: { error: unknown; pathText?: (path: string) => string; testId?: string }) {
  const fields = fieldErrors(error);
  return (
    <div role="alert" data-testid={testId}>
      <p className="error" style={{ marginBottom: 0 }}>Not saved{fields.length > 0 ? ":" : `: ${errorMessage(error)}`}</p>
      {fields.length > 0 && (
        <ul className="field-errors">{fields.map((f, i) => <li key={i}>{f.path ? `${pathText(f.path)}: ` : ""}{f.message}</li>)}</ul>
      )}
    </div>
  );
}
