import { QueryFailedError } from 'typeorm';
import { isDatabaseUnreachable } from './database-unreachable';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnreachable', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['reset', withCode('ECONNRESET')],
    ['terminated by an administrator (57P01)', withCode('57P01', 'terminating connection')],
    ['the database starting up (57P03)', withCode('57P03', 'the database system is starting up')],
    ['connection failure (08006)', withCode('08006')],
    ['pg: connection ended', new Error('Connection terminated unexpectedly')],
    ['pg-pool: connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'TypeORM wrapping one',
      new QueryFailedError('SELECT 1', [], withCode('57P01', 'terminating connection')),
    ],
  ])('%s: yes', (_name, err) => {
    expect(isDatabaseUnreachable(err)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', withCode('23505')],
    ['a syntax error (42601)', withCode('42601')],
    ['a serialization failure (40001)', withCode('40001')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('%s: no', (_name, err) => {
    expect(isDatabaseUnreachable(err)).toBe(false);
  });
});
