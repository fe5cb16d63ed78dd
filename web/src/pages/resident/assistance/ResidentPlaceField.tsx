import { EnvironmentFilled } from '@ant-design/icons';
import { Alert } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlaceFieldProps } from '../../assistance/applications/ApplicationForm';
import { LocationField, usePlaceOf, type PickedLocation } from '../LocationField';

/**
 * Where the household lives, picked the way 随手拍 picks a location (the phone's position, a tap
 * on the map, or typed coordinates): the server names the grid holding the point, and the
 * application is filed under that grid's code.
 */
export function ResidentPlaceField({ value, onChange, problem }: PlaceFieldProps) {
  const { t } = useTranslation();
  const [location, setLocation] = useState<PickedLocation | null>(null);
  const place = usePlaceOf(location);
  const found = place.place;

  useEffect(() => {
    if (!found?.isInCity || !found.placeCode) return;
    const label = [found.district, found.street, found.community].filter(Boolean).join(' · ');
    onChange({ code: found.placeCode, label });
    // Only a newly located place is taken: `onChange` is a new function at every render of the form.
  }, [found]);

  const isOutside = found !== undefined && (!found.isInCity || !found.placeCode);
  return (
    <div>
      {value ? (
        <div className="rm-location-value" data-testid="application-place" data-code={value.code}>
          <EnvironmentFilled className="rm-location-pin" />
          <div className="rm-location-place">{t('applications.form.placeChosen', { name: value.label })}</div>
        </div>
      ) : null}
      <LocationField value={location} onChange={setLocation} place={found} isPlaceLoading={place.isLoading} placeError={place.error} />
      {isOutside && found?.isInCity ? <Alert type="warning" showIcon title={t('applications.form.placeNoCode')} /> : null}
      {problem ? <div className="rm-field-error">{problem}</div> : null}
    </div>
  );
}
