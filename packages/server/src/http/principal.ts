import { ApiError } from "./api-error.js";

export type Role = "reader" | "writer" | "admin";
export const roles: readonly Role[] = ["reader", "writer", "admin"];

/** Who is calling the management API: the token's role and optional project scope. */
export interface Principal {
  tokenId: number;
  name: string;
  role: Role;
  /** null = every project. */
  projectKey: string | null;
  /** Set when a person signed in to the console (session cookie) rather than a token. */
  user?: { id: number; email: string };
}

const rank: Record<Role, number> = { reader: 0, writer: 1, admin: 2 };

/** Throws 403 unless the principal's role is at least `required`. */
export function assertRole(principal: Principal, required: Role): void {
  if (rank[principal.role] < rank[required]) {
    throw new ApiError(403, `This action needs the ${required} role; the token has ${principal.role}`);
  }
}

/** Throws 403 when the token is scoped to another project. */
export function assertProjectAccess(principal: Principal, projectKey: string): void {
  if (principal.projectKey !== null && principal.projectKey !== projectKey) {
    throw new ApiError(403, `The token is scoped to project '${principal.projectKey}', not '${projectKey}'`);
  }
}

/** How the audit log names the principal. */
export function actorName(principal: Principal): string {
  if (principal.user) return `user:${principal.user.id}:${principal.user.email}`;
  return `token:${principal.tokenId}:${principal.name}`;
}
