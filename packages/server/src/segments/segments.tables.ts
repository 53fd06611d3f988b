import type { Generated } from "kysely";

export interface SegmentsTables {
  segments: {
    id: Generated<number>;
    project_key: string;
    name: string;
    description: string;
    /** JSON array of strings. */
    tags: string;
    /** JSON condition tree, or null (only `included` visitors match). */
    condition: string | null;
    /** JSON arrays of visitor codes. */
    included: string;
    excluded: string;
    version: number;
    date_created: string;
    date_modified: string;
  };
}
