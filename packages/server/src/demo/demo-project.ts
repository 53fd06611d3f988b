import type { AppContext } from "../app-context.js";
import { ProjectsService } from "../projects/projects.service.js";
import { projectsStore } from "../projects/projects.store.js";

export const DEMO_PROJECT_KEY = "demo";

/** Creates the `demo` project (development, staging, production) unless it exists. */
export async function ensureDemoProject(context: AppContext): Promise<boolean> {
  if (await projectsStore.find(context.db, DEMO_PROJECT_KEY)) return false;
  await new ProjectsService(context).create("system:demo", {
    key: DEMO_PROJECT_KEY,
    name: "Demo",
    description: "A project to try Vexil with.",
  });
  return true;
}
