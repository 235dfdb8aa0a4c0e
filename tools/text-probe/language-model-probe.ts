import type { LanguageModel } from '../../subjects/language-model/index.ts';
import { wordActivations } from '../../subjects/language-model/index.ts';
import type { SiteInfo } from '../../subjects/subject.ts';
import type { AnnotatedText } from '../../stimuli/text/types.ts';
import { InputError } from '../../util/errors.ts';
import type { ProbeSite, UnitAddress } from '../probe/types.ts';
import type { TextProbe } from './types.ts';

/**
 * A language model behind the text probe: units are neurons of per-token sites ([batch, token, units]:
 * the residual stream, MLP neurons, attention outputs), written with their TransformerLens names
 * (`blocks.0.mlp.hook_post:12`). Each WORD of an annotated text gets the maximum over the model's
 * tokens that overlap it (wordActivations), so the text tools read a model as they read synthetic units.
 */
export class LanguageModelProbe implements TextProbe {
  readonly kind = 'language-model';
  readonly name: string;
  readonly hash: string;

  constructor(
    readonly model: LanguageModel,
    /** The file the model was loaded from, for transcripts. */
    readonly path: string,
  ) {
    this.name = model.name;
    this.hash = model.subject.hash;
  }

  describe(): { text: string; data: Record<string, unknown> } {
    const a = this.model.architecture();
    const sites = this.sites();
    const example = sites.find((s) => s.name.endsWith('mlp.hook_post')) ?? sites[0];
    return {
      text:
        `${this.name}: a GPT-2-style language model with ${a.layers} layer${a.layers === 1 ? '' : 's'}` +
        `${a.heads !== undefined ? `, ${a.heads} attention heads per layer` : ''}` +
        `${a.width !== undefined ? `, width ${a.width}` : ''}${a.mlpWidth !== undefined ? `, ${a.mlpWidth} MLP neurons per layer` : ''}` +
        `, a vocabulary of ${a.vocabSize} tokens and a context of ${a.contextLength}. Its own tokens are ` +
        'pieces of words; each word token gets the maximum activation over the pieces that overlap it. ' +
        `Write units as site:index, e.g. ${example ? `${example.name}:0` : 'blocks.0.mlp.hook_post:0'}.`,
      data: { kind: this.kind, name: this.name, architecture: a },
    };
  }

  /** Per-token sites with TransformerLens names, by those names. */
  sites(): ProbeSite[] {
    return this.model.subject.sites().flatMap((site) => {
      const name = hookName(site);
      if (name === undefined || !perToken(site)) return [];
      return [{ name, aliases: [site.name], op: site.op, shape: site.shape, units: site.units }];
    });
  }

  parseUnit(text: string): UnitAddress {
    const ref = this.model.subject.parseUnit(text.trim());
    if (!perToken(ref.site))
      throw new InputError(
        `site '${ref.site.aliases[0] ?? ref.site.name}' has shape ${ref.site.shape.join('×')}: only per-token ` +
          'sites [batch, token, units] (blocks.L.hook_resid_post, blocks.L.mlp.hook_post, …) have units here',
      );
    const site = hookName(ref.site) ?? ref.site.name;
    return { id: `${site}:${ref.unit}`, site, index: ref.unit };
  }

  async tokenActivations(
    texts: readonly AnnotatedText[],
    units: readonly UnitAddress[],
  ): Promise<Float32Array[][]> {
    return wordActivations(
      this.model,
      texts,
      units.map((u) => ({ site: u.site, unit: u.index })),
    );
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

function hookName(site: SiteInfo): string | undefined {
  return site.aliases.find((a) => /^(hook_|blocks\.\d+\.|ln_final)/.test(a));
}

function perToken(site: SiteInfo): boolean {
  return site.shape.length === 3 && site.unitAxis === 2;
}
