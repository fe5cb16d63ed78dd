export { appendAudit, appendAudits, sealAuditTrail, findAuditEntries, canonicalJson, type AuditActor, type AuditEntry, type AuditQuery } from './audit.repository.ts';
export { verifyAuditChain, type AuditVerification, type AuditProblem } from './audit.service.ts';
export { auditSealer } from './audit-sealer.ts';
