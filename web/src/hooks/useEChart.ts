import * as echarts from 'echarts/core';
import { useEffect, useRef } from 'react';

/**
 * An ECharts instance on the returned `container` element: created when the component mounts,
 * resized with the element, disposed with the component. `onInit` wires the instance's events once;
 * it runs with the callback of the first render, so it should reach changing values through refs.
 * Effects that set options belong after this call, so that the instance exists when they run.
 */
export function useEChart(onInit?: (chart: echarts.ECharts) => void) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const init = useRef(onInit);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    init.current?.(instance);
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  return { container, chart };
}
