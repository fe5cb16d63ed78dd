import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { assignableOrganisationsEndpoint, assignableUsersEndpoint } from '../../api/matters';
import type { Id } from '../../api/types';
import { enumLabel } from '../../domain/labels';
import { useJson } from '../../hooks/useJson';

/** Pause after the last keystroke before the organisation list is asked again. */
const SEARCH_DELAY_MS = 300;

interface OrganisationPickerProps {
  matterId: Id;
  /** `transfer`: units whose area covers the matter; `assist`: those and the units of the account's region. */
  purpose: 'transfer' | 'assist';
  value?: number;
  onChange?: (organisationId: number | undefined) => void;
  testId: string;
}

/**
 * Picks an organisation the server says may take the matter (转办) or assist with it (协办),
 * searching by name on the server as the user types.
 */
export function OrganisationPicker({ matterId, purpose, value, onChange, testId }: OrganisationPickerProps) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQuery(typed.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const candidates = useJson(assignableOrganisationsEndpoint(matterId, purpose, query || undefined));
  const options = (candidates.data?.items ?? []).map((organisation) => ({
    value: Number(organisation.id),
    label: `${organisation.name}（${enumLabel('organisationKinds', organisation.kind)}）`,
  }));
  return (
    <Select<number>
      value={value}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={candidates.isLoading}
      allowClear
      showSearch={{ filterOption: false, onSearch: setTyped }}
      placeholder={t('matters.organisationPlaceholder')}
      notFoundContent={candidates.isLoading ? null : t('matters.noCandidates')}
      data-testid={testId}
    />
  );
}

interface PersonPickerProps {
  matterId: Id;
  /** Whose people: the matter's lead unit by default, or a transfer's target organisation. */
  organisationId?: number;
  value?: number;
  onChange?: (userId: number | undefined) => void;
  testId: string;
}

/** Picks a person the server says may be assigned the matter (active handler of the unit, covering its place). */
export function PersonPicker({ matterId, organisationId, value, onChange, testId }: PersonPickerProps) {
  const { t } = useTranslation();
  const candidates = useJson(assignableUsersEndpoint(matterId, organisationId));
  const options = (candidates.data?.items ?? []).map((person) => ({
    value: Number(person.id),
    label: person.organisationName ? `${person.displayName}（${person.organisationName}）` : person.displayName,
  }));
  return (
    <Select<number>
      value={value}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={candidates.isLoading}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('matters.personPlaceholder')}
      notFoundContent={candidates.isLoading ? null : t('matters.noCandidates')}
      data-testid={testId}
    />
  );
}
