/** How `groupdesk migrate` tells two spellings of one MongoDB database before opening either. */
import { mongoIdentity } from '../../../src/store/migrate';

describe('mongoIdentity', () => {
  it.each([
    ['mongodb://a:1,b:2/db', 'mongodb://B:2,a:1/db'],
    ['mongodb://db.example/app', 'mongodb://db.example:27017/app?retryWrites=true'],
    ['mongodb://user:pw@h/app', 'mongodb://other:pw2@h:27017/app'],
    ['mongodb://h/app?replicaSet=rs0&w=majority', 'mongodb://h/app?w=1&replicaSet=rs0'],
    ['mongodb://h', 'mongodb://h/test'],
  ])('%s and %s name one database', (a, b) => {
    expect(mongoIdentity(a)).toBe(mongoIdentity(b));
  });

  it.each([
    ['mongodb://h/app', 'mongodb://h/app2'],
    ['mongodb://h:27017/app', 'mongodb://h:27018/app'],
    ['mongodb://h/app?replicaSet=rs0', 'mongodb://h/app?replicaSet=rs1'],
    ['mongodb+srv://cluster.example/app', 'mongodb://cluster.example/app'],
  ])('%s and %s are told apart', (a, b) => {
    expect(mongoIdentity(a)).not.toBe(mongoIdentity(b));
  });
});
