import type { Kysely } from "kysely";
import { startIdsAt, withIdColumn } from "../column-types.js";
import type { SqlDialect } from "../database.js";

/**
 * Feature flags (one JSON document per flag plus list columns), rule/variation id tables, references,
 * minimal experiments, segments, goals, and the project-level configuration version.
 */
export async function flagsMigration(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const bigint = dialect === "postgres" ? "bigint" : "integer";

  // Monotonic per project: bumped in the same transaction as every flag or segment change.
  await db.schema
    .alterTable("projects")
    .addColumn("config_version", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await withIdColumn(db.schema.createTable("flags"), dialect)
    .addColumn("project_key", "text", (c) => c.notNull().references("projects.key").onDelete("cascade"))
    .addColumn("feature_key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("health", "text", (c) => c.notNull().defaultTo("HEALTHY"))
    .addColumn("archived", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("document", "text", (c) => c.notNull())
    .addColumn("created_by_id", bigint)
    .addColumn("date_created", "text", (c) => c.notNull())
    .addColumn("date_modified", "text", (c) => c.notNull())
    .addColumn("date_content_modified", "text", (c) => c.notNull())
    .addColumn("locked_by", "text")
    .addColumn("locked_until", "text")
    .addUniqueConstraint("flags_project_feature_key", ["project_key", "feature_key"])
    .execute();
  await db.schema
    .createIndex("flags_project_archived")
    .on("flags")
    .columns(["project_key", "archived"])
    .execute();
  await startIdsAt(db, dialect, "flags", 100_001);

  await withIdColumn(db.schema.createTable("flag_rules"), dialect)
    .addColumn("flag_id", bigint, (c) => c.notNull().references("flags.id").onDelete("cascade"))
    .addColumn("environment_key", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("flag_rules_flag").on("flag_rules").column("flag_id").execute();
  await startIdsAt(db, dialect, "flag_rules", 400_001);

  await withIdColumn(db.schema.createTable("flag_variations"), dialect)
    .addColumn("flag_id", bigint, (c) => c.notNull().references("flags.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addUniqueConstraint("flag_variations_flag_key", ["flag_id", "key"])
    .execute();
  await startIdsAt(db, dialect, "flag_variations", 500_001);

  await db.schema
    .createTable("flag_references")
    .addColumn("flag_id", bigint, (c) => c.notNull().references("flags.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("ref_id", bigint, (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("flag_references_ref")
    .on("flag_references")
    .columns(["kind", "ref_id"])
    .execute();
  await db.schema.createIndex("flag_references_flag").on("flag_references").column("flag_id").execute();

  await withIdColumn(db.schema.createTable("experiments"), dialect)
    .addColumn("project_key", "text", (c) => c.notNull().references("projects.key").onDelete("cascade"))
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("flag_id", bigint, (c) => c.notNull().references("flags.id").onDelete("cascade"))
    .addColumn("rule_id", bigint, (c) => c.notNull().unique())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("experiments_project_env_key", ["project_key", "environment_key", "key"])
    .execute();
  await db.schema.createIndex("experiments_flag").on("experiments").column("flag_id").execute();
  await startIdsAt(db, dialect, "experiments", 900_001);

  await withIdColumn(db.schema.createTable("segments"), dialect)
    .addColumn("project_key", "text", (c) => c.notNull().references("projects.key").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("condition", "text")
    .addColumn("included", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("excluded", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("date_created", "text", (c) => c.notNull())
    .addColumn("date_modified", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("segments_project").on("segments").column("project_key").execute();
  await startIdsAt(db, dialect, "segments", 200_001);

  await withIdColumn(db.schema.createTable("goals"), dialect)
    .addColumn("project_key", "text", (c) => c.notNull().references("projects.key").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("event_key", "text", (c) => c.notNull())
    .addColumn("is_numeric", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("unit", "text")
    .addColumn("success_criteria", "text", (c) => c.notNull())
    .addColumn("unit_aggregation_type", "text", (c) => c.notNull())
    .addColumn("has_multiple_conversions", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("date_created", "text", (c) => c.notNull())
    .addColumn("date_modified", "text", (c) => c.notNull())
    .addUniqueConstraint("goals_project_key", ["project_key", "key"])
    .execute();
  await startIdsAt(db, dialect, "goals", 300_001);
}
