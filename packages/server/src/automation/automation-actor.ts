import type { Actor } from "../http/write-guards.js";

/**
 * Who automatic changes are made by: the audit log's actor (Kameleoon's createdById: none). Tasks import it
 * from here (automation-tasks.ts re-exports it), so no task module imports the task list.
 */
export const AUTOMATION_ACTOR: Actor = { name: "automation", id: null };
