import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, useTRPC } from "../trpc.js";
import { when } from "../ui/format.js";

/**
 * The signing secret of webhooks. The server never shows a stored secret again, so the new one
 * lives only in this component's state: leaving the page forgets it.
 */
export function WebhookSecretSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.webhooks.secretStatus.queryOptions());
  const [shown, setShown] = useState<string | null>(null);
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({
      onSuccess: async (r) => {
        setShown(r.secret);
        await queryClient.invalidateQueries({ queryKey: trpc.webhooks.secretStatus.queryKey() });
      },
    }),
  );
  const exists = status.data?.exists ?? false;
  const onRotate = () => {
    if (exists && !window.confirm("Rotate the signing secret? Receivers that check signatures refuse webhooks until they have the new secret.")) return;
    rotate.mutate();
  };
  return (
    <section className="webhook-secret" data-testid="webhook-secret">
      <h2>Webhook signing secret</h2>
      <p className="muted page-intro">
        Every webhook is signed per <a href="https://www.standardwebhooks.com" target="_blank" rel="noreferrer noopener">Standard Webhooks</a>{" "}
        (headers <span className="mono">webhook-id</span>, <span className="mono">webhook-timestamp</span>,{" "}
        <span className="mono">webhook-signature</span>). Give the receiver this secret so it can check that a webhook came from
        Leadflow. A secret is shown once, when it is made; rotating replaces it at once.
      </p>
      <p data-testid="webhook-secret-status">
        {status.isPending
          ? "Checking…"
          : status.isError
            ? <span className="error">{errorMessage(status.error)}</span>
            : exists && status.data.createdAt
              ? <>A secret is in use since {when(status.data.createdAt)}.</>
              : "No secret yet: one is made when the first webhook is sent. Make one now to configure your receiver."}
      </p>
      <button type="button" onClick={onRotate} disabled={rotate.isPending || status.isPending} data-testid="webhook-secret-rotate">
        {rotate.isPending ? "Making a new secret…" : exists ? "Rotate signing secret" : "Create signing secret"}
      </button>
      {rotate.isError && (
        <p className="state error" role="alert">
          <strong>Not rotated.</strong> {errorMessage(rotate.error)}
        </p>
      )}
      {shown && (
        <div className="ok-msg" role="status" data-testid="webhook-secret-new">
          <p>New secret (copy it now, it will not be shown again):</p>
          <code className="mono" style={{ overflowWrap: "anywhere", userSelect: "all" }}>{shown}</code>{" "}
          <button type="button" className="link" onClick={() => setShown(null)}>Hide</button>
        </div>
      )}
    </section>
  );
}
