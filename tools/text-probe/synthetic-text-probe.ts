import { createHash } from 'node:crypto';
import type { SyntheticTextSubject } from '../../subjects/synthetic-text/index.ts';
import type { AnnotatedText } from '../../stimuli/text/types.ts';
import { InputError } from '../../util/errors.ts';
import type { ProbeSite, UnitAddress } from '../probe/types.ts';
import type { TextProbe } from './types.ts';

/** Synthetic text units sit at one site, like synthetic vision units: `synthetic:0`, `synthetic:1`, … */
export const SYNTHETIC_TEXT_SITE = 'synthetic';

export class SyntheticTextProbe implements TextProbe {
  readonly kind = 'synthetic-text';
  readonly name: string;
  readonly hash: string;

  constructor(
    readonly subject: SyntheticTextSubject,
    options: { name?: string } = {},
  ) {
    this.name = options.name ?? 'synthetic-text';
    this.hash = createHash('sha256')
      .update(JSON.stringify(subject.units.map((unit) => unit.definition)))
      .digest('hex');
  }

  describe(): { text: string; data: Record<string, unknown> } {
    const n = this.subject.units.length;
    return {
      text:
        `${this.name}: a text subject with ${n} synthetic unit${n === 1 ? '' : 's'} at site '${SYNTHETIC_TEXT_SITE}' ` +
        `(${SYNTHETIC_TEXT_SITE}:0${n > 1 ? `–${SYNTHETIC_TEXT_SITE}:${n - 1}` : ''}). Each unit reads a text word by ` +
        'word and gives every word token an activation ≥ 0.',
      data: { kind: this.kind, name: this.name, units: n, site: SYNTHETIC_TEXT_SITE },
    };
  }

  sites(): ProbeSite[] {
    const units = this.subject.units.length;
    return [{ name: SYNTHETIC_TEXT_SITE, aliases: [], op: 'synthetic', shape: [1, units], units }];
  }

  parseUnit(text: string): UnitAddress {
    const match = /^\s*(?:([^:\s]+):)?(\d+)\s*$/.exec(text);
    if (!match || (match[1] !== undefined && match[1] !== SYNTHETIC_TEXT_SITE))
      throw new InputError(
        `'${text}' is not a unit of this subject: write ${SYNTHETIC_TEXT_SITE}:<index>, e.g. ${SYNTHETIC_TEXT_SITE}:0`,
      );
    const index = Number(match[2]);
    const n = this.subject.units.length;
    if (index >= n)
      throw new InputError(
        `unit ${SYNTHETIC_TEXT_SITE}:${index} is out of range: this subject has ${SYNTHETIC_TEXT_SITE}:0–${n - 1}`,
      );
    return { id: `${SYNTHETIC_TEXT_SITE}:${index}`, site: SYNTHETIC_TEXT_SITE, index };
  }

  async tokenActivations(
    texts: readonly AnnotatedText[],
    units: readonly UnitAddress[],
  ): Promise<Float32Array[][]> {
    return this.subject.activations(
      texts,
      units.map((unit) => unit.index),
    );
  }

  async dispose(): Promise<void> {}
}
