import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";

const TokenRequest = Type.Object({
  grant_type: Type.String(),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String()),
});

/** RFC 6749's token response and error body. */
const AccessToken = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal("Bearer"),
  expires_in: Type.Integer({ description: "seconds" }),
});
// Every error of the token endpoint, the schema's and the rate limit's included, is RFC 6749's body.
const tokenResponses = responses("oauth", { 200: AccessToken });

/**
 * Client credentials from the form body or from HTTP Basic authentication (RFC 6749 section 2.3.1, where
 * both parts are form-urlencoded); null when the Basic header is malformed.
 */
function clientCredentials(
  body: { client_id?: string | undefined; client_secret?: string | undefined },
  authorization?: string,
): { clientId: string | undefined; clientSecret: string | undefined } | null {
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? "");
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon <= 0) return null;
    try {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    } catch {
      return null;
    }
  }
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

/**
 * POST /oauth/token, Kameleoon style: `grant_type=client_credentials` with `client_id` = the API token's
 * client id (`vexil-<tokenId>`) and `client_secret` = the API token. Answers a short-lived bearer token with
 * the same role and project scope. Errors follow RFC 6749 (`{error, error_description}`).
 */
export function oauthRoutes(app: TypedApp, context: AppContext) {
  app.post(
    "/oauth/token",
    {
      config: { access: "public", checksCredentials: true },
      schema: { tags: ["auth"], body: TokenRequest, response: tokenResponses },
    },
    async (request, reply) => {
      const oauthError = (status: number, error: string, description: string) =>
        reply.status(status).send({ error, error_description: description });
      if (request.body.grant_type !== "client_credentials") {
        return oauthError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported");
      }
      const credentials = clientCredentials(request.body, request.headers.authorization);
      if (!credentials) {
        return oauthError(400, "invalid_request", "Malformed HTTP Basic credentials: base64 of id:secret");
      }
      const { clientId, clientSecret } = credentials;
      if (!clientId || !clientSecret) {
        return oauthError(400, "invalid_request", "client_id and client_secret are required");
      }
      const principal = await context.services.tokens.verify(clientSecret, context.now());
      if (principal?.kind !== "api" || clientId !== `vexil-${principal.tokenId}`) {
        return oauthError(401, "invalid_client", "Unknown client or wrong secret");
      }
      const ttl = context.config.oauthTokenTtlSeconds;
      const accessToken = await context.services.tokens.issueOAuthToken(principal, ttl);
      reply.header("cache-control", "no-store");
      return { access_token: accessToken, token_type: "Bearer", expires_in: ttl };
    },
  );
}
