import { describe, expect, it } from 'vitest';
import { LoggerLevels } from '../../../lib/control/loggers.js';

describe('LoggerLevels', () => {
  it('applies a level to the logger and its known descendants, and tells the process about each', () => {
    // Prepare
    const changes: string[] = [];
    const levels = new LoggerLevels({
      clock: () => 5,
      onChange: (name, level) => changes.push(`${name}=${level}`),
    });
    levels.set('a.b.c', 'debug');
    // Act
    const affected = levels.set('a.b', 'ERROR');
    // Assess
    expect(affected).toEqual(['a.b', 'a.b.c']);
    expect(levels.get('a.b.c')).toEqual({ level: 'ERROR', last_modified: 5 });
    expect(changes).toEqual(['a.b.c=DEBUG', 'a.b=ERROR', 'a.b.c=ERROR']);
  });

  it('lets root cover every logger', () => {
    // Prepare
    const levels = new LoggerLevels();
    levels.set('x', 'INFO');
    // Act
    const affected = levels.set('root', 'OFF');
    // Assess
    expect(affected).toEqual(['root', 'x']);
    expect(Object.values(levels.all()).map((l) => l.level)).toEqual(['OFF', 'OFF']);
  });

  it('does not treat a name sharing a prefix as a descendant', () => {
    // Prepare
    const levels = new LoggerLevels();
    levels.set('ab', 'INFO');
    // Act
    const affected = levels.set('a', 'WARN');
    // Assess
    expect(affected).toEqual(['a']);
    expect(levels.get('ab').level).toBe('INFO');
  });

  it("refuses an invalid level with Kafka's deliberate 404 and a missing one with 400", () => {
    // Prepare
    const levels = new LoggerLevels();
    // Act / Assess
    expect(() => levels.set('x', 'LOUD')).toThrow(
      expect.objectContaining({ status: 404, message: "invalid log level 'LOUD'." }),
    );
    expect(() => levels.set('x', undefined)).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('LoggerLevels bounds the names it keeps', () => {
  it('refuses a new name beyond the limit with 400, keeps the others settable, and changes nothing', () => {
    // Prepare: root plus two names fill a limit of 3.
    const changes: string[] = [];
    const levels = new LoggerLevels({ maxLoggers: 3, onChange: (name) => changes.push(name) });
    levels.set('a', 'DEBUG');
    levels.set('b', 'DEBUG');
    changes.length = 0;
    // Act / Assess
    expect(() => levels.set('c', 'WARN')).toThrow(
      expect.objectContaining({
        status: 400,
        message: expect.stringContaining('Cannot set the level of logger c'),
      }),
    );
    expect(changes).toEqual([]);
    expect(Object.keys(levels.all())).toEqual(['a', 'b', 'root']);
    expect(levels.set('a', 'ERROR')).toEqual(['a']);
    expect(levels.set('root', 'WARN')).toEqual(['a', 'b', 'root']);
  });

  it('keeps at most 1000 names by default', () => {
    // Prepare
    const levels = new LoggerLevels();
    for (let i = 1; i < 1_000; i++) levels.set(`l${i}`, 'INFO');
    // Act / Assess
    expect(() => levels.set('one.too.many', 'INFO')).toThrow(expect.objectContaining({ status: 400 }));
    expect(Object.keys(levels.all())).toHaveLength(1_000);
  });
});
