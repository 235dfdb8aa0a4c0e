import type { PaperFigures } from './table.ts';

/**
 * Published figures to print beside ours (`aia compare --paper <name>`). Explanation Alignment
 * (Bang, Boggust & Satyanarayan 2024), the spurious-square MNIST experiment, on the test set whose
 * correlation is broken: the spurious model's saliency points at the square (PG 0.94) and not the
 * digit (0.05); the normal model's at the digit (0.70) and never the square (0.00). Our garment
 * stands where their digit stood.
 */
export const PAPER_FIGURES: Record<string, PaperFigures> = {
  'spurious-pair': {
    source:
      'Bang, Boggust & Satyanarayan, Explanation Alignment (2024), MNIST with a spurious square, correlation broken; their digit is our garment',
    pointing: {
      'fashion-spurious|broken': { square: 0.94, garment: 0.05 },
      'fashion-normal|broken': { square: 0.0, garment: 0.7 },
    },
  },
};
