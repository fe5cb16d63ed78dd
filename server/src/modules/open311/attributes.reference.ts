import type { Db } from '../../platform/db/database.ts';
import type { AttributeDatatype } from '../../platform/db/schema.ts';

/** A question a category asks of every report (an Open311 service attribute), as shipped. */
export interface ShippedAttribute {
  categoryCode: string;
  code: string;
  datatype: AttributeDatatype;
  isRequired: boolean;
  description: string;
  datatypeDescription: string;
  values: Array<{ key: string; name: string }> | null;
}

/**
 * The attributes minsheng ships; administrators edit or add rows, and a shipped row that was
 * edited is never overwritten.
 */
export const SHIPPED_ATTRIBUTES: ShippedAttribute[] = [
  {
    categoryCode: 'component.streetlight',
    code: 'pole_number',
    datatype: 'string',
    isRequired: false,
    description: '灯杆编号',
    datatypeDescription: '灯杆上喷涂的编号，如 SPB-0123',
    values: null,
  },
  {
    categoryCode: 'event.litter',
    code: 'volume',
    datatype: 'singlevaluelist',
    isRequired: true,
    description: '垃圾数量',
    datatypeDescription: '选择一项',
    values: [
      { key: 'small', name: '少量（一袋以内）' },
      { key: 'medium', name: '中等（一车以内）' },
      { key: 'large', name: '大量（需清运车）' },
    ],
  },
  {
    categoryCode: 'livelihood.work_safety',
    code: 'hazard',
    datatype: 'singlevaluelist',
    isRequired: true,
    description: '隐患类型',
    datatypeDescription: '选择一项',
    values: [
      { key: 'fire', name: '消防隐患' },
      { key: 'gas', name: '燃气隐患' },
      { key: 'construction', name: '施工安全' },
      { key: 'hazardous_chemicals', name: '危险化学品' },
      { key: 'other', name: '其他' },
    ],
  },
];

/** Writes the shipped attributes that are missing (edited rows are kept); run after the categories. */
export async function loadShippedAttributes(db: Db): Promise<void> {
  for (const [index, a] of SHIPPED_ATTRIBUTES.entries()) {
    await db
      .insertInto('appeal_category_attributes')
      .values({
        category_code: a.categoryCode,
        code: a.code,
        datatype: a.datatype,
        is_required: a.isRequired,
        description: a.description,
        datatype_description: a.datatypeDescription,
        sort: index,
        values: a.values ? JSON.stringify(a.values) : null,
      })
      .onConflict((oc) => oc.columns(['category_code', 'code']).doNothing())
      .execute();
  }
}
