import { Alert, Button, Drawer, Spin, Typography } from 'antd';
import { ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import { GeoComponent, type GeoComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cityOutlineEndpoint } from '../../api/resident';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useJson } from '../../hooks/useJson';
import type { PickedLocation } from './LocationField';

echarts.use([GeoComponent, ScatterChart, CanvasRenderer]);

type PickOption = echarts.ComposeOption<GeoComponentOption | ScatterSeriesOption>;

const MAP_NAME = 'resident-city';

/**
 * A map of the city's districts to tap the place of the problem on, for when the phone cannot
 * locate itself. Pinch or drag to zoom in; the pin goes where the finger lands. Loaded only when
 * opened, because ECharts is the largest part of the console.
 */
export function MapPickDrawer({ initial, onPick, onClose }: { initial: PickedLocation | null; onPick: (lon: number, lat: number) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const outline = useJson(cityOutlineEndpoint());
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [pin, setPin] = useState<[number, number] | null>(initial ? [initial.lon, initial.lat] : null);
  const [isOpen, setOpen] = useState(false);

  useEffect(() => {
    const element = container.current;
    const data = outline.data;
    if (!element || !data || !isOpen) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    echarts.registerMap(MAP_NAME, data as unknown as Parameters<typeof echarts.registerMap>[1]);
    const option: PickOption = {
      geo: {
        map: MAP_NAME,
        roam: true,
        layoutCenter: ['50%', '50%'],
        layoutSize: '95%',
        label: { show: true, fontSize: 12, color: '#1a202c' },
        itemStyle: { areaColor: '#e8f0fb', borderColor: '#6e9bd9' },
        emphasis: { disabled: true },
        select: { disabled: true },
      },
      series: [{ type: 'scatter', coordinateSystem: 'geo', symbol: 'pin', symbolSize: 36, itemStyle: { color: '#b71c1c' }, data: [] }],
    };
    instance.setOption(option);
    // A tap anywhere on the canvas, not only on a district shape, turns into a coordinate.
    instance.getZr().on('click', (event) => {
      const point = instance.convertFromPixel({ geoIndex: 0 }, [event.offsetX, event.offsetY]) as number[] | undefined;
      if (point && Number.isFinite(point[0]) && Number.isFinite(point[1])) setPin([point[0]!, point[1]!]);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [outline.data, isOpen]);

  useEffect(() => {
    chart.current?.setOption({ series: [{ data: pin ? [pin] : [] }] });
  }, [pin, outline.data, isOpen]);

  return (
    <Drawer
      placement="bottom"
      size="92%"
      open
      onClose={onClose}
      afterOpenChange={setOpen}
      title={t('mobile.mapTitle')}
      destroyOnHidden
      footer={
        <Button type="primary" block disabled={!pin} onClick={() => pin && onPick(pin[0], pin[1])} className="rm-big-button" data-testid="resident-m-map-confirm">
          {pin ? t('mobile.mapConfirm', { lon: pin[0].toFixed(5), lat: pin[1].toFixed(5) }) : t('mobile.mapTapHint')}
        </Button>
      }
      styles={{ body: { padding: 0 } }}
    >
      {outline.error ? <ErrorAlert error={outline.error} onRetry={outline.reload} /> : null}
      {outline.data && outline.data.features.length === 0 ? <Alert type="info" showIcon title={t('mobile.mapEmpty')} /> : null}
      <Typography.Text type="secondary" className="rm-map-hint">
        {t('mobile.mapHint')}
      </Typography.Text>
      <Spin spinning={outline.isLoading}>
        <div ref={container} className="rm-map" data-testid="resident-m-map" />
      </Spin>
    </Drawer>
  );
}
