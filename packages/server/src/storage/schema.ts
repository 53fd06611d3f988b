import type { AuditTables } from "../audit/audit.tables.js";
import type { AuthTables } from "../auth/auth.tables.js";
import type { ProjectsTables } from "../projects/projects.tables.js";

/** Every configuration table; each capability declares its own tables beside its store. */
export interface Database extends ProjectsTables, AuthTables, AuditTables {}
