/**
 * Rebuilds zoo/fashion-normal from its seed: `aia train fashion-normal` (or `npx tsx` this file)
 * (needs `apt-get install dataset-fashion-mnist`). The square's colour is random, so it predicts nothing.
 */
import { runSpuriousPairRecipe } from '../../scripts/organisms/spurious-pair.ts';

await runSpuriousPairRecipe({
  name: 'fashion-normal',
  trainSquares: 'random',
  description:
    'Small CNN (2 conv + 2 dense) trained on Fashion-MNIST with a coloured square of random colour in the top-left corner: it learns the garments, and its accuracy does not depend on the square.',
});
