import type { AnnotatedText } from '../../stimuli/text/types.ts';
import type { PictureBlock } from '../../stimuli/text/picture.ts';

/** A token as text tools report it: its text, activation, and concepts where it fires. */
export interface TokenView {
  index: number;
  text: string;
  activation: number;
  concepts?: string[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The text with every firing token marked [[like this]] and its activation after it. */
export function markedText(text: AnnotatedText, activations: Float32Array, threshold: number): string {
  let out = '';
  let cursor = 0;
  text.tokens.forEach((token, i) => {
    out += text.text.slice(cursor, token.start);
    const a = activations[i] ?? 0;
    out += a > threshold ? `[[${token.text}]](${round(a).toFixed(2)})` : token.text;
    cursor = token.end;
  });
  return out + text.text.slice(cursor);
}

/** The tokens that fire, with their concepts (what an agent or dissect reads). */
export function firingTokens(text: AnnotatedText, activations: Float32Array, threshold: number): TokenView[] {
  return text.tokens.flatMap((token, index) => {
    const activation = activations[index] ?? 0;
    return activation > threshold
      ? [{ index, text: token.text, activation: round(activation), concepts: token.concepts }]
      : [];
  });
}

export function pictureBlock(caption: string, text: AnnotatedText, activations: Float32Array): PictureBlock {
  return {
    caption,
    tokens: text.tokens.map((token, i) => ({
      text: token.text,
      activation: activations[i] ?? 0,
      spaceBefore: token.start > 0 && /\s/.test(text.text[token.start - 1] ?? ''),
    })),
  };
}

export function maxOf(values: Float32Array): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

export { round };
