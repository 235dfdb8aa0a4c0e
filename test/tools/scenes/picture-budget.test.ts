import { describe, expect, it } from 'vitest';
import { sharePictures } from '../../../tools/scenes/picture-budget.ts';

const count = (rows: boolean[][]) => rows.map((row) => row.filter(Boolean).length);

describe('sharing the pictures of a call across units', () => {
  it('gives each unit an equal share, most activating stimuli first', () => {
    const chosen = sharePictures(
      [
        [0, 3, 1, 2],
        [5, 0, 0, 4],
        [1, 1, 1, 1],
      ],
      6,
    );
    expect(count(chosen)).toEqual([2, 2, 2]);
    expect(chosen[0]).toEqual([false, true, false, true]);
    expect(chosen[1]).toEqual([true, false, false, true]);
    // Ties keep stimulus order.
    expect(chosen[2]).toEqual([true, true, false, false]);
  });

  it('passes what one unit cannot use to the others, and gives the first units one each when short', () => {
    expect(count(sharePictures([[1], [1, 2, 3, 4, 5, 6]], 5))).toEqual([1, 4]);
    expect(
      count(
        sharePictures(
          [
            [1, 2],
            [1, 2],
            [1, 2],
          ],
          2,
        ),
      ),
    ).toEqual([1, 1, 0]);
    expect(count(sharePictures([[1, 2]], 0))).toEqual([0]);
  });
});
