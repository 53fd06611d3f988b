import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { principalOf } from "../http/authentication.js";
import { actorName, assertProjectAccess, assertRole, type Principal, type Role } from "../http/principal.js";
import { NoContent, Nullable, responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";
import { tokenView } from "./tokens.service.js";

const NewToken = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    role: Type.Union([Type.Literal("reader"), Type.Literal("writer"), Type.Literal("admin")]),
    projectKey: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" })),
  },
  { additionalProperties: false },
);

/** An API or OAuth token as /tokens shows it (never its secret, but once at creation). */
const TokenViewSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: Type.Enum(["reader", "writer", "admin"]),
  projectKey: Nullable(Type.String()),
  kind: Type.Enum(["api", "oauth"]),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  clientId: Type.String({ description: "the OAuth client_id of this API token" }),
});
const CreatedTokenSchema = Type.Object({
  ...TokenViewSchema.properties,
  token: Type.String({ description: "the secret, shown this once" }),
});

/**
 * A token never grants more than its creator holds: a role up to the creator's, and a creator scoped to a
 * project creates tokens of that project only. Throws 403 saying which.
 */
export function assertGrantable(creator: Principal, wanted: { role: Role; projectKey?: string | undefined }) {
  assertRole(creator, wanted.role);
  if (creator.projectKey === null) return;
  if (wanted.projectKey === undefined) {
    throw new ApiError(
      403,
      `The token is scoped to project '${creator.projectKey}': body.projectKey must be '${creator.projectKey}'`,
    );
  }
  assertProjectAccess(creator, wanted.projectKey);
}

/**
 * Admin-only token management under /tokens. An admin scoped to a project lists, creates and revokes that
 * project's tokens only; other tokens answer 404 to it, as if they did not exist.
 */
export function tokenRoutes(app: TypedApp, context: AppContext) {
  const service = context.services.tokens;
  const tags = ["auth"];
  const listResponse = responses("kameleoon", { 200: Type.Array(TokenViewSchema) });
  app.get(
    "/tokens",
    { config: { access: "admin" }, schema: { tags, response: listResponse } },
    async (request) => (await service.list(principalOf(request).projectKey)).map(tokenView),
  );

  app.post(
    "/tokens",
    {
      config: { access: "admin" },
      schema: { tags, body: NewToken, response: responses("kameleoon", { 201: CreatedTokenSchema }) },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      assertGrantable(principal, request.body);
      const { token, record } = await service.create(actorName(principal), request.body);
      return reply.status(201).send({ ...tokenView(record), token });
    },
  );

  app.delete(
    "/tokens/:tokenId",
    {
      config: { access: "admin" },
      schema: {
        tags,
        params: Type.Object({ tokenId: Type.Integer() }),
        response: responses("kameleoon", { 204: NoContent }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await service.revoke(actorName(principal), principal.projectKey, request.params.tokenId);
      await app.forgetVerifiedTokens();
      return reply.status(204).send();
    },
  );
}
