import { describe, expect, it } from 'vitest';
import { SchemaBuilderError } from '../../../lib/api/errors.js';
import { SchemaBuilder, Schemas, schemaEquals } from '../../../lib/api/index.js';

describe('SchemaBuilder', () => {
  it('builds a struct schema with fields in order and their metadata', () => {
    // Prepare
    const builder = SchemaBuilder.struct()
      .name('com.example.Person')
      .version(2)
      .doc('a person')
      .parameter('p', 'v')
      .field('name', Schemas.STRING)
      .field('age', SchemaBuilder.int32().optional().defaultValue(7));

    // Act
    const schema = builder.build();

    // Assess
    expect(schema.type).toBe('STRUCT');
    expect(schema.name).toBe('com.example.Person');
    expect(schema.version).toBe(2);
    expect(schema.doc).toBe('a person');
    expect(schema.parameters).toEqual({ p: 'v' });
    expect(schema.fields().map((f) => [f.name, f.index])).toEqual([
      ['name', 0],
      ['age', 1],
    ]);
    expect(schema.field('age')?.schema.defaultValue).toBe(7);
    expect(schema.field('missing')).toBeUndefined();
  });

  it("rejects setting the name twice with Kafka's message", () => {
    // Prepare
    const builder = SchemaBuilder.string().name('a');

    // Act
    const act = () => builder.name('b');

    // Assess
    expect(act).toThrow(new SchemaBuilderError('Invalid SchemaBuilder call: name has already been set.'));
  });

  it('rejects a default value of the wrong type', () => {
    // Prepare
    const builder = SchemaBuilder.int8();

    // Act
    const act = () => builder.defaultValue(1000);

    // Assess
    expect(act).toThrow('Invalid default value');
  });

  it('rejects fields on a non-struct type', () => {
    // Prepare
    const builder = SchemaBuilder.int64();

    // Act
    const act = () => builder.field('f', Schemas.STRING);

    // Assess
    expect(act).toThrow('Cannot create fields on type INT64');
  });

  it('refuses to list fields of a primitive schema', () => {
    // Prepare
    const schema = Schemas.STRING;

    // Act
    const act = () => schema.fields();

    // Assess
    expect(act).toThrow('Cannot list fields on non-struct type');
  });

  it('builds arrays and maps with their element schemas', () => {
    // Prepare
    const array = SchemaBuilder.array(Schemas.INT32).optional();
    const map = SchemaBuilder.map(Schemas.STRING, Schemas.OPTIONAL_FLOAT64);

    // Act
    const arraySchema = array.build();
    const mapSchema = map.build();

    // Assess
    expect(arraySchema.optional).toBe(true);
    expect(arraySchema.valueSchema).toBe(Schemas.INT32);
    expect(mapSchema.keySchema).toBe(Schemas.STRING);
    expect(mapSchema.valueSchema).toBe(Schemas.OPTIONAL_FLOAT64);
  });

  it('treats structurally identical schemas as equal and different ones as not', () => {
    // Prepare
    const a = SchemaBuilder.struct().name('x').field('f', Schemas.INT32).build();
    const b = SchemaBuilder.struct().name('x').field('f', Schemas.INT32).build();
    const c = SchemaBuilder.struct().name('x').field('f', Schemas.OPTIONAL_INT32).build();

    // Act
    const same = schemaEquals(a, b);
    const different = schemaEquals(a, c);

    // Assess
    expect(same).toBe(true);
    expect(different).toBe(false);
  });
});
