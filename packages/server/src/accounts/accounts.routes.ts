import { type Static, Type } from "typebox";
import { ApiError, forbidden } from "../http/api-error.js";
import { principalOf } from "../http/authentication.js";
import { actorName } from "../http/principal.js";
import { NoContent, responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";
import type { AccountsService, ActiveSession } from "./accounts.service.js";
import type { UserRecord } from "./accounts.store.js";
import { PASSWORD_MAX_LENGTH } from "./passwords.js";
import { assertCsrf, clearSessionCookie, sessionOf, setSessionCookie } from "./session-auth.js";

const RoleSchema = Type.Union([Type.Literal("reader"), Type.Literal("writer"), Type.Literal("admin")]);
const ProjectKey = Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" });

export const UserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  role: RoleSchema,
  projectKey: Type.Union([Type.String(), Type.Null()], { description: "null = every project" }),
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
});

const SessionSchema = Type.Object({
  user: UserSchema,
  csrfToken: Type.String({ description: "Send it in the x-csrf-token header of every write" }),
  expiresAt: Type.String({ format: "date-time" }),
});

const SignInBody = Type.Object(
  { email: Type.String({ maxLength: 320 }), password: Type.String({ maxLength: PASSWORD_MAX_LENGTH }) },
  { additionalProperties: false },
);

const NewUser = Type.Object(
  {
    email: Type.String({ maxLength: 320 }),
    role: RoleSchema,
    projectKey: Type.Optional(Type.Union([ProjectKey, Type.Null()])),
    password: Type.Optional(Type.String({ maxLength: PASSWORD_MAX_LENGTH })),
  },
  { additionalProperties: false },
);

const UserChanges = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    projectKey: Type.Optional(Type.Union([ProjectKey, Type.Null()])),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

const PasswordReset = Type.Object(
  { password: Type.Optional(Type.String({ maxLength: PASSWORD_MAX_LENGTH })) },
  { additionalProperties: false },
);

const UserParams = Type.Object({ userId: Type.Integer({ minimum: 1 }) });

const sessionView = (session: ActiveSession): Static<typeof SessionSchema> => ({
  user: session.user,
  csrfToken: session.csrfToken,
  expiresAt: new Date(session.expiresAt).toISOString(),
});

/** Managing people is for admins of every project: a project-scoped admin could otherwise widen itself. */
function assertUnscopedAdmin(principal: ReturnType<typeof principalOf>): void {
  if (principal.projectKey !== null) {
    throw forbidden("Managing users needs an admin of every project, not one scoped to a project");
  }
}

/** Sign-in, the current session and sign-out under /session; user management under /users (admins). */
export function accountRoutes(app: TypedApp, accounts: AccountsService) {
  const tags = ["accounts"];

  app.post(
    "/session",
    {
      config: { access: "public" },
      schema: { tags, body: SignInBody, response: responses("kameleoon", { 200: SessionSchema }) },
    },
    async (request, reply) => {
      const { sessionId, ...session } = await accounts.signIn(
        request.body.email,
        request.body.password,
        request.ip,
      );
      setSessionCookie(request, reply, sessionId, session.expiresAt);
      return sessionView(session);
    },
  );

  app.get(
    "/session",
    {
      config: { access: "public" },
      schema: { tags, response: responses("kameleoon", { 200: SessionSchema }) },
    },
    async (request) => {
      const found = await sessionOf(request, accounts);
      if (!found) throw new ApiError(401, "Not signed in");
      return sessionView(found.session);
    },
  );

  app.delete(
    "/session",
    { config: { access: "public" }, schema: { tags, response: responses("kameleoon", { 204: NoContent }) } },
    async (request, reply) => {
      const found = await sessionOf(request, accounts);
      if (found) {
        assertCsrf(request, found.session);
        await accounts.signOut(found.id);
      }
      clearSessionCookie(request, reply);
      return reply.status(204).send();
    },
  );

  app.get(
    "/users",
    {
      config: { access: "admin" },
      schema: { tags, response: responses("kameleoon", { 200: Type.Array(UserSchema) }) },
    },
    async (request) => {
      assertUnscopedAdmin(principalOf(request));
      return accounts.listUsers();
    },
  );

  app.post(
    "/users",
    {
      config: { access: "admin" },
      schema: {
        tags,
        body: NewUser,
        response: responses("kameleoon", {
          201: Type.Object({
            user: UserSchema,
            password: Type.Optional(Type.String({ description: "The generated password, shown once" })),
          }),
        }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      assertUnscopedAdmin(principal);
      return reply.status(201).send(await accounts.createUser(actorName(principal), request.body));
    },
  );

  app.patch(
    "/users/:userId",
    {
      config: { access: "admin" },
      schema: {
        tags,
        params: UserParams,
        body: UserChanges,
        response: responses("kameleoon", { 200: UserSchema }),
      },
    },
    async (request): Promise<UserRecord> => {
      const principal = principalOf(request);
      assertUnscopedAdmin(principal);
      if (principal.user?.id === request.params.userId) {
        // An admin locking itself out of user management cannot undo it from the console.
        const { disabled, role, projectKey } = request.body;
        if (disabled) throw new ApiError(400, "You cannot disable your own account");
        if ((role && role !== "admin") || projectKey) {
          throw new ApiError(400, "You cannot lower your own role or scope; ask another admin");
        }
      }
      return accounts.updateUser(actorName(principal), request.params.userId, request.body);
    },
  );

  app.post(
    "/users/:userId/password",
    {
      config: { access: "admin" },
      schema: {
        tags,
        params: UserParams,
        body: PasswordReset,
        response: responses("kameleoon", { 200: Type.Object({ password: Type.Optional(Type.String()) }) }),
      },
    },
    async (request) => {
      const principal = principalOf(request);
      assertUnscopedAdmin(principal);
      return accounts.resetPassword(actorName(principal), request.params.userId, request.body?.password);
    },
  );
}
