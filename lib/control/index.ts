export { type AwsSinkMappingsOptions, awsSinkMappings } from './aws-sink-mappings.js';
export type { HerderAdmin, HerderOptions } from './context.js';
export type * from './entities.js';
export { BadRequestError, RestError } from './errors.js';
export { CONNECTOR_TAG, type KafkaEventSource } from './esm-mapping-input.js';
export { createHerder, type Herder } from './herder.js';
export { LOG_LEVELS, type LoggerLevel, LoggerLevels, type LogLevel, ROOT_LOGGER } from './loggers.js';
export { localSinkMappings, type SinkMappingSpec, type SinkMappings } from './sink-mappings.js';
