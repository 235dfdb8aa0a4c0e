/** Tokenizers: Hugging Face tokenizer.json loading with token spans, and a byte-level BPE trainer. */
export { TextTokenizer, type DecodeOptions, type EncodeOptions, type TokenizedText } from './tokenizer.ts';
export { trainByteLevelBpe, type BpeTrainOptions, type TrainedTokenizer } from './train-bpe.ts';
export { TokenizerConfigJson, TokenizerJson } from './tokenizer-json.ts';
