/**
 * Shape concepts as SVG: white on transparent, so the renderer's colour multiply gives exactly the
 * requested fill. They are rasterised once, like the emoji sprites, and composed by the same code.
 */

const W = 100;

function polygon(sides: number, rotationDeg: number, radius = 48): string {
  const points: string[] = [];
  for (let i = 0; i < sides; i++) {
    const angle = ((rotationDeg + (360 * i) / sides) * Math.PI) / 180;
    points.push(
      `${(50 + radius * Math.cos(angle)).toFixed(2)},${(50 + radius * Math.sin(angle)).toFixed(2)}`,
    );
  }
  return `<polygon points="${points.join(' ')}"/>`;
}

function star(points: number, outer: number, inner: number): string {
  const coords: string[] = [];
  for (let i = 0; i < points * 2; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (Math.PI * i) / points;
    coords.push(`${(50 + r * Math.cos(angle)).toFixed(2)},${(52 + r * Math.sin(angle)).toFixed(2)}`);
  }
  return `<polygon points="${coords.join(' ')}"/>`;
}

function spiral(): string {
  // An Archimedean spiral of three turns, stroked so it stays a line at every size.
  const parts: string[] = [];
  for (let i = 0; i <= 360; i++) {
    const t = (i / 360) * 3 * 2 * Math.PI;
    const r = 3 + (42 * i) / 360;
    parts.push(
      `${i === 0 ? 'M' : 'L'}${(50 + r * Math.cos(t)).toFixed(2)} ${(50 + r * Math.sin(t)).toFixed(2)}`,
    );
  }
  return `<path d="${parts.join('')}" fill="none" stroke="#fff" stroke-width="7" stroke-linecap="round"/>`;
}

const SQUARE_SHAPES: Record<string, string> = {
  circle: '<circle cx="50" cy="50" r="48"/>',
  square: '<rect x="4" y="4" width="92" height="92"/>',
  triangle: '<polygon points="50,4 97,92 3,92"/>',
  diamond: '<polygon points="50,2 86,50 50,98 14,50"/>',
  pentagon: polygon(5, -90),
  hexagon: polygon(6, 0),
  star: star(5, 49, 20),
  ring: '<path fill-rule="evenodd" d="M50 2a48 48 0 1 1 0 96a48 48 0 1 1 0-96zM50 26a24 24 0 1 0 0 48a24 24 0 1 0 0-48z"/>',
  spiral: spiral(),
  heart:
    '<path d="M50 92C20 70 2 52 2 30C2 14 14 4 28 4c10 0 18 6 22 14c4-8 12-14 22-14c14 0 26 10 26 26c0 22-18 40-48 62z"/>',
  cross: '<path d="M36 4h28v32h32v28H64v32H36V64H4V36h32z"/>',
  crescent:
    '<defs><mask id="bite"><rect width="100" height="100" fill="#fff"/><circle cx="68" cy="38" r="38" fill="#000"/></mask></defs>' +
    '<circle cx="48" cy="50" r="46" mask="url(#bite)"/>',
  arrow: '<path d="M4 38h54V14l38 36l-38 36V62H4z"/>',
  arch: '<path d="M6 96V46a44 44 0 0 1 88 0v50H72V48a22 22 0 0 0-44 0v48z"/>',
};

const WIDE_SHAPES: Record<string, string> = {
  ellipse: '<ellipse cx="75" cy="50" rx="72" ry="46"/>',
  rectangle: '<rect x="3" y="4" width="144" height="92"/>',
};

/** The SVG source of a shape concept, or undefined if `name` is not a shape. */
export function shapeSvg(name: string): string | undefined {
  const square = SQUARE_SHAPES[name];
  const wide = WIDE_SHAPES[name];
  const body = square ?? wide;
  if (body === undefined) return undefined;
  const width = square !== undefined ? W : 150;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${W}" width="${width}" height="${W}"><g fill="#fff">${body}</g></svg>`;
}

export const SHAPE_NAMES = [...Object.keys(SQUARE_SHAPES), ...Object.keys(WIDE_SHAPES)];
