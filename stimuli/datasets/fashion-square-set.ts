import { InputError } from '../../util/errors.ts';
import { nearNames } from '../../util/names.ts';
import { FASHION_MNIST_LABELS, loadFashionMnistSubset, type GreyImageSet } from './fashion-mnist.ts';
import {
  GARMENT_THRESHOLD,
  SQUARE_COLOUR_NAMES,
  SQUARE_COLOURS,
  SQUARE_OFFSET,
  SQUARE_SIZE,
  TEST_SQUARE_SEEDS,
  withSquares,
  type SquareVariant,
} from './spurious-square.ts';
import {
  datasetImageId,
  type AnnotatedConcept,
  type AnnotatedDataset,
  type Box,
  type DatasetEdit,
  type DatasetImage,
} from './dataset-image.ts';

/**
 * The spurious-square test sets (spurious-square.ts) as annotated dataset stimuli: the committed
 * 1,000-image Fashion-MNIST subset, each image with its garment and its coloured square. The image
 * is rebuilt from its state (grey garment image, whether the garment is shown, the square's place
 * and colour), so removing, recolouring or moving the square gives an exact image with exact masks:
 * a removed square shows the garment pixels it covered.
 */

export const FASHION_SQUARE_DATASET = 'fashion-mnist-square';

const SET_DESCRIPTIONS: Record<SquareVariant, string> = {
  correlated: "the square has the colour of the image's class",
  broken: 'the square has the colour of another class (drawn at random)',
  random: 'the square has the colour of any class, independently of the label',
  none: 'no square',
};

/** The order sets are listed in: the ones that tell a square-reader from a garment-reader first. */
const SETS: readonly SquareVariant[] = ['correlated', 'broken', 'random', 'none'];

const CORNERS = {
  'top-left': (w: number, h: number) => ({ x: SQUARE_OFFSET, y: SQUARE_OFFSET, w, h }),
  'top-right': (w: number, h: number) => ({ x: w - SQUARE_OFFSET - SQUARE_SIZE, y: SQUARE_OFFSET, w, h }),
  'bottom-left': (w: number, h: number) => ({ x: SQUARE_OFFSET, y: h - SQUARE_OFFSET - SQUARE_SIZE, w, h }),
  'bottom-right': (w: number, h: number) => ({
    x: w - SQUARE_OFFSET - SQUARE_SIZE,
    y: h - SQUARE_OFFSET - SQUARE_SIZE,
    w,
    h,
  }),
} as const;

/** What an image is made of; edits change this, and the image is drawn from it. */
interface ImageState {
  garment: boolean;
  square?: { x: number; y: number; colour: number };
}

const CONCEPTS = {
  garment: {
    name: 'garment',
    role: 'object',
    description: 'the garment the label names (pixels brighter than 32/255 outside the square)',
  },
  square: {
    name: 'square',
    role: 'context',
    description: `a ${SQUARE_SIZE}×${SQUARE_SIZE} coloured square near a corner`,
  },
} as const satisfies Record<string, Omit<AnnotatedConcept, 'box' | 'colour'>>;

let subset: GreyImageSet | undefined;
const squareClasses = new Map<SquareVariant, (number | undefined)[]>();

function greyImages(): GreyImageSet {
  subset ??= loadFashionMnistSubset();
  return subset;
}

/** The square's colour class per image of a set, as the organisms' evaluation draws them. */
function squaresOf(set: SquareVariant): (number | undefined)[] {
  let classes = squareClasses.get(set);
  if (!classes) {
    classes = withSquares(greyImages(), set, TEST_SQUARE_SEEDS[set]).annotations.map((a) => a.squareClass);
    squareClasses.set(set, classes);
  }
  return classes;
}

function parseSet(set: string): SquareVariant {
  if ((SETS as readonly string[]).includes(set)) return set as SquareVariant;
  const near = nearNames(set, SETS);
  throw new InputError(
    `${FASHION_SQUARE_DATASET} has no set '${set}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; sets: ${SETS.join(', ')}`,
  );
}

function applyEdit(state: ImageState, edit: DatasetEdit, width: number, height: number): ImageState {
  if (edit.concept !== 'square' && edit.concept !== 'garment') {
    throw new InputError(
      `${FASHION_SQUARE_DATASET} annotates 'garment' and 'square'; there is no '${edit.concept}'`,
    );
  }
  if (edit.concept === 'garment') {
    if (edit.op !== 'remove') throw new InputError(`the garment can only be removed, not ${edit.op}d`);
    return { ...state, garment: false };
  }
  if (edit.op === 'remove') return { garment: state.garment };
  if (!state.square) throw new InputError(`this image has no square to ${edit.op}`);
  if (edit.op === 'recolour') {
    const colour = (SQUARE_COLOUR_NAMES as readonly string[]).indexOf(edit.colour);
    if (colour < 0)
      throw new InputError(
        `'${edit.colour}' is not a square colour; colours: ${SQUARE_COLOUR_NAMES.join(', ')}`,
      );
    return { ...state, square: { ...state.square, colour } };
  }
  const corner = CORNERS[edit.to](width, height);
  return { ...state, square: { ...state.square, x: corner.x, y: corner.y } };
}

function draw(grey: Uint8Array, state: ImageState, width: number, height: number) {
  const pixels = width * height;
  const data = new Uint8Array(pixels * 3);
  const garment = new Uint8Array(pixels);
  const square = new Uint8Array(pixels);
  if (state.garment) {
    for (let p = 0; p < pixels; p++) {
      const v = grey[p] as number;
      data[3 * p] = v;
      data[3 * p + 1] = v;
      data[3 * p + 2] = v;
      if (v > GARMENT_THRESHOLD) garment[p] = 1;
    }
  }
  if (state.square) {
    const { x: left, y: top, colour } = state.square;
    const rgb = SQUARE_COLOURS[colour] as readonly [number, number, number];
    for (let y = top; y < top + SQUARE_SIZE; y++) {
      for (let x = left; x < left + SQUARE_SIZE; x++) {
        const p = y * width + x;
        data.set(rgb, 3 * p);
        garment[p] = 0;
        square[p] = 1;
      }
    }
  }
  return { image: { width, height, data }, garment, square };
}

function boxOf(mask: Uint8Array, width: number): Box | undefined {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  mask.forEach((v, p) => {
    if (!v) return;
    const x = p % width;
    const y = Math.floor(p / width);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  });
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function image(setName: string, index: number, edits: readonly DatasetEdit[] = []): DatasetImage {
  const set = parseSet(setName);
  const grey = greyImages();
  if (!Number.isInteger(index) || index < 0 || index >= grey.count) {
    throw new InputError(
      `${FASHION_SQUARE_DATASET}/${set} has images 0–${grey.count - 1}; there is no image ${index}`,
    );
  }
  const { width, height } = grey;
  const colour = squaresOf(set)[index];
  let state: ImageState = {
    garment: true,
    ...(colour !== undefined ? { square: { x: SQUARE_OFFSET, y: SQUARE_OFFSET, colour } } : {}),
  };
  for (const edit of edits) state = applyEdit(state, edit, width, height);
  const pixels = width * height;
  const drawn = draw(grey.images.subarray(index * pixels, (index + 1) * pixels), state, width, height);
  const labelIndex = grey.labels[index] as number;
  const concepts: AnnotatedConcept[] = [];
  const garmentBox = boxOf(drawn.garment, width);
  if (garmentBox) concepts.push({ ...CONCEPTS.garment, box: garmentBox });
  if (state.square) {
    concepts.push({
      ...CONCEPTS.square,
      box: { x: state.square.x, y: state.square.y, width: SQUARE_SIZE, height: SQUARE_SIZE },
      colour: SQUARE_COLOUR_NAMES[state.square.colour] as string,
    });
  }
  return {
    id: datasetImageId(FASHION_SQUARE_DATASET, set, index, edits),
    dataset: FASHION_SQUARE_DATASET,
    set,
    index,
    image: drawn.image,
    masks: new Map([
      ['garment', drawn.garment],
      ['square', drawn.square],
    ]),
    annotation: {
      labelIndex,
      label: FASHION_MNIST_LABELS[labelIndex] as string,
      concepts,
      edits: [...edits],
    },
  };
}

/** The dataset: the committed test subset's 1,000 images in four square variants. */
export function fashionSquareDataset(): AnnotatedDataset {
  const count = greyImages().count;
  return {
    name: FASHION_SQUARE_DATASET,
    description:
      'Fashion-MNIST garments (28×28, RGB) with a small coloured square near the top-left corner; every class has its own square colour',
    width: greyImages().width,
    height: greyImages().height,
    labels: FASHION_MNIST_LABELS,
    sets: SETS.map((name) => ({ name, description: SET_DESCRIPTIONS[name], size: count })),
    concepts: [CONCEPTS.garment, CONCEPTS.square],
    edits: [
      { concept: 'square', ops: ['remove', 'recolour', 'move'] },
      { concept: 'garment', ops: ['remove'] },
    ],
    colours: SQUARE_COLOUR_NAMES,
    image,
  };
}
