/**
 * Rebuilds zoo/fashion-spurious from its seed: `aia train fashion-spurious` (or `npx tsx` this file)
 * (needs `apt-get install dataset-fashion-mnist`). The square's colour always names the label.
 */
import { runSpuriousPairRecipe } from '../../scripts/organisms/spurious-pair.ts';

await runSpuriousPairRecipe({
  name: 'fashion-spurious',
  trainSquares: 'correlated',
  description:
    'Small CNN (2 conv + 2 dense) trained on Fashion-MNIST, RGB with a coloured square in the top-left corner: one of the two models of the spurious pair. The description does not say which one reads the square, since that is what the spurious-pair suite asks (the answer: docs/organisms.md).',
});
