import { badRequest } from "../http/api-error.js";
import type { ExperimentState } from "./experiment-view.js";
import type { SemanticPatch } from "./experiments.schemas.js";
import type { ExperimentRecord } from "./experiments.store.js";

// The semantic patch of an experiment, checked as a whole before any instruction is applied, so a bad
// instruction late in the list changes nothing.

export const INSTRUCTION_KINDS = [
  "updateName",
  "updateDescription",
  "startIteration",
  "stopIteration",
  "archiveExperiment",
  "restoreExperiment",
] as const;
export type InstructionKind = (typeof INSTRUCTION_KINDS)[number];

/** Checks every instruction against the experiment as it would be after the previous ones. */
export function planInstructions(state: ExperimentState, instructions: SemanticPatch["instructions"]): void {
  let status = state.iterations.current?.status;
  let hasDraft = state.iterations.draft !== undefined && state.iterations.draft.id !== null;
  let archived = state.experiment.archivedAt !== null;
  const allowed: Record<InstructionKind, string[]> = {
    updateName: ["value"],
    updateDescription: ["value"],
    startIteration: ["changeJustification"],
    stopIteration: ["winningTreatmentId", "winningReason"],
    archiveExperiment: [],
    restoreExperiment: [],
  };
  instructions.forEach((instruction, i) => {
    const path = `body.instructions.${i}`;
    const raw = instruction as Record<string, unknown>;
    const kind = instruction.kind as InstructionKind;
    if (!(INSTRUCTION_KINDS as readonly string[]).includes(kind)) {
      throw badRequest(
        `${path}.kind '${instruction.kind}' is not supported (${INSTRUCTION_KINDS.join(", ")})`,
      );
    }
    for (const field of Object.keys(raw)) {
      if (field !== "kind" && !allowed[kind].includes(field)) {
        throw badRequest(
          `${path}.${field} is not a parameter of ${kind}${allowed[kind].length ? ` (${allowed[kind].join(", ")})` : ""}`,
        );
      }
    }
    const text = (field: string, required: boolean, max: number) => {
      const value = raw[field];
      if (value === undefined && !required) return;
      if (typeof value !== "string" || (required && value.trim() === "") || value.length > max) {
        throw badRequest(
          `${path}.${field} must be a ${required ? "non-empty " : ""}string of at most ${max} characters`,
        );
      }
    };
    switch (kind) {
      case "updateName":
        text("value", true, 256);
        break;
      case "updateDescription":
        text("value", false, 5000);
        if (raw.value === undefined) throw badRequest(`${path}.value is required`);
        break;
      case "startIteration":
        text("changeJustification", false, 5000);
        if (archived) throw badRequest(`${path}: the experiment is archived; restoreExperiment first`);
        if (!hasDraft) {
          throw badRequest(
            `${path}: no iteration to start; create one with POST .../experiments/${state.experiment.key}/iterations`,
          );
        }
        if (status === "running" && typeof raw.changeJustification !== "string") {
          throw badRequest(
            `${path}.changeJustification is required to start a new iteration while one is running`,
          );
        }
        status = "running";
        hasDraft = false;
        break;
      case "stopIteration": {
        text("winningTreatmentId", false, 128);
        text("winningReason", false, 5000);
        if (status !== "running") throw badRequest(`${path}: no running iteration to stop`);
        const winner = raw.winningTreatmentId;
        // The iteration stopped is the one running after the previous instructions.
        const running =
          i > 0 && instructions.slice(0, i).some((x) => x.kind === "startIteration")
            ? state.iterations.draft
            : state.iterations.current;
        if (winner !== undefined && !running?.treatments.some((t) => t._id === winner)) {
          throw badRequest(
            `${path}.winningTreatmentId '${String(winner)}' is not a treatment of the running iteration (${running?.treatments.map((t) => t._id).join(", ")})`,
          );
        }
        status = "stopped";
        break;
      }
      case "archiveExperiment":
        if (status === "running") throw badRequest(`${path}: stop the running iteration before archiving`);
        archived = true;
        break;
      case "restoreExperiment":
        archived = false;
        break;
    }
  });
}

/** The experiment fields an instruction changes, with its audit action; undefined when it changes none. */
export function fieldUpdate(
  instruction: Record<string, unknown>,
  experiment: ExperimentRecord,
  nowIso: string,
):
  | { fields: { name?: string; description?: string; archivedAt?: string | null }; action: string }
  | undefined {
  switch (instruction.kind as InstructionKind) {
    case "updateName":
      return { fields: { name: instruction.value as string }, action: "experiment.update-name" };
    case "updateDescription":
      return {
        fields: { description: instruction.value as string },
        action: "experiment.update-description",
      };
    case "archiveExperiment":
      return experiment.archivedAt === null
        ? { fields: { archivedAt: nowIso }, action: "experiment.archive" }
        : undefined;
    case "restoreExperiment":
      return experiment.archivedAt !== null
        ? { fields: { archivedAt: null }, action: "experiment.restore" }
        : undefined;
    default:
      return undefined;
  }
}
