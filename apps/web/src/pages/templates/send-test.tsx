import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../../trpc.js";

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Sends the saved template once to an address: "[Test]" subject, no tracking, not an outbox job. */
export function SendTest({ id, isNew, dirty, leadEmail }: { id: string; isNew: boolean; dirty: boolean; leadEmail: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mode = useQuery(trpc.mailbox.mode.queryOptions());
  const [to, setTo] = useState("");
  const [asLead, setAsLead] = useState("");
  const [problem, setProblem] = useState("");
  const send = useMutation(
    trpc.templates.sendTest.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.mailbox.pathKey() }),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const address = to.trim();
    const lead = (asLead.trim() || leadEmail).trim();
    if (!EMAIL_RE.test(address)) return setProblem("Give the address to send the test to, e.g. you@company.com.");
    if (lead && !EMAIL_RE.test(lead)) return setProblem("The lead e-mail is not a valid address.");
    setProblem("");
    send.mutate({ id, to: address, ...(lead ? { leadEmail: lead } : {}) });
  };
  const reset = () => { if (send.isSuccess || send.isError) send.reset(); };
  return (
    <form onSubmit={submit} noValidate className="card section" aria-labelledby="send-test-title" data-testid="send-test">
      <h3 id="send-test-title" style={{ marginTop: 0, fontSize: "1rem" }}>Send a test</h3>
      {isNew ? (
        <p className="muted small" style={{ marginBottom: 0 }}>Save the template first: a test sends the saved version.</p>
      ) : (
        <>
          <p className="muted small">
            Sends the <strong>saved</strong> template once, with “[Test]” before the subject and no tracking
            {mode.data ? (mode.data.smtp ? ", through the SMTP server" : "; no SMTP server is configured, so it lands in the Mailbox") : ""}.
            {dirty && <strong> You have unsaved changes: they are not in the test.</strong>}
          </p>
          <label>
            Send to
            <input type="email" value={to} onChange={(e) => { setTo(e.target.value); reset(); }} placeholder="you@company.com" data-testid="send-test-to" />
          </label>
          <label>
            Fill the variables from lead (e-mail, optional — otherwise a sample lead{leadEmail ? `; default: ${leadEmail}` : ""})
            <input type="email" value={asLead} onChange={(e) => { setAsLead(e.target.value); reset(); }} placeholder={leadEmail || "lead@company.com"} data-testid="send-test-lead" />
          </label>
          <div className="form-actions" style={{ marginTop: 0 }}>
            <button type="submit" disabled={send.isPending} data-testid="send-test-submit">{send.isPending ? "Sending…" : "Send test"}</button>
            {send.isSuccess && (
              <span className="ok-msg" role="status" data-testid="send-test-ok">
                Sent to {send.data.to}: “{send.data.subject}”.
              </span>
            )}
          </div>
          {problem && <p className="error small" role="alert">{problem}</p>}
          {send.isError && (
            <p className="error small" role="alert" data-testid="send-test-error">
              Not sent: {errorMessage(send.error)}
            </p>
          )}
        </>
      )}
    </form>
  );
}
