import { appendAudit } from '../../platform/audit/index.ts';
import { systemPrincipal } from '../../platform/auth/index.ts';
import { maskIdNumber } from '../../platform/crypto/masking.ts';
import type { RegionSource, RuleHandling } from '../../platform/db/schema.ts';
import { isAppError } from '../../platform/errors.ts';
import type { AppServices } from '../../platform/http/context.ts';
import { applyAction, openMatterIn, warmMatterReference } from '../matters/index.ts';
import type { PlaceEntry } from '../places/index.ts';
import { isMaterialChange, linkedRecordsOf, maskEvidence } from './evidence.ts';
import { FINDING_ACTIONS, FINDING_STATES, FINDING_TYPE } from './finding-type.ts';
import * as findingsRepo from './findings.repository.ts';
import * as listingsRepo from './listings.repository.ts';
import { formatYuan, type Suspect } from './rules.ts';

/** A suspect with the place its person lives (or the best place known) and the street above it. */
export interface PlacedSuspect {
  suspect: Suspect;
  place: PlaceEntry;
  regionSource: RegionSource;
  street: PlaceEntry | null;
}

/** What a run changed: findings raised, refreshed, retracted or held back, and list entries. */
export interface ReconcileOutcome {
  /** New 疑点核查 matters (including those raised again after a material change). */
  raised: number;
  /** Of `raised`, suspects raised again after a dismissed or settled finding because the evidence changed materially. */
  raisedAgain: number;
  /** Open findings raised again and updated in place (new amount or evidence). */
  updated: number;
  /** Open findings raised again with nothing changed. */
  unchanged: number;
  /** Pending findings this run no longer raised, closed as no longer holding. */
  retracted: number;
  /** Confirmed findings this run no longer raised, left open for their recovery. */
  keptConfirmed: number;
  /** Suspects not raised because a person already dismissed or settled the same evidence. */
  suppressed: number;
  listed: { inserted: number; updated: number; retired: number };
}

/** How an evidence field is held: masked for the screen, encrypted in full for an audited unmask. */
interface ProtectedSuspect {
  handling: RuleHandling;
  idNumberIndex: Uint8Array;
  idNumberEnc: Uint8Array;
  idNumberMasked: string;
  evidence: Record<string, unknown>;
  evidenceEnc: Uint8Array;
  linkedRecordsIndex: Uint8Array;
}

const SYSTEM_ACTOR = { userId: null, name: 'compare', ip: null };

/**
 * Several suspects of one rule for one person (two insured records of a dead person, two prison
 * terms) are one finding: the key is rule + ID. Their amounts add up and their evidence is kept
 * part by part, with all sources listed together.
 */
export function mergeSuspectsByKey(suspects: readonly Suspect[]): Suspect[] {
  const groups = new Map<string, Suspect[]>();
  for (const suspect of suspects) {
    const key = `${suspect.rule}:${suspect.idNumber}`;
    groups.set(key, [...(groups.get(key) ?? []), suspect]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group as [Suspect, ...Suspect[]];
    if (group.length === 1) return first;
    const total = group.reduce((sum, s) => sum + s.amountAtStakeCents, 0);
    const weakest = group.reduce((low, s) => (s.matchScore < low.matchScore ? s : low), first);
    const parts = group.map((s) => s.evidence);
    const sources = parts.flatMap((part) => (Array.isArray(part.sources) ? (part.sources as unknown[]) : []));
    const computations = parts.map((part) => part.computation).filter((c): c is string => typeof c === 'string');
    return {
      ...first,
      recordKey: group.map((s) => s.recordKey).join(';'),
      matchMethod: weakest.matchMethod,
      matchScore: weakest.matchScore,
      amountAtStakeCents: total,
      evidence: {
        sources,
        parts,
        ...(computations.length > 0 ? { computation: `${computations.join(' + ')} ⇒ ${formatYuan(total)}` } : {}),
      },
    };
  });
}

/**
 * Writes what a run found, incrementally: a suspect whose (rule, ID) key has an open finding updates
 * it in place; one whose last finding a person dismissed or settled is raised again only when its
 * evidence changed materially ({@link isMaterialChange}); otherwise it opens a new 疑点核查 matter in
 * its person's region. Open findings of the rules that ran which this run no longer raises are
 * retracted while still pending (visible, closed as "no longer holds"), and kept while their recovery
 * is under way. Rules whose results go to a list instead update that list. Each change commits on
 * its own with its audit entry, so a retried run picks up where a crash left it.
 */
export async function reconcileRun(
  services: AppServices,
  runId: number,
  placed: readonly PlacedSuspect[],
  rulesRun: readonly string[],
  handlings: ReadonlyMap<string, RuleHandling>,
  onProgress: (done: number, total: number) => Promise<void>,
): Promise<ReconcileOutcome> {
  const outcome: ReconcileOutcome = { raised: 0, raisedAgain: 0, updated: 0, unchanged: 0, retracted: 0, keptConfirmed: 0, suppressed: 0, listed: { inserted: 0, updated: 0, retired: 0 } };
  const handlingOf = (rule: string): RuleHandling => handlings.get(rule) ?? 'audit_finding';
  const findingRules = rulesRun.filter((rule) => handlingOf(rule) === 'audit_finding');
  const listingRules = rulesRun.filter((rule) => handlingOf(rule) !== 'audit_finding');
  const deps = { db: services.db, jobs: services.jobs };
  const system = systemPrincipal('compare');
  await warmMatterReference(deps);

  const latest = new Map((await findingsRepo.findLatestFindingPerKey(services.db, findingRules)).map((f) => [keyOf(f.rule, f.idNumberIndex), f]));
  const seen = new Set<string>();
  const unchangedIds: number[] = [];
  let done = 0;
  for (const item of placed) {
    const found = protect(services, item, handlingOf(item.suspect.rule));
    const { suspect } = item;
    if (found.handling !== 'audit_finding') {
      const result = await services.db.transaction().execute(async (trx) => {
        const written = await listingsRepo.upsertListing(trx, {
          handling: found.handling as listingsRepo.ListingHandling,
          rule: suspect.rule,
          idNumberIndex: found.idNumberIndex,
          idNumberEnc: found.idNumberEnc,
          idNumberMasked: found.idNumberMasked,
          name: suspect.name,
          matchMethod: suspect.matchMethod,
          matchScore: suspect.matchScore,
          amountCents: suspect.amountAtStakeCents,
          evidence: found.evidence,
          evidenceEnc: found.evidenceEnc,
          placeId: item.place.id,
          placePath: item.place.path,
          streetId: item.street?.id ?? null,
          regionSource: item.regionSource,
          runId,
        });
        await appendAudit(trx, SYSTEM_ACTOR, { action: `compare.listing.${written}`, entityType: 'comparison_listing', details: { runId, rule: suspect.rule, handling: found.handling } });
        return written;
      });
      outcome.listed[result] += 1;
    } else {
      const key = keyOf(suspect.rule, found.idNumberIndex);
      seen.add(key);
      const previous = latest.get(key);
      const facts = { linkedRecordsIndex: found.linkedRecordsIndex, matchMethod: suspect.matchMethod, amountCents: suspect.amountAtStakeCents };
      // What this run says about the finding, whether it is new or already on file.
      const raised = {
        name: suspect.name,
        dataset: suspect.dataset,
        recordKey: suspect.recordKey,
        matchMethod: suspect.matchMethod,
        matchScore: suspect.matchScore,
        amountCents: suspect.amountAtStakeCents,
        evidence: found.evidence,
        evidenceEnc: found.evidenceEnc,
        linkedRecordsIndex: found.linkedRecordsIndex,
        runId,
      };
      if (previous?.isOpen) {
        const isChanged =
          previous.amountCents !== facts.amountCents || previous.matchMethod !== facts.matchMethod || !sameBytes(previous.linkedRecordsIndex, facts.linkedRecordsIndex);
        if (isChanged) {
          await services.db.transaction().execute(async (trx) => {
            await findingsRepo.refreshFinding(trx, previous.id, raised);
            await appendAudit(trx, SYSTEM_ACTOR, {
              action: 'compare.finding.refreshed',
              entityType: 'comparison_finding',
              entityId: previous.id,
              details: { runId, amountBefore: previous.amountCents, amountAfter: facts.amountCents, methodBefore: previous.matchMethod, methodAfter: facts.matchMethod },
            });
          });
          outcome.updated += 1;
        } else {
          unchangedIds.push(previous.id);
          outcome.unchanged += 1;
        }
      } else if (previous && previous.state !== FINDING_STATES.retracted && !isMaterialChange(previous, facts)) {
        outcome.suppressed += 1;
      } else {
        await services.db.transaction().execute(async (trx) => {
          const matterId = await openMatterIn(deps, trx, system, item.place, {
            typeCode: FINDING_TYPE,
            title: `疑点核查 · ${suspect.rule} · ${maskName(suspect.name)}`,
            description: `大数据比对第 ${runId} 批次发现的疑点（${suspect.rule}），涉及金额 ¥${formatYuan(suspect.amountAtStakeCents)}；证据与核查在“疑点核查”页面。`,
          });
          const id = await findingsRepo.insertFinding(trx, {
            ...raised,
            matterId,
            rule: suspect.rule,
            idNumberIndex: found.idNumberIndex,
            idNumberEnc: found.idNumberEnc,
            idNumberMasked: found.idNumberMasked,
            placeId: item.place.id,
            placePath: item.place.path,
            regionSource: item.regionSource,
            previousFindingId: previous?.id ?? null,
          });
          await appendAudit(trx, SYSTEM_ACTOR, {
            action: 'compare.finding.raised',
            entityType: 'comparison_finding',
            entityId: id,
            details: { runId, rule: suspect.rule, matterId, place: item.place.code, regionSource: item.regionSource, previousFindingId: previous?.id ?? null },
          });
        });
        outcome.raised += 1;
        if (previous) outcome.raisedAgain += 1;
      }
    }
    done += 1;
    if (done % 100 === 0) await onProgress(done, placed.length);
  }
  if (unchangedIds.length > 0) {
    await services.db.transaction().execute(async (trx) => {
      await findingsRepo.markSeenByRun(trx, unchangedIds, runId);
      await appendAudit(trx, SYSTEM_ACTOR, { action: 'compare.finding.seen_again', entityType: 'comparison_run', entityId: runId, details: { findings: unchangedIds.length } });
    });
  }

  for (const [key, finding] of latest) {
    if (!finding.isOpen || seen.has(key)) continue;
    if (finding.state !== FINDING_STATES.pending) {
      outcome.keptConfirmed += 1;
      continue;
    }
    try {
      await applyAction(deps, system, finding.matterId, FINDING_ACTIONS.retract, { note: `比对第 ${runId} 批次不再发现该疑点（no longer holds）` }, async (trx) =>
        appendAudit(trx, SYSTEM_ACTOR, { action: 'compare.finding.retracted', entityType: 'comparison_finding', entityId: finding.id, details: { runId } }),
      );
      outcome.retracted += 1;
    } catch (error) {
      // An auditor confirmed or dismissed it meanwhile: their decision stands.
      if (!isAppError(error, 'CONFLICT')) throw error;
    }
  }

  if (listingRules.length > 0) {
    outcome.listed.retired = await services.db.transaction().execute(async (trx) => {
      const retired = await listingsRepo.retireListingsNotIn(trx, listingRules, runId);
      if (retired > 0) await appendAudit(trx, SYSTEM_ACTOR, { action: 'compare.listing.retired', entityType: 'comparison_run', entityId: runId, details: { rules: listingRules, entries: retired } });
      return retired;
    });
  }
  return outcome;
}

function protect(services: AppServices, placed: PlacedSuspect, handling: RuleHandling): ProtectedSuspect {
  const { suspect } = placed;
  const batch = services.cipher.batch();
  const idNumberEnc = batch.encrypt(suspect.idNumber);
  const evidenceEnc = batch.encrypt(JSON.stringify(suspect.evidence));
  batch.seal();
  return {
    handling,
    idNumberIndex: services.cipher.blindIndex(suspect.idNumber),
    idNumberEnc,
    idNumberMasked: maskIdNumber(suspect.idNumber),
    evidence: maskEvidence(suspect.evidence) as Record<string, unknown>,
    evidenceEnc,
    linkedRecordsIndex: services.cipher.blindIndex(linkedRecordsOf(suspect.evidence)),
  };
}

function keyOf(rule: string, idNumberIndex: Uint8Array): string {
  return `${rule}:${Buffer.from(idNumberIndex).toString('hex')}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/** A name as a matter title shows it to anyone in the region: the surname only. */
function maskName(name: string): string {
  const chars = Array.from(name.trim());
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}
