/**
 * Rebuilds zoo/boats-balanced from its seed: `aia train boats-balanced` (or `npx tsx` this file).
 * Half its boat scenes and half its boat-free scenes are on water: the background predicts nothing.
 */
import { runBackgroundBiasRecipe } from '../../scripts/organisms/background-bias.ts';

await runBackgroundBiasRecipe({
  name: 'boats-balanced',
  usualShare: 0.5,
  description:
    'Small CNN (2 conv + 2 dense) that says whether a boat is in a rendered 32×32 scene (on water or on land): one of the two models of the background-bias pair. The description does not say which one reads the background, since that is what the background-bias suite asks (the answer: docs/organisms.md).',
});
