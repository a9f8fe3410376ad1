import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../trpc.js";
import { QueryView } from "../../ui/states.js";
import { DecayPreviewSection } from "./decay-preview.js";
import { ModelForm } from "./model-form.js";
import { TimeZoneSection } from "./time-zone.js";
import "../pages.css";

export function ModelPage() {
  const trpc = useTRPC();
  const q = useQuery(trpc.model.get.queryOptions());
  return (
    <div>
      <h1>Scoring model</h1>
      <p className="muted page-intro">
        A lead’s <strong>fit</strong> comes from the rules below (who they are). Its <strong>engagement</strong> comes from the
        points your flows give (what they do). <strong>Total = fit + engagement</strong>, and the total decides the tier.
        Saving recomputes every lead’s score.
      </p>
      <QueryView query={q}>
        {(m) => (
          <>
            <ModelForm initial={m} />
            <DecayPreviewSection current={m.decay} />
          </>
        )}
      </QueryView>
      <TimeZoneSection />
    </div>
  );
}
