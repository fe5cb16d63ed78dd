import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../../platform/auth/index.ts';
import { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import type { JobRunner } from '../../platform/jobs/index.ts';
import { startIdleJobRunner } from '../../testing/idle-jobs.ts';
import { createTestDatabase, testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { insertPlaceFixture } from '../../testing/fixtures.ts';
import { submitAppeal, type AppealsDeps } from './appeals.service.ts';
import { findDuplicateCandidates, findReporters, mergeAppeal } from './duplicates.ts';

// About 30 m and 500 m east of the first report, at latitude 29.52.
const BASE = { lon: 106.42, lat: 29.52 };
const NEAR = { lon: 106.42031, lat: 29.52 };
const FAR = { lon: 106.42516, lat: 29.52 };

describe.each(testDatabaseKinds())('duplicate appeals on %s', (kind) => {
  let handle: DatabaseHandle;
  let jobs: JobRunner;
  let clock = new Date('2025-11-10T01:00:00Z');
  const desk = systemPrincipal('desk');
  const deps = (): AppealsDeps => ({ db: handle.db, jobs, cipher: new FieldCipher(new Uint8Array(32).fill(5)), now: () => clock });
  const report = (where: { lon: number; lat: number }, categoryCode: string, phone: string) =>
    submitAppeal(deps(), desk, { kind: 'complaint', door: 'snap', categoryCode, title: '井盖缺失', ...where, reporterName: `居民${phone.slice(-2)}`, reporterPhone: phone });

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    await insertPlaceFixture(handle.db);
    jobs = await startIdleJobRunner(handle);
  });
  afterAll(async () => {
    await jobs.stop();
    await handle.close();
  });

  it('finds reports of the same category within 100 m and 3 days, and merges them keeping every reporter', async () => {
    const first = await report(BASE, 'component.manhole', '13800000001');
    clock = new Date('2025-11-10T03:00:00Z');
    const near = await report(NEAR, 'component.manhole', '13800000002');
    const far = await report(FAR, 'component.manhole', '13800000003');
    const otherCategory = await report(NEAR, 'event.litter', '13800000004');
    clock = new Date('2025-11-15T03:00:00Z');
    const later = await report(NEAR, 'component.manhole', '13800000005');

    const candidates = await findDuplicateCandidates(handle.db, desk, first.matterId);
    expect(candidates.map((c) => c.id)).toEqual([near.matterId]);
    expect(candidates[0]!.distance_metres).toBeGreaterThan(20);
    expect(candidates[0]!.distance_metres).toBeLessThan(40);
    expect([far, otherCategory, later].map((r) => r.matterId)).not.toContain(candidates[0]!.id);

    await mergeAppeal(deps(), desk, near.matterId, first.matterId, '同一井盖');
    const merged = await handle.db.selectFrom('matters').select(['state', 'merged_into_id', 'closed_at']).where('id', '=', near.matterId).executeTakeFirstOrThrow();
    expect(merged).toMatchObject({ state: 'merged', merged_into_id: first.matterId });
    expect(merged.closed_at).not.toBeNull();
    const reporters = await findReporters(handle.db, first.matterId);
    expect(reporters.map((r) => r.reporter_phone_masked)).toEqual(['138****0001', '138****0002']);
  });

  it('refuses to merge appeals of different categories', async () => {
    const a = await report(BASE, 'component.manhole', '13800000011');
    const b = await report(NEAR, 'event.litter', '13800000012');
    await expect(mergeAppeal(deps(), desk, b.matterId, a.matterId, '误报')).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
