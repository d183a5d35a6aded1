/**
 * Java regex semantics RegexRouter and TopicNameMatches rely on, on top of JavaScript's engine.
 *
 * - {@link compileJavaRegex} accepts the Java spellings users write in configs that JavaScript lacks:
 *   leading inline flags `(?i)`, `(?s)`, `(?m)`; `\A`, `\z`, `\Z`; `\Q...\E` quoting. The rest of the
 *   syntax is shared (character classes, groups, `(?<name>...)`, lookarounds, lazy quantifiers).
 * - {@link wholeMatch} is Java's `Matcher.matches()`: the whole input must match.
 * - {@link expandReplacement} is Java's `Matcher.appendReplacement` syntax: `$1`, `${name}`, `\$` and
 *   `\\` escapes, with Java's errors for bad references.
 */

const quoteRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Compiles a Java regex; throws a SyntaxError when it is not valid. */
export function compileJavaRegex(pattern: string): RegExp {
  let source = pattern;
  let flags = 'u';
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (inline) {
    for (const f of inline[1] as string) {
      if (f === 'i' || f === 's' || f === 'm') flags += f;
      else if (f !== 'u' && f !== 'd') throw new SyntaxError(`Unsupported inline flag ${f} in ${pattern}`);
    }
    source = source.slice(inline[0].length);
  }
  source = source
    .replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, quoted: string) => quoteRegex(quoted))
    .replace(/(?<!\\)((?:\\\\)*)\\A/g, '$1^')
    .replace(/(?<!\\)((?:\\\\)*)\\[zZ]/g, '$1$$');
  return new RegExp(source, [...new Set(flags)].join(''));
}

/** Java's `Pattern.matcher(input).matches()`: the match of the whole input, or null. */
export function wholeMatch(regex: RegExp, input: string): RegExpExecArray | null {
  const anchored = new RegExp(`^(?:${regex.source})$`, regex.flags.replace('g', ''));
  return anchored.exec(input);
}

/**
 * Expands a Java replacement string against a match (Java's `Matcher.appendReplacement` rules).
 * @throws Error `Illegal group reference`, `No group N`, `No group with name {x}`,
 *   `character to be escaped is missing`, as Java does
 */
export function expandReplacement(replacement: string, match: RegExpExecArray): string {
  const groupCount = match.length - 1;
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i] as string;
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new Error('character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      i++;
      if (i >= replacement.length) throw new Error('Illegal group reference: group index is missing');
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        const name = end < 0 ? '' : replacement.slice(i + 1, end);
        if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(name))
          throw new Error("named capturing group is missing trailing '}'");
        if (!match.groups || !Object.hasOwn(match.groups, name))
          throw new Error(`No group with name {${name}}`);
        out += match.groups[name] ?? '';
        i = end;
      } else {
        if (!/\d/.test(replacement[i] as string)) throw new Error('Illegal group reference');
        // Java reads further digits only while the group number stays valid.
        let group = Number(replacement[i]);
        while (i + 1 < replacement.length && /\d/.test(replacement[i + 1] as string)) {
          const longer = group * 10 + Number(replacement[i + 1]);
          if (longer > groupCount) break;
          group = longer;
          i++;
        }
        if (group > groupCount) throw new Error(`No group ${group}`);
        out += match[group] ?? '';
      }
    } else {
      out += c;
    }
  }
  return out;
}
