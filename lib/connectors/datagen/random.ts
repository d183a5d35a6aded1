/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence on every machine. Its
 * whole state is one uint32, which is what the source offset stores as `random.seed`.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uint32, advancing the state. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min));
  }

  pick<T>(options: readonly T[]): T {
    return options[this.int(0, options.length)] as T;
  }

  /** `count` digits from `[from-9]`, the count drawn from [minCount, maxCount] (a regex `[1-9]{0,2}`). */
  digits(from: number, minCount: number, maxCount: number): string {
    const n = this.int(minCount, maxCount + 1);
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(from, 10));
    return s;
  }

  /** Re-seeds the generator (Confluent re-seeds after every record so the seed can be stored). */
  reseed(seed: number): void {
    this.state = seed >>> 0;
  }
}

/** A 64-bit `random.seed` config value folded into the generator's 32-bit seed. */
export function foldSeed(seed: number | bigint): number {
  const big = BigInt.asUintN(64, BigInt(seed));
  return Number((big ^ (big >> 32n)) & 0xffffffffn);
}
