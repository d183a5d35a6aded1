import { describe, expect, it } from 'vitest';
import { DataError } from '../../../lib/api/errors.js';
import { SchemaBuilder, Schemas, Struct, validateValue } from '../../../lib/api/index.js';

const person = SchemaBuilder.struct()
  .name('com.example.Person')
  .field('name', Schemas.STRING)
  .field('age', Schemas.INT32)
  .field('nick', Schemas.OPTIONAL_STRING)
  .field('score', SchemaBuilder.int64().defaultValue(5))
  .build();

describe('Struct', () => {
  it('stores and reads typed values', () => {
    // Prepare
    const struct = new Struct(person);

    // Act
    struct.put('name', 'Bobby McGee').put('age', 21);

    // Assess
    expect(struct.getString('name')).toBe('Bobby McGee');
    expect(struct.getInt32('age')).toBe(21);
    expect(struct.get('score')).toBe(5);
    expect(struct.getWithoutDefault('score')).toBeNull();
    expect(() => struct.validate()).not.toThrow();
  });

  it("rejects a value of the wrong type with Kafka's message", () => {
    // Prepare
    const struct = new Struct(person);

    // Act
    const act = () => struct.put('age', 'old');

    // Assess
    expect(act).toThrow(
      new DataError('Invalid Java object for schema with type INT32: string for field: "age"'),
    );
  });

  it("rejects an integer out of the field type's range", () => {
    // Prepare
    const struct = new Struct(person);

    // Act
    const act = () => struct.put('age', 2 ** 31);

    // Assess
    expect(act).toThrow(DataError);
  });

  it('fails validation when a required field is missing', () => {
    // Prepare
    const struct = new Struct(person).put('name', 'x');

    // Act
    const act = () => struct.validate();

    // Assess
    expect(act).toThrow(
      new DataError('Invalid value: null used for required field: "age", schema type: INT32'),
    );
  });

  it('rejects unknown field names and typed reads of the wrong type', () => {
    // Prepare
    const struct = new Struct(person);

    // Act
    const unknown = () => struct.get('nope');
    const wrongType = () => struct.getString('age');

    // Assess
    expect(unknown).toThrow('nope is not a valid field name');
    expect(wrongType).toThrow("Field 'age' is not of type STRING");
  });

  it('accepts INT64 as number or bigint and compares them equal', () => {
    // Prepare
    const a = new Struct(person).put('name', 'a').put('age', 1).put('score', 7);
    const b = new Struct(person).put('name', 'a').put('age', 1).put('score', 7n);

    // Act
    const equal = a.equals(b);

    // Assess
    expect(equal).toBe(true);
  });

  it('refuses a struct whose schema differs from the expected one', () => {
    // Prepare
    const other = SchemaBuilder.struct().name('other').field('name', Schemas.STRING).build();
    const struct = new Struct(other).put('name', 'x');

    // Act
    const act = () => validateValue(person, struct);

    // Assess
    expect(act).toThrow('Struct schemas do not match.');
  });

  it('validates map entries and array elements recursively', () => {
    // Prepare
    const schema = SchemaBuilder.map(Schemas.STRING, SchemaBuilder.array(Schemas.INT8)).build();

    // Act
    const good = () => validateValue(schema, { a: [1, 2] });
    const bad = () => validateValue(schema, new Map([['a', [1, 'x']]]));

    // Assess
    expect(good).not.toThrow();
    expect(bad).toThrow(
      'Invalid Java object for schema with type INT8: string for element of array value of map value',
    );
  });
});
