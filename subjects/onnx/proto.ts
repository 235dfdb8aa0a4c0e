import { readFileSync } from 'node:fs';
import Long from 'long';
import protobuf from 'protobufjs';
import { InputError } from '../../util/errors.ts';
import { projectPath } from '../../util/paths.ts';

/**
 * The ONNX protobuf schema (onnx.proto beside this file, official field numbers) loaded with
 * protobufjs, and typed views of the messages this project reads or builds. Fields keep ONNX's
 * snake_case names so they match the spec. int64 fields decode as `Long` and accept `number` or
 * `Long` when encoding, so a decode → encode round trip is lossless (byte-identical for models
 * written by the reference C++ implementation).
 */

// protobufjs finds `long` through a CommonJS require that may not see our dependency; set it
// explicitly so int64 fields never lose precision.
protobuf.util.Long = Long;
protobuf.configure();

const schemaText = readFileSync(projectPath('subjects', 'onnx', 'onnx.proto'), 'utf8');
const root = protobuf.parse(schemaText, { keepCase: true }).root;

/** The protobufjs type of any message in onnx.proto, e.g. `onnxType('TensorProto')`. */
export function onnxType(message: string): protobuf.Type {
  return root.lookupType(`onnx.${message}`);
}

const ModelType = onnxType('ModelProto');

export type Int64 = number | Long;

/** ONNX TensorProto.DataType values used by this project. */
export const ElemType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  BFLOAT16: 16,
} as const;

export interface StringStringEntryProto {
  key?: string;
  value?: string;
}

export interface TensorProto {
  dims?: Int64[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: Int64[];
  double_data?: number[];
  raw_data?: Uint8Array;
  name?: string;
  doc_string?: string;
  external_data?: StringStringEntryProto[];
  data_location?: number;
}

export interface DimensionProto {
  dim_value?: Int64;
  dim_param?: string;
}

export interface TypeProto {
  tensor_type?: { elem_type?: number; shape?: { dim?: DimensionProto[] } };
}

export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  doc_string?: string;
}

export interface AttributeProto {
  name?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats?: number[];
  ints?: Int64[];
  graphs?: GraphProto[];
}

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttributeProto[];
  doc_string?: string;
  /** Exporter notes per node, e.g. the dynamo exporter's module path `pkg.torch.onnx.name_scopes`. */
  metadata_props?: StringStringEntryProto[];
}

export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  sparse_initializer?: { values?: TensorProto; indices?: TensorProto; dims?: Int64[] }[];
  doc_string?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  value_info?: ValueInfoProto[];
}

export interface OperatorSetIdProto {
  domain?: string;
  version?: Int64;
}

/**
 * A decoded model. Only the fields this project touches are typed; the object also carries every
 * other field of the file (functions, training info, metadata…), which encodeModel writes back.
 */
export interface ModelProto {
  ir_version?: Int64;
  opset_import?: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  graph?: GraphProto;
}

/** A number from an int64 field (dims, attribute ints); exact up to 2^53. */
export function int64ToNumber(value: Int64 | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/**
 * Decode ONNX bytes. `source` names the file in error messages. Throws InputError when the bytes
 * are not a protobuf ModelProto or carry no graph (a text file, a truncated download, another format).
 */
export function decodeModel(bytes: Uint8Array, source = 'the given bytes'): ModelProto {
  let model: ModelProto;
  try {
    model = ModelType.decode(bytes) as unknown as ModelProto;
  } catch (error) {
    throw new InputError(
      `${source} is not a valid ONNX model (${(error as Error).message}); is the file truncated or in another format?`,
      { cause: error },
    );
  }
  const graph = model.graph;
  const hasIrVersion = Object.hasOwn(model, 'ir_version');
  if (!hasIrVersion || !graph || (graph.node ?? []).length === 0 || (graph.output ?? []).length === 0) {
    throw new InputError(
      `${source} is not a valid ONNX model: it has no ${!hasIrVersion ? 'IR version' : 'graph with nodes and outputs'}`,
    );
  }
  return model;
}

/** Encode a (possibly edited) model back to ONNX bytes. */
export function encodeModel(model: ModelProto): Uint8Array {
  return ModelType.encode(model as unknown as protobuf.Message).finish();
}

/** Whether any tensor of the main graph keeps its data in an external file. */
export function usesExternalData(model: ModelProto): boolean {
  return (model.graph?.initializer ?? []).some(
    (t) => t.data_location === 1 || (t.external_data ?? []).length > 0,
  );
}
