import type { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import type { Db } from '../../platform/db/database.ts';
import type { PreparerSpec, RowImporter } from '../../platform/imports/index.ts';
import { loadPlaceDirectory } from '../places/index.ts';
import * as repo from './people.repository.ts';
import type { PlaceRef } from './resident.prepare.ts';
import type { ImportedResident, PeoplePreparerContext, PreparedHousehold } from './people.preparer.ts';

/** Header spellings accepted for each resident column (the template uses the first). */
export const RESIDENT_COLUMNS: Record<string, string[]> = {
  id_number: ['id_number', '公民身份号码', '身份证号', '身份证号码', '证件号码'],
  name: ['name', '姓名'],
  gender: ['gender', '性别'],
  birth_date: ['birth_date', '出生日期'],
  phone: ['phone', '联系电话', '手机号码', '电话'],
  address: ['address', '详细地址', '住址', '地址'],
  place_code: ['place_code', '网格编码', '所属网格编码', '区划编码'],
  household_number: ['household_number', '户编号', '户号'],
  relation_to_head: ['relation_to_head', '与户主关系'],
  ethnicity: ['ethnicity', '民族'],
  tags: ['tags', '标签', '人员类别'],
};

/** Header spellings accepted for each household column. */
export const HOUSEHOLD_COLUMNS: Record<string, string[]> = {
  household_number: ['household_number', '户编号', '户号'],
  place_code: ['place_code', '网格编码', '所属网格编码', '区划编码'],
  address: ['address', '详细地址', '住址', '地址'],
};

const PREPARER = new URL('./people.preparer.ts', import.meta.url).href;

async function preparerContext(db: Db, cipher: FieldCipher, scopePath: string, kind: PeoplePreparerContext['kind']): Promise<PreparerSpec<PeoplePreparerContext>> {
  const directory = await loadPlaceDirectory(db, scopePath);
  const places = [...directory].map(([code, place]): [string, PlaceRef] => [code, { id: place.id, path: place.path }]);
  return { module: PREPARER, context: { kind, masterKey: cipher.exportMasterKey(), places } };
}

/**
 * Residents from a file (rows prepared by people.preparer.ts); households named in the file are
 * created on the fly in the resident's place.
 */
export function residentImporter(cipher: FieldCipher, scopePath: string): RowImporter<ImportedResident, PeoplePreparerContext> {
  return {
    kind: 'residents',
    columns: RESIDENT_COLUMNS,
    required: ['id_number', 'name', 'place_code'],
    loadPreparer: (db) => preparerContext(db, cipher, scopePath, 'residents'),
    async writeBatch(trx, batch) {
      // A resident registered outside the importer's region is refused, never moved or overwritten.
      const foreign = await repo.findResidentsOutsideScope(trx, batch.map((r) => r.value.indexKey), scopePath);
      const problems = batch
        .filter((r) => foreign.has(r.value.indexKey))
        .map((r) => ({ rowNumber: r.rowNumber, field: 'id_number', reason: 'this person is registered outside your region; ask that region to transfer the record' }));
      const rows = batch.filter((r) => !foreign.has(r.value.indexKey));
      const households = new Map<string, repo.HouseholdPlace>();
      for (const { value } of rows) {
        if (value.householdNumber && !households.has(value.householdNumber)) {
          households.set(value.householdNumber, { household_number: value.householdNumber, place_id: value.placeId, place_path: value.placePath });
        }
      }
      await repo.ensureHouseholds(trx, [...households.values()]);
      const written = await repo.upsertResidents(trx, rows.map(({ value }) => value.record));
      return { inserted: written.inserted, updated: written.updated, problems };
    },
  };
}

/** Households from a file, keyed on the household number. */
export function householdImporter(cipher: FieldCipher, scopePath: string): RowImporter<PreparedHousehold, PeoplePreparerContext> {
  return {
    kind: 'households',
    columns: HOUSEHOLD_COLUMNS,
    required: ['household_number', 'place_code'],
    loadPreparer: (db) => preparerContext(db, cipher, scopePath, 'households'),
    async writeBatch(trx, batch) {
      const foreign = await repo.findHouseholdsOutsideScope(trx, batch.map((r) => r.value.row.household_number), scopePath);
      const problems = batch
        .filter((r) => foreign.has(r.value.row.household_number))
        .map((r) => ({ rowNumber: r.rowNumber, field: 'household_number', reason: 'this household is registered outside your region' }));
      const written = await repo.upsertHouseholds(trx, batch.filter((r) => !foreign.has(r.value.row.household_number)).map((r) => r.value.row));
      return { inserted: written.inserted, updated: written.updated, problems };
    },
  };
}
