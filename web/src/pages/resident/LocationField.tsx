import { AimOutlined, EditOutlined, EnvironmentFilled, GlobalOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space, Spin } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbortError } from '../../api/client';
import { locateForResident, type ResidentLocation } from '../../api/resident';
import { errorText } from '../../i18n/errors';

const MapPickDrawer = lazy(() => import('./MapPickDrawer').then((m) => ({ default: m.MapPickDrawer })));

/** A location for the report, and how it was found. */
export interface PickedLocation {
  lon: number;
  lat: number;
  source: 'device' | 'map' | 'typed';
  /** Metres, as the phone reports its own uncertainty. */
  accuracy?: number;
}

type LocateFailure = 'unsupported' | 'denied' | 'unavailable' | 'timeout';

/** The district, street and community of a location, asked of the server whenever it changes. */
export function usePlaceOf(location: PickedLocation | null): { place: ResidentLocation | undefined; error: unknown; isLoading: boolean } {
  const [state, setState] = useState<{ place: ResidentLocation | undefined; error: unknown; isLoading: boolean }>({ place: undefined, error: undefined, isLoading: false });
  const lon = location?.lon;
  const lat = location?.lat;
  useEffect(() => {
    if (lon === undefined || lat === undefined) {
      setState({ place: undefined, error: undefined, isLoading: false });
      return;
    }
    const controller = new AbortController();
    setState({ place: undefined, error: undefined, isLoading: true });
    locateForResident(lon, lat, controller.signal).then(
      (place) => setState({ place, error: undefined, isLoading: false }),
      (error: unknown) => {
        if (!isAbortError(error)) setState({ place: undefined, error, isLoading: false });
      },
    );
    return () => controller.abort();
  }, [lon, lat]);
  return state;
}

function failureOf(error: GeolocationPositionError): LocateFailure {
  if (error.code === error.PERMISSION_DENIED) return 'denied';
  if (error.code === error.TIMEOUT) return 'timeout';
  return 'unavailable';
}

function parseCoordinate(text: string, limit: number): number | null {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) && Math.abs(value) <= limit ? value : null;
}

/**
 * Where the problem is: from the phone (navigator.geolocation), or, when the phone cannot or may
 * not tell, picked on a map of the city or typed as coordinates. Shows the community it falls in.
 */
export function LocationField({
  value,
  onChange,
  place,
  isPlaceLoading,
  placeError,
}: {
  value: PickedLocation | null;
  onChange: (location: PickedLocation) => void;
  place: ResidentLocation | undefined;
  isPlaceLoading: boolean;
  placeError: unknown;
}) {
  const { t } = useTranslation();
  const [isLocating, setLocating] = useState(false);
  const [failure, setFailure] = useState<LocateFailure | null>(null);
  const [isMapOpen, setMapOpen] = useState(false);
  const [isTyping, setTyping] = useState(false);
  const [typedLon, setTypedLon] = useState('');
  const [typedLat, setTypedLat] = useState('');

  const locate = () => {
    setFailure(null);
    if (!('geolocation' in navigator)) {
      setFailure('unsupported');
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        onChange({ lon: position.coords.longitude, lat: position.coords.latitude, source: 'device', accuracy: position.coords.accuracy });
      },
      (error) => {
        setLocating(false);
        setFailure(failureOf(error));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const typedLonValue = parseCoordinate(typedLon, 180);
  const typedLatValue = parseCoordinate(typedLat, 90);
  const applyTyped = () => {
    if (typedLonValue === null || typedLatValue === null) return;
    onChange({ lon: typedLonValue, lat: typedLatValue, source: 'typed' });
  };

  const placeText = place?.isInCity ? [place.district, place.street, place.community].filter(Boolean).join(' · ') : '';

  return (
    <div className="rm-location">
      {value ? (
        <div className="rm-location-value" data-testid="resident-m-location" data-lon={value.lon} data-lat={value.lat} data-in-city={place ? String(place.isInCity) : ''}>
          <EnvironmentFilled className="rm-location-pin" />
          <div>
            <div className="rm-location-place">{isPlaceLoading ? <Spin size="small" /> : placeText || t('mobile.locationUnknownPlace')}</div>
            <div className="rm-location-coords">
              {t('mobile.coordinates', { lon: value.lon.toFixed(5), lat: value.lat.toFixed(5) })} · {t(`mobile.locationSources.${value.source}`)}
              {value.accuracy !== undefined ? ` · ${t('mobile.accuracy', { metres: Math.round(value.accuracy) })}` : ''}
            </div>
          </div>
        </div>
      ) : (
        <div className="rm-field-placeholder rm-location-empty">{t('mobile.locationPlaceholder')}</div>
      )}
      {place && !place.isInCity ? <Alert type="error" showIcon title={t('mobile.outsideCity')} data-testid="resident-m-outside" /> : null}
      {placeError ? <Alert type="warning" showIcon title={errorText(placeError)} /> : null}
      {failure ? <Alert type="warning" showIcon title={t(`mobile.locateFailures.${failure}`)} data-testid="resident-m-locate-failed" /> : null}
      <div className="rm-location-actions">
        <Button type={value ? 'default' : 'primary'} icon={<AimOutlined />} loading={isLocating} onClick={locate} data-testid="resident-m-locate">
          {value?.source === 'device' ? t('mobile.locateAgain') : t('mobile.locate')}
        </Button>
        <Button icon={<GlobalOutlined />} onClick={() => setMapOpen(true)} data-testid="resident-m-map-pick">
          {t('mobile.pickOnMap')}
        </Button>
      </div>
      <Button type="link" icon={<EditOutlined />} onClick={() => setTyping((typing) => !typing)} className="rm-link-button" data-testid="resident-m-type-coords">
        {t('mobile.typeCoordinates')}
      </Button>
      {isTyping ? (
        <Space.Compact block>
          <Input
            inputMode="decimal"
            placeholder={t('mobile.longitude')}
            value={typedLon}
            onChange={(event) => setTypedLon(event.target.value)}
            status={typedLon && typedLonValue === null ? 'error' : undefined}
            data-testid="resident-m-lon"
          />
          <Input
            inputMode="decimal"
            placeholder={t('mobile.latitude')}
            value={typedLat}
            onChange={(event) => setTypedLat(event.target.value)}
            status={typedLat && typedLatValue === null ? 'error' : undefined}
            data-testid="resident-m-lat"
          />
          <Button type="primary" disabled={typedLonValue === null || typedLatValue === null} onClick={applyTyped} data-testid="resident-m-coords-apply">
            {t('common.confirm')}
          </Button>
        </Space.Compact>
      ) : null}
      {isMapOpen ? (
        <Suspense fallback={null}>
          <MapPickDrawer
            initial={value}
            onClose={() => setMapOpen(false)}
            onPick={(lon, lat) => {
              setMapOpen(false);
              onChange({ lon, lat, source: 'map' });
            }}
          />
        </Suspense>
      ) : null}
    </div>
  );
}
