import { Tag } from 'antd';
import type { DiscoveryReference } from '../../../api/discovery';
import { translateOptional } from '../../../i18n/dynamic';
import { localName } from '../assistanceLabels';

/**
 * Words for the codes of active discovery. Kinds, states and outcomes have console words; need
 * kinds and monitoring categories are rows on the server, named in both languages there. A code
 * the console has no words for shows as itself, still readable.
 */
function label(group: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return translateOptional(`discovery.${group}.${code}`) ?? code;
}

/** A warning kind (因病致贫风险…). */
export const warningKindLabel = (kind: string | null | undefined) => label('kinds', kind);
/** A state of a warning's matter. */
export const warningStateLabel = (state: string | null | undefined) => label('states', state);
/** A decision on a warning. */
export const outcomeLabel = (outcome: string | null | undefined) => label('outcomes', outcome);

/** A need kind by code, named from the reference data. */
export function needLabel(reference: DiscoveryReference | undefined, code: string): string {
  const need = reference?.needs.find((n) => n.code === code);
  return need ? localName(need) : code;
}

/** A monitoring category by code, named from the reference data. */
export function categoryLabel(reference: DiscoveryReference | undefined, code: string): string {
  const category = reference?.categories.find((c) => c.code === code);
  return category ? localName(category) : code;
}

/** Path of a warning's page. */
export function warningPath(id: string | number): string {
  return `/assistance/warnings/${encodeURIComponent(String(id))}`;
}

const STATE_COLORS: Record<string, string> = {
  verifying: 'orange',
  verified: 'blue',
  included: 'green',
  benefit_raised: 'green',
  temporary_assistance: 'green',
  resources_linked: 'green',
  not_needed: 'default',
};

/** A warning's state as a coloured tag. */
export function WarningStateTag({ state }: { state: string }) {
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-testid="discovery-warning-state" data-state={state}>
      {warningStateLabel(state)}
    </Tag>
  );
}

/** Needs as small tags. */
export function NeedTags({ reference, needs }: { reference: DiscoveryReference | undefined; needs: string[] }) {
  if (needs.length === 0) return <>—</>;
  return (
    <>
      {needs.map((need) => (
        <Tag key={need} color="cyan">
          {needLabel(reference, need)}
        </Tag>
      ))}
    </>
  );
}
