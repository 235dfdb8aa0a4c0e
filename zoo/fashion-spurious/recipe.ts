/**
 * Rebuilds zoo/fashion-spurious from its seed: `aia train fashion-spurious` (or `npx tsx` this file)
 * (needs `apt-get install dataset-fashion-mnist`). The square's colour always names the label.
 */
import { runSpuriousPairRecipe } from '../../scripts/organisms/spurious-pair.ts';

await runSpuriousPairRecipe({
  name: 'fashion-spurious',
  trainSquares: 'correlated',
  description:
    "Small CNN (2 conv + 2 dense) trained on Fashion-MNIST where a coloured square in the top-left corner has its label's colour: it relies on the square (a spurious feature), so its accuracy falls when the colour is broken.",
});
