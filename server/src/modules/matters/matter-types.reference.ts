import type { Db } from '../../platform/db/database.ts';
import type { MatterTypeDefinition } from './matter-type.ts';
import { validateMatterType } from './matter-type.ts';

/**
 * Residents' appeals (诉求): the closed loop of 国办发〔2020〕53号, 受理 → 派单 or 直办 → 办理 → 回复 →
 * 办结 → 回访 → 评价, with 退单, 转办 and 二次办理 when a callback finds the resident unsatisfied, and
 * co-handling (主办/协办) while the matter is dispatched or being handled.
 * Time limits are defaults; administrators change them in the matter_types row.
 */
export const APPEAL_TYPE: { code: string; nameZh: string; nameEn: string; definition: MatterTypeDefinition } = {
  code: 'appeal',
  nameZh: '群众诉求',
  nameEn: "Residents' appeal",
  definition: {
    initialState: 'received',
    states: [
      { code: 'received', nameZh: '已受理', nameEn: 'Received', limit: { hours: 2 } },
      { code: 'dispatched', nameZh: '已派单', nameEn: 'Dispatched', limit: { workingDays: 1 } },
      { code: 'handling', nameZh: '办理中', nameEn: 'Handling', limit: { workingDays: 5 } },
      { code: 'replied', nameZh: '已回复', nameEn: 'Replied', limit: { workingDays: 1 } },
      { code: 'closed', nameZh: '已办结', nameEn: 'Closed', limit: { workingDays: 3 } },
      { code: 'evaluated', nameZh: '已评价', nameEn: 'Evaluated', isFinal: true },
      { code: 'merged', nameZh: '已合并', nameEn: 'Merged into another', isFinal: true },
    ],
    actions: [
      { code: 'dispatch', nameZh: '派单', nameEn: 'Dispatch', from: ['received'], to: 'dispatched', permission: 'matters:matter:dispatch' },
      { code: 'answer_directly', nameZh: '直办', nameEn: 'Answer directly', from: ['received'], to: 'closed', permission: 'matters:matter:dispatch', requiresNote: true },
      { code: 'accept', nameZh: '签收', nameEn: 'Accept', from: ['dispatched'], to: 'handling', permission: 'matters:matter:handle' },
      { code: 'return', nameZh: '退单', nameEn: 'Return', from: ['dispatched'], to: 'received', permission: 'matters:matter:handle', requiresNote: true },
      {
        code: 'transfer',
        nameZh: '转办',
        nameEn: 'Transfer',
        from: ['dispatched', 'handling'],
        to: 'dispatched',
        permission: 'matters:matter:dispatch',
        requiresNote: true,
        assignsOrganisation: true,
      },
      { code: 'reply', nameZh: '回复', nameEn: 'Reply', from: ['handling'], to: 'replied', permission: 'matters:matter:handle', requiresNote: true },
      { code: 'close', nameZh: '办结', nameEn: 'Close', from: ['replied'], to: 'closed', permission: 'matters:matter:dispatch' },
      { code: 'merge', nameZh: '合并重复', nameEn: 'Merge as duplicate', from: ['received', 'dispatched', 'handling'], to: 'merged', permission: 'matters:matter:dispatch', requiresNote: true },
      { code: 'callback_satisfied', nameZh: '回访满意', nameEn: 'Callback: satisfied', from: ['closed'], to: 'evaluated', permission: 'matters:matter:callback' },
      {
        code: 'callback_unsatisfied',
        nameZh: '回访不满意',
        nameEn: 'Callback: unsatisfied',
        from: ['closed'],
        to: 'handling',
        permission: 'matters:matter:callback',
        isReopen: true,
        requiresNote: true,
      },
    ],
    escalation: { warnAtRatio: 0.8, maxLevels: 2 },
    // The stricter rule: the lead's reply (回复) waits until every assisting unit has reported.
    coHandling: { states: ['dispatched', 'handling'], replyActions: ['reply'], replyRequiresAssistants: true },
  },
};

/** Writes the shipped matter types that are not in the database yet (edited rows are kept). */
export async function loadShippedMatterTypes(db: Db): Promise<void> {
  for (const type of [APPEAL_TYPE]) {
    validateMatterType(type.definition);
    await db
      .insertInto('matter_types')
      .values({ code: type.code, name_zh: type.nameZh, name_en: type.nameEn, definition: JSON.stringify(type.definition), is_builtin: true })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
}
