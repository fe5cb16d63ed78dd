import { Empty, Spin } from 'antd';
import { ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import { GeoComponent, TooltipComponent, type GeoComponentOption, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../hooks/useEChart';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { placeMapEndpoint } from '../../api/places';
import type { Id, PlaceFeature } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useJson } from '../../hooks/useJson';

echarts.use([GeoComponent, ScatterChart, TooltipComponent, CanvasRenderer]);

type PatrolOption = echarts.ComposeOption<GeoComponentOption | ScatterSeriesOption | TooltipComponentOption>;

/** A WGS84 point. */
export interface LonLat {
  lon: number;
  lat: number;
}

interface PatrolMapProps {
  placeId: Id;
  point: LonLat | null;
  /** The worker tapped the map here. */
  onPick: (point: LonLat) => void;
}

function hasGeometry(feature: PlaceFeature): boolean {
  return feature.geometry !== null && feature.geometry !== undefined;
}

/**
 * One grid (its micro-grids, or itself) to tap where the problem is, with the chosen point marked.
 * The map's own pixel-to-coordinate conversion turns a tap into longitude and latitude.
 */
export function PatrolMap({ placeId, point, onPick }: PatrolMapProps) {
  const { t } = useTranslation();
  const pickRef = useRef(onPick);
  const pointRef = useRef(point);
  const map = useJson(placeMapEndpoint(placeId));
  const features = useMemo(() => (map.data?.features ?? []).filter(hasGeometry), [map.data]);

  useEffect(() => {
    pickRef.current = onPick;
  }, [onPick]);

  const { container, chart } = useEChart((instance) => {
    instance.getZr().on('click', (event) => {
      const coordinates = instance.convertFromPixel({ geoIndex: 0 }, [event.offsetX, event.offsetY]) as number[] | undefined;
      if (!coordinates || coordinates.length < 2 || !Number.isFinite(coordinates[0]) || !Number.isFinite(coordinates[1])) return;
      pickRef.current({ lon: Number(coordinates[0]!.toFixed(6)), lat: Number(coordinates[1]!.toFixed(6)) });
    });
  });

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !map.data) return;
    if (features.length === 0) {
      instance.clear();
      return;
    }
    const mapName = `patrol-${String(placeId)}`;
    echarts.registerMap(mapName, { type: 'FeatureCollection', features } as unknown as Parameters<typeof echarts.registerMap>[1]);
    const option: PatrolOption = {
      tooltip: { trigger: 'item', formatter: (params) => (params as { name?: string }).name ?? '' },
      geo: {
        map: mapName,
        nameProperty: 'name',
        roam: true,
        layoutCenter: ['50%', '50%'],
        layoutSize: '94%',
        itemStyle: { areaColor: '#e8f0fb', borderColor: '#4a7fc9', borderWidth: 1 },
        emphasis: { itemStyle: { areaColor: '#d4e3f7' }, label: { show: false } },
        label: { show: features.length <= 12, color: '#4a5568', fontSize: 11 },
      },
      series: [
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          symbol: 'pin',
          symbolSize: 36,
          itemStyle: { color: '#d4380d' },
          data: pointRef.current ? [[pointRef.current.lon, pointRef.current.lat]] : [],
          silent: true,
        },
      ],
    };
    instance.setOption(option, true);
  }, [map.data, features, placeId]);

  // Moving the pin merges the marker alone, so the worker's zoom and pan stay as they were.
  useEffect(() => {
    pointRef.current = point;
    const instance = chart.current;
    if (!instance || features.length === 0) return;
    instance.setOption({ series: [{ data: point ? [[point.lon, point.lat]] : [] }] });
  }, [point, features]);

  const isEmpty = map.data !== undefined && features.length === 0;
  return (
    <div className="ms-map-wrap">
      {map.error ? <ErrorAlert error={map.error} onRetry={map.reload} /> : null}
      <Spin spinning={map.isLoading}>
        <div ref={container} className="ms-map" style={{ height: 360, cursor: 'crosshair' }} data-testid="patrol-map" data-empty={isEmpty ? 'true' : undefined} />
        {isEmpty ? (
          <div className="ms-map-empty">
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('places.mapEmpty')} />
          </div>
        ) : null}
      </Spin>
    </div>
  );
}
