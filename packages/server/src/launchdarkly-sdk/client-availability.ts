import type { AppContext } from "../app-context.js";
import { projectsStore } from "../projects/projects.store.js";

// Whether a project's flags are available to LaunchDarkly's client-side SDKs (the environment id). Vexil's
// flags carry no such setting: the project's default stands for every flag, as LaunchDarkly's REST API
// shows it (clientSideAvailability of each flag, launchdarkly-flags). Cached briefly: the hot SDK routes
// skip storage, and a change of the setting reaches SDKs within CACHE_MS.

const CACHE_MS = 5000;

export class ClientAvailability {
  private readonly cache = new Map<string, { available: boolean; until: number }>();

  constructor(private readonly context: AppContext) {}

  /** True when the project's flags are served with its environments' client-side ids. */
  async of(projectKey: string): Promise<boolean> {
    const hit = this.cache.get(projectKey);
    if (hit && hit.until > Date.now()) return hit.available;
    const settings = (await projectsStore.find(this.context.db, projectKey))?.settings ?? {};
    const available =
      settings.defaultClientSideAvailability?.usingEnvironmentId ??
      settings.includeInSnippetByDefault ??
      false;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(projectKey, { available, until: Date.now() + CACHE_MS });
    return available;
  }
}
