import { type Static, Type } from "typebox";
import { ApiError } from "../http/api-error.js";
import { wildcardMatch } from "../http/wildcard-match.js";

/**
 * LaunchDarkly's policy statements, as a webhook uses them to choose which changes it hears. Vexil's
 * webhooks fire on feature-flag changes, so a resource is `proj/<project>:env/<environment>:flag/<flag>`
 * where each name may use `*` as a wildcard; actions are the LaunchDarkly flag actions listed below (or a
 * `*` pattern over them). A change fires a webhook when one of its accesses is allowed by a statement and
 * denied by none; a webhook without statements hears every flag change.
 */

/** The flag actions a change reports (LaunchDarkly's names; `updateFlag` is any change none of the others describes). */
export const FLAG_ACTIONS = [
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
] as const;
export type FlagAction = (typeof FLAG_ACTIONS)[number];

const Names = Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { minItems: 1, maxItems: 100 });

export const StatementSchema = Type.Object(
  {
    effect: Type.Union([Type.Literal("allow"), Type.Literal("deny")]),
    resources: Type.Optional(Names),
    notResources: Type.Optional(Names),
    actions: Type.Optional(Names),
    notActions: Type.Optional(Names),
  },
  { additionalProperties: false },
);
export type Statement = Static<typeof StatementSchema>;

/** What a change did to one resource, as LaunchDarkly's audit entries list it. */
export interface Access {
  action: FlagAction;
  resource: string;
}

/** The resource string of a flag in an environment. */
export function flagResource(projectKey: string, environmentKey: string, featureKey: string): string {
  return `proj/${projectKey}:env/${environmentKey}:flag/${featureKey}`;
}

const NAME = "[A-Za-z0-9._*-]+";
const FLAG_PATTERN = new RegExp(`^proj/(${NAME}):env/(${NAME}):flag/(${NAME})$`);

/** A glob where `*` matches any run of characters (names hold no other special character). */
const globMatches = (glob: string, text: string) => wildcardMatch(text, glob, "*");

function resourceError(field: string, pattern: string): ApiError {
  if (pattern.includes(";")) {
    return new ApiError(400, `${field}: tag specifiers (';tag') are not supported in '${pattern}'`);
  }
  if (/^proj\/[^:]*(:env\/[^:]*)?$/.test(pattern)) {
    return new ApiError(
      400,
      `${field}: '${pattern}' names a project or environment; Vexil's webhooks fire on flag changes only, ` +
        "so name flags: proj/<project>:env/<environment>:flag/<flag> (wildcards: *)",
    );
  }
  return new ApiError(
    400,
    `${field}: '${pattern}' is not a flag resource: proj/<project>:env/<environment>:flag/<flag> (wildcards: *)`,
  );
}

/** Checks what the schema cannot; throws 400 naming the field (`body.statements.0.resources.1`). */
export function checkStatements(statements: Statement[], field = "body.statements"): void {
  statements.forEach((statement, index) => {
    const at = `${field}.${index}`;
    const resourceLists = [statement.resources, statement.notResources].filter(Boolean);
    if (resourceLists.length !== 1)
      throw new ApiError(400, `${at} must have exactly one of 'resources' and 'notResources'`);
    const actionLists = [statement.actions, statement.notActions].filter(Boolean);
    if (actionLists.length !== 1)
      throw new ApiError(400, `${at} must have exactly one of 'actions' and 'notActions'`);
    const resourcesField = statement.resources ? "resources" : "notResources";
    (statement.resources ?? statement.notResources ?? []).forEach((pattern, i) => {
      if (!FLAG_PATTERN.test(pattern)) throw resourceError(`${at}.${resourcesField}.${i}`, pattern);
    });
    const actionsField = statement.actions ? "actions" : "notActions";
    (statement.actions ?? statement.notActions ?? []).forEach((pattern, i) => {
      if (!/^[A-Za-z*]+$/.test(pattern) || !FLAG_ACTIONS.some((action) => globMatches(pattern, action))) {
        throw new ApiError(
          400,
          `${at}.${actionsField}.${i}: '${pattern}' matches no supported action (${FLAG_ACTIONS.join(", ")}, or '*')`,
        );
      }
    });
  });
}

function resourceMatches(pattern: string, resource: string): boolean {
  const wanted = FLAG_PATTERN.exec(pattern);
  const actual = FLAG_PATTERN.exec(resource);
  if (!wanted || !actual) return false;
  return [1, 2, 3].every((i) => globMatches(wanted[i]!, actual[i]!));
}

function actionMatches(pattern: string, action: string): boolean {
  return globMatches(pattern, action);
}

/** Whether a statement covers an access (its resources/notResources and actions/notActions). */
function covers(statement: Statement, access: Access): boolean {
  const resource = statement.resources
    ? statement.resources.some((p) => resourceMatches(p, access.resource))
    : !(statement.notResources ?? []).some((p) => resourceMatches(p, access.resource));
  const action = statement.actions
    ? statement.actions.some((p) => actionMatches(p, access.action))
    : !(statement.notActions ?? []).some((p) => actionMatches(p, access.action));
  return resource && action;
}

/** Whether a webhook with these statements hears a change with these accesses (deny wins over allow). */
export function statementsAllow(statements: Statement[], accesses: Access[]): boolean {
  if (statements.length === 0) return true;
  return accesses.some(
    (access) =>
      statements.some((s) => s.effect === "allow" && covers(s, access)) &&
      !statements.some((s) => s.effect === "deny" && covers(s, access)),
  );
}
