import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import type { Principal, Role } from "../http/principal.js";
import { generateToken, type TokenRecord, tokensStore } from "./tokens.store.js";

/** A token as the API shows it (with its OAuth client id). */
export const tokenView = (record: TokenRecord) => ({ ...record, clientId: `vexil-${record.id}` });

/** API tokens and the OAuth access tokens minted from them: created, verified, listed, revoked. */
export class TokensService {
  constructor(private readonly context: AppContext) {}

  /** The principal a presented token stands for, or null when unknown, revoked or expired. */
  verify(token: string, now = Date.now()): Promise<(Principal & { kind: string }) | null> {
    return tokensStore.verify(this.context.db, token, now);
  }

  /** Live API tokens (never their secrets), of one project only when `projectKey` is given. */
  list(projectKey: string | null): Promise<TokenRecord[]> {
    return tokensStore.list(this.context.db, projectKey);
  }

  /** Creates an API token (the secret is returned once and stored only as its hash), audited with it. */
  async create(
    actor: string,
    input: { name: string; role: Role; projectKey?: string | undefined },
  ): Promise<{ token: string; record: TokenRecord }> {
    // 404 for an unknown project.
    if (input.projectKey) await this.context.services.projects.get(input.projectKey);
    const token = generateToken();
    const record = await this.context.db.transaction().execute(async (trx) => {
      const created = await tokensStore.create(trx, {
        token,
        name: input.name,
        role: input.role,
        projectKey: input.projectKey ?? null,
        kind: "api",
      });
      await this.context.outbox.publish(trx, {
        projectKey: input.projectKey ?? null,
        actor,
        action: "token.create",
        resourceType: "token",
        resourceId: String(created.id),
        after: tokenView(created),
      });
      return created;
    });
    return { token, record };
  }

  /**
   * Revokes an API token (and the OAuth tokens minted from it), audited with it. A caller scoped to a
   * project sees that project's tokens only: any other answers 404, as if it did not exist.
   */
  async revoke(actor: string, scope: string | null, tokenId: number): Promise<void> {
    await this.context.db.transaction().execute(async (trx) => {
      const existing = await tokensStore.find(trx, tokenId);
      const visible = existing && (scope === null || existing.projectKey === scope);
      if (!visible || !(await tokensStore.revoke(trx, tokenId))) {
        throw new ApiError(404, `Token ${tokenId} not found`);
      }
      await this.context.outbox.publish(trx, {
        projectKey: existing.projectKey,
        actor,
        action: "token.revoke",
        resourceType: "token",
        resourceId: String(tokenId),
      });
    });
  }

  /** Mints an OAuth access token for an API token's principal (expired ones are dropped first). */
  async issueOAuthToken(parent: Principal, ttlSeconds: number): Promise<string> {
    const accessToken = generateToken("vxo");
    await tokensStore.deleteExpired(this.context.db, this.context.now());
    await tokensStore.create(this.context.db, {
      token: accessToken,
      name: `oauth:${parent.name}`,
      role: parent.role,
      projectKey: parent.projectKey,
      kind: "oauth",
      parentId: parent.tokenId,
      expiresAt: new Date(this.context.now() + ttlSeconds * 1000).toISOString(),
    });
    return accessToken;
  }
}
