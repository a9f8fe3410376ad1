/** The web app's shell. The flow editor and the marketer's pages arrive with issue 3. */
export function App() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 720, margin: "4rem auto", lineHeight: 1.5 }}>
      <h1>Leadflow</h1>
      <p>
        The server is running. Flows, leads, the scoring model, templates and sales reps are managed through the REST API at{" "}
        <code>/api/v1</code> and the <code>pnpm leadflow</code> CLI; see the README.
      </p>
    </main>
  );
}
