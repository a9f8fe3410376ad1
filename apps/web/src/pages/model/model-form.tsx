import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../../trpc.js";
import { fieldErrors } from "../../ui/not-saved.js";
import { FitRulesSection } from "./fit-rules-section.js";
import { CapsSection, DecaySection, TiersSection } from "./model-sections.js";
import { fieldPath, fromForm, toForm, type Form, type Model } from "./model-form-state.js";

/** The scoring model's form: saving it rescores every lead. */
export function ModelForm({ initial }: { initial: Model }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => toForm(initial));
  const [problems, setProblems] = useState<string[]>([]);
  const save = useMutation(
    trpc.model.save.mutationOptions({
      onSuccess: (res) => {
        setForm(toForm(res.model));
        queryClient.setQueryData(trpc.model.get.queryKey(), res.model);
        void queryClient.invalidateQueries({ queryKey: trpc.leads.pathKey() });
      },
    }),
  );
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    if (save.isSuccess || save.isError) save.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { model, problems } = fromForm(form);
    setProblems(problems);
    if (problems.length === 0) save.mutate(model);
  };
  const serverFields = fieldErrors(save.error);

  return (
    <form onSubmit={submit} data-testid="model-form">
      <FitRulesSection form={form} set={set} />
      <div className="grid-2 section">
        <TiersSection form={form} set={set} />
        <div>
          <DecaySection form={form} set={set} />
          <CapsSection form={form} set={set} />
        </div>
      </div>

      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending} data-testid="model-save">
          {save.isPending ? "Saving and rescoring…" : "Save and rescore leads"}
        </button>
        <button type="button" disabled={save.isPending} onClick={() => { setForm(toForm(initial)); setProblems([]); save.reset(); }}>
          Discard changes
        </button>
        {save.isSuccess && (
          <span className="ok-msg" role="status" data-testid="model-saved">
            Saved. {save.data.rescored.leads.toLocaleString()} lead{save.data.rescored.leads === 1 ? "" : "s"} rescored
            {save.data.rescored.tierChanges > 0 && `, ${save.data.rescored.tierChanges.toLocaleString()} changed tier`}.
          </span>
        )}
      </div>
      {problems.length > 0 && (
        <ul className="field-errors" role="alert" data-testid="model-errors">
          {problems.map((p, i) => <li key={i}>{p}</li>)}
        </ul>
      )}
      {save.isError && (
        <div role="alert" data-testid="model-errors">
          {serverFields.length > 0 ? (
            <>
              <p className="error" style={{ marginBottom: 0 }}>The model was not saved:</p>
              <ul className="field-errors">
                {serverFields.map((f, i) => <li key={i}>{f.path ? `${fieldPath(f.path)}: ` : ""}{f.message}</li>)}
              </ul>
            </>
          ) : (
            <p className="error">The model was not saved: {errorMessage(save.error)}</p>
          )}
        </div>
      )}
    </form>
  );
}
