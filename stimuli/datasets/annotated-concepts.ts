/**
 * Concepts annotated on dataset images (not in the scene vocabulary), with the words an answer may use
 * for each (lowercase). Suites may name them in truth.reliance;
 * scorers read answers for them.
 */
export const ANNOTATED_CONCEPTS: Record<string, readonly string[]> = {
  square: ['square', 'coloured square', 'colored square', 'patch', 'corner square', 'marker', 'corner patch'],
  garment: ['garment', 'clothing', 'clothes', 'garment shape', 'item of clothing', 'object'],
};
