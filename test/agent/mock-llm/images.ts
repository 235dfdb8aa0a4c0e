/**
 * Both providers decode the images they are sent and refuse bytes that are not base64 or not the
 * format they are labelled as; the mock does the same so a wrong encoding cannot pass unnoticed.
 */

export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

const MAGIC: Record<(typeof IMAGE_MEDIA_TYPES)[number], (bytes: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Why `data` is not a `mediaType` image, or undefined when it is. */
export function base64ImageProblem(data: unknown, mediaType: unknown): string | undefined {
  if (typeof mediaType !== 'string' || !(IMAGE_MEDIA_TYPES as readonly string[]).includes(mediaType))
    return `media_type: Input should be ${IMAGE_MEDIA_TYPES.map((t) => `'${t}'`).join(', ')}`;
  if (typeof data !== 'string' || data === '') return 'data: Field required';
  if (data.length % 4 !== 0 || !BASE64.test(data)) return 'data: invalid base64 data';
  const bytes = Buffer.from(data, 'base64');
  if (!MAGIC[mediaType as (typeof IMAGE_MEDIA_TYPES)[number]](bytes))
    return `The image was specified using the ${mediaType} media type, but it does not appear to be a ${mediaType} image`;
  return undefined;
}

/** Why a data: URL is not a usable image, or undefined when it is (http(s) URLs are taken on trust). */
export function imageUrlProblem(url: unknown): string | undefined {
  if (typeof url !== 'string') return 'url: expected a string';
  if (/^https?:\/\//.test(url)) return undefined;
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (!match) return 'Invalid image URL: expected an http(s) URL or a data:image/...;base64, URL';
  return base64ImageProblem(match[2], match[1]);
}
