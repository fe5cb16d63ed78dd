import { Empty } from 'antd';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../hooks/useEChart';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type BarOption = echarts.ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

/** One bar: a unit and its rate (0..1). */
export interface KpiBar {
  name: string;
  rate: number;
  total: number;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Formats a 0..1 rate as a percentage with one decimal. */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** A ranking of units by one rate, best first, as horizontal bars. */
export function KpiChart({ bars, metricName }: { bars: KpiBar[]; metricName: string }) {
  const { t } = useTranslation();

  const { container, chart } = useEChart();

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    // Best at the top: a category y axis draws its first entry at the bottom.
    const ordered = [...bars].reverse();
    const totalLabel = t('appeals.total');
    const option: BarOption = {
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params) => {
          const first = Array.isArray(params) ? params[0] : params;
          const index = first?.dataIndex ?? 0;
          const bar = ordered[index];
          if (!bar) return '';
          return [
            `<strong>${escapeHtml(bar.name)}</strong>`,
            `${escapeHtml(metricName)}：${formatRate(bar.rate)}`,
            `${escapeHtml(totalLabel)}：${bar.total.toLocaleString()}`,
          ].join('<br/>');
        },
      },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: ordered.map((bar) => bar.name), axisLabel: { width: 160, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          name: metricName,
          data: ordered.map((bar) => Math.round(bar.rate * 1000) / 10),
          barMaxWidth: 22,
          itemStyle: { color: '#1f4e96', borderRadius: [0, 3, 3, 0] },
          label: { show: true, position: 'right', formatter: '{c}%' },
        },
      ],
    };
    instance.setOption(option, true);
    instance.resize();
  }, [bars, metricName, t]);

  return (
    <div data-testid="kpi-chart" style={{ position: 'relative' }}>
      <div ref={container} style={{ width: '100%', height: Math.max(240, bars.length * 32 + 40) }} />
      {bars.length === 0 ? (
        <div style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appeals.noData')} />
        </div>
      ) : null}
    </div>
  );
}
