const HEX = '0123456789abcdef';

/** A small seeded random number generator (mulberry32): the same seed always makes the same school. */
export class Random {
  private state: number;
  constructor(seed: number) {
    // Scramble the seed (murmur3's finaliser) so that nearby seeds start far apart.
    let h = seed >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    this.state = (h ^ (h >>> 16)) >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T extends string>(weights: Readonly<Record<T, number>>): T {
    const entries = Object.entries(weights) as [T, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
  /** A UUID (version 4 layout) drawn from this generator, so ids repeat with the seed. */
  uuid(): string {
    // 32 hex digits, one draw each; the 13th is the version (4) and the 17th the variant (8 to b).
    let s = '';
    for (let i = 0; i < 32; i++) {
      const digit = Math.floor(this.next() * 16);
      s += HEX[i === 12 ? 4 : i === 16 ? (digit & 0x3) | 0x8 : digit];
      if (i === 7 || i === 11 || i === 15 || i === 19) s += '-';
    }
    return s;
  }
}
