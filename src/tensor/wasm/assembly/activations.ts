// exp, logistic and tanh for the kernels, two lanes at a time in float64 (f64x2). The results are rounded to
// float32 once at the store, as the reference kernels do (they compute in JavaScript doubles): an all-float32
// path (Cephes polynomials, ~2 ulp) measurably loosens PyTorch parity of deep bidirectional stacks.

const LOG2E: f64 = 1.4426950408889634;
const LN2: f64 = 0.6931471805599453;

/**
 * a·b + c. The relaxed-SIMD build (scripts/build-wasm.mjs) fuses it into one instruction where the CPU has FMA
 * (one rounding instead of two: if anything closer to the float64 reference); the plain build multiplies and adds.
 */
// @ts-ignore: decorator
@inline
function maddD(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

/** e^x for x clamped to [−100, 100] (ample for float32 results): relative error below 6e−11. */
// @ts-ignore: decorator
@inline
export function expD(x: v128): v128 {
  // pmin/pmax are single x86 instructions (min/max with IEEE NaN rules take several); a NaN x stays NaN.
  x = f64x2.pmin(f64x2.pmax(x, f64x2.splat(-100)), f64x2.splat(100));
  const n = f64x2.nearest(f64x2.mul(x, f64x2.splat(LOG2E)));
  // One product instead of the usual split ln 2 (Cody–Waite): with |n| ≤ 145 the rounding of n·LN2 and of ln 2
  // itself shift r by under 2e−14, a relative error of e^x that float32 results never see.
  const r = maddD(n, f64x2.splat(-LN2), x);
  // e^r ≈ 1 + r + r²·q(r) on |r| ≤ ln2/2, q of degree 5 fitted for least maximum relative error (5.2e−11, against
  // 2.1e−10 for the Taylor series to r^8/8!), far inside the float32 rounding the results get (2^−24 ≈ 6e−8).
  // Keeping 1 + r exact leaves the error O(r²) near 0, where tanh = 1 − 2/(e^{2x} + 1) cancels.
  // Estrin's scheme: the three pairs are independent, so the chain is 5 operations deep instead of Horner's 8.
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const a = maddD(r, f64x2.splat(0.1666666678514694), f64x2.splat(0.5000000000430237));
  const b = maddD(r, f64x2.splat(0.008333281602406187), f64x2.splat(0.04166666439148541));
  const c = maddD(r, f64x2.splat(0.00019909074023963634), f64x2.splat(0.0013889198363133998));
  const q = maddD(r4, maddD(r2, f64x2.splat(2.470810292210406e-05), c), maddD(r2, b, a));
  const p = maddD(r2, q, f64x2.add(r, f64x2.splat(1)));
  // 2^n built in the exponent field: adding 2^52 puts the integer n + 1023 in the low mantissa bits, and
  // shifting left by 52 moves it into the exponent (two instructions instead of a saturating conversion).
  const pow2n = i64x2.shl(f64x2.add(n, f64x2.splat(4503599627370496.0 + 1023.0)), 52);
  return f64x2.mul(p, pow2n);
}

/** 1 / (1 + e^−x) */
// @ts-ignore: decorator
@inline
export function sigmoidD(x: v128): v128 {
  const one = f64x2.splat(1);
  return f64x2.div(one, f64x2.add(one, expD(f64x2.neg(x))));
}

/**
 * tanh = 1 − 2/(e^{2x} + 1), valid for either sign in float64 (the absolute error ~1e−16 is relatively tiny
 * once rounded to float32), except below |x| = 1e−4 where the subtraction cancels: there x − x³/3.
 */
// @ts-ignore: decorator
@inline
export function tanhD(x: v128): v128 {
  const one = f64x2.splat(1);
  const e = expD(f64x2.add(x, x));
  const large = f64x2.sub(one, f64x2.div(f64x2.splat(2), f64x2.add(e, one)));
  const small = f64x2.sub(x, f64x2.mul(f64x2.mul(x, f64x2.mul(x, x)), f64x2.splat(1.0 / 3.0)));
  return v128.bitselect(small, large, f64x2.lt(f64x2.abs(x), f64x2.splat(1e-4)));
}

/** Two float32 at p (or one, duplicated, when `single`) widened to f64x2. */
// @ts-ignore: decorator
@inline
export function load2(p: usize, single: bool): v128 {
  return f64x2.promote_low_f32x4(single ? f32x4.splat(load<f32>(p)) : v128.load64_zero(p));
}

/** Round an f64x2 to float32 and store two values at p (or only the first when `single`). */
// @ts-ignore: decorator
@inline
export function store2(p: usize, v: v128, single: bool): void {
  const narrow = f32x4.demote_f64x2_zero(v);
  if (single) store<f32>(p, f32x4.extract_lane(narrow, 0));
  else v128.store64_lane(p, narrow, 0);
}

// Pairs first, then an odd last element: the pair loop's loads and stores carry no per-element test.
export function sigmoid(out: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) store2(out + (<usize>i << 2), sigmoidD(load2(x + (<usize>i << 2), false)), false);
  if (i < n) store2(out + (<usize>i << 2), sigmoidD(load2(x + (<usize>i << 2), true)), true);
}

export function tanh(out: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) store2(out + (<usize>i << 2), tanhD(load2(x + (<usize>i << 2), false)), false);
  if (i < n) store2(out + (<usize>i << 2), tanhD(load2(x + (<usize>i << 2), true)), true);
}
