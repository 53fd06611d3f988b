import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import type { SqlDialect } from "./database.js";
import { coreMigration } from "./migrations/0001-core.js";
import { flagsMigration } from "./migrations/0002-flags.js";
import { sdkDeliveryMigration } from "./migrations/0003-sdk-delivery.js";
import { jobsResultsMigration } from "./migrations/0004-jobs-results.js";
import { experimentsMigration } from "./migrations/0005-experiments.js";
import { automationMigration } from "./migrations/0006-automation.js";
import { notificationsMigration } from "./migrations/0007-notifications.js";
import { accountsMigration } from "./migrations/0008-accounts.js";
import { frequencyUnitsMigration } from "./migrations/0009-frequency-units.js";
import { tokenParentsMigration } from "./migrations/0010-token-parents.js";
import { launchDarklyDialectMigration } from "./migrations/0011-launchdarkly-dialect.js";
import { flagEnvironmentStatesMigration } from "./migrations/0012-flag-environment-states.js";
import { goalCappingMigration } from "./migrations/0013-goal-capping.js";

/** A migration that may need to know the dialect (ids, column types). */
export type DialectMigration = (db: Kysely<unknown>, dialect: SqlDialect) => Promise<void>;

// One ordered list for both dialects; names sort in apply order.
const migrations: Record<string, DialectMigration> = {
  "0001-core": coreMigration,
  "0002-flags": flagsMigration,
  "0003-sdk-delivery": sdkDeliveryMigration,
  "0004-jobs-results": jobsResultsMigration,
  "0005-experiments": experimentsMigration,
  "0006-automation": automationMigration,
  "0007-notifications": notificationsMigration,
  "0008-accounts": accountsMigration,
  "0009-frequency-units": frequencyUnitsMigration,
  "0010-token-parents": tokenParentsMigration,
  "0011-launchdarkly-dialect": launchDarklyDialectMigration,
  "0012-flag-environment-states": flagEnvironmentStatesMigration,
  "0013-goal-capping": goalCappingMigration,
};

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: SqlDialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(migrations).map(([name, up]) => [
        name,
        { up: (db: Kysely<unknown>) => up(db, this.dialect) },
      ]),
    );
  }
}

/** Brings the configuration database up to the latest schema; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: SqlDialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
