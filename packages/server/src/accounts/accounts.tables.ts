import type { Generated } from "kysely";

/** People who sign in to the console, their sessions and failed sign-in counters. */
export interface AccountsTables {
  users: {
    id: Generated<number>;
    email: string;
    password_hash: string;
    role: string;
    project_key: string | null;
    disabled: Generated<number>;
    created_at: number;
    updated_at: number;
  };
  sessions: {
    /** SHA-256 of the cookie's value: a stolen database cannot be replayed as cookies. */
    id_hash: string;
    user_id: number;
    csrf_token: string;
    created_at: number;
    last_seen_at: number;
    expires_at: number;
  };
  login_throttle: {
    /** `account:<email>` or `address:<ip>`. */
    key: string;
    failures: number;
    window_start: number;
    blocked_until: number | null;
  };
}
