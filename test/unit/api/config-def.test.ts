import { describe, expect, it } from 'vitest';
import {
  CaseInsensitiveValidString,
  ClassExists,
  ConfigDef,
  ConfigType,
  ConfigValue,
  configInfos,
  configKeyInfos,
  Importance,
  NO_DEFAULT,
  NonEmptyString,
  NonEmptyStringWithoutControlChars,
  Password,
  Range,
  ValidList,
  ValidString,
  Width,
} from '../../../lib/api/config-def.js';
import { ConfigError } from '../../../lib/api/errors.js';

function fileSourceDef(): ConfigDef {
  return new ConfigDef()
    .define({
      name: 'file',
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      importance: Importance.HIGH,
      documentation: 'Source filename.',
    })
    .define({
      name: 'batch.size',
      type: ConfigType.INT,
      defaultValue: 2000,
      validator: Range.atLeast(1),
      importance: Importance.LOW,
      documentation: 'Max records per poll.',
    });
}

describe('ConfigDef.parse', () => {
  it('parses strings to each type the way Kafka does', () => {
    // Prepare
    const def = new ConfigDef();
    const types = [
      'BOOLEAN',
      'STRING',
      'INT',
      'SHORT',
      'LONG',
      'DOUBLE',
      'LIST',
      'CLASS',
      'PASSWORD',
    ] as const;
    for (const t of types) {
      def.define({ name: t, type: t, defaultValue: null, importance: Importance.LOW, documentation: '' });
    }
    // Act
    const parsed = def.parse({
      BOOLEAN: ' TRUE ',
      STRING: '  hello ',
      INT: '-42',
      SHORT: '7',
      LONG: '9007199254740991',
      DOUBLE: '1.5e2',
      LIST: ' a , b,c ',
      CLASS: 'org.apache.kafka.connect.json.JsonConverter',
      PASSWORD: 'secret',
    });
    // Assess
    expect(parsed).toMatchObject({
      BOOLEAN: true,
      STRING: 'hello',
      INT: -42,
      SHORT: 7,
      LONG: 9007199254740991,
      DOUBLE: 150,
      LIST: ['a', 'b', 'c'],
      CLASS: 'org.apache.kafka.connect.json.JsonConverter',
    });
    expect(parsed.PASSWORD).toBeInstanceOf(Password);
    expect(String(parsed.PASSWORD)).toBe('[hidden]');
    expect((parsed.PASSWORD as Password).value()).toBe('secret');
  });

  it('accepts JSON numbers and booleans as their text', () => {
    const def = new ConfigDef()
      .define({ name: 'tasks.max', type: 'INT', defaultValue: 1, importance: 'HIGH', documentation: '' })
      .define({ name: 'flag', type: 'BOOLEAN', defaultValue: false, importance: 'LOW', documentation: '' });

    const parsed = def.parse({ 'tasks.max': 3, flag: true });

    expect(parsed).toEqual({ 'tasks.max': 3, flag: true });
  });

  it('fills defaults and treats an empty LIST string as an empty list', () => {
    const def = fileSourceDef().define({
      name: 'topics',
      type: 'LIST',
      defaultValue: '',
      importance: 'LOW',
      documentation: '',
    });

    const parsed = def.parse({ file: 'x', topics: '  ' });

    expect(parsed).toEqual({ file: 'x', 'batch.size': 2000, topics: [] });
  });

  it('reports a non-number with Kafka wording', () => {
    const def = fileSourceDef();

    expect(() => def.parse({ file: 'x', 'batch.size': 'abc' })).toThrow(
      new ConfigError('Invalid value abc for configuration batch.size: Not a number of type INT'),
    );
  });

  it('rejects an INT out of 32-bit range and a SHORT out of 16-bit range', () => {
    const def = new ConfigDef()
      .define({ name: 'i', type: 'INT', defaultValue: 0, importance: 'LOW', documentation: '' })
      .define({ name: 's', type: 'SHORT', defaultValue: 0, importance: 'LOW', documentation: '' });

    expect(() => def.parse({ i: '2147483648' })).toThrow(
      'Invalid value 2147483648 for configuration i: Not a number of type INT',
    );
    expect(() => def.parse({ s: '32768' })).toThrow(
      'Invalid value 32768 for configuration s: Not a number of type SHORT',
    );
    expect(() => def.parse({ i: '1.5' })).toThrow('Not a number of type INT');
  });

  it('rejects a boolean that is neither true nor false', () => {
    const def = new ConfigDef().define({
      name: 'b',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'LOW',
      documentation: '',
    });

    expect(() => def.parse({ b: 'yes' })).toThrow(
      'Invalid value yes for configuration b: Expected value to be either true or false',
    );
  });

  it('fails on a missing required key', () => {
    expect(() => fileSourceDef().parse({})).toThrow(
      'Missing required configuration "file" which has no default value.',
    );
  });

  it('runs validators on parsed values', () => {
    expect(() => fileSourceDef().parse({ file: 'x', 'batch.size': '0' })).toThrow(
      'Invalid value 0 for configuration batch.size: Value must be at least 1',
    );
  });

  it('refuses a key defined twice and a default that fails its validator', () => {
    expect(() =>
      fileSourceDef().define({
        name: 'file',
        type: 'STRING',
        defaultValue: '',
        importance: 'LOW',
        documentation: '',
      }),
    ).toThrow('Configuration file is defined twice.');
    expect(() =>
      new ConfigDef().define({
        name: 'n',
        type: 'INT',
        defaultValue: 0,
        validator: Range.atLeast(1),
        importance: 'LOW',
        documentation: '',
      }),
    ).toThrow('Value must be at least 1');
  });
});

describe('ConfigDef.validate', () => {
  it('collects every error instead of throwing', () => {
    // Prepare
    const def = fileSourceDef();
    // Act
    const values = def.validate({ 'batch.size': 'many' });
    // Assess
    expect(values.map((v) => [v.name, v.errorMessages])).toEqual([
      ['file', ['Missing required configuration "file" which has no default value.']],
      [
        'batch.size',
        [
          'Invalid value many for configuration batch.size: Not a number of type INT',
          'Invalid value null for configuration batch.size: Value must be non-null',
        ],
      ],
    ]);
  });

  it('asks recommenders for values and visibility', () => {
    const def = new ConfigDef()
      .define({
        name: 'mode',
        type: 'STRING',
        defaultValue: 'a',
        importance: 'LOW',
        documentation: '',
        dependents: ['x'],
      })
      .define({
        name: 'x',
        type: 'STRING',
        defaultValue: null,
        importance: 'LOW',
        documentation: '',
        recommender: {
          validValues: () => ['p', 'q'],
          visible: (_n, parsed) => parsed.mode === 'b',
        },
      });

    const [, x] = def.validate({ mode: 'a' });

    expect(x?.recommendedValues).toEqual(['p', 'q']);
    expect(x?.visible).toBe(false);
  });

  it('reports dependents that are not defined', () => {
    const def = new ConfigDef().define({
      name: 'a',
      type: 'STRING',
      defaultValue: null,
      importance: 'LOW',
      documentation: '',
      dependents: ['ghost'],
    });

    const ghost = def.validateAll({}).get('ghost');

    expect(ghost?.errorMessages).toEqual(['ghost is referred in the dependents, but not defined.']);
    expect(ghost?.visible).toBe(false);
  });
});

describe('validators', () => {
  it('use Kafka messages', () => {
    const cases: Array<[() => void, string]> = [
      [
        () => ValidString.in('none', 'all').ensureValid('errors.tolerance', 'some'),
        'Invalid value some for configuration errors.tolerance: String must be one of: none, all',
      ],
      [
        () => CaseInsensitiveValidString.in('requested', 'required').ensureValid('e', 'maybe'),
        'Invalid value maybe for configuration e: String must be one of (case insensitive): REQUESTED, REQUIRED',
      ],
      [
        () => Range.between(1, 5).ensureValid('r', 6),
        'Invalid value 6 for configuration r: Value must be no more than 5',
      ],
      [
        () => NonEmptyString.ensureValid('s', ''),
        'Invalid value  for configuration s: String must be non-empty',
      ],
      [
        () => NonEmptyStringWithoutControlChars.ensureValid('name', ''),
        'Invalid value  for configuration name: String may not be empty',
      ],
      [
        () => NonEmptyStringWithoutControlChars.ensureValid('name', 'a\tb\n'),
        'Invalid value a\tb\n for configuration name: String may not contain control sequences but had the following ASCII chars: 9, 10',
      ],
      [
        () => ValidList.anyNonDuplicateValues(true, false).ensureValid('transforms', ['a', 'a']),
        "Configuration 'transforms' values must not be duplicated.",
      ],
      [
        () => ClassExists.using(() => false).ensureValid('key.converter', 'Nope'),
        'Invalid value Nope for configuration key.converter: Class Nope could not be found.',
      ],
    ];
    for (const [act, message] of cases) expect(act).toThrow(message);
  });

  it('accept valid values', () => {
    expect(() => CaseInsensitiveValidString.in('poll', 'interval').ensureValid('t', 'POLL')).not.toThrow();
    expect(() => NonEmptyStringWithoutControlChars.ensureValid('name', 'my-connector')).not.toThrow();
    expect(() => ClassExists.using((n) => n === 'Json').ensureValid('c', 'Json')).not.toThrow();
  });
});

describe('ConfigInfos rendering', () => {
  it('renders ConfigKeyInfo exactly like Kafka', () => {
    // Prepare
    const def = fileSourceDef()
      .define({
        name: 'topics',
        type: 'LIST',
        defaultValue: 'a,b',
        importance: 'LOW',
        documentation: 'T',
        group: 'Common',
        orderInGroup: 4,
        width: Width.LONG,
        displayName: 'Topics',
      })
      .define({ name: 'opt', type: 'STRING', defaultValue: null, importance: 'MEDIUM', documentation: 'O' });
    // Act
    const infos = configKeyInfos(def);
    // Assess
    expect(infos[0]).toEqual({
      name: 'file',
      type: 'STRING',
      required: true,
      default_value: null,
      importance: 'HIGH',
      documentation: 'Source filename.',
      group: null,
      width: 'NONE',
      display_name: 'file',
      dependents: [],
      order: -1,
    });
    expect(infos[1]?.default_value).toBe('2000');
    expect(infos[2]).toMatchObject({
      default_value: 'a,b',
      group: 'Common',
      order: 4,
      width: 'LONG',
      display_name: 'Topics',
    });
    expect(infos[3]).toMatchObject({ required: false, default_value: null });
  });

  it('renders ConfigInfos with undefined keys first, passwords hidden and the error count', () => {
    // Prepare
    const def = fileSourceDef().define({
      name: 'pw',
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'HIGH',
      documentation: '',
    });
    const values = def.validate({ pw: 'hunter2', 'batch.size': '0' });
    const stray = new ConfigValue('unknown.key');
    stray.value = 'v';
    // Act
    const result = configInfos({
      name: 'FileStreamSource',
      keys: def,
      values: [...values, stray],
      groups: ['Common'],
    });
    // Assess
    expect(result.name).toBe('FileStreamSource');
    expect(result.error_count).toBe(2);
    expect(result.groups).toEqual(['Common']);
    expect(result.configs[0]).toEqual({
      definition: null,
      value: { name: 'unknown.key', value: 'v', recommended_values: [], errors: [], visible: true },
    });
    expect(result.configs[3]?.value).toEqual({
      name: 'pw',
      value: '[hidden]',
      recommended_values: [],
      errors: [],
      visible: true,
    });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });
});
