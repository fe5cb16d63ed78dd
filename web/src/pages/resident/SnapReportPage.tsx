import { CameraOutlined, CloseOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Input, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { fileResidentReport, uploadReportPhoto } from '../../api/resident';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { errorText } from '../../i18n/errors';
import { CategoryPicker } from './CategoryPicker';
import { LocationField, usePlaceOf, type PickedLocation } from './LocationField';
import { MAX_PHOTOS, preparePhoto } from './photos';

/** What the detail page shows right after sending. */
export interface FiledState {
  justFiled: true;
  photoFailures: number;
}

interface ChosenPhoto {
  key: string;
  file: File;
  previewUrl: string;
}

/**
 * 随手拍: a resident photographs a problem, says where it is (the phone's position, a tap on the
 * map, or typed coordinates), picks what kind of problem it is and describes it. The report is
 * sent first, with an idempotency key so that a retried send files it once, then its photos.
 */
export function SnapReportPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('mobile.newTitle'));
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [photos, setPhotos] = useState<ChosenPhoto[]>([]);
  const [location, setLocation] = useState<PickedLocation | null>(null);
  const [categoryCode, setCategoryCode] = useState<string | undefined>(undefined);
  const [description, setDescription] = useState('');
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [isSending, setSending] = useState(false);
  const [hasTriedSending, setTriedSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const place = usePlaceOf(location);

  // Object URLs hold the photo in memory until revoked: a removed one at once, the rest on leaving.
  const shown = useRef<ChosenPhoto[]>([]);
  useEffect(() => {
    shown.current = photos;
  }, [photos]);
  useEffect(() => () => shown.current.forEach((photo) => URL.revokeObjectURL(photo.previewUrl)), []);
  const removePhoto = (photo: ChosenPhoto) => {
    URL.revokeObjectURL(photo.previewUrl);
    setPhotos((current) => current.filter((candidate) => candidate.key !== photo.key));
  };

  const addPhotos = (files: FileList | null) => {
    if (!files) return;
    const room = MAX_PHOTOS - photos.length;
    const chosen = [...files].filter((file) => file.type.startsWith('image/')).slice(0, Math.max(room, 0));
    if (files.length > chosen.length) message.warning(t('mobile.photoLimit', { count: MAX_PHOTOS }));
    setPhotos((current) => [...current, ...chosen.map((file) => ({ key: crypto.randomUUID(), file, previewUrl: URL.createObjectURL(file) }))]);
  };

  const problems = {
    location: !location ? t('mobile.locationRequired') : place.place && !place.place.isInCity ? t('mobile.outsideCity') : null,
    category: categoryCode ? null : t('mobile.categoryRequired'),
    description: description.trim().length >= 2 ? null : t('mobile.descriptionRequired'),
  };
  const isReady = !problems.location && !problems.category && !problems.description && !place.isLoading;

  const send = async () => {
    setTriedSending(true);
    if (!isReady || !location || !categoryCode) return;
    setSending(true);
    setError(null);
    try {
      const report = await fileResidentReport({ categoryCode, description: description.trim(), lon: location.lon, lat: location.lat }, idempotencyKey);
      let photoFailures = 0;
      for (const photo of photos) {
        try {
          const prepared = await preparePhoto(photo.file);
          if (!prepared) throw new Error('unusable photo');
          await uploadReportPhoto(report.id, prepared.blob, prepared.name);
        } catch {
          photoFailures += 1;
        }
      }
      const state: FiledState = { justFiled: true, photoFailures };
      await navigate(`/m/reports/${encodeURIComponent(String(report.id))}`, { state });
    } catch (failure) {
      setError(failure);
    } finally {
      setSending(false);
    }
  };

  const problemOf = (field: keyof typeof problems) =>
    hasTriedSending && problems[field] ? <div className="rm-field-error">{problems[field]}</div> : null;

  return (
    <div className="rm-page" data-testid="resident-m-form">
      <Typography.Title level={4} className="rm-page-title">
        {t('mobile.newTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('mobile.newIntro')}</Typography.Paragraph>

      <section className="rm-card">
        <div className="rm-card-title">{t('mobile.photos')}</div>
        <div className="rm-photo-grid" data-testid="resident-m-photo-previews">
          {photos.map((photo) => (
            <div key={photo.key} className="rm-photo">
              <img src={photo.previewUrl} alt={photo.file.name} />
              <button
                type="button"
                className="rm-photo-remove"
                aria-label={t('mobile.removePhoto')}
                onClick={() => removePhoto(photo)}
              >
                <CloseOutlined />
              </button>
            </div>
          ))}
          {photos.length < MAX_PHOTOS ? (
            <label className="rm-photo rm-photo-add">
              <CameraOutlined />
              <span>{t('mobile.takePhoto')}</span>
              <input
                type="file"
                accept="image/*"
                capture="environment"
                className="rm-visually-hidden"
                onChange={(event) => {
                  addPhotos(event.target.files);
                  event.target.value = '';
                }}
                data-testid="resident-m-photo"
              />
            </label>
          ) : null}
        </div>
        <Typography.Text type="secondary" className="rm-hint">
          {t('mobile.photoHint', { count: MAX_PHOTOS })}
        </Typography.Text>
      </section>

      <section className="rm-card">
        <div className="rm-card-title">{t('mobile.location')}</div>
        <LocationField value={location} onChange={setLocation} place={place.place} isPlaceLoading={place.isLoading} placeError={place.error} />
        {problemOf('location')}
      </section>

      <section className="rm-card">
        <div className="rm-card-title">{t('mobile.category')}</div>
        <CategoryPicker value={categoryCode} onChange={setCategoryCode} />
        {problemOf('category')}
      </section>

      <section className="rm-card">
        <div className="rm-card-title">{t('mobile.description')}</div>
        <Input.TextArea
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          rows={4}
          maxLength={2000}
          showCount
          placeholder={t('mobile.descriptionPlaceholder')}
          data-testid="resident-m-description"
        />
        {problemOf('description')}
      </section>

      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} data-testid="resident-m-send-error" /> : null}
      <Button type="primary" block icon={<SendOutlined />} loading={isSending} onClick={() => void send()} className="rm-big-button" data-testid="resident-m-send">
        {isSending ? t('mobile.sending') : t('mobile.send')}
      </Button>
      <Typography.Paragraph type="secondary" className="rm-hint rm-send-hint">
        {t('mobile.sendHint')}
      </Typography.Paragraph>
    </div>
  );
}
