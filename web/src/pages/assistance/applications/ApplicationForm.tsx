import { CheckCircleFilled, DeleteOutlined, PaperClipOutlined, PlusOutlined, SaveOutlined, SendOutlined, UploadOutlined, UserAddOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Checkbox, Collapse, Form, Input, InputNumber, Select, Space, Steps, Tag, Typography } from 'antd';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createApplication,
  DISABILITY_KINDS,
  EMPLOYMENT,
  HARDSHIPS,
  HEALTH,
  HOUSING,
  missingMaterials,
  RECEIVED_BENEFITS,
  RELATIONS,
  SCHOOL_STAGES,
  SELF_CARE,
  submitApplication,
  updateApplication,
  uploadMaterial,
  type ApplicationInput,
  type ApplicationView,
  type DraftSaved,
  type MissingItem,
} from '../../../api/applications';
import { ApiError } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { errorText } from '../../../i18n/errors';
import { preparePhoto } from '../../resident/photos';
import './applications.css';
import { fieldLabel, FORM_STEPS, missingMessage, optionLabel, stepOfField, type FormStep } from './applicationLabels';
import {
  emptyDraft,
  fromInput,
  invalidAmounts,
  isAmountValid,
  newKey,
  newMember,
  toInput,
  type ApplicationDraft,
  type HouseholdDraft,
  type MemberDraft,
  type PlaceValue,
} from './applicationDraft';

/** The server's limit on one material (matters' attachments). */
const MAX_MATERIAL_BYTES = 10 * 1024 * 1024;
const VEHICLE_KINDS = ['car', 'motorcycle', 'truck', 'farm_machine', 'disability_vehicle'] as const;
const BUSINESS_KINDS = ['individual', 'company'] as const;
const DISABILITY_GRADES = [0, 1, 2, 3, 4] as const;

/** What the place step shows: the page decides how a place is picked (the phone's position, or the place tree). */
export interface PlaceFieldProps {
  value: PlaceValue | null;
  onChange: (place: PlaceValue | null) => void;
  problem: string | null;
}

interface ApplicationFormProps {
  /** The draft to continue; a new application when absent. */
  application?: ApplicationView;
  /** `mobile` for the residents' phone pages, `console` for an adviser applying on someone's behalf. */
  variant: 'mobile' | 'console';
  renderPlace: (props: PlaceFieldProps) => ReactNode;
  /** The first save made a draft: the page can move its address to it, so a reload keeps it. */
  onCreated: (saved: DraftSaved) => void;
  onSubmitted: (application: ApplicationView) => void;
}

/** A material the draft holds. */
interface StoredMaterial {
  code: string;
  fileName: string;
}

/** The value at a field path of the input (`members.1.idNumber`), for telling whether it changed. */
function valueAt(input: ApplicationInput, field: string): unknown {
  let value: unknown = input;
  for (const part of field.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** True when the field was changed since the server last saw the draft. */
function isChangedSince(current: ApplicationInput, saved: ApplicationInput, field: string): boolean {
  if (field.startsWith('materials.')) return false;
  return JSON.stringify(valueAt(current, field)) !== JSON.stringify(valueAt(saved, field));
}

/** The missing list of an APPLICATION_INCOMPLETE answer. */
function missingOfError(error: unknown): MissingItem[] | null {
  if (!(error instanceof ApiError) || error.code !== 'APPLICATION_INCOMPLETE') return null;
  const missing = error.details?.missing;
  if (!Array.isArray(missing)) return [];
  return missing.filter((m): m is MissingItem => typeof m === 'object' && m !== null && typeof (m as MissingItem).field === 'string').map((m) => ({ field: m.field, message: String(m.message ?? '') }));
}

function options<T extends string | number>(group: string, values: readonly T[]) {
  return values.map((value) => ({ value, label: optionLabel(group, String(value)) }));
}

/** A button that opens the camera or the file picker for one material. */
function MaterialUploadButton({ isPrimary, isUploading, isDisabled, size, onFile }: { isPrimary: boolean; isUploading: boolean; isDisabled: boolean; size: 'large' | 'middle'; onFile: (file: File | undefined) => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button type={isPrimary ? 'primary' : 'default'} size={size} icon={<UploadOutlined />} loading={isUploading} disabled={isDisabled && !isUploading} onClick={() => input.current?.click()}>
        {isUploading ? t('applications.form.materialUploading') : t('applications.form.materialUpload')}
      </Button>
      <input
        ref={input}
        type="file"
        accept="image/*,application/pdf"
        className="rm-visually-hidden"
        disabled={isDisabled}
        onChange={(event) => {
          onFile(event.target.files?.[0]);
          event.target.value = '';
        }}
        data-testid="application-material-file"
      />
    </>
  );
}

/**
 * 一件事联办's application form, in five steps: place, applicant, members (with the facts a
 * resident can answer in plain words), the household's situation, and consent and submission.
 * Every step is saved as a draft before the next one opens, so nothing is lost when the person
 * leaves and comes back; what is still missing is listed by the server and shown at its field.
 * Submitting asks for the materials of the items that go to review (known only then): they are
 * uploaded here and the application is submitted again.
 */
export function ApplicationForm({ application, variant, renderPlace, onCreated, onSubmitted }: ApplicationFormProps) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [draft, setDraft] = useState<ApplicationDraft>(() => (application?.draft ? fromInput(application.draft, application.place) : emptyDraft()));
  // What the server last saw: its complaints about a field hold until the person changes that field.
  const [savedInput, setSavedInput] = useState<ApplicationInput>(() => toInput(draft));
  const [id, setId] = useState<number | null>(application?.id ?? null);
  const [reference, setReference] = useState<string | null>(application?.reference ?? null);
  const [missing, setMissing] = useState<MissingItem[]>(application?.missing ?? []);
  const [materials, setMaterials] = useState<StoredMaterial[]>(application?.materials.map((m) => ({ code: m.code, fileName: m.fileName })) ?? []);
  // Problems are shown once the server has seen the draft: not on an empty new form.
  const [showProblems, setShowProblems] = useState(Boolean(application));
  const [step, setStep] = useState<FormStep>('place');
  // Steps the person has been through: only there are fields marked, not on a step not yet opened.
  const [visited, setVisited] = useState<ReadonlySet<FormStep>>(() => new Set(application ? FORM_STEPS : []));
  const [isSaving, setSaving] = useState(false);
  const [isSubmitting, setSubmitting] = useState(false);
  const [uploading, setUploading] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [wasRefused, setRefused] = useState(false);
  const isMobile = variant === 'mobile';
  const stepIndex = FORM_STEPS.indexOf(step);
  const badAmounts = invalidAmounts(draft);
  const isBusy = isSaving || isSubmitting || uploading !== null;

  const currentInput = toInput(draft);
  const problemOf = (field: string): string | null => {
    if (badAmounts.includes(field)) return t('applications.form.amountInvalid');
    if (!showProblems) return null;
    const found = missing.find((m) => m.field === field);
    if (!found || !visited.has(stepOfField(field)) || isChangedSince(currentInput, savedInput, field)) return null;
    return missingMessage(found);
  };
  const fieldProps = (field: string, label: ReactNode, isRequired = false) => {
    const problem = problemOf(field);
    return { label, required: isRequired, validateStatus: problem ? ('error' as const) : undefined, help: problem ?? undefined };
  };

  const setApplicant = (patch: Partial<ApplicationDraft['applicant']>) => setDraft((d) => ({ ...d, applicant: { ...d.applicant, ...patch } }));
  const setMember = (key: string, patch: Partial<MemberDraft>) => setDraft((d) => ({ ...d, members: d.members.map((m) => (m.key === key ? { ...m, ...patch } : m)) }));
  const setHousehold = (patch: Partial<HouseholdDraft>) => setDraft((d) => ({ ...d, household: { ...d.household, ...patch } }));

  /** Saves the form as a draft (creating it the first time); false when it could not. */
  const save = async (): Promise<boolean> => {
    if (badAmounts.length > 0) {
      message.error(t('applications.form.amountInvalid'));
      return false;
    }
    setSaving(true);
    setError(null);
    try {
      const input = currentInput;
      let saved: DraftSaved;
      if (id === null) {
        saved = await createApplication(input);
        setId(saved.id);
        setReference(saved.reference);
        onCreated(saved);
      } else {
        saved = await updateApplication(id, input);
      }
      setMissing(saved.missing);
      setSavedInput(input);
      setShowProblems(true);
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setSaving(false);
    }
  };

  const goTo = async (next: FormStep) => {
    if (next === step) return;
    if (!(await save())) return;
    setVisited((steps) => new Set([...steps, step]));
    setStep(next);
  };
  const saveOnly = async () => {
    if (!(await save())) return;
    setVisited((steps) => new Set([...steps, step]));
    message.success(t('applications.form.saved'));
  };

  const submit = async () => {
    setVisited(new Set(FORM_STEPS));
    if (!(await save()) || id === null) return;
    setSubmitting(true);
    setError(null);
    try {
      const submitted = await submitApplication(id);
      onSubmitted(submitted);
    } catch (failure) {
      const stillMissing = missingOfError(failure);
      if (stillMissing) {
        setMissing(stillMissing);
        setRefused(true);
      } else {
        setError(failure);
      }
    } finally {
      setSubmitting(false);
    }
  };

  const upload = async (code: string, file: File | undefined) => {
    if (!file || id === null) return;
    const isPdf = file.type === 'application/pdf';
    if (!isPdf && !file.type.startsWith('image/')) {
      message.error(t('applications.form.materialType'));
      return;
    }
    setUploading(code);
    try {
      const prepared = isPdf ? { blob: file, name: file.name } : await preparePhoto(file);
      if (!prepared) {
        message.error(t('applications.form.materialType'));
        return;
      }
      if (prepared.blob.size > MAX_MATERIAL_BYTES) {
        message.error(t('applications.form.materialTooLarge', { size: MAX_MATERIAL_BYTES / 1024 / 1024 }));
        return;
      }
      const answer = await uploadMaterial(id, code, prepared.blob, prepared.name);
      setMaterials(answer.materials);
      setMissing(answer.missing);
    } catch (failure) {
      message.error(errorText(failure));
    } finally {
      setUploading(null);
    }
  };

  // A plain function, not a component: a component made during render would remount its fields
  // on every keystroke and lose the focus.
  const section = (title: string, children: ReactNode, options: { intro?: string; testId?: string } = {}) =>
    isMobile ? (
      <section className="rm-card" data-testid={options.testId}>
        <div className="rm-card-title">{title}</div>
        {options.intro ? <Typography.Paragraph type="secondary">{options.intro}</Typography.Paragraph> : null}
        {children}
      </section>
    ) : (
      <Card title={title} style={{ marginBottom: 16 }} data-testid={options.testId}>
        {options.intro ? <Typography.Paragraph type="secondary">{options.intro}</Typography.Paragraph> : null}
        {children}
      </Card>
    );

  const stepMissing = (which: FormStep) => (showProblems && visited.has(which) ? missing.filter((m) => stepOfField(m.field) === which) : []);
  const materialNames = missingMaterials(missing);
  const askedMaterials = [...new Set([...materialNames, ...(wasRefused || materialNames.length > 0 ? materials.map((m) => m.code) : [])])];
  const otherMissing = missing.filter((m) => !m.field.startsWith('materials.') && !isChangedSince(currentInput, savedInput, m.field));

  const yuanInput = (value: string, onChange: (text: string) => void, testId: string, suffix = t('applications.form.yuan')) => (
    <Input inputMode="decimal" value={value} onChange={(event) => onChange(event.target.value)} suffix={suffix} status={isAmountValid(value) ? undefined : 'error'} data-testid={testId} />
  );

  const placeStep = section(
    t('applications.form.placeTitle'),
    <>
      {renderPlace({ value: draft.place, onChange: (place) => setDraft((d) => ({ ...d, place })), problem: problemOf('placeCode') })}
    </>,
    { intro: t('applications.form.placeIntro'), testId: 'application-step-place' },
  );

  const applicantStep = section(
    t('applications.form.applicantTitle'),
    <>
      <Form layout="vertical" component="div">
        <Form.Item {...fieldProps('applicant.name', t('applications.form.name'), true)}>
          <Input value={draft.applicant.name} maxLength={50} autoComplete="name" onChange={(e) => setApplicant({ name: e.target.value })} data-testid="application-applicant-name" />
        </Form.Item>
        <Form.Item {...fieldProps('applicant.idNumber', t('applications.form.idNumber'), true)}>
          <Input
            value={draft.applicant.idNumber}
            maxLength={30}
            placeholder={t('applications.form.idNumberPlaceholder')}
            autoComplete="off"
            onChange={(e) => setApplicant({ idNumber: e.target.value })}
            data-testid="application-applicant-id"
          />
        </Form.Item>
        <Form.Item {...fieldProps('applicant.phone', t('applications.form.phone'), true)}>
          <Input value={draft.applicant.phone} maxLength={30} inputMode="tel" autoComplete="tel" onChange={(e) => setApplicant({ phone: e.target.value })} data-testid="application-applicant-phone" />
        </Form.Item>
      </Form>
    </>,
    { intro: t('applications.form.applicantIntro'), testId: 'application-step-applicant' },
  );

  const memberCard = (member: MemberDraft, index: number) => {
    const at = (name: string) => `members.${index}.${name}`;
    const isChildAge = member.schoolStage !== 'none';
    return (
      <div key={member.key} className={isMobile ? 'ra-member' : 'ra-member ra-member-console'} data-testid="application-member" data-index={index}>
        <div className="ra-member-head">
          <Typography.Text strong>{t('applications.form.member', { index: index + 1 })}</Typography.Text>
          <Space size={4}>
            {index === 0 ? (
              <Button
                size="small"
                icon={<UserAddOutlined />}
                onClick={() => setMember(member.key, { name: draft.applicant.name, idNumber: draft.applicant.idNumber })}
                data-testid="application-copy-applicant"
              >
                {t('applications.form.copyApplicant')}
              </Button>
            ) : null}
            {draft.members.length > 1 ? (
              <Button
                size="small"
                danger
                icon={<DeleteOutlined />}
                onClick={() => setDraft((d) => ({ ...d, members: d.members.filter((m) => m.key !== member.key) }))}
                data-testid="application-member-remove"
              >
                {t('applications.form.removeMember')}
              </Button>
            ) : null}
          </Space>
        </div>
        <Form layout="vertical" component="div">
          <Form.Item {...fieldProps(at('name'), t('applications.form.name'), true)}>
            <Input value={member.name} maxLength={50} onChange={(e) => setMember(member.key, { name: e.target.value })} data-testid="application-member-name" />
          </Form.Item>
          <Form.Item {...fieldProps(at('idNumber'), t('applications.form.idNumber'), true)}>
            <Input value={member.idNumber} maxLength={30} placeholder={t('applications.form.idNumberPlaceholder')} onChange={(e) => setMember(member.key, { idNumber: e.target.value })} data-testid="application-member-id" />
          </Form.Item>
          <Form.Item {...fieldProps(at('relation'), t('applications.form.relation'))}>
            <Select value={member.relation} options={options('options.relation', RELATIONS)} onChange={(relation) => setMember(member.key, { relation })} data-testid="application-member-relation" />
          </Form.Item>
          <Form.Item {...fieldProps(at('health'), t('applications.form.health'))}>
            <Select value={member.health} options={options('options.health', HEALTH)} onChange={(health) => setMember(member.key, { health })} data-testid="application-member-health" />
          </Form.Item>
          <Form.Item {...fieldProps(at('employment'), t('applications.form.employment'))}>
            <Select value={member.employment} options={options('options.employment', EMPLOYMENT)} onChange={(employment) => setMember(member.key, { employment })} data-testid="application-member-employment" />
          </Form.Item>
          <Form.Item {...fieldProps(at('schoolStage'), t('applications.form.schoolStage'))}>
            <Select value={member.schoolStage} options={options('options.schoolStage', SCHOOL_STAGES)} onChange={(schoolStage) => setMember(member.key, { schoolStage })} data-testid="application-member-school" />
          </Form.Item>
          {isChildAge ? (
            <Form.Item>
              <Checkbox checked={member.isBoarding} onChange={(e) => setMember(member.key, { isBoarding: e.target.checked })}>
                {t('applications.form.isBoarding')}
              </Checkbox>
            </Form.Item>
          ) : null}
          <Form.Item {...fieldProps(at('selfCare'), t('applications.form.selfCare'))}>
            <Select value={member.selfCare} options={options('options.selfCare', SELF_CARE)} onChange={(selfCare) => setMember(member.key, { selfCare })} data-testid="application-member-self-care" />
          </Form.Item>
          <Form.Item {...fieldProps(at('disabilityGrade'), t('applications.form.disabilityGrade'))}>
            <Select
              value={member.disabilityGrade}
              options={options('options.disabilityGrade', DISABILITY_GRADES)}
              onChange={(disabilityGrade: number) => setMember(member.key, { disabilityGrade, ...(disabilityGrade === 0 ? { disabilityKind: 'none' as const } : {}) })}
              data-testid="application-member-disability-grade"
            />
          </Form.Item>
          {member.disabilityGrade > 0 ? (
            <Form.Item {...fieldProps(at('disabilityKind'), t('applications.form.disabilityKind'))}>
              <Select value={member.disabilityKind} options={options('options.disabilityKind', DISABILITY_KINDS)} onChange={(disabilityKind) => setMember(member.key, { disabilityKind })} />
            </Form.Item>
          ) : null}
          <Form.Item {...fieldProps(at('monthlyIncome'), t('applications.form.monthlyIncome'))} extra={t('applications.form.monthlyIncomeHint')}>
            {yuanInput(member.incomeYuan, (incomeYuan) => setMember(member.key, { incomeYuan }), 'application-member-income', t('applications.form.yuanPerMonth'))}
          </Form.Item>
          <Collapse
            size="small"
            ghost
            items={[
              {
                key: 'more',
                label: t('applications.form.moreAbout'),
                children: (
                  <Space orientation="vertical">
                    {(['livesAlone', 'isOrphan', 'isUnsupportedChild', 'hasCapableSupporter', 'isVeteran'] as const).map((flag) => (
                      <Checkbox key={flag} checked={member[flag]} onChange={(e) => setMember(member.key, { [flag]: e.target.checked })} data-testid={`application-member-${flag}`}>
                        {t(`applications.form.${flag}`)}
                      </Checkbox>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        </Form>
      </div>
    );
  };

  const membersStep = section(
    t('applications.form.membersTitle'),
    <>
      {problemOf('members') ? <Alert type="error" showIcon title={problemOf('members')} style={{ marginBottom: 12 }} /> : null}
      {draft.members.map(memberCard)}
      <Button block icon={<PlusOutlined />} onClick={() => setDraft((d) => ({ ...d, members: [...d.members, newMember()] }))} disabled={draft.members.length >= 20} data-testid="application-add-member">
        {t('applications.form.addMember')}
      </Button>
    </>,
    { intro: t('applications.form.membersIntro'), testId: 'application-step-members' },
  );

  const h = draft.household;
  const householdStep = section(
    t('applications.form.householdTitle'),
    <>
      <Form layout="vertical" component="div">
        <Form.Item {...fieldProps('household.housing', t('applications.form.housing'))}>
          <Select value={h.housing} options={options('options.housing', HOUSING)} onChange={(housing) => setHousehold({ housing })} data-testid="application-housing" />
        </Form.Item>
        <Form.Item>
          <Space orientation="vertical">
            <Checkbox checked={h.isRural} onChange={(e) => setHousehold({ isRural: e.target.checked })} data-testid="application-rural">
              {t('applications.form.isRural')}
            </Checkbox>
            <Checkbox checked={h.isPovertyAlleviated} onChange={(e) => setHousehold({ isPovertyAlleviated: e.target.checked })}>
              {t('applications.form.isPovertyAlleviated')}
            </Checkbox>
          </Space>
        </Form.Item>
        <Form.Item {...fieldProps('household.benefits', t('applications.form.benefits'))}>
          <Checkbox.Group value={h.benefits} onChange={(values) => setHousehold({ benefits: values.map(String) })} data-testid="application-benefits">
            <Space orientation="vertical">
              {RECEIVED_BENEFITS.map((code) => (
                <Checkbox key={code} value={code}>
                  {optionLabel('options.benefits', code)}
                </Checkbox>
              ))}
            </Space>
          </Checkbox.Group>
        </Form.Item>
        <Form.Item {...fieldProps('household.hardships', t('applications.form.hardships'))}>
          <Checkbox.Group value={h.hardships} onChange={(values) => setHousehold({ hardships: values.map(String) })} data-testid="application-hardships">
            <Space orientation="vertical">
              {HARDSHIPS.map((code) => (
                <Checkbox key={code} value={code}>
                  {optionLabel('options.hardships', code)}
                </Checkbox>
              ))}
            </Space>
          </Checkbox.Group>
        </Form.Item>
        <Form.Item {...fieldProps('household.hospitalCostsLast12Months', t('applications.form.hospitalCosts'))}>
          {yuanInput(h.hospitalCostsYuan, (hospitalCostsYuan) => setHousehold({ hospitalCostsYuan }), 'application-hospital-costs')}
        </Form.Item>
        <Form.Item {...fieldProps('household.otherMonthlyIncome', t('applications.form.otherMonthlyIncome'))} extra={t('applications.form.otherMonthlyIncomeHint')}>
          {yuanInput(h.otherIncomeYuan, (otherIncomeYuan) => setHousehold({ otherIncomeYuan }), 'application-other-income', t('applications.form.yuanPerMonth'))}
        </Form.Item>
        <Typography.Text strong>{t('applications.form.property')}</Typography.Text>
        <Form.Item {...fieldProps('household.property.financialAssets', t('applications.form.financialAssets'))}>
          {yuanInput(h.financialAssetsYuan, (financialAssetsYuan) => setHousehold({ financialAssetsYuan }), 'application-assets')}
        </Form.Item>
        <Space wrap size={12}>
          <Form.Item {...fieldProps('household.property.homes', t('applications.form.homes'))}>
            <InputNumber min={0} max={50} precision={0} value={h.homes} onChange={(homes) => setHousehold({ homes: homes ?? 0 })} />
          </Form.Item>
          <Form.Item {...fieldProps('household.property.homeAreaPerHead', t('applications.form.homeAreaPerHead'))}>
            <InputNumber min={0} max={10000} precision={1} value={h.homeAreaPerHead} onChange={(homeAreaPerHead) => setHousehold({ homeAreaPerHead: homeAreaPerHead ?? 0 })} />
          </Form.Item>
        </Space>
        <Form.Item>
          <Checkbox checked={h.hasCommercialProperty} onChange={(e) => setHousehold({ hasCommercialProperty: e.target.checked })}>
            {t('applications.form.hasCommercialProperty')}
          </Checkbox>
        </Form.Item>
        <Form.Item label={t('applications.form.vehicles')}>
          {h.vehicles.map((vehicle, index) => (
            <Space.Compact key={vehicle.key} block style={{ marginBottom: 8 }}>
              <Select
                style={{ width: '45%' }}
                value={vehicle.kind}
                options={options('options.vehicleKind', VEHICLE_KINDS)}
                onChange={(kind) => setHousehold({ vehicles: h.vehicles.map((v) => (v.key === vehicle.key ? { ...v, kind } : v)) })}
              />
              <Input
                inputMode="decimal"
                placeholder={t('applications.form.vehicleValue')}
                value={vehicle.valueYuan}
                status={isAmountValid(vehicle.valueYuan) && !problemOf(`household.vehicles.${index}.value`) ? undefined : 'error'}
                suffix={t('applications.form.yuan')}
                onChange={(e) => setHousehold({ vehicles: h.vehicles.map((v) => (v.key === vehicle.key ? { ...v, valueYuan: e.target.value } : v)) })}
              />
              <Button icon={<DeleteOutlined />} aria-label={t('applications.form.remove')} onClick={() => setHousehold({ vehicles: h.vehicles.filter((v) => v.key !== vehicle.key) })} />
            </Space.Compact>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => setHousehold({ vehicles: [...h.vehicles, { key: newKey(), kind: 'car', valueYuan: '' }] })} disabled={h.vehicles.length >= 20}>
            {t('applications.form.addVehicle')}
          </Button>
        </Form.Item>
        <Form.Item label={t('applications.form.businesses')}>
          {h.businesses.map((business, index) => (
            <div key={business.key} style={{ marginBottom: 8 }}>
              <Space.Compact block>
                <Select
                  style={{ width: '45%' }}
                  value={business.kind}
                  options={options('options.businessKind', BUSINESS_KINDS)}
                  onChange={(kind) => setHousehold({ businesses: h.businesses.map((b) => (b.key === business.key ? { ...b, kind } : b)) })}
                />
                <Input
                  inputMode="decimal"
                  placeholder={t('applications.form.registeredCapital')}
                  value={business.capitalYuan}
                  status={isAmountValid(business.capitalYuan) && !problemOf(`household.businesses.${index}.registeredCapital`) ? undefined : 'error'}
                  suffix={t('applications.form.yuan')}
                  onChange={(e) => setHousehold({ businesses: h.businesses.map((b) => (b.key === business.key ? { ...b, capitalYuan: e.target.value } : b)) })}
                />
                <Button icon={<DeleteOutlined />} aria-label={t('applications.form.remove')} onClick={() => setHousehold({ businesses: h.businesses.filter((b) => b.key !== business.key) })} />
              </Space.Compact>
              <Checkbox checked={business.isActive} onChange={(e) => setHousehold({ businesses: h.businesses.map((b) => (b.key === business.key ? { ...b, isActive: e.target.checked } : b)) })}>
                {t('applications.form.businessActive')}
              </Checkbox>
            </div>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => setHousehold({ businesses: [...h.businesses, { key: newKey(), kind: 'individual', isActive: true, capitalYuan: '' }] })} disabled={h.businesses.length >= 20}>
            {t('applications.form.addBusiness')}
          </Button>
        </Form.Item>
        <Form.Item {...fieldProps('situation', t('applications.form.situation'), true)}>
          <Input.TextArea
            value={draft.situation}
            rows={4}
            maxLength={2000}
            showCount
            placeholder={t('applications.form.situationPlaceholder')}
            onChange={(e) => setDraft((d) => ({ ...d, situation: e.target.value }))}
            data-testid="application-situation"
          />
        </Form.Item>
      </Form>
    </>,
    { intro: t('applications.form.householdIntro'), testId: 'application-step-household' },
  );

  const uploadedOf = (code: string) => materials.filter((m) => m.code === code);
  const materialsSection =
    askedMaterials.length > 0 ? (
      section(
        t('applications.form.materialsTitle'),
        <>
          {askedMaterials.map((code) => {
            const uploaded = uploadedOf(code);
            const isMissing = materialNames.includes(code);
            return (
              <div key={code} className="ra-material" data-testid="application-material" data-material={code} data-uploaded={uploaded.length > 0 ? 'true' : 'false'}>
                <div className="ra-material-name">
                  {uploaded.length > 0 && !isMissing ? <CheckCircleFilled style={{ color: '#389e0d' }} /> : <PaperClipOutlined />} {code}
                </div>
                <div className="ra-material-state">
                  {uploaded.length > 0 ? (
                    uploaded.map((m, index) => (
                      <Tag key={`${m.fileName}-${index}`} color="green">
                        {t('applications.form.materialUploaded', { file: m.fileName })}
                      </Tag>
                    ))
                  ) : (
                    <Tag color="red">{t('applications.form.materialMissing')}</Tag>
                  )}
                </div>
                <MaterialUploadButton
                  isPrimary={uploaded.length === 0}
                  isUploading={uploading === code}
                  isDisabled={isBusy}
                  size={isMobile ? 'large' : 'middle'}
                  onFile={(file) => void upload(code, file)}
                />
              </div>
            );
          })}
        </>,
        { intro: t('applications.form.materialsIntro'), testId: 'application-materials' },
      )
    ) : null;

  const submitStep = (
    <>
      {section(
        t('applications.form.summary'),
        <>
          <dl className="ra-facts">
            <dt>{t('applications.form.summaryPlace')}</dt>
            <dd data-testid="application-summary-place">{draft.place?.label ?? '—'}</dd>
            <dt>{t('applications.form.summaryApplicant')}</dt>
            <dd>{draft.applicant.name || '—'}</dd>
            <dt>{t('applications.form.summaryMembers')}</dt>
            <dd>{t('applications.form.summaryMembersCount', { count: draft.members.length })}</dd>
          </dl>
          <Form layout="vertical" component="div">
            <Form.Item {...fieldProps('consentDataCheck', null)} extra={t('applications.form.consentHint')}>
              <Checkbox checked={draft.consent} onChange={(e) => setDraft((d) => ({ ...d, consent: e.target.checked }))} data-testid="application-consent">
                {t('applications.form.consent')}
              </Checkbox>
            </Form.Item>
          </Form>
        </>,
        { testId: 'application-step-submit' },
      )}
      {wasRefused && materialNames.length + otherMissing.length > 0 ? (
        <Alert type="warning" showIcon title={t('applications.form.incomplete')} style={{ marginBottom: 12 }} data-testid="application-incomplete" />
      ) : null}
      {showProblems && otherMissing.length > 0 ? (
        section(
          t('applications.form.missingTitle'),
          <>
            <ul className="ra-missing-list">
              {otherMissing.map((m) => (
                <li key={m.field} data-field={m.field}>
                  <span>
                    {fieldLabel(m.field)}：{missingMessage(m)}
                  </span>
                  <Button type="link" size="small" disabled={isBusy} onClick={() => void goTo(stepOfField(m.field))}>
                    {t('applications.form.goToStep')}
                  </Button>
                </li>
              ))}
            </ul>
          </>,
          { testId: 'application-missing' },
        )
      ) : null}
      {materialsSection}
    </>
  );

  const stepContent: Record<FormStep, ReactNode> = { place: placeStep, applicant: applicantStep, members: membersStep, household: householdStep, submit: submitStep };
  const stepStatus = (which: FormStep) => (stepMissing(which).length > 0 && which !== step ? ('error' as const) : undefined);
  const isLast = step === 'submit';
  const materialsAllUploaded = askedMaterials.length > 0 && materialNames.length === 0;

  return (
    <div className={isMobile ? 'ra-form ra-form-mobile' : 'ra-form'} data-testid="application-form" data-step={step} data-application-id={id ?? ''}>
      <Steps
        size="small"
        current={stepIndex}
        type={isMobile ? 'dot' : undefined}
        titlePlacement={isMobile ? 'vertical' : undefined}
        responsive={false}
        onChange={(index) => {
          if (!isBusy) void goTo(FORM_STEPS[index]!);
        }}
        items={FORM_STEPS.map((which) => ({ title: t(`applications.steps.${which}`), status: stepStatus(which), disabled: isBusy }))}
        className={isMobile ? 'rm-steps ra-steps' : 'ra-steps'}
        data-testid="application-steps"
      />
      <div className="ra-step-meta">
        <Typography.Text type="secondary">{t('applications.form.stepOf', { current: stepIndex + 1, total: FORM_STEPS.length })}</Typography.Text>
        {reference ? (
          <Typography.Text type="secondary" className="ms-mono" data-testid="application-reference">
            {reference}
          </Typography.Text>
        ) : null}
      </div>
      {showProblems ? (
        <div className="ra-missing-count" data-testid="application-missing-count" data-count={missing.length}>
          {missing.length > 0 ? <Tag color="orange">{t('applications.form.stillMissing', { count: missing.length })}</Tag> : <Tag color="green">{t('applications.form.nothingMissing')}</Tag>}
        </div>
      ) : null}
      {stepContent[step]}
      {error ? (
        <div data-testid="application-error">
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <div className={isMobile ? 'ra-actions ra-actions-mobile' : 'ra-actions'}>
        {stepIndex > 0 ? (
          <Button size="large" disabled={isBusy} onClick={() => void goTo(FORM_STEPS[stepIndex - 1]!)} data-testid="application-previous">
            {t('applications.form.previous')}
          </Button>
        ) : null}
        {!isLast ? (
          <Button size="large" type="primary" loading={isSaving} disabled={isBusy && !isSaving} onClick={() => void goTo(FORM_STEPS[stepIndex + 1]!)} data-testid="application-next">
            {isSaving ? t('applications.form.saving') : t('applications.form.next')}
          </Button>
        ) : (
          <Button
            size="large"
            type="primary"
            icon={<SendOutlined />}
            loading={isSubmitting || isSaving}
            disabled={isBusy && !isSubmitting && !isSaving}
            onClick={() => void submit()}
            data-testid="application-submit"
          >
            {isSubmitting || isSaving ? t('applications.form.submitting') : materialsAllUploaded ? t('applications.form.submitAgain') : t('applications.form.submit')}
          </Button>
        )}
        <Button size="large" icon={<SaveOutlined />} disabled={isBusy} onClick={() => void saveOnly()} data-testid="application-save">
          {t('applications.form.saveDraft')}
        </Button>
      </div>
      {reference ? (
        <Typography.Paragraph type="secondary" className="ra-hint">
          {t('applications.form.savedReference', { reference })}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}
