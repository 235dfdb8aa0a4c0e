import type { ResultLine } from '../results.ts';

/** Short human forms of the values a report shows. */

export function score(value: number | undefined): string {
  return value === undefined ? '–' : value.toFixed(2);
}

export function signed(value: number): string {
  const text = value.toFixed(2);
  return value >= 0 ? `+${text}` : text;
}

export function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function usd(value: number, priced: number): string {
  return priced === 0 ? '–' : `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

export function duration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The ground truth in words, whatever shape the suite gives it (a formula, a description, data). */
export function truthText(truth: unknown): string {
  if (typeof truth === 'string') return truth;
  if (typeof truth === 'object' && truth !== null) {
    const record = truth as Record<string, unknown>;
    const description = typeof record.description === 'string' ? record.description : undefined;
    const formula = typeof record.formula === 'string' ? record.formula : undefined;
    if (description !== undefined && formula !== undefined && description !== formula)
      return `${description} (${formula})`;
    if (description ?? formula) return (description ?? formula) as string;
    if (typeof record.answer === 'string') return record.answer;
    if (Array.isArray(record.concepts)) return record.concepts.join(', ');
  }
  return clip(JSON.stringify(truth) ?? String(truth), 160);
}

export function answerText(line: ResultLine): string {
  if (!line.answer) return `(no answer: ${line.status}${line.error ? `, ${clip(line.error, 120)}` : ''})`;
  const { description, formula } = line.answer;
  const text = clip(description, 160);
  return formula !== undefined && formula !== description ? `${text} [${formula}]` : text;
}

export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
