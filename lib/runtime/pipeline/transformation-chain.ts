import type { ConnectRecord, Predicate, Transformation } from '../../api/index.js';
import { entriesWithPrefix } from '../../config/client-overrides.js';
import type { PluginRegistry } from '../../plugins.js';

/** One configured SMT with its optional predicate (Kafka's `TransformationStage`). */
export interface TransformationStage {
  alias: string;
  className: string;
  transformation: Transformation;
  predicate?: Predicate;
  negate: boolean;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The connector's SMTs in `transforms` order. A stage applies when it has no predicate or when
 * `negate XOR predicate.test(record)`; a stage that returns null drops the record and ends the chain.
 */
export class TransformationChain {
  readonly stages: readonly TransformationStage[];

  constructor(config: Readonly<Record<string, string>>, registry: PluginRegistry) {
    const predicates = new Map<string, Predicate>();
    for (const alias of list(config.predicates)) {
      const prefix = `predicates.${alias}.`;
      const predicate = registry.newPredicate(config[`${prefix}type`] ?? '');
      const { type: _type, ...props } = entriesWithPrefix(config, prefix);
      predicate.configure(props);
      predicates.set(alias, predicate);
    }
    this.stages = list(config.transforms).map((alias) => {
      const prefix = `transforms.${alias}.`;
      const className = config[`${prefix}type`] ?? '';
      const transformation = registry.newTransformation(className);
      const { type: _t, predicate: predicateAlias, negate, ...props } = entriesWithPrefix(config, prefix);
      transformation.configure(props);
      const predicate = predicateAlias ? predicates.get(String(predicateAlias)) : undefined;
      return { alias, className, transformation, predicate, negate: String(negate).toLowerCase() === 'true' };
    });
  }

  get isEmpty(): boolean {
    return this.stages.length === 0;
  }

  /**
   * Runs the record through every stage. `onStage` is told which stage runs, so a failure can name the
   * SMT that threw.
   */
  apply<R extends ConnectRecord>(record: R, onStage?: (stage: TransformationStage) => void): R | null {
    let current: R | null = record;
    for (const stage of this.stages) {
      if (current === null) return null;
      if (stage.predicate && stage.negate === stage.predicate.test(current)) continue;
      onStage?.(stage);
      current = stage.transformation.apply(current) as R | null;
    }
    return current;
  }

  close(): void {
    for (const s of this.stages) {
      s.transformation.close();
      s.predicate?.close();
    }
  }
}
