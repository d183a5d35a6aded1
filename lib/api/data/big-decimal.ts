/**
 * An exact decimal number: `unscaled × 10^-scale`, the value of the Connect `Decimal` logical type
 * (Java's `BigDecimal`).
 *
 * Why a class and not `number`: a Decimal must round-trip exactly, including its scale (`1.10` is not
 * `1.1` on the wire), and `number` loses both. Why not a full decimal library: we only carry, compare,
 * print and parse decimals; arithmetic is for the connector. `bigint` holds any precision for free.
 *
 * @example
 * const price = BigDecimal.parse('12.50'); // unscaled 1250n, scale 2
 * price.toString(); // '12.50'
 */
export class BigDecimal {
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    if (!Number.isInteger(scale)) throw new RangeError(`Invalid decimal scale: ${scale}`);
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /**
   * Parses a decimal literal (`-12.50`, `1E+3`, `3.4e-2`) keeping every digit and the literal's scale.
   * Throws a `SyntaxError` on anything else.
   */
  static parse(text: string): BigDecimal {
    const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (!match || `${match[2]}${match[3] ?? ''}` === '')
      throw new SyntaxError(`Not a decimal number: ${text}`);
    const [, sign, intPart, fraction = '', exponent = '0'] = match;
    const digits = `${intPart}${fraction}`;
    const unscaled = BigInt(digits) * (sign === '-' ? -1n : 1n);
    return new BigDecimal(unscaled, fraction.length - Number(exponent));
  }

  /** The exact decimal value of a finite number (shortest representation that round-trips). */
  static fromNumber(value: number): BigDecimal {
    if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
    return BigDecimal.parse(String(value));
  }

  /** This value with another scale; throws a RangeError if digits would be lost. */
  setScale(scale: number): BigDecimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new BigDecimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const divisor = 10n ** BigInt(this.scale - scale);
    if (this.unscaled % divisor !== 0n) throw new RangeError(`Rounding necessary to set scale ${scale}`);
    return new BigDecimal(this.unscaled / divisor, scale);
  }

  /** Same value and scale (as Java's `BigDecimal.equals`). */
  equals(other: unknown): boolean {
    return other instanceof BigDecimal && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  /** Nearest `number`; may lose precision. */
  toNumber(): number {
    return Number(this.toString());
  }

  /** Plain notation, never exponent notation for non-negative scales (as Java's `toPlainString`). */
  toString(): string {
    if (this.scale <= 0) return (this.unscaled * 10n ** BigInt(-this.scale)).toString();
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString().padStart(this.scale + 1, '0');
    const cut = digits.length - this.scale;
    return `${negative ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
