import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { createContext, useContext, useEffect, useState } from 'react';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

/** Series colours that read on light and dark backgrounds alike. */
export const PALETTE = [
  '#3b82f6',
  '#f59e0b',
  '#10b981',
  '#ef4444',
  '#8b5cf6',
  '#06b6d4',
  '#ec4899',
  '#84cc16',
  '#64748b',
];

export interface ChartTheme {
  text: string;
  grid: string;
  dark: boolean;
}

function readTheme(win: Window): ChartTheme {
  const style = win.getComputedStyle(win.document.documentElement);
  const theme = {
    text: style.getPropertyValue('--muted').trim() || '#5b6470',
    grid: style.getPropertyValue('--border').trim() || '#d9dce1',
    dark: win.matchMedia('(prefers-color-scheme: dark)').matches,
  };
  // Charts made from here on take these; charts are keyed on the scheme, so a switch redraws them.
  Chart.defaults.color = theme.text;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  return theme;
}

/** The page's colours for axes and legends; follows the system's light/dark switch live. */
export function useChartTheme(win: Window = window): ChartTheme {
  const [theme, setTheme] = useState(() => readTheme(win));
  useEffect(() => {
    const query = win.matchMedia('(prefers-color-scheme: dark)');
    const update = () => setTheme(readTheme(win));
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, [win]);
  return theme;
}

/** The colour scheme the dashboard's charts are drawn in; the dashboard provides it from `useChartTheme`. */
export const ChartScheme = createContext<'light' | 'dark'>('light');

/**
 * A chart's React key. Chart.js takes its colours when a chart is made, so a scheme switch remakes
 * the charts, and only them: their sections keep their data instead of loading it again.
 */
export const useChartKey = () => useContext(ChartScheme);
