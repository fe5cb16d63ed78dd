import type { Db } from '../db/database.ts';
import type { Ticker } from '../jobs/index.ts';
import { sealAuditTrail } from './audit.repository.ts';

/** How often a working process seals new audit entries into the chain. */
export const AUDIT_SEAL_INTERVAL_MS = 1000;

/** The ticker that seals the audit trail every second (and when the process stops). */
export function auditSealer(db: Db): Ticker {
  return { id: 'audit-seal', everyMs: AUDIT_SEAL_INTERVAL_MS, run: () => sealAuditTrail(db) };
}
