import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../../trpc.js";
import { QueryView } from "../../ui/states.js";

/* The workspace's time zone, on the model page since waits and segment schedules use it. */


const timeZones: string[] = (() => {
  const f = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  try {
    return f ? f("timeZone") : [];
  } catch {
    return [];
  }
})();

export function TimeZoneSection() {
  const trpc = useTRPC();
  const q = useQuery(trpc.workspace.get.queryOptions());
  return (
    <section className="card section" aria-labelledby="tz-title" data-testid="workspace-tz">
      <h2 id="tz-title" style={{ marginTop: 0 }}>Workspace time zone</h2>
      <p className="muted small">
        The time zone of “wait until” windows (e.g. next weekday at 9:00) for leads without their own <span className="mono">timeZone</span>{" "}
        property, and of segment schedules.
      </p>
      <QueryView query={q}>{(w) => <TimeZoneForm initial={w.timeZone} />}</QueryView>
    </section>
  );
}

function TimeZoneForm({ initial }: { initial: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [tz, setTz] = useState(initial);
  const save = useMutation(
    trpc.workspace.save.mutationOptions({
      onSuccess: (w) => queryClient.setQueryData(trpc.workspace.get.queryKey(), w),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ timeZone: tz.trim() });
  };
  return (
    <form onSubmit={submit} className="filters" aria-label="Workspace time zone">
      <datalist id="time-zones">{timeZones.map((z) => <option key={z} value={z} />)}</datalist>
      <label className="grow">
        Time zone (IANA name, e.g. Europe/Budapest)
        <input
          list="time-zones"
          value={tz}
          onChange={(e) => { setTz(e.target.value); if (save.isSuccess || save.isError) save.reset(); }}
          data-testid="workspace-tz-input"
        />
      </label>
      <button type="submit" className="primary" disabled={save.isPending || tz.trim() === "" || tz.trim() === initial} data-testid="workspace-tz-save">
        {save.isPending ? "Saving…" : "Save time zone"}
      </button>
      {save.isSuccess && <span className="ok-msg" role="status">Saved.</span>}
      {save.isError && <span className="error" role="alert" data-testid="workspace-tz-error">Not saved: {errorMessage(save.error)}</span>}
    </form>
  );
}
