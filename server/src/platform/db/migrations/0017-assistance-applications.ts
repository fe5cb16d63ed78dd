import { type Kysely, sql } from 'kysely';

/**
 * One application for many benefits (一件事联办) and the entitlements it grants.
 *
 * - `assistance_applications`: what a resident (or an adviser on their behalf) applies with: the
 *   household's members (names and ID numbers encrypted, masked copies for lists), its declared
 *   facts, the situation, consent to the household economic check (家庭经济状况核对), materials.
 *   A draft keeps whatever was entered and what is still missing; a submitted one keeps the
 *   economic check's record, the facts that were evaluated and its bundle matter (联办总件).
 * - `assistance_application_items`: one per policy the household qualifies for (or whose rule
 *   could not be evaluated), with the explanation, the amount, and the item's own matter for the
 *   department; its decision once taken.
 * - `assistance_entitlements` and `assistance_payments`: a grant becomes an entitlement paid to the
 *   payee's social-security card (一卡通); the payment ledger has one row per entitlement and
 *   month, so that a month's run can be repeated without paying twice.
 *
 * Also: matters may carry the time limit of their first step (`first_step_limit`, a policy's own
 * limit), and a matter type's action may be reserved to its module (`viaModule`), which the generic
 * action endpoint refuses — the 疑点核查 actions are so marked here, as they write the finding.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE matters ADD COLUMN first_step_limit jsonb`.execute(db);
  // A dataset's rows with a valid ID sorted by it (Parquet), written when it is profiled: the
  // economic check reads a household's members from it without loading the whole extract.
  await sql`ALTER TABLE comparison_datasets ADD COLUMN person_index_path text`.execute(db);

  await sql`
    CREATE TABLE assistance_applications (
      id bigserial PRIMARY KEY,
      reference text NOT NULL UNIQUE,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','withdrawn')),
      channel text NOT NULL CHECK (channel IN ('resident','adviser')),
      created_by bigint NOT NULL REFERENCES users (id),
      applicant_name text NOT NULL DEFAULT '',
      applicant_id_number_enc bytea,
      applicant_id_number_index bytea,
      applicant_id_number_masked text,
      phone_enc bytea,
      phone_masked text,
      place_id bigint REFERENCES places (id),
      place_path ltree,
      members_enc bytea,
      members_masked jsonb NOT NULL DEFAULT '[]',
      household jsonb NOT NULL DEFAULT '{}',
      situation text NOT NULL DEFAULT '',
      consent_data_check boolean NOT NULL DEFAULT false,
      materials jsonb NOT NULL DEFAULT '[]',
      missing jsonb NOT NULL DEFAULT '[]',
      economic_check jsonb,
      evaluated_facts jsonb,
      area_code text,
      year integer,
      bundle_matter_id bigint REFERENCES matters (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      submitted_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX assistance_applications_creator ON assistance_applications (created_by, id DESC)`.execute(db);
  await sql`CREATE INDEX assistance_applications_place ON assistance_applications USING gist (place_path)`.execute(db);
  await sql`CREATE INDEX assistance_applications_applicant ON assistance_applications (applicant_id_number_index)`.execute(db);

  await sql`
    CREATE TABLE assistance_application_items (
      id bigserial PRIMARY KEY,
      application_id bigint NOT NULL REFERENCES assistance_applications (id),
      policy_id bigint NOT NULL REFERENCES assistance_policies (id),
      policy_code text NOT NULL,
      policy_version integer NOT NULL,
      department_code text NOT NULL REFERENCES assistance_departments (code),
      category_code text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('eligible','error')),
      mode text NOT NULL CHECK (mode IN ('review_free','review','rule_error')),
      mode_reason text NOT NULL DEFAULT '',
      amount_fen bigint,
      benefit_period text NOT NULL CHECK (benefit_period IN ('monthly','yearly','once','none')),
      explanation jsonb,
      errors jsonb NOT NULL DEFAULT '[]',
      matter_id bigint NOT NULL UNIQUE REFERENCES matters (id),
      decision text CHECK (decision IN ('granted','refused','withdrawn')),
      decision_reason text,
      decided_at timestamptz,
      decided_by bigint REFERENCES users (id),
      UNIQUE (application_id, policy_id)
    )`.execute(db);

  await sql`
    CREATE TABLE assistance_entitlements (
      id bigserial PRIMARY KEY,
      item_id bigint NOT NULL UNIQUE REFERENCES assistance_application_items (id),
      application_id bigint NOT NULL REFERENCES assistance_applications (id),
      payee_name text NOT NULL,
      payee_id_number_index bytea NOT NULL,
      payee_id_number_masked text NOT NULL,
      place_path ltree NOT NULL,
      department_code text NOT NULL REFERENCES assistance_departments (code),
      policy_code text NOT NULL,
      category_code text NOT NULL,
      period text NOT NULL CHECK (period IN ('monthly','yearly','once')),
      amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
      start_month date NOT NULL CHECK (extract(day FROM start_month) = 1),
      end_month date CHECK (end_month IS NULL OR (extract(day FROM end_month) = 1 AND end_month >= start_month)),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','stopped')),
      stop_reason text CHECK (stop_reason IN ('death','ineligible','withdrawn')),
      stop_note text,
      stopped_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX assistance_entitlements_payee ON assistance_entitlements (payee_id_number_index) WHERE status = 'active'`.execute(db);
  await sql`CREATE INDEX assistance_entitlements_place ON assistance_entitlements USING gist (place_path)`.execute(db);

  await sql`
    CREATE TABLE assistance_payments (
      entitlement_id bigint NOT NULL REFERENCES assistance_entitlements (id),
      month date NOT NULL CHECK (extract(day FROM month) = 1),
      amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
      department_code text NOT NULL,
      status text NOT NULL DEFAULT 'paid' CHECK (status IN ('paid','to_recover')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (entitlement_id, month)
    )`.execute(db);
  await sql`CREATE INDEX assistance_payments_month ON assistance_payments (month, department_code)`.execute(db);

  await insertMatterTypes(db);
  // The 疑点核查 actions write the finding as well as the matter: only the compare module takes them.
  await sql`
    UPDATE matter_types
       SET definition = jsonb_set(definition, '{actions}', (SELECT jsonb_agg(a || '{"viaModule": true}'::jsonb) FROM jsonb_array_elements(definition->'actions') a))
     WHERE code = 'audit_finding'`.execute(db);
}

/**
 * The two matter types of a bundle, as data. The bundle (联办总件) is due in 20 working days and
 * is completed when its last item is decided. An item (救助事项) starts in one of three states:
 * granted without review within 5 working days (免审即享), reviewed by its department within
 * the policy's own time limit, or stopped on a rule error for staff to look at. Every action
 * writes the item's decision or the entitlement too, so all are taken through the assistance
 * module (`viaModule`).
 */
async function insertMatterTypes(db: Kysely<unknown>): Promise<void> {
  const bundle = {
    initialState: 'processing',
    states: [
      { code: 'processing', nameZh: '联办中', nameEn: 'In progress', limit: { workingDays: 20 } },
      { code: 'completed', nameZh: '已办结', nameEn: 'Completed', isFinal: true },
      { code: 'withdrawn', nameZh: '已撤回', nameEn: 'Withdrawn', isFinal: true },
    ],
    actions: [
      { code: 'complete_bundle', nameZh: '办结', nameEn: 'Complete', from: ['processing'], to: 'completed', permission: 'assistance:application:read', viaModule: true },
      { code: 'withdraw_bundle', nameZh: '撤回申请', nameEn: 'Withdraw', from: ['processing'], to: 'withdrawn', permission: 'assistance:application:read', requiresNote: true, viaModule: true },
    ],
    escalation: { warnAtRatio: 0.8, maxLevels: 2 },
  };
  const item = {
    initialState: 'reviewing',
    states: [
      { code: 'granting', nameZh: '免审即享办理中', nameEn: 'Granting without review', limit: { workingDays: 5 } },
      { code: 'reviewing', nameZh: '部门审核中', nameEn: 'Under department review', limit: { workingDays: 15 } },
      { code: 'rule_error', nameZh: '规则无法判定（待人工处理）', nameEn: 'Rule could not decide (staff to handle)', limit: { workingDays: 5 } },
      { code: 'granted', nameZh: '已批准', nameEn: 'Granted', isFinal: true },
      { code: 'refused', nameZh: '不予批准', nameEn: 'Refused', isFinal: true },
      { code: 'withdrawn', nameZh: '已撤回', nameEn: 'Withdrawn', isFinal: true },
    ],
    actions: [
      { code: 'grant_without_review', nameZh: '免审即享', nameEn: 'Grant without review', from: ['granting'], to: 'granted', permission: 'assistance:item:review', viaModule: true },
      { code: 'grant_item', nameZh: '批准', nameEn: 'Grant', from: ['reviewing'], to: 'granted', permission: 'assistance:item:review', viaModule: true },
      { code: 'refuse_item', nameZh: '不予批准', nameEn: 'Refuse', from: ['reviewing'], to: 'refused', permission: 'assistance:item:review', requiresNote: true, viaModule: true },
      { code: 'take_into_review', nameZh: '转人工审核', nameEn: 'Take into review', from: ['rule_error'], to: 'reviewing', permission: 'assistance:item:review', requiresNote: true, viaModule: true },
      { code: 'withdraw_item', nameZh: '随申请撤回', nameEn: 'Withdrawn with the application', from: ['granting', 'reviewing', 'rule_error'], to: 'withdrawn', permission: 'assistance:application:read', viaModule: true },
    ],
    escalation: { warnAtRatio: 0.8, maxLevels: 2 },
  };
  for (const [code, nameZh, nameEn, definition] of [
    ['assistance_bundle', '社会救助一件事联办', 'Social assistance bundle', bundle],
    ['assistance_item', '社会救助事项', 'Social assistance item', item],
  ] as const) {
    await sql`
      INSERT INTO matter_types (code, name_zh, name_en, definition, is_builtin)
      VALUES (${code}, ${nameZh}, ${nameEn}, ${JSON.stringify(definition)}::jsonb, true)
      ON CONFLICT (code) DO NOTHING`.execute(db);
  }
}
