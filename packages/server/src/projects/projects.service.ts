import type { AppContext } from "../app-context.js";
import { ApiError, conflict, notFound } from "../http/api-error.js";
import {
  type Environment,
  type EnvironmentSettings,
  newClientKey,
  newSdkKey,
  type Project,
  type ProjectSettings,
  projectsStore,
} from "./projects.store.js";
import { forgetSdkKeys } from "./sdk-keys.js";

/** Projects and environments share this key syntax (DESIGN section 2). */
export const KEY_PATTERN = "^[A-Za-z0-9._-]{1,64}$";

export const defaultEnvironments = [
  { key: "development", name: "Development", color: "2ecc71" },
  { key: "staging", name: "Staging", color: "f1c40f" },
  { key: "production", name: "Production", color: "e74c3c" },
];

export interface NewEnvironment {
  key: string;
  name: string;
  color?: string | undefined;
  settings?: EnvironmentSettings | undefined;
}

export interface NewProject {
  key: string;
  name: string;
  description?: string | undefined;
  tags?: string[] | undefined;
  settings?: ProjectSettings | undefined;
  /** Omitted: development, staging and production. */
  environments?: NewEnvironment[] | undefined;
}

export type KeyRotation = "server" | "client" | "both";

/** Creating, changing and deleting projects and environments, each change audited. */
export class ProjectsService {
  constructor(private readonly context: AppContext) {}

  /** The project, or 404. */
  async get(key: string): Promise<Project> {
    const project = await projectsStore.find(this.context.db, key);
    if (!project) throw notFound(`Project '${key}' not found`);
    return project;
  }

  /** Every project, or only `scope` (a token scoped to one project), by key. */
  list(scope: string | null): Promise<Project[]> {
    return projectsStore.list(this.context.db, scope);
  }

  /** A project's environments (none for an unknown project). */
  environments(projectKey: string): Promise<Environment[]> {
    return projectsStore.environments(this.context.db, projectKey);
  }

  /** The environment, or 404 naming what is missing. */
  async environment(projectKey: string, key: string): Promise<Environment> {
    await this.get(projectKey);
    const environment = await projectsStore.environment(this.context.db, projectKey, key);
    if (!environment) throw notFound(`Environment '${key}' not found in project '${projectKey}'`);
    return environment;
  }

  async create(actor: string, input: NewProject): Promise<{ project: Project; environments: Environment[] }> {
    const environments = input.environments ?? defaultEnvironments;
    const keys = new Set(environments.map((e) => e.key));
    if (keys.size !== environments.length) throw new ApiError(400, "environments: keys must be unique");
    const createdAt = new Date(this.context.now()).toISOString();
    const project: Project = {
      key: input.key,
      name: input.name,
      description: input.description ?? "",
      tags: input.tags ?? [],
      createdAt,
      settings: input.settings ?? {},
    };
    return this.context.db.transaction().execute(async (trx) => {
      if (await projectsStore.find(trx, input.key)) throw conflict(`Project '${input.key}' already exists`);
      await projectsStore.insert(trx, project);
      const created: Environment[] = [];
      for (const [position, env] of environments.entries()) {
        const environment = this.newEnvironment(project.key, env, position, createdAt);
        await projectsStore.insertEnvironment(trx, environment);
        created.push(environment);
      }
      await this.context.outbox.publish(trx, {
        projectKey: project.key,
        actor,
        action: "project.create",
        resourceType: "project",
        resourceId: project.key,
        after: { ...project, environments: created.map((e) => e.key) },
      });
      return { project, environments: created };
    });
  }

  async update(actor: string, key: string, change: (project: Project) => Project): Promise<Project> {
    return this.context.db.transaction().execute(async (trx) => {
      const before = await projectsStore.find(trx, key);
      if (!before) throw notFound(`Project '${key}' not found`);
      const after = { ...change(structuredClone(before)), key: before.key, createdAt: before.createdAt };
      await projectsStore.update(trx, after);
      await this.context.outbox.publish(trx, {
        projectKey: key,
        actor,
        action: "project.update",
        resourceType: "project",
        resourceId: key,
        before,
        after,
      });
      return after;
    });
  }

  async delete(actor: string, key: string): Promise<void> {
    const environments = await this.context.db.transaction().execute(async (trx) => {
      const before = await projectsStore.find(trx, key);
      if (!before) throw notFound(`Project '${key}' not found`);
      const environments = await projectsStore.environments(trx, key);
      await projectsStore.delete(trx, key);
      await this.context.outbox.publish(trx, {
        projectKey: key,
        actor,
        action: "project.delete",
        resourceType: "project",
        resourceId: key,
        before,
      });
      return environments;
    });
    for (const environment of environments) this.announceGone(key, environment.key);
  }

  async createEnvironment(actor: string, projectKey: string, input: NewEnvironment): Promise<Environment> {
    return this.context.db.transaction().execute(async (trx) => {
      if (!(await projectsStore.find(trx, projectKey))) throw notFound(`Project '${projectKey}' not found`);
      const existing = await projectsStore.environments(trx, projectKey);
      if (existing.some((e) => e.key === input.key)) {
        throw conflict(`Environment '${input.key}' already exists in project '${projectKey}'`);
      }
      const position = Math.max(-1, ...existing.map((e) => e.position)) + 1;
      const environment = this.newEnvironment(
        projectKey,
        input,
        position,
        new Date(this.context.now()).toISOString(),
      );
      await projectsStore.insertEnvironment(trx, environment);
      await this.context.outbox.publish(trx, {
        projectKey,
        actor,
        action: "environment.create",
        resourceType: "environment",
        resourceId: `${projectKey}/${input.key}`,
        after: publicEnvironment(environment),
      });
      return environment;
    });
  }

  async deleteEnvironment(actor: string, projectKey: string, key: string): Promise<void> {
    const before = await this.environment(projectKey, key);
    await this.context.db.transaction().execute(async (trx) => {
      await projectsStore.deleteEnvironment(trx, projectKey, key);
      await this.context.outbox.publish(trx, {
        projectKey,
        actor,
        action: "environment.delete",
        resourceType: "environment",
        resourceId: `${projectKey}/${key}`,
        before: publicEnvironment(before),
      });
    });
    this.announceGone(projectKey, key);
  }

  /**
   * After an environment's deletion committed: its SDK keys stop at once and, in every process, its SDK
   * streams (Vexil's and LaunchDarkly's) end; their SDKs reconnect and get 401.
   */
  private announceGone(projectKey: string, key: string): void {
    forgetSdkKeys(this.context);
    this.context.changes.publish({
      projectKey,
      environmentKeys: [key],
      kind: "environment",
      key,
      deleted: true,
    });
  }

  /** Replaces an environment's SDK keys; the old ones stop working at once. */
  async rotateKeys(actor: string, projectKey: string, key: string, which: KeyRotation): Promise<Environment> {
    const before = await this.environment(projectKey, key);
    const after: Environment = {
      ...before,
      sdkKey: which === "client" ? before.sdkKey : newSdkKey(),
      clientKey: which === "server" ? before.clientKey : newClientKey(),
    };
    await this.context.db.transaction().execute(async (trx) => {
      await projectsStore.updateEnvironment(trx, after);
      await this.context.outbox.publish(trx, {
        projectKey,
        actor,
        action: "environment.rotate-keys",
        resourceType: "environment",
        resourceId: `${projectKey}/${key}`,
        after: { rotated: which },
      });
    });
    forgetSdkKeys(this.context);
    // Streams opened with the old keys end now (their holders hear it), in every process.
    this.context.changes.publish({
      projectKey,
      environmentKeys: [key],
      kind: "environment",
      key,
    });
    return after;
  }

  private newEnvironment(
    projectKey: string,
    input: NewEnvironment,
    position: number,
    createdAt: string,
  ): Environment {
    return {
      projectKey,
      key: input.key,
      name: input.name,
      color: input.color ?? "",
      position,
      sdkKey: newSdkKey(),
      clientKey: newClientKey(),
      createdAt,
      settings: input.settings ?? {},
    };
  }
}

/** An environment as the audit log keeps it: without its secret key. */
function publicEnvironment(environment: Environment) {
  const { sdkKey: _secret, ...rest } = environment;
  return rest;
}
