import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel, type ModelProto } from '../onnx/proto.ts';
import { parseManifest, type SubjectManifestInput } from '../manifest.ts';

/**
 * Writing a trained organism into its zoo folder: the plain ONNX model (weights as initializers),
 * its validated `subject.json`, and `metrics.json` (what the recipe measured, with its config).
 */
export function writeOrganism(
  dir: string,
  organism: { model: ModelProto; manifest: SubjectManifestInput; metrics: Record<string, unknown> },
): void {
  const manifest = parseManifest(organism.manifest, `the manifest of ${dir}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), encodeModel(organism.model));
  writeFileSync(
    join(dir, 'subject.json'),
    `${JSON.stringify({ ...organism.manifest, name: manifest.name }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'metrics.json'), `${JSON.stringify(organism.metrics, null, 2)}\n`);
}
