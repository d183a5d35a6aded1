import { type ConfigKeyDef, ConfigType, ConverterType, NO_DEFAULT, ValidString } from '../api/index.js';

/** Kafka's `ConverterConfig.TYPE_CONFIG` key definition (`converter.type`: key, value or header). */
export function converterTypeKey(): ConfigKeyDef {
  return {
    name: 'converter.type',
    type: ConfigType.STRING,
    defaultValue: NO_DEFAULT,
    importance: 'LOW',
    validator: ValidString.in(ConverterType.KEY, ConverterType.VALUE, ConverterType.HEADER),
    documentation: 'How this converter will be used.',
  };
}

/**
 * The properties with `converter.type` set: from `isKey` when given (Converter.configure), else kept or
 * defaulted to `header` (HeaderConverter.configure).
 */
export function withConverterType(
  configs: Readonly<Record<string, unknown>>,
  isKey: boolean | undefined,
): Record<string, unknown> {
  if (isKey !== undefined)
    return { ...configs, 'converter.type': isKey ? ConverterType.KEY : ConverterType.VALUE };
  return { 'converter.type': ConverterType.HEADER, ...configs };
}
