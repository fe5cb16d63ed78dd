import { appendAudit, type AuditActor } from '../../platform/audit/index.ts';
import type { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import type { Db } from '../../platform/db/database.ts';
import type { NewOrganisation } from '../../platform/db/schema.ts';
import { findPlaceByCode, insertPlaces, invalidatePlaceIndex, loadPlaceDirectory } from '../places/index.ts';
import type { DemoPlace } from './city-generator.ts';
import type { DemoOrganisation } from './organisation-generator.ts';
import { hasOrganisationWithCreditCode, insertOrganisationRows } from './seed.repository.ts';

/** The audit subject of demo data written from the command line. */
export const DEMO_ACTOR: AuditActor = { userId: null, name: 'demo', ip: null };

/** Organisation rows per INSERT (and per audit entry). */
const ORGANISATION_BATCH_SIZE = 500;

/** What a seed step did; `isSkipped` when the data was already there. */
export interface SeedResult {
  inserted: number;
  isSkipped: boolean;
}

/**
 * Inserts the demo city's places in one transaction, in batches with one audit entry each.
 * Idempotent: when the city's code is already registered nothing is written.
 */
export async function seedPlaces(db: Db, places: readonly DemoPlace[], actor: AuditActor = DEMO_ACTOR): Promise<SeedResult> {
  const root = places.find((place) => place.parentCode === null);
  if (!root) return { inserted: 0, isSkipped: true };
  const result = await db.transaction().execute(async (trx) => {
    if (await findPlaceByCode(trx, root.code)) return { inserted: 0, isSkipped: true };
    const { inserted } = await insertPlaces(
      trx,
      places.map((place) => ({
        code: place.code,
        name: place.name,
        level: place.level,
        parentCode: place.parentCode,
        boundary: place.boundary,
        centerLon: place.centerLon,
        centerLat: place.centerLat,
      })),
      actor,
    );
    return { inserted, isSkipped: false };
  });
  // Inserting inside our transaction already invalidated once; again now that the rows are visible.
  invalidatePlaceIndex();
  return result;
}

/**
 * Inserts the demo organisations in one transaction, parents before children (government →
 * departments and street offices → committees), phones encrypted and masked as an import would.
 * Idempotent: when the first organisation's credit code is registered nothing is written.
 */
export async function seedOrganisations(
  db: Db,
  organisations: readonly DemoOrganisation[],
  cipher: FieldCipher,
  actor: AuditActor = DEMO_ACTOR,
): Promise<SeedResult> {
  const first = organisations[0];
  if (!first) return { inserted: 0, isSkipped: true };
  return db.transaction().execute(async (trx) => {
    if (await hasOrganisationWithCreditCode(trx, first.creditCode)) return { inserted: 0, isSkipped: true };
    const places = await loadPlaceDirectory(trx, '');
    const ids = new Map<string, number>();
    let pending = [...organisations];
    let inserted = 0;
    while (pending.length > 0) {
      // Each round writes the organisations whose parent already has an id.
      const ready = pending.filter((o) => o.parentCreditCode === null || ids.has(o.parentCreditCode));
      if (ready.length === 0) {
        throw new Error(`organisation ${pending[0]!.creditCode} names a parent ${pending[0]!.parentCreditCode} that is not in the list`);
      }
      const readySet = new Set(ready);
      pending = pending.filter((o) => !readySet.has(o));
      for (let start = 0; start < ready.length; start += ORGANISATION_BATCH_SIZE) {
        const batch = ready.slice(start, start + ORGANISATION_BATCH_SIZE);
        const rows = batch.map((organisation): NewOrganisation => {
          const place = places.get(organisation.placeCode);
          if (!place) throw new Error(`organisation ${organisation.creditCode} lies in unknown place ${organisation.placeCode}`);
          const phone = organisation.phone.replace(/[\s-]/g, '');
          return {
            kind: organisation.kind,
            name: organisation.name,
            credit_code: organisation.creditCode,
            parent_id: organisation.parentCreditCode === null ? null : ids.get(organisation.parentCreditCode)!,
            place_id: place.id,
            scope_path: place.path,
            legal_representative: organisation.legalRepresentative,
            phone_enc: cipher.encrypt(phone),
            phone_masked: maskPhone(phone),
            address: organisation.address,
          };
        });
        const created = await insertOrganisationRows(trx, rows);
        for (const row of created) if (row.credit_code) ids.set(row.credit_code, row.id);
        inserted += created.length;
        await appendAudit(trx, actor, {
          action: 'organisation.created',
          entityType: 'organisation',
          details: { source: 'demo', count: created.length, kinds: [...new Set(batch.map((o) => o.kind))] },
        });
      }
    }
    return { inserted, isSkipped: false };
  });
}
