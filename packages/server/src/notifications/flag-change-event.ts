import { type Access, type FlagAction, flagResource } from "./webhook-statements.js";

/**
 * The body a webhook receives for a flag change: LaunchDarkly's audit-log entry shape (`_id`, `date`,
 * `kind`, `name`, `description`, `title`, `member`, `accesses`, `target`), plus Vexil's own fields naming
 * the flag and the change, and the flag before and after it (see docs/notifications.md).
 */
export interface FlagChangeEvent {
  _id: string;
  _links: Record<string, { href: string; type: string }>;
  /** When the change was made (epoch ms). */
  date: number;
  kind: "flag";
  /** The flag's name. */
  name: string;
  /** Markdown list of what changed. */
  description: string;
  shortDescription: string;
  titleVerb: string;
  title: string;
  member: { name: string };
  accesses: Access[];
  target: { name: string; resources: string[] };
  projectKey: string;
  featureKey: string;
  flagId: number;
  /** The environments the change touched (every environment for a flag-level change). */
  environmentKeys: string[];
  /** Vexil's audit action, e.g. flag.update-rule. */
  action: string;
  /** Who made the change: `token:<id>:<name>` for an API token, the automation's name for automatic changes. */
  actor: string;
  /** The audit entry's before and after: the flag as the Kameleoon API shows it (null when created/deleted). */
  before: unknown;
  after: unknown;
}

/** A feature-flag change, as the outbox publishes it. */
export interface AuditedFlagChange {
  eventId: number;
  projectKey: string;
  actor: string;
  action: string;
  flagId: number;
  before: unknown;
  after: unknown;
  at: Date;
  /** The flag's key, name and environments as the publishing service gave them. */
  subject?: FlagIdentity | undefined;
}

/** The flag's key, name and environments, for entries whose before/after are not flag views. */
export interface FlagIdentity {
  featureKey: string;
  name: string;
  environmentKeys: string[];
}

interface EnvironmentView {
  environmentKey: string;
  featureEnabled?: unknown;
  defaultVariationKey?: unknown;
  rolloutRules?: unknown;
  [field: string]: unknown;
}

/** The parts of a flag view (flags.document.ts) a change description reads. */
interface FlagViewLike {
  featureKey: string;
  name: string;
  environmentConfigurations: EnvironmentView[];
  [field: string]: unknown;
}

/** The flag view in an audit entry's before/after, or undefined (legacy-experiment entries carry other things). */
export function asFlagView(value: unknown): FlagViewLike | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const view = value as Partial<FlagViewLike>;
  return typeof view.featureKey === "string" && Array.isArray(view.environmentConfigurations)
    ? (view as FlagViewLike)
    : undefined;
}

/** The identity of the flag from its before/after views, when the entry has them. */
export function identityFromViews(before: unknown, after: unknown): FlagIdentity | undefined {
  const views = [asFlagView(after), asFlagView(before)].filter((v) => v !== undefined);
  if (views.length === 0) return undefined;
  const environmentKeys = new Set(
    views.flatMap((v) => v.environmentConfigurations.map((e) => e.environmentKey)),
  );
  return {
    featureKey: views[0]!.featureKey,
    name: String(views[0]!.name),
    environmentKeys: [...environmentKeys],
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Flag fields that move with every change (or are compared per environment) and so describe nothing. */
const BOOKKEEPING = new Set(["version", "dateModified", "dateContentModified", "environmentConfigurations"]);
const FLAG_LEVEL: [field: string, action: FlagAction][] = [
  ["name", "updateName"],
  ["description", "updateDescription"],
  ["tags", "updateTags"],
  ["variations", "updateFlagVariations"],
  ["variables", "updateFlagVariations"],
  ["archived", "updateGlobalArchived"],
];
const ENVIRONMENT_LEVEL: [field: string, action: FlagAction][] = [
  ["featureEnabled", "updateOn"],
  ["rolloutRules", "updateRules"],
  ["defaultVariationKey", "updateFallthrough"],
];

interface Described {
  /** Actions per environment key. */
  actions: Map<string, Set<FlagAction>>;
  lines: string[];
}

/** What an update changed, flag-wide and per environment, with a line of description each. */
function describeUpdate(before: FlagViewLike, after: FlagViewLike, environmentKeys: string[]): Described {
  const flagActions = new Set<FlagAction>();
  const lines: string[] = [];
  const otherFields: string[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (BOOKKEEPING.has(field) || same(before[field], after[field])) continue;
    const action = FLAG_LEVEL.find(([name]) => name === field)?.[1];
    if (action) flagActions.add(action);
    else otherFields.push(field);
  }
  if (flagActions.has("updateName"))
    lines.push(`- Changed the name from ~~${before.name}~~ to *${after.name}*`);
  if (flagActions.has("updateDescription")) lines.push("- Changed the description");
  if (flagActions.has("updateTags")) lines.push("- Changed the tags");
  if (flagActions.has("updateFlagVariations")) lines.push("- Changed the variations or variables");
  if (flagActions.has("updateGlobalArchived"))
    lines.push(after.archived ? "- Archived the flag" : "- Restored the flag");
  if (otherFields.length > 0) {
    flagActions.add("updateFlag");
    lines.push(`- Changed ${otherFields.join(", ")}`);
  }

  const actions = new Map<string, Set<FlagAction>>();
  for (const key of environmentKeys) {
    const was = before.environmentConfigurations.find((e) => e.environmentKey === key);
    const now = after.environmentConfigurations.find((e) => e.environmentKey === key);
    const environmentActions = new Set(flagActions);
    if (was && now) {
      for (const field of new Set([...Object.keys(was), ...Object.keys(now)])) {
        if (field === "dateModified" || same(was[field], now[field])) continue;
        environmentActions.add(ENVIRONMENT_LEVEL.find(([name]) => name === field)?.[1] ?? "updateFlag");
      }
      if (!same(was.featureEnabled, now.featureEnabled))
        lines.push(`- Turned the flag ${now.featureEnabled ? "on" : "off"} in \`${key}\``);
      if (!same(was.rolloutRules, now.rolloutRules)) lines.push(`- Changed the rules in \`${key}\``);
      if (!same(was.defaultVariationKey, now.defaultVariationKey)) {
        lines.push(
          `- Changed the default variation in \`${key}\` from \`${String(was.defaultVariationKey)}\` to \`${String(now.defaultVariationKey)}\``,
        );
      }
    }
    if (environmentActions.size > 0) actions.set(key, environmentActions);
  }
  return { actions, lines };
}

/** Builds the webhook body of a flag change. */
export function flagChangeEvent(change: AuditedFlagChange, identity: FlagIdentity): FlagChangeEvent {
  const before = asFlagView(change.before);
  const after = asFlagView(change.after);
  const allEnvironments = (action: FlagAction) =>
    new Map(identity.environmentKeys.map((key) => [key, new Set<FlagAction>([action])]));
  let described: Described;
  let titleVerb = "updated the flag";
  if (after && !change.before) {
    titleVerb = "created the flag";
    described = { actions: allEnvironments("createFlag"), lines: ["- Created the flag"] };
  } else if (before && !change.after) {
    titleVerb = "deleted the flag";
    described = { actions: allEnvironments("deleteFlag"), lines: ["- Deleted the flag"] };
  } else if (before && after) {
    described = describeUpdate(before, after, identity.environmentKeys);
  } else {
    // Entries about the flag that carry no flag views (legacy experiments): a change to the flag as a whole.
    const environmentKey = (change.after as { environmentKey?: unknown } | null)?.environmentKey;
    const keys = typeof environmentKey === "string" ? [environmentKey] : identity.environmentKeys;
    described = {
      actions: new Map(keys.map((key) => [key, new Set<FlagAction>(["updateFlag"])])),
      lines: [`- ${change.action}`],
    };
  }
  if (described.actions.size === 0) {
    // Nothing the comparison can name (e.g. only computed fields moved): still a change of the flag.
    described.actions = allEnvironments("updateFlag");
    described.lines.push(`- ${change.action}`);
  }

  const accesses: Access[] = [];
  for (const [environmentKey, actions] of described.actions) {
    const resource = flagResource(change.projectKey, environmentKey, identity.featureKey);
    for (const action of actions) accesses.push({ action, resource });
  }
  const flagPath = `/feature-flags/${change.projectKey}/${identity.featureKey}`;
  const link = (href: string) => ({ href, type: "application/json" });
  return {
    _id: String(change.eventId),
    _links: {
      parent: link("/audit-log"),
      self: link(`/audit-log?resourceType=feature-flag&resourceId=${change.flagId}`),
      ...(change.after ? { canonical: link(flagPath) } : {}),
    },
    date: change.at.getTime(),
    kind: "flag",
    name: identity.name,
    description: described.lines.join("\n"),
    shortDescription: "",
    titleVerb,
    title: `${change.actor} ${titleVerb} ${identity.featureKey}`,
    member: { name: change.actor },
    accesses,
    target: { name: identity.name, resources: [...new Set(accesses.map((a) => a.resource))] },
    projectKey: change.projectKey,
    featureKey: identity.featureKey,
    flagId: change.flagId,
    environmentKeys: [...described.actions.keys()],
    action: change.action,
    actor: change.actor,
    before: change.before ?? null,
    after: change.after ?? null,
  };
}
