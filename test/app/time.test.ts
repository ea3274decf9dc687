import { describe, expect, it } from 'vitest';
import { timeAgo, timeUntil } from '../../app/src/time.js';

const now = Date.parse('2026-12-02T10:00:00Z');
const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();

describe('timeUntil: when a planned retry happens, never worded as the past', () => {
  it.each([
    [-120, 'soon'],
    [0, 'soon'],
    [4, 'soon'],
    [30, 'in 30 seconds'],
    [44, 'in 44 seconds'],
    [300, 'in 5 minutes'],
    [7200, 'in 2 hours'],
  ])('%i s from now reads "%s"', (seconds, words) => {
    expect(timeUntil(at(seconds), now)).toBe(words);
  });

  it('where timeAgo would say "just now" for a retry 30 s ahead', () => {
    expect(timeAgo(at(30), now)).toBe('just now');
    expect(timeUntil(at(30), now)).not.toBe('just now');
  });

  it('an unreadable time gives no words', () => {
    expect(timeUntil('not a time', now)).toBe('');
  });
});
