import type { AppealScale, HandlerLevel } from '../../platform/db/schema.ts';

/** A triage rule as stored: the first active rule, by priority, that matches decides. */
export interface TriageRule {
  id: number;
  priority: number;
  categoryPrefix: string | null;
  placePath: string | null;
  scale: AppealScale;
  handlerLevel: HandlerLevel;
  organisationId: number | null;
}

/** Who handles an appeal and why. */
export interface TriageDecision {
  scale: AppealScale;
  handlerLevel: HandlerLevel;
  organisationId: number | null;
  /** The rule that decided, or null when the category's default applied. */
  ruleId: number | null;
}

const DEFAULT_HANDLER: Record<AppealScale, HandlerLevel> = { major: 'department', minor: 'community', private: 'resident' };

function isInSubtree(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}.`);
}

/**
 * 三事分流: routes an appeal by category and place. Rules are data (category code prefix × place
 * subtree → scale and handler); the first matching rule in priority order wins, else the
 * category's default scale: 大事 to a department, 小事 to the community, 私事 back to the resident.
 */
export function triage(rules: readonly TriageRule[], appeal: { categoryCode: string; placePath: string; defaultScale: AppealScale }): TriageDecision {
  const ordered = [...rules].sort((a, b) => a.priority - b.priority || a.id - b.id);
  for (const rule of ordered) {
    if (rule.categoryPrefix && !appeal.categoryCode.startsWith(rule.categoryPrefix)) continue;
    if (rule.placePath && !isInSubtree(appeal.placePath, rule.placePath)) continue;
    return { scale: rule.scale, handlerLevel: rule.handlerLevel, organisationId: rule.organisationId, ruleId: rule.id };
  }
  return { scale: appeal.defaultScale, handlerLevel: DEFAULT_HANDLER[appeal.defaultScale], organisationId: null, ruleId: null };
}
