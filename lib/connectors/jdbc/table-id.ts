/** A table as the database names it (Confluent's `TableId`): catalog (database), schema, name. */
export interface TableId {
  catalog?: string;
  schema?: string;
  table: string;
}

/** Unquoted `catalog.schema.table`, the name Confluent puts in source partitions (protocol 1). */
export function fullName(id: TableId): string {
  return [id.catalog, id.schema, id.table].filter((p): p is string => Boolean(p)).join('.');
}

/**
 * Parses a configured table name (`table`, `schema.table`, `db.schema.table`); a part may be quoted with
 * `"` or `` ` `` to hold a dot. With `parts=2` (MySQL) a two-part name is `db.table`.
 */
export function parseTableName(text: string, parts: 2 | 3 = 3): TableId {
  const names: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote && text[i + 1] === quote) {
        current += c;
        i++;
      } else if (c === quote) quote = null;
      else current += c;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '.') {
      names.push(current);
      current = '';
    } else current += c;
  }
  names.push(current);
  const trimmed = names.map((n) => n.trim());
  const table = trimmed.pop() ?? '';
  if (trimmed.length === 0) return { table };
  if (parts === 2) return { catalog: trimmed.at(-1), table };
  if (trimmed.length === 1) return { schema: trimmed[0], table };
  return { catalog: trimmed.at(-2), schema: trimmed.at(-1), table };
}
