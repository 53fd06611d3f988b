import type { AppContext } from "../app-context.js";
import type { Role } from "../http/principal.js";
import { generateToken, type TokenRecord } from "./tokens.store.js";

/** A token as the API shows it (with its OAuth client id). */
export const tokenView = (record: TokenRecord) => ({ ...record, clientId: `vexil-${record.id}` });

/** Creates an API token (the secret is returned once and stored only as its hash). */
export async function createApiToken(
  context: AppContext,
  actor: string,
  input: { name: string; role: Role; projectKey?: string | undefined },
): Promise<{ token: string; record: TokenRecord }> {
  // 404 for an unknown project.
  if (input.projectKey) await context.services.projects.get(input.projectKey);
  const token = generateToken();
  const record = await context.tokens.create({
    token,
    name: input.name,
    role: input.role,
    projectKey: input.projectKey ?? null,
    kind: "api",
  });
  await context.outbox.publish(context.db, {
    projectKey: input.projectKey ?? null,
    actor,
    action: "token.create",
    resourceType: "token",
    resourceId: String(record.id),
    after: tokenView(record),
  });
  return { token, record };
}
