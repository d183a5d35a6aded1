import { describe, expect, it } from 'vitest';
import { compileJavaRegex, expandReplacement, wholeMatch } from '../../../lib/transforms/util/java-regex.js';

function replace(regex: string, replacement: string, input: string): string | null {
  const match = wholeMatch(compileJavaRegex(regex), input);
  return match && expandReplacement(replacement, match);
}

describe('Java regex helpers', () => {
  it('matches only the whole input, as Matcher.matches() does', () => {
    expect(wholeMatch(compileJavaRegex('foo'), 'foo')).not.toBeNull();
    expect(wholeMatch(compileJavaRegex('foo'), 'foobar')).toBeNull();
    expect(wholeMatch(compileJavaRegex('a|ab'), 'ab')).not.toBeNull();
  });

  it('expands numbered and named groups', () => {
    expect(replace('(.*)-(\\d+)', '$2:$1', 'orders-42')).toBe('42:orders');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Java's ${name} replacement syntax
    expect(replace('(?<name>\\w+)\\.(?<n>\\d)', '${n}-${name}', 'a.1')).toBe('1-a');
  });

  it('reads multi-digit group numbers only while the group exists', () => {
    expect(replace('(a)', '$10', 'a')).toBe('a0');
  });

  it('unescapes backslashes in the replacement', () => {
    expect(replace('(x)', '\\$1\\\\', 'x')).toBe('$1\\');
  });

  it('throws Java errors for bad references', () => {
    expect(() => replace('(x)', '$2', 'x')).toThrow('No group 2');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Java's ${name} replacement syntax
    expect(() => replace('(x)', '${nope}', 'x')).toThrow('No group with name {nope}');
    expect(() => replace('(x)', '$a', 'x')).toThrow('Illegal group reference');
    expect(() => replace('(x)', 'a\\', 'x')).toThrow('character to be escaped is missing');
  });

  it('translates Java-only syntax: inline flags, \\A \\z, \\Q…\\E', () => {
    expect(wholeMatch(compileJavaRegex('(?i)ORDERS'), 'orders')).not.toBeNull();
    expect(wholeMatch(compileJavaRegex('\\Aa.b\\z'), 'axb')).not.toBeNull();
    expect(wholeMatch(compileJavaRegex('\\Qa.b\\E'), 'axb')).toBeNull();
    expect(wholeMatch(compileJavaRegex('\\Qa.b\\E'), 'a.b')).not.toBeNull();
  });

  it('rejects invalid patterns with a SyntaxError', () => {
    expect(() => compileJavaRegex('(')).toThrow(SyntaxError);
  });
});
