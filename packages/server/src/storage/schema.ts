import type { AccountsTables } from "../accounts/accounts.tables.js";
import type { AuditTables } from "../audit/audit.tables.js";
import type { AuthTables } from "../auth/auth.tables.js";
import type { AutomationTables } from "../automation/automation.tables.js";
import type { ExperimentsTables } from "../experiments/experiments.tables.js";
import type { FlagsTables } from "../flags/flags.tables.js";
import type { GoalsTables } from "../goals/goals.tables.js";
import type { JobsTables } from "../jobs/jobs.tables.js";
import type { NotificationsTables } from "../notifications/notifications.tables.js";
import type { ProjectsTables } from "../projects/projects.tables.js";
import type { SdkDeliveryTables } from "../sdk-delivery/sdk-delivery.tables.js";
import type { SegmentsTables } from "../segments/segments.tables.js";

/**
 * Every configuration table; each capability declares its own tables beside its store. `experiments` is
 * created by the flags migration and extended by the experiments one, so its type comes from the latter.
 */
export interface Database
  extends ProjectsTables,
    AuthTables,
    AuditTables,
    Omit<FlagsTables, "experiments">,
    SegmentsTables,
    GoalsTables,
    SdkDeliveryTables,
    JobsTables,
    ExperimentsTables,
    AutomationTables,
    NotificationsTables,
    AccountsTables {}
