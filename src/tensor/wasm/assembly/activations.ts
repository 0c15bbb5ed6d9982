// exp, logistic and tanh for the kernels, two lanes at a time in float64 (f64x2). The results are rounded to
// float32 once at the store, as the reference kernels do (they compute in JavaScript doubles). An all-float32
// path (Cephes expf in f32x4: sigmoid within 1 ulp, tanh 1.5 ulp) makes the cells 1.7× faster but loosens
// PyTorch parity past the 1e-5 bound: worst recurrent output 1.06e-5 (relaxed build) and 1.70e-5 (plain),
// against 5.72e-6 here and PyTorch's own float32 7.46e-6 (recurrent.parity.test.ts, 30 Nov).

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

/** ⌊x·log2 e⌉ for x clamped to [−100, 100] (ample for float32 results). */
// @ts-ignore: decorator
@inline
function expExponent(x: v128): v128 {
  return f64x2.nearest(f64x2.mul(x, f64x2.splat(LOG2E)));
}

/** x clamped to [−100, 100]: pmin/pmax are single x86 instructions (IEEE min/max take several); NaN stays NaN. */
// @ts-ignore: decorator
@inline
function clampExpArgument(x: v128): v128 {
  return f64x2.pmin(f64x2.pmax(x, f64x2.splat(-100)), f64x2.splat(100));
}

/**
 * q(r) with e^r ≈ 1 + r + r²·q(r) on |r| ≤ ln2/2: degree 6, fitted for least maximum relative error of e^r
 * (1.1e−12, against 2.1e−10 for the Taylor series to r^8/8!), far inside the float32 rounding the results get
 * (2^−24 ≈ 6e−8). 1 + r stays exact, so the error is O(r²) near 0 and r + r²·q is e^r − 1 without cancellation.
 * Estrin's scheme: independent pairs, a dependency chain 4 operations deep instead of Horner's 6.
 */
// @ts-ignore: decorator
@inline
function expQ(r: v128, r2: v128): v128 {
  const a = maddD(r, f64x2.splat(0.1666666678514694), f64x2.splat(0.5000000000430237));
  const b = maddD(r, f64x2.splat(0.008333281602406187), f64x2.splat(0.04166666439148541));
  const c = maddD(r, f64x2.splat(0.00019909074023963634), f64x2.splat(0.0013889198363133998));
  return maddD(f64x2.mul(r2, r2), maddD(r2, f64x2.splat(2.470810292210406e-05), c), maddD(r2, b, a));
}

/**
 * r = x − n·ln 2 by one product instead of the usual split ln 2 (Cody–Waite): with |n| ≤ 145 the rounding of
 * n·LN2 and of ln 2 itself shift r by under 2e−14, a relative error of e^x that float32 results never see.
 */
// @ts-ignore: decorator
@inline
function expReduced(x: v128, n: v128): v128 {
  return maddD(n, f64x2.splat(-LN2), x);
}

/**
 * 2^n built in the exponent field: adding 2^52 puts the integer n + 1023 in the low mantissa bits, and shifting
 * left by 52 moves it into the exponent (two instructions instead of a saturating conversion).
 */
// @ts-ignore: decorator
@inline
function pow2(n: v128): v128 {
  return i64x2.shl(f64x2.add(n, f64x2.splat(4503599627370496.0 + 1023.0)), 52);
}

/** e^x for x clamped to [−100, 100]: relative error below 1.2e−12. */
// @ts-ignore: decorator
@inline
export function expD(x: v128): v128 {
  x = clampExpArgument(x);
  const n = expExponent(x);
  const r = expReduced(x, n);
  const r2 = f64x2.mul(r, r);
  return f64x2.mul(maddD(r2, expQ(r, r2), f64x2.add(r, f64x2.splat(1))), pow2(n));
}

/** 1 / (1 + e^−x) */
// @ts-ignore: decorator
@inline
export function sigmoidD(x: v128): v128 {
  const one = f64x2.splat(1);
  return f64x2.div(one, f64x2.add(one, expD(f64x2.neg(x))));
}

/**
 * tanh x = m/(m + 2) with m = e^{2x} − 1 = 2^n·(r + r²·q(r)) + (2^n − 1): for |2x| < ln2/2, n = 0 and m carries
 * full relative precision down to the tiniest x (no cancellation, no small-argument branch); saturates to ±1.
 */
// @ts-ignore: decorator
@inline
export function tanhD(x: v128): v128 {
  const y = clampExpArgument(f64x2.add(x, x));
  const n = expExponent(y);
  const r = expReduced(y, n);
  const r2 = f64x2.mul(r, r);
  const s = pow2(n);
  const m = maddD(s, maddD(r2, expQ(r, r2), r), f64x2.sub(s, f64x2.splat(1)));
  return f64x2.div(m, f64x2.add(m, f64x2.splat(2)));
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
