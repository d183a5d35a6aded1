/** The config spec API (Kafka's `ConfigDef` and friends); the pieces live in `./config/`. */
export { ConfigDef } from './config/config-def.js';
export {
  type ConfigInfo,
  type ConfigInfos,
  type ConfigKeyInfo,
  type ConfigValueInfo,
  configInfos,
  configKeyInfo,
  configKeyInfos,
  configValueInfo,
  mergeConfigInfos,
} from './config/config-infos.js';
export { ConfigValue } from './config/config-value.js';
export {
  convertToString,
  invalidValue,
  invalidValueMessage,
  missingRequiredMessage,
  parseType,
} from './config/parse.js';
export {
  type ConfigKey,
  type ConfigKeyDef,
  ConfigType,
  hasDefault,
  Importance,
  NO_DEFAULT,
  type NoDefault,
  Password,
  type Recommender,
  type Validator,
  Width,
} from './config/types.js';
export {
  CaseInsensitiveValidString,
  ClassExists,
  composite,
  lambdaValidator,
  NonEmptyString,
  NonEmptyStringWithoutControlChars,
  NonNullValidator,
  Range,
  Regex,
  ValidList,
  ValidString,
} from './config/validators.js';
