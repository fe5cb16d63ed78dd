import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal, type Principal } from '../../platform/auth/index.ts';
import { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import type { JobRunner } from '../../platform/jobs/index.ts';
import { startIdleJobRunner } from '../../testing/idle-jobs.ts';
import { createTestDatabase, testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { insertPlaceFixture, PATHS } from '../../testing/fixtures.ts';
import { getAppeal, submitAppeal, type AppealsDeps } from './appeals.service.ts';
import { MATTER_WARN_JOB } from '../matters/index.ts';

describe.each(testDatabaseKinds())('appeal intake on %s', (kind) => {
  let handle: DatabaseHandle;
  let jobs: JobRunner;
  let places: Awaited<ReturnType<typeof insertPlaceFixture>>;
  const desk = systemPrincipal('hotline');
  const deps = (): AppealsDeps => ({ db: handle.db, jobs, cipher: new FieldCipher(new Uint8Array(32).fill(3)) });

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    places = await insertPlaceFixture(handle.db);
    jobs = await startIdleJobRunner(handle);
  });
  afterAll(async () => {
    await jobs.stop();
    await handle.close();
  });

  it('finds the grid of a snap-and-report by its coordinate and sends a minor matter to the community', async () => {
    const result = await submitAppeal(deps(), desk, { kind: 'complaint', door: 'snap', categoryCode: 'event.corridor_clutter', title: '楼道堆放纸箱', lon: 106.41, lat: 29.51 });
    expect(result.decision).toEqual({ scale: 'minor', handlerLevel: 'community', organisationId: null, ruleId: null });
    const matter = await handle.db.selectFrom('matters').select(['place_id', 'place_path', 'state']).where('id', '=', result.matterId).executeTakeFirstOrThrow();
    expect(matter).toEqual({ place_id: places.gridA, place_path: PATHS.gridA, state: 'received' });
  });

  it('routes by a rule stored as data, naming the department', async () => {
    const department = await handle.db
      .insertInto('organisations')
      .values({ kind: 'department', name: '沙坪坝区城市管理局', scope_path: PATHS.district })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rule = await handle.db
      .insertInto('triage_rules')
      .values({ priority: 10, category_prefix: 'component.streetlight', place_path: PATHS.district, scale: 'major', handler_level: 'department', organisation_id: department.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const result = await submitAppeal(deps(), desk, { kind: 'help', door: 'hotline', categoryCode: 'component.streetlight', title: '路灯不亮', placeId: places.gridB, reporterPhone: '13800001111' });
    expect(result.decision).toEqual({ scale: 'major', handlerLevel: 'department', organisationId: department.id, ruleId: rule.id });
    expect(await getAppeal(deps(), desk, result.matterId)).toMatchObject({ handlerOrganisationId: department.id, reporterPhoneMasked: '138****1111' });
    const matter = await handle.db.selectFrom('matters').select('assignee_organisation_id').where('id', '=', result.matterId).executeTakeFirstOrThrow();
    expect(matter.assignee_organisation_id).toBe(department.id);
  });

  it('hands a private dispute back to the resident', async () => {
    const result = await submitAppeal(deps(), desk, { kind: 'help', door: 'hotline', categoryCode: 'livelihood.private_dispute', title: '家庭财产纠纷', placeId: places.gridA });
    expect(result.decision).toMatchObject({ scale: 'private', handlerLevel: 'resident' });
  });

  it('hides a 12350 reporter from everyone but the intake desk', async () => {
    const result = await submitAppeal(deps(), desk, { kind: 'report', door: 'work_safety', categoryCode: 'livelihood.work_safety', title: '工地无防护作业', placeId: places.gridA, reporterName: '匿名工人', reporterPhone: '13900002222' });
    const gridWorker: Principal = { ...desk, via: 'session', userId: 5, permissions: new Set(['matters:matter:read', 'matters:matter:handle']), scopePath: PATHS.gridA };
    expect(await getAppeal(deps(), gridWorker, result.matterId)).toMatchObject({ reporterName: null, reporterPhoneMasked: null, isReporterHidden: true });
    expect(await getAppeal(deps(), desk, result.matterId)).toMatchObject({ reporterName: '匿名工人', reporterPhoneMasked: '139****2222' });
  });

  it('refuses a location outside every grid and an unknown category', async () => {
    await expect(submitAppeal(deps(), desk, { kind: 'complaint', door: 'snap', categoryCode: 'event.litter', title: '垃圾', lon: 100, lat: 20 })).rejects.toMatchObject({ code: 'PLACE_NOT_FOUND' });
    await expect(submitAppeal(deps(), desk, { kind: 'complaint', door: 'snap', categoryCode: 'no.such', title: '垃圾', placeId: places.gridA })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('creates one appeal for a retried submission with the same idempotency key', async () => {
    const input = { kind: 'complaint' as const, door: 'snap' as const, categoryCode: 'event.litter', title: '垃圾未清运', placeId: places.gridA, idempotencyKey: 'snap-retry-0001' };
    const first = await submitAppeal(deps(), desk, input);
    const second = await submitAppeal(deps(), desk, input);
    expect(second.matterId).toBe(first.matterId);
    expect(second.isNew).toBe(false);
  });

  it('commits concurrent appeals together, each complete, and a refused one fails no one else', async () => {
    const warnBefore = await jobs.countJobs(MATTER_WARN_JOB, 'created');
    const inputs = Array.from({ length: 12 }, (_, index) => ({
      kind: 'complaint' as const,
      door: 'hotline' as const,
      categoryCode: 'event.litter',
      title: `批量受理 ${index}`,
      placeId: places.gridA,
      // Two pairs share an idempotency key: each pair must make one matter.
      idempotencyKey: index < 4 ? `batch-pair-${index % 2}` : `batch-${index}`,
      // One names a reporter account that does not exist: the database refuses that row alone.
      reporterUserId: index === 7 ? 987_654_321 : undefined,
    }));
    const results = await Promise.allSettled(inputs.map((input) => submitAppeal(deps(), desk, input)));
    expect(results.map((result) => result.status)).toEqual(inputs.map((_, index) => (index === 7 ? 'rejected' : 'fulfilled')));
    const made = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(made[0]!.matterId).toBe(made[2]!.matterId);
    expect(made[1]!.matterId).toBe(made[3]!.matterId);
    expect(made.filter((m) => m.isNew)).toHaveLength(9);
    const ids = [...new Set(made.map((m) => m.matterId))];
    expect(ids).toHaveLength(9);

    const matters = await handle.db.selectFrom('matters').select(['id', 'reference', sql<string>`xmin::text`.as('xmin')]).where('id', 'in', ids).execute();
    expect(new Set(matters.map((m) => m.reference)).size).toBe(9);
    expect(new Map(made.map((m) => [m.matterId, m.reference]))).toEqual(new Map(matters.map((m) => [m.id, m.reference])));
    // Fewer transactions than matters: concurrent intakes shared commits.
    expect(new Set(matters.map((m) => m.xmin)).size).toBeLessThan(9);
    const events = await handle.db.selectFrom('matter_events').select('matter_id').where('matter_id', 'in', ids).where('kind', '=', 'created').execute();
    expect(events.map((e) => e.matter_id).sort()).toEqual([...ids].sort());
    const appeals = await handle.db.selectFrom('appeals').select('matter_id').where('matter_id', 'in', ids).execute();
    expect(appeals).toHaveLength(9);
    const audits = await handle.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'matter.created').where('entity_id', 'in', ids.map(String)).execute();
    expect(audits).toHaveLength(9);
    expect(await jobs.countJobs(MATTER_WARN_JOB, 'created')).toBe(warnBefore + 9);
    const refused = await handle.db.selectFrom('matters').select('id').where('idempotency_key', '=', 'batch-7').execute();
    expect(refused).toEqual([]);
  });
});
