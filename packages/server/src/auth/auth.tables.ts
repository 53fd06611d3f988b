import type { Generated } from "kysely";

export interface AuthTables {
  access_tokens: {
    id: Generated<number>;
    name: string;
    token_hash: string;
    role: string;
    project_key: string | null;
    kind: string;
    created_at: string;
    expires_at: string | null;
    revoked: Generated<number>;
    /** The API token an OAuth access token was minted from (revoked with it). */
    parent_id: number | null;
  };
}
