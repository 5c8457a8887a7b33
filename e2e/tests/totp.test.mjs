import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base32Decode, base32Encode, totp } from '../lib/totp.mjs';

// RFC 6238 appendix B, SHA-1 key "12345678901234567890", last six of the eight digits.
const SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

test('the RFC 6238 secret encodes as the well-known base32 string', () => {
  assert.equal(SECRET, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.equal(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq').toString('ascii'), '12345678901234567890');
});

test('RFC 6238 SHA-1 vectors', () => {
  for (const [seconds, code] of [
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ]) {
    assert.equal(totp(SECRET, seconds * 1000), code, `t=${seconds}`);
  }
});

test('codes are six digits and change with the 30-second step', () => {
  const t0 = 1_700_000_010_000;
  assert.match(totp(SECRET, t0), /^\d{6}$/);
  assert.equal(totp(SECRET, t0), totp(SECRET, t0 + 19_000));
  assert.notEqual(totp(SECRET, t0), totp(SECRET, t0 + 30_000));
});

test('a bad secret is refused', () => {
  assert.throws(() => totp('not base32!'), /not base32/);
});
