import { describe, expect, it } from 'vitest';
import { contradictsMd5, isPlainMd5Etag, md5OfEtag, normalizeEtag } from '../../../electron/engine/model/etag.js';

describe('etags', () => {
  it('strips quotes and the weak prefix; only 32 hex digits are a plain MD5', () => {
    expect(normalizeEtag('"abc"')).toBe('abc');
    expect(normalizeEtag('W/"abc"')).toBe('abc');
    expect(normalizeEtag('""')).toBeUndefined();
    expect(isPlainMd5Etag('0cc175b9c0f1b6a831c399e269772661')).toBe(true);
    expect(isPlainMd5Etag('0cc175b9c0f1b6a831c399e269772661-3')).toBe(false);
    expect(contradictsMd5('"0CC175B9C0F1B6A831C399E269772661"', '0cc175b9c0f1b6a831c399e269772661')).toBe(false);
    expect(contradictsMd5('"ffffffffffffffffffffffffffffffff"', '0cc175b9c0f1b6a831c399e269772661')).toBe(true);
    expect(contradictsMd5('opaque-token', '0cc175b9c0f1b6a831c399e269772661')).toBe(false);
  });

  it('reads the MD5 out of a plain-MD5 etag only, in lower case', () => {
    expect(md5OfEtag('"0CC175B9C0F1B6A831C399E269772661"')).toBe('0cc175b9c0f1b6a831c399e269772661');
    expect(md5OfEtag('0cc175b9c0f1b6a831c399e269772661-3')).toBeUndefined();
    expect(md5OfEtag(undefined)).toBeUndefined();
  });
});
