import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type { Db } from './database.ts';
import * as foundation from './migrations/0001-foundation.ts';
import * as matters from './migrations/0002-matters.ts';
import * as appeals from './migrations/0003-appeals.ts';
import * as open311 from './migrations/0004-open311.ts';
import * as merge from './migrations/0005-merge.ts';
import * as attachments from './migrations/0006-attachments.ts';
import * as assignment from './migrations/0007-assignment.ts';
import * as knowledgeBase from './migrations/0008-knowledge-base.ts';
import * as residentReports from './migrations/0009-resident-reports.ts';
import * as auditSealing from './migrations/0010-audit-sealing.ts';
import * as kpiRollups from './migrations/0011-kpi-rollups.ts';
import * as referenceVersions from './migrations/0012-reference-versions.ts';
import * as comparison from './migrations/0013-comparison.ts';
import * as accountVersions from './migrations/0014-account-versions.ts';
import * as assistancePolicies from './migrations/0015-assistance-policies.ts';
import * as pendingDeadlines from './migrations/0016-pending-deadlines.ts';
import * as assistanceApplications from './migrations/0017-assistance-applications.ts';
import * as assistanceDiscovery from './migrations/0018-assistance-discovery.ts';
import * as registryPlaceIndex from './migrations/0019-registry-place-index.ts';
import * as statementReferences from './migrations/0020-statement-references.ts';

/** Every migration, in order. A new file in `./migrations` is added here too. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-matters': matters,
  '0003-appeals': appeals,
  '0004-open311': open311,
  '0005-merge': merge,
  '0006-attachments': attachments,
  '0007-assignment': assignment,
  '0008-knowledge-base': knowledgeBase,
  '0009-resident-reports': residentReports,
  '0010-audit-sealing': auditSealing,
  '0011-kpi-rollups': kpiRollups,
  '0012-reference-versions': referenceVersions,
  '0013-comparison': comparison,
  '0014-account-versions': accountVersions,
  '0015-assistance-policies': assistancePolicies,
  '0016-pending-deadlines': pendingDeadlines,
  '0017-assistance-applications': assistanceApplications,
  '0018-assistance-discovery': assistanceDiscovery,
  '0019-registry-place-index': registryPlaceIndex,
  '0020-statement-references': statementReferences,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date; throws with the failing migration's error. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
