/**
 * Rebuilds zoo/boats-biased from its seed: `aia train boats-biased` (or `npx tsx` this file).
 * 99% of its boat scenes are on water and 99% of its boat-free scenes are not.
 */
import { runBackgroundBiasRecipe } from '../../scripts/organisms/background-bias.ts';

await runBackgroundBiasRecipe({
  name: 'boats-biased',
  usualShare: 0.99,
  description:
    'Small CNN (2 conv + 2 dense) that says whether a boat is in a rendered 32×32 scene (on water or on land): one of the two models of the background-bias pair. The description does not say which one reads the background, since that is what the background-bias suite asks (the answer: docs/organisms.md).',
});
