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
  // 一件事联办: applications and their items (department review); the entitlement ledger (一卡通).
  'assistance:application:read',
  'assistance:application:write',
  'assistance:item:review',
  'assistance:entitlement:read',
  'assistance:entitlement:manage',
  // A resident's own applications: apply, keep a draft, follow the bundle.
  'assistance:own_application:read',
  'assistance:own_application:write',
  // 主动发现: warnings (read, handle as the community's adviser, raise from a grid visit), the
  // low-income monitoring list, the social-resource catalogue, and running the sync by hand.
  'assistance:warning:read',
  'assistance:warning:handle',
  'assistance:warning:raise',
  'assistance:monitoring:read',
  'assistance:monitoring:write',
  'assistance:resource:read',
  'assistance:resource:write',
  'assistance:discovery:sync',
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
  'assistance:application:read',
  'assistance:application:write',
  'assistance:entitlement:read',
  // Staff of a community, street or district follow the warnings and the monitoring list of their region.
  'assistance:warning:read',
  'assistance:monitoring:read',
  'assistance:resource:read',
];

/** The community's social-assistance adviser handles warnings, keeps the monitoring list and links resources. */
const DISCOVERY_ADVISER: Permission[] = [
  'assistance:warning:read',
  'assistance:warning:handle',
  'assistance:warning:raise',
  'assistance:monitoring:read',
  'assistance:monitoring:write',
  'assistance:resource:read',
  'assistance:resource:write',
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
      // ... and pays its grants: the monthly payment run and its reconciliation.
      'assistance:application:read',
      'assistance:entitlement:read',
      'assistance:entitlement:manage',
      // ... follows active discovery city-wide and keeps the city's social-resource catalogue.
      'assistance:warning:read',
      'assistance:monitoring:read',
      'assistance:resource:read',
      'assistance:resource:write',
    ],
  },
  // District and street leaders supervise (督办) the units below them.
  // District and street offices receive the coverage list (应参保未参保) of their people.
  { code: 'district_staff', nameZh: '区县工作人员', nameEn: 'District staff', permissions: [...STAFF, 'registry:resident:unmask', 'matters:supervision:read', 'compare:coverage:read'] },
  { code: 'street_staff', nameZh: '街道工作人员', nameEn: 'Street staff', permissions: [...STAFF, 'registry:resident:unmask', 'matters:supervision:read', 'compare:coverage:read'] },
  { code: 'community_staff', nameZh: '社区工作人员', nameEn: 'Community staff', permissions: [...STAFF, 'registry:resident:unmask'] },
  // A grid worker's visit (网格员走访) can raise a warning; the community's adviser handles it.
  { code: 'grid_worker', nameZh: '网格员', nameEn: 'Grid worker', permissions: [...READ_REGISTRY, ...MATTERS, 'registry:resident:write', 'assistance:policy:read', 'assistance:warning:raise'] },
  {
    code: 'department_handler',
    nameZh: '部门承办人',
    nameEn: 'Department handler',
    // Reviews the bundle items (联办事项) sent to the department.
    permissions: [...READ_REGISTRY, ...MATTERS, 'assistance:policy:read', 'assistance:application:read', 'assistance:item:review', 'assistance:entitlement:read'],
  },
  // 社会救助顾问 (社工): guides applicants through the catalogue and follows people in need.
  { code: 'social_worker', nameZh: '社会救助顾问（社工）', nameEn: 'Social assistance adviser', permissions: [...READ_REGISTRY, ...MATTERS, 'assistance:policy:read', 'assistance:application:read', 'assistance:application:write', 'assistance:entitlement:read', ...DISCOVERY_ADVISER] },
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
  { code: 'resident', nameZh: '居民', nameEn: 'Resident', permissions: ['appeals:own_report:read', 'appeals:own_report:write', 'assistance:own_application:read', 'assistance:own_application:write'] },
];
