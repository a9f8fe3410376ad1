import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTRPC } from "./trpc.js";
import { Link, match, navigate, useLocation } from "./router.js";
import { ErrorState, Loading } from "./ui/states.js";
import { SignInPage, SetupPage } from "./pages/sign-in.js";
import { MARKETING_ROLES, ROLES, type Role } from "@leadflow/flow";
import { pages } from "./pages/index.js";

export function App() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const { path } = useLocation();
  if (me.isLoading) return <Loading what="Starting" />;
  if (me.error) return <ErrorState error={me.error} retry={() => void me.refetch()} />;
  if (!me.data?.user) return me.data?.setupNeeded ? <SetupPage /> : <SignInPage />;
  const user = me.data.user;
  for (const page of pages) {
    const params = match(page.path, path);
    if (!params) continue;
    if (!page.roles.includes(user.role)) {
      return (
        <Shell role={user.role} email={user.email}>
          <div className="state error" role="alert" data-testid="forbidden">
            Your role ({user.role}) cannot open this page.
          </div>
        </Shell>
      );
    }
    return (
      <Shell role={user.role} email={user.email} wide={page.wide}>
        {page.render(params)}
      </Shell>
    );
  }
  return (
    <Shell role={user.role} email={user.email}>
      <div className="state empty">No such page. <Link to="/">Back to the dashboard</Link></div>
    </Shell>
  );
}

const nav: { to: string; label: string; roles: readonly Role[] }[] = [
  { to: "/", label: "Dashboard", roles: ROLES },
  { to: "/leads", label: "Leads", roles: ROLES },
  { to: "/flows", label: "Flows", roles: MARKETING_ROLES },
  { to: "/model", label: "Scoring model", roles: MARKETING_ROLES },
  { to: "/templates", label: "E-mail templates", roles: MARKETING_ROLES },
  { to: "/reps", label: "Sales reps", roles: MARKETING_ROLES },
  { to: "/mailbox", label: "Mailbox", roles: MARKETING_ROLES },
  { to: "/outbox", label: "Delivery", roles: MARKETING_ROLES },
  { to: "/site-keys", label: "Website", roles: MARKETING_ROLES },
  { to: "/import", label: "Import", roles: MARKETING_ROLES },
];

function Shell({ role, email, wide, children }: { role: Role; email: string; wide?: boolean; children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { path } = useLocation();
  const signedOut = {
    onSuccess: async () => {
      navigate("/", true);
      await queryClient.invalidateQueries();
    },
  };
  const signOut = useMutation(trpc.auth.signOut.mutationOptions(signedOut));
  const signOutEverywhere = useMutation(trpc.auth.signOutEverywhere.mutationOptions(signedOut));
  const confirmSignOutEverywhere = () => {
    // a lost laptop or a shared computer: every device has to sign in again
    if (window.confirm("Sign out on every device where you are signed in, this one included?")) signOutEverywhere.mutate();
  };
  return (
    <div className="layout">
      <header className="topbar">
        <Link to="/" className="brand">Leadflow</Link>
        <nav>
          {nav
            .filter((n) => n.roles.includes(role))
            .map((n) => (
              <Link key={n.to} to={n.to} className={(n.to === "/" ? path === "/" : path.startsWith(n.to)) ? "active" : ""}>
                {n.label}
              </Link>
            ))}
        </nav>
        <span className="who">
          {email} · {role}
          <button className="link" onClick={() => signOut.mutate()}>Sign out</button>
          <button className="link" onClick={confirmSignOutEverywhere} disabled={signOutEverywhere.isPending} data-testid="sign-out-everywhere">
            Sign out everywhere
          </button>
        </span>
      </header>
      <main className={wide ? "content wide" : "content"}>{children}</main>
    </div>
  );
}
