import { PlaceTreeSelect } from '../../../components/PlaceTreeSelect';

/** The place picker as a form control (the form gives it its value and change handler). */
export function PlaceField({ value, onChange, testId }: { value?: string; onChange?: (placeId: string | undefined) => void; testId: string }) {
  return <PlaceTreeSelect value={value} onChange={(placeId) => onChange?.(placeId)} style={{ width: '100%' }} testId={testId} />;
}
