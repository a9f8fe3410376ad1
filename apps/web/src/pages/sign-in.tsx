import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../trpc.js";

function CredentialsForm({ title, intro, submit, pending, error, onSubmit }: {
  title: string; intro?: string; submit: string; pending: boolean; error: unknown; onSubmit: (email: string, password: string) => void;
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const send = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(email, password);
  };
  return (
    <div className="signin">
      <form onSubmit={send} className="card">
        <h1>Leadflow</h1>
        <h2>{title}</h2>
        {intro && <p className="muted">{intro}</p>}
        <label>E-mail<input type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required /></label>
        <label>Password<input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required /></label>
        {error ? <p className="error" role="alert">{errorMessage(error)}</p> : null}
        <button type="submit" className="primary" disabled={pending}>{pending ? "…" : submit}</button>
      </form>
    </div>
  );
}

export function SignInPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const signIn = useMutation(trpc.auth.signIn.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }));
  return <CredentialsForm title="Sign in" submit="Sign in" pending={signIn.isPending} error={signIn.error} onSubmit={(email, password) => signIn.mutate({ email, password })} />;
}

/** Shown only while no user exists: creates the first admin (or use `pnpm leadflow user create`). */
export function SetupPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setup = useMutation(trpc.auth.setup.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }));
  return (
    <CredentialsForm
      title="Create the first admin"
      intro="No user exists yet. Create the first administrator here, or on the server: pnpm leadflow user create --email E --password P --role admin"
      submit="Create admin and sign in"
      pending={setup.isPending}
      error={setup.error}
      onSubmit={(email, password) => setup.mutate({ email, password })}
    />
  );
}
