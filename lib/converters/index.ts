export { ByteArrayConverter } from './byte-array-converter.js';
export { JsonConverter } from './json-converter.js';
export { DecimalFormat } from './json-values.js';
export {
  BooleanConverter,
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from './number-converters.js';
export { SimpleHeaderConverter } from './simple-header-converter.js';
export { StringConverter } from './string-converter.js';
