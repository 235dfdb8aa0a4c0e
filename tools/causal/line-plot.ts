import { renderTextAlpha } from '../../stimuli/font.ts';
import { InputError } from '../../util/errors.ts';
import { createImage, type RgbImage } from '../../util/image.ts';

/**
 * A small line chart rendered straight into pixels (no plotting library): one line per series over
 * shared x values, with axes, tick labels, a title and a legend. Made for dose-response curves shown
 * to a model, so it favours legibility at ~480×300 over features.
 */

export interface PlotSeries {
  name: string;
  values: readonly number[];
}

export interface LinePlotOptions {
  title: string;
  xLabel: string;
  x: readonly number[];
  series: readonly PlotSeries[];
  width?: number;
  height?: number;
}

type Rgb = [number, number, number];

/** Distinct colours that stay apart for colour-blind readers (Okabe–Ito). */
const PALETTE: Rgb[] = [
  [0, 114, 178],
  [213, 94, 0],
  [0, 158, 115],
  [204, 121, 167],
  [230, 159, 0],
  [86, 180, 233],
  [0, 0, 0],
];
const AXIS: Rgb = [60, 60, 60];
const GRID: Rgb = [225, 225, 225];
const TEXT_PX = 12;
const MAX_SERIES = PALETTE.length;

/** A number in at most 3 significant digits, without trailing zeros: tick labels and table cells. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

function setPixel(image: RgbImage, x: number, y: number, colour: Rgb): void {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= image.width || yi >= image.height) return;
  image.data.set(colour, (yi * image.width + xi) * 3);
}

function fillRect(image: RgbImage, x0: number, y0: number, w: number, h: number, colour: Rgb): void {
  for (let y = Math.round(y0); y < Math.round(y0 + h); y++) {
    for (let x = Math.round(x0); x < Math.round(x0 + w); x++) setPixel(image, x, y, colour);
  }
}

/** A line `thickness` pixels wide, stepped along its longer axis so it has no gaps. */
function drawLine(
  image: RgbImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  colour: Rgb,
  thickness = 1,
): void {
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  const half = (thickness - 1) / 2;
  for (let s = 0; s <= steps; s++) {
    const x = x0 + ((x1 - x0) * s) / steps;
    const y = y0 + ((y1 - y0) * s) / steps;
    fillRect(image, x - half, y - half, thickness, thickness, colour);
  }
}

async function drawText(
  image: RgbImage,
  text: string,
  x: number,
  y: number,
  colour: Rgb,
  align: 'left' | 'center' | 'right' = 'left',
): Promise<number> {
  if (text === '') return 0;
  const glyphs = await renderTextAlpha(text, TEXT_PX);
  const left = Math.round(
    align === 'left' ? x : align === 'center' ? x - glyphs.width / 2 : x - glyphs.width,
  );
  const top = Math.round(y);
  for (let gy = 0; gy < glyphs.height; gy++) {
    for (let gx = 0; gx < glyphs.width; gx++) {
      const a = (glyphs.alpha[gy * glyphs.width + gx] ?? 0) / 255;
      const px = left + gx;
      const py = top + gy;
      if (a === 0 || px < 0 || py < 0 || px >= image.width || py >= image.height) continue;
      const offset = (py * image.width + px) * 3;
      for (let c = 0; c < 3; c++) {
        const under = image.data[offset + c] ?? 255;
        image.data[offset + c] = Math.round(under * (1 - a) + (colour[c] ?? 0) * a);
      }
    }
  }
  return glyphs.width;
}

/** Round tick values (steps of 1, 2, 2.5 or 5 × 10^k) covering [min, max], about `count` of them. */
function niceTicks(min: number, max: number, count: number): number[] {
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
    // Snap away float drift (0.30000000000000004) so labels stay short.
    out.push(Number(t.toPrecision(12)));
  }
  return out;
}

export async function renderLinePlot(options: LinePlotOptions): Promise<RgbImage> {
  const { title, xLabel, x, series } = options;
  const width = options.width ?? 480;
  const height = options.height ?? 300;
  if (x.length === 0) throw new InputError('a plot needs at least one x value');
  if (series.length === 0 || series.length > MAX_SERIES) {
    throw new InputError(`a plot takes 1 to ${MAX_SERIES} series, got ${series.length}`);
  }
  for (const s of series) {
    if (s.values.length !== x.length) {
      throw new InputError(`series '${s.name}' has ${s.values.length} values for ${x.length} x values`);
    }
  }
  const image = createImage(width, height, [255, 255, 255]);

  const all = series.flatMap((s) => s.values.filter(Number.isFinite));
  let yMin = all.length ? Math.min(...all) : 0;
  let yMax = all.length ? Math.max(...all) : 1;
  if (yMax - yMin < 1e-9) {
    yMin -= 0.5;
    yMax += 0.5;
  }
  const pad = (yMax - yMin) * 0.05;
  yMin -= pad;
  yMax += pad;
  const xMin = Math.min(...x);
  let xMax = Math.max(...x);
  if (xMax === xMin) xMax = xMin + 1;

  const legendRows = Math.ceil(series.length / 3);
  const plot = { left: 56, right: width - 14, top: 24 + legendRows * 16 + 6, bottom: height - 36 };
  const px = (v: number): number => plot.left + ((v - xMin) / (xMax - xMin)) * (plot.right - plot.left);
  const py = (v: number): number => plot.bottom - ((v - yMin) / (yMax - yMin)) * (plot.bottom - plot.top);

  await drawText(image, title, width / 2, 4, AXIS, 'center');
  // Legend: three entries per row under the title.
  const column = (width - 20) / 3;
  for (let i = 0; i < series.length; i++) {
    const lx = 10 + (i % 3) * column;
    const ly = 24 + Math.floor(i / 3) * 16;
    const colour = PALETTE[i] ?? AXIS;
    fillRect(image, lx, ly + 5, 14, 3, colour);
    await drawText(image, series[i]?.name ?? '', lx + 18, ly, AXIS);
  }

  for (const t of niceTicks(yMin, yMax, 5)) {
    drawLine(image, plot.left, py(t), plot.right, py(t), GRID);
    await drawText(image, formatNumber(t), plot.left - 4, py(t) - TEXT_PX / 2, AXIS, 'right');
  }
  // Label every x value when they fit, else about eight of them.
  const every = Math.max(1, Math.ceil(x.length / 8));
  for (let i = 0; i < x.length; i += every) {
    const xv = x[i] ?? 0;
    drawLine(image, px(xv), plot.bottom, px(xv), plot.bottom + 3, AXIS);
    await drawText(image, formatNumber(xv), px(xv), plot.bottom + 5, AXIS, 'center');
  }
  await drawText(image, xLabel, (plot.left + plot.right) / 2, height - 16, AXIS, 'center');
  drawLine(image, plot.left, plot.top, plot.left, plot.bottom, AXIS);
  drawLine(image, plot.left, plot.bottom, plot.right, plot.bottom, AXIS);

  series.forEach((s, i) => {
    const colour = PALETTE[i] ?? AXIS;
    for (let k = 0; k < x.length; k++) {
      const v = s.values[k] ?? NaN;
      if (!Number.isFinite(v)) continue;
      const next = s.values[k + 1] ?? NaN;
      if (k + 1 < x.length && Number.isFinite(next)) {
        drawLine(image, px(x[k] ?? 0), py(v), px(x[k + 1] ?? 0), py(next), colour, 2);
      }
      fillRect(image, px(x[k] ?? 0) - 2.5, py(v) - 2.5, 5, 5, colour);
    }
  });
  return image;
}
