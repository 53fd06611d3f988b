import { randomBytes, randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { Database } from "../storage/schema.js";

/**
 * Options a LaunchDarkly client gives an environment; docs/api.md says what each one does in Vexil.
 * `requireComments` is enforced by the LaunchDarkly flags resource; the others are kept and shown.
 */
export interface EnvironmentSettings {
  tags?: string[];
  critical?: boolean;
  requireComments?: boolean;
  confirmChanges?: boolean;
  defaultTtl?: number;
  defaultTrackEvents?: boolean;
}

/** Options a LaunchDarkly client gives a project: defaults of flags created through that dialect. */
export interface ProjectSettings {
  includeInSnippetByDefault?: boolean;
  defaultClientSideAvailability?: { usingEnvironmentId: boolean; usingMobileKey: boolean };
  namingConvention?: { case?: string; prefix?: string };
}

export interface Environment {
  projectKey: string;
  key: string;
  name: string;
  color: string;
  position: number;
  /** Server-side SDK key: downloads the whole configuration. Secret. */
  sdkKey: string;
  /** Client-side key: may only ask the server to evaluate. Public. */
  clientKey: string;
  createdAt: string;
  settings: EnvironmentSettings;
}

export interface Project {
  key: string;
  name: string;
  description: string;
  tags: string[];
  createdAt: string;
  settings: ProjectSettings;
}

/** A fresh server-side SDK key. */
export const newSdkKey = () => `sdk-${randomUUID()}`;
/** A fresh client-side key, shaped like LaunchDarkly's client-side id (24 hex digits). */
export const newClientKey = () => randomBytes(12).toString("hex");

type EnvironmentRow = Database["environments"];
type ProjectRow = Database["projects"];

function toEnvironment(row: EnvironmentRow): Environment {
  return {
    projectKey: row.project_key,
    key: row.key,
    name: row.name,
    color: row.color,
    position: row.position,
    sdkKey: row.sdk_key,
    clientKey: row.client_key,
    createdAt: row.created_at,
    settings: JSON.parse(row.settings) as EnvironmentSettings,
  };
}

function toProject(row: ProjectRow): Project {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    tags: JSON.parse(row.tags) as string[],
    createdAt: row.created_at,
    settings: JSON.parse(row.settings) as ProjectSettings,
  };
}

/** Reads and writes projects and their environments. */
export const projectsStore = {
  async list(db: Kysely<Database>, scope: string | null): Promise<Project[]> {
    let query = db.selectFrom("projects").selectAll().orderBy("key");
    if (scope !== null) query = query.where("key", "=", scope);
    return (await query.execute()).map(toProject);
  },

  async find(db: Kysely<Database>, key: string): Promise<Project | undefined> {
    const row = await db.selectFrom("projects").selectAll().where("key", "=", key).executeTakeFirst();
    return row && toProject(row);
  },

  async insert(db: Kysely<Database>, project: Project): Promise<void> {
    await db
      .insertInto("projects")
      .values({
        key: project.key,
        name: project.name,
        description: project.description,
        tags: JSON.stringify(project.tags),
        callback_secret: randomBytes(32).toString("base64url"),
        created_at: project.createdAt,
        settings: JSON.stringify(project.settings),
      })
      .execute();
  },

  async update(db: Kysely<Database>, project: Project): Promise<void> {
    await db
      .updateTable("projects")
      .set({
        name: project.name,
        description: project.description,
        tags: JSON.stringify(project.tags),
        settings: JSON.stringify(project.settings),
      })
      .where("key", "=", project.key)
      .execute();
  },

  async delete(db: Kysely<Database>, key: string): Promise<void> {
    await db.deleteFrom("environments").where("project_key", "=", key).execute();
    await db.deleteFrom("projects").where("key", "=", key).execute();
  },

  /** The secret that signs this project's callbacks and webhooks. */
  async callbackSecret(db: Kysely<Database>, key: string): Promise<string | undefined> {
    const row = await db
      .selectFrom("projects")
      .select("callback_secret")
      .where("key", "=", key)
      .executeTakeFirst();
    return row?.callback_secret;
  },

  async environments(db: Kysely<Database>, projectKey: string): Promise<Environment[]> {
    const rows = await db
      .selectFrom("environments")
      .selectAll()
      .where("project_key", "=", projectKey)
      .orderBy("position")
      .execute();
    return rows.map(toEnvironment);
  },

  async environment(db: Kysely<Database>, projectKey: string, key: string): Promise<Environment | undefined> {
    const row = await db
      .selectFrom("environments")
      .selectAll()
      .where("project_key", "=", projectKey)
      .where("key", "=", key)
      .executeTakeFirst();
    return row && toEnvironment(row);
  },

  /** The environment a server-side or client-side SDK key belongs to, and which kind of key it is. */
  async environmentBySdkKey(
    db: Kysely<Database>,
    key: string,
  ): Promise<{ environment: Environment; keyKind: "server" | "client" } | undefined> {
    const row = await db
      .selectFrom("environments")
      .selectAll()
      .where((eb) => eb.or([eb("sdk_key", "=", key), eb("client_key", "=", key)]))
      .executeTakeFirst();
    if (!row) return undefined;
    return { environment: toEnvironment(row), keyKind: row.sdk_key === key ? "server" : "client" };
  },

  async insertEnvironment(db: Kysely<Database>, environment: Environment): Promise<void> {
    await db
      .insertInto("environments")
      .values({
        project_key: environment.projectKey,
        key: environment.key,
        name: environment.name,
        color: environment.color,
        position: environment.position,
        sdk_key: environment.sdkKey,
        client_key: environment.clientKey,
        created_at: environment.createdAt,
        settings: JSON.stringify(environment.settings),
      })
      .execute();
  },

  async updateEnvironment(db: Kysely<Database>, environment: Environment): Promise<void> {
    await db
      .updateTable("environments")
      .set({
        name: environment.name,
        color: environment.color,
        sdk_key: environment.sdkKey,
        client_key: environment.clientKey,
        settings: JSON.stringify(environment.settings),
      })
      .where("project_key", "=", environment.projectKey)
      .where("key", "=", environment.key)
      .execute();
  },

  async deleteEnvironment(db: Kysely<Database>, projectKey: string, key: string): Promise<void> {
    await db
      .deleteFrom("environments")
      .where("project_key", "=", projectKey)
      .where("key", "=", key)
      .execute();
  },
};

/** Bumps the project's configuration version (same transaction as the change); returns the new value. */
export async function bumpConfigVersion(db: Kysely<Database>, projectKey: string): Promise<number> {
  const result = await sql<{ config_version: number }>`
    update projects set config_version = config_version + 1 where key = ${projectKey} returning config_version
  `.execute(db);
  return Number(result.rows[0]?.config_version ?? 0);
}

/** The project's configuration version (SDK payload versions and stream event ids come from it). */
export async function configVersion(db: Kysely<Database>, projectKey: string): Promise<number | undefined> {
  const result = await sql<{ config_version: number }>`
    select config_version from projects where key = ${projectKey}
  `.execute(db);
  const row = result.rows[0];
  return row === undefined ? undefined : Number(row.config_version);
}
