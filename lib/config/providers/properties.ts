/**
 * Parses a Java `.properties` file (the format `FileConfigProvider` reads): `key=value`, `key:value` or
 * `key value`; `#` and `!` comment lines; a trailing odd backslash continues the line (leading blanks of
 * the next line dropped); escapes `\t \n \r \f \uXXXX`, and `\x` stands for `x` (so `\=`, `\:`, `\ `).
 */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const rawLines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < rawLines.length; i++) {
    let line = (rawLines[i] as string).replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (endsWithContinuation(line) && i + 1 < rawLines.length) {
      line = line.slice(0, -1) + (rawLines[++i] as string).replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(line)) line = line.slice(0, -1);
    const { key, rest } = splitKey(line);
    out[unescapeJava(key)] = unescapeJava(rest);
  }
  return out;
}

function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function splitKey(line: string): { key: string; rest: string } {
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    i++;
  }
  const key = line.slice(0, i);
  let j = i;
  while (j < line.length && /[ \t\f]/.test(line[j] as string)) j++;
  if (j < line.length && (line[j] === '=' || line[j] === ':')) j++;
  while (j < line.length && /[ \t\f]/.test(line[j] as string)) j++;
  return { key, rest: line.slice(j) };
}

function unescapeJava(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    return { t: '\t', n: '\n', r: '\r', f: '\f' }[e] ?? e;
  });
}
