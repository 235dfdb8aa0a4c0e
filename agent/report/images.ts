import { errorMessage } from '../../util/errors.ts';
import { readBlob } from '../transcript/read.ts';
import { esc } from './html.ts';

/** A run's PNG blob as an inline <figure> (a data: URL), or a visible note when the blob is gone. */
export function figure(dir: string, sha256: string, caption: string): string {
  let src: string;
  try {
    src = `data:image/png;base64,${readBlob(dir, sha256, 'png').toString('base64')}`;
  } catch (error) {
    return `<figure><div class="missing">image missing: ${esc(errorMessage(error))}</div><figcaption>${esc(caption)}</figcaption></figure>`;
  }
  return `<figure><img src="${src}" alt="${esc(caption)}"><figcaption>${esc(caption)}</figcaption></figure>`;
}
