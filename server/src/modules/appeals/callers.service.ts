import { appendAudit } from '../../platform/audit/index.ts';
import { auditActorOf, hasPermission, requirePermission, type Principal } from '../../platform/auth/index.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import type { AppServices } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { searchResidents } from '../people/index.ts';
import { findAppealsByPhoneIndex } from './callers.repository.ts';

/** How many earlier appeals and registry matches a lookup shows. */
const HISTORY_LIMIT = 20;
const RESIDENT_LIMIT = 10;
const MOBILE = /^1[3-9]\d{9}$/;
const PHONE = /^(1[3-9]\d{9}|0\d{9,11})$/;

/** What the agent sees about a caller: earlier appeals from the number and residents registered with it. */
export interface CallerProfile {
  phoneMasked: string;
  appeals: Array<{
    matterId: number;
    reference: string;
    title: string;
    state: string;
    categoryCode: string;
    kind: string;
    door: string;
    reporterName: string | null;
    phoneMasked: string | null;
    createdAt: string;
    closedAt: string | null;
  }>;
  residents: Array<{ id: number; name: string; gender: string; age: number; idNumberMasked: string; phoneMasked: string | null; placeName: string }>;
  /** False when the account may not read the registry, so `residents` was not searched. */
  isRegistrySearched: boolean;
}

/**
 * 来电查询: the earlier appeals made from a phone number (found through its blind index, so the
 * number is never stored or compared in clear) and the residents registered with it, all within
 * the agent's region and masked. The lookup is a read of personal data and is audited.
 */
export async function lookUpCaller(services: AppServices, principal: Principal, rawPhone: string): Promise<CallerProfile> {
  requirePermission(principal, 'matters:matter:create');
  const phone = rawPhone.replace(/[\s-]/g, '');
  if (!PHONE.test(phone)) throw new AppError('VALIDATION_FAILED', `phone ${phone} is not a valid number`, { fields: [{ field: 'phone', message: 'invalid' }] });
  // The intake desk may see who reported through doors that hide the reporter, as getAppeal allows.
  const withHidden = hasPermission(principal, 'matters:matter:dispatch');
  const phoneIndex = services.cipher.blindIndex(phone);
  const appeals = await findAppealsByPhoneIndex(services.db, principal, phoneIndex, { withHidden, limit: HISTORY_LIMIT });
  // The registry holds mobile numbers; searching it needs the registry permission of the account.
  const isRegistrySearched = MOBILE.test(phone) && hasPermission(principal, 'registry:resident:read');
  const residents = isRegistrySearched ? (await searchResidents(services, principal, { q: phone }, { limit: RESIDENT_LIMIT, offset: 0 })).items : [];
  const phoneMasked = maskPhone(phone);
  await services.db.transaction().execute((trx) =>
    appendAudit(trx, auditActorOf(principal), {
      action: 'appeal.caller_looked_up',
      entityType: 'caller',
      entityId: phoneMasked,
      // The blind index lets an auditor find every lookup of one number without the number in clear.
      details: { phoneIndex: Buffer.from(phoneIndex).toString('hex'), appeals: appeals.length, residents: residents.length },
    }),
  );
  return {
    phoneMasked,
    appeals: appeals.map((a) => ({
      matterId: a.id,
      reference: a.reference,
      title: a.title,
      state: a.state,
      categoryCode: a.category_code,
      kind: a.kind,
      door: a.door,
      reporterName: a.reporter_name,
      phoneMasked: a.reporter_phone_masked,
      createdAt: a.created_at.toISOString(),
      closedAt: a.closed_at === null ? null : new Date(a.closed_at).toISOString(),
    })),
    residents: residents.map((r) => ({ id: r.id, name: r.name, gender: r.gender, age: r.age, idNumberMasked: r.idNumberMasked, phoneMasked: r.phoneMasked, placeName: r.placeName })),
    isRegistrySearched,
  };
}
