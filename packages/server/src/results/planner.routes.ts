import type { AppContext } from "../app-context.js";
import { principalOf } from "../http/authentication.js";
import { assertProjectAccess } from "../http/principal.js";
import { responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";
import { ProjectParams } from "../projects/project-schemas.js";
import { PlanRequestBody, PlanSchema } from "./planner.schemas.js";

/** The sample-size planner: POST /projects/{projectKey}/sample-size. */
export function plannerRoutes(app: TypedApp, context: AppContext) {
  // Reader is enough: planning reads data and changes nothing.
  app.post(
    "/projects/:projectKey/sample-size",
    {
      config: { access: "reader" },
      schema: {
        tags: ["results"],
        summary: "Units and days an experiment needs to detect a minimum effect",
        params: ProjectParams,
        body: PlanRequestBody,
        response: responses("kameleoon", { 200: PlanSchema }),
      },
    },
    async (request) => {
      assertProjectAccess(principalOf(request), request.params.projectKey);
      return context.services.planner.plan(request.params.projectKey, request.body);
    },
  );
}
