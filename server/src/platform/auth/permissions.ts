/**
 * Permission strings, `module:resource:action`. A role is a named set of them; `*` grants all.
 * Roles are rows in the `roles` table; the built-in ones below are (re)written at every start.
 */
export const PERMISSIONS = [
  'registry:place:read',
  'registry:place:write',
  'registry:resident:read',
  'registry:resident:write',
  'registry:resident:unmask',
  'registry:resident:export',
  'registry:household:read',
  'registry:household:write',
  'registry:organisation:read',
  'registry:organisation:write',
  'registry:import:run',
  'platform:audit:read',
  'platform:audit:verify',
  'platform:user:read',
  'platform:user:write',
  'platform:apikey:write',
  'platform:calendar:write',
  'matters:matter:read',
  'matters:matter:create',
  'matters:matter:dispatch',
  'matters:matter:handle',
  'matters:matter:callback',
  'matters:supervision:read',
  'appeals:knowledge:write',
  // A resident's own reports (随手拍): file, follow, add photos, rate. Nothing of anyone else's.
  'appeals:own_report:read',
  'appeals:own_report:write',
  // 大数据比对: department extracts, comparison runs, 疑点核查 findings, and the lists rules feed.
  'compare:dataset:read',
  'compare:dataset:write',
  'compare:run:read',
  'compare:run:write',
  'compare:finding:read',
  'compare:finding:handle',
  'compare:finding:unmask',
  'compare:coverage:read',
  // 社会救助: the policy catalogue (read, and the rule tester) and its upkeep.
  'assistance:policy:read',
  'assistance:policy:write',
] as const;

/** One permission string, or `*` for all. */
export type Permission = (typeof PERMISSIONS)[number] | '*';

/** A role shipped with minsheng. */
export interface BuiltinRole {
  code: string;
  nameZh: string;
  nameEn: string;
  permissions: Permission[];
}

const READ_REGISTRY: Permission[] = [
  'registry:place:read',
  'registry:resident:read',
  'registry:household:read',
  'registry:organisation:read',
];
const MATTERS: Permission[] = ['matters:matter:read', 'matters:matter:create', 'matters:matter:handle'];
const STAFF: Permission[] = [
  ...READ_REGISTRY,
  ...MATTERS,
  'matters:matter:dispatch',
  'matters:matter:callback',
  'registry:resident:write',
  'registry:household:write',
  'registry:resident:export',
  'registry:import:run',
  'assistance:policy:read',
];

/** The seeded roles of the issue: one per kind of user in DOMAIN.md. */
export const BUILTIN_ROLES: BuiltinRole[] = [
  { code: 'administrator', nameZh: '系统管理员', nameEn: 'Administrator', permissions: ['*'] },
  {
    code: 'city_operator',
    nameZh: '市级运营人员',
    nameEn: 'City operator',
    permissions: [
      ...READ_REGISTRY,
      ...MATTERS,
      'matters:matter:dispatch',
      'matters:matter:callback',
      'matters:supervision:read',
      'appeals:knowledge:write',
      'registry:place:write',
      'registry:organisation:write',
      'platform:audit:read',
      // The city runs the comparisons and follows their results; verification is the auditors'.
      'compare:dataset:read',
      'compare:dataset:write',
      'compare:run:read',
      'compare:run:write',
      'compare:finding:read',
      'compare:coverage:read',
      // The city keeps the social-assistance catalogue (政策目录) and its rules.
      'assistance:policy:read',
      'assistance:policy:write',
    ],
  },
  // District and street leaders supervise (督办) the units below them.
  // District and street offices receive the coverage list (应参保未参保) of their people.
  { code: 'district_staff', nameZh: '区县工作人员', nameEn: 'District staff', permissions: [...STAFF, 'registry:resident:unmask', 'matters:supervision:read', 'compare:coverage:read'] },
  { code: 'street_staff', nameZh: '街道工作人员', nameEn: 'Street staff', permissions: [...STAFF, 'registry:resident:unmask', 'matters:supervision:read', 'compare:coverage:read'] },
  { code: 'community_staff', nameZh: '社区工作人员', nameEn: 'Community staff', permissions: [...STAFF, 'registry:resident:unmask'] },
  { code: 'grid_worker', nameZh: '网格员', nameEn: 'Grid worker', permissions: [...READ_REGISTRY, ...MATTERS, 'registry:resident:write', 'assistance:policy:read'] },
  { code: 'department_handler', nameZh: '部门承办人', nameEn: 'Department handler', permissions: [...READ_REGISTRY, ...MATTERS, 'assistance:policy:read'] },
  // 社会救助顾问 (社工): guides applicants through the catalogue and follows people in need.
  { code: 'social_worker', nameZh: '社会救助顾问（社工）', nameEn: 'Social assistance adviser', permissions: [...READ_REGISTRY, ...MATTERS, 'assistance:policy:read'] },
  {
    code: 'auditor',
    nameZh: '稽核员',
    nameEn: 'Auditor',
    // Auditors verify the suspects of 大数据比对 (疑点核查) placed in their region.
    permissions: [
      ...READ_REGISTRY,
      'registry:resident:unmask',
      'platform:audit:read',
      'platform:audit:verify',
      'compare:finding:read',
      'compare:finding:handle',
      'compare:finding:unmask',
    ],
  },
  { code: 'duty_officer', nameZh: '应急值班员', nameEn: 'Duty officer', permissions: ['registry:place:read', 'registry:organisation:read'] },
  { code: 'volunteer', nameZh: '志愿者', nameEn: 'Volunteer', permissions: ['registry:place:read'] },
  { code: 'resident', nameZh: '居民', nameEn: 'Resident', permissions: ['appeals:own_report:read', 'appeals:own_report:write'] },
];
