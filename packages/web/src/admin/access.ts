import type { Session } from "../api/types.js";

const rank = { reader: 0, writer: 1, admin: 2 } as const;
export type Role = keyof typeof rank;

/** Whether the signed-in person holds at least `role` in a project (null: in every project). */
export function holds(session: Session | null | undefined, role: Role, projectKey: string | null): boolean {
  if (!session) return false;
  const { role: held, projectKey: scope } = session.user;
  return rank[held] >= rank[role] && (scope === null || scope === projectKey);
}

/** The roles a person may hand out (a token or user never gets more than its creator holds). */
export function grantableRoles(session: Session | null | undefined): Role[] {
  if (!session) return [];
  return (Object.keys(rank) as Role[]).filter((role) => rank[role] <= rank[session.user.role]);
}

/** The name an audit entry's actor ("user:3:ada@example.com", "token:1:ci") shows as. */
export function actorLabel(actor: string): string {
  return actor.replace(/^(user|token):\d+:/, "");
}
