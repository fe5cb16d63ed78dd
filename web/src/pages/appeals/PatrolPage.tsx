import { AimOutlined, CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Result, Row, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { attachMatterPhoto, createAppeal, locatePoint, type LocatedPoint } from '../../api/appeals';
import { isAbortError } from '../../api/client';
import { fetchPlaceChildren } from '../../api/places';
import { type AppealInput, type AppealKind, type Id, type Place } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PlaceTreeSelect } from '../../components/PlaceTreeSelect';
import { appealCategoryName } from '../../domain/appealCategories';
import { enumLabel } from '../../domain/labels';
import { PageHeader } from '../../layout/PageHeader';
import { AppealCategoryField, AppealKindField } from './AppealFields';
import { PatrolMap, type LonLat } from './PatrolMap';

interface PatrolForm {
  kind: AppealKind;
  categoryCode?: string;
  title?: string;
  description?: string;
}

interface Filed {
  matterId: Id;
  photos: number;
  photoError: unknown;
}

const MAX_PHOTOS = 3;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
// Levels a grid worker patrols; an account scoped higher picks from the tree instead.
const PATROL_LEVELS = new Set(['grid', 'microgrid']);

/** A fresh idempotency key; `randomUUID` needs a secure context, so fall back to random bytes. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The grids the account patrols: its own grid, or the grids of its community; null above that. */
function useOwnGrids(): { grids: Place[] | null; error: unknown } {
  const [grids, setGrids] = useState<Place[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      const roots = await fetchPlaceChildren(null, controller.signal);
      const root = roots.length === 1 ? roots[0] : undefined;
      if (root && PATROL_LEVELS.has(root.level)) return [root];
      if (root?.level === 'community') return (await fetchPlaceChildren(root.id, controller.signal)).filter((place) => place.level === 'grid');
      return null;
    })().then(
      (found) => setGrids(found ?? []),
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(failure);
      },
    );
    return () => controller.abort();
  }, []);
  return { grids, error };
}

/**
 * 网格巡查: a grid worker reports what they found in their own grids, located by the device or by a
 * tap on the grid map, with photos. The server refuses a location outside the worker's region.
 */
export function PatrolPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<PatrolForm>();
  const { grids, error: gridsError } = useOwnGrids();
  const [gridId, setGridId] = useState<string | undefined>(undefined);
  const [point, setPoint] = useState<LonLat | null>(null);
  const [located, setLocated] = useState<LocatedPoint | null>(null);
  const [locateError, setLocateError] = useState<unknown>(null);
  const [isLocating, setLocating] = useState(false);
  const [deviceError, setDeviceError] = useState<string | null>(null);
  const [photos, setPhotos] = useState<File[]>([]);
  const [photoProblem, setPhotoProblem] = useState<string | null>(null);
  const photoInput = useRef<HTMLInputElement>(null);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [isSubmitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [filed, setFiled] = useState<Filed | null>(null);
  const previews = useMemo(() => photos.map((file) => URL.createObjectURL(file)), [photos]);
  // Grids arrive after the page: a worker with one grid has it chosen for them.
  const chosenGrid = gridId ?? (grids && grids.length === 1 ? String(grids[0]!.id) : undefined);

  useEffect(() => () => previews.forEach((url) => URL.revokeObjectURL(url)), [previews]);

  // Tell the worker at once which grid a point falls in, or that it is not theirs.
  useEffect(() => {
    if (!point) return;
    const controller = new AbortController();
    setLocated(null);
    setLocateError(null);
    locatePoint(point.lon, point.lat, controller.signal).then(setLocated, (failure: unknown) => {
      if (!isAbortError(failure)) setLocateError(failure);
    });
    return () => controller.abort();
  }, [point]);

  const locateDevice = () => {
    setDeviceError(null);
    if (!('geolocation' in navigator)) {
      setDeviceError(t('patrol.noGeolocation'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        setPoint({ lon: Number(position.coords.longitude.toFixed(6)), lat: Number(position.coords.latitude.toFixed(6)) });
      },
      (failure) => {
        setLocating(false);
        setDeviceError(failure.code === failure.PERMISSION_DENIED ? t('patrol.locationDenied') : t('patrol.locationFailed'));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const addPhotos = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(event.target.files ?? []);
    event.target.value = '';
    const tooBig = chosen.filter((file) => file.size > MAX_PHOTO_BYTES);
    setPhotoProblem(tooBig.length > 0 ? t('patrol.photoTooBig', { name: tooBig[0]!.name }) : null);
    setPhotos((previous) => [...previous, ...chosen.filter((file) => file.size <= MAX_PHOTO_BYTES)].slice(0, MAX_PHOTOS));
  };

  const submit = async (values: PatrolForm) => {
    if (!point && !chosenGrid) {
      setError(null);
      setDeviceError(t('patrol.locationRequired'));
      return;
    }
    setSubmitting(true);
    setError(null);
    const description = (values.description ?? '').trim();
    const typedTitle = (values.title ?? '').trim();
    const input: AppealInput = {
      kind: values.kind,
      door: 'grid_patrol',
      categoryCode: values.categoryCode ?? '',
      // A worker on foot types little: the title defaults to the category and the description's start.
      title: typedTitle.length >= 2 ? typedTitle : `${appealCategoryName(values.categoryCode ?? '')}：${description.slice(0, 40)}`,
      description,
    };
    if (point) {
      input.lon = point.lon;
      input.lat = point.lat;
    } else if (chosenGrid) {
      input.placeId = Number(chosenGrid);
    }
    try {
      const { matterId } = await createAppeal(input, idempotencyKey);
      let uploaded = 0;
      let photoError: unknown = null;
      for (const photo of photos) {
        try {
          await attachMatterPhoto(matterId, photo);
          uploaded += 1;
        } catch (failure) {
          photoError = failure;
        }
      }
      setFiled({ matterId, photos: uploaded, photoError });
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  const another = () => {
    form.resetFields();
    setPoint(null);
    setLocated(null);
    setLocateError(null);
    setPhotos([]);
    setError(null);
    setFiled(null);
    setIdempotencyKey(newIdempotencyKey());
  };

  const header = <PageHeader title={t('patrol.title')} subtitle={t('patrol.subtitle')} crumbs={[{ title: t('nav.appeals') }, { title: t('patrol.title') }]} />;

  if (filed) {
    return (
      <>
        {header}
        <Card data-testid="patrol-result">
          {filed.photoError ? <ErrorAlert error={filed.photoError} /> : null}
          <Result
            status="success"
            title={t('patrol.filedTitle')}
            subTitle={<span data-testid="patrol-result-photos">{t('patrol.photosUploaded', { count: filed.photos })}</span>}
            extra={[
              <Link key="view" to={`/matters/${encodeURIComponent(String(filed.matterId))}`} data-testid="patrol-result-link">
                <Button>{t('appeals.viewMatter')}</Button>
              </Link>,
              <Button key="again" type="primary" onClick={another} data-testid="patrol-another">
                {t('patrol.another')}
              </Button>,
            ]}
          />
        </Card>
      </>
    );
  }

  const locatedPath = located ? [...located.ancestors.slice(-2), located.place].map((place) => place.name).join(' / ') : '';

  return (
    <>
      {header}
      {gridsError ? <ErrorAlert error={gridsError} /> : null}
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('patrol.whereTitle')} style={{ marginBottom: 16 }}>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              {grids === null || grids.length > 0 ? (
                <Select<string>
                  style={{ width: '100%' }}
                  value={chosenGrid}
                  onChange={(value) => setGridId(value)}
                  loading={grids === null}
                  placeholder={t('patrol.gridPlaceholder')}
                  options={(grids ?? []).map((grid) => ({ value: String(grid.id), label: `${grid.name}（${enumLabel('levels', grid.level)}）` }))}
                  data-testid="patrol-grid"
                />
              ) : (
                <PlaceTreeSelect value={chosenGrid} onChange={setGridId} style={{ width: '100%' }} testId="patrol-grid" />
              )}
              <Space wrap>
                <Button icon={<AimOutlined />} onClick={locateDevice} loading={isLocating} data-testid="patrol-locate">
                  {t('patrol.locate')}
                </Button>
                <Typography.Text type="secondary">{t('patrol.orTapMap')}</Typography.Text>
              </Space>
              {deviceError ? <Alert type="warning" showIcon title={deviceError} /> : null}
              {chosenGrid ? <PatrolMap placeId={chosenGrid} point={point} onPick={setPoint} /> : null}
              <Row gutter={12}>
                <Col span={12}>
                  <InputNumber<number>
                    prefix={<span className="ms-muted">{t('appeals.longitude')}</span>}
                    value={point?.lon ?? null}
                    min={-180}
                    max={180}
                    step={0.000001}
                    style={{ width: '100%' }}
                    onChange={(lon) => setPoint(lon === null ? null : { lon, lat: point?.lat ?? 0 })}
                    data-testid="patrol-lon"
                  />
                </Col>
                <Col span={12}>
                  <InputNumber<number>
                    prefix={<span className="ms-muted">{t('appeals.latitude')}</span>}
                    value={point?.lat ?? null}
                    min={-90}
                    max={90}
                    step={0.000001}
                    style={{ width: '100%' }}
                    onChange={(lat) => setPoint(lat === null ? null : { lon: point?.lon ?? 0, lat })}
                    data-testid="patrol-lat"
                  />
                </Col>
              </Row>
              {located ? (
                <Tag color="green" data-testid="patrol-located">
                  {t('patrol.locatedIn', { place: locatedPath })}
                </Tag>
              ) : null}
              {locateError ? <ErrorAlert error={locateError} /> : null}
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('patrol.whatTitle')}>
            {error ? <ErrorAlert error={error} /> : null}
            <Form<PatrolForm> form={form} layout="vertical" requiredMark initialValues={{ kind: 'report' }} onFinish={(values) => void submit(values)} data-testid="patrol-form">
              <Row gutter={16}>
                <Col xs={24} md={10}>
                  <AppealKindField testId="patrol-kind" />
                </Col>
                <Col xs={24} md={14}>
                  <AppealCategoryField testId="patrol-category" />
                </Col>
              </Row>
              <Form.Item
                name="description"
                label={t('patrol.description')}
                rules={[
                  { required: true, whitespace: true, message: t('patrol.descriptionRequired') },
                  { min: 4, message: t('patrol.descriptionRequired') },
                ]}
              >
                <Input.TextArea rows={4} maxLength={5000} showCount placeholder={t('patrol.descriptionPlaceholder')} data-testid="patrol-description" />
              </Form.Item>
              <Form.Item name="title" label={t('patrol.titleOptional')}>
                <Input maxLength={200} placeholder={t('patrol.titlePlaceholder')} data-testid="patrol-title" />
              </Form.Item>
              <Form.Item label={t('patrol.photos', { max: MAX_PHOTOS })}>
                <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                  <Button icon={<CameraOutlined />} disabled={photos.length >= MAX_PHOTOS} onClick={() => photoInput.current?.click()} style={{ width: 'fit-content' }}>
                    {t('patrol.takePhoto')}
                  </Button>
                  <input
                    ref={photoInput}
                    type="file"
                    accept="image/jpeg,image/png,image/webp"
                    capture="environment"
                    multiple
                    onChange={addPhotos}
                    style={{ display: 'none' }}
                    data-testid="patrol-photo"
                  />
                  {photoProblem ? <Alert type="warning" showIcon title={photoProblem} /> : null}
                  {photos.length > 0 ? (
                    <Space wrap data-testid="patrol-photo-list">
                      {photos.map((photo, index) => (
                        <div key={`${photo.name}-${index}`} style={{ textAlign: 'center' }}>
                          <img src={previews[index]} alt={photo.name} style={{ width: 96, height: 96, objectFit: 'cover', borderRadius: 4, border: '1px solid #eef0f4', display: 'block' }} />
                          <Button
                            size="small"
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            aria-label={t('patrol.removePhoto')}
                            onClick={() => setPhotos((previous) => previous.filter((_, i) => i !== index))}
                          />
                        </div>
                      ))}
                    </Space>
                  ) : null}
                </Space>
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={isSubmitting} data-testid="patrol-submit">
                {t('patrol.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
    </>
  );
}
