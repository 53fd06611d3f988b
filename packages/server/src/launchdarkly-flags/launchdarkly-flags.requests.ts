import type { Static } from "typebox";
import { badRequest } from "../http/api-error.js";
import { applyJsonPatch, type JsonPatch } from "../http/json-patch.js";
import type { Project } from "../projects/projects.store.js";
import type { LdEnvironment, LdMappingContext, VexilFlag } from "./flag-to-launchdarkly.js";
import type { COPY_ACTIONS, FlagPostBody, ListQuery } from "./launchdarkly-flags.schemas.js";
import type { LdFlagDocument } from "./launchdarkly-to-flag.js";

// What the flags routes make of their requests, as pure functions: the create document, list filters and
// sort, JSON Patch paths, copy between environments.

/** The `env` parameter: environment keys of the project (400 naming an unknown one); undefined = all. */
export function parseEnvironments(value: string | undefined, environments: { key: string }[]) {
  if (value === undefined) return undefined;
  const keys = value
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  for (const key of keys) {
    if (!environments.some((e) => e.key === key))
      throw badRequest(`env: '${key}' is not an environment of the project`);
  }
  return keys;
}

const CASES: Record<string, RegExp> = {
  camelCase: /^[a-z][a-zA-Z0-9]*$/,
  upperCamelCase: /^[A-Z][a-zA-Z0-9]*$/,
  snakeCase: /^[a-z0-9]+(_[a-z0-9]+)*$/,
  kebabCase: /^[a-z0-9]+(-[a-z0-9]+)*$/,
  constantCase: /^[A-Z0-9]+(_[A-Z0-9]+)*$/,
};

/** The LaunchDarkly document a create body stands for: off in every environment, defaults applied. */
export function createDocument(
  body: Static<typeof FlagPostBody>,
  project: Project,
  mapping: Omit<LdMappingContext, "experiments">,
): LdFlagDocument {
  const refuse = (field: string, why: string) => {
    throw badRequest(`body.${field}: ${why}`);
  };
  if (body.customProperties && Object.keys(body.customProperties).length > 0)
    refuse("customProperties", "custom properties are not supported");
  if (body.purpose !== undefined) refuse("purpose", "migration and holdout flags are not supported");
  if (body.migrationSettings !== undefined) refuse("migrationSettings", "migration flags are not supported");
  if (body.maintainerId !== undefined)
    refuse("maintainerId", "flag maintainers are not supported (the audit log names who changed what)");
  if (body.maintainerTeamKey !== undefined) refuse("maintainerTeamKey", "teams are not supported");
  if ((body.initialPrerequisites ?? []).length > 0)
    refuse("initialPrerequisites", "prerequisites are not supported");
  const availability = mapping.clientSideAvailability;
  if (body.includeInSnippet !== undefined && body.includeInSnippet !== availability.usingEnvironmentId) {
    refuse(
      "includeInSnippet",
      `is a project setting here (${availability.usingEnvironmentId}); change the project's defaultClientSideAvailability`,
    );
  }
  if (
    body.clientSideAvailability &&
    (body.clientSideAvailability.usingEnvironmentId !== availability.usingEnvironmentId ||
      body.clientSideAvailability.usingMobileKey !== availability.usingMobileKey)
  ) {
    refuse(
      "clientSideAvailability",
      "is a project setting here; change the project's defaultClientSideAvailability",
    );
  }
  (body.variations ?? []).forEach((v, i) => {
    if (v.description !== undefined)
      refuse(`variations.${i}.description`, "variations have no description here (use name)");
  });
  const convention = project.settings.namingConvention;
  if (convention?.prefix && !body.key.startsWith(convention.prefix)) {
    refuse("key", `'${body.key}' does not start with the project's prefix '${convention.prefix}'`);
  }
  const rest = convention?.prefix ? body.key.slice(convention.prefix.length) : body.key;
  if (convention?.case && !CASES[convention.case]!.test(rest))
    refuse("key", `'${body.key}' is not ${convention.case} (the project's naming convention)`);
  // LaunchDarkly's default flag: boolean, true served when on, false when off.
  const variations = (body.variations ?? [{ value: true }, { value: false }]).map(({ value, name }) => ({
    value,
    ...(name !== undefined ? { name } : {}),
  }));
  const defaults = body.defaults ?? { onVariation: 0, offVariation: variations.length > 1 ? 1 : 0 };
  for (const [field, index] of Object.entries(defaults)) {
    if (index >= variations.length)
      refuse(
        `defaults.${field}`,
        `variation index ${index} does not exist (the flag has ${variations.length})`,
      );
  }
  const environments: Record<string, Partial<LdEnvironment>> = {};
  for (const { key } of mapping.environments) {
    environments[key] = {
      on: false,
      offVariation: defaults.offVariation,
      fallthrough: { variation: defaults.onVariation },
      targets: [],
      rules: [],
    };
  }
  return {
    key: body.key,
    name: body.name,
    description: body.description ?? "",
    tags: body.tags ?? [],
    temporary: body.temporary ?? true,
    variations,
    environments,
  };
}

/** Paths a JSON Patch may change (others only `test`): the rest is read-only or computed. */
const WRITABLE = [
  /^\/name$/,
  /^\/description$/,
  /^\/tags(\/|$)/,
  /^\/temporary$/,
  /^\/archived$/,
  /^\/variations(\/|$)/,
  /^\/environments\/[^/]+\/(on|offVariation|fallthrough|rules|targets|contextTargets|prerequisites)(\/|$)/,
];

/** A JSON Patch (with `test` operations) applied to the LaunchDarkly document; 400 naming a read-only path. */
export function patchedDocument(document: LdFlagDocument, patch: JsonPatch): LdFlagDocument {
  for (const operation of patch) {
    if (operation.op === "test") continue;
    for (const path of [operation.path, ...("from" in operation ? [operation.from] : [])]) {
      if (!WRITABLE.some((re) => re.test(path))) {
        throw badRequest(
          `Patch path '${path}' cannot be changed (writable: /name, /description, /tags, /temporary, /archived, /variations, /environments/{key}/on|offVariation|fallthrough|rules|targets)`,
        );
      }
    }
  }
  return applyJsonPatch(document, patch, [""]);
}

/** Copies the chosen parts of one environment's configuration onto another (rules as new rules). */
export function copyEnvironment(
  document: LdFlagDocument,
  source: string,
  target: string,
  actions: readonly (typeof COPY_ACTIONS)[number][],
): LdFlagDocument {
  const from = document.environments[source]!;
  const to = document.environments[target]!;
  if (actions.includes("updateOn")) to.on = from.on;
  if (actions.includes("updateOffVariation")) to.offVariation = from.offVariation;
  if (actions.includes("updateFallthrough")) to.fallthrough = structuredClone(from.fallthrough);
  if (actions.includes("updateTargets")) to.targets = structuredClone(from.targets ?? []);
  if (actions.includes("updateRules"))
    to.rules = (from.rules ?? []).map(({ _id, ...rule }) => structuredClone(rule));
  return document;
}

type Query = Static<typeof ListQuery>;
const SORTS: Record<string, (f: VexilFlag) => string | number> = {
  key: (f) => f.featureKey,
  name: (f) => f.name.toLowerCase(),
  creationDate: (f) => Date.parse(f.dateCreated),
};

/** The flags a list query selects, in its order (LaunchDarkly's filter and sort; archived flags only on request). */
export function listFlags(views: VexilFlag[], query: Query): VexilFlag[] {
  let archived: boolean | undefined = query.archived ?? false;
  let flags = views;
  if (query.tag !== undefined) flags = flags.filter((f) => f.tags.includes(query.tag!));
  for (const clause of (query.filter ?? "").split(",").filter(Boolean)) {
    const colon = clause.indexOf(":");
    const field = colon < 0 ? clause : clause.slice(0, colon);
    const value = colon < 0 ? "" : clause.slice(colon + 1);
    if (value === "") throw badRequest(`filter: '${clause}' needs a value (field:value)`);
    if (field === "query") {
      const text = value.toLowerCase();
      flags = flags.filter(
        (f) => f.featureKey.toLowerCase().includes(text) || f.name.toLowerCase().includes(text),
      );
    } else if (field === "tags") {
      const wanted = value.split("+");
      flags = flags.filter((f) => wanted.every((t) => f.tags.includes(t)));
    } else if (field === "archived") {
      if (value !== "true" && value !== "false") throw badRequest(`filter: archived must be true or false`);
      archived = value === "true";
    } else if (field === "state") {
      if (value !== "live" && value !== "archived")
        throw badRequest(`filter: state '${value}' is not one of live, archived`);
      archived = value === "archived";
    } else if (field === "type") {
      if (value !== "temporary" && value !== "permanent")
        throw badRequest(`filter: type '${value}' is not one of temporary, permanent`);
      flags = flags.filter((f) => (f.health === "PERMANENT") === (value === "permanent"));
    } else
      throw badRequest(`filter: unknown field '${field}' (supported: query, tags, archived, state, type)`);
  }
  flags = flags.filter((f) => f.archived === archived);
  const sort = query.sort ?? "creationDate";
  const descending = sort.startsWith("-");
  const by = SORTS[descending ? sort.slice(1) : sort];
  if (!by) throw badRequest(`sort: '${sort}' is not one of key, name, creationDate (prefix '-' to descend)`);
  return [...flags].sort((a, b) => {
    const [x, y] = [by(a), by(b)];
    const order = x < y ? -1 : x > y ? 1 : a.id - b.id;
    return descending ? -order : order;
  });
}
