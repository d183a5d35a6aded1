// Serverless Connect's replacement for kafkajs 2.2.4's src/protocol/recordBatch/record/v0/decoder.js,
// written in by scripts/patch-kafkajs.mjs at install (docs/runtime.md, Throughput and latency). The
// original computes every record's timestamp and offset in 64-bit `Long`s (BigInt): the delta's varlong
// built byte by byte, the batch's base parsed from its string, added, printed. Here a delta of up to four
// varint bytes and a base that is a safe integer are plain numbers, which give the same strings; anything
// larger takes the original's path. Same record object as the original, field for field.
const Long = require('../../../../utils/long');
const HeaderDecoder = require('../../header/v0/decoder');
const TimestampTypes = require('../../../timestampTypes');

/** A zigzag varlong of at most 4 bytes as a number, else the decoder's own Long; the decoder moves on. */
const readDelta = (decoder) => {
  const { buffer } = decoder;
  let offset = decoder.offset;
  let value = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    const byte = buffer[offset++];
    value |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      decoder.offset = offset;
      return (value >>> 1) ^ -(value & 1);
    }
  }
  return decoder.readVarLong();
};

/** `base + delta` printed as the original prints it; numbers while both are safe integers. */
const plus = (base, delta) => {
  if (typeof delta === 'number') {
    const sum = Number(base) + delta;
    if (Number.isSafeInteger(sum) && Number.isSafeInteger(Number(base))) return String(sum);
  }
  return Long.fromValue(base).add(delta).toString();
};

const collectHeaders = (pairs) => {
  const headers = {};
  for (const { key, value } of pairs) {
    const existing = headers[key];
    headers[key] =
      existing === undefined ? value : Array.isArray(existing) ? existing.concat([value]) : [existing, value];
  }
  return headers;
};

module.exports = (decoder, batchContext = {}) => {
  const {
    firstOffset,
    firstTimestamp,
    magicByte,
    isControlBatch = false,
    timestampType,
    maxTimestamp,
  } = batchContext;
  const attributes = decoder.readInt8();
  const timestampDelta = readDelta(decoder);
  const timestamp =
    timestampType === TimestampTypes.LOG_APPEND_TIME && maxTimestamp
      ? maxTimestamp
      : plus(firstTimestamp, timestampDelta);
  const offset = plus(firstOffset, decoder.readVarInt());
  const key = decoder.readVarIntBytes();
  const value = decoder.readVarIntBytes();
  const headers = collectHeaders(decoder.readVarIntArray(HeaderDecoder));
  return {
    magicByte,
    attributes,
    timestamp,
    offset,
    key,
    value,
    headers,
    isControlRecord: isControlBatch,
    batchContext,
  };
};
