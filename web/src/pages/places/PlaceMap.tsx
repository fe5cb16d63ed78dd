import { Empty, Spin } from 'antd';
import { MapChart, type MapSeriesOption } from 'echarts/charts';
import { TooltipComponent, VisualMapComponent, type TooltipComponentOption, type VisualMapComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../hooks/useEChart';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { placeMapEndpoint } from '../../api/places';
import type { Id, PlaceFeature, PlaceMap as PlaceMapData } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { enumLabel } from '../../domain/labels';
import { useJson } from '../../hooks/useJson';

echarts.use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type MapOption = echarts.ComposeOption<MapSeriesOption | TooltipComponentOption | VisualMapComponentOption>;

/** What each region carries, so tooltips and clicks need no second lookup. */
interface RegionDatum {
  name: string;
  value: number;
  placeId: Id;
  placeName: string;
  level: string;
}

/** A choropleth names regions by this property: codes are unique where names may not be. */
const REGION_KEY = 'code';
const PALETTE = ['#eef4fc', '#c9dbf3', '#9dbde8', '#6e9bd9', '#4a7fc9'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function hasGeometry(feature: PlaceFeature): boolean {
  return feature.geometry !== null && feature.geometry !== undefined;
}

interface PlaceMapProps {
  placeId: Id;
  /** A region was clicked: drill into that child place. */
  onSelectPlace: (placeId: Id) => void;
}

/**
 * The children of a place on a map, shaded by resident count. Loaded lazily with its page, because
 * ECharts is the largest dependency of the console.
 */
export function PlaceMap({ placeId, onSelectPlace }: PlaceMapProps) {
  const { t, i18n } = useTranslation();
  const selectRef = useRef(onSelectPlace);
  const map = useJson(placeMapEndpoint(placeId));

  useEffect(() => {
    selectRef.current = onSelectPlace;
  }, [onSelectPlace]);

  const features = useMemo(() => (map.data?.features ?? []).filter(hasGeometry), [map.data]);

  const { container, chart } = useEChart((instance) => {
    instance.on('click', (params) => {
      const datum = params.data as RegionDatum | undefined;
      if (datum?.placeId !== undefined) selectRef.current(datum.placeId);
    });
  });

  useEffect(() => {
    const instance = chart.current;
    const data: PlaceMapData | undefined = map.data;
    if (!instance || !data) return;
    if (features.length === 0) {
      instance.clear();
      return;
    }
    const mapName = `place-${String(placeId)}`;
    echarts.registerMap(mapName, { type: 'FeatureCollection', features } as unknown as Parameters<typeof echarts.registerMap>[1]);
    const regions: RegionDatum[] = features.map((feature) => ({
      name: feature.properties[REGION_KEY],
      value: feature.properties.residentCount,
      placeId: feature.properties.id,
      placeName: feature.properties.name,
      level: feature.properties.level,
    }));
    const max = Math.max(1, ...regions.map((region) => region.value));
    const countLabel = t('places.residentCount');
    const codeLabel = t('places.code');
    const levelLabel = t('places.level');
    const option: MapOption = {
      tooltip: {
        trigger: 'item',
        formatter: (params) => {
          const datum = (Array.isArray(params) ? params[0] : params)?.data as RegionDatum | undefined;
          if (!datum) return '';
          return [
            `<strong>${escapeHtml(datum.placeName)}</strong>`,
            `${escapeHtml(codeLabel)}：${escapeHtml(datum.name)}`,
            `${escapeHtml(levelLabel)}：${escapeHtml(enumLabel('levels', datum.level))}`,
            `${escapeHtml(countLabel)}：${datum.value.toLocaleString()}`,
          ].join('<br/>');
        },
      },
      visualMap: {
        type: 'continuous',
        min: 0,
        max,
        left: 16,
        bottom: 16,
        calculable: true,
        inRange: { color: PALETTE },
        textStyle: { color: '#4a5568' },
      },
      series: [
        {
          type: 'map',
          map: mapName,
          nameProperty: REGION_KEY,
          roam: true,
          selectedMode: false,
          layoutCenter: ['50%', '50%'],
          layoutSize: '92%',
          data: regions,
          label: {
            show: regions.length <= 40,
            formatter: (params) => (params.data as RegionDatum | undefined)?.placeName ?? '',
            fontSize: 12,
            color: '#1a202c',
            textBorderColor: '#ffffff',
            textBorderWidth: 3,
          },
          itemStyle: { borderColor: '#ffffff', borderWidth: 1, areaColor: '#e8f0fb' },
          emphasis: {
            label: { show: true, color: '#1a202c', fontWeight: 'bold', textBorderColor: '#ffffff', textBorderWidth: 3 },
            itemStyle: { areaColor: '#d4a72c' },
          },
        },
      ],
    };
    instance.setOption(option, true);
  }, [map.data, features, placeId, t, i18n.language]);

  const isEmpty = map.data !== undefined && features.length === 0;
  return (
    <div className="ms-map-wrap">
      {map.error ? <ErrorAlert error={map.error} onRetry={map.reload} /> : null}
      <Spin spinning={map.isLoading}>
        <div ref={container} className="ms-map" data-testid="grid-map" data-empty={isEmpty ? 'true' : undefined} />
        {isEmpty ? (
          <div className="ms-map-empty">
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('places.mapEmpty')} />
          </div>
        ) : null}
      </Spin>
    </div>
  );
}

export default PlaceMap;
