import { Breadcrumb, Empty, Space, Spin, Typography } from 'antd';
import { MapChart, type MapSeriesOption } from 'echarts/charts';
import { TooltipComponent, VisualMapComponent, type TooltipComponentOption, type VisualMapComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../hooks/useEChart';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { openByPlaceEndpoint } from '../../api/appeals';
import { isAbortError } from '../../api/client';
import { fetchPlaceChildren, placeMapEndpoint } from '../../api/places';
import type { PlaceFeature } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { enumLabel } from '../../domain/labels';
import { useJson } from '../../hooks/useJson';

echarts.use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type MapOption = echarts.ComposeOption<MapSeriesOption | TooltipComponentOption | VisualMapComponentOption>;

/** A place on the drill-down path. */
interface Stop {
  id: number;
  name: string;
}

/** What each region carries, so tooltips and clicks need no second lookup. */
interface RegionDatum {
  name: string;
  value: number;
  overdue: number;
  placeId: number;
  placeName: string;
  level: string;
}

// From calm to alarming: few open appeals pale, many deep red.
const PALETTE = ['#fff7e6', '#ffd591', '#ffa940', '#fa541c', '#a8071a'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function hasGeometry(feature: PlaceFeature): boolean {
  return feature.geometry !== null && feature.geometry !== undefined;
}

/**
 * The places of the account's region coloured by their open appeals (a visualMap legend gives the
 * scale); clicking a place drills down to its children, down to the grids, and the path above the
 * map climbs back up. Boundaries come from the place map API, counts from open-by-place.
 */
export function OpenMattersMap() {
  const { t, i18n } = useTranslation();
  const [path, setPath] = useState<Stop[]>([]);
  const [rootError, setRootError] = useState<unknown>(null);
  const current = path.at(-1);
  const shapes = useJson(current ? placeMapEndpoint(current.id) : null);
  const counts = useJson(current ? openByPlaceEndpoint(current.id) : null);
  const drillRef = useRef<(datum: RegionDatum) => void>(() => undefined);

  useEffect(() => {
    const controller = new AbortController();
    fetchPlaceChildren(null, controller.signal).then(
      (roots) => {
        const root = roots[0];
        if (root) setPath([{ id: Number(root.id), name: root.name }]);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setRootError(failure);
      },
    );
    return () => controller.abort();
  }, []);

  useEffect(() => {
    drillRef.current = (datum) => {
      // A place without children maps as itself: there is nothing further down.
      if (!current || datum.placeId === current.id || counts.data?.depth === 0) return;
      setPath((previous) => [...previous, { id: datum.placeId, name: datum.placeName }]);
    };
  }, [current, counts.data]);

  const { container, chart } = useEChart((instance) => {
    instance.on('click', (params) => {
      const datum = params.data as RegionDatum | undefined;
      if (datum?.placeId !== undefined) drillRef.current(datum);
    });
  });

  const features = useMemo(() => (shapes.data?.features ?? []).filter(hasGeometry), [shapes.data]);
  const regions: RegionDatum[] = useMemo(() => {
    const byPlace = new Map((counts.data?.items ?? []).map((item) => [item.placeId, item]));
    return features.map((feature) => {
      const count = byPlace.get(Number(feature.properties.id));
      return {
        name: feature.properties.code,
        value: count?.open ?? 0,
        overdue: count?.overdue ?? 0,
        placeId: Number(feature.properties.id),
        placeName: feature.properties.name,
        level: feature.properties.level,
      };
    });
  }, [features, counts.data]);
  const totalOpen = regions.reduce((sum, region) => sum + region.value, 0);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !current || !shapes.data || !counts.data) return;
    if (features.length === 0) {
      instance.clear();
      return;
    }
    const mapName = `open-${String(current.id)}`;
    echarts.registerMap(mapName, { type: 'FeatureCollection', features } as unknown as Parameters<typeof echarts.registerMap>[1]);
    const max = Math.max(1, ...regions.map((region) => region.value));
    const openLabel = t('openMap.open');
    const overdueLabel = t('openMap.overdue');
    const option: MapOption = {
      tooltip: {
        trigger: 'item',
        formatter: (params) => {
          const datum = (Array.isArray(params) ? params[0] : params)?.data as RegionDatum | undefined;
          if (!datum) return '';
          return [
            `<strong>${escapeHtml(datum.placeName)}</strong>（${escapeHtml(enumLabel('levels', datum.level))}）`,
            `${escapeHtml(openLabel)}：${datum.value.toLocaleString()}`,
            `${escapeHtml(overdueLabel)}：${datum.overdue.toLocaleString()}`,
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
        text: [t('openMap.legendHigh'), t('openMap.legendLow')],
        inRange: { color: PALETTE },
        textStyle: { color: '#4a5568' },
      },
      series: [
        {
          type: 'map',
          map: mapName,
          nameProperty: 'code',
          roam: true,
          selectedMode: false,
          layoutCenter: ['50%', '50%'],
          layoutSize: '92%',
          data: regions,
          label: {
            show: regions.length <= 40,
            formatter: (params) => {
              const datum = params.data as RegionDatum | undefined;
              return datum ? `${datum.placeName}\n${datum.value}` : '';
            },
            fontSize: 11,
            color: '#1a202c',
            textBorderColor: '#ffffff',
            textBorderWidth: 3,
          },
          itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
          emphasis: { itemStyle: { areaColor: '#1f4e96' }, label: { show: true, color: '#ffffff', textBorderWidth: 0 } },
        },
      ],
    };
    instance.setOption(option, true);
  }, [current, shapes.data, counts.data, features, regions, t, i18n.language]);

  const error = rootError ?? shapes.error ?? counts.error;
  const isEmpty = shapes.data !== undefined && features.length === 0;
  return (
    <div data-testid="kpi-open-map" data-place-id={current?.id} data-total-open={counts.data ? totalOpen : undefined}>
      <Space size={12} wrap style={{ marginBottom: 8 }}>
        <Breadcrumb
          data-testid="kpi-open-map-path"
          items={path.map((stop, index) => ({
            key: stop.id,
            title:
              index < path.length - 1 ? (
                <Typography.Link onClick={() => setPath((previous) => previous.slice(0, index + 1))} data-testid="kpi-open-map-up">
                  {stop.name}
                </Typography.Link>
              ) : (
                <span data-testid="kpi-open-map-current">{stop.name}</span>
              ),
          }))}
        />
        <Typography.Text type="secondary">{t('openMap.hint')}</Typography.Text>
        {counts.data && counts.data.unplaced.open > 0 ? (
          <Typography.Text type="secondary">{t('openMap.unplaced', { count: counts.data.unplaced.open })}</Typography.Text>
        ) : null}
      </Space>
      {error ? <ErrorAlert error={error} onRetry={() => (shapes.error ? shapes.reload() : counts.reload())} /> : null}
      <div className="ms-map-wrap">
        <Spin spinning={shapes.isLoading || counts.isLoading}>
          <div ref={container} className="ms-map" style={{ height: 460 }} />
          {isEmpty ? (
            <div className="ms-map-empty">
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('places.mapEmpty')} />
            </div>
          ) : null}
        </Spin>
      </div>
    </div>
  );
}

export default OpenMattersMap;
