import type { Statements } from "./webhook-patch.js";

type Statement = Statements[number];

/**
 * LaunchDarkly's flag actions a Vexil webhook can filter on (suggestions only: a pattern like `update*` is
 * accepted too, and the server's 400 names the supported actions if one matches none).
 */
export const FLAG_ACTIONS = [
  "*",
  "createFlag",
  "deleteFlag",
  "updateName",
  "updateDescription",
  "updateTags",
  "updateOn",
  "updateRules",
  "updateFallthrough",
  "updateFlagVariations",
  "updateGlobalArchived",
  "updateFlag",
];

/** One policy statement as the form edits it: each list is either what matches or what is excluded. */
export interface StatementDraft {
  effect: Statement["effect"];
  resourcesMode: "resources" | "notResources";
  resources: string[];
  actionsMode: "actions" | "notActions";
  actions: string[];
}

/** A new statement: allow every change of every flag of the project. */
export function newStatement(projectKey: string): StatementDraft {
  return {
    effect: "allow",
    resourcesMode: "resources",
    resources: [`proj/${projectKey}:env/*:flag/*`],
    actionsMode: "actions",
    actions: ["*"],
  };
}

/** A stored statement as the form shows it (a statement without actions hears every action). */
export function toDraft(statement: Statement): StatementDraft {
  return {
    effect: statement.effect,
    resourcesMode: statement.notResources ? "notResources" : "resources",
    resources: statement.notResources ?? statement.resources ?? [],
    actionsMode: statement.notActions ? "notActions" : "actions",
    actions: statement.notActions ?? statement.actions ?? ["*"],
  };
}

/** The statements to send, or what is missing (each statement needs resources and actions). */
export function toStatements(drafts: readonly StatementDraft[]): Statements | { problem: string } {
  const statements: Statements = [];
  for (const [i, d] of drafts.entries()) {
    if (d.resources.length === 0) return { problem: `Statement ${i + 1} needs at least one resource.` };
    if (d.actions.length === 0) return { problem: `Statement ${i + 1} needs at least one action.` };
    statements.push({ effect: d.effect, [d.resourcesMode]: d.resources, [d.actionsMode]: d.actions });
  }
  return statements;
}
