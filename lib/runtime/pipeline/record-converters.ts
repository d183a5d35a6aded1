import { ConnectHeaders, type Converter, type HeaderConverter, type Schema } from '../../api/index.js';
import { converterConfig } from '../../config/client-overrides.js';
import type { WireHeader } from '../../kafka/types.js';
import type { PluginRegistry } from '../../plugins.js';
import type { WorkerConfig } from '../worker-config.js';

/**
 * The key, value and header converters of one connector: its own `key.converter` etc. when set, else the
 * worker's, configured the way Kafka's Worker does (worker props, then the connector's prefixed props).
 */
export class RecordConverters {
  readonly key: Converter;
  readonly value: Converter;
  readonly header: HeaderConverter;
  readonly names: { key: string; value: string; header: string };

  constructor(config: Readonly<Record<string, string>>, worker: WorkerConfig, registry: PluginRegistry) {
    this.names = {
      key: config['key.converter'] || worker.keyConverter,
      value: config['value.converter'] || worker.valueConverter,
      header: config['header.converter'] || worker.headerConverter,
    };
    this.key = registry.newConverter(this.names.key);
    this.key.configure(
      { ...(config['key.converter'] ? {} : worker.keyConverterProps), ...converterConfig(config, 'key') },
      true,
    );
    this.value = registry.newConverter(this.names.value);
    this.value.configure(
      {
        ...(config['value.converter'] ? {} : worker.valueConverterProps),
        ...converterConfig(config, 'value'),
      },
      false,
    );
    this.header = registry.newHeaderConverter(this.names.header);
    this.header.configure(converterConfig(config, 'header'));
  }

  /** Connect headers → wire headers. */
  headersToWire(topic: string, headers: ConnectHeaders): WireHeader[] {
    const out: WireHeader[] = [];
    for (const h of headers) {
      const bytes = this.header.fromConnectHeader(topic, h.key, h.schema as Schema | null, h.value);
      out.push({
        key: h.key,
        value: bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      });
    }
    return out;
  }

  /** Wire headers → Connect headers. */
  headersFromWire(topic: string, headers: readonly WireHeader[]): ConnectHeaders {
    const out = new ConnectHeaders();
    for (const h of headers) {
      const sv = this.header.toConnectHeader(topic, h.key, h.value);
      out.add(h.key, sv.value, sv.schema);
    }
    return out;
  }
}

/** A Uint8Array as a Buffer without copying. */
export function asBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
