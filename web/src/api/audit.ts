import { postJson } from './client';
import { endpoint, type PageQuery } from './endpoint';
import type { AuditEntry, AuditVerification, Page } from './types';

/** Filters of the audit log. */
export interface AuditFilters {
  /** Action prefix, e.g. `resident.` */
  action?: string;
  entityType?: string;
  /** ISO instants, inclusive. */
  from?: string;
  to?: string;
}

/** One page of audit entries, newest first. */
export function auditEndpoint(filters: AuditFilters & PageQuery) {
  return endpoint<Page<AuditEntry>>('/api/audit', { ...filters });
}

/** Re-computes the hash chain on the server. */
export function verifyAuditChain(): Promise<AuditVerification> {
  return postJson<AuditVerification>('/api/audit/verify');
}
