import type { Generated } from "kysely";

export interface AuditTables {
  audit_log: {
    id: Generated<number>;
    project_key: string | null;
    actor: string;
    action: string;
    resource_type: string;
    resource_id: string;
    before_json: string | null;
    after_json: string | null;
    at: string;
  };
}
