import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { recordAudit } from "../audit/audit.store.js";
import { notFound } from "../http/api-error.js";
import { principalOf } from "../http/authentication.js";
import { actorName, type Role } from "../http/principal.js";
import type { TypedApp } from "../http/typed-app.js";
import { projectsStore } from "../projects/projects.store.js";
import { generateToken, type TokenRecord } from "./tokens.store.js";

const NewToken = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    role: Type.Union([Type.Literal("reader"), Type.Literal("writer"), Type.Literal("admin")]),
    projectKey: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" })),
  },
  { additionalProperties: false },
);

const tokenView = (record: TokenRecord) => ({ ...record, clientId: `vexil-${record.id}` });

/** Creates an API token (the secret is returned once and stored only as its hash). */
export async function createApiToken(
  context: AppContext,
  actor: string,
  input: { name: string; role: Role; projectKey?: string | undefined },
): Promise<{ token: string; record: TokenRecord }> {
  if (input.projectKey && !(await projectsStore.find(context.db, input.projectKey))) {
    throw notFound(`Project '${input.projectKey}' not found`);
  }
  const token = generateToken();
  const record = await context.tokens.create({
    token,
    name: input.name,
    role: input.role,
    projectKey: input.projectKey ?? null,
    kind: "api",
  });
  await recordAudit(context.db, {
    projectKey: input.projectKey ?? null,
    actor,
    action: "token.create",
    resourceType: "token",
    resourceId: String(record.id),
    after: tokenView(record),
  });
  return { token, record };
}

/** Admin-only token management under /tokens. */
export function tokenRoutes(app: TypedApp, context: AppContext) {
  const tags = ["auth"];
  app.get("/tokens", { config: { access: "admin" }, schema: { tags } }, async () =>
    (await context.tokens.list()).map(tokenView),
  );

  app.post(
    "/tokens",
    { config: { access: "admin" }, schema: { tags, body: NewToken } },
    async (request, reply) => {
      const { token, record } = await createApiToken(context, actorName(principalOf(request)), request.body);
      return reply.status(201).send({ ...tokenView(record), token });
    },
  );

  app.delete(
    "/tokens/:tokenId",
    { config: { access: "admin" }, schema: { tags, params: Type.Object({ tokenId: Type.Integer() }) } },
    async (request, reply) => {
      if (!(await context.tokens.revoke(request.params.tokenId))) {
        throw notFound(`Token ${request.params.tokenId} not found`);
      }
      app.forgetVerifiedTokens();
      await recordAudit(context.db, {
        projectKey: null,
        actor: actorName(principalOf(request)),
        action: "token.revoke",
        resourceType: "token",
        resourceId: String(request.params.tokenId),
      });
      return reply.status(204).send();
    },
  );
}
