/**
 * The outcome of validating one key (Kafka's `ConfigValue`): the parsed value, the error messages, the
 * recommended values and whether the key should be shown.
 */
export class ConfigValue {
  value: unknown;
  recommendedValues: unknown[];
  readonly errorMessages: string[];
  visible: boolean;

  constructor(
    readonly name: string,
    init: {
      value?: unknown;
      recommendedValues?: unknown[];
      errorMessages?: string[];
      visible?: boolean;
    } = {},
  ) {
    this.value = init.value ?? null;
    this.recommendedValues = init.recommendedValues ?? [];
    this.errorMessages = init.errorMessages ?? [];
    this.visible = init.visible ?? true;
  }

  addErrorMessage(message: string): this {
    this.errorMessages.push(message);
    return this;
  }
}
